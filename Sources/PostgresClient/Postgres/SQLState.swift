/// The SQLSTATE codes sparkify acts on, by the names PostgreSQL's appendix gives them.
public enum SQLState {
    /// 57014: the statement was cancelled (Ctrl-C, a cancel request).
    public static let queryCanceled = "57014"
    /// 42P01: a table named in the statement does not exist.
    public static let undefinedTable = "42P01"
    /// 3F000: a schema named in the statement does not exist.
    public static let invalidSchemaName = "3F000"
    /// 55P03: a lock could not be taken (lock_timeout).
    public static let lockNotAvailable = "55P03"
    /// 53100: the server could not write: its disk is full.
    public static let diskFull = "53100"
    /// XX000: an internal error, or a server that gave no code.
    public static let internalError = "XX000"
}
