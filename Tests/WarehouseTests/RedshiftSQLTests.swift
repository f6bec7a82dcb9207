import XCTest

@testable import PostgresClient
@testable import TestSupport
@testable import Warehouse

/// Every statement sparkify sends to Redshift. No cluster is reachable from the tests, so each
/// one is pinned by a golden file and parsed by an independent parser (sqlglot's Redshift
/// dialect, `scripts/lib/parse_redshift.py`).
final class RedshiftSQLTests: XCTestCase {
    private let copy = RedshiftCopy(
        logData: "s3://udacity-dend/log_data", logJSONPath: "s3://udacity-dend/log_json_path.json",
        songData: "s3://udacity-dend/song_data", iamRole: "arn:aws:iam::123456789012:role/dwhRole",
        region: "us-west-2")

    /// The statements of load monitoring and bookkeeping (the DDL and inserts have golden
    /// files of their own: redshift-create.sql, redshift-insert.sql).
    private var operations: [(name: String, sql: String)] {
        let rejects = [
            RejectedRecord(
                file: "s3://udacity-dend/log_data/2018/11/2018-11-30-events.json", line: 12,
                reason: "column user_id: Invalid digit, Value 'x', Pos 0, Type: Integer (value 'x')",
                raw: #"{"artist":"Beyonc\u00e9","userId":"x","song":"Halo's"}"#),
            RejectedRecord(
                file: "s3://udacity-dend/song_data/A/A/A/TRAAAAK128F9318786.json", line: 1,
                reason: "String length exceeds DDL length", raw: "{}"),
        ]
        var list: [(String, String)] = [("search path", RedshiftDialect().searchPath)]
        for table in StarSchema.stagingTables {
            for (index, sql) in copy.statements(for: table, maxErrors: 10).enumerated() {
                list.append(("copy \(table.qualifiedName) \(index + 1)", sql))
            }
        }
        list += [
            ("row counts", TableCounts.redshiftEstimates),
            ("cluster shape", ServerInfo.redshiftShape),
            ("copy progress", RedshiftLoadWatch.query(session: 12345)),
            ("load errors", RedshiftLoadErrors.query),
            ("load errors from stl", RedshiftLoadErrors.stlQuery),
            ("last copy", RedshiftLoadErrors.lastCopyID),
            ("failed copy", RedshiftLoadErrors.failedCopyID),
            ("failed copy from stl", RedshiftLoadErrors.failedCopyIDFromSTL),
            ("load errors kept", RedshiftLoadErrors.insert(rejects, table: StarSchema.stagingEvents, at: "2026-11-21 10:00:00")!),
        ]
        return list
    }

    private var everything: [(name: String, sql: String)] {
        let dialect = RedshiftDialect()
        var list = StarSchema.allTables.reversed().map { ("drop \($0.qualifiedName)", dialect.dropTable($0)) }
        list += dialect.createSchemas().enumerated().map { ("create schema \($0.offset + 1)", $0.element) }
        list += StarSchema.allTables.map { ("create \($0.qualifiedName)", dialect.createTable($0)) }
        for step in InsertSQL(dialect: dialect).steps {
            list += step.statements.enumerated().map { ("insert \(step.table.qualifiedName) \($0.offset + 1)", $0.element) }
        }
        return list + operations
    }

    private func render(_ statements: [(name: String, sql: String)]) -> String {
        statements.map { "-- statement: \($0.name)\n\($0.sql)\n" }.joined(separator: "\n")
    }

    func testOperationsMatchTheGoldenFile() throws {
        try assertGolden("redshift-operations.sql", render(operations))
    }

    /// `--source s3://bucket/prefix` on Redshift: the prefix gives the three S3 keys, dwh.cfg the role.
    func testDatasetPrefixStandsInForTheS3Keys() throws {
        let config = try DwhConfig(
            ini: IniFile(
                path: "dwh.cfg",
                text: """
                    [CLUSTER]
                    HOST=dwh.abc.us-west-2.redshift.amazonaws.com
                    DB_NAME=dev
                    DB_USER=awsuser
                    [IAM_ROLE]
                    ARN=arn:aws:iam::1:role/r
                    """))
        let copy = try RedshiftCopy(config: config, dataset: S3Location(bucket: "my-bucket", prefix: "sparkify/2026"))
        XCTAssertEqual(copy.logData, "s3://my-bucket/sparkify/2026/log_data")
        XCTAssertEqual(copy.logJSONPath, "s3://my-bucket/sparkify/2026/log_json_path.json")
        XCTAssertEqual(copy.songData, "s3://my-bucket/sparkify/2026/song_data")
        XCTAssertThrowsError(try RedshiftCopy(config: config)) {
            XCTAssertEqual("\($0)", "dwh.cfg: [S3] LOG_DATA: missing: a Redshift COPY needs it")
        }
    }

    func testLiteralsEscapeQuotesAndBackslashes() {
        XCTAssertEqual(RedshiftCopy.literal(#"Halo's \u00e9"#), #"'Halo''s \\u00e9'"#)
    }

    func testEveryStatementParsesAsRedshiftSQL() throws {
        let file = TestServer.scratchDirectory("redshiftsql") + "/statements.sql"
        try render(everything).write(toFile: file, atomically: true, encoding: .utf8)
        let script = URL(fileURLWithPath: LocalS3.fixture).deletingLastPathComponent().appendingPathComponent("parse_redshift.py").path
        let run = try ProcessRunner.start(
            "/usr/bin/env", ["python3", script, file],
            environment: ProcessInfo.processInfo.environment, separateErrors: true
        ).wait()
        let lines = run.output.split(separator: "\n").map(String.init)
        XCTAssertEqual(run.status, 0, "sqlglot (Redshift) rejected:\n" + lines.filter { $0.hasPrefix("error") }.joined(separator: "\n") + run.errors)
        XCTAssertEqual(lines.count, everything.count, "one verdict a statement")
        // sqlglot keeps SET as an opaque command; everything else must parse into a tree.
        XCTAssertEqual(lines.filter { $0.hasPrefix("opaque") }, ["opaque search path"])
    }

    /// sqlglot is lenient about PostgreSQL-only syntax (it parses ON CONFLICT under the Redshift
    /// dialect), so what Redshift lacks is checked by name as well (TRUNCATE exists there, but
    /// commits the step's transaction).
    func testNoPostgresOnlySyntax() {
        for (name, sql) in everything {
            for construct in [
                "ON CONFLICT", "EXCLUDED.", "IS DISTINCT FROM", "GENERATED", "TRUNCATE ", "::jsonb", "FROM STDIN",
                "RETURNING", "CREATE TABLE IF NOT EXISTS",
            ] {
                XCTAssertFalse(sql.uppercased().contains(construct.uppercased()), "\(name) uses \(construct)")
            }
        }
    }
}

/// The Redshift COPY's watch and rejects, run where they can be: the watch's query against a
/// table shaped like Redshift's `stv_load_state` (two slices' rows) in a PostgreSQL database,
/// read from its own second session; the rejects from rows shaped like `stl_load_errors`'.
final class RedshiftLoadMonitoringTests: XCTestCase {
    func testWatchSumsTheSlicesFromASecondSession() throws {
        let settings = try TestServer.freshDatabase("loadstate")
        let copying = try Connection(settings)
        defer { copying.close() }
        try copying.execute(
            """
            CREATE TABLE stv_load_state (session INTEGER, slice INTEGER, bytes_loaded BIGINT, bytes_to_load BIGINT,
                lines BIGINT, num_files INTEGER, num_files_complete INTEGER, current_file CHAR(256));
            INSERT INTO stv_load_state VALUES
                (\(copying.backendPID), 0, 1000, 4000, 10, 3, 1, 's3://udacity-dend/log_data/2018/11/a.json'),
                (\(copying.backendPID), 1, 500, 2000, 5, 2, 1, 's3://udacity-dend/log_data/2018/11/b.json'),
                (\(copying.backendPID + 1), 0, 99999, 99999, 99, 9, 9, 'another session');
            """)
        let meter = ProgressMeter(copy: CopyProgress(table: "staging.events", filesTotal: 0, filesSkipped: 0, bytesTotal: 0))
        let watch = RedshiftLoadWatch(settings: settings, copyingSession: copying.backendPID, meter: meter, interval: 0.05)
        let deadline = Date().addingTimeInterval(10)
        while meter.snapshot?.bytesDone == 0 && Date() < deadline { usleep(20_000) }
        watch.stop()
        let progress = try XCTUnwrap(meter.snapshot)
        XCTAssertEqual(progress.bytesDone, 1_500)
        XCTAssertEqual(progress.bytesTotal, 6_000)
        XCTAssertEqual(progress.rowsDone, 15)
        XCTAssertEqual(progress.filesTotal, 5)
        XCTAssertEqual(progress.filesDone, 2)
        XCTAssertEqual(progress.currentFile, "s3://udacity-dend/log_data/2018/11/b.json", "trimmed of CHAR padding")
        XCTAssertEqual(progress.fraction, 0.25)
    }

    func testRejectsReadLikePostgresRejects() {
        let records = [
            RedshiftLoadErrors.record(
                file: "s3://b/log_data/a.json", line: "12", column: "user_id", code: "1207",
                reason: "Invalid digit, Value 'x', Pos 0, Type: Integer", value: "x", raw: #"{"userId":"x"}"#),
            RedshiftLoadErrors.record(
                file: "s3://b/song_data/S.json", line: "1", column: "", code: nil, reason: "Invalid JSONPath format", value: nil, raw: "{"),
        ]
        XCTAssertEqual(records.map(\.location), ["s3://b/log_data/a.json:12", "s3://b/song_data/S.json:1"])
        XCTAssertEqual(records[0].reason, "column user_id: 1207: Invalid digit, Value 'x', Pos 0, Type: Integer (value 'x')")
        XCTAssertEqual(records[1].reason, "Invalid JSONPath format")
        let failure = RedshiftCopyFailure(server: "ERROR: Load into table 'events' failed.", records: records)
        XCTAssertEqual(
            "\(failure)",
            """
            s3://b/log_data/a.json:12: column user_id: 1207: Invalid digit, Value 'x', Pos 0, Type: Integer (value 'x')
                {"userId":"x"}
            (and 1 more in SYS_LOAD_ERROR_DETAIL)
            ERROR: Load into table 'events' failed.
            """)
    }
}
