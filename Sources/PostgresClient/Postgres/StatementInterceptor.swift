/// Lets a connection speak a dialect its server does not: the Redshift rehearsal sends
/// Redshift's statements to PostgreSQL, rewriting what PostgreSQL spells otherwise and running
/// itself what PostgreSQL has no form of (a COPY from S3). Installed by whoever opens the
/// connection for such a target; a connection without one sends statements as they are.
public protocol StatementInterceptor: AnyObject {
    /// The statement to send in place of `sql` (`sql` itself when nothing needs rewriting).
    func translate(_ sql: String) -> String
    /// Runs `sql` itself when PostgreSQL cannot, returning its result; nil to send it.
    func run(_ sql: String, on connection: Connection) throws -> QueryResult?
}

extension QueryResult {
    /// A result made by an interceptor rather than read from libpq.
    public init(columns: [Column] = [], rows: [[String?]] = [], commandTag: String, rowsAffected: Int? = nil) {
        self.columns = columns
        self.rows = rows
        self.commandTag = commandTag
        self.rowsAffected = rowsAffected
    }
}

extension Connection {
    /// The interceptor's result for `sql` when it runs it itself; nil when `sql` goes to the server.
    func intercepted(_ sql: String) throws -> QueryResult? {
        guard let interceptor, !intercepting else { return nil }
        intercepting = true
        defer { intercepting = false }
        return try interceptor.run(sql, on: self)
    }
}
