import Foundation
import XCTest

@testable import TestSupport
@testable import Warehouse

/// Validation suites: parsing (with file and line for mistakes), judging, and `sparkify validate`
/// on a generated, loaded dataset, whole and deliberately broken.
final class ValidationTests: XCTestCase {
    func testParsesEveryKindOfExpectation() throws {
        let suite = try ValidationSuite.parse(
            path: "s.sql",
            text: """
                -- a suite
                -- check: one
                -- expect: 3
                SELECT 3;

                -- check: ordered
                -- expect rows:
                --   a | 1
                --   b | NULL
                SELECT 'a', 1
                UNION ALL SELECT 'b', NULL;
                -- check: set
                -- expect set:
                --   2
                --   1
                -- tolerance: 0.5
                SELECT 1.2 UNION ALL SELECT 2;
                -- check: shown only
                SELECT 'x'; -- trailing
                """)
        XCTAssertEqual(suite.checks.map(\.name), ["one", "ordered", "set", "shown only"])
        XCTAssertEqual(suite.checks[1].expectation, .rows([["a", "1"], ["b", "NULL"]], ordered: true))
        XCTAssertEqual(suite.checks[2].expectation, .rows([["2"], ["1"]], ordered: false))
        XCTAssertEqual(suite.checks[2].tolerance, 0.5)
        XCTAssertEqual(suite.checks[3].expectation, .none)
        XCTAssertEqual(suite.checks[1].line, 6)
    }

    func testMalformedSuitesNameFileAndLine() {
        let cases: [(String, String)] = [
            ("-- expect: 3\nSELECT 3;", "s.sql:1: an expectation before any '-- check: NAME'"),
            ("SELECT 1;", "s.sql:1: SQL outside a check: start it with '-- check: NAME'"),
            ("-- check: a\n-- expect: 1\n-- expect: 2\nSELECT 1;", "s.sql:3: check 'a' already has an expectation"),
            ("-- check: a\n-- tolerance: lots\nSELECT 1;", "s.sql:2: tolerance must be a number of 0 or more, not 'lots'"),
            ("-- check: a\n-- check: b\nSELECT 1;", "s.sql:1: check 'a' has no SQL before the next check"),
            ("-- check: a\nSELECT 1", "s.sql:1: check 'a': its SQL does not end with ';'"),
            ("-- nothing here", "s.sql:1: holds no checks ('-- check: NAME' then an expectation and a query)"),
        ]
        for (text, message) in cases {
            XCTAssertThrowsError(try ValidationSuite.parse(path: "s.sql", text: text)) { XCTAssertEqual("\($0)", message) }
        }
    }

    func testJudging() throws {
        let connection = try TestServer.connect()
        let suite = try ValidationSuite.parse(
            path: "s.sql",
            text: """
                -- check: right
                -- expect: 3
                SELECT 1 + 2;
                -- check: wrong
                -- expect: 4
                SELECT 1 + 2;
                -- check: close enough
                -- expect: 3.0
                -- tolerance: 0.01
                SELECT 3.004;
                -- check: rows in the wrong order
                -- expect rows:
                --   2
                --   1
                SELECT g FROM generate_series(1, 2) g ORDER BY g;
                -- check: same set
                -- expect set:
                --   2
                --   1
                SELECT g FROM generate_series(1, 2) g ORDER BY g;
                -- check: broken SQL
                -- expect: 1
                SELECT nope;
                """)
        let results = suite.checks.map { SuiteRunner.run($0, on: connection) }
        XCTAssertEqual(results.map(\.verdict), [.pass, .fail, .pass, .fail, .pass, .error])
        XCTAssertEqual(results[1].message, "expected 4, got 3")
        XCTAssertEqual(results[3].message, "expected 2, got 1")
        XCTAssertTrue(results[5].message?.contains("42703") == true, results[5].message ?? "")
    }

    func testGeneratedSuitePassesThenBrokenLoadFailsTheRightChecks() throws {
        let data = TestServer.scratchDirectory("validate")
        let generated = try SparkifyBinary.run(["generate", "--out", data, "--events", "2000", "--songs", "300", "--days", "3", "--seed", "5"])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        let settings = try TestServer.freshDatabase("validate")
        let config = SparkifyBinary.configForTestServer(database: settings.database)
        let loaded = try SparkifyBinary.run(["etl", "--config", config, "--source", data])
        XCTAssertEqual(loaded.status, 0, loaded.stderr)

        let expected = try SparkifyBinary.run(["validate", "--config", config, data + "/expected.sql"])
        XCTAssertEqual(expected.status, 0, expected.stdout)
        XCTAssertTrue(expected.stdout.contains("12 checks: 12 passed, 0 failed, 0 shown"), expected.stdout)
        let standard = try SparkifyBinary.run(["validate", "--config", config])
        XCTAssertEqual(standard.status, 0, standard.stdout)
        XCTAssertTrue(standard.stdout.contains("11 checks: 7 passed, 0 failed, 4 shown"), standard.stdout)

        // Break the load: a duplicated user and a missing time row.
        let broken = try SparkifyBinary.run([
            "query", "--config", config,
            """
            ALTER TABLE analytics.users DROP CONSTRAINT users_pkey;
            INSERT INTO analytics.users SELECT * FROM analytics.users ORDER BY user_id LIMIT 1;
            DELETE FROM analytics.time WHERE start_time = (SELECT min(start_time) FROM analytics.time);
            """,
        ])
        XCTAssertEqual(broken.status, 0, broken.stderr)
        let after = try SparkifyBinary.run(["validate", "--config", config])
        XCTAssertEqual(after.status, 1)
        XCTAssertTrue(after.stdout.contains("FAIL  no duplicate user_id: expected 0, got 1"), after.stdout)
        XCTAssertTrue(after.stdout.contains("FAIL  every songplay's start_time is in time: expected 0, got"), after.stdout)
        XCTAssertTrue(after.stdout.contains("FAIL  users = distinct user ids in staging: expected 0, got 1"), after.stdout)
        XCTAssertTrue(after.stdout.contains("PASS  one songplay per NextSong event"), after.stdout)
        let ground = try SparkifyBinary.run(["validate", "--config", config, data + "/expected.sql"])
        XCTAssertEqual(ground.status, 1)
        XCTAssertTrue(ground.stdout.contains("FAIL  time rows"), ground.stdout)
    }

    func testMalformedSuiteExits2() throws {
        let path = TestServer.scratchDirectory("badsuite") + "/bad.sql"
        try "-- check: a\n-- expect: 1\n".write(toFile: path, atomically: true, encoding: .utf8)
        let run = try SparkifyBinary.run(["validate", "--local", path])
        XCTAssertEqual(run.status, 2)
        XCTAssertTrue(run.stderr.contains("\(path):1: check 'a' has no SQL"), run.stderr)
        let missing = try SparkifyBinary.run(["validate", "--local", "/nonexistent/suite.sql"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertTrue(missing.stderr.contains("/nonexistent/suite.sql: no such file"), missing.stderr)
    }
}
