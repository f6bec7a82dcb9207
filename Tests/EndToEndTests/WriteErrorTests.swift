import Foundation
import XCTest

@testable import PostgresClient
@testable import TestSupport
@testable import Warehouse

/// Every command's standard output on a full disk (`/dev/full` answers every write with
/// ENOSPC): exit 1 and a message naming what failed, never exit 0 with the output cut, and
/// never a crash after the work is done.
final class WriteErrorTests: XCTestCase {
    /// The real binary with its standard output on /dev/full.
    private func runToFullDisk(_ arguments: [String]) throws -> SparkifyBinary.Run {
        let running = try ProcessRunner.start(
            "/bin/sh", ["-c", #"exec "$0" "$@" > /dev/full"#, SparkifyBinary.path] + arguments,
            environment: ProcessInfo.processInfo.environment, separateErrors: true)
        let outcome = try running.wait()
        return SparkifyBinary.Run(status: outcome.status, stdout: outcome.output, stderr: outcome.errors)
    }

    private func assertSaysTheDiskIsFull(_ run: SparkifyBinary.Run, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(run.status, 1, run.stderr, file: file, line: line)
        XCTAssertTrue(run.stderr.contains("cannot write to standard output: No space left on device"), run.stderr, file: file, line: line)
        XCTAssertFalse(run.stderr.contains("crashed"), run.stderr, file: file, line: line)
    }

    func testQueryOnAFullDiskFailsAndSaysSo() throws {
        let settings = try TestServer.freshDatabase("fullquery")
        let config = SparkifyBinary.configForTestServer(database: settings.database)
        assertSaysTheDiskIsFull(try runToFullDisk(["query", "--config", config, "select generate_series(1, 100000) as n"]))
        assertSaysTheDiskIsFull(try runToFullDisk(["query", "--config", config, "--format", "csv", "select 1 as n"]))
    }

    func testETLValidateAndGenerateOnAFullDiskFailAndSaySo() throws {
        let data = Dataset("fulletl")
        data.writeLog("a.json", [Dataset.event([:])])
        data.writeSong("S.json", Dataset.song(id: "SO1", title: #""T""#, artist: #""A""#, artistID: "AR1", duration: "1.0"))
        let settings = try TestServer.freshDatabase("fulletl")
        let config = SparkifyBinary.configForTestServer(database: settings.database)

        // The load itself committed: only its summary could not be written.
        assertSaysTheDiskIsFull(try runToFullDisk(["etl", "--config", config, "--source", data.root]))
        let connection = try Connection.warehouse(settings)
        XCTAssertEqual(try connection.execute("select count(*) from staging.events").scalar, "1")
        assertSaysTheDiskIsFull(try runToFullDisk(["etl", "--config", config, "--source", data.root, "--dry-run"]))
        assertSaysTheDiskIsFull(try runToFullDisk(["validate", "--config", config]))
        let out = TestServer.scratchDirectory("fullgenerate")
        assertSaysTheDiskIsFull(try runToFullDisk(["generate", "--out", out, "--events", "10", "--songs", "5", "--days", "1"]))
    }
}
