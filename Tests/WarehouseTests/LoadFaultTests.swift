import XCTest

@testable import TestSupport
@testable import Warehouse

/// Bad records, bad folders and cancels: the step fails with a message naming the place, or
/// skips and keeps what `--max-errors` allows, and nothing is half-loaded.
final class LoadFaultTests: XCTestCase {
    private func dataset(_ label: String, logLines: [String]) -> Dataset {
        let data = Dataset(label)
        data.writeLog("2018/11/2018-11-01-events.json", logLines)
        data.writeSong("A/A/A/TRA.json", Dataset.song(id: "SO1", title: #""T""#, artist: #""A""#, artistID: "AR1", duration: "1.0"))
        return data
    }

    private var goodLine: String { Dataset.event([:]) }

    func testFirstBadRecordFailsTheStepWithFileAndLine() throws {
        let data = dataset("bad", logLines: [goodLine, goodLine, #"{"artist": "broken"#, goodLine])
        let load = try LoadHarness("bad", sources: data.sources)
        try load.run([.drop, .create])
        let copy = LoadStep.steps(in: [.copy])[0]
        XCTAssertThrowsError(try load.runner.run(copy)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("2018/11/2018-11-01-events.json:3: invalid JSON"), text)
            XCTAssertTrue(text.contains("the error limit is 0"), text)
            XCTAssertFalse(text.contains("--max-errors"), "the engine names no command-line flag: \(text)")
        }
        XCTAssertEqual(try load.count("select count(*) from staging.events"), 0, "nothing half-loaded")
        XCTAssertEqual(try load.count("select count(*) from staging.load_manifest"), 0)
        XCTAssertEqual(try load.count("select count(*) from staging.load_errors"), 0)
    }

    func testMaxErrorsSkipsAndKeepsRejects() throws {
        let wrongType = Dataset.event(["ts": #""yesterday""#])
        let data = Dataset("rejects")
        var bytes = Data((goodLine + "\n" + #"{"artist": "broken"# + "\n" + wrongType + "\n").utf8)
        bytes.append(contentsOf: [0x7B, 0x22, 0x61, 0x22, 0x3A, 0x22, 0xFF, 0x22, 0x7D, 0x0A])  // {"a":"\xFF"}
        bytes.append(Data(goodLine.utf8))
        data.write(data.logData + "/day.json", bytes)
        data.writeSong("A/TRA.json", Dataset.song(id: "SO1", title: #""T""#, artist: #""A""#, artistID: "AR1", duration: "1.0"))

        let allowed = try LoadHarness("rejects", sources: data.sources, maxErrors: 3)
        try allowed.run([.drop, .create])
        let outcome = try allowed.runner.run(LoadStep.steps(in: [.copy])[0])
        XCTAssertEqual(outcome.rows, 2)
        XCTAssertEqual(outcome.rejected, 3)
        let rejects = try allowed.rows("select target_table, file, line, reason, raw_record from load_errors order by line")
        XCTAssertEqual(rejects.map { $0[2] }, ["2", "3", "4"])
        XCTAssertEqual(rejects[0][0], "staging.events")
        XCTAssertEqual(rejects[0][1], data.logData + "/day.json", "the file as the user can open it")
        XCTAssertEqual(rejects[0][4], #"{"artist": "broken"#)
        XCTAssertTrue(rejects[1][3]!.contains("ts: expected a whole number"), rejects[1][3]!)
        XCTAssertEqual(rejects[2][3], "invalid UTF-8 at byte 7")
        XCTAssertEqual(rejects[2][4], "{\"a\":\"\u{FFFD}\"}", "the raw record is kept, its bad byte made visible")

        let strict = try LoadHarness("rejects2", sources: data.sources, maxErrors: 2)
        try strict.run([.drop, .create])
        XCTAssertThrowsError(try strict.runner.run(LoadStep.steps(in: [.copy])[0])) { error in
            XCTAssertTrue("\(error)".contains("day.json:4: invalid UTF-8"), "\(error)")
            XCTAssertTrue("\(error)".contains("more than the error limit of 2 bad records"), "\(error)")
        }
        XCTAssertEqual(try strict.count("select count(*) from staging.events"), 0)
        XCTAssertEqual(try strict.count("select count(*) from staging.load_errors"), 0, "rejects roll back with the step")
    }

    func testOverlongLineIsABadRecordNotACrash() throws {
        let huge = "{\"artist\": \"" + String(repeating: "x", count: 11 * 1024 * 1024) + "\"}"
        let data = dataset("long", logLines: [goodLine, huge, goodLine])
        let load = try LoadHarness("long", sources: data.sources, maxErrors: 1)
        try load.run([.drop, .create])
        let outcome = try load.runner.run(LoadStep.steps(in: [.copy])[0])
        XCTAssertEqual(outcome.rows, 2)
        XCTAssertEqual(
            try load.rows("select line, reason, length(raw_record) from load_errors"),
            [["2", "the line is longer than 10 MiB", "1024"]])
    }

    func testFolderProblemsAreNamed() throws {
        let missing = LoadSources(logData: "/nonexistent/log_data", logJSONPaths: nil, songData: "/nonexistent/song_data")
        let load = try LoadHarness("folders", sources: missing)
        try load.run([.drop, .create])
        XCTAssertThrowsError(try load.runner.run(LoadStep.steps(in: [.copy])[0])) { error in
            XCTAssertEqual("\((error as! StepFailure).underlying)", "/nonexistent/log_data: no such folder")
        }
        let empty = Dataset("empty")
        let emptyLoad = try LoadHarness("empty", sources: empty.sources)
        try emptyLoad.run([.drop, .create])
        XCTAssertThrowsError(try emptyLoad.runner.run(LoadStep.steps(in: [.copy])[0])) { error in
            XCTAssertEqual("\((error as! StepFailure).underlying)", "\(empty.logData): holds no .json files")
        }
    }

    func testBadJSONPathsFileIsNamed() throws {
        let data = dataset("paths", logLines: [goodLine])
        let paths = data.write(data.root + "/log_json_path.json", Data(#"{"jsonpaths": ["$['artist']", "$.a.b"]}"#.utf8))
        let load = try LoadHarness("paths", sources: data.sources)
        try load.run([.drop, .create])
        XCTAssertThrowsError(try load.runner.run(LoadStep.steps(in: [.copy])[0])) { error in
            XCTAssertEqual("\((error as! StepFailure).underlying)", "\(paths): lists 2 paths but staging.events has 18 columns")
        }
    }

    func testJSONPathsFileMapsKeysInItsOrder() throws {
        let data = dataset("mapped", logLines: [Dataset.event(["artist": #""Muse""#])])
        // A file listing the same keys in the same order the columns are in.
        let list = StarSchema.eventSourceKeys.map { "\"$['\($0)']\"" }.joined(separator: ", ")
        data.write(data.root + "/log_json_path.json", Data("{\"jsonpaths\": [\(list)]}".utf8))
        let load = try LoadHarness("mapped", sources: data.sources)
        try load.run([.drop, .create, .copy])
        XCTAssertEqual(try load.rows("select artist, user_id from staging.events"), [["Muse", "10"]])
    }

    func testCancelDuringCopyRollsBack() throws {
        // Enough rows that the copy is still running when the first progress report arrives.
        let data = Dataset("cancel")
        var text = ""
        text.reserveCapacity(40 << 20)
        let line = Dataset.play(#""Song""#, by: #""Band""#, length: "200.0", ts: 1_541_903_636_796, session: 1, item: 1)
        for _ in 0..<50_000 {
            text += line
            text += "\n"
        }
        data.write(data.logData + "/big.json", Data(text.utf8))
        data.writeSong("A/TRA.json", Dataset.song(id: "SO1", title: #""T""#, artist: #""A""#, artistID: "AR1", duration: "1.0"))

        let load = try LoadHarness("cancel", sources: data.sources)
        try load.run([.drop, .create])
        let runner = load.runner
        let canceller = runner.connection.canceller
        let sawRows = Flag()
        XCTAssertThrowsError(
            try runner.run(LoadStep.steps(in: [.copy])[0]) { progress in
                if (progress.copy?.rowsDone ?? 0) > 0, sawRows.setOnce() { canceller.cancel() }
            }
        ) { error in
            XCTAssertTrue((error as? StepFailure)?.isCancellation == true, "\(error)")
        }
        XCTAssertTrue(sawRows.isSet, "the copy reported rows before it was cancelled")
        XCTAssertEqual(try load.count("select count(*) from staging.events"), 0)
        XCTAssertEqual(try load.count("select count(*) from staging.load_manifest"), 0)
        // The connection is usable at once.
        XCTAssertEqual(try load.count("select 41 + 1"), 42)
    }
}

/// Set once from any thread.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    func setOnce() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if value { return false }
        value = true
        return true
    }
    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}
