import Foundation

/// A Redshift COPY from JSON, run by the rehearsal as a cluster would: every object of every
/// file under the source is converted by Redshift's rules (`RedshiftValueRules`), the rows
/// that convert go into the table in the COPY's transaction, and each value that does not is
/// a row of STL_LOAD_ERRORS and SYS_LOAD_ERROR_DETAIL, written from a session of its own so it
/// outlives a rollback, as a cluster's system tables do. More errors than MAXERROR fail the
/// COPY with Redshift's words. Pages: "COPY from JSON format" (key matching, jsonpaths),
/// "Data load operations" (MAXERROR), "PG_LAST_COPY_ID"; quotes in docs/redshift-facts.md.
struct RehearsedCopy {
    let command: RedshiftCopyCommand
    let s3: S3Access?

    /// "The maximum size of a single input row from any source is 4 MB" (r_COPY), which for
    /// JSON is one object.
    static let objectLimit = 4 * 1024 * 1024

    func run(on connection: Connection) throws -> QueryResult {
        // A COPY outside a transaction is one by itself, as on a cluster.
        let ownTransaction = !connection.inTransaction
        if ownTransaction { try connection.execute("BEGIN;") }
        let queryID = Int(try connection.execute("SELECT nextval('public.rehearsal_query_ids');").scalar ?? "") ?? 0
        let session = connection.backendPID
        let started = BookkeepingRows.timestampNow()
        var settings = connection.settings
        settings.rehearsal = false
        let log = try Connection(settings)
        defer { log.close() }
        try log.execute(
            """
            INSERT INTO public.rehearsal_load_history (query_id, session_id, database_name, table_name, status, start_time, data_source, file_format)
            VALUES ($1, $2, current_database(), $3, 'running', $4, $5, 'json');
            """, [String(queryID), String(session), command.table, started, command.source])
        // Updated when the load begins, so a COPY failed by bad data still names its errors;
        // a rolled-back transaction takes it back ("If the COPY transaction is rolled back,
        // the COPY ID is not updated").
        try connection.execute("SELECT set_config('rehearsal.last_copy_id', $1, false);", [String(queryID)])
        do {
            let outcome = try load(on: connection, log: log, queryID: queryID, session: session, started: started)
            try log.execute(
                """
                UPDATE public.rehearsal_load_history SET status = 'completed', end_time = now()::timestamp, loaded_rows = $2,
                    loaded_bytes = $3, source_file_count = $4, source_file_bytes = $3, error_count = $5 WHERE query_id = $1;
                """,
                [String(queryID), String(outcome.rows), String(outcome.bytes), String(outcome.files), String(outcome.errors)])
            if ownTransaction { try connection.execute("COMMIT;") }
            return QueryResult(commandTag: "COPY", rowsAffected: outcome.rows)
        } catch {
            _ = try? log.execute(
                "UPDATE public.rehearsal_load_history SET status = 'aborted', end_time = now()::timestamp WHERE query_id = $1;",
                [String(queryID)])
            if ownTransaction, connection.isAlive {
                _ = try? connection.execute("ROLLBACK;")
                // Outside a transaction the failed load's ID stays, for its errors to be found.
                _ = try? connection.execute("SELECT set_config('rehearsal.last_copy_id', $1, false);", [String(queryID)])
            }
            throw error
        }
    }

    private struct Outcome {
        var rows = 0
        var bytes = 0
        var files = 0
        var errors = 0
    }

    private func load(on connection: Connection, log: Connection, queryID: Int, session: Int32, started: String) throws -> Outcome {
        let columns = try targetColumns(on: connection)
        let keys = try sourceKeys(for: columns)
        let files = try listFiles()
        let tableID = Int(try connection.execute("SELECT $1::regclass::oid::integer;", [command.table]).scalar ?? "")
        let rules = RedshiftValueRules(
            blanksAsNull: command.blanksAsNull, emptyAsNull: command.emptyAsNull, truncateColumns: command.truncateColumns,
            acceptInvalidCharacters: command.acceptInvalidCharacters, timeFormat: command.timeFormat)
        var outcome = Outcome()
        var errorRows: [UInt8] = []
        // Counted by the feed (which holds `outcome`); kept here for the error tables.
        func reject(
            _ file: SourceFile, _ line: Int, _ column: RedshiftColumn?, _ raw: UnsafeBufferPointer<UInt8>, _ value: String, _ error: RedshiftLoadError
        ) {
            let fields: [String?] = [
                String(queryID), String(session), started, tableID.map(String.init), command.table, file.path, String(line),
                column?.name ?? "", column?.typeName ?? "", column?.lengthText ?? "0", String(error.position),
                String(decoding: raw.prefix(1024), as: UTF8.self), String(value.prefix(1024)), String(error.code), error.message,
            ]
            BookkeepingRows.appendLine(&errorRows, fields)
        }

        func keepErrors() throws {
            guard !errorRows.isEmpty else { return }
            try log.copyIn(
                "COPY public.rehearsal_load_errors (query_id, session_id, start_time, table_id, table_name, file_name, line_number, column_name, column_type, column_length, position, raw_line, raw_field_value, error_code, error_message) FROM STDIN;"
            ) { try $0.write(errorRows) }
        }

        let copy = "COPY \(command.table) (\(columns.map(\.name).joined(separator: ", "))) FROM STDIN;"
        let loaded: Int
        do {
            loaded = try feed(copy, on: connection, files: files, columns: columns, keys: keys, rules: rules, outcome: &outcome, reject: reject)
        } catch is LoadFailed {
            try keepErrors()
            let table = command.table.split(separator: ".").last.map(String.init) ?? command.table
            throw DatabaseError(
                sqlState: "XX000", message: "Load into table '\(table)' failed.  Check 'stl_load_errors' system table for details.",
                detail: "\(outcome.errors) errors, more than MAXERROR \(command.maxError) allows")
        }
        outcome.rows = loaded
        try keepErrors()
        return outcome
    }

    private func feed(
        _ copy: String, on connection: Connection, files: [SourceFile], columns: [RedshiftColumn], keys: [[UInt8]],
        rules: RedshiftValueRules, outcome: inout Outcome,
        reject: (SourceFile, Int, RedshiftColumn?, UnsafeBufferPointer<UInt8>, String, RedshiftLoadError) -> Void
    ) throws -> Int {
        func refuse(
            _ file: SourceFile, _ line: Int, _ column: RedshiftColumn?, _ raw: UnsafeBufferPointer<UInt8>, _ value: String, _ error: RedshiftLoadError
        ) {
            outcome.errors += 1
            reject(file, line, column, raw, value, error)
        }
        return try connection.copyIn(copy) { writer in
            var out: [UInt8] = []
            var record = JSONRecord()
            for file in files {
                let bytes = try read(file)
                outcome.files += 1
                outcome.bytes += bytes.count
                try bytes.withUnsafeBufferPointer { all in
                    var objects = JSONObjects(all)
                    while let piece = objects.next() {
                        switch piece {
                        case .garbage(let range, let line):
                            let raw = UnsafeBufferPointer(rebasing: all[range])
                            refuse(file, line, nil, raw, "", RedshiftLoadError(code: 1216, message: "Invalid JSON: a record must be a JSON object"))
                        case .object(let range, let line):
                            let raw = UnsafeBufferPointer(rebasing: all[range])
                            if raw.count > Self.objectLimit {
                                refuse(file, line, nil, raw, "", RedshiftLoadError(code: 1216, message: "JSON object exceeds the 4 MB limit"))
                                continue
                            }
                            do {
                                try record.parse(raw)
                            } catch {
                                refuse(file, line, nil, raw, "", RedshiftLoadError(code: 1216, message: "Invalid JSON: \(error)"))
                                continue
                            }
                            let mark = out.count
                            var failed = false
                            record.withView(of: raw) { view in
                                for (position, column) in columns.enumerated() {
                                    if position > 0 { out.append(0x09) }
                                    let field = record.fields.last { keyMatches(view.key($0), keys[position]) }
                                    do {
                                        let value = try field.flatMap { field in try rules.convert(field.kind, view.value(field), for: column) }
                                        if value == nil, column.notNull {
                                            throw RedshiftLoadError(code: 1213, message: "Missing data for not-null field")
                                        }
                                        if let value {
                                            guard value.withUnsafeBufferPointer({ CopyText.appendEscaped($0, to: &out) }) else {
                                                throw RedshiftLoadError(code: 1220, message: "String contains a NUL character")
                                            }
                                        } else {
                                            out.append(contentsOf: CopyText.null)
                                        }
                                    } catch let error as RedshiftLoadError {
                                        refuse(file, line, column, raw, field.map { view.text($0) } ?? "", error)
                                        failed = true
                                        return
                                    } catch {
                                        failed = true
                                        return
                                    }
                                }
                            }
                            if failed {
                                out.removeSubrange(mark...)
                            } else {
                                out.append(0x0A)
                                outcome.rows += 1
                            }
                        }
                        // "If the load returns the error_count number of errors or greater, the
                        // load fails" reads as MAXERROR n letting n errors through, as clusters do.
                        if outcome.errors > command.maxError { throw LoadFailed() }
                    }
                }
                if out.count >= 256 * 1024 {
                    try writer.write(out)
                    out.removeAll(keepingCapacity: true)
                }
            }
            try writer.write(out)
        }
    }

    /// Thrown inside the feed when errors passed MAXERROR; said as Redshift says it.
    private struct LoadFailed: Error {}

    private func keyMatches(_ key: UnsafeBufferPointer<UInt8>, _ wanted: [UInt8]) -> Bool {
        guard key.count == wanted.count else { return false }
        if case .auto(ignoringCase: true) = command.format {
            return zip(key, wanted).allSatisfy { Self.lower($0) == Self.lower($1) }
        }
        return zip(key, wanted).allSatisfy { $0 == $1 }
    }

    private static func lower(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte + 32 : byte }

    /// The columns the COPY fills, in order: its column list, or every column of the table.
    private func targetColumns(on connection: Connection) throws -> [RedshiftColumn] {
        let parts = command.table.split(separator: ".").map(String.init)
        let schema = parts.count > 1 ? parts[0] : "public"
        let name = parts.last ?? command.table
        let rows = try connection.execute(
            """
            SELECT column_name, data_type, character_maximum_length, is_nullable = 'NO' AND is_identity = 'NO'
            FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 ORDER BY ordinal_position;
            """, [schema, name]
        ).rows
        guard !rows.isEmpty else {
            throw DatabaseError(sqlState: "42P01", message: "relation \"\(command.table)\" does not exist")
        }
        let all = rows.map {
            RedshiftColumn(name: $0[0] ?? "", dataType: $0[1] ?? "", length: $0[2].flatMap { Int($0) }, notNull: $0[3] == "t")
        }
        guard let list = command.columns else { return all }
        return try list.map { wanted in
            guard let column = all.first(where: { $0.name == wanted }) else {
                throw DatabaseError(sqlState: "42703", message: "column \"\(wanted)\" of relation \"\(name)\" does not exist")
            }
            return column
        }
    }

    /// The JSON key for each column: its name ('auto'), or the jsonpaths file's path at its position.
    private func sourceKeys(for columns: [RedshiftColumn]) throws -> [[UInt8]] {
        switch command.format {
        case .auto:
            return columns.map { Array($0.name.utf8) }
        case .jsonPaths(let location):
            let data = try Data(read(SourceFile(path: location, name: "", bytes: -1)))
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], let paths = object["jsonpaths"] as? [String]
            else {
                throw DatabaseError(sqlState: "XX000", message: "Invalid JSONPath format: \(location) is not a jsonpaths file")
            }
            // "The order of the jsonpaths array elements must match the order of the columns."
            guard paths.count == columns.count else {
                throw DatabaseError(
                    sqlState: "XX000",
                    message:
                        "Number of jsonpaths and the number of columns should match. JSONPath size: \(paths.count), Number of columns in table or column list: \(columns.count)"
                )
            }
            return try paths.map { path in
                guard let key = JSONPaths.key(of: path) else {
                    throw DatabaseError(sqlState: "XX000", message: "Invalid JSONPath format: \(path) (the rehearsal takes top-level keys)")
                }
                return Array(key.utf8)
            }
        }
    }

    /// The files under the source: an S3 prefix through sparkify's client, or a local folder.
    private func listFiles() throws -> [SourceFile] {
        let source = command.source.hasPrefix("file://") ? String(command.source.dropFirst(7)) : command.source
        do {
            if S3Location.isS3(source) { return try SourceFolder.list(source, s3: s3).files }
            // A prefix may name one object: here, one file.
            var info = stat()
            if stat(source, &info) == 0, info.st_mode & S_IFMT == S_IFREG {
                let name = (source as NSString).lastPathComponent
                return [SourceFile(path: source, name: name, bytes: Int(info.st_size))]
            }
            return try FileListing.start(source, s3: nil).all()
        } catch {
            // Redshift: "The specified S3 prefix '…' does not exist".
            throw DatabaseError(sqlState: "XX000", message: "The specified S3 prefix '\(command.source)' does not exist (\(error))")
        }
    }

    /// A file's bytes, whole (S3 through the client, with its listed size checked).
    private func read(_ file: SourceFile) throws -> [UInt8] {
        if let location = try S3Location(file.path) {
            let access = try s3 ?? S3Access.resolve(config: nil)
            return try S3Client(access: access).get(bucket: location.bucket, key: location.prefix, listed: file.bytes >= 0 ? file : nil)
        }
        let path = file.path.hasPrefix("file://") ? String(file.path.dropFirst(7)) : file.path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DatabaseError(sqlState: "XX000", message: "\(path): cannot be read")
        }
        return Array(data)
    }
}
