import CLibPQ

/// An error the server reported for a statement, with every field libpq hands us.
///
/// `position` is the 1-based character offset into the statement text, as the server counts it,
/// so a front end can point at it.
public struct DatabaseError: Error, Equatable, CustomStringConvertible, Sendable {
    public var severity: String
    public var sqlState: String
    public var message: String
    public var detail: String?
    public var hint: String?
    public var position: Int?
    public var context: String?

    public init(
        severity: String = "ERROR", sqlState: String, message: String,
        detail: String? = nil, hint: String? = nil, position: Int? = nil, context: String? = nil
    ) {
        self.severity = severity
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.hint = hint
        self.position = position
        self.context = context
    }

    init(result: OpaquePointer) {
        func field(_ code: Int32) -> String? {
            guard let raw = PQresultErrorField(result, code) else { return nil }
            return String(cString: raw)
        }
        severity = field(Int32(UInt8(ascii: "V"))) ?? field(Int32(UInt8(ascii: "S"))) ?? "ERROR"
        sqlState = field(Int32(UInt8(ascii: "C"))) ?? SQLState.internalError
        message =
            field(Int32(UInt8(ascii: "M")))
            ?? String(cString: PQresultErrorMessage(result)).trimmingWhitespace()
        detail = field(Int32(UInt8(ascii: "D")))
        hint = field(Int32(UInt8(ascii: "H")))
        position = field(Int32(UInt8(ascii: "P"))).flatMap { Int($0) }
        context = field(Int32(UInt8(ascii: "W")))
    }

    /// The statement was cancelled, by us or by an administrator.
    public var isCancellation: Bool { sqlState == SQLState.queryCanceled }

    public var description: String {
        var text = "\(severity) \(sqlState): \(message)"
        if let detail { text += "\nDETAIL: \(detail)" }
        if let hint { text += "\nHINT: \(hint)" }
        return text
    }
}

/// The connection itself failed: could not be opened, or was lost.
public struct ConnectionError: Error, Equatable, CustomStringConvertible, Sendable {
    public var message: String
    /// Where we tried to go, without the password.
    public var target: String

    public init(message: String, target: String) {
        self.message = message
        self.target = target
    }

    public var description: String { "cannot connect to \(target): \(message)" }
}

/// The client side of the protocol refused something (a COPY write failed, a result was odd).
public struct ProtocolError: Error, Equatable, CustomStringConvertible, Sendable {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
