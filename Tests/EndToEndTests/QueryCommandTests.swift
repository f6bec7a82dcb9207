import XCTest

@testable import PostgresClient
@testable import TestSupport
@testable import Warehouse

/// The headless `sparkify query` command, run as the real binary.
final class QueryCommandTests: XCTestCase {
    func testTableOutput() throws {
        let run = try SparkifyBinary.run([
            "query", "--config", SparkifyBinary.configForTestServer(),
            "select 1 as n, 'Beyoncé' as artist, null as missing",
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(
            run.stdout,
            """
             n | artist  | missing 
            ---+---------+---------
             1 | Beyoncé |         
            (1 row)

            """)
    }

    func testCSVKeepsNullApartFromEmpty() throws {
        let run = try SparkifyBinary.run([
            "query", "--config", SparkifyBinary.configForTestServer(), "--format", "csv",
            "select 'a,b' as t, null as n, '' as e, 'say \"hi\"' as q",
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "t,n,e,q\n\"a,b\",,\"\",\"say \"\"hi\"\"\"\n")
    }

    func testJSONKeepsTypes() throws {
        let run = try SparkifyBinary.run([
            "query", "--config", SparkifyBinary.configForTestServer(), "--format", "json",
            "select g as id, g > 1 as big, 'x\"' || g as label, null as n from generate_series(1,2) g",
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        let decoded = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]]
        XCTAssertEqual(decoded?.count, 2)
        XCTAssertEqual(decoded?[1]["id"] as? Int, 2)
        XCTAssertEqual(decoded?[1]["big"] as? Bool, true)
        XCTAssertEqual(decoded?[1]["label"] as? String, "x\"2")
        XCTAssertTrue(decoded?[0]["n"] is NSNull)
    }

    func testStreamsALargeResult() throws {
        let run = try SparkifyBinary.run([
            "query", "--config", SparkifyBinary.configForTestServer(), "--format", "csv",
            "select g from generate_series(1, 100000) g",
        ])
        XCTAssertEqual(run.status, 0, run.stderr)
        let lines = run.stdout.split(separator: "\n")
        XCTAssertEqual(lines.count, 100_001)
        XCTAssertEqual(lines.last, "100000")
    }

    func testErrorExitsNonZeroWithSQLStateAndPosition() throws {
        let run = try SparkifyBinary.run([
            "query", "--config", SparkifyBinary.configForTestServer(),
            "select count(*)\nfrom songplayz",
        ])
        XCTAssertEqual(run.status, 1)
        XCTAssertEqual(run.stdout, "")
        XCTAssertTrue(run.stderr.contains("ERROR 42P01: relation \"songplayz\" does not exist"), run.stderr)
        XCTAssertTrue(run.stderr.contains("LINE 2: from songplayz\n             ^"), run.stderr)
    }

    func testCtrlCCancelsOnTheServerAndExits130() throws {
        let run = try SparkifyBinary.run(
            [
                "query", "--config", SparkifyBinary.configForTestServer(),
                "select pg_sleep(30)",
            ], interruptAfter: 1.0)
        XCTAssertEqual(run.status, 130, run.stderr)
        XCTAssertTrue(run.stderr.contains("cancelled"), run.stderr)
    }

    func testWrongPasswordIsClearAndNeverEchoed() throws {
        let role = TestServer.passwordRole
        let config = SparkifyBinary.configForTestServer(password: "Wr0ng-Secret")
        var text = try String(contentsOfFile: config, encoding: .utf8)
        text = text.replacingOccurrences(of: "DB_USER=sparkify", with: "DB_USER=\(role.user)")
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        let run = try SparkifyBinary.run(["query", "--config", config, "select 1"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("password authentication failed"), run.stderr)
        XCTAssertFalse((run.stdout + run.stderr).contains("Wr0ng-Secret"))
    }

    func testConfigErrorNamesFileLineAndKey() throws {
        let config = SparkifyBinary.configForTestServer()
        try "[CLUSTER]\nHOST=h\nDB_NAME=d\nDB_USER=u\nDB_PORT=abc\n".write(toFile: config, atomically: true, encoding: .utf8)
        let run = try SparkifyBinary.run(["query", "--config", config, "select 1"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("\(config):5: [CLUSTER] DB_PORT: must be a whole number"), run.stderr)
    }

    func testLocalStartsTheEmbeddedWarehouseAndAnswers() throws {
        let data = TestServer.scratchDirectory("xdg")
        let environment = ["XDG_DATA_HOME": data]
        defer { _ = try? SparkifyBinary.run(["local", "stop"], environment: environment) }
        let stopped = try SparkifyBinary.run(["local", "status"], environment: environment)
        XCTAssertEqual(stopped.status, 3)
        XCTAssertTrue(stopped.stdout.contains("not created yet"), stopped.stdout)

        let run = try SparkifyBinary.run(["query", "--local", "--format", "csv", "select 1 as one"], environment: environment)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "one\n1\n")
        XCTAssertTrue(run.stderr.contains("creating the embedded warehouse"), run.stderr)

        let status = try SparkifyBinary.run(["local", "status"], environment: environment)
        XCTAssertEqual(status.status, 0)
        XCTAssertTrue(status.stdout.contains("running (pid"), status.stdout)
        XCTAssertEqual(try SparkifyBinary.run(["local", "start"], environment: environment).stdout.prefix(15), "already running")
        XCTAssertEqual(try SparkifyBinary.run(["local", "stop"], environment: environment).stdout, "stopped\n")
    }

    func testVersionAndHelp() throws {
        XCTAssertEqual(try SparkifyBinary.run(["--version"]).stdout, "0.1.0\n")
        let help = try SparkifyBinary.run(["--help"])
        XCTAssertTrue(help.stdout.contains("query"))
        XCTAssertTrue(help.stdout.contains("local"))
    }

    /// COPY … TO STDOUT writes its data (it used to vanish with exit 0), in every format.
    func testCopyToStdoutWritesItsData() throws {
        for format in ["table", "csv", "json"] {
            let run = try SparkifyBinary.run([
                "query", "--config", SparkifyBinary.configForTestServer(), "--format", format,
                "copy (select g, 'row ' || g from generate_series(1, 3) g) to stdout",
            ])
            XCTAssertEqual(run.status, 0, run.stderr)
            XCTAssertEqual(run.stdout, "1\trow 1\n2\trow 2\n3\trow 3\n", format)
        }
        let mixed = try SparkifyBinary.run([
            "query", "--config", SparkifyBinary.configForTestServer(), "--format", "csv",
            "select 1 as a; copy (select 2) to stdout; select 3 as b",
        ])
        XCTAssertEqual(mixed.status, 0, mixed.stderr)
        XCTAssertEqual(mixed.stdout, "a\n1\n2\nb\n3\n", "nothing dropped among several statements")
    }

    func testNoStatementIsSaidSoAndExits2() throws {
        for sql in ["", "  ", ";", "-- nothing", "/* only a comment */ ;"] {
            let run = try SparkifyBinary.run(["query", "--config", SparkifyBinary.configForTestServer(), sql])
            XCTAssertEqual(run.status, 2, "\(sql.debugDescription): \(run.stderr)")
            XCTAssertTrue(run.stderr.contains("nothing to run: the SQL holds no statement"), "\(sql.debugDescription): \(run.stderr)")
        }
        let typo = try SparkifyBinary.run(["query", "--config", SparkifyBinary.configForTestServer(), "--formt", "csv", "select 1"])
        XCTAssertNotEqual(typo.status, 0)
        XCTAssertTrue(typo.stderr.contains("unknown option '--formt'"), typo.stderr)
    }

    /// Past an argument's 128 KiB: SQL from a file, or from standard input.
    func testSQLFromAFileOrStandardInput() throws {
        let config = SparkifyBinary.configForTestServer()
        let file = TestServer.scratchDirectory("sql") + "/big.sql"
        let padding = String(repeating: "-- padding to make the file larger than one argument may be\n", count: 3_000)
        try (padding + "select count(*) as n from generate_series(1, 7);\n").write(toFile: file, atomically: true, encoding: .utf8)
        let fromFile = try SparkifyBinary.run(["query", "--config", config, "--format", "csv", "-f", file])
        XCTAssertEqual(fromFile.status, 0, fromFile.stderr)
        XCTAssertEqual(fromFile.stdout, "n\n7\n")
        for dash in [["-"], ["-f", "-"]] {
            let command =
                "printf 'select 41 + 1 as answer' | '\(SparkifyBinary.path)' query --config '\(config)' --format csv \(dash.joined(separator: " "))"
            let piped = try ProcessRunner.run("/bin/sh", ["-c", command], environment: ProcessInfo.processInfo.environment)
            XCTAssertEqual(piped.status, 0, piped.output)
            XCTAssertEqual(piped.output, "answer\n42\n")
        }
        let missing = try SparkifyBinary.run(["query", "--config", config, "-f", "/nonexistent/q.sql"])
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stderr.contains("/nonexistent/q.sql: cannot be read"), missing.stderr)
    }
}
