import Foundation
import XCTest

@testable import PostgresClient
@testable import TestSupport
@testable import Warehouse

/// A warehouse whose disk fills: a load fails whole and says why, the server and sparkify stay
/// usable (nothing is written at start when nothing changed), and once space is freed the same
/// load runs. On a small tmpfs of its own, mounted by the test (root only; skipped otherwise).
final class DiskFullTests: XCTestCase {
    private var mountPoint: String?

    override func tearDown() {
        if let mountPoint { _ = try? ProcessRunner.run("/bin/umount", ["-l", mountPoint], environment: [:]) }
        super.tearDown()
    }

    private func mountSmallDisk(megabytes: Int) throws -> String {
        guard getuid() == 0 else { throw XCTSkip("mounting a tmpfs needs root") }
        let point = TestServer.scratchDirectory("tmpfs")
        let outcome = try ProcessRunner.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(megabytes)m,mode=0755", "tmpfs", point], environment: [:])
        guard outcome.status == 0 else { throw XCTSkip("cannot mount a tmpfs here: \(outcome.output)") }
        mountPoint = point
        return point
    }

    /// Writes zeros into `path` until the disk refuses; returns the bytes written.
    @discardableResult
    private func fill(_ path: String) -> Int {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        defer { close(descriptor) }
        let chunk = [UInt8](repeating: 0, count: 1 << 20)
        var written = 0
        while true {
            let count = chunk.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            written += count
        }
        fsync(descriptor)
        return written
    }

    func testALoadOnAFullDiskFailsWholeAndRunsOnceSpaceIsFreed() throws {
        let disk = try mountSmallDisk(megabytes: 192)
        let warehouse = try EmbeddedWarehouse(home: disk + "/home")
        try warehouse.start()
        defer { _ = try? warehouse.stop() }

        let data = Dataset("disk_full")
        let play = Dataset.play(#""Song""#, by: #""Band""#, length: "200.0", ts: 1_541_903_636_796, session: 1, item: 1)
        data.writeLog("day.json", Array(repeating: play, count: 20_000))
        data.writeSong("A/TR.json", Dataset.song(id: "SO1", title: #""Song""#, artist: #""Band""#, artistID: "AR1", duration: "200.0"))
        let connection = try Connection.warehouse(warehouse.connectionSettings)
        let runner = LoadRunner(connection: connection, plan: LoadPlan(dialect: PostgresDialect()), sources: data.sources)
        _ = try runner.run(.drop)
        _ = try runner.run(.create)

        let filler = disk + "/filler"
        XCTAssertGreaterThan(fill(filler), 0)
        XCTAssertNoThrow(try warehouse.start(), "the server runs and nothing changed: a full disk must not lock the user out")

        XCTAssertThrowsError(try runner.run(.copy(StarSchema.stagingEvents))) { error in
            let failure = error as? StepFailure
            XCTAssertEqual((failure?.underlying as? DatabaseError)?.sqlState, SQLState.diskFull, "\(error)")
            XCTAssertEqual(failure.flatMap(LoadDriver.hint(for:)), .freeDiskSpace)
        }

        try FileManager.default.removeItem(atPath: filler)
        let outcome = try runner.run(.copy(StarSchema.stagingEvents))
        XCTAssertEqual(outcome.rows, 20_000, "the same load, whole, once there is room")
        XCTAssertEqual(Int(try connection.execute("select count(*) from staging.load_manifest").scalar ?? ""), 1)
        connection.close()
    }

    func testSettingsThatCannotBeWrittenSayTheDiskIsFull() throws {
        let disk = try mountSmallDisk(megabytes: 192)
        let warehouse = try EmbeddedWarehouse(home: disk + "/home")
        try warehouse.start()
        _ = try warehouse.stop()
        // A changed setting must be written; on a full disk the message says so in words.
        let settings = warehouse.dataDirectory + "/sparkify.conf"
        try "# an older sparkify's settings\n".write(toFile: settings, atomically: true, encoding: .utf8)
        fill(disk + "/filler")
        XCTAssertThrowsError(try warehouse.start()) { error in
            XCTAssertTrue("\(error)".hasPrefix("the disk holding \(warehouse.dataDirectory) is full"), "\(error)")
        }
    }
}
