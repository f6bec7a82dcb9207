/// A session's transaction between statements: none, one open (BEGIN without COMMIT yet), or
/// one that failed and holds its locks until ROLLBACK.
public enum TransactionState: Sendable, Equatable {
    case idle
    case open
    case failed
}
