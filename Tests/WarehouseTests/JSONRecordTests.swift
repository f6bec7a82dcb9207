import XCTest

@testable import Warehouse

final class JSONRecordTests: XCTestCase {
    private func parse(_ text: String) throws -> [String: (JSONRecord.Kind, String)] {
        var record = JSONRecord()
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { source in
            try record.parse(source)
            return record.withView(of: source) { view in
                var result: [String: (JSONRecord.Kind, String)] = [:]
                for field in record.fields { result[view.keyText(field)] = (field.kind, view.text(field)) }
                return result
            }
        }
    }

    private func syntaxError(_ text: String) -> JSONSyntaxError? {
        do {
            _ = try parse(text)
            return nil
        } catch {
            return error as? JSONSyntaxError
        }
    }

    func testARealLogLineWithItsQuirks() throws {
        let line =
            #"{"artist":null,"auth":"Logged In","firstName":"Walter","itemInSession":0,"length":246.30812,"registration":1540919166796.0,"sessionId":38,"ts":1541105830796,"userAgent":"\"Mozilla\/5.0 (Macintosh)\"","userId":"39"}"#
        let fields = try parse(line)
        XCTAssertEqual(fields["artist"]?.0, .null)
        XCTAssertEqual(fields["auth"]?.1, "Logged In")
        XCTAssertEqual(fields["itemInSession"]?.0, .number)
        XCTAssertEqual(fields["registration"]?.1, "1540919166796.0")
        XCTAssertEqual(fields["userAgent"]?.1, "\"Mozilla/5.0 (Macintosh)\"")
        XCTAssertEqual(fields["userId"]?.0, .string)
        XCTAssertEqual(fields["userId"]?.1, "39")
    }

    func testEscapesAndSurrogatePairsDecode() throws {
        let fields = try parse(
            #"{"title":"Clementina Santaf\u00e8","emoji":"\ud83c\udfb8 ok","ctl":"a\tb\nc\\d","cjk":"\u4e16\u754c","raw":"Björk"}"#)
        XCTAssertEqual(fields["title"]?.1, "Clementina Santafè")
        XCTAssertEqual(fields["emoji"]?.1, "🎸 ok")
        XCTAssertEqual(fields["ctl"]?.1, "a\tb\nc\\d")
        XCTAssertEqual(fields["cjk"]?.1, "世界")
        XCTAssertEqual(fields["raw"]?.1, "Björk")
    }

    func testBooleansEmptyObjectAndSpace() throws {
        XCTAssertEqual(try parse(" { \"a\" : true , \"b\":false }\r\n")["a"]?.1, "t")
        XCTAssertTrue(try parse("{}").isEmpty)
    }

    func testMalformedRecordsSayWhereAndWhy() {
        XCTAssertEqual(syntaxError(#"{"a":1"#)?.reason, "expected ',' or '}' after a value")
        XCTAssertEqual(syntaxError(#"{"a":"open}"#)?.reason, "a string is not closed")
        XCTAssertEqual(syntaxError(#"{"a":tru}"#)?.offset, 5)
        XCTAssertEqual(syntaxError(#"{"a":01}"#)?.reason, "expected ',' or '}' after a value")
        XCTAssertEqual(syntaxError(#"{"a":1.}"#)?.reason, "a number needs digits after '.'")
        XCTAssertEqual(syntaxError(#"{"a":"\ud83c"}"#)?.reason, "a \\u surrogate is not followed by its pair")
        XCTAssertEqual(syntaxError(#"{"a":"\x"}"#)?.reason, "an unknown escape \\x")
        XCTAssertEqual(syntaxError(#"{"a":[1]}"#)?.reason, "nested objects and arrays are not part of this format")
        XCTAssertEqual(syntaxError(#"{"a":1} {"b":2}"#)?.reason, "unexpected text after the object")
        XCTAssertEqual(syntaxError("[1]")?.reason, "a record must be a JSON object")
        XCTAssertEqual(syntaxError("{\"a\":\"x\ny\"}")?.reason, "a control character inside a string must be escaped")
    }

    /// Plain runs are scanned eight bytes at a time: a quote, an escape or a control character
    /// must be found at every position of a word, beside multi-byte characters too.
    func testEveryEndOfAPlainRunIsFoundWhereverItFalls() throws {
        for length in 0..<20 {
            for position in 0...length {
                let before = String(repeating: "é", count: position / 2) + String(repeating: "a", count: position % 2)
                let after = String(repeating: "b", count: length - position)
                XCTAssertEqual(try parse(#"{"k":"\#(before)\n\#(after)"}"#)["k"]?.1, before + "\n" + after, "\(length) \(position)")
                XCTAssertEqual(try parse(#"{"k":"\#(before)\"\#(after)"}"#)["k"]?.1, before + "\"" + after)
                XCTAssertEqual(try parse(#"{"k":"\#(before)"}"#)["k"]?.1, before)
                for control in ["\u{01}", "\u{1F}", "\t"] {
                    XCTAssertEqual(
                        syntaxError(#"{"k":"\#(before)\#(control)\#(after)"}"#)?.reason,
                        "a control character inside a string must be escaped", "\(length) \(position)")
                }
                // Bytes just past the specials (0x21, 0x23, 0x5B, 0x5D, 0x7F) are plain.
                XCTAssertEqual(try parse(#"{"k":"\#(before)!#[]\#u{7F}\#(after)"}"#)["k"]?.1, before + "!#[]\u{7F}" + after)
            }
        }
    }

    func testTheBufferIsReusedAcrossRecords() throws {
        var record = JSONRecord()
        let first = Array(#"{"name":"a long \"first\" value"}"#.utf8)
        let second = Array(#"{"n":1}"#.utf8)
        try first.withUnsafeBufferPointer { try record.parse($0) }
        try second.withUnsafeBufferPointer { source in
            try record.parse(source)
            record.withView(of: source) { view in
                XCTAssertEqual(record.fields.count, 1)
                XCTAssertEqual(view.keyText(record.fields[0]), "n")
                XCTAssertEqual(view.text(record.fields[0]), "1")
            }
        }
    }

    func testEveryLineOfTheSharedSampleParses() throws {
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../shared/data/udacity-sample/log_data").standardized.path
        guard FileManager.default.fileExists(atPath: sample), let files = FileManager.default.enumerator(atPath: sample) else {
            throw XCTSkip("the shared sample is not beside the repository")
        }
        var events = 0
        var record = JSONRecord()
        for case let name as String in files where name.hasSuffix(".json") {
            let data = try Data(contentsOf: URL(fileURLWithPath: sample + "/" + name))
            for line in data.split(separator: 0x0A) where !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) {
                try line.withUnsafeBytes { try record.parse($0.bindMemory(to: UInt8.self)) }
                XCTAssertEqual(record.fields.count, 18)
                events += 1
            }
        }
        XCTAssertEqual(events, 8_056)
    }
}
