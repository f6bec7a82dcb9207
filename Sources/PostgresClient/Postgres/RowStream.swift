import CLibPQ

/// One row as libpq holds it. Valid only inside the callback that receives it: copy out what
/// you keep. Reading it allocates nothing unless you ask for a `String`.
public struct RowView {
    let result: OpaquePointer
    public let count: Int

    init(result: OpaquePointer) {
        self.result = result
        count = Int(PQnfields(result))
    }

    public func isNull(_ column: Int) -> Bool { PQgetisnull(result, 0, Int32(column)) == 1 }

    /// The cell's text bytes in the server's encoding (UTF-8 for us), without a copy.
    public func bytes(_ column: Int) -> UnsafeBufferPointer<UInt8> {
        let length = Int(PQgetlength(result, 0, Int32(column)))
        let start = UnsafeRawPointer(PQgetvalue(result, 0, Int32(column))!).assumingMemoryBound(to: UInt8.self)
        return UnsafeBufferPointer(start: start, count: length)
    }

}

/// What a stream reports when it ends.
public struct StreamSummary: Sendable {
    public var rows: Int
    public var commandTag: String
}

extension Connection {
    /// Runs a statement and hands each row to `row` as it arrives (libpq single-row mode): the
    /// first rows are seen before the last are sent, and memory does not grow with the result.
    ///
    /// `columns` is called once per result set, before its rows. If a callback throws, the
    /// statement is cancelled on the server, the connection drained, and the error rethrown.
    /// `copyOut` takes the data of a `COPY … TO STDOUT`, as the server sends it; without one,
    /// such a statement is an error (its rows would otherwise vanish).
    @discardableResult
    public func stream(
        _ sql: String, _ parameters: [String?] = [],
        columns: ([Column]) throws -> Void = { _ in },
        copyOut: ((UnsafeBufferPointer<UInt8>) throws -> Void)? = nil,
        row: (RowView) throws -> Void
    ) throws -> StreamSummary {
        if let result = try intercepted(sql) {
            try columns(result.columns)
            return StreamSummary(rows: result.rowsAffected ?? 0, commandTag: result.commandTag)
        }
        try send(sql, parameters)
        guard PQsetSingleRowMode(handle) == 1 else {
            _ = drain()
            throw ProtocolError("libpq refused single-row mode for the statement")
        }
        var rows = 0
        var commandTag = ""
        var inResultSet = false
        var callerError: Error?
        var serverError: Error?
        while let result = PQgetResult(handle) {
            defer { PQclear(result) }
            let status = PQresultStatus(result)
            if callerError != nil { continue }
            switch status {
            case PGRES_SINGLE_TUPLE:
                do {
                    if !inResultSet {
                        inResultSet = true
                        try columns(Column.columns(of: result))
                    }
                    try row(RowView(result: result))
                    rows += 1
                } catch {
                    callerError = error
                    cancel()
                }
            case PGRES_TUPLES_OK:
                // The end of one result set; an empty one still has columns worth showing.
                if !inResultSet {
                    do { try columns(Column.columns(of: result)) } catch { callerError = error }
                }
                inResultSet = false
                commandTag = String(cString: PQcmdStatus(result))
            case PGRES_COMMAND_OK:
                commandTag = String(cString: PQcmdStatus(result))
            case PGRES_FATAL_ERROR:
                if serverError == nil { serverError = DatabaseError(result: result) }
            case PGRES_COPY_OUT:
                do {
                    rows += try readCopyOut(into: copyOut)
                } catch {
                    callerError = error
                    endStrayCopy(status)
                }
            case PGRES_COPY_IN:
                endStrayCopy(status)
            default:
                if serverError == nil { serverError = ProtocolError(String(cString: PQresultErrorMessage(result))) }
            }
        }
        if let callerError { throw callerError }
        if let serverError { throw serverError }
        if PQstatus(handle) != CONNECTION_OK { throw lastError() }
        return StreamSummary(rows: rows, commandTag: commandTag)
    }

    /// A COPY TO STDOUT's data, a line at a time, to `handler`; returns the lines. Without a
    /// handler the data is read and dropped, and the statement reported as not shown.
    private func readCopyOut(into handler: ((UnsafeBufferPointer<UInt8>) throws -> Void)?) throws -> Int {
        guard let handler else { throw CopyOutNotShown() }
        var lines = 0
        var buffer: UnsafeMutablePointer<CChar>?
        while true {
            let count = PQgetCopyData(handle, &buffer, 0)
            guard count > 0, let data = buffer else { break }
            defer { PQfreemem(data) }
            try data.withMemoryRebound(to: UInt8.self, capacity: Int(count)) { try handler(UnsafeBufferPointer(start: $0, count: Int(count))) }
            lines += 1
        }
        return lines
    }
}

/// A `COPY … TO STDOUT` where nothing takes its data (the console's editor): said, not dropped.
public struct CopyOutNotShown: Error, CustomStringConvertible, Sendable {
    public var description: String {
        "COPY … TO STDOUT sends its rows to the client, and here nothing shows them: run its SELECT (the grid shows the rows, x exports them), or use sparkify query"
    }
}
