import XCTest

@testable import TestSupport
@testable import Warehouse

/// Every rule of a correct load, checked row by row on a small fixture with each quirk of the
/// real sources, loaded by the real runner into the real server.
final class LoadRulesTests: XCTestCase {
    static let base: Int64 = 1_541_903_636_796  // 2018-11-11 02:33:56.796 UTC, a Sunday

    static func writeFixture(_ data: Dataset) {
        let b = base
        data.writeLog(
            "2018/11/2018-11-11-events.json",
            [
                Dataset.event([
                    "firstName": #""Sa\"m""#, "lastName": #""Fran\u00e7ois""#, "ts": String(b),
                    "userAgent": #""\"Mozilla\/5.0 (Macintosh)\"""#,
                ]),
                Dataset.play(#""Halo""#, by: #""Beyonc\u00e9""#, length: "261.0", ts: b + 1000, session: 1, item: 1),
                // Two catalog entries match: the smaller song_id wins and the play is not doubled.
                Dataset.play(#""Yellow""#, by: #""Coldplay""#, length: "266.8", ts: b + 2000, session: 1, item: 2),
                // 0.45 s off matches; 0.6 s off does not.
                Dataset.play(#""Near""#, by: #""Close""#, length: "200.45", ts: b + 3000, session: 1, item: 3),
                Dataset.play(#""Near""#, by: #""Close""#, length: "200.6", ts: b + 4000, session: 1, item: 4),
                Dataset.play(#""Star \ud83c\udf1f""#, by: #""Nobody""#, length: "100.0", ts: b + 5000, session: 1, item: 5),
                Dataset.event([
                    "page": #""Submit Upgrade""#, "method": #""PUT""#, "status": "307", "ts": String(b + 6000),
                    "itemInSession": "6",
                ]),
                Dataset.play(
                    #""Halo""#, by: #""Beyonc\u00e9""#, length: "261.2", ts: b + 7000, session: 1, item: 7,
                    level: #""paid""#),
                "",  // eventsim leaves blank lines between some records
                Dataset.event([
                    "userId": #""""#, "firstName": "null", "lastName": "null", "gender": "null",
                    "registration": "null", "auth": #""Logged Out""#, "location": "null", "userAgent": "null",
                    "ts": String(b + 8000), "sessionId": "2",
                ]),
                // User 20: two events at the same instant; the greater itemInSession is the latest.
                Dataset.event([
                    "userId": #""20""#, "firstName": #""Bo""#, "ts": String(b + 9000), "sessionId": "3",
                    "itemInSession": "5", "level": #""free""#,
                ]),
                Dataset.event([
                    "userId": #""20""#, "firstName": #""Bo""#, "ts": String(b + 9000), "sessionId": "3",
                    "itemInSession": "6", "level": #""paid""#,
                ]),
                // Earlier than user 20's latest, later in the file, and at the same instant as another play.
                Dataset.play(
                    #""Nope""#, by: #""None""#, length: "50.0", ts: b + 1000, session: 3, item: 7,
                    user: #""20""#, level: #""free""#),
            ])
        data.writeSong(
            "A/A/A/TRAAAAA1.json",
            Dataset.song(
                id: "SOAAA111", title: #""Halo""#, artist: #""Beyonc\u00e9""#,
                artistID: "AR1", duration: "261.0", year: 2008,
                location: #""Houston, TX""#, latitude: "29.76", longitude: "-95.36"))
        data.writeSong(
            "A/A/B/TRAAABB2.json",
            Dataset.song(
                id: "SOZZZ999", title: #""Yellow""#, artist: #""Coldplay""#,
                artistID: "AR2", duration: "266.8", location: #""Elsewhere""#))
        data.writeSong(
            "A/A/C/TRAAACC3.json",
            Dataset.song(
                id: "SOCCC333", title: #""Yellow""#, artist: #""Coldplay""#,
                artistID: "AR2", duration: "266.8", location: #""London""#,
                latitude: "51.5", longitude: "-0.12"))
        data.writeSong(
            "A/B/A/TRABAAA4.json",
            Dataset.song(
                id: "SODDD444", title: #""Clocks""#, artist: #""Coldplay""#,
                artistID: "AR2", duration: "307.0", year: 0))
        data.writeSong(
            "A/B/B/TRABBBB5.json",
            Dataset.song(
                id: "SOEEE555", title: #""Near""#, artist: #""Close""#,
                artistID: "AR3", duration: "200.0"))
    }

    var load: LoadHarness!

    override func setUpWithError() throws {
        let data = Dataset("rules")
        Self.writeFixture(data)
        load = try LoadHarness("rules", sources: data.sources)
        try load.run([.drop, .create, .copy, .insert])
    }

    func testCounts() throws {
        XCTAssertEqual(try load.count("select count(*) from staging.events"), 12)
        XCTAssertEqual(try load.count("select count(*) from staging.songs"), 5)
        XCTAssertEqual(try load.count("select count(*) from songplays"), 7, "one row per NextSong event")
        XCTAssertEqual(try load.count("select count(*) from songplays where song_id is not null"), 4)
        XCTAssertEqual(try load.count("select count(*) from users"), 2)
        XCTAssertEqual(try load.count("select count(*) from songs"), 5)
        XCTAssertEqual(try load.count("select count(*) from artists"), 3)
        XCTAssertEqual(try load.count("select count(*) from time"), 6, "one row per distinct start_time")
        XCTAssertEqual(try load.count("select count(*) from load_errors"), 0)
    }

    func testStagingKeepsEveryCharacter() throws {
        let first = try load.rows(
            """
            select first_name, last_name, registration, user_agent, user_id from staging.events where ts = \(Self.base)
            """)
        XCTAssertEqual(first, [["Sa\"m", "François", "1540919166796", "\"Mozilla/5.0 (Macintosh)\"", "10"]])
        XCTAssertEqual(try load.rows("select song from staging.events where song like 'Star%'"), [["Star 🌟"]])
        XCTAssertEqual(try load.rows("select artist_name from staging.songs where song_id = 'SOAAA111'"), [["Beyoncé"]])
        XCTAssertEqual(
            try load.rows("select user_id, first_name, registration from staging.events where auth = 'Logged Out'"),
            [[nil, nil, nil]], "userId \"\" loads as NULL")
    }

    func testSongMatching() throws {
        let plays = try load.rows(
            """
            select session_id, item_in_session, song_id, artist_id from songplays order by session_id, item_in_session
            """)
        XCTAssertEqual(
            plays,
            [
                ["1", "1", "SOAAA111", "AR1"],
                ["1", "2", "SOCCC333", "AR2"],  // the smaller of two matching song_ids
                ["1", "3", "SOEEE555", "AR3"],  // 0.45 s apart
                ["1", "4", nil, nil],  // 0.6 s apart
                ["1", "5", nil, nil],
                ["1", "7", "SOAAA111", "AR1"],
                ["3", "7", nil, nil],
            ])
    }

    func testStartTimeKeepsMilliseconds() throws {
        XCTAssertEqual(
            try load.rows(
                """
                select to_char(start_time, 'YYYY-MM-DD HH24:MI:SS.MS') from songplays where session_id = 1 and item_in_session = 1
                """), [["2018-11-11 02:33:57.796"]])
    }

    func testUsersTakeTheirLatestEvent() throws {
        XCTAssertEqual(
            try load.rows("select user_id, first_name, last_name, gender, level from users order by user_id"),
            [
                ["10", "Ann", "Lee", "F", "paid"],  // name and level of the last play, not the first event
                ["20", "Bo", "Lee", "F", "paid"],  // same ts: greater itemInSession wins
            ])
    }

    func testUnknownMeansNull() throws {
        XCTAssertEqual(try load.rows("select year from songs where song_id = 'SODDD444'"), [[nil]], "year 0 is unknown")
        XCTAssertEqual(try load.rows("select location from artists where artist_id = 'AR3'"), [[nil]], "empty location is unknown")
    }

    func testArtistsFromTheirSmallestSong() throws {
        XCTAssertEqual(
            try load.rows("select artist_id, name, location, latitude, longitude from artists order by artist_id"),
            [
                ["AR1", "Beyoncé", "Houston, TX", "29.76", "-95.36"],
                ["AR2", "Coldplay", "London", "51.5", "-0.12"],
                ["AR3", "Close", nil, nil, nil],
            ])
    }

    func testTimeColumns() throws {
        XCTAssertEqual(
            try load.rows(
                """
                select hour, day, week, month, year, weekday from time order by start_time limit 1
                """), [["2", "11", "45", "11", "2018", "0"]], "2018-11-11 is a Sunday (0) in ISO week 45")
    }

    func testRerunningInsertsAddsNothing() throws {
        let outcomes = try load.run([.insert])
        XCTAssertEqual(outcomes.map(\.rows), [0, 0, 0, 0, 0])
        XCTAssertEqual(try load.count("select count(*) from songplays"), 7)
        XCTAssertEqual(try load.count("select count(*) from time"), 6)
    }

    func testSearchPathServesUnqualifiedQueries() throws {
        XCTAssertEqual(try load.count("select count(*) from songplays join users using (user_id)"), 7)
    }
}
