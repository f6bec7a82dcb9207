import Foundation
import XCTest

@testable import TestSupport
@testable import Warehouse

/// `sparkify generate`: same seed, same bytes; the real layout and quirks; and a load of what
/// it wrote matches the ground truth it counted.
final class GeneratorTests: XCTestCase {
    private func generate(seed: UInt64, events: Int = 3_000, songs: Int = 400) throws -> (String, GroundTruth) {
        var options = DatasetGenerator.Options()
        options.events = events
        options.songs = songs
        options.days = 5
        options.seed = seed
        let directory = TestServer.scratchDirectory("gen\(seed)")
        return (directory, try DatasetGenerator(directory: directory, options: options).run())
    }

    /// Every file under `root`, by relative path, with its bytes.
    private func contents(_ root: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for file in try SourceFolder(path: root).files { files[file.name] = FileManager.default.contents(atPath: file.path) }
        return files
    }

    func testSameSeedSameBytesOtherSeedOtherData() throws {
        let (first, _) = try generate(seed: 7)
        let (second, _) = try generate(seed: 7)
        let (other, _) = try generate(seed: 8)
        let a = try contents(first)
        let b = try contents(second)
        let c = try contents(other)
        XCTAssertEqual(a.count, 5 + 400 + 1, "five daily logs, 400 song files, the jsonpaths file")
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        XCTAssertEqual(
            FileManager.default.contents(atPath: first + "/expected.sql"),
            FileManager.default.contents(atPath: second + "/expected.sql"))
    }

    func testLayoutAndQuirks() throws {
        let (root, truth) = try generate(seed: 3)
        let logs = try SourceFolder(path: root + "/log_data").files.map(\.name)
        XCTAssertEqual(logs.first, "2018/11/2018-11-01-events.json")
        XCTAssertEqual(logs.count, 5)
        let songs = try SourceFolder(path: root + "/song_data").files.map(\.name)
        XCTAssertTrue(
            songs.allSatisfy { $0.range(of: #"^[A-Z]/[A-Z]/[A-Z]/TR[A-Z0-9]{16}\.json$"#, options: .regularExpression) != nil },
            songs.first ?? "")
        let text = try logs.map { try String(contentsOfFile: root + "/log_data/" + $0, encoding: .utf8) }.joined(separator: "\n")
        XCTAssertFalse(try String(contentsOfFile: root + "/log_data/" + logs[0], encoding: .utf8).hasSuffix("\n"), "no trailing newline")
        XCTAssertTrue(text.contains(#""userId":"""#), "logged-out traffic")
        XCTAssertTrue(text.contains(#""registration":1"#) && text.contains(".0,\"sessionId\""), "float registration")
        XCTAssertTrue(text.contains(#"\"Mozilla\/5.0"#), "quoted user agents with escaped slashes")
        XCTAssertTrue(text.contains(#"\u00"#), "\\u escapes")
        XCTAssertTrue(text.contains("\n\n"), "a blank line between records")
        for page in ["NextSong", "Home", "Submit Upgrade", "Logout", "Error"] {
            XCTAssertTrue(text.contains("\"page\":\"\(page)\""), page)
        }
        XCTAssertTrue(text.contains(#""status":404"#))
        XCTAssertGreaterThan(truth.matchedSongplays, 0)
        XCTAssertLessThan(truth.matchedSongplays, truth.songplays, "some plays are of songs missing from the catalog")
        let share = Double(truth.songplays) / Double(truth.stagingEvents)
        XCTAssertTrue((0.7...0.9).contains(share), "NextSong about four in five: \(share)")
        XCTAssertGreaterThan(truth.paidUsers, 0)
        XCTAssertGreaterThan(truth.freeUsers, 0)
        XCTAssertLessThan(truth.timeRows, truth.songplays, "some plays share an instant")
    }

    func testLoadMatchesTheGroundTruth() throws {
        let (root, truth) = try generate(seed: 11)
        let load = try LoadHarness("truth", sources: LoadSources(folder: root))
        try load.run([.drop, .create, .copy, .insert])
        XCTAssertEqual(try load.count("select count(*) from staging.events"), truth.stagingEvents)
        XCTAssertEqual(try load.count("select count(*) from staging.songs"), truth.stagingSongs)
        XCTAssertEqual(try load.count("select count(*) from songplays"), truth.songplays)
        XCTAssertEqual(try load.count("select count(*) from songplays where song_id is not null"), truth.matchedSongplays)
        XCTAssertEqual(try load.count("select count(*) from users"), truth.users)
        XCTAssertEqual(try load.count("select count(*) from users where level = 'paid'"), truth.paidUsers)
        XCTAssertEqual(try load.count("select count(*) from songs"), truth.songs)
        XCTAssertEqual(try load.count("select count(*) from artists"), truth.artists)
        XCTAssertEqual(try load.count("select count(*) from time"), truth.timeRows)
        XCTAssertEqual(try load.count("select count(*) from songplays where level = 'paid'"), truth.paidPlays)
        XCTAssertEqual(
            try load.rows(
                """
                select hour, count(*) from songplays join time using (start_time) group by hour order by count(*) desc, hour limit 1
                """), [[String(truth.busiestHour), String(truth.busiestHourPlays)]])
        XCTAssertEqual(
            try load.rows(
                """
                select song_id, count(*) from songplays where song_id is not null group by song_id order by count(*) desc, song_id limit 1
                """
            ).first?[1], String(truth.topSongPlays))
    }

    func testDemoDataIsWrittenOnceIntoTheWarehouseHome() throws {
        let warehouse = try EmbeddedWarehouse(home: TestServer.scratchDirectory("demo-home"))
        var said: [String] = []
        let folder = try DemoData.ensure(in: warehouse) { said.append($0) }
        XCTAssertEqual(folder, warehouse.home + "/demo")
        XCTAssertEqual(said.count, 1)
        XCTAssertEqual(try SourceFolder(path: folder + "/log_data").files.count, 30, "a month of daily logs, like the sample")
        XCTAssertEqual(try SourceFolder(path: folder + "/song_data").files.count, 15_000)
        let again = try DemoData.ensure(in: warehouse) { said.append($0) }
        XCTAssertEqual(again, folder)
        XCTAssertEqual(said.count, 1, "the second call finds it complete and writes nothing")
    }
}
