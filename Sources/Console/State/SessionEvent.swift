import PostgresClient
import Warehouse

/// What the engine tells the console. Posted by the workers, applied on the UI thread.
enum SessionEvent: Sendable {
    /// Something happening before the warehouse answers ("starting the embedded server").
    case connecting(String)
    /// The settings actually used: the panes show these, never a guess made before connecting.
    case connected(ServerInfo, ConnectionSettings)
    case connectionLost(String)
    case latency(Double)
    /// The Redshift cluster as DescribeClusters tells it (nil: there is none), with its cost.
    case clusterDescribed(ClusterDescription?, cost: ClusterCost?)
    /// A look at the cluster failed (keys expired, AWS unreachable): what the pane shows is old.
    case clusterLookFailed(String)
    /// A create, pause, resume or delete says what it does.
    case clusterNote(String)
    /// It ended; `problem` when it failed (in words, with what was made).
    case clusterActionEnded(problem: String?)
    /// `estimated`: Redshift's estimates (SVV_TABLE_INFO), not counts.
    case counts([(table: String, rows: Int?)], estimated: Bool = false)
    /// The names the editor completes, read again (after connecting, a step, a statement that changed something).
    case catalogRead(SchemaCatalog)
    case countsFailed(String)
    case log(LogLine.Level, String)
    /// The demo dataset being written on a first run.
    case demoWriting(DatasetGenerator.Progress, total: DatasetGenerator.Options)
    case demoReady
    /// The load reads from another source, or allows another error limit; `words` says the source.
    case loadConfigured(source: String?, words: String, maxErrors: Int)
    /// The runner is ready: the plan whose SQL the console shows, and the generator's suite
    /// beside the data (written by now on a first run of the embedded warehouse).
    case runnerReady(LoadPlan, generatedSuite: String?)
    /// Another load holds the load lock; the steps wait for it.
    case waitingForAnotherLoad(String)
    case stepStarted(LoadStep)
    case stepProgress(StepProgress)
    case stepFinished(StepOutcome)
    case stepFailed(LoadStep, message: String, cancelled: Bool)
    /// A run refused before its first step (a missing source folder): nothing ran, nothing changed.
    case runRefused(LoadStep, message: String)
    /// A run of one or more steps is over (finished, failed or cancelled).
    case runEnded
    /// Statement `index` of a run (counted from 0) was sent.
    case statementStarted(index: Int)
    /// Its rows begin: the store they stream into, which the grid reads as they land.
    case resultStarted(ResultRows)
    /// More rows landed (sent at once for the first, then at most every 50 ms).
    case rowsArrived
    case statementFinished(index: Int, rows: Int, commandTag: String, elapsed: Double, capped: Bool)
    case statementFailed(index: Int, QueryProblem, elapsed: Double)
    /// The query session is open: its server process.
    case querySessionOpened(pid: Int32)
    /// The query session's transaction after a statement.
    case transaction(TransactionState)
    /// A running step waits for locks these sessions hold (empty: it waits for none now).
    case stepWaiting(LoadStep, [LockHolder])
    /// The run of statements is over, however it ended.
    case statementsEnded(elapsed: Double)
    /// A suite to run was read (from a file) or given: its checks, before the first runs.
    case suiteLoaded(ValidationSuite)
    /// The suite file could not be read or parsed; nothing ran.
    case suiteUnreadable(String)
    case checkStarted(Int)
    case checkFinished(Int, CheckResult)
    case suiteEnded(cancelled: Bool)
    /// A sort finished: the display order for `rows`.
    case sorted(ResultRows, order: [UInt32], column: Int, descending: Bool)
    /// A search's next place; `matches`, when counted, every matching row's display position.
    /// The stored rows matching a filter term, in the order they were shown.
    case filtered(ResultRows, term: String, order: [UInt32])
    case found(ResultRows, term: String, at: (row: Int, column: Int)?, matches: [UInt32]?)
    /// The SQL file was written, or read (its text for the editor), or could not be.
    case sqlSaved(path: String)
    case sqlOpened(path: String, text: String)
    case sqlFileProblem(String)
    /// The file to save to exists: nothing was written; the user is asked whether to replace it.
    case saveWouldReplace(path: String)
    /// The export's file exists: nothing was written; the user is asked whether to replace it.
    case exportWouldReplace(path: String)
    case exportProgress(written: Int, total: Int?)
    case exportFinished(path: String, rows: Int, problem: String?)
}

/// Dollars an hour now and since the cluster was made.
struct ClusterCost: Sendable, Equatable {
    var hourly: Double
    var soFar: Double
}
