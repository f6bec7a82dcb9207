import XCTest
@testable import Warehouse

/// Every statement sparkify sends to Redshift. No cluster is reachable from the tests, so each
/// one is pinned by a golden file and parsed by an independent parser (sqlglot's Redshift
/// dialect, `scripts/lib/parse_redshift.py`).
final class RedshiftSQLTests: XCTestCase {
    private let copy = RedshiftCopy(logData: "s3://udacity-dend/log_data", logJSONPath: "s3://udacity-dend/log_json_path.json",
                                    songData: "s3://udacity-dend/song_data", iamRole: "arn:aws:iam::123456789012:role/dwhRole",
                                    region: "us-west-2")

    /// The statements of load monitoring and bookkeeping (the DDL and inserts have golden
    /// files of their own: redshift-create.sql, redshift-insert.sql).
    private var operations: [(name: String, sql: String)] {
        let rejects = [
            RejectedRecord(file: "s3://udacity-dend/log_data/2018/11/2018-11-30-events.json", line: 12,
                           reason: "column user_id: Invalid digit, Value 'x', Pos 0, Type: Integer (value 'x')",
                           raw: #"{"artist":"Beyonc\u00e9","userId":"x","song":"Halo's"}"#),
            RejectedRecord(file: "s3://udacity-dend/song_data/A/A/A/TRAAAAK128F9318786.json", line: 1,
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

    func testLiteralsEscapeQuotesAndBackslashes() {
        XCTAssertEqual(RedshiftCopy.literal(#"Halo's \u00e9"#), #"'Halo''s \\u00e9'"#)
    }

    func testEveryStatementParsesAsRedshiftSQL() throws {
        let file = TestServer.scratchDirectory("redshiftsql") + "/statements.sql"
        try render(everything).write(toFile: file, atomically: true, encoding: .utf8)
        let script = URL(fileURLWithPath: LocalS3.fixture).deletingLastPathComponent().appendingPathComponent("parse_redshift.py").path
        let run = try ProcessRunner.start("/usr/bin/env", ["python3", script, file],
                                          environment: ProcessInfo.processInfo.environment, separateErrors: true).wait()
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
            for construct in ["ON CONFLICT", "EXCLUDED.", "IS DISTINCT FROM", "GENERATED", "TRUNCATE ", "::jsonb", "FROM STDIN",
                              "RETURNING", "CREATE TABLE IF NOT EXISTS"] {
                XCTAssertFalse(sql.uppercased().contains(construct.uppercased()), "\(name) uses \(construct)")
            }
        }
    }
}
