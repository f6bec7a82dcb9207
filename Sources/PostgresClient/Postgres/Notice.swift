import CLibPQ

/// A NOTICE, WARNING or INFO message from the server, delivered while a statement runs.
public struct Notice: Equatable, Sendable, CustomStringConvertible {
    public var severity: String
    public var sqlState: String
    public var message: String
    public var detail: String?
    public var hint: String?

    init(result: OpaquePointer) {
        let error = DatabaseError(result: result)
        severity = error.severity
        sqlState = error.sqlState
        message = error.message
        detail = error.detail
        hint = error.hint
    }

    public var description: String { "\(severity): \(message)" }
}
