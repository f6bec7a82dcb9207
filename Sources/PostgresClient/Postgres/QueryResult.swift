import CLibPQ

/// A column of a result: its name and the server's type, which decides alignment and quoting.
public struct Column: Equatable, Sendable {
    public var name: String
    public var typeOID: UInt32

    public init(name: String, typeOID: UInt32) {
        self.name = name
        self.typeOID = typeOID
    }

    /// int2, int4, int8, oid, float4, float8, numeric: right-aligned, unquoted in JSON.
    public var isNumeric: Bool { [20, 21, 23, 26, 700, 701, 1700].contains(typeOID) }
    public var isBoolean: Bool { typeOID == 16 }

    static func columns(of result: OpaquePointer) -> [Column] {
        (0..<PQnfields(result)).map { index in
            Column(name: String(cString: PQfname(result, index)), typeOID: PQftype(result, index))
        }
    }
}

/// A whole, small result held in memory: for catalog look-ups, counts and DDL. Large results
/// go through `Connection.stream` instead.
public struct QueryResult: Sendable {
    public var columns: [Column]
    public var rows: [[String?]]
    /// The server's command tag: `SELECT 3`, `INSERT 0 5`, `CREATE TABLE`.
    public var commandTag: String
    /// Rows returned or affected, when the command reports a count.
    public var rowsAffected: Int?

    /// The first column of the first row, for `select count(*)` and friends.
    public var scalar: String? { rows.first?.first ?? nil }

    init(result: OpaquePointer) {
        columns = Column.columns(of: result)
        let rowCount = PQntuples(result)
        let columnCount = PQnfields(result)
        rows = (0..<rowCount).map { row in
            (0..<columnCount).map { column in
                PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
            }
        }
        commandTag = String(cString: PQcmdStatus(result))
        rowsAffected = Int(String(cString: PQcmdTuples(result)))
    }
}

extension Connection {
    /// Runs SQL and returns its last result. With parameters the SQL must be one statement;
    /// without, it may be several separated by semicolons.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [String?] = []) throws -> QueryResult {
        if let result = try intercepted(sql) { return result }
        try send(sql, parameters)
        var last: QueryResult?
        if let error = drain(into: { last = QueryResult(result: $0) }) { throw error }
        guard let last else { throw ProtocolError("the server returned no result for the statement") }
        return last
    }
}
