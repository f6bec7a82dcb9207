import CLibPQ

/// The statement was cancelled on our side before the server said so.
public struct CancelledError: Error, CustomStringConvertible, Sendable {
    public init() {}
    public var description: String { "cancelled" }
}

/// Feeds a running `COPY ... FROM STDIN`. Hand it large chunks: each write is one libpq call.
public final class CopyWriter {
    private let connection: Connection
    public private(set) var bytesWritten = 0
    /// libpq refused data (the connection failed under us): the server's error, if it sent
    /// one, says more than libpq's.
    private(set) var refused = false

    init(connection: Connection) { self.connection = connection }

    /// True once `Connection.cancel()` was called: producers should stop reading their source.
    public var isCancelled: Bool { connection.isCancelRequested }

    public func write(_ chunk: UnsafeRawBufferPointer) throws {
        guard !connection.isCancelRequested else { throw CancelledError() }
        guard chunk.count > 0 else { return }
        let base = chunk.baseAddress!.assumingMemoryBound(to: CChar.self)
        guard PQputCopyData(connection.handle, base, Int32(chunk.count)) == 1 else {
            refused = true
            throw connection.lastError()
        }
        bytesWritten += chunk.count
    }

    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    public func write(_ text: String) throws {
        var text = text
        try text.withUTF8 { try write(UnsafeRawBufferPointer($0)) }
    }
}

extension Connection {
    /// Runs `sql` (a `COPY ... FROM STDIN`), lets `feed` write the data, and finishes the COPY.
    /// Returns the rows the server loaded.
    ///
    /// If `feed` throws, or the COPY is cancelled, the COPY is ended with an error so the server
    /// rolls it back, every pending result is read, and the error is thrown: the server's own
    /// (SQLSTATE 57014 for a cancel) when it gave one.
    @discardableResult
    public func copyIn(_ sql: String, feed: (CopyWriter) throws -> Void) throws -> Int {
        try send(sql, [])
        guard let first = PQgetResult(handle) else { throw lastError() }
        guard PQresultStatus(first) == PGRES_COPY_IN else {
            let error: Error =
                PQresultStatus(first) == PGRES_FATAL_ERROR
                ? DatabaseError(result: first)
                : ProtocolError("the statement is not a COPY FROM STDIN")
            PQclear(first)
            _ = drain()
            throw error
        }
        PQclear(first)

        let writer = CopyWriter(connection: self)
        var feedError: Error?
        do { try feed(writer) } catch { feedError = error }

        let reason = feedError.map { "sparkify: \($0)" }
        if PQputCopyEnd(handle, reason) != 1, feedError == nil {
            feedError = lastError()
        }
        var rows = 0
        let serverError = drain { result in rows = Int(String(cString: PQcmdTuples(result))) ?? 0 }
        // Ending the COPY with a reason makes the server answer 57014 too; the feed's own error
        // is the one worth reporting then. A cancel, or data libpq refused because the server
        // had failed, is reported with the server's own error.
        if let feedError, !(feedError is CancelledError), !writer.refused { throw feedError }
        if let serverError { throw serverError }
        if let feedError { throw feedError }
        return rows
    }
}
