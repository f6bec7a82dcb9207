import Foundation

extension EmbeddedError {
    /// A failed write in words: ENOSPC (Foundation's "out of space") says the disk is full.
    static func diskProblem(path: String, underlying error: Error) -> EmbeddedError {
        let nsError = error as NSError
        let posix = (nsError.userInfo[NSUnderlyingErrorKey] as? NSError).flatMap { $0.domain == NSPOSIXErrorDomain ? $0.code : nil }
        let full =
            nsError.code == NSFileWriteOutOfSpaceError || posix == Int(ENOSPC)
            || (nsError.domain == NSPOSIXErrorDomain && nsError.code == Int(ENOSPC))
        return .cannotWrite(path: path, full: full, reason: nsError.localizedDescription)
    }
}

/// Why the embedded warehouse could not do what was asked, in words a user can act on.
public enum EmbeddedError: Error, CustomStringConvertible, Equatable, Sendable {
    case binariesMissing(searched: [String])
    case noServerUser
    case unreachableDirectory(path: String, user: String)
    case commandFailed(command: String, output: String)
    case startFailed(log: String, logPath: String)
    case socketPathTooLong(String)
    /// A file of the warehouse could not be written; `full` when the disk has no room left.
    case cannotWrite(path: String, full: Bool, reason: String)

    public var description: String {
        switch self {
        case .binariesMissing(let searched):
            let places = searched.isEmpty ? "" : " (looked in \(searched.joined(separator: ", ")))"
            return "the PostgreSQL server programs (initdb, pg_ctl) are not installed\(places).\n"
                + "Install them with: sudo apt-get install postgresql"
        case .noServerUser:
            return "PostgreSQL will not run as root, and there is no 'postgres' user to run it as.\n"
                + "Install the server package (sudo apt-get install postgresql creates the user) or run sparkify as a normal user."
        case .unreachableDirectory(let path, let user):
            return "the embedded warehouse directory \(path) cannot be reached by the '\(user)' user that runs the server;\n"
                + "set XDG_DATA_HOME to a directory it can reach (the default for root is /var/lib/sparkify)"
        case .commandFailed(let command, let output):
            return "\(command) failed:\n\(output)"
        case .startFailed(let log, let logPath):
            return "the embedded PostgreSQL server did not start. The end of its log (\(logPath)):\n\(log)"
        case .socketPathTooLong(let path):
            return "the socket directory \(path) is too long for a Unix socket"
        case .cannotWrite(let path, let full, let reason):
            let folder = (path as NSString).deletingLastPathComponent
            return full
                ? "the disk holding \(folder) is full: \(path) could not be written. Free some space and run this again."
                : "\(path) could not be written: \(reason)"
        }
    }
}
