import PostgresClient
import Warehouse

/// The console's panes, in Tab order.
enum Pane: Int, CaseIterable, Sendable {
    case cluster, tables, runner, query, results

    var title: String {
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
struct LogLine: Equatable, Sendable {
    enum Level: Sendable { case info, notice, warning, error }
    var level: Level
    var text: String
}

/// Which kind of warehouse the console works on.
public enum TargetKind: Sendable {
    /// The local PostgreSQL server sparkify runs itself.
    case embedded
    case postgres
    case redshift
    /// The Redshift plan on the embedded server (`--rehearse`): no cluster to watch or cost.
    case rehearsal

    var title: String {
        switch self {
        case .embedded: return "embedded"
        case .postgres: return "PostgreSQL"
        case .redshift: return "Redshift"
        case .rehearsal: return "Redshift rehearsal"
        }
    }
}

/// What the cluster pane shows. Built from the settings and the server's answers; it has no
/// place for a password.
struct ClusterStatus: Sendable {
    enum State: Equatable, Sendable {
        case connecting(String)
        case connected
        case lost(String)
    }

    var kind: TargetKind
    var server: ServerInfo?
    var state: State = .connecting("starting")
    /// Seconds for one round trip, the last one measured.
    var latency: Double?

    var place = "—", port = "—", database = "—", user = "—"
    /// The Redshift cluster's life, when dwh.cfg's `[DWH]` names one (and keys were found).
    var life: ClusterLife?
    /// `[DWH] DWH_NODE_TYPE` and `DWH_NUM_NODES` from dwh.cfg: what the cluster was asked to be.
    var nodeType: String?
    var configuredNodes: Int?

    /// `settings` when they are known before connecting (a dwh.cfg); the embedded server's are
    /// known once it has started.
    init(kind: TargetKind, settings: ConnectionSettings?, nodeType: String? = nil, configuredNodes: Int? = nil) {
        self.kind = kind
        self.nodeType = nodeType
        self.configuredNodes = configuredNodes
        if let settings { show(settings) }
    }

    /// "4 × dc2.large, 8 slices": the server's node count with the configured type; nil when
    /// neither the server nor dwh.cfg says anything (PostgreSQL).
    var nodesText: String? {
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

/// The cluster as `DescribeClusters` last told it, and what the console is doing to it.
struct ClusterLife: Sendable {
    var identifier: String
    var region: String
    var priceOverride: Double?
    /// Nil until the first look, and when there is no cluster.
    var description: ClusterDescription?
    var looked = false
    /// When it was described (monotonic), so the cost so far can tick on between looks.
    var describedAt = 0.0
    var costAtLook: (hourly: Double, soFar: Double)?
    /// A create, pause, resume or delete under way, in words.
    var busy: String?
    /// Why the last look failed; the state shown is then the one before.
    var lookProblem: String?
    /// When the warehouse was last used from here (a query, a step, a suite; monotonic).
    var lastUsed = 0.0
    var lastLook = -Double.infinity

    /// Dollars so far, ticking between looks at the hourly rate.
    func costSoFar(now: Double) -> Double? {
        costAtLook.map { $0.soFar + $0.hourly * max(0, now - describedAt) / 3600 }
    }
}

/// One step of the load as the runner pane shows it.
struct StepRow: Sendable {
    enum State: String, Sendable { case waiting, running, done, failed, cancelled }
    var step: LoadStep
    var state: State = .waiting
    var rows: Int?
    var elapsed: Double?
    var copy: CopyProgress?
    var rejected = 0
    var startedAt: Double?
}

/// A window over everything: help, text to read (a step's SQL, a whole cell), the suite
/// picker, or the quit question.
enum Overlay: Sendable {
    case help(scroll: Int)
    case text(title: String, lines: [String], scroll: Int)
    /// A result drawn as bars; scrolled like the text viewer.
    case chart(BarChart, scroll: Int)
    /// EXPLAIN's answer as a tree, the costliest node marked.
    case plan(QueryPlan, scroll: Int)
    /// The star schema drawn from the catalog.
    case star(StarDiagram)
    case suites(SuiteChoices)
    case confirmQuit(String)
    /// Steps that would empty tables holding rows (drop, create), waiting for a yes.
    case confirmRun([LoadStep])
}

/// A line of input asked for in the status line: a search term, an export path, a suite file.
struct Prompt: Sendable {
    enum Purpose: Equatable, Sendable {
        case search
        case filter
        /// `replacing`: the file exists and the user is asked whether to replace it.
        case export(replacing: Bool)
        case suiteFile
        /// The folder or s3:// prefix the copy steps read.
        case source
        /// Bad records a copy may skip.
        case errorLimit
        /// The address range a new cluster's port opens to.
        case clusterAllowFrom
        /// The cluster's identifier, typed to confirm its deletion.
        case clusterDelete
        /// Where to save the editor's SQL; `replacing` when the file exists and the user is asked.
        case saveSQL(replacing: Bool)
        /// A file of SQL to open.
        case openSQL
    }
    var purpose: Purpose
    var label: String
    var text: [Character]
    var cursor: Int

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
struct ConsoleState: Sendable {
    /// sparkify's version, for the title line.
    var version: String
    var cluster: ClusterStatus
    var counts: [(table: String, rows: Int?)] = TableCounts.watched.map { ($0.qualifiedName, nil) }
    /// The names the editor completes; nil until the monitor has read them.
    var catalog: SchemaCatalog?
    var countsKnown = false
    /// The counts are Redshift's estimates (SVV_TABLE_INFO), not counts: the pane says so.
    var countsEstimated = false
    /// The table selected in the Tables pane (an index into `counts`).
    var selectedTable = 0
    var countsProblem: String?
    var steps: [StepRow] = LoadStep.all.map { StepRow(step: $0) }
    var selectedStep = 0
    var running = false
    var demo: (written: DatasetGenerator.Progress, total: DatasetGenerator.Options)?
    var plan: LoadPlan?
    var log: [LogLine] = []
    var query: QueryState
    var result = ResultState()
    var prompt: Prompt?
    var focus: Pane = .runner
    var zoomed = false
    var overlay: Overlay?
    var quitting = false
    /// The terminal's size, for the panes' geometry (keys that page or scroll ask it).
    var size = ScreenSize(rows: 24, cols: 80)
    /// What the reducer may know of the world without asking it (read once at start).
    var environment: ConsoleEnvironment
    /// The load's options as the session has them: `--source` (nil: the configured or demo
    /// data) and the error limit. Keys change them without a restart.
    var loadSource: String?
    var maxErrors = 0
    /// Another load holds the load lock, in words; the run waits for it.
    var otherLoad: String?
    /// For each running step that waits on locks, the sessions holding them.
    var lockHolders: [LoadStep: [LockHolder]] = [:]
    /// The query editor's server process, to name its transaction when it blocks a step.
    var querySessionPID: Int32?
    /// When the monitor last measured the round trip (monotonic seconds).
    var lastPing = -Double.infinity

    init(
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
            queryFirst: focus == .query || focus == .results, editorLines: query.editor.lines.count,
            clusterLines: cluster.life == nil ? 0 : 2)
    }

    var scope: Scope {
        if prompt != nil { return .prompt }
        switch overlay {
        case .help: return .help
        case .text, .chart, .plan, .star: return .viewer
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
struct ScreenSize: Equatable, Sendable {
    var rows: Int
    var cols: Int
}

/// Facts from outside the console that keys need, read once when it starts so the reducer
/// never touches the file system or the environment: where relative paths start, what `~`
/// means, and whether the generator left a suite beside the data.
struct ConsoleEnvironment: Sendable {
    var workingDirectory: String
    /// `$HOME`, for `~` in a typed path.
    var home: String
    /// The generator's `expected.sql` beside the data a copy reads, if there is one.
    var generatedSuite: String?
    /// The folder (or s3:// prefix) the copy steps read, in words for the runner pane.
    var source: String
    /// Inside tmux (`$TMUX`): a clipboard copy reaches the outer terminal only with set-clipboard.
    var inTmux = false

    init(
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
