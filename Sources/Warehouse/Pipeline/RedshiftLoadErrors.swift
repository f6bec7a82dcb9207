import PostgresClient

/// The records a Redshift COPY rejected, turned into the same `RejectedRecord`s (and
/// `staging.load_errors` rows) a PostgreSQL load keeps, so both engines' rejects read alike.
///
/// Which COPY: `PG_LAST_COPY_ID()` right after it succeeded; after it failed and was rolled
/// back (which leaves that ID as it was: "If the COPY transaction is rolled back, the COPY ID is
/// not updated", https://docs.aws.amazon.com/redshift/latest/dg/PG_LAST_COPY_ID.html), the
/// session's newest load after the ID read before it. Where from: SYS_LOAD_ERROR_DETAIL,
/// which clusters and Serverless both have and AWS recommends ("SYS monitoring views",
/// https://docs.aws.amazon.com/redshift/latest/dg/serverless_views-monitoring.html), with the
/// raw lines from STL_LOAD_ERRORS where a provisioned cluster has it; STL alone where SYS is
/// missing. Every record, page by page. Read on a session other than the COPY's (or after its
/// rollback): a system view Serverless lacks must not abort the step's transaction, and a
/// failed read is said, never fails the step.
enum RedshiftLoadErrors {
    static let lastCopyID = "SELECT pg_last_copy_id();"
    /// The session's newest load after the ID read before the COPY ($1).
    static let failedCopyID = "SELECT MAX(query_id) FROM sys_load_history WHERE session_id = pg_backend_pid() AND query_id > $1;"
    static let failedCopyIDFromSTL = "SELECT MAX(query) FROM stl_load_errors WHERE session = pg_backend_pid() AND query > $1;"
    static let pageSize = 1000

    /// What a COPY read, from SYS_LOAD_HISTORY (https://docs.aws.amazon.com/redshift/latest/dg/SYS_LOAD_HISTORY.html).
    static let historyQuery = "SELECT source_file_count, source_file_bytes FROM sys_load_history WHERE query_id = $1;"

    struct History {
        var files: Int
        var bytes: Int
    }

    /// Nil when the view cannot say (an older cluster, no right to read it).
    static func history(queryID: Int, on connection: Connection) -> History? {
        guard let row = try? connection.execute(historyQuery, [String(queryID)]).rows.first,
            let files = row[0].flatMap({ Int($0) }), let bytes = row[1].flatMap({ Int($0) })
        else { return nil }
        return History(files: files, bytes: bytes)
    }

    /// One page of a COPY's errors ($1: its query ID, $2: the offset).
    static let query = """
        SELECT TRIM(file_name), line_number, TRIM(column_name), error_code, TRIM(error_message)
        FROM sys_load_error_detail WHERE query_id = $1
        ORDER BY file_name, line_number, column_name LIMIT \(pageSize) OFFSET $2;
        """
    static let stlQuery = """
        SELECT TRIM(filename), line_number, TRIM(colname), err_code, TRIM(err_reason), TRIM(raw_field_value), TRIM(raw_line)
        FROM stl_load_errors WHERE query = $1
        ORDER BY filename, line_number, colname LIMIT \(pageSize) OFFSET $2;
        """

    /// What could be read of the rejects of COPY `queryID`.
    struct Reading {
        var records: [RejectedRecord] = []
        /// Why they could not be read, when they could not.
        var problem: String?
    }

    /// Every reject of COPY `queryID`, on `connection` (not the COPY's open transaction).
    static func read(queryID: Int, on connection: Connection) -> Reading {
        var reading = Reading()
        do {
            let rows = try pages(query, queryID: queryID, on: connection)
            // Raw lines where STL is there to give them (provisioned clusters); none on Serverless.
            let raw = (try? pages(stlQuery, queryID: queryID, on: connection)) ?? []
            var fromSTL: [String: (value: String?, raw: String?)] = [:]
            for row in raw { fromSTL["\(row[0] ?? "")\u{0}\(row[1] ?? "")\u{0}\(row[2] ?? "")"] = (row[5], row[6]) }
            reading.records = rows.map { row in
                let extra = fromSTL["\(row[0] ?? "")\u{0}\(row[1] ?? "")\u{0}\(row[2] ?? "")"]
                return record(file: row[0], line: row[1], column: row[2], code: row[3], reason: row[4], value: extra?.value, raw: extra?.raw)
            }
            return reading
        } catch let sys {
            do {
                reading.records = try pages(stlQuery, queryID: queryID, on: connection).map { row in
                    record(file: row[0], line: row[1], column: row[2], code: row[3], reason: row[4], value: row[5], raw: row[6])
                }
            } catch {
                reading.problem = "the rejects of COPY \(queryID) could not be read (SYS_LOAD_ERROR_DETAIL: \(sys); STL_LOAD_ERRORS: \(error))"
            }
            return reading
        }
    }

    private static func pages(_ sql: String, queryID: Int, on connection: Connection) throws -> [[String?]] {
        var rows: [[String?]] = []
        while true {
            let page = try connection.execute(sql, [String(queryID), String(rows.count)]).rows
            rows += page
            if page.count < pageSize { return rows }
        }
    }

    static func record(
        file: String?, line: String?, column: String?, code: String?, reason: String?, value: String?, raw: String?
    ) -> RejectedRecord {
        var text = reason ?? "rejected"
        if let code, !code.isEmpty { text = "\(code): " + text }
        if let column, !column.isEmpty { text = "column \(column): " + text }
        if let value, !value.isEmpty { text += " (value '\(value)')" }
        return RejectedRecord(file: file ?? "?", line: line.flatMap { Int($0) } ?? 0, reason: text, raw: raw ?? "")
    }

    /// The form of `insert`, for the dry run: the values are known only once the COPY ran.
    static let insertForm =
        "INSERT INTO \(StarSchema.loadErrors.qualifiedName) (\(StarSchema.loadErrors.columnNames.joined(separator: ", "))) VALUES (…);"

    /// Redshift has no COPY FROM STDIN: the rows go in as one INSERT of literals, in the
    /// step's transaction. Nil when there are none.
    static func insert(_ records: [RejectedRecord], table: Table, at loadedAt: String) -> String? {
        guard !records.isEmpty else { return nil }
        let target = StarSchema.loadErrors
        let rows = records.map { record in
            let text = [loadedAt, table.qualifiedName, record.file].map(RedshiftCopy.literal)
            return "("
                + (text + [String(record.line)] + [record.reason, record.raw].map(RedshiftCopy.literal))
                .joined(separator: ", ") + ")"
        }
        return "INSERT INTO \(target.qualifiedName) (\(target.columnNames.joined(separator: ", "))) VALUES\n"
            + rows.joined(separator: ",\n") + ";"
    }
}

/// A Redshift COPY that failed, with the records the load error views blame, said like a
/// PostgreSQL load's bad records.
public struct RedshiftCopyFailure: Error, CustomStringConvertible, Sendable {
    public var server: String
    public var records: [RejectedRecord]
    /// Why the records could not be read, when they could not.
    public var readProblem: String? = nil

    public var description: String {
        guard let first = records.first else { return server + (readProblem.map { "\n" + $0 } ?? "") }
        var text = "\(first.location): \(first.reason)"
        if !first.raw.isEmpty { text += "\n    \(first.raw)" }
        if records.count > 1 { text += "\n(and \(records.count - 1) more in SYS_LOAD_ERROR_DETAIL)" }
        return text + "\n" + server
    }
}
