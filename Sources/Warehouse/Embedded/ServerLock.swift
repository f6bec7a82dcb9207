import Foundation

/// An exclusive `flock` on a file beside the data directory, so two sparkify processes starting
/// at once take turns: one runs initdb and starts the server, the other then finds it running.
/// The kernel drops the lock when the holder dies, so a crash never leaves it stuck.
final class ServerLock {
    private let descriptor: Int32

    init(path: String) throws {
        descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw EmbeddedError.commandFailed(command: "open \(path)", output: String(cString: strerror(errno)))
        }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                let reason = String(cString: strerror(errno))
                close(descriptor)
                throw EmbeddedError.commandFailed(command: "lock \(path)", output: reason)
            }
        }
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
