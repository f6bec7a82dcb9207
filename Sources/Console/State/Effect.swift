import Warehouse

/// What the state asks the world to do after a key: the session performs these (database work,
/// files), and what comes of them returns as `SessionEvent`s. The reducer itself does no I/O.
enum Effect: Sendable {
    /// Connect every session (starting the embedded server when it is the target).
    case connect
    /// Drop every connection and open them again.
    case reconnect
    /// Measure one round trip on the monitor's session.
    case ping
    case refreshCounts
    /// Run these load steps in order, stopping at the first that fails.
    case runSteps([LoadStep])
    /// Cancel the running step on the server; no further step starts.
    case cancelSteps
    /// Run statements in order on the query session, stopping at the first that fails.
    case runStatements([String])
    case cancelQuery
    /// Keep a statement in the history file (already redacted).
    case appendHistory(String)
    /// Keep the editor's text for the next session (already redacted), beside the history.
    case keepEditorText(String)
    case runSuite(SuiteSource)
    /// Sort `rows` by a column; the order comes back as `.sorted`.
    case sort(ResultRows, column: Int, descending: Bool)
    /// Find `term` from display position `from`; the place comes back as `.found`, with every
    /// match counted when `counting`.
    case find(String, in: ResultRows, from: Int, order: [UInt32]?, backwards: Bool, counting: Bool)
    /// The rows (in display order `order`) with a cell containing `term`; they come back as `.filtered`.
    case filter(String, in: ResultRows, order: [UInt32]?)
    /// Write the result to `path`; an existing file is replaced only when `replacing`.
    case export(ResultRows, order: [UInt32]?, sql: String?, capped: Bool, path: String, replacing: Bool)
    case cancelExport
    /// Write the editor's SQL to `path`; an existing file is replaced only when `replacing`.
    case saveSQL(String, path: String, replacing: Bool)
    /// Read a file of SQL; it comes back as `.sqlOpened`.
    case openSQL(path: String)
    /// Put text on the terminal's clipboard (OSC 52); the loop does it, it is the terminal's.
    case copyToClipboard(String)
    /// Look at the Redshift cluster (DescribeClusters); the answer comes back as `.clusterDescribed`.
    case describeCluster
    /// Change the cluster's life; notes come back as `.clusterNote`, the end as `.clusterActionEnded`.
    case clusterAction(ClusterAction)
    /// Load from another source, or with another error limit: the runner is prepared again.
    case configureLoad(source: String?, maxErrors: Int)
}

/// What the Cluster pane's keys do to the Redshift cluster.
enum ClusterAction: Sendable, Equatable {
    case create(allowFrom: String?)
    case pause
    case resume
    case delete
}
