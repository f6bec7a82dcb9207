import XCTest

@testable import TestSupport
@testable import Warehouse

/// Input that once crashed the load or failed a whole step at the server: each is now a reject
/// with its file and line, and the rest of the file loads.
final class BadInputTests: XCTestCase {
    private let good = Dataset.play(#""Song""#, by: #""Band""#, length: "200.0", ts: 1_541_903_636_796, session: 1, item: 1)

    private func load(_ label: String, events: [String], songs: [String] = [], maxErrors: Int = 100) throws -> (LoadHarness, StepOutcome) {
        let data = Dataset(label)
        data.writeLog("2018/11/day.json", events)
        let songLines =
            songs.isEmpty ? [Dataset.song(id: "SO1", title: #""Song""#, artist: #""Band""#, artistID: "AR1", duration: "200.0")] : songs
        for (index, song) in songLines.enumerated() { data.writeSong("A/TR\(index).json", song) }
        let load = try LoadHarness(label, sources: data.sources, maxErrors: maxErrors)
        try load.run([.drop, .create])
        let outcome = try load.runner.run(.copy(StarSchema.stagingEvents))
        _ = try load.runner.run(.copy(StarSchema.stagingSongs))
        return (load, outcome)
    }

    func testANulInAStringIsARejectNotACrash() throws {
        let nulInString = Dataset.event(["page": "\"NextSong\"", "userId": #""\u000053""#])
        let nulAfterBackslash = "{\"userId\": \"\\" + "\u{0}" + "\"}"
        let (load, outcome) = try load("nul", events: [good, nulInString, nulAfterBackslash, good])
        XCTAssertEqual(outcome.rows, 2)
        XCTAssertEqual(outcome.rejected, 2)
        let reasons = try load.rows("select line, reason from staging.load_errors order by line")
        XCTAssertEqual(reasons.map { $0[0] }, ["2", "3"])
        for reason in reasons.compactMap({ $0[1] }) { XCTAssertFalse(reason.contains("\u{0}"), reason) }
        XCTAssertTrue(reasons[0][1]!.contains("\\u0000"), "the NUL shown as its escape: \(reasons[0][1]!)")
    }

    /// Several readers take the files (one object each for songs, eight readers or more): the
    /// rejects are still kept in the files' order, and the manifest's rows per file are each file's own.
    func testManyFilesOnSeveralReadersKeepTheirRejectsInOrderAndTheirOwnCounts() throws {
        let data = Dataset("readers")
        for day in 0..<6 {
            let bad = Dataset.event(["userId": #""not a number""#])
            data.writeLog("2018/11/day\(day).json", Array(repeating: good, count: day) + [bad, good])
        }
        for index in 0..<40 {
            let song =
                index % 7 == 3
                ? "{\"song_id\": "
                : Dataset.song(id: "SO\(index)", title: #""Song""#, artist: #""Band""#, artistID: "AR1", duration: "200.0")
            data.writeSong(String(format: "A/TR%03d.json", index), song)
        }
        XCTAssertGreaterThan(StagingCopy.readers(files: FileListing.Count(files: 40, bytes: 0, complete: true)), 1)
        let load = try LoadHarness("readers", sources: data.sources, maxErrors: 100)
        try load.run([.drop, .create])
        XCTAssertEqual(try load.runner.run(.copy(StarSchema.stagingEvents)).rows, 6 + (0..<6).reduce(0, +))
        XCTAssertEqual(try load.runner.run(.copy(StarSchema.stagingSongs)).rows, 34)
        let rejects = try load.rows("select file, line from staging.load_errors order by loaded_at, ctid")
        XCTAssertEqual(
            rejects.map { ($0[0]! as NSString).lastPathComponent },
            (0..<6).map { "day\($0).json" } + [3, 10, 17, 24, 31, 38].map { String(format: "TR%03d.json", $0) })
        XCTAssertEqual(rejects.prefix(6).map { $0[1] }, (0..<6).map { "\($0 + 1)" })
        let counts = try load.rows("select file, rows_loaded from staging.load_manifest where target_table = 'staging.events' order by file")
        XCTAssertEqual(counts.map { $0[1] }, (0..<6).map { "\($0 + 1)" })
    }

    func testTheFirstBadRecordsMessageShowsNoRawNul() throws {
        let data = Dataset("nul_message")
        data.writeLog("day.json", [Dataset.event(["userId": #""\u000053""#])])
        data.writeSong("A/TR.json", Dataset.song(id: "SO1", title: #""T""#, artist: #""A""#, artistID: "AR1", duration: "1.0"))
        let load = try LoadHarness("nul_message", sources: data.sources)
        try load.run([.drop, .create])
        XCTAssertThrowsError(try load.runner.run(.copy(StarSchema.stagingEvents))) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("day.json:1"), text)
            XCTAssertFalse(text.contains("\u{0}"), "a raw NUL would reach the terminal: \(text.debugDescription)")
        }
    }

    func testNumbersOutsideADoublesRangeAreRejectedWithTheirLine() throws {
        let events = [
            good,
            Dataset.event(["length": "1e309"]),
            Dataset.event(["length": "-1e309"]),
            Dataset.event(["length": "1e-400"]),
            Dataset.event(["length": "4e-320"]),  // subnormal: PostgreSQL takes it
            Dataset.event(["length": "0e-400"]),  // zero written oddly: still zero
        ]
        let songs = [
            Dataset.song(id: "SO1", title: #""Song""#, artist: #""Band""#, artistID: "AR1", duration: "1e309"),
            Dataset.song(id: "SO2", title: #""Song""#, artist: #""Band""#, artistID: "AR1", duration: "1.0", latitude: "-1e999"),
            Dataset.song(id: "SO3", title: #""Song""#, artist: #""Band""#, artistID: "AR1", duration: "200.0"),
        ]
        let (load, outcome) = try load("ranges", events: events, songs: songs)
        XCTAssertEqual(outcome.rows, 3)
        let rejects = try load.rows("select target_table, line, reason from staging.load_errors order by target_table, file, line")
        XCTAssertEqual(rejects.filter { $0[0] == "staging.events" }.map { $0[1] }, ["2", "3", "4"])
        XCTAssertEqual(rejects.filter { $0[0] == "staging.songs" }.count, 2, "\(rejects)")
        XCTAssertTrue(rejects[0][2]!.contains("length: 1e309 is out of range"), rejects[0][2]!)
        XCTAssertEqual(try load.count("select count(*) from staging.songs"), 1)
    }

    func testANextSongWithoutItsTimeOrSessionIsARejectAndTheInsertRuns() throws {
        let noTs = Dataset.event(["page": "\"NextSong\"", "song": #""Song""#, "artist": #""Band""#, "length": "200.0", "ts": "null"])
        let noSession = Dataset.event(["page": "\"NextSong\"", "song": #""Song""#, "artist": #""Band""#, "length": "200.0", "sessionId": "null"])
        let homePage = Dataset.event(["ts": "null"])  // not a play: nothing needs its time
        let (load, outcome) = try load("next_song", events: [good, noTs, noSession, homePage])
        XCTAssertEqual(outcome.rejected, 2)
        let reasons = try load.rows("select line, reason from staging.load_errors order by line")
        XCTAssertEqual(reasons.map { $0[0] }, ["2", "3"])
        XCTAssertTrue(reasons[0][1]!.contains("ts: missing or null: a NextSong event needs ts, sessionId, itemInSession"), reasons[0][1]!)
        let inserted = try load.runner.run(.insert(StarSchema.songplays))
        XCTAssertEqual(inserted.rows, 1, "the good play; the insert runs whatever staging holds")
    }

    /// A time past the year 9999 (found by the fuzzer: it overflowed the insert's interval).
    func testATimeNoTimestampCanHoldIsARejectWithItsLine() throws {
        let huge = Dataset.event(["page": "\"NextSong\"", "ts": "9223372036854775807"])
        let (load, outcome) = try load("huge_ts", events: [good, huge])
        XCTAssertEqual(outcome.rejected, 1)
        let reason = try load.rows("select line, reason from staging.load_errors").first
        XCTAssertEqual(reason?[0], "2")
        XCTAssertEqual(reason?[1], "ts: 9223372036854775807 is not a time in epoch milliseconds (years 1 to 9999)")
    }

    /// Staging filled some other way (Redshift's COPY checks none of this) must not break the insert.
    func testTheSongplaysInsertSkipsPlaysWithoutTimeOrSession() throws {
        let (load, _) = try load("insert_guard", events: [good])
        try load.execute("insert into staging.events (page, song, artist, length) values ('NextSong', 'Song', 'Band', 200.0)")
        // A time no timestamp can hold (the fuzzer's find): left out, not an interval overflow.
        try load.execute(
            "insert into staging.events (page, song, artist, length, ts, session_id, item_in_session) values ('NextSong', 'Song', 'Band', 200.0, 9223372036854775807, 7, 7)"
        )
        let outcome = try load.runner.run(.insert(StarSchema.songplays))
        XCTAssertEqual(outcome.rows, 1)
    }

    /// A file saved with a byte order mark, and a song file pretty-printed over many lines (the
    /// layout says one object a file): both load, with no rejects.
    func testAByteOrderMarkAndAPrettyPrintedSongFileLoad() throws {
        let data = Dataset("bom_pretty")
        data.write(
            data.logData + "/day.json",
            Data(
                [0xEF, 0xBB, 0xBF]
                    + Array((good + "\n" + good.replacingOccurrences(of: "\"itemInSession\":1", with: "\"itemInSession\":2") + "\n").utf8)))
        let pretty = """
            {
              "num_songs": 1,
              "artist_id": "AR1",
              "artist_latitude": null,
              "artist_longitude": null,
              "artist_location": "",
              "artist_name": "Band",
              "song_id": "SO1",
              "title": "Song",
              "duration": 200.0,
              "year": 2004
            }

            """
        data.write(data.songData + "/A/TR1.json", Data(([0xEF, 0xBB, 0xBF] + Array(pretty.utf8))))
        data.writeSong("A/TR2.json", Dataset.song(id: "SO2", title: #""Other""#, artist: #""Band""#, artistID: "AR1", duration: "100.0"))
        let load = try LoadHarness("bom_pretty", sources: data.sources)
        try load.run([.drop, .create])
        let events = try load.runner.run(.copy(StarSchema.stagingEvents))
        let songs = try load.runner.run(.copy(StarSchema.stagingSongs))
        XCTAssertEqual(events.rows, 2)
        XCTAssertEqual(events.rejected, 0)
        XCTAssertEqual(songs.rows, 2, "the pretty-printed file is one song, not twelve rejects")
        XCTAssertEqual(try load.rows("select title from staging.songs order by song_id"), [["Song"], ["Other"]])
    }

    /// Two objects in one song file break the layout: one reject naming the file, not a guess.
    func testTwoObjectsInOneSongFileAreOneReject() throws {
        let data = Dataset("two_songs")
        data.writeLog("day.json", [good])
        let one = Dataset.song(id: "SO1", title: #""Song""#, artist: #""Band""#, artistID: "AR1", duration: "200.0")
        data.writeSong("A/TR1.json", one + "\n" + one.replacingOccurrences(of: "SO1", with: "SO9"))
        let load = try LoadHarness("two_songs", sources: data.sources, maxErrors: 5)
        try load.run([.drop, .create])
        let songs = try load.runner.run(.copy(StarSchema.stagingSongs))
        XCTAssertEqual(songs.rows, 0)
        XCTAssertEqual(try load.rows("select file, line from staging.load_errors").first?[1], "1")
    }
}
