import Foundation
import XCTest

@testable import TestSupport
@testable import Warehouse

/// A file is known by where it came from and what it held: an incremental load replaces a file
/// that changed (its rows, and what the inserts made of them), refuses a folder that is not the
/// one staging holds, reads no file through a link that leads out, and loads names that are
/// not UTF-8. Counts are checked against what the test wrote, not only the messages.
final class FileIdentityTests: XCTestCase {
    static let start = LoadRulesTests.base

    /// Two plays of user 10 on the first day, one song that matches the first.
    private func firstDay(_ label: String) -> Dataset {
        let data = Dataset(label)
        data.writeLog(
            "2018/11/2018-11-11-events.json",
            [
                Dataset.play(#""Halo""#, by: #""Beyonc\u00e9""#, length: "261.0", ts: Self.start, session: 1, item: 1),
                Dataset.play(#""Other""#, by: #""Band""#, length: "100.0", ts: Self.start + 1000, session: 1, item: 2),
            ])
        data.writeSong(
            "A/A/A/TRA.json",
            Dataset.song(id: "SOAAA111", title: #""Halo""#, artist: #""Beyonc\u00e9""#, artistID: "AR1", duration: "261.0"))
        return data
    }

    func testAGrownFileIsLoadedAgainWholeAndTheStarFollows() throws {
        let data = firstDay("grown")
        let load = try LoadHarness("grown", sources: data.sources)
        try load.run([.drop, .create, .copy, .insert])
        XCTAssertEqual(try load.count("select count(*) from songplays"), 2)

        // The day's file grows by one play, as a log still being written does.
        let path = data.logData + "/2018/11/2018-11-11-events.json"
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(
            contentsOf: Data(("\n" + Dataset.play(#""Third""#, by: #""Band""#, length: "1.0", ts: Self.start + 2000, session: 1, item: 3)).utf8))
        try handle.close()

        let outcomes = try load.runIncremental()
        XCTAssertEqual(outcomes[0].filesChanged, 1)
        XCTAssertEqual(outcomes[0].rows, 3, "the whole file, read again")
        XCTAssertTrue(outcomes[0].notes.contains { $0.contains("2018-11-11-events.json changed since its last load") }, "\(outcomes[0].notes)")
        XCTAssertEqual(try load.count("select count(*) from staging.events"), 3, "its old rows replaced, not kept beside")
        XCTAssertEqual(try load.count("select count(distinct source_file) from staging.events"), 1)
        XCTAssertEqual(try load.count("select count(*) from staging.load_manifest where target_table = 'staging.events'"), 1)
        XCTAssertEqual(try load.count("select rows_loaded from staging.load_manifest where target_table = 'staging.events'"), 3)
        XCTAssertTrue(outcomes.last?.published ?? false, "the inserts rebuilt the star aside and swapped it in")
        XCTAssertEqual(try load.count("select count(*) from songplays"), 3)
        XCTAssertEqual(try load.count("select count(*) from time"), 3)
        XCTAssertEqual(try load.count("select count(*) from songs"), 1)

        // Nothing changed since: nothing read, nothing rebuilt.
        let again = try load.runIncremental()
        XCTAssertEqual(again[0].filesSkipped, 1)
        XCTAssertEqual(again[0].filesChanged, 0)
        XCTAssertFalse(again.last?.published ?? true)
        XCTAssertEqual(try load.count("select count(*) from songplays"), 3)
    }

    func testASameSizeChangeWithinTheSameSecondIsSeen() throws {
        let data = firstDay("samesize")
        let path = data.logData + "/2018/11/2018-11-11-events.json"
        let load = try LoadHarness("samesize", sources: data.sources)
        try load.run([.drop, .create, .copy, .insert])
        XCTAssertEqual(try load.rows("select level from users where user_id = 10"), [["free"]])
        let before = try Self.modified(path)

        // The same bytes but "paid" for "free": the size stays, the modification time is kept
        // within the same second (only its nanoseconds differ).
        let text = try String(contentsOfFile: path, encoding: .utf8).replacingOccurrences(of: #""free""#, with: #""paid""#)
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        try Self.setModified(path, seconds: before.seconds, nanoseconds: (before.nanoseconds + 1) % 1_000_000_000)
        XCTAssertEqual(try Self.modified(path).seconds, before.seconds)

        let outcomes = try load.runIncremental()
        XCTAssertEqual(outcomes[0].filesChanged, 1)
        XCTAssertEqual(try load.count("select count(*) from staging.events"), 2)
        XCTAssertEqual(try load.rows("select level from users where user_id = 10"), [["paid"]], "the user's latest level")
        XCTAssertEqual(try load.rows("select distinct level from songplays"), [["paid"]], "each play's level follows its event")
        XCTAssertEqual(try load.count("select count(*) from songplays"), 2)
    }

    func testAnotherFolderWithTheSameNamesIsRefusedUnlessAdded() throws {
        let first = firstDay("srcA")
        let second = Dataset("srcB")
        second.writeLog(
            "2018/11/2018-11-11-events.json",
            [Dataset.play(#""Else""#, by: #""Band""#, length: "9.0", ts: Self.start + 5000, session: 9, item: 1, user: "\"20\"")])
        second.writeSong(
            "A/A/A/TRA.json", Dataset.song(id: "SOBBB222", title: #""Else""#, artist: #""Band""#, artistID: "AR2", duration: "9.0"))
        let load = try LoadHarness("srcab", sources: first.sources)
        try load.run([.drop, .create, .copy, .insert])

        let other = LoadHarness(sharing: load, sources: second.sources)
        XCTAssertThrowsError(try other.runIncremental()) { error in
            guard case .otherSource(let table, let held, let asked) = error as? SourceMismatch else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(table, "staging.events")
            XCTAssertEqual(held, [FileListing.identity(of: first.logData)])
            XCTAssertEqual(asked, FileListing.identity(of: second.logData))
            XCTAssertTrue("\(error)".contains("--add-source"))
        }
        XCTAssertEqual(try load.count("select count(*) from staging.events"), 2, "nothing ran")

        // Asked for: both kept, each file known by its own source.
        let both = LoadHarness(sharing: load, sources: second.sources, addSource: true)
        let outcomes = try both.runIncremental()
        XCTAssertEqual(outcomes[0].rows, 1)
        XCTAssertEqual(outcomes[0].filesSkipped, 0, "the same name in another source is another file")
        XCTAssertEqual(try load.count("select count(*) from staging.events"), 3)
        XCTAssertEqual(try load.count("select count(*) from staging.songs"), 2)
        XCTAssertEqual(try load.count("select count(distinct source) from staging.load_manifest"), 4)
        XCTAssertEqual(try load.count("select count(*) from songplays"), 3)
        XCTAssertEqual(try load.count("select count(*) from users"), 2)

        // Each source's next load takes only what it lacks.
        let firstAgain = try LoadHarness(sharing: load, sources: first.sources).runIncremental()
        XCTAssertEqual(firstAgain[0].filesSkipped, 1)
        XCTAssertEqual(firstAgain[0].rows, 0)
    }

    func testTheSameFolderNamedThreeWaysIsOneSource() throws {
        let data = firstDay("threeways")
        let load = try LoadHarness("threeways", sources: data.sources)
        try load.run([.drop, .create, .copy, .insert])
        // A trailing slash, a dot segment, and a linked parent folder.
        let linkedParent = TestServer.scratchDirectory("threeways-link")
        try? FileManager.default.removeItem(atPath: linkedParent)
        try FileManager.default.createSymbolicLink(atPath: linkedParent, withDestinationPath: (data.root as NSString).deletingLastPathComponent)
        let name = (data.root as NSString).lastPathComponent
        for folder in [data.root + "/", data.root + "/./", linkedParent + "/" + name] {
            let outcomes = try LoadHarness(sharing: load, sources: LoadSources(folder: folder)).runIncremental()
            XCTAssertEqual(outcomes[0].filesSkipped, 1, folder)
            XCTAssertEqual(outcomes[1].filesSkipped, 1, folder)
            XCTAssertEqual(outcomes[0].rows + outcomes[1].rows, 0, folder)
        }
        XCTAssertEqual(try load.count("select count(distinct source) from staging.load_manifest"), 2)
        XCTAssertEqual(try load.count("select count(*) from staging.events"), 2)
    }

    func testALinkLeadingOutOfTheSourceIsNotRead() throws {
        let data = firstDay("links")
        let secret = TestServer.scratchDirectory("links-outside") + ".json"
        let marker = "MARKER-OUTSIDE-7731"
        try Dataset.event(["firstName": "\"\(marker)\"", "userId": "\"66\""]).write(toFile: secret, atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: data.logData + "/2018/x.json", withDestinationPath: secret)
        // A link to a file inside the folder (in a hidden folder the listing itself skips) is followed.
        data.writeLog(".kept/inside.json", [Dataset.event(["userId": "\"55\""])])
        try FileManager.default.createSymbolicLink(atPath: data.logData + "/2018/y.json", withDestinationPath: data.logData + "/.kept/inside.json")

        let load = try LoadHarness("links", sources: data.sources, maxErrors: 100)
        let outcomes = try load.run([.drop, .create, .copy, .insert])
        let copy = outcomes[2]
        let real = FileListing.identity(of: secret)
        XCTAssertTrue(copy.notes.contains { $0.hasSuffix("2018/x.json → \(real): outside the source folder, not read") }, "\(copy.notes)")
        XCTAssertEqual(copy.rows, 3, "two plays and the linked event inside")
        XCTAssertEqual(try load.count("select count(*) from staging.events where user_id = 55"), 1)
        for (table, column) in [("staging.events", "first_name"), ("staging.load_errors", "raw_record"), ("users", "first_name")] {
            XCTAssertEqual(try load.count("select count(*) from \(table) where \(column) like '%\(marker)%'"), 0, table)
        }
    }

    func testANameThatIsNotUTF8IsLoadedAndShownEscaped() throws {
        let data = firstDay("bytes")
        let folder = data.logData + "/2018/11/"
        var name = Array(folder.utf8) + Array("day-".utf8) + [0xFF] + Array(".json".utf8)
        name.append(0)
        let descriptor = name.withUnsafeBufferPointer { $0.withMemoryRebound(to: CChar.self) { open($0.baseAddress!, O_CREAT | O_WRONLY, 0o644) } }
        XCTAssertGreaterThanOrEqual(descriptor, 0)
        let line = Array(Dataset.event(["userId": "\"77\""]).utf8)
        XCTAssertEqual(line.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }, line.count)
        close(descriptor)

        let load = try LoadHarness("bytes", sources: data.sources)
        try load.run([.drop, .create, .copy])
        XCTAssertEqual(try load.count("select count(*) from staging.events where user_id = 77"), 1)
        XCTAssertEqual(
            try load.rows("select file from staging.load_manifest where file like '%day-%'"), [["2018/11/day-\\xff.json"]])
        // Known by its name the next time: not loaded twice.
        let again = try load.runIncremental()
        XCTAssertEqual(again[0].filesSkipped, 2)
        XCTAssertEqual(try load.count("select count(*) from staging.events where user_id = 77"), 1)
    }

    func testAFileWrittenToAfterTheListingFailsItsStepAndKeepsNothing() throws {
        let data = firstDay("written")
        let load = try LoadHarness("written", sources: data.sources)
        try load.run([.drop, .create])
        try load.runner.checkSources()
        // Listed at its old size; written to before the copy reads it.
        let path = data.logData + "/2018/11/2018-11-11-events.json"
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(("\n" + Dataset.event(["userId": "\"88\""])).utf8))
        try handle.close()
        XCTAssertThrowsError(try load.runner.run(.copy(StarSchema.stagingEvents))) { error in
            XCTAssertTrue("\(error)".contains("2018-11-11-events.json: changed while it was loaded"), "\(error)")
        }
        XCTAssertEqual(try load.count("select count(*) from staging.events"), 0, "rolled back")
        XCTAssertEqual(try load.count("select count(*) from staging.load_manifest"), 0)
        // Loaded again, it is read whole.
        let outcome = try load.runner.run(.copy(StarSchema.stagingEvents))
        XCTAssertEqual(outcome.rows, 3)
    }

    func testAFileShorterThanItsListingIsNotReadAsWhole() throws {
        let path = TestServer.scratchDirectory("shorter") + "/shorter.json"
        try "{\"a\":1}\n".write(toFile: path, atomically: true, encoding: .utf8)
        var lines = try SourceLines(SourceFile(path: path, name: "shorter.json", bytes: 100))
        defer { lines.close() }
        while try lines.next() != nil {}
        XCTAssertThrowsError(try lines.checkReadWhole()) { error in
            XCTAssertTrue("\(error)".contains("changed while it was loaded (100 bytes when listed, 8 now)"), "\(error)")
        }
    }

    static func modified(_ path: String) throws -> (seconds: Int, nanoseconds: Int) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw SourceError(path: path, problem: "cannot stat") }
        return (info.st_mtim.tv_sec, info.st_mtim.tv_nsec)
    }

    static func setModified(_ path: String, seconds: Int, nanoseconds: Int) throws {
        var times = [timespec(tv_sec: seconds, tv_nsec: nanoseconds), timespec(tv_sec: seconds, tv_nsec: nanoseconds)]
        guard utimensat(AT_FDCWD, path, &times, 0) == 0 else { throw SourceError(path: path, problem: "cannot set its times") }
    }
}
