import PostgresClient

/// Who holds the locks a session waits for: PostgreSQL's `pg_blocking_pids`, with each
/// holder's state, how long its transaction has been open, and what it ran last. Read from a
/// second session while a step runs, so a step that seems to hang says why.
public struct LockHolder: Sendable, Equatable {
    public var pid: Int32
    /// `idle in transaction`, `active`…
    public var state: String
    /// Seconds since the holder's transaction began.
    public var transactionSeconds: Double
    /// The start of the holder's last statement.
    public var query: String

    public init(pid: Int32, state: String, transactionSeconds: Double, query: String) {
        self.pid = pid
        self.state = state
        self.transactionSeconds = transactionSeconds
        self.query = query
    }
}

public enum LockWait {
    /// The sessions `pid` waits for (PostgreSQL 9.6 and later; Redshift has no such function).
    static let query = """
        SELECT pid, COALESCE(state, ''), COALESCE(EXTRACT(EPOCH FROM now() - xact_start), 0), LEFT(query, 80)
        FROM pg_stat_activity WHERE pid = ANY(pg_blocking_pids($1)) ORDER BY xact_start;
        """

    /// The holders of the locks session `pid` waits for; empty when it waits for none.
    public static func holders(of pid: Int32, on connection: Connection) throws -> [LockHolder] {
        guard connection.server.engine == .postgres else { return [] }
        return try connection.execute(query, [String(pid)]).rows.map { row in
            LockHolder(
                pid: Int32(row[0] ?? "") ?? 0, state: row[1] ?? "", transactionSeconds: Double(row[2] ?? "") ?? 0,
                query: (row[3] ?? "").split(separator: "\n").joined(separator: " "))
        }
    }
}
