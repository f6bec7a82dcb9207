import XCTest

@testable import TestSupport
@testable import Warehouse

final class CopyRowEncoderTests: XCTestCase {
    private func encode(
        _ lines: [String], table: Table = StarSchema.stagingEvents,
        keys: [String] = StarSchema.eventSourceKeys, fileNumber: Int32? = nil
    ) throws -> [UInt8] {
        let encoder = CopyRowEncoder(table: table, sourceKeys: keys)
        encoder.fileNumber = fileNumber
        var record = JSONRecord()
        let output = TupleBuffer()
        for line in lines {
            try Array(line.utf8).withUnsafeBufferPointer { source in
                try record.parse(source)
                try encoder.encode(record, from: source, into: output)
            }
        }
        return output.take()
    }

    private func badValue(_ line: String) -> CopyRowEncoder.BadValue? {
        do {
            _ = try encode([line])
            return nil
        } catch {
            return error as? CopyRowEncoder.BadValue
        }
    }

    func testQuirkyEventsLoadIntoStagingWithEveryCharacterKept() throws {
        let lines = [
            #"{"artist":"Beyonc\u00e9","auth":"Logged In","firstName":"Line\nBreak","gender":"F","itemInSession":3,"lastName":"Back\\slash","length":212.6,"level":"paid","location":"Tab\there","method":"PUT","page":"NextSong","registration":1540919166796.0,"sessionId":38,"song":"Guitar \ud83c\udfb8","status":200,"ts":1541105830796,"userAgent":"\"Mozilla\/5.0\"","userId":"39"}"#,
            #"{"artist":null,"auth":"Logged Out","firstName":null,"gender":null,"itemInSession":0,"lastName":null,"length":null,"level":"free","location":null,"method":"GET","page":"Home","registration":null,"sessionId":40,"song":null,"status":200,"ts":1541106700000,"userAgent":null,"userId":""}"#,
            #"{"page":"About","ts":1541106800000,"userId":"7"}"#,
        ]
        let copy = try encode(lines, fileNumber: 7)
        let connection = try TestServer.connect()
        let dialect = PostgresDialect()
        try connection.execute("drop schema if exists staging cascade")
        try connection.execute(dialect.createSchemas()[0] + dialect.createTable(StarSchema.stagingEvents))
        let loaded = try connection.copyIn(LoadPlan.copyFromStdin(StarSchema.stagingEvents, format: .binary)) {
            try $0.write(CopyBinary.header + copy + CopyBinary.trailer)
        }
        XCTAssertEqual(loaded, 3)
        let rows = try connection.execute(
            """
            select artist, first_name, last_name, location, song, user_agent, user_id, registration, length, ts, source_file
            from staging.events order by ts
            """
        ).rows
        XCTAssertEqual(
            rows[0],
            [
                "Beyoncé", "Line\nBreak", "Back\\slash", "Tab\there", "Guitar 🎸", "\"Mozilla/5.0\"",
                "39", "1540919166796", "212.6", "1541105830796", "7",
            ], "every row carries its file's number")
        // Logged out: userId "" and null fields are NULL.
        XCTAssertEqual(rows[1], [nil, nil, nil, nil, nil, nil, nil, nil, nil, "1541106700000", "7"])
        // Missing keys are NULL too.
        XCTAssertEqual(rows[2][6], "7")
        XCTAssertNil(rows[2][0])
    }

    func testBadValuesNameTheColumnAndReason() {
        XCTAssertEqual(badValue(#"{"userId":"abc"}"#), .init(column: "user_id", reason: "expected a whole number, found \"abc\""))
        XCTAssertEqual(badValue(#"{"sessionId":38.5}"#)?.column, "session_id")
        XCTAssertEqual(badValue(#"{"status":99999}"#), .init(column: "status", reason: "99999 is out of range for status"))
        XCTAssertEqual(badValue(#"{"length":"long"}"#)?.reason, "expected a number, found \"long\"")
        XCTAssertEqual(badValue(#"{"ts":true}"#)?.reason, "expected a whole number, found a boolean")
        XCTAssertEqual(badValue(#"{"song":"a\u0000b"}"#)?.column, "song")
    }

    func testAFailedRecordLeavesTheOutputAsItWas() throws {
        let encoder = CopyRowEncoder(table: StarSchema.stagingEvents, sourceKeys: StarSchema.eventSourceKeys)
        var record = JSONRecord()
        let output = TupleBuffer()
        [1, 2, 3].withUnsafeBufferPointer { output.append($0) }
        try Array(#"{"artist":"fine","userId":"not a number"}"#.utf8).withUnsafeBufferPointer { source in
            try record.parse(source)
            XCTAssertThrowsError(try encoder.encode(record, from: source, into: output))
        }
        XCTAssertEqual(output.take(), [1, 2, 3])
    }

    func testSongFilesMapByName() throws {
        let song =
            #"{"num_songs": 1, "artist_id": "ARGCY1Y1187B9A4FA5", "artist_latitude": 36.16778, "artist_longitude": -86.77836, "artist_location": "Nashville, TN.", "artist_name": "Gloriana", "song_id": "SOQOTLQ12AB01868D0", "title": "Clementina Santaf\u00e8", "duration": 153.33832, "year": 0}"#
        let tuples = try encode([song], table: StarSchema.stagingSongs, keys: StarSchema.songSourceKeys)
        XCTAssertEqual(
            try BinaryTuples.decode(tuples, table: StarSchema.stagingSongs),
            [
                [
                    "1", "ARGCY1Y1187B9A4FA5", "36.16778", "-86.77836", "Nashville, TN.", "Gloriana", "SOQOTLQ12AB01868D0", "Clementina Santafè",
                    "153.33832", "0",
                ]
            ])
    }

    /// The double the server would make of the text, to the last bit: the quick path (up to
    /// 15 digits, no exponent) and the library's parse agree with each other and with float8 input.
    func testDecimalsBecomeTheSameDoubleTheServerWouldMake() throws {
        let texts = [
            "212.6", "0.1", "-0.0", "123456789012345", "0.000000000000001", "1.7976931348623157e308", "4e-320", "1E5",
            "1234567890123456789", "2.2250738585072014e-308", "36.16778", "-86.77836", "5.", ".5",
        ]
        let connection = try TestServer.connect()
        for text in texts {
            let value = try XCTUnwrap(Array(text.utf8).withUnsafeBufferPointer { DecimalText.double($0) }, text)
            let server = try connection.execute("select float8send('\(text)'::float8)::text").rows[0][0]
            let hex = String(value.bitPattern, radix: 16)
            let bits = "\\x" + String(repeating: "0", count: 16 - hex.count) + hex
            XCTAssertEqual(server, bits, text)
        }
        for refused in ["1e309", "-1e309", "1e-400"] {
            XCTAssertNil(Array(refused.utf8).withUnsafeBufferPointer { DecimalText.double($0) }, refused)
        }
    }
}
