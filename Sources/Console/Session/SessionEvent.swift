import Warehouse

/// What the engine tells the console. Posted by the workers, applied on the UI thread.
enum SessionEvent {
    /// Something happening before the warehouse answers ("starting the embedded server").
    case connecting(String)
    /// The settings actually used: the panes show these, never a guess made before connecting.
    case connected(ServerInfo, ConnectionSettings)
    case connectionLost(String)
    case latency(Double)
    case counts([(table: String, rows: Int?)])
    case countsFailed(String)
    case log(LogLine.Level, String)
    /// The demo dataset being written on a first run.
    case demoWriting(DatasetGenerator.Progress, total: DatasetGenerator.Options)
    case demoReady
    /// The runner is ready: the plan whose SQL the console shows.
    case runnerReady(LoadPlan)
    case stepStarted(LoadStep)
    case stepProgress(StepProgress)
    case stepFinished(StepOutcome)
    case stepFailed(LoadStep, message: String, cancelled: Bool)
    /// A run refused before its first step (a missing source folder): nothing ran, nothing changed.
    case runRefused(LoadStep, message: String)
    /// A run of one or more steps is over (finished, failed or cancelled).
    case runEnded
    case queryColumns([Column])
    case queryRows([[String?]])
    case queryFinished(rows: Int, commandTag: String, elapsed: Double, capped: Bool)
    case queryFailed(QueryProblem, elapsed: Double)
}

/// A failed query, with what the editor needs to mark the place.
struct QueryProblem: Equatable {
    var message: String
    /// One-based character position in the query text, as the server gives it.
    var position: Int?
    var cancelled: Bool
}
