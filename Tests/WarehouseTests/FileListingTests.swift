import Foundation
import XCTest

@testable import PostgresClient
@testable import TestSupport
@testable import Warehouse

/// Listing a folder on several threads while the copy reads what was found.
final class FileListingTests: XCTestCase {
    /// The order a one-thread walk gives: each folder's entries by name, depth first.
    private func reference(_ folder: String, _ relative: String = "") throws -> [String] {
        var names: [String] = []
        let entries = try FileManager.default.contentsOfDirectory(atPath: folder).filter { !$0.hasPrefix(".") }
        for name in entries.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let path = folder + "/" + name
            let inside = relative.isEmpty ? name : relative + "/" + name
            var isFolder: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
            if isFolder.boolValue {
                names += try reference(path, inside)
            } else if name.hasSuffix(".json") {
                names.append(inside)
            }
        }
        return names
    }

    func testFilesComeInTheOrderOfAOneThreadWalkWhateverTheShapeOfTheTree() throws {
        let root = TestServer.scratchDirectory("listing-order")
        // The Million Song Dataset's shape (A/B/C/TRABC….json), a deep lone chain, files beside
        // folders at every level, empty folders, hidden ones and other files.
        var paths: [String] = []
        for a in ["A", "B"] {
            for b in ["A", "B", "C"] {
                for c in ["A", "B", "C", "D"] { paths += (0..<5).map { "song_data/\(a)/\(b)/\(c)/TR\(a)\(b)\(c)\($0).json" } }
            }
            paths.append("song_data/\(a)/beside.json")
        }
        paths += ["song_data/0.json", "song_data/Z/Y/X/W/V/deep.json", "song_data/.ipynb_checkpoints/x.json", "song_data/notes.txt"]
        for path in paths {
            let full = root + "/" + path
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            XCTAssertTrue(FileManager.default.createFile(atPath: full, contents: Data("{}".utf8)))
        }
        try FileManager.default.createDirectory(atPath: root + "/song_data/M/empty", withIntermediateDirectories: true)
        let expected = try reference(root + "/song_data")
        XCTAssertEqual(expected.count, 2 * 3 * 4 * 5 + 2 + 2)
        for _ in 0..<20 {
            let listing = try FileListing.walking(root + "/song_data")
            let files = try listing.all()
            XCTAssertEqual(files.map(\.name), expected)
            XCTAssertEqual(files.first?.path, root + "/song_data/0.json")
            XCTAssertEqual(listing.count, FileListing.Count(files: expected.count, bytes: 2 * expected.count, complete: true))
        }
        XCTAssertFalse(try FileListing.walking(root + "/song_data/M").hasFiles(), "a folder of empty folders has no files")
        XCTAssertThrowsError(try FileListing.walking(root + "/nowhere")) { XCTAssertEqual("\($0)", "\(root)/nowhere: no such folder") }
    }

    func testAReaderWaitsForTheListingAndLearnsItsEnd() throws {
        let listing = FileListing(growing: "growing")
        let got = Locked<[String?]>([])
        let done = DispatchSemaphore(value: 0)
        Thread {
            for index in 0..<3 {
                let name = (try? listing.file(at: index))??.name
                got.update { $0.append(name) }
            }
            done.signal()
        }.start()
        usleep(100_000)
        XCTAssertTrue(got.current.isEmpty, "nothing listed yet: the reader waits")
        listing.add([SourceFile(prefix: "/", name: "a.json", bytes: 1), SourceFile(prefix: "/", name: "b.json", bytes: 2)])
        usleep(100_000)
        XCTAssertEqual(got.current, ["a.json", "b.json"])
        XCTAssertEqual(listing.count, FileListing.Count(files: 2, bytes: 3, complete: false))
        listing.end()
        done.wait()
        XCTAssertEqual(got.current, ["a.json", "b.json", nil], "past the end of a finished listing: nil")
    }

    /// A first load copies files as they are listed: rows reach the server while the listing
    /// is still going, the progress says the totals are not final until it ends, and the
    /// manifest gets every file.
    func testTheCopyStartsBeforeTheListingEnds() throws {
        let data = Dataset("listing-stream")
        let names = (0..<6).map { "day\($0).json" }
        for (index, name) in names.enumerated() {
            data.writeLog(name, (0..<50).map { Dataset.event(["itemInSession": "\(index * 100 + $0)"]) })
        }
        data.writeSong("A/TR.json", Dataset.song(id: "SO1", title: #""T""#, artist: #""A""#, artistID: "AR1", duration: "1.0"))
        let load = try LoadHarness("listing_stream", sources: data.sources)
        try load.run([.drop, .create])
        let listing = FileListing(growing: data.logData)
        let files = names.map {
            SourceFile(
                prefix: data.logData + "/", name: $0,
                bytes: Int(try! FileManager.default.attributesOfItem(atPath: data.logData + "/" + $0)[.size] as! UInt64))
        }
        listing.add(Array(files.prefix(2)))
        load.runner.keepListing((listing, StarSchema.eventSourceKeys), for: StarSchema.stagingEvents)

        // The rest is listed once the progress shows the first two files' rows in the table's
        // COPY while the listing was still open (or after ten seconds, to fail, not hang).
        let early = Locked<CopyProgress?>(nil)
        let rest = Array(files.dropFirst(2))
        let listRest = Locked(false)
        @Sendable func finishListing() {
            guard
                listRest.update({ done in
                    defer { done = true }
                    return !done
                })
            else { return }
            listing.add(rest)
            listing.end()
        }
        Thread {
            usleep(10_000_000)
            finishListing()
        }.start()
        let step = try load.runner.run(.copy(StarSchema.stagingEvents)) { progress in
            guard let copy = progress.copy, copy.rowsDone == 100, copy.stillListing else { return }
            early.update { $0 = $0 ?? copy }
            finishListing()
        }
        XCTAssertEqual(early.current?.stillListing, true, "rows were copied before the listing ended")
        XCTAssertNil(early.current?.fraction)
        XCTAssertEqual(early.current?.filesTotal, 2)
        XCTAssertEqual(step.rows, 300)
        XCTAssertEqual(step.copy?.stillListing, false)
        XCTAssertEqual(step.copy?.filesTotal, 6)
        XCTAssertEqual(step.copy?.fraction, 1)
        XCTAssertEqual(try load.count("select count(*) from staging.load_manifest where rows_loaded = 50"), 6)
    }
}
