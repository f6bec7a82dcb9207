/// The SQLSTATE codes sparkify acts on, by the names PostgreSQL's appendix gives them.
public enum SQLState {
    /// 57014: the statement was cancelled (Ctrl-C, a cancel request).
    public static let queryCanceled = "57014"
    /// 42P01: a table named in the statement does not exist.
    public static let undefinedTable = "42P01"
    /// 55P03: a lock could not be taken (lock_timeout).
    public static let lockNotAvailable = "55P03"
    /// XX000: an internal error, or a server that gave no code.
    public static let internalError = "XX000"
}
