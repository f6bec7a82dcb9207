import Foundation
import XCTest

@testable import TestSupport
@testable import Warehouse

/// `sparkify etl` killed with SIGKILL in the middle of a copy: nothing of that step is kept,
/// and the next run loads everything once.
final class ETLFaultTests: XCTestCase {
    func testSparkifyKilledMidCopyLeavesNothingHalfLoaded() throws {
        let data = Dataset("etl_kill")
        let play = Dataset.play(#""Song""#, by: #""Band""#, length: "200.0", ts: 1_541_903_636_796, session: 1, item: 1)
        data.writeLog("day.json", (0..<5_000).map { play.replacingOccurrences(of: "\"itemInSession\":1", with: "\"itemInSession\":\($0)") })
        data.writeSong("A/TR.json", Dataset.song(id: "SO1", title: #""Song""#, artist: #""Band""#, artistID: "AR1", duration: "200.0"))
        // The copy sends every row, then waits on the manifest another session holds: the kill
        // lands inside the copy's transaction every time.
        let held = try HeldManifest("etl_kill", data: data, steps: "copy")
        let (etl, watcher, holder, config) = (held.etl, held.watcher, held.holder, held.config)
        XCTAssertTrue(try watcher.waitForLockWaiters(), "the copy reached the manifest")
        etl.signal(SIGKILL)
        let outcome = try etl.wait()
        XCTAssertEqual(outcome.status, 128 + SIGKILL)
        try held.release()

        // The server notices the client is gone and rolls the step back.
        // (the holder's session is the only other one left once the killed load's is gone).
        for _ in 0..<100 {
            let others = try watcher.execute(
                "select count(*) from pg_stat_activity where datname = current_database() and pid not in (pg_backend_pid(), \(holder.backendPID))"
            ).scalar
            if others == "0" { break }
            usleep(100_000)
        }
        XCTAssertEqual(try watcher.execute("select count(*) from staging.events").scalar, "0", "nothing half-loaded")
        XCTAssertEqual(try watcher.execute("select count(*) from staging.load_manifest").scalar, "0")

        let again = try SparkifyBinary.run(["etl", "--config", config, "--source", data.root, "--steps", "copy,insert"])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try watcher.execute("select count(*) from staging.events").scalar, "5000")
        XCTAssertEqual(try watcher.execute("select count(*) from songplays").scalar, "5000")
    }
}
