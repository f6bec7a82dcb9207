import Foundation
import PostgresClient

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
        var files = 0
        var bytes = 0
        var rows = 0
        var errors = 0
    }

    private func load(on connection: Connection, log: Connection, queryID: Int, session: Int32, started: String) throws -> Outcome {
        let columns = try targetColumns(on: connection)
        let keys = try sourceKeys(for: columns)
        let files = try listFiles()
        let tableID = Int(try connection.execute("SELECT $1::regclass::oid::integer;", [command.table]).scalar ?? "")
        let converter = Converter(
            command: command, columns: columns, keys: keys,
            rules: RedshiftValueRules(
                blanksAsNull: command.blanksAsNull, emptyAsNull: command.emptyAsNull, truncateColumns: command.truncateColumns,
                acceptInvalidCharacters: command.acceptInvalidCharacters, timeFormat: command.timeFormat),
            errorFields: [String(queryID), String(session), started, tableID.map(String.init), command.table])
        let errors = ErrorLog(limit: command.maxError)
        func keepErrors() throws {
            let rows = errors.rows
            guard !rows.isEmpty else { return }
            try log.copyIn(
                "COPY public.rehearsal_load_errors (query_id, session_id, start_time, table_id, table_name, file_name, line_number, column_name, column_type, column_length, position, raw_line, raw_field_value, error_code, error_message) FROM STDIN;"
            ) { try $0.write(rows) }
        }

        let copy = "COPY \(command.table) (\(columns.map(\.name).joined(separator: ", "))) FROM STDIN;"
        var outcome = Outcome(files: files.count, bytes: files.reduce(0) { $0 + max(0, $1.bytes) })
        do {
            outcome.rows = try feed(copy, on: connection, files: files, converter: converter, errors: errors)
        } catch is LoadFailed {
            try keepErrors()
            let table = command.table.split(separator: ".").last.map(String.init) ?? command.table
            throw DatabaseError(
                sqlState: "XX000", message: "Load into table '\(table)' failed.  Check 'stl_load_errors' system table for details.",
                detail: "\(errors.count) errors, more than MAXERROR \(command.maxError) allows")
        }
        outcome.errors = errors.count
        try keepErrors()
        return outcome
    }

    /// Readers (one a core, two at least) take files from a shared counter, convert their
    /// objects and hand rows on in chunks; this thread feeds them to PostgreSQL's COPY. Local
    /// files ahead are hinted to the disk (a song folder is a hundred thousand small reads);
    /// S3 objects arrive through the prefetch, several in flight.
    private func feed(_ copy: String, on connection: Connection, files: [SourceFile], converter: Converter, errors: ErrorLog) throws -> Int {
        let readerCount = max(1, min(files.count, max(2, ProcessInfo.processInfo.activeProcessorCount)))
        let queue = ChunkQueue<Chunk>(capacity: 8 + readerCount, producers: readerCount)
        let s3Files = files.first.map { S3Location.isS3($0.path) } ?? false
        let prefetch = s3Files ? try S3Prefetch(files: files, access: s3 ?? S3Access.resolve(config: nil)) : nil
        let ahead = s3Files ? nil : FilePrefetch(files: FileListing(complete: files, path: command.source))
        ahead?.sawColdFile()
        let next = Locked(0)
        let done = DispatchGroup()
        for _ in 0..<readerCount {
            done.enter()
            let reader = Thread {
                defer { done.leave() }
                do {
                    var chunk = Chunk()
                    var record = JSONRecord()
                    // One read buffer a reader, reused file after file: a fresh 16 MB array for
                    // each log file left the freed ones in the threads' malloc arenas (peak RSS
                    // 255 MiB for the 1M-event copy).
                    var buffer: [UInt8] = []
                    while true {
                        let taken = try next.update { next -> (Int, SourceFile, [UInt8]?)? in
                            guard next < files.count else { return nil }
                            defer { next += 1 }
                            return (next, files[next], try prefetch?.next())
                        }
                        guard let (index, file, fetched) = taken else { break }
                        ahead?.taking(index)
                        if let fetched { buffer = fetched } else { try Self.readWhole(file, into: &buffer) }
                        // Chunks go on as they fill, not a file at a time: a log file is 16 MB.
                        try converter.convert(file, buffer, into: &chunk, record: &record, errors: errors) { full in
                            guard queue.push(full) else { throw StopReading() }
                        }
                    }
                    if chunk.count > 0 { _ = queue.push(chunk) }
                    queue.finish()
                } catch is StopReading {
                    queue.finish()
                } catch {
                    queue.finish(error: error)
                }
            }
            reader.stackSize = 1 << 20
            reader.start()
        }
        defer {
            queue.close()
            prefetch?.stop()
            done.wait()
        }
        return try connection.copyIn(copy) { writer in
            while let chunk = try queue.pop() { try writer.write(chunk.bytes) }
        }
    }

    /// The COPY went away (it failed or was cancelled): a reader stops.
    private struct StopReading: Error {}

    /// Rows in COPY text, ready for PostgreSQL; handed on at about this size.
    static let chunkBytes = 256 * 1024

    struct Chunk {
        var bytes: [UInt8] = []
        var count = 0
    }

    /// The error table's rows, from every reader; past MAXERROR, the COPY fails.
    final class ErrorLog: Sendable {
        private let state = Locked((rows: [UInt8](), count: 0))
        let limit: Int

        init(limit: Int) { self.limit = limit }

        var rows: [UInt8] { state.read { $0.rows } }
        var count: Int { state.read { $0.count } }

        /// Keeps one error's row; throws once the errors are more than the limit.
        func add(_ fields: [String?]) throws {
            var line: [UInt8] = []
            BookkeepingRows.appendLine(&line, fields)
            let total = state.update { state in
                state.rows += line
                state.count += 1
                return state.count
            }
            if total > limit { throw LoadFailed() }
        }
    }

    /// One COPY's objects to rows, by its columns, keys and rules; shared by the readers.
    struct Converter: Sendable {
        let command: RedshiftCopyCommand
        let columns: [RedshiftColumn]
        let keys: [[UInt8]]
        let rules: RedshiftValueRules
        /// query_id, session_id, start_time, table_id, table_name: the same on every error row.
        let errorFields: [String?]

        func convert(
            _ file: SourceFile, _ bytes: [UInt8], into chunk: inout Chunk, record: inout JSONRecord, errors: ErrorLog,
            ship: (Chunk) throws -> Void
        ) throws {
            func reject(_ line: Int, _ column: RedshiftColumn?, _ raw: UnsafeBufferPointer<UInt8>, _ value: String, _ error: RedshiftLoadError) throws
            {
                try errors.add(
                    errorFields + [
                        file.path, String(line), column?.name ?? "", column?.typeName ?? "", column?.lengthText ?? "0", String(error.position),
                        String(decoding: raw.prefix(1024), as: UTF8.self), String(value.prefix(1024)), String(error.code), error.message,
                    ])
            }
            try bytes.withUnsafeBufferPointer { all in
                var objects = JSONObjects(all)
                while let piece = objects.next() {
                    switch piece {
                    case .garbage(let range, let line):
                        try reject(
                            line, nil, UnsafeBufferPointer(rebasing: all[range]), "",
                            RedshiftLoadError(code: 1216, message: "Invalid JSON: a record must be a JSON object"))
                    case .object(let range, let line):
                        let raw = UnsafeBufferPointer(rebasing: all[range])
                        if raw.count > RehearsedCopy.objectLimit {
                            try reject(line, nil, raw, "", RedshiftLoadError(code: 1216, message: "JSON object exceeds the 4 MB limit"))
                            continue
                        }
                        do {
                            try record.parse(raw)
                        } catch {
                            try reject(line, nil, raw, "", RedshiftLoadError(code: 1216, message: "Invalid JSON: \(error)"))
                            continue
                        }
                        let mark = chunk.bytes.count
                        var failure: (RedshiftColumn, String, RedshiftLoadError)?
                        record.withView(of: raw) { view in
                            for (position, column) in columns.enumerated() {
                                if position > 0 { chunk.bytes.append(0x09) }
                                let field = record.fields.last { keyMatches(view.key($0), keys[position]) }
                                do {
                                    let value = try field.flatMap { field in try rules.convert(field.kind, view.value(field), for: column) }
                                    if value == nil, column.notNull {
                                        throw RedshiftLoadError(code: 1213, message: "Missing data for not-null field")
                                    }
                                    if let value {
                                        guard value.withUnsafeBufferPointer({ CopyText.appendEscaped($0, to: &chunk.bytes) }) else {
                                            throw RedshiftLoadError(code: 1220, message: "String contains a NUL character")
                                        }
                                    } else {
                                        chunk.bytes.append(contentsOf: CopyText.null)
                                    }
                                } catch {
                                    failure = (
                                        column, field.map { view.text($0) } ?? "",
                                        error as? RedshiftLoadError ?? RedshiftLoadError(code: 1200, message: "\(error)")
                                    )
                                    return
                                }
                            }
                        }
                        if let (column, value, error) = failure {
                            chunk.bytes.removeSubrange(mark...)
                            try reject(line, column, raw, value, error)
                        } else {
                            chunk.bytes.append(0x0A)
                            chunk.count += 1
                            if chunk.bytes.count >= RehearsedCopy.chunkBytes {
                                try ship(chunk)
                                chunk = Chunk()
                            }
                        }
                    }
                }
            }
        }

        private func keyMatches(_ key: UnsafeBufferPointer<UInt8>, _ wanted: [UInt8]) -> Bool {
            guard key.count == wanted.count else { return false }
            if case .auto(ignoringCase: true) = command.format {
                return zip(key, wanted).allSatisfy { Self.lower($0) == Self.lower($1) }
            }
            return zip(key, wanted).allSatisfy { $0 == $1 }
        }

        private static func lower(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte + 32 : byte }
    }

    /// A local file's bytes, whole, into `bytes` (whose storage is kept from file to file).
    static func readWhole(_ file: SourceFile, into bytes: inout [UInt8]) throws {
        let path = file.path.hasPrefix("file://") ? String(file.path.dropFirst(7)) : file.path
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw DatabaseError(sqlState: "XX000", message: "\(path): cannot be opened: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw DatabaseError(sqlState: "XX000", message: "\(path): cannot be examined") }
        bytes.removeAll(keepingCapacity: true)
        bytes.reserveCapacity(Int(info.st_size) + 1)
        var filled = 0
        while true {
            // Room for the size fstat gave and one byte more (to see the end), or more if it grew.
            if filled == bytes.count { bytes += repeatElement(0, count: max(Int(info.st_size) + 1 - filled, 4096)) }
            let got = bytes.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + filled, $0.count - filled) }
            if got < 0 && errno == EINTR { continue }
            guard got >= 0 else { throw DatabaseError(sqlState: "XX000", message: "\(path): read failed: \(String(cString: strerror(errno)))") }
            if got == 0 { break }
            filled += got
        }
        bytes.removeSubrange(filled...)
    }

    /// Thrown inside the feed when errors passed MAXERROR; said as Redshift says it.
    private struct LoadFailed: Error {}

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
            let paths: [String]
            do {
                paths = try JSONPaths.expressions(data: JSONPaths.read(file: location, s3: s3), name: location)
            } catch {
                throw DatabaseError(sqlState: "XX000", message: "Invalid JSONPath format: \(error)")
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
}
