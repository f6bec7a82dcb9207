/// One flat JSON object (an eventsim log line or a song file), parsed without building
/// dictionaries or strings: keys and values are byte ranges, most of them in the parsed bytes
/// themselves. Only a string with escapes is decoded, into one reusable buffer.
///
/// The loader parses millions of these, so `parse` copies no plain text and allocates nothing
/// once the buffers have grown to the largest record (measured: copying every key and value
/// into a buffer first was a quarter of the reader threads' time). The ranges refer to the
/// bytes given to `parse`, so reading a field takes those bytes again (`withView(of:)`): the
/// record keeps no pointer that could outlive them. Nested objects and arrays are rejected:
/// neither source has them, and a record that does is not one of ours.
public struct JSONRecord {
    public enum Kind: Equatable, Sendable { case null, bool, number, string }

    public struct Field {
        public var key: Range<Int>
        public var kind: Kind
        /// The bytes: UTF-8 text for strings, the literal for numbers, `t`/`f` for booleans.
        public var value: Range<Int>
        /// Whether `key`/`value` lie in the decoded buffer (a string with escapes) rather than
        /// in the parsed bytes.
        public var keyDecoded = false
        public var valueDecoded = false
    }

    /// Strings with escapes, decoded; the fields' ranges with `…Decoded` refer here.
    private var decoded: [UInt8] = []
    public private(set) var fields: [Field] = []

    public init() {
        decoded.reserveCapacity(1024)
        fields.reserveCapacity(32)
    }

    /// A record's fields read against the bytes it was parsed from.
    public struct View {
        let source: UnsafeBufferPointer<UInt8>
        let decoded: UnsafeBufferPointer<UInt8>

        @inline(__always)
        public func key(_ field: Field) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: (field.keyDecoded ? decoded : source)[field.key])
        }

        @inline(__always)
        public func value(_ field: Field) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(rebasing: (field.valueDecoded ? decoded : source)[field.value])
        }

        public func keyText(_ field: Field) -> String { String(decoding: key(field), as: UTF8.self) }
        public func text(_ field: Field) -> String { String(decoding: value(field), as: UTF8.self) }
    }

    /// `source` must be the bytes last given to `parse`.
    public func withView<Result>(of source: UnsafeBufferPointer<UInt8>, _ body: (View) throws -> Result) rethrows -> Result {
        try decoded.withUnsafeBufferPointer { try body(View(source: source, decoded: $0)) }
    }

    /// Parses `bytes` as one object, replacing what the record held.
    public mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        decoded.removeAll(keepingCapacity: true)
        fields.removeAll(keepingCapacity: true)
        var reader = Reader(bytes: bytes)
        reader.skipSpace()
        try reader.expect(UInt8(ascii: "{"), "a record must be a JSON object")
        reader.skipSpace()
        if reader.peek == UInt8(ascii: "}") {
            reader.index += 1
        } else {
            while true {
                reader.skipSpace()
                guard reader.peek == UInt8(ascii: "\"") else { throw reader.error("expected a quoted key") }
                let (key, keyDecoded) = try readString(&reader)
                reader.skipSpace()
                try reader.expect(UInt8(ascii: ":"), "expected ':' after a key")
                reader.skipSpace()
                var field = try readValue(&reader)
                field.key = key
                field.keyDecoded = keyDecoded
                fields.append(field)
                reader.skipSpace()
                if reader.peek == UInt8(ascii: ",") {
                    reader.index += 1
                    continue
                }
                try reader.expect(UInt8(ascii: "}"), "expected ',' or '}' after a value")
                break
            }
        }
        reader.skipSpace()
        guard reader.atEnd else { throw reader.error("unexpected text after the object") }
    }

    /// The value at the reader, its key not yet filled in.
    private mutating func readValue(_ reader: inout Reader) throws -> Field {
        guard let next = reader.peek else { throw reader.error("the record ends inside the object") }
        let start = reader.index
        switch next {
        case UInt8(ascii: "\""):
            let (value, valueDecoded) = try readString(&reader)
            return Field(key: 0..<0, kind: .string, value: value, valueDecoded: valueDecoded)
        case UInt8(ascii: "n"):
            try reader.literal("null")
            return Field(key: 0..<0, kind: .null, value: start..<start)
        case UInt8(ascii: "t"):
            try reader.literal("true")
            // The literal's first letter is the value.
            return Field(key: 0..<0, kind: .bool, value: start..<start + 1)
        case UInt8(ascii: "f"):
            try reader.literal("false")
            return Field(key: 0..<0, kind: .bool, value: start..<start + 1)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try reader.number()
            return Field(key: 0..<0, kind: .number, value: start..<reader.index)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            throw reader.error("nested objects and arrays are not part of this format")
        default:
            throw reader.error("expected a value")
        }
    }

    /// A JSON string: its range in the source when it has no escapes (nearly always), else
    /// decoded into `decoded` (every escape, `\u` surrogate pairs included).
    private mutating func readString(_ reader: inout Reader) throws -> (Range<Int>, decoded: Bool) {
        reader.index += 1
        let plainStart = reader.index
        reader.index = reader.endOfPlainRun(from: plainStart)
        guard !reader.atEnd else { throw reader.error("a string is not closed") }
        if reader.bytes[reader.index] == UInt8(ascii: "\"") {
            reader.index += 1
            return (plainStart..<reader.index - 1, false)
        }
        let start = decoded.count
        decoded.append(contentsOf: UnsafeBufferPointer(rebasing: reader.bytes[plainStart..<reader.index]))
        while true {
            guard !reader.atEnd else { throw reader.error("a string is not closed") }
            let byte = reader.bytes[reader.index]
            if byte == UInt8(ascii: "\"") {
                reader.index += 1
                return (start..<decoded.count, true)
            }
            if byte < 0x20 { throw reader.error("a control character inside a string must be escaped") }
            reader.index += 1
            guard !reader.atEnd else { throw reader.error("a string ends in an escape") }
            let escaped = reader.bytes[reader.index]
            reader.index += 1
            switch escaped {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escaped)
            case UInt8(ascii: "b"): decoded.append(0x08)
            case UInt8(ascii: "f"): decoded.append(0x0C)
            case UInt8(ascii: "n"): decoded.append(0x0A)
            case UInt8(ascii: "r"): decoded.append(0x0D)
            case UInt8(ascii: "t"): decoded.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try reader.hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    guard reader.remaining >= 6, reader.bytes[reader.index] == UInt8(ascii: "\\"),
                        reader.bytes[reader.index + 1] == UInt8(ascii: "u")
                    else {
                        throw reader.error("a \\u surrogate is not followed by its pair")
                    }
                    reader.index += 2
                    let low = try reader.hex4()
                    guard (0xDC00...0xDFFF).contains(low) else { throw reader.error("a \\u surrogate pair is broken") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    throw reader.error("a lone \\u surrogate")
                }
                appendUTF8(scalar)
            default:
                throw reader.error("an unknown escape \\\(Character(Unicode.Scalar(escaped)))")
            }
            // The plain run up to the next quote or escape, in one copy.
            let runStart = reader.index
            reader.index = reader.endOfPlainRun(from: runStart)
            if reader.index > runStart {
                decoded.append(contentsOf: UnsafeBufferPointer(rebasing: reader.bytes[runStart..<reader.index]))
            }
        }
    }

    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            decoded.append(UInt8(scalar))
        case 0x80..<0x800:
            decoded.append(UInt8(0xC0 | (scalar >> 6)))
            decoded.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            decoded.append(UInt8(0xE0 | (scalar >> 12)))
            decoded.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            decoded.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            decoded.append(UInt8(0xF0 | (scalar >> 18)))
            decoded.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            decoded.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            decoded.append(UInt8(0x80 | (scalar & 0x3F)))
        }
    }
}

/// Why a record is not valid JSON, and where (0-based byte offset within the record).
public struct JSONSyntaxError: Error, Equatable, CustomStringConvertible, Sendable {
    public var offset: Int
    public var reason: String
    public var description: String { "invalid JSON at byte \(offset + 1): \(reason)" }
}

/// A cursor over a record's bytes.
private struct Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    var atEnd: Bool { index >= bytes.count }
    var remaining: Int { bytes.count - index }
    var peek: UInt8? { atEnd ? nil : bytes[index] }

    func error(_ reason: String) -> JSONSyntaxError { JSONSyntaxError(offset: index, reason: reason) }

    /// Where the run of plain string bytes starting at `start` ends (`bytes.count` if it does
    /// not): at the closing quote, an escape or a control character. Eight bytes are checked
    /// at a time (user agents and song titles are long), the last few one by one.
    func endOfPlainRun(from start: Int) -> Int {
        guard let base = bytes.baseAddress else { return start }
        let count = bytes.count
        var index = start
        while index + 8 <= count {
            let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
            if Self.mayEndRun(word) { break }
            index += 8
        }
        while index < count, !Self.endsRun(base[index]) { index += 1 }
        return index
    }

    @inline(__always)
    private static func endsRun(_ byte: UInt8) -> Bool { byte < 0x20 || byte == 0x22 || byte == 0x5C }

    /// Whether any of the word's eight bytes is a quote, a backslash or below 0x20, by the
    /// classic "has a zero byte" bit test (exact when false; the byte loop finds which one).
    @inline(__always)
    private static func mayEndRun(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quote = word ^ (ones &* 0x22)
        let backslash = word ^ (ones &* 0x5C)
        let zeroQuote = (quote &- ones) & ~quote
        let zeroBackslash = (backslash &- ones) & ~backslash
        let control = (word &- ones &* 0x20) & ~word
        return (zeroQuote | zeroBackslash | control) & highs != 0
    }

    mutating func skipSpace() {
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D else { return }
            index += 1
        }
    }

    mutating func expect(_ byte: UInt8, _ reason: String) throws {
        guard peek == byte else { throw error(reason) }
        index += 1
    }

    mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard remaining >= count,
            UnsafeBufferPointer(start: word.utf8Start, count: count).elementsEqual(bytes[index..<index + count])
        else {
            throw error("expected \(word)")
        }
        index += count
    }

    /// Validates a JSON number's grammar and moves past it.
    mutating func number() throws {
        if peek == UInt8(ascii: "-") { index += 1 }
        guard let first = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else {
            throw error("a number needs digits")
        }
        if first == UInt8(ascii: "0") { index += 1 } else { digits() }
        if peek == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw error("a number needs digits after '.'") }
        }
        if peek == UInt8(ascii: "e") || peek == UInt8(ascii: "E") {
            index += 1
            if peek == UInt8(ascii: "+") || peek == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw error("a number needs digits in its exponent") }
        }
    }

    @discardableResult
    mutating func digits() -> Int {
        let start = index
        while let byte = peek, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
        return index - start
    }

    mutating func hex4() throws -> UInt32 {
        guard remaining >= 4 else { throw error("a \\u escape needs four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("a \\u escape needs four hex digits")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }
}
