import Foundation
import XCTest

@testable import TestSupport
@testable import Warehouse

/// `--rehearse` as users run it: the real binary loads with the Redshift plan on its own
/// embedded server (a data folder of the test's own), and every table equals the PostgreSQL
/// load of the same files.
final class RehearsalCommandTests: XCTestCase {
    private func compareWithLocalLoad(_ source: String, label: String, maxErrors: Int = 5) throws -> [String: String] {
        let environment = ["XDG_DATA_HOME": TestServer.scratchDirectory("xdg-\(label)")]
        defer { _ = try? SparkifyBinary.run(["local", "stop"], environment: environment) }
        let rehearsed = try SparkifyBinary.run(
            ["etl", "--rehearse", "--source", source, "--max-errors", String(maxErrors)], environment: environment)
        XCTAssertEqual(rehearsed.status, 0, rehearsed.stderr)
        XCTAssertTrue(rehearsed.stdout.contains("rows (≈ estimate)"), "the counts say what they are:\n\(rehearsed.stdout)")
        let local = try SparkifyBinary.run(["etl", "--local", "--source", source, "--max-errors", String(maxErrors)], environment: environment)
        XCTAssertEqual(local.status, 0, local.stderr)
        var counts: [String: String] = [:]
        for table in TableCounts.watched.map(\.qualifiedName) {
            let sql = "select count(*) from \(table)"
            let onRehearsal = try SparkifyBinary.run(["query", "--rehearse", "--format", "csv", sql], environment: environment)
            let onLocal = try SparkifyBinary.run(["query", "--local", "--format", "csv", sql], environment: environment)
            XCTAssertEqual(onRehearsal.stdout, onLocal.stdout, "\(table): the Redshift plan and the PostgreSQL load agree")
            counts[table] = onRehearsal.stdout.split(separator: "\n").last.map(String.init)
        }
        // The same plays, level and song matches included.
        let plays = "select md5(string_agg(start_time || user_id || coalesce(song_id, '') || level, ',' order by start_time, user_id)) from songplays"
        XCTAssertEqual(
            try SparkifyBinary.run(["query", "--rehearse", "--format", "csv", plays], environment: environment).stdout,
            try SparkifyBinary.run(["query", "--local", "--format", "csv", plays], environment: environment).stdout)
        let reject = try SparkifyBinary.run(
            ["query", "--rehearse", "--format", "csv", "select file, line, reason from staging.load_errors order by file, line"],
            environment: environment)
        counts["rejects"] = reject.stdout
        return counts
    }

    func testTheGeneratedDataLoadsToItsGroundTruthWithTheRedshiftPlan() throws {
        let data = TestServer.scratchDirectory("rehearse-generated")
        let generated = try SparkifyBinary.run(["generate", "--out", data, "--events", "3000", "--songs", "300", "--days", "2"])
        XCTAssertEqual(generated.status, 0, generated.stderr)
        // One more event whose user id Redshift's integer column refuses.
        let log = data + "/log_data/2018/11/2018-11-01-events.json"
        let lines = try String(contentsOfFile: log, encoding: .utf8).components(separatedBy: "\n").count
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: log))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(("\n" + Dataset.event(["userId": "\"12.5\""])).utf8))
        try handle.close()

        // The dry run prints the plan the rehearsal runs: Redshift's, reading the folder.
        let plan = try SparkifyBinary.run(["etl", "--rehearse", "--source", data, "--dry-run"])
        XCTAssertTrue(plan.stdout.hasPrefix("-- sparkify etl plan for Redshift"), plan.stdout.prefix(200) + "")
        XCTAssertTrue(plan.stdout.contains("FROM '\(FileListing.identity(of: data))/log_data'"), plan.stdout)

        let counts = try compareWithLocalLoad(data, label: "generated")
        XCTAssertEqual(counts["staging.load_errors"], "1")
        XCTAssertTrue(
            counts["rejects"]?.contains("2018-11-01-events.json,\(lines + 1),\"column user_id: 1207: Invalid digit, Value '.', Pos 2, Type: Integer")
                == true,
            counts["rejects"] ?? "")
    }

    func testThePublicSampleLoadsAlikeWithTheRedshiftPlan() throws {
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../shared/data/udacity-sample").standardized.path
        try XCTSkipUnless(FileManager.default.fileExists(atPath: sample), "the shared sample is not beside this clone")
        // A copy of it, in the test's scratch space, with one more line Redshift refuses.
        let copy = TestServer.scratchDirectory("sample-copy") + "/sample"
        try FileManager.default.copyItem(atPath: sample, toPath: copy)
        let logs = try XCTUnwrap(
            FileManager.default.enumerator(atPath: copy + "/log_data")?.compactMap { $0 as? String }.filter { $0.hasSuffix(".json") }.sorted().first)
        let log = copy + "/log_data/" + logs
        let lines = try String(contentsOfFile: log, encoding: .utf8).components(separatedBy: "\n").count
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: log))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(("\n" + Dataset.event(["userId": "\"12.5\""])).utf8))
        try handle.close()

        let counts = try compareWithLocalLoad(copy, label: "sample", maxErrors: 5)
        XCTAssertEqual(counts["staging.events"], "8056", "the real registration values load; the bad line does not")
        XCTAssertEqual(counts["analytics.songplays"], "6820")
        XCTAssertTrue(
            counts["rejects"]?.contains("\(logs),\(lines + 1),\"column user_id: 1207: Invalid digit, Value '.', Pos 2, Type: Integer") == true,
            counts["rejects"] ?? "")
    }

    func testValidateRunsTheGeneratorsSuiteOnTheRehearsal() throws {
        let environment = ["XDG_DATA_HOME": TestServer.scratchDirectory("xdg-validate")]
        defer { _ = try? SparkifyBinary.run(["local", "stop"], environment: environment) }
        let data = TestServer.scratchDirectory("rehearse-validate")
        XCTAssertEqual(try SparkifyBinary.run(["generate", "--out", data, "--events", "2000", "--songs", "200", "--days", "2"]).status, 0)
        let load = try SparkifyBinary.run(["etl", "--rehearse", "--source", data], environment: environment)
        XCTAssertEqual(load.status, 0, load.stderr)
        let checks = try SparkifyBinary.run(["validate", "--rehearse", data + "/expected.sql"], environment: environment)
        XCTAssertEqual(checks.status, 0, checks.stdout + checks.stderr)
        XCTAssertTrue(checks.stdout.contains("0 failed"), checks.stdout)
    }

    /// The console on the rehearsal: it says what it is, runs the Redshift plan, counts with
    /// Redshift's estimates marked, and `\\d` describes the table it names.
    func testTheConsoleRunsTheRedshiftPlanOnTheRehearsal() throws {
        let home = TestServer.scratchDirectory("console-rehearse-xdg")
        let environment = ["XDG_DATA_HOME": home]
        defer { _ = try? SparkifyBinary.run(["local", "stop"], environment: environment) }
        let folder = TestServer.scratchDirectory("console-rehearse-data")
        var options = DatasetGenerator.Options()
        options.events = 2_000
        options.songs = 300
        options.days = 2
        let truth = try DatasetGenerator(directory: folder, options: options).run()

        let console = try TmuxSession(["--rehearse", "--source", folder], environment: environment)
        var screen = try console.waitFor("the panes and a live connection", timeout: 120) { $0.contains("● connected") && $0.contains("ETL runner") }
        XCTAssertNotNil(screen.line(containing: "target   Redshift rehearsal"), screen)
        try console.press("a")
        screen = try console.waitFor("every step done", timeout: 120) { $0.line(containing: "insert time")?.contains("✓ done") ?? false }
        screen = try console.waitFor("the estimated counts") { $0.paneCount("analytics.songplays") == "≈" + Figures.count(truth.songplays) }
        XCTAssertEqual(screen.paneCount("staging.events"), "≈" + Figures.count(truth.stagingEvents), screen)
        XCTAssertTrue(screen.contains("≈ Redshift's estimates"), screen)

        try console.press("Tab")
        try console.type("\\d staging.songs")
        try console.press("F5")
        screen = try console.waitFor(text: "source_file")
        XCTAssertNotNil(screen.line(containing: "artist_latitude"), screen)
        XCTAssertNotNil(screen.line(containing: "num_songs"), "staging's columns, not analytics.songs':\n\(screen)")
        try console.press("F10")
    }
}
