import Foundation

/// Runs helper programs with `posix_spawn` and `waitpid`.
///
/// Not Foundation's `Process`: on Linux its exit watch never fires once a child has left a
/// PostgreSQL server running behind it (`pg_ctl start`, or `sparkify` itself), and the caller
/// hangs. Output goes to temporary files rather than pipes, which such a server could hold open.
public enum ProcessRunner {
    public struct Outcome: Sendable {
        public var status: Int32
        /// Standard output, and standard error too unless it was kept apart.
        public var output: String
        public var errors: String
    }

    /// A started program; `wait()` reaps it and reads what it wrote.
    public final class Running {
        public let pid: pid_t
        private let outputPath: String
        private let errorPath: String?

        fileprivate init(pid: pid_t, outputPath: String, errorPath: String?) {
            self.pid = pid
            self.outputPath = outputPath
            self.errorPath = errorPath
        }

        public func signal(_ number: Int32) { kill(pid, number) }

        /// What the process has written to stderr so far (when kept apart from stdout).
        public func errorsSoFar() -> String {
            errorPath.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? ""
        }

        public func wait() throws -> Outcome {
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 {
                guard errno == EINTR else { throw ProcessRunner.spawnError("waitpid", errno) }
            }
            defer {
                unlink(outputPath)
                if let errorPath { unlink(errorPath) }
            }
            // WIFEXITED / WEXITSTATUS are macros Swift cannot import.
            let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
            return Outcome(
                status: exitStatus,
                output: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
                errors: errorPath.flatMap { try? String(contentsOfFile: $0, encoding: .utf8) } ?? "")
        }
    }

    /// `program` is a path, or a name looked up in PATH. `asUser` runs it as that system user
    /// (we are root then) through `runuser`.
    public static func run(
        _ program: String, _ arguments: [String], asUser user: String? = nil,
        environment: [String: String]? = nil
    ) throws -> Outcome {
        try start(program, arguments, asUser: user, environment: environment).wait()
    }

    public static func start(
        _ program: String, _ arguments: [String], asUser user: String? = nil,
        environment: [String: String]? = nil,
        separateErrors: Bool = false
    ) throws -> Running {
        let argv = (user.map { ["/usr/sbin/runuser", "-u", $0, "--", program] } ?? [program]) + arguments
        let stem = NSTemporaryDirectory() + "sparkify-run-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let outputPath = stem + ".out"
        let errorPath = separateErrors ? stem + ".err" : nil

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        if let errorPath {
            posix_spawn_file_actions_addopen(&actions, 2, errorPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        } else {
            posix_spawn_file_actions_adddup2(&actions, 1, 2)
        }

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
        let cArguments = argv.map { strdup($0) } + [nil]
        let cEnvironment = environmentList.map { strdup($0) } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, argv[0], &actions, &attributes, cArguments, cEnvironment)
        guard spawned == 0 else { throw spawnError(program, spawned) }
        return Running(pid: pid, outputPath: outputPath, errorPath: errorPath)
    }

    fileprivate static func spawnError(_ program: String, _ code: Int32) -> EmbeddedError {
        .commandFailed(command: program, output: String(cString: strerror(code)))
    }
}
