import Foundation
import XCTest

@testable import TestSupport
@testable import Warehouse

/// `sparkify etl` as users run it: the real binary against the test server.
final class ETLCommandTests: XCTestCase {
    private func config(_ label: String) throws -> (path: String, database: String) {
        let settings = try TestServer.freshDatabase(label)
        return (SparkifyBinary.configForTestServer(database: settings.database), settings.database!)
    }

    func testLoadsThePublicSampleToTheExpectedCounts() throws {
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../shared/data/udacity-sample").standardized.path
        try XCTSkipUnless(FileManager.default.fileExists(atPath: sample), "the shared sample is not beside this clone")
        let target = try config("sample")
        let run = try SparkifyBinary.run(["etl", "--config", target.path, "--source", sample])
        XCTAssertEqual(run.status, 0, run.stderr)
        for (table, rows) in [
            ("staging.events", "8,056"), ("staging.songs", "71"), ("analytics.songplays", "6,820"),
            ("analytics.users", "97"), ("analytics.songs", "71"), ("analytics.artists", "69"),
            ("analytics.time", "6,813"), ("staging.load_errors", "0"),
        ] {
            XCTAssertTrue(
                run.stdout.range(of: "\(table) +\(rows)\n", options: .regularExpression) != nil,
                "\(table) should have \(rows) rows:\n\(run.stdout)")
        }
        let matched = try SparkifyBinary.run([
            "query", "--config", target.path, "--format", "csv",
            "select count(*) from songplays where song_id is not null",
        ])
        XCTAssertEqual(matched.stdout, "count\n1\n")
    }

    func testBadRecordExitsNonZeroNamingFileAndLine() throws {
        let data = Dataset("cli-bad")
        data.writeLog("a.json", [Dataset.event([:]), "not json"])
        data.writeSong("S.json", Dataset.song(id: "SO1", title: #""T""#, artist: #""A""#, artistID: "AR1", duration: "1.0"))
        let target = try config("clibad")
        let run = try SparkifyBinary.run(["etl", "--config", target.path, "--source", data.root])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("copy staging.events failed and was rolled back"), run.stderr)
        XCTAssertTrue(run.stderr.contains("a.json:2: invalid JSON at byte 1"), run.stderr)

        let skipping = try SparkifyBinary.run(["etl", "--config", target.path, "--source", data.root, "--max-errors", "1"])
        XCTAssertEqual(skipping.status, 0, skipping.stderr)
        XCTAssertTrue(skipping.stdout.contains("1 rejected: see staging.load_errors"), skipping.stdout)
    }

    func testCopyWithoutTablesSaysToCreateThem() throws {
        let data = Dataset("cli-notables")
        data.writeLog("a.json", [Dataset.event([:])])
        data.writeSong("S.json", Dataset.song(id: "SO1", title: #""T""#, artist: #""A""#, artistID: "AR1", duration: "1.0"))
        let target = try config("notables")
        let run = try SparkifyBinary.run(["etl", "--config", target.path, "--source", data.root, "--steps", "copy"])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("run the create step first"), run.stderr)
    }

    func testMistypedSourceIsCaughtBeforeTheDropStep() throws {
        let data = Dataset("cli-keep")
        data.writeLog("a.json", [Dataset.event([:])])
        data.writeSong("S.json", Dataset.song(id: "SO1", title: #""T""#, artist: #""A""#, artistID: "AR1", duration: "1.0"))
        let target = try config("keep")
        XCTAssertEqual(try SparkifyBinary.run(["etl", "--config", target.path, "--source", data.root]).status, 0)
        let typo = try SparkifyBinary.run(["etl", "--config", target.path, "--source", data.root + "-typo"])
        XCTAssertEqual(typo.status, 1)
        XCTAssertTrue(typo.stderr.contains("\(data.root)-typo/log_data: no such folder"), typo.stderr)
        XCTAssertFalse(typo.stderr.contains("drop"), "no step ran: \(typo.stderr)")
        let counts = try SparkifyBinary.run(["query", "--config", target.path, "--format", "csv", "select count(*) from staging.events"])
        XCTAssertEqual(counts.stdout, "count\n1\n", "the loaded warehouse is still there")
    }

    func testMissingSourceIsExplained() throws {
        let target = try config("nosource")
        let run = try SparkifyBinary.run(["etl", "--config", target.path])
        XCTAssertEqual(run.status, 1)
        XCTAssertTrue(run.stderr.contains("give --source DIR"), run.stderr)
    }

    func testInterruptRollsBackTheRunningStepAndExits130() throws {
        let data = Dataset("cli-cancel")
        let play = Dataset.play(#""Song""#, by: #""Band""#, length: "200.0", ts: 1_541_903_636_796, session: 1, item: 1)
        for day in 1...4 { data.writeLog("day\(day).json", Array(repeating: play, count: 5_000)) }
        data.writeSong("S.json", Dataset.song(id: "SO1", title: #""T""#, artist: #""A""#, artistID: "AR1", duration: "1.0"))
        // Both copies send their rows, then wait on the manifest another session holds: the
        // interrupt lands inside their transactions every time (a timer did not, once the
        // copy got fast enough to commit first).
        let held = try HeldManifest("clicancel", data: data, steps: "copy,insert")
        let watcher = held.watcher
        XCTAssertTrue(try watcher.waitForLockWaiters(2), "both copies reached the manifest")
        held.etl.signal(SIGINT)
        let run = try held.etl.wait()
        try held.release()
        XCTAssertEqual(run.status, 130, run.errors)
        XCTAssertTrue(run.errors.contains("cancelled"), run.errors)
        XCTAssertEqual(
            try watcher.execute(
                "select (select count(*) from staging.events) || ',' || (select count(*) from staging.songs) || ','"
                    + " || (select count(*) from staging.load_manifest)"
            ).scalar, "0,0,0", "the cancelled copies left nothing behind")
    }

    /// A step waiting on a lock says whose on stderr (once per holder), then goes on when the
    /// holder lets go: no progress line frozen without a word.
    func testAStepWaitingOnALockSaysWhose() throws {
        let data = Dataset("cli-wait")
        data.writeLog("day.json", [Dataset.event([:])])
        data.writeSong("S.json", Dataset.song(id: "SO1", title: #""T""#, artist: #""A""#, artistID: "AR1", duration: "1.0"))
        let held = try HeldManifest("cliwait", data: data, steps: "copy")
        let (etl, holder) = (held.etl, held.holder)
        var said = false
        for _ in 0..<150 where !said {
            usleep(100_000)
            said = etl.errorsSoFar().contains("waiting for a lock held by session \(holder.backendPID)")
        }
        XCTAssertTrue(said, etl.errorsSoFar())
        try held.release()
        let run = try etl.wait()
        XCTAssertEqual(run.status, 0, run.errors)
        XCTAssertTrue(run.errors.contains("copy staging.events: 1 rows"), run.errors)
        let lines = run.errors.split(separator: "\n").filter { $0.contains("waiting for a lock held by session \(holder.backendPID)") }
        XCTAssertEqual(lines.count, Set(lines).count, "each waiting session says it once: \(run.errors)")
    }

    func testDryRunGoldenForPostgres() throws {
        let run = try SparkifyBinary.run(["etl", "--local", "--dry-run"])
        XCTAssertEqual(run.status, 0, run.stderr)
        try assertGolden("etl-dry-run-postgres.sql", run.stdout)
    }

    func testDryRunGoldenForRedshift() throws {
        let path = TestServer.scratchDirectory("dry") + "/dwh.cfg"
        try """
        [CLUSTER]
        HOST=sparkify.abc123.us-west-2.redshift.amazonaws.com
        DB_NAME=dev
        DB_USER=awsuser
        DB_PASSWORD=never-printed
        [IAM_ROLE]
        ARN='arn:aws:iam::123456789012:role/dwhRole'
        [S3]
        LOG_DATA='s3://udacity-dend/log_data'
        LOG_JSONPATH='s3://udacity-dend/log_json_path.json'
        SONG_DATA='s3://udacity-dend/song_data'
        """.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o600)
        let run = try SparkifyBinary.run(["etl", "--config", path, "--dry-run", "--max-errors", "5"])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertFalse(run.stdout.contains("never-printed"))
        try assertGolden("etl-dry-run-redshift.sql", run.stdout)
    }

    func testAnotherSourceIsRefusedWithExit2UnlessAdded() throws {
        let first = Dataset("cli-srcA")
        first.writeLog("2018/11/day.json", [Dataset.event(["userId": "\"1\""])])
        first.writeSong("A/S.json", Dataset.song(id: "SO1", title: #""T""#, artist: #""A""#, artistID: "AR1", duration: "1.0"))
        let second = Dataset("cli-srcB")
        second.writeLog("2018/11/day.json", [Dataset.event(["userId": "\"2\""]), Dataset.event(["userId": "\"3\""])])
        second.writeSong("A/S.json", Dataset.song(id: "SO2", title: #""U""#, artist: #""B""#, artistID: "AR2", duration: "2.0"))
        let target = try config("srcab")
        XCTAssertEqual(try SparkifyBinary.run(["etl", "--config", target.path, "--source", first.root]).status, 0)

        let refused = try SparkifyBinary.run(["etl", "--config", target.path, "--source", second.root, "--steps", "copy,insert"])
        XCTAssertEqual(refused.status, 2, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("staging.events holds files from \(FileListing.identity(of: first.logData))"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("run a full load"), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("--add-source"), refused.stderr)
        XCTAssertFalse(refused.stderr.contains("copy staging.events:"), "no step ran:\n\(refused.stderr)")

        let added = try SparkifyBinary.run(["etl", "--config", target.path, "--source", second.root, "--steps", "copy,insert", "--add-source"])
        XCTAssertEqual(added.status, 0, added.stderr)
        let users = try SparkifyBinary.run(["query", "--config", target.path, "--format", "csv", "select count(*) from users"])
        XCTAssertEqual(users.stdout, "count\n3\n")

        // A full load from the new source needs no flag, and leaves only it.
        let full = try SparkifyBinary.run(["etl", "--config", target.path, "--source", second.root])
        XCTAssertEqual(full.status, 0, full.stderr)
        let after = try SparkifyBinary.run(["query", "--config", target.path, "--format", "csv", "select count(*) from users"])
        XCTAssertEqual(after.stdout, "count\n2\n")
    }

    func testGenerateRefusesDaysThatDoNotExistAndRangesItsLoaderCannotTake() throws {
        let out = TestServer.scratchDirectory("baddates")
        let february = try SparkifyBinary.run(["generate", "--out", out, "--start", "2018-02-30"])
        XCTAssertNotEqual(february.status, 0)
        XCTAssertTrue(february.stderr.contains("--start 2018-02-30 is not a date"), february.stderr)
        let late = try SparkifyBinary.run(["generate", "--out", out, "--start", "9999-12-30", "--days", "3"])
        XCTAssertNotEqual(late.status, 0)
        XCTAssertTrue(late.stderr.contains("would end after 9999-12-31"), late.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/log_data"), "nothing written")
        let fine = try SparkifyBinary.run(["generate", "--out", out, "--start", "9999-12-30", "--days", "2", "--events", "20", "--songs", "5"])
        XCTAssertEqual(fine.status, 0, fine.stderr)
        let leap = try SparkifyBinary.run([
            "generate", "--out", out + "-leap", "--start", "2020-02-29", "--days", "1", "--events", "5", "--songs", "2",
        ])
        XCTAssertEqual(leap.status, 0, leap.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "-leap/log_data/2020/02/2020-02-29-events.json"))
    }
}
