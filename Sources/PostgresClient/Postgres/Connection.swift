import CLibPQ
import Foundation

/// One libpq connection. Everything in sparkify that talks to a server goes through here.
///
/// A connection is used by one thread at a time (it is not `Sendable`); `canceller` is the part
/// another thread may hold, to cancel a statement while it runs. After any statement, finished, failed or cancelled,
/// every pending result has been read, so the next statement can start at once.
public final class Connection {
    let handle: OpaquePointer
    public let settings: ConnectionSettings
    public private(set) var server: ServerInfo = .unknown

    /// Called on the connection's thread for every NOTICE, WARNING or INFO the server sends.
    public var onNotice: ((Notice) -> Void)?

    /// Hand this to the thread that may need to cancel (the UI on Ctrl-C).
    public let canceller: CancelHandle

    /// Rewrites or runs statements the server cannot (the Redshift rehearsal); nil: none.
    public var interceptor: StatementInterceptor?
    /// Set while the interceptor runs a statement itself: the statements it sends for that
    /// are PostgreSQL's own and go as they are.
    package var intercepting = false

    /// Opens a connection; throws `ConnectionError` with libpq's own words when it cannot.
    public init(_ settings: ConnectionSettings) throws {
        self.settings = settings
        guard let connection = settings.withLibpqArrays({ PQconnectdbParams($0, $1, 0) }) else {
            throw ConnectionError(message: "out of memory", target: settings.displayName)
        }
        canceller = CancelHandle(PQstatus(connection) == CONNECTION_OK ? PQgetCancel(connection) : nil)
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection)).trimmingWhitespace()
            _ = canceller.close()
            PQfinish(connection)
            throw ConnectionError(message: message, target: settings.displayName)
        }
        handle = connection
        PQsetNoticeReceiver(
            connection,
            { context, result in
                guard let context, let result else { return }
                let connection = Unmanaged<Connection>.fromOpaque(context).takeUnretainedValue()
                connection.onNotice?(Notice(result: result))
            }, Unmanaged.passUnretained(self).toOpaque())
        server = try ServerInfo.detect(on: self)
    }

    deinit { close() }

    /// Closes the connection; safe to call more than once.
    public func close() {
        guard canceller.close() else { return }
        PQfinish(handle)
    }

    /// Whether libpq still believes the connection is up.
    public var isAlive: Bool { !canceller.isClosed && PQstatus(handle) == CONNECTION_OK }

    /// Whether a transaction is open (or failed and not yet rolled back).
    public var inTransaction: Bool { !canceller.isClosed && PQtransactionStatus(handle) != PQTRANS_IDLE }

    /// Where the session's transaction stands, as libpq last heard it.
    public var transaction: TransactionState {
        guard !canceller.isClosed else { return .idle }
        switch PQtransactionStatus(handle) {
        case PQTRANS_INTRANS: return .open
        case PQTRANS_INERROR: return .failed
        default: return .idle
        }
    }

    /// The server process of this session: what Redshift's system tables call its `session`.
    public var backendPID: Int32 { PQbackendPID(handle) }

    /// Asks the server to cancel whatever this connection is running (see `canceller` for
    /// doing so from another thread).
    @discardableResult
    public func cancel() -> Bool { canceller.cancel() }

    var isCancelRequested: Bool { canceller.isRequested }

    func beginStatement() { canceller.statementStarts() }

    /// The error libpq holds for the connection, or a lost-connection error if it is gone.
    func lastError() -> Error {
        let message = String(cString: PQerrorMessage(handle)).trimmingWhitespace()
        if PQstatus(handle) != CONNECTION_OK {
            return ConnectionError(
                message: message.isEmpty ? "connection lost" : message,
                target: settings.displayName)
        }
        return ProtocolError(message.isEmpty ? "libpq reported an unknown failure" : message)
    }

    /// Sends a statement without waiting; parameters go separately, never pasted into the SQL.
    func send(_ sql: String, _ parameters: [String?]) throws {
        let sql = intercepting ? sql : interceptor?.translate(sql) ?? sql
        beginStatement()
        let sent: Int32
        if parameters.isEmpty {
            sent = PQsendQuery(handle, sql)
        } else {
            let copies = parameters.map { $0.map { strdup($0) } ?? nil }
            defer { copies.forEach { free($0) } }
            var values: [UnsafePointer<CChar>?] = copies.map { $0.map { UnsafePointer($0) } }
            sent = PQsendQueryParams(handle, sql, Int32(parameters.count), nil, &values, nil, nil, 0)
        }
        guard sent == 1 else { throw lastError() }
    }

    /// A COPY the caller did not set out to feed or read (typed into a query, say): end it so
    /// the connection is usable again.
    func endStrayCopy(_ status: ExecStatusType) {
        if status == PGRES_COPY_IN {
            _ = PQputCopyEnd(handle, "sparkify: COPY FROM STDIN is only fed by a load step")
        } else if status == PGRES_COPY_OUT {
            var buffer: UnsafeMutablePointer<CChar>?
            while PQgetCopyData(handle, &buffer, 0) > 0 { PQfreemem(buffer) }
        }
    }

    /// Reads every pending result until libpq says there are no more, so the connection is
    /// ready for the next statement whatever happened. Returns the first error seen.
    func drain(into handler: (OpaquePointer) throws -> Void = { _ in }) -> Error? {
        var firstError: Error?
        while let result = PQgetResult(handle) {
            defer { PQclear(result) }
            switch PQresultStatus(result) {
            case PGRES_FATAL_ERROR:
                if firstError == nil { firstError = DatabaseError(result: result) }
            case PGRES_COPY_IN, PGRES_COPY_OUT:
                endStrayCopy(PQresultStatus(result))
            case PGRES_BAD_RESPONSE, PGRES_NONFATAL_ERROR:
                if firstError == nil { firstError = ProtocolError(String(cString: PQresultErrorMessage(result))) }
            default:
                if firstError == nil {
                    do { try handler(result) } catch { firstError = error }
                }
            }
        }
        if firstError == nil, PQstatus(handle) != CONNECTION_OK { return lastError() }
        return firstError
    }
}

extension Connection {
    /// Whether a server answers at all, without logging in (libpq's PQpingParams).
    public static func ping(_ settings: ConnectionSettings) -> Bool {
        settings.withLibpqArrays { PQpingParams($0, $1, 0) } == PQPING_OK
    }
}
