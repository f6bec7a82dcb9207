import Foundation

/// Runs a helper program to completion with `posix_spawn` and `waitpid`.
///
/// Not Foundation's `Process`: on Linux its exit watch never fires for `runuser` once the
/// server that `pg_ctl` leaves behind is running, and the caller hangs. Output goes to a
/// temporary file rather than a pipe, which that server could otherwise hold open.
enum ProcessRunner {
    struct Outcome {
        var status: Int32
        var output: String
    }

    /// `program` is a path, or a name looked up in PATH. `asUser` runs it as that system user
    /// (we are root then) through `runuser`.
    static func run(_ program: String, _ arguments: [String], asUser user: String? = nil,
                    environment: [String: String]? = nil) throws -> Outcome {
        let argv = user.map { ["/usr/sbin/runuser", "-u", $0, "--", program] } ?? [program]
        let fullArguments = argv + arguments
        let capturePath = NSTemporaryDirectory() + "sparkify-run-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).out"
        let captureDescriptor = open(capturePath, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard captureDescriptor >= 0 else { throw spawnError(program, errno) }
        defer {
            close(captureDescriptor)
            unlink(capturePath)
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, captureDescriptor, 1)
        posix_spawn_file_actions_adddup2(&actions, captureDescriptor, 2)

        // Children start with default signal handling, whatever the caller ignores (SIGINT).
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGINT)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))

        let environmentList = (environment ?? ProcessInfo.processInfo.environment).map { "\($0.key)=\($0.value)" }
        let cArguments = fullArguments.map { strdup($0) } + [nil]
        let cEnvironment = environmentList.map { strdup($0) } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, fullArguments[0], &actions, &attributes, cArguments, cEnvironment)
        guard spawned == 0 else { throw spawnError(program, spawned) }

        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else { throw spawnError(program, errno) }
        }
        let output = (try? String(contentsOfFile: capturePath, encoding: .utf8)) ?? ""
        // WIFEXITED / WEXITSTATUS are macros Swift cannot import.
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return Outcome(status: exitStatus, output: output)
    }

    private static func spawnError(_ program: String, _ code: Int32) -> EmbeddedError {
        .commandFailed(command: program, output: String(cString: strerror(code)))
    }
}
