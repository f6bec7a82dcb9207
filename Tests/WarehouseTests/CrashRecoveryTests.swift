import Foundation
import XCTest

@testable import PostgresClient
@testable import TestSupport
@testable import Warehouse

/// kill -9 of the PostgreSQL server at the worst moments, on a server of the test's own: after
/// a restart, the re-run's tables equal the generator's ground truth. Crash recovery empties
/// UNLOGGED staging tables while the (logged) manifest still lists every file; the copy sees
/// that staging no longer holds what the manifest claims and loads every file again.
final class CrashRecoveryTests: XCTestCase {
    private struct Fixture {
        let warehouse: EmbeddedWarehouse
        let data: String
        let suite: ValidationSuite

        func driver(_ copies: Bool = true) throws -> LoadDriver {
            let config = TestServer.scratchDirectory("crash-cfg") + "/dwh.cfg"
            let settings = warehouse.connectionSettings
            try "[CLUSTER]\nHOST='\(settings.host!)'\nDB_NAME=\(settings.database!)\nDB_USER=\(settings.user!)\n"
                .write(toFile: config, atomically: true, encoding: .utf8)
            chmod(config, 0o600)
            let choice = try TargetChoice.resolve(local: false, configPath: config)
            return try LoadDriver.open(LoadSetup(choice: choice, source: data), copies: copies) { _ in }
        }

        /// kill -9 of the postmaster; its backends die with it (they notice the postmaster gone).
        func killServer() throws {
            let pid = try XCTUnwrap(warehouse.status().pid)
            kill(pid, SIGKILL)
            while kill(pid, 0) == 0 { usleep(20_000) }
        }

        /// Every check of the generator's suite passes on the warehouse.
        func assertMatchesTheGroundTruth(file: StaticString = #filePath, line: UInt = #line) throws {
            let connection = try Connection.warehouse(warehouse.connectionSettings)
            defer { connection.close() }
            for check in suite.checks {
                let result = SuiteRunner.run(check, on: connection)
                XCTAssertNotEqual(result.verdict, .fail, "\(check.name): \(result.message ?? "")", file: file, line: line)
                XCTAssertNotEqual(result.verdict, .error, "\(check.name): \(result.message ?? "")", file: file, line: line)
            }
        }
    }

    private func fixture(_ label: String, days: Int = 4) throws -> Fixture {
        let warehouse = try EmbeddedWarehouse(home: TestServer.scratchDirectory("crash-\(label)"))
        try warehouse.start()
        addTeardownBlock { _ = try? warehouse.stop() }
        var options = DatasetGenerator.Options()
        options.events = 6_000
        options.songs = 600
        options.days = days
        let data = TestServer.scratchDirectory("crash-data-\(label)")
        _ = try DatasetGenerator(directory: data, options: options).run()
        let text = try String(contentsOfFile: data + "/expected.sql", encoding: .utf8)
        return Fixture(warehouse: warehouse, data: data, suite: try ValidationSuite.parse(path: data + "/expected.sql", text: text))
    }

    /// Runs `steps`; a step that fails (the server killed under it) ends the run.
    @discardableResult
    private func run(_ driver: LoadDriver, _ phases: Set<LoadStep.Phase>) -> [StepOutcome] {
        driver.run(LoadStep.steps(in: phases)) { _ in }
    }

    func testKilledWhileIdleAfterALoadTheIncrementalRerunIsRight() throws {
        let fixture = try fixture("idle")
        XCTAssertEqual(run(try fixture.driver(), [.drop, .create, .copy, .insert]).count, 9)
        try fixture.assertMatchesTheGroundTruth()
        try fixture.killServer()
        try fixture.warehouse.start()
        let outcomes = run(try fixture.driver(), [.copy, .insert])
        XCTAssertEqual(outcomes.count, 7)
        let events = try XCTUnwrap(outcomes.first)
        XCTAssertNotNil(events.stagingLost, "staging was emptied by crash recovery and the copy says so")
        XCTAssertEqual(events.filesSkipped, 0, "every file loaded again, none skipped on the manifest's word")
        try fixture.assertMatchesTheGroundTruth()
    }

    func testKilledDuringACopyTheRerunIsRight() throws {
        let fixture = try fixture("copy")
        let driver = try fixture.driver()
        run(driver, [.drop, .create])
        // The copy waits on the manifest (held by another session) after it sent every row:
        // the kill lands inside the copy's transaction every time.
        let holder = try Connection.warehouse(fixture.warehouse.connectionSettings)
        try holder.execute("begin; lock table staging.load_manifest in share mode;")
        let handed = Handed(driver)
        let copying = Background { () -> Int in handed.value.run(LoadStep.steps(in: [.copy])) { _ in }.count }
        usleep(1_500_000)
        try fixture.killServer()
        XCTAssertEqual(try copying.wait().get(), 0, "the copy failed with the server")
        try fixture.warehouse.start()
        XCTAssertEqual(run(try fixture.driver(), [.copy, .insert]).count, 7)
        try fixture.assertMatchesTheGroundTruth()
    }

    func testKilledDuringAnInsertTheRerunIsRight() throws {
        let fixture = try fixture("insert")
        let driver = try fixture.driver()
        run(driver, [.drop, .create, .copy])
        let holder = try Connection.warehouse(fixture.warehouse.connectionSettings)
        try holder.execute("begin; lock table analytics_build.songplays in exclusive mode;")
        let handed = Handed(driver)
        let inserting = Background { () -> [LoadStep] in handed.value.run(LoadStep.steps(in: [.insert])) { _ in }.map(\.step) }
        usleep(800_000)
        try fixture.killServer()
        // songplays waits on the lock when the server dies (time after it never starts); users,
        // songs and artists, run beside it on a second session, may have committed.
        let finished = try inserting.wait().get()
        XCTAssertFalse(finished.contains(.insert(StarSchema.songplays)) || finished.contains(.insert(StarSchema.time)), "\(finished)")
        try fixture.warehouse.start()
        XCTAssertEqual(run(try fixture.driver(), [.copy, .insert]).count, 7)
        try fixture.assertMatchesTheGroundTruth()
    }

    func testKilledDuringAnIncrementalCopyTheRerunIsRight() throws {
        let fixture = try fixture("incremental", days: 4)
        // The first load sees the first two days only; the rest arrive later.
        let later = TestServer.scratchDirectory("crash-later")
        let logs = fixture.data + "/log_data"
        let days = try FileManager.default.subpathsOfDirectory(atPath: logs).filter { $0.hasSuffix(".json") }.sorted()
        XCTAssertEqual(days.count, 4)
        for day in days.suffix(2) {
            try FileManager.default.createDirectory(
                atPath: later + "/" + (day as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.moveItem(atPath: logs + "/" + day, toPath: later + "/" + day)
        }
        XCTAssertEqual(run(try fixture.driver(), [.drop, .create, .copy, .insert]).count, 9)
        for day in days.suffix(2) { try FileManager.default.moveItem(atPath: later + "/" + day, toPath: logs + "/" + day) }

        let driver = try fixture.driver()
        let holder = try Connection.warehouse(fixture.warehouse.connectionSettings)
        try holder.execute("begin; lock table staging.load_manifest in share mode;")
        let handed = Handed(driver)
        let copying = Background { () -> [LoadStep] in handed.value.run(LoadStep.steps(in: [.copy])) { _ in }.map(\.step) }
        usleep(1_500_000)
        try fixture.killServer()
        // The events' copy waits on the manifest when the server dies; the songs' (no new file,
        // nothing to record), running beside it, may have finished.
        XCTAssertFalse(try copying.wait().get().contains(.copy(StarSchema.stagingEvents)))
        try fixture.warehouse.start()
        XCTAssertEqual(run(try fixture.driver(), [.copy, .insert]).count, 7)
        try fixture.assertMatchesTheGroundTruth()
    }
}
