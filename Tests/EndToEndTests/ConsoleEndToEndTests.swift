import Foundation
import XCTest

@testable import PostgresClient
@testable import TestSupport
@testable import Warehouse

/// The real binary in a real terminal (tmux), against a real server: what a user sees and does.
final class ConsoleEndToEndTests: XCTestCase {
    override class func tearDown() {
        TmuxSession.killServer()
        super.tearDown()
    }

    /// The terminal is back in its normal mode after the program ended (the pane prints the
    /// line settings right after the program exits).
    private func assertTerminalRestored(_ screen: String, status: Int, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotNil(screen.line(containing: "EXIT=\(status)"), "exit status \(status):\n\(screen)", file: file, line: line)
        let settings = screen.line(containing: "icanon") ?? ""
        XCTAssertTrue(settings.contains("icanon") && !settings.contains("-icanon"), "canonical mode is back: \(settings)", file: file, line: line)
        XCTAssertTrue(settings.contains("echo") && !settings.contains("-echo "), "echo is back: \(settings)", file: file, line: line)
        XCTAssertNil(screen.line(containing: "┌─ Cluster"), "the console's screen is gone (alternate screen left)", file: file, line: line)
    }

    /// The console on `config`, after drop then create, one step at a time (the runner's
    /// selection is left on create).
    private func consoleWithEmptyTables(_ config: String) throws -> TmuxSession {
        let console = try TmuxSession(["--config", config])
        try console.waitFor(text: "● connected")
        try console.press("Enter")
        try console.waitFor("drop done") { $0.line(containing: "drop ")?.contains("✓ done") ?? false }
        try console.press("j", "Enter")
        try console.waitFor("create done") { $0.line(containing: "create ")?.contains("✓ done") ?? false }
        return console
    }

    private func loadingConfig(_ label: String, events: Int = 3_000, songs: Int = 2_000) throws -> (
        config: String, truth: GroundTruth, settings: ConnectionSettings
    ) {
        let folder = TestServer.scratchDirectory("console-" + label)
        var options = DatasetGenerator.Options()
        options.events = events
        options.songs = songs
        options.days = 3
        let truth = try DatasetGenerator(directory: folder, options: options).run()
        let settings = try TestServer.freshDatabase(label)
        let config = SparkifyBinary.configForTestServer(
            database: settings.database!,
            extra: """
                [S3]
                LOG_DATA=\(folder)/log_data
                LOG_JSONPATH=\(folder)/log_json_path.json
                SONG_DATA=\(folder)/song_data

                """)
        return (config, truth, settings)
    }

    func testFirstRunOnTheEmbeddedWarehouseLoadsTheDemoAndTheCountsMatchIt() throws {
        let home = TestServer.scratchDirectory("console-xdg")
        let environment = ["XDG_DATA_HOME": home]
        defer { _ = try? SparkifyBinary.run(["local", "stop"], environment: environment) }
        let console = try TmuxSession(["--local"], environment: environment)

        var screen = try console.waitFor("the panes and a live connection", timeout: 120) {
            $0.contains("● connected") && $0.contains("Tables") && $0.contains("ETL runner") && $0.contains("Query")
        }
        XCTAssertNotNil(screen.line(containing: "target   embedded"), screen)
        XCTAssertEqual(screen.paneCount("analytics.songplays"), "—", "no tables before the first load")

        try console.press("a")
        screen = try console.waitFor("every step done", timeout: 120) { $0.line(containing: "insert time")?.contains("✓ done") ?? false }
        let truth = try DatasetGenerator(directory: TestServer.scratchDirectory("demo-truth"), options: DatasetGenerator.Options()).run()
        screen = try console.waitFor("the counts of the generated data") { $0.paneCount("analytics.time") == Figures.count(truth.timeRows) }
        XCTAssertEqual(screen.paneCount("staging.events"), Figures.count(truth.stagingEvents), screen)
        XCTAssertEqual(screen.paneCount("staging.songs"), Figures.count(truth.stagingSongs))
        XCTAssertEqual(screen.paneCount("analytics.songplays"), Figures.count(truth.songplays))
        XCTAssertEqual(screen.paneCount("analytics.users"), Figures.count(truth.users))
        XCTAssertEqual(screen.paneCount("analytics.songs"), Figures.count(truth.songs))
        XCTAssertEqual(screen.paneCount("analytics.artists"), Figures.count(truth.artists))
        XCTAssertEqual(screen.paneCount("staging.load_errors"), "0")
        XCTAssertTrue(screen.line(containing: "insert songplays")?.contains(Figures.count(truth.songplays)) ?? false, screen)

        // The query pane answers from the loaded warehouse.
        try console.press("Tab")
        try console.type("select count(*) as plays from analytics.songplays where level = 'paid'")
        try console.press("F5")
        screen = try console.waitFor(text: "1 row in")
        XCTAssertNotNil(screen.line(containing: "plays"))

        // The default suite passes on the load, and so does the one the generator wrote for it.
        try console.press("F7")
        try console.waitFor(text: "Run a validation suite")
        try console.press("Enter")
        let checks = DefaultSuite.suite.checks.count
        screen = try console.waitFor("the default suite's verdict") { $0.contains("· \(checks) checks") && !$0.contains("running") }
        XCTAssertNotNil(screen.line(containing: "0 failed"), screen)
        XCTAssertNotNil(screen.line(containing: "✓  \(DefaultSuite.suite.checks[0].name)"), screen)
        try console.press("F7")
        try console.waitFor(text: "The generator's suite")
        try console.press("Down", "Enter")
        let generatedPath = home + "/sparkify/demo/expected.sql"
        let generated = try ValidationSuite.parse(path: generatedPath, text: String(contentsOfFile: generatedPath, encoding: .utf8))
        XCTAssertNotEqual(generated.checks.count, checks, "the two suites can be told apart on screen")
        screen = try console.waitFor("the generator's suite's verdict") {
            $0.contains("\(generated.checks.count) passed · 0 failed · \(generated.checks.count) checks")
        }
        XCTAssertNotNil(screen.line(containing: "✓  \(generated.checks[0].name)"), screen)
        XCTAssertNotNil(screen.line(containing: " \(truth.paidPlays) "), "paid plays \(truth.paidPlays):\n\(screen)")

        try console.press("F10")
        screen = try console.waitFor("the exit status and the line settings after it") { $0.contains("EXIT=") && $0.contains("icanon") }
        assertTerminalRestored(screen, status: 0)
    }

    func testCancellingACopyRollsItBackAndTheStepCanRunAgain() throws {
        let (config, truth, settings) = try loadingConfig("cancel")
        let console = try consoleWithEmptyTables(config)

        // Another session holds the manifest: the copy sends every row, then waits to record
        // its files, so the cancel lands in the middle of a copy whatever the machine's speed.
        let blocker = try Connection(settings)
        defer { blocker.close() }
        try blocker.execute("BEGIN; LOCK TABLE staging.load_manifest IN SHARE MODE;")
        try console.press("j", "Enter")
        var screen = try console.waitFor("the copy running with every row sent") {
            ($0.line(containing: "copy staging.events")?.contains("▶ running") ?? false) && $0.contains("100%")
        }
        XCTAssertNotNil(screen.line(containing: "files 3/3"), screen)

        // Quitting while it runs asks first; staying keeps it running.
        try console.press("q")
        try console.waitFor(text: "copy staging.events is running.")
        try console.press("n")
        try console.waitFor("the question gone") { !$0.contains("Quit?") }

        try console.press("C-c")
        screen = try console.waitFor("the copy cancelled") { $0.line(containing: "copy staging.events")?.contains("⊘ cancelled") ?? false }
        try console.waitFor(text: "rolled back")
        try blocker.execute("COMMIT;")
        XCTAssertEqual(try blocker.execute("select count(*) from staging.events").scalar, "0", "nothing of the cancelled copy is left")
        XCTAssertEqual(try blocker.execute("select count(*) from staging.load_manifest").scalar, "0")

        // The same step again, now unblocked, loads everything once.
        try console.press("Enter")
        screen = try console.waitFor("the copy done") { $0.line(containing: "copy staging.events")?.contains("✓ done") ?? false }
        XCTAssertTrue(screen.line(containing: "copy staging.events")?.contains(Figures.count(truth.stagingEvents)) ?? false, screen)
        XCTAssertEqual(try blocker.execute("select count(*) from staging.events").scalar, String(truth.stagingEvents))
        try console.waitFor("the count refreshed") { $0.paneCount("staging.events") == Figures.count(truth.stagingEvents) }
    }

    /// The song copy runs beside the events copy on a second session; a lock it waits for is
    /// named on its line (the monitor watches both sessions), and the load goes on once the
    /// holder lets go.
    func testASecondSessionsLockWaitIsNamed() throws {
        let (config, truth, settings) = try loadingConfig("side_lock", events: 500, songs: 200)
        let console = try consoleWithEmptyTables(config)

        let blocker = try Connection(settings)
        defer { blocker.close() }
        try blocker.execute("BEGIN; LOCK TABLE staging.songs IN ACCESS EXCLUSIVE MODE;")
        try console.press("j", "a")  // copy staging.events and every step after it
        let screen = try console.waitFor(text: "copy staging.songs: waiting")
        XCTAssertNotNil(screen.line(containing: "for a lock held by session \(blocker.backendPID)"), screen)
        // The monitor's counts do not wait on the lock either: they say they are from before.
        try console.waitFor(text: "counts: a table is locked")
        try blocker.execute("COMMIT;")
        let done = try console.waitFor("every step done") { $0.line(containing: "insert time")?.contains("✓ done") ?? false }
        try console.waitFor("the counts read again") { !$0.contains("counts: a table is locked") }
        XCTAssertNil(done.line(containing: "copy staging.songs: waiting"), done)
        XCTAssertEqual(try blocker.execute("select count(*) from staging.songs").scalar, String(truth.stagingSongs))
    }

    func testResizeRedrawsEveryPaneToTheNewSize() throws {
        let (config, _, _) = try loadingConfig("resize", events: 200, songs: 100)
        let console = try TmuxSession(["--config", config], rows: 36, cols: 120)
        var screen = try console.waitFor(text: "● connected")
        XCTAssertTrue(screen.split(separator: "\n").contains { $0.count > 100 }, "drawn at 120 columns")

        try console.resize(rows: 24, cols: 80)
        screen = try console.waitFor("the 80x24 layout") { screen in
            let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
            // The whole frame, not its first lines only: a capture may land while the terminal
            // is still being repainted.
            return lines.count >= 24 && lines[1].hasPrefix("┌─ Cluster") && lines[1].hasSuffix("┐") && lines[1].count == 80
                && lines[22].hasSuffix("┘") && lines[23].contains("F1 help")
        }
        let lines = screen.split(separator: "\n", omittingEmptySubsequences: false)
        for title in ["Cluster", "Tables", "ETL runner", "Query"] {
            XCTAssertNotNil(screen.line(containing: "─ \(title) "), "\(title) at 80x24:\n\(screen)")
        }
        XCTAssertTrue(lines[22].hasPrefix("└") && lines[22].hasSuffix("┘"), "the panes end above the status line:\n\(screen)")
        XCTAssertTrue(lines[23].contains("F1 help"), "the status line is on the last row")
        XCTAssertTrue(lines.allSatisfy { $0.count <= 80 }, "nothing drawn past the new width")

        try console.resize(rows: 40, cols: 140)
        screen = try console.waitFor("the 140x40 layout") { $0.split(separator: "\n").dropFirst().first?.count == 140 }
        XCTAssertTrue(screen.split(separator: "\n", omittingEmptySubsequences: false)[38].hasSuffix("┘"), screen)
    }

    func testSigtermAndSighupHandTheTerminalBack() throws {
        let (config, _, _) = try loadingConfig("signals", events: 200, songs: 100)
        for (signal, status) in [(SIGTERM, 143), (SIGHUP, 129)] {
            let console = try TmuxSession(["--config", config], rows: 24, cols: 80)
            try console.waitFor(text: "● connected")
            kill(try console.programPID(), signal)
            let screen = try console.waitFor("the exit status and the line settings after it") { $0.contains("EXIT=") && $0.contains("icanon") }
            assertTerminalRestored(screen, status: status)
        }
    }
}
