import Warehouse

/// The console's panes, in Tab order.
public enum Pane: Int, CaseIterable, Sendable {
    case cluster, tables, runner, query

    public var title: String {
        switch self {
        case .cluster: return "Cluster"
        case .tables: return "Tables"
        case .runner: return "ETL runner"
        case .query: return "Query"
        }
    }

    var scope: Scope {
        switch self {
        case .cluster: return .cluster
        case .tables: return .tables
        case .runner: return .runner
        case .query: return .query
        }
    }
}

/// One line of the runner's log.
public struct LogLine: Equatable, Sendable {
    public enum Level: Sendable { case info, notice, warning, error }
    public var level: Level
    public var text: String
}

/// What the cluster pane shows. Built from the settings and the server's answers; it has no
/// place for a password.
public struct ClusterStatus: Sendable {
    public enum State: Equatable, Sendable {
        case connecting(String)
        case connected
        case lost(String)
    }

    public var kind: String
    public var server: ServerInfo?
    public var state: State = .connecting("starting")
    /// Seconds for one round trip, the last one measured.
    public var latency: Double?

    public var place = "—", port = "—", database = "—", user = "—"

    /// `settings` when they are known before connecting (a dwh.cfg); the embedded server's are
    /// known once it has started.
    public init(kind: String, settings: ConnectionSettings?) {
        self.kind = kind
        if let settings { show(settings) }
    }

    mutating func show(_ settings: ConnectionSettings) {
        place = settings.host ?? "(libpq default)"
        port = settings.port.map(String.init) ?? "default"
        database = settings.database ?? "—"
        user = settings.user ?? "—"
    }
}

/// One step of the load as the runner pane shows it.
public struct StepRow: Sendable {
    public enum State: String, Sendable { case waiting, running, done, failed, cancelled }
    public var step: LoadStep
    public var state: State = .waiting
    public var rows: Int?
    public var elapsed: Double?
    public var copy: CopyProgress?
    public var rejected = 0
    public var startedAt: Double?
}

/// The query pane: a one-line editor and a plain result list (the full editor and the
/// streaming grid build on this).
public struct QueryState: Sendable {
    public var text: [Character] = []
    public var cursor = 0
    public var running = false
    public var startedAt: Double?
    public var columns: [Column] = []
    public var rows: [[String?]] = []
    public var scroll = 0
    /// The last run's summary ("3 rows in 12 ms") or its error.
    public var message: String?
    public var failed = false
    /// Zero-based character offset in `text` where the server says the error is.
    public var errorOffset: Int?
}

/// A window over everything: help, a step's SQL, or the quit question.
public enum Overlay: Sendable {
    case help(scroll: Int)
    case sql(title: String, lines: [String], scroll: Int)
    case confirmQuit(String)
}

/// Everything the console shows. Only the UI thread touches it; engine events and keys change
/// it, and the panes draw from it.
public struct ConsoleState: Sendable {
    /// sparkify's version, for the title line.
    public var version: String
    public var cluster: ClusterStatus
    public var counts: [(table: String, rows: Int?)] = TableCounts.watched.map { ($0.qualifiedName, nil) }
    public var countsKnown = false
    public var countsProblem: String?
    public var steps: [StepRow] = LoadStep.all.map { StepRow(step: $0) }
    public var selectedStep = 0
    public var running = false
    public var demo: (written: DatasetGenerator.Progress, total: DatasetGenerator.Options)?
    public var plan: LoadPlan?
    public var log: [LogLine] = []
    public var query = QueryState()
    public var focus: Pane = .runner
    public var zoomed = false
    public var overlay: Overlay?
    public var quitting = false

    public init(version: String, cluster: ClusterStatus) {
        self.version = version
        self.cluster = cluster
    }

    /// The longest log kept; older lines scroll away.
    static let logLimit = 500

    mutating func append(_ level: LogLine.Level, _ text: String) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
            log.append(LogLine(level: level, text: String(line)))
        }
        if log.count > Self.logLimit { log.removeFirst(log.count - Self.logLimit) }
    }

    var scope: Scope {
        switch overlay {
        case .help: return .help
        case .sql: return .sqlView
        case .confirmQuit: return .confirm
        case nil: return focus.scope
        }
    }

    /// What is running now, in words, for the quit question; nil when nothing is.
    var workInFlight: String? {
        var work: [String] = []
        if let step = steps.first(where: { $0.state == .running }) { work.append(step.step.description) }
        else if running { work.append("a load") }
        if query.running { work.append("a query") }
        return work.isEmpty ? nil : work.joined(separator: " and ")
    }
}
