import XCTest

@testable import TestSupport
@testable import Warehouse

/// Splitting source files into records, checking their bytes, and reading jsonpaths files.
final class SourceReadingTests: XCTestCase {
    private func lines(of bytes: [UInt8]) throws -> [String] {
        let path = TestServer.scratchDirectory("lines") + "/f.json"
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)), path)
        var reader = try SourceLines(SourceFile(path: path, name: "f.json", bytes: bytes.count))
        defer { reader.close() }
        var out: [String] = []
        while let line = try reader.next() {
            switch line {
            case .record(let number, let text): out.append("\(number):\(String(decoding: text, as: UTF8.self))")
            case .overlong(let number, let prefix): out.append("\(number):overlong(\(prefix.count))")
            }
        }
        return out
    }

    func testBlankLinesSkippedAndCountedAndLastLineWithoutNewline() throws {
        XCTAssertEqual(try lines(of: Array("{a}\n\n  \n{b}\r\n{c}".utf8)), ["1:{a}", "4:{b}\r", "5:{c}"])
        XCTAssertEqual(try lines(of: Array("{a}\n".utf8)), ["1:{a}"])
        XCTAssertEqual(try lines(of: []), [])
    }

    func testLinesLongerThanTheReadBlock() throws {
        let long = String(repeating: "y", count: 3 << 20)
        XCTAssertEqual(try lines(of: Array("{a}\n\(long)\n{b}".utf8)).map { $0.prefix(6) }, ["1:{a}", "2:yyyy", "3:{b}"])
    }

    func testOverlongLineReportedAndSkipped() throws {
        let huge = [UInt8](repeating: 0x78, count: SourceLines.maximumLineBytes + 5)
        XCTAssertEqual(try lines(of: Array("{a}\n".utf8) + huge + Array("\n{b}".utf8)), ["1:{a}", "2:overlong(1024)", "3:{b}"])
        XCTAssertEqual(try lines(of: Array("{a}\n".utf8) + huge), ["1:{a}", "2:overlong(1024)"])
    }

    func testUTF8Validation() {
        func check(_ bytes: [UInt8]) -> Int? { bytes.withUnsafeBufferPointer(UTF8Validation.firstInvalidOffset) }
        XCTAssertNil(check(Array("plain ascii text, long enough for words".utf8)))
        XCTAssertNil(check(Array("Beyoncé 東京 🎵 ok".utf8)))
        XCTAssertEqual(check(Array("abcdefghij".utf8) + [0xFF]), 10)
        XCTAssertEqual(check([0x61, 0xC3]), 1, "a sequence cut short")
        XCTAssertEqual(check([0xC0, 0x80]), 0, "overlong encoding")
        XCTAssertEqual(check([0xED, 0xA0, 0x80]), 0, "a UTF-16 surrogate")
        XCTAssertEqual(check([0xF4, 0x90, 0x80, 0x80]), 0, "above U+10FFFF")
        XCTAssertEqual(check([0xE2, 0x82, 0x41]), 0, "a bad continuation byte")
    }

    func testJSONPathsExpressions() {
        XCTAssertEqual(JSONPaths.key(of: "$['firstName']"), "firstName")
        XCTAssertEqual(JSONPaths.key(of: " $[\"userId\"] "), "userId")
        XCTAssertEqual(JSONPaths.key(of: "$.ts"), "ts")
        XCTAssertNil(JSONPaths.key(of: "$.a.b"))
        XCTAssertNil(JSONPaths.key(of: "$['a'][0]x"))
        XCTAssertNil(JSONPaths.key(of: "artist"))
    }

    func testSourceFolderIsSortedAndSkipsHiddenAndOtherFiles() throws {
        let root = TestServer.scratchDirectory("folder")
        for name in ["b/2.json", "a/10.json", "a/9.json", ".ipynb_checkpoints/x.json", "notes.txt", "a/.hidden.json"] {
            let path = root + "/" + name
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data("{}".utf8)), path)
        }
        XCTAssertEqual(try SourceFolder(path: root).files.map(\.name), ["a/10.json", "a/9.json", "b/2.json"])
        XCTAssertThrowsError(try SourceFolder(path: root + "/notes.txt")) { XCTAssertEqual("\($0)", "\(root)/notes.txt: is not a folder") }
    }

    func testFigures() {
        XCTAssertEqual(Figures.count(8056), "8,056")
        XCTAssertEqual(Figures.count(1_000_000), "1,000,000")
        XCTAssertEqual(Figures.count(-1234), "-1,234")
        XCTAssertEqual(Figures.count(999), "999")
        XCTAssertEqual(Figures.bytes(512), "512 B")
        XCTAssertEqual(Figures.bytes(3_774_873), "3.6 MiB")
        XCTAssertEqual(Figures.duration(0.4213), "0.42 s")
        XCTAssertEqual(Figures.duration(184), "3 min 04 s")
    }
}
