import XCTest

@testable import TestSupport
@testable import Warehouse

/// `--steps copy,insert` after new files arrive: only the new files are read, only new rows
/// inserted, and users keep the attributes of their latest event across loads.
final class IncrementalLoadTests: XCTestCase {
    func testSecondLoadTakesOnlyNewFiles() throws {
        let day: Int64 = 86_400_000
        let start = LoadRulesTests.base
        let data = Dataset("incremental")
        data.writeLog(
            "2018/11/2018-11-11-events.json",
            [
                Dataset.play(#""Halo""#, by: #""Beyonc\u00e9""#, length: "261.0", ts: start, session: 1, item: 1),
                Dataset.play(#""Other""#, by: #""Band""#, length: "100.0", ts: start + 1000, session: 1, item: 2),
            ])
        data.writeSong(
            "A/A/A/TRA.json",
            Dataset.song(
                id: "SOAAA111", title: #""Halo""#, artist: #""Beyonc\u00e9""#,
                artistID: "AR1", duration: "261.0"))
        let load = try LoadHarness("incremental", sources: data.sources)
        try load.run([.drop, .create, .copy, .insert])
        XCTAssertEqual(try load.count("select count(*) from songplays"), 2)
        XCTAssertEqual(try load.rows("select level from users where user_id = 10"), [["free"]])

        // The next day's file arrives: the user has upgraded.
        data.writeLog(
            "2018/11/2018-11-12-events.json",
            [
                Dataset.play(
                    #""Halo""#, by: #""Beyonc\u00e9""#, length: "261.0", ts: start + day, session: 2, item: 1,
                    level: #""paid""#)
            ])
        let outcomes = try load.run([.copy, .insert])
        let copyEvents = outcomes[0]
        XCTAssertEqual(copyEvents.filesSkipped, 1)
        XCTAssertEqual(copyEvents.copy?.filesTotal, 1)
        XCTAssertEqual(copyEvents.rows, 1)
        XCTAssertEqual(outcomes[1].filesSkipped, 1, "the song file was loaded before")
        XCTAssertEqual(outcomes[1].rows, 0)
        XCTAssertEqual(outcomes[2].rows, 1, "one new songplay")
        XCTAssertEqual(try load.count("select count(*) from staging.events"), 3, "staging holds each file once")
        XCTAssertEqual(try load.count("select count(*) from songplays"), 3)
        XCTAssertEqual(try load.count("select count(*) from songplays where song_id = 'SOAAA111'"), 2)
        XCTAssertEqual(try load.count("select count(*) from time"), 3)
        XCTAssertEqual(try load.rows("select level from users where user_id = 10"), [["paid"]])

        // Nothing new: nothing read, nothing inserted.
        let again = try load.run([.copy, .insert])
        XCTAssertEqual(again.map(\.rows), [0, 0, 0, 0, 0, 0, 0])
        XCTAssertEqual(again[0].filesSkipped, 2)
        XCTAssertEqual(try load.count("select count(*) from staging.load_manifest"), 3)
    }
}
