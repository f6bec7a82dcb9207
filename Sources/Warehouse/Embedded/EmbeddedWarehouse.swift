import Foundation
import PostgresClient

/// The local PostgreSQL server sparkify runs for itself when no cluster is configured.
///
/// It lives in `$XDG_DATA_HOME/sparkify` (`~/.local/share/sparkify`; `/var/lib/sparkify` for root)
/// and listens on a Unix socket in a private directory only: no TCP port, so nothing else on the
/// machine can reach it and no port can clash. Authentication is `trust` because the socket
/// directory itself (mode 0700) is the gate. The server keeps running after sparkify exits, so
/// the next command starts at once; `sparkify local stop` ends it.
public final class EmbeddedWarehouse: @unchecked Sendable {
    public static let databaseName = "sparkify"
    public static let superuser = "sparkify"
    static let port = 5432

    public let home: String
    public var dataDirectory: String { home + "/warehouse" }
    public var logFile: String { home + "/server.log" }
    var lockFile: String { home + "/warehouse.lock" }
    public let socketDirectory: String
    /// The system user the server runs as when we are root (PostgreSQL refuses to run as root).
    let serverUser: ServerUser?
    let binaries: ServerBinaries

    public enum StartOutcome: Equatable, Sendable {
        case initializedAndStarted, started, alreadyRunning
    }

    public struct Status: Equatable, Sendable {
        public var initialized: Bool
        public var pid: Int32?
        public var dataDirectory: String
        public var socketDirectory: String
        public var running: Bool { pid != nil }
    }

    public init(home: String? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let home = home ?? Self.defaultHome(environment: environment)
        self.home = home
        binaries = try ServerBinaries.locate(environment: environment)
        serverUser = geteuid() == 0 ? try ServerUser.postgres() : nil
        socketDirectory = Self.socketDirectory(for: home)
    }

    public static func defaultHome(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") { return xdg + "/sparkify" }
        if geteuid() == 0 { return "/var/lib/sparkify" }
        let userHome = environment["HOME"] ?? NSHomeDirectory()
        return userHome + "/.local/share/sparkify"
    }

    /// A socket path must fit in `sun_path` (107 bytes); a deep home falls back to a short
    /// private directory under /tmp named after the home.
    static func socketDirectory(for home: String) -> String {
        let preferred = home + "/run"
        if preferred.utf8.count + "/.s.PGSQL.\(port)".utf8.count <= 100 { return preferred }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in home.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return "/tmp/sparkify-\(geteuid())-" + String(hash, radix: 16)
    }

    /// How to reach the server once it runs.
    public var connectionSettings: ConnectionSettings {
        ConnectionSettings(
            host: socketDirectory, port: Self.port, database: Self.databaseName,
            user: Self.superuser, sslMode: "disable")
    }

    public var isInitialized: Bool { FileManager.default.fileExists(atPath: dataDirectory + "/PG_VERSION") }

    var serverProcess: ServerProcess { ServerProcess(pidFile: dataDirectory + "/postmaster.pid") }

    public func status() -> Status {
        Status(
            initialized: isInitialized, pid: serverProcess.runningPID(),
            dataDirectory: dataDirectory, socketDirectory: socketDirectory)
    }

    /// Starts the server, creating the cluster on first use. Safe to call when it already runs,
    /// from several processes at once, and after a crash left a stale pid file.
    @discardableResult
    public func start(progress: (String) -> Void = { _ in }) throws -> StartOutcome {
        try prepareDirectories()
        let lock = try ServerLock(path: lockFile)
        defer { withExtendedLifetime(lock) {} }

        var outcome = StartOutcome.started
        if !isInitialized {
            progress("creating the embedded warehouse in \(dataDirectory)")
            try initialize()
            outcome = .initializedAndStarted
        }
        try writeServerSettings()
        if serverProcess.runningPID() != nil, waitUntilAccepting(seconds: 30) {
            try ensureDatabase()
            return .alreadyRunning
        }
        progress("starting the embedded PostgreSQL server")
        try launch()
        try ensureDatabase()
        return outcome
    }

    /// Stops the server if it runs. Returns false when there was nothing to stop.
    @discardableResult
    public func stop() throws -> Bool {
        guard isInitialized else { return false }
        let lock = try ServerLock(path: lockFile)
        defer { withExtendedLifetime(lock) {} }
        guard serverProcess.runningPID() != nil else {
            serverProcess.removeIfStale()
            return false
        }
        let outcome = try runServerProgram(binaries.pgCtl, ["stop", "-D", dataDirectory, "-m", "fast", "-w", "-t", "60", "-s"])
        guard outcome.status == 0 else {
            throw EmbeddedError.commandFailed(command: "pg_ctl stop", output: outcome.output)
        }
        return true
    }

    // MARK: - Steps of start

    private func prepareDirectories() throws {
        let files = FileManager.default
        // Under root the home must be passable by the server user; otherwise it is private.
        try files.createDirectory(atPath: home, withIntermediateDirectories: true)
        chmod(home, serverUser == nil ? 0o700 : 0o755)
        try serverUser?.checkCanReach(home)
        try files.createDirectory(atPath: socketDirectory, withIntermediateDirectories: true)
        chmod(socketDirectory, 0o700)
        if !files.fileExists(atPath: logFile) { _ = files.createFile(atPath: logFile, contents: nil) }
        chmod(logFile, 0o600)
        try serverUser?.takeOwnership(of: [socketDirectory, logFile])
    }

    /// initdb into a fresh directory beside the final one, then rename: a cluster half-made by
    /// an interrupted first run is never mistaken for a good one.
    private func initialize() throws {
        let scratch = dataDirectory + ".initdb"
        try? FileManager.default.removeItem(atPath: scratch)
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: false)
        chmod(scratch, 0o700)
        try serverUser?.takeOwnership(of: [scratch])
        let outcome = try runServerProgram(
            binaries.initdb,
            [
                "-D", scratch, "-U", Self.superuser, "--auth-local=trust", "--auth-host=reject",
                "--encoding=UTF8", "--locale=C", "--no-instructions",
            ])
        guard outcome.status == 0 else {
            try? FileManager.default.removeItem(atPath: scratch)
            throw EmbeddedError.commandFailed(command: "initdb", output: outcome.output)
        }
        let include = "\n# sparkify: its own settings, rewritten at every start\ninclude_if_exists = 'sparkify.conf'\n"
        let conf = try FileHandle(forWritingTo: URL(fileURLWithPath: scratch + "/postgresql.conf"))
        try conf.seekToEnd()
        try conf.write(contentsOf: Data(include.utf8))
        try conf.close()
        try? FileManager.default.removeItem(atPath: dataDirectory)
        try FileManager.default.moveItem(atPath: scratch, toPath: dataDirectory)
    }

    /// Settings that may change between versions of sparkify, so written at each start.
    private func writeServerSettings() throws {
        let quotedSocket = socketDirectory.replacingOccurrences(of: "'", with: "''")
        let settings = """
            # Written by sparkify at each start; edits here are lost.
            listen_addresses = ''
            port = \(Self.port)
            unix_socket_directories = '\(quotedSocket)'
            unix_socket_permissions = 0700
            # Each console holds four sessions (runner, editor, monitor, exports); several consoles
            # and loads at once must not run out.
            max_connections = 200
            # A warehouse for bulk loads on one machine: larger WAL between checkpoints, and commits
            # that do not wait for the disk (a crash may lose the last instant, never corrupts).
            max_wal_size = '4GB'
            checkpoint_timeout = '15min'
            synchronous_commit = off
            shared_buffers = '256MB'
            work_mem = '64MB'
            maintenance_work_mem = '256MB'

            """
        let path = dataDirectory + "/sparkify.conf"
        // Written only when they change: every command starts here, and a full disk must not
        // lock the user out of a server that runs.
        if let current = FileManager.default.contents(atPath: path), current == Data(settings.utf8) { return }
        do {
            try settings.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            throw EmbeddedError.diskProblem(path: path, underlying: error)
        }
        try serverUser?.takeOwnership(of: [path])
    }

    private func launch() throws {
        // A server killed hard leaves its children for a moment, still holding shared memory:
        // the new postmaster refuses until they are gone, so try again for a while.
        var attempts = 0
        while true {
            attempts += 1
            serverProcess.removeIfStale()
            let logSize = (try? FileManager.default.attributesOfItem(atPath: logFile))?[.size] as? Int ?? 0
            let outcome = try runServerProgram(
                binaries.pgCtl,
                [
                    "start", "-D", dataDirectory, "-l", logFile, "-w", "-t", "60", "-s",
                ])
            if outcome.status == 0 { return }
            let log = logTail(from: logSize)
            let transient =
                log.contains("still in use") || log.contains("already exists")
                || log.contains("could not bind")
            if serverProcess.runningPID() != nil, waitUntilAccepting(seconds: 30) { return }
            if !transient || attempts >= 20 {
                throw EmbeddedError.startFailed(log: log.isEmpty ? outcome.output : log, logPath: logFile)
            }
            usleep(500_000)
        }
    }

    private func ensureDatabase() throws {
        var settings = connectionSettings
        settings.database = "postgres"
        let connection = try Connection(settings)
        defer { connection.close() }
        let exists = try connection.execute("select 1 from pg_database where datname = $1", [Self.databaseName])
        if exists.rows.isEmpty {
            try connection.execute("create database \(Self.databaseName)")
        }
    }

    private func waitUntilAccepting(seconds: Int) -> Bool {
        var settings = connectionSettings
        settings.database = "postgres"
        for _ in 0..<(seconds * 10) {
            if Connection.ping(settings) { return true }
            usleep(100_000)
        }
        return false
    }

    private func logTail(from offset: Int) -> String {
        guard let handle = FileHandle(forReadingAtPath: logFile) else { return "" }
        defer { try? handle.close() }
        try? handle.seek(toOffset: UInt64(offset))
        let text = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        return text.split(separator: "\n").suffix(20).joined(separator: "\n")
    }

    private func runServerProgram(_ program: String, _ arguments: [String]) throws -> ProcessRunner.Outcome {
        var environment = ProcessInfo.processInfo.environment
        // The server must take its settings from its own files, not from a user's PG* variables.
        for key in environment.keys where key.hasPrefix("PG") { environment.removeValue(forKey: key) }
        return try ProcessRunner.run(program, arguments, asUser: serverUser?.name, environment: environment)
    }
}
