import Foundation
import XCTest

@testable import TestSupport
@testable import Warehouse

/// A seeded mutation fuzzer over valid records and configs: bytes flipped, inserted, deleted,
/// repeated and cut, with the characters that broke things before (NUL, backslashes, quotes,
/// huge exponents, a BOM, CR). Nothing may crash; every line is loaded or rejected, never both,
/// never neither; the server accepts every row sparkify sends. Same seed, same cases: a failure
/// names its seed and case to run again. Bounded to well under a minute.
final class FuzzTests: XCTestCase {
    /// SplitMix64: small, fast, and the same everywhere.
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(max(1, bound))) }
    }

    static let seed: UInt64 = ProcessInfo.processInfo.environment["SPARKIFY_FUZZ_SEED"].flatMap { UInt64($0) } ?? 20_261_130

    /// Fragments worth splicing in: each once broke a parser somewhere.
    static let nasty: [[UInt8]] = [
        [0x00], [0x5C], [0x5C, 0x00], Array(#"\u0000"#.utf8), Array(#"\ud800"#.utf8), Array(#"\uDC00\uD800"#.utf8),
        [0x22], [0x7B], [0x7D], [0x5B], [0x5D], [0x3A], [0x2C], [0xFF], [0xC3], [0xE2, 0x82], [0xEF, 0xBB, 0xBF], [0x0D],
        [0x09], Array("1e309".utf8), Array("-1e309".utf8), Array("1e-400".utf8), Array("99999999999999999999".utf8),
        Array("-0".utf8), Array("null".utf8), Array("true".utf8), Array("\"\"".utf8), Array("NaN".utf8),
        Array(repeating: 0x5B, count: 300), Array("\"NextSong\"".utf8), Array(#""ts":null"#.utf8),
    ]

    static func mutate(_ line: [UInt8], _ random: inout Random) -> [UInt8] {
        var bytes = line
        for _ in 0..<(1 + random.below(3)) {
            let at = random.below(bytes.count + 1)
            switch random.below(7) {
            case 0 where !bytes.isEmpty: bytes[min(at, bytes.count - 1)] = UInt8(truncatingIfNeeded: random.next())
            case 1: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: at)
            case 2 where !bytes.isEmpty: bytes.remove(at: min(at, bytes.count - 1))
            case 3: bytes.insert(contentsOf: nasty[random.below(nasty.count)], at: at)
            case 4:
                let end = min(bytes.count, at + random.below(40))
                bytes.insert(contentsOf: bytes[at..<end], at: at)
            case 5: bytes = Array(bytes.prefix(at))
            default:
                // A value replaced whole: after a colon, up to the next comma.
                if let colon = bytes[at...].firstIndex(of: 0x3A) {
                    let end = bytes[colon...].firstIndex(of: 0x2C) ?? bytes.count
                    bytes.replaceSubrange((colon + 1)..<end, with: nasty[random.below(nasty.count)])
                }
            }
        }
        // One line each: a newline inside would be two records to the file reader.
        return bytes.map { $0 == 0x0A ? 0x20 : $0 }
    }

    private static func validLines(_ random: inout Random, count: Int) -> [[UInt8]] {
        (0..<count).map { index in
            if index % 3 == 2 {
                return Array(
                    Dataset.song(
                        id: "SO\(index)", title: #""Tïtle \"q\"""#, artist: #""Bänd""#, artistID: "AR\(index)", duration: "218.93179",
                        latitude: "35.14968", longitude: "-90.04892"
                    ).utf8)
            }
            return Array(
                Dataset.play(
                    #""Sehr kosmisch""#, by: #""Harmonia""#, length: "655.77751", ts: 1_541_903_636_796 + Int64(index), session: index,
                    item: index % 50
                ).utf8)
        }
    }

    /// The scanner and the encoder on 200,000 mutated lines: no crash, every tuple well formed (no NUL, no bad UTF-8)
    /// in what would go to the server, every line either encoded or refused.
    func testTheScannerAndEncoderSurviveMutatedRecords() {
        var random = Random(state: Self.seed)
        let base = Self.validLines(&random, count: 300)
        let events = CopyRowEncoder(table: StarSchema.stagingEvents, sourceKeys: StarSchema.eventSourceKeys)
        let songs = CopyRowEncoder(table: StarSchema.stagingSongs, sourceKeys: StarSchema.songSourceKeys)
        var record = JSONRecord()
        var encoded = 0
        var refused = 0
        for index in 0..<200_000 {
            let line = Self.mutate(base[index % base.count], &random)
            let output = TupleBuffer()
            do {
                try line.withUnsafeBufferPointer { bytes in
                    if UTF8Validation.firstInvalidOffset(bytes) != nil { throw CopyRowEncoder.BadValue(column: "", reason: "utf8") }
                    try record.parse(bytes)
                    if index % 3 == 2 {
                        try songs.encode(record, from: bytes, into: output)
                    } else {
                        try events.encode(record, from: bytes, into: output)
                    }
                }
                encoded += 1
                // One well-formed tuple: the field count, each length, and no NUL or bad UTF-8 in text.
                let table = index % 3 == 2 ? StarSchema.stagingSongs : StarSchema.stagingEvents
                XCTAssertEqual(try BinaryTuples.decode(output.take(), table: table).count, 1, "case \(index)")
            } catch {
                refused += 1
                let reason = RejectedRecord.visible("\(error)")
                XCTAssertFalse(reason.contains("\u{0}"), "case \(index): \(reason.debugDescription)")
            }
        }
        XCTAssertEqual(encoded + refused, 200_000)
        XCTAssertGreaterThan(encoded, 10_000, "the mutations leave many records valid")
        XCTAssertGreaterThan(refused, 10_000, "and break many")
    }

    /// Mutated lines loaded for real: each is a row or a reject, and the server takes every row.
    func testEveryMutatedLineIsLoadedOrRejectedNeverLost() throws {
        var random = Random(state: Self.seed &+ 1)
        let base = Self.validLines(&random, count: 200)
        let data = Dataset("fuzz")
        var logLines: [[UInt8]] = []
        for index in 0..<20_000 where index % 3 != 2 { logLines.append(Self.mutate(base[index % base.count], &random)) }
        var text: [UInt8] = []
        var nonBlank = 0
        for line in logLines {
            text += line + [0x0A]
            // The file reader skips lines of blanks and CRs only; everything else is a record.
            if !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { nonBlank += 1 }
        }
        // A BOM is dropped from the very first line only; keep the count honest.
        data.write(data.logData + "/fuzz.json", Data(text))
        data.writeSong("A/TR.json", Dataset.song(id: "SO1", title: #""T""#, artist: #""A""#, artistID: "AR1", duration: "1.0"))
        let load = try LoadHarness("fuzz", sources: data.sources, maxErrors: 1_000_000)
        try load.run([.drop, .create])
        let outcome = try load.runner.run(.copy(StarSchema.stagingEvents))
        XCTAssertEqual(outcome.rows + outcome.rejected, nonBlank, "every line a row or a reject (seed \(Self.seed))")
        XCTAssertEqual(try load.count("select count(*) from staging.events"), outcome.rows)
        XCTAssertEqual(try load.count("select count(*) from staging.load_errors"), outcome.rejected)
        XCTAssertGreaterThan(outcome.rows, 1_000)
        // And the inserts take whatever staging now holds.
        for table in InsertSQL.order { XCTAssertNoThrow(try load.runner.run(.insert(table)), "insert \(table.name)") }
    }

    /// The config reader on mutated dwh.cfg files: a config or a ConfigError, nothing else.
    func testTheConfigReaderSurvivesMutatedFiles() throws {
        var random = Random(state: Self.seed &+ 2)
        let valid = Array(
            """
            [CLUSTER]
            HOST=dwh.abc123.us-west-2.redshift.amazonaws.com
            DB_NAME=dev
            DB_USER=awsuser
            DB_PASSWORD='Passw0rd'
            DB_PORT=5439

            [IAM_ROLE]
            ARN=arn:aws:iam::123456789012:role/dwhRole

            [S3]
            LOG_DATA='s3://udacity-dend/log_data'
            LOG_JSONPATH='s3://udacity-dend/log_json_path.json'
            SONG_DATA='s3://udacity-dend/song_data'

            """.utf8)
        var parsed = 0
        var refused = 0
        for index in 0..<20_000 {
            var bytes = valid
            for _ in 0..<(1 + random.below(4)) {
                let at = random.below(bytes.count + 1)
                switch random.below(4) {
                case 0 where !bytes.isEmpty: bytes[min(at, bytes.count - 1)] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes.insert(contentsOf: [[0x5B], [0x3D], [0x0D, 0x0A], [0x00], [0xEF, 0xBB, 0xBF], [0x27]][random.below(6)], at: at)
                case 2 where !bytes.isEmpty: bytes.remove(at: min(at, bytes.count - 1))
                default: bytes = Array(bytes.prefix(at))
                }
            }
            do {
                _ = try DwhConfig(ini: IniFile(path: "fuzz-\(index).cfg", text: String(decoding: bytes, as: UTF8.self)))
                parsed += 1
            } catch let error as ConfigError {
                refused += 1
                XCTAssertTrue("\(error)".hasPrefix("fuzz-\(index).cfg"), "the message names the file: \(error)")
                XCTAssertFalse("\(error)".contains("Passw0rd"), "never the password")
            }
        }
        XCTAssertEqual(parsed + refused, 20_000)
        XCTAssertGreaterThan(parsed, 1_000)
    }
}
