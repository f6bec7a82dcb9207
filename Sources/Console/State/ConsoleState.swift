import Warehouse

/// The console's panes, in Tab order.
public enum Pane: Int, CaseIterable, Sendable {
    case cluster, tables, runner, query, results

    public var title: String {
        switch self {
        case .cluster: return "Cluster"
        case .tables: return "Tables"
        case .runner: return "ETL runner"
        case .query: return "Query"
        case .results: return "Result"
        }
    }

    var scope: Scope {
        switch self {
        case .cluster: return .cluster
        case .tables: return .tables
        case .runner: return .runner
        case .query: return .query
        case .results: return .results
        }
    }
}

/// One line of the runner's log.
public struct LogLine: Equatable, Sendable {
    public enum Level: Sendable { case info, notice, warning, error }
    public var level: Level
    public var text: String
}

/// Which kind of warehouse the console works on.
public enum TargetKind: Sendable {
    /// The local PostgreSQL server sparkify runs itself.
    case embedded
    case postgres
    case redshift

    public var title: String {
        switch self {
        case .embedded: return "embedded"
        case .postgres: return "PostgreSQL"
        case .redshift: return "Redshift"
        }
    }
}

/// What the cluster pane shows. Built from the settings and the server's answers; it has no
/// place for a password.
public struct ClusterStatus: Sendable {
    public enum State: Equatable, Sendable {
        case connecting(String)
        case connected
        case lost(String)
    }

    public var kind: TargetKind
    public var server: ServerInfo?
    public var state: State = .connecting("starting")
    /// Seconds for one round trip, the last one measured.
    public var latency: Double?

    public var place = "—", port = "—", database = "—", user = "—"
    /// `[DWH] DWH_NODE_TYPE` and `DWH_NUM_NODES` from dwh.cfg: what the cluster was asked to be.
    public var nodeType: String?
    public var configuredNodes: Int?

    /// `settings` when they are known before connecting (a dwh.cfg); the embedded server's are
    /// known once it has started.
    public init(kind: TargetKind, settings: ConnectionSettings?, nodeType: String? = nil, configuredNodes: Int? = nil) {
        self.kind = kind
        self.nodeType = nodeType
        self.configuredNodes = configuredNodes
        if let settings { show(settings) }
    }

    /// "4 × dc2.large, 8 slices": the server's node count with the configured type; nil when
    /// neither the server nor dwh.cfg says anything (PostgreSQL).
    public var nodesText: String? {
        let count = server?.nodes ?? configuredNodes
        guard count != nil || nodeType != nil else { return nil }
        var text = count.map { "\($0) × " } ?? ""
        text += nodeType ?? "nodes"
        if let slices = server?.slices { text += ", \(slices) slices" }
        if server?.nodes == nil { text += " (dwh.cfg)" }
        return text
    }

    mutating func show(_ settings: ConnectionSettings) {
        place = settings.host ?? "(libpq default)"
        // A Unix socket (a host that is a folder) has no port to speak of, only a socket file name.
        if place.hasPrefix("/") {
            port = "socket .s.PGSQL.\(settings.port ?? 5432)"
        } else {
            port = settings.port.map(String.init) ?? "default"
        }
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

/// A window over everything: help, text to read (a step's SQL, a whole cell), the suite
/// picker, or the quit question.
public enum Overlay: Sendable {
    case help(scroll: Int)
    case text(title: String, lines: [String], scroll: Int)
    case suites(SuiteChoices)
    case confirmQuit(String)
    /// Steps that would empty tables holding rows (drop, create), waiting for a yes.
    case confirmRun([LoadStep])
}

/// A line of input asked for in the status line: a search term, an export path, a suite file.
public struct Prompt: Sendable {
    public enum Purpose: Equatable, Sendable {
        case search
        /// `replacing`: the file exists and the user is asked whether to replace it.
        case export(replacing: Bool)
        case suiteFile
        /// The folder or s3:// prefix the copy steps read.
        case source
        /// Bad records a copy may skip.
        case errorLimit
    }
    public var purpose: Purpose
    public var label: String
    public var text: [Character]
    public var cursor: Int

    init(_ purpose: Purpose, label: String, text: String = "") {
        // A label says what the prompt is for; the purpose decides what Enter does.
        self.purpose = purpose
        self.label = label
        self.text = Array(text)
        cursor = self.text.count
    }

    mutating func type(_ character: Character) {
        text.insert(character, at: cursor)
        cursor += 1
    }
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
    public var query: QueryState
    public var result = ResultState()
    public var prompt: Prompt?
    public var focus: Pane = .runner
    public var zoomed = false
    public var overlay: Overlay?
    public var quitting = false
    /// The terminal's size, for the panes' geometry (keys that page or scroll ask it).
    public var size = ScreenSize(rows: 24, cols: 80)
    /// What the reducer may know of the world without asking it (read once at start).
    public var environment: ConsoleEnvironment
    /// The load's options as the session has them: `--source` (nil: the configured or demo
    /// data) and the error limit. Keys change them without a restart.
    public var loadSource: String?
    public var maxErrors = 0
    /// The sessions holding the locks the running step waits for (empty: it waits for none).
    public var lockHolders: [LockHolder] = []
    /// The query editor's server process, to name its transaction when it blocks a step.
    public var querySessionPID: Int32?
    /// When the monitor last measured the round trip (monotonic seconds).
    var lastPing = -Double.infinity

    public init(
        version: String, cluster: ClusterStatus, history: QueryHistory = QueryHistory(path: nil),
        environment: ConsoleEnvironment = ConsoleEnvironment()
    ) {
        self.version = version
        self.cluster = cluster
        self.environment = environment
        query = QueryState(history: history)
    }

    /// The longest log kept; older lines scroll away.
    static let logLimit = 500

    mutating func append(_ level: LogLine.Level, _ text: String) {
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
            log.append(LogLine(level: level, text: String(line)))
        }
        if log.count > Self.logLimit { log.removeFirst(log.count - Self.logLimit) }
    }

    /// The panes' places for a screen size: the editor and grid get the room while one of
    /// them has the focus.
    var layout: Layout {
        Layout(
            rows: size.rows, cols: size.cols, zoomed: zoomed ? focus : nil,
            queryFirst: focus == .query || focus == .results, editorLines: query.editor.lines.count)
    }

    var scope: Scope {
        if prompt != nil { return .prompt }
        switch overlay {
        case .help: return .help
        case .text: return .viewer
        case .suites: return .picker
        case .confirmQuit: return .confirm
        case .confirmRun: return .confirmRun
        case nil: return focus == .results && result.mode == .checks ? .checks : focus.scope
        }
    }

    /// Whether the loop should wake for timers (a step, query, demo, sort or export under way).
    var isBusy: Bool {
        running || query.running || demo != nil || result.busy != nil || result.export?.finished == false
    }

    /// What is running now, in words, for the quit question; nil when nothing is.
    var workInFlight: String? {
        var work: [String] = []
        if let step = steps.first(where: { $0.state == .running }) { work.append(step.step.description) } else if running { work.append("a load") }
        if query.running { work.append(result.mode == .checks ? "a validation suite" : "a query") }
        if result.export?.finished == false { work.append("an export") }
        return work.isEmpty ? nil : work.joined(separator: " and ")
    }
}

/// A terminal size in character cells.
public struct ScreenSize: Equatable, Sendable {
    public var rows: Int
    public var cols: Int
    public init(rows: Int, cols: Int) {
        self.rows = rows
        self.cols = cols
    }
}

/// Facts from outside the console that keys need, read once when it starts so the reducer
/// never touches the file system or the environment: where relative paths start, what `~`
/// means, and whether the generator left a suite beside the data.
public struct ConsoleEnvironment: Sendable {
    public var workingDirectory: String
    /// `$HOME`, for `~` in a typed path.
    public var home: String
    /// The generator's `expected.sql` beside the data a copy reads, if there is one.
    public var generatedSuite: String?
    /// The folder (or s3:// prefix) the copy steps read, in words for the runner pane.
    public var source: String

    public init(
        workingDirectory: String = "/", home: String = "/", generatedSuite: String? = nil,
        source: String = "the demo dataset"
    ) {
        self.workingDirectory = workingDirectory
        self.home = home
        self.generatedSuite = generatedSuite
        self.source = source
    }

    /// A typed path made absolute: `~` is `$HOME`, a relative path starts in the working folder.
    func resolve(_ path: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst() }
        if path.hasPrefix("/") { return path }
        return workingDirectory + "/" + path
    }
}
