/// One flat JSON object (an eventsim log line or a song file), parsed without building
/// dictionaries or strings: keys and decoded values are byte ranges in one reusable buffer.
///
/// The loader parses millions of these, so `parse` allocates nothing once the buffer has grown
/// to the largest record. Nested objects and arrays are rejected: neither source has them, and
/// a record that does is not one of ours.
public struct JSONRecord {
    public enum Kind: Equatable, Sendable { case null, bool, number, string }

    public struct Field {
        public var key: Range<Int>
        public var kind: Kind
        /// Decoded bytes: UTF-8 text for strings, the literal for numbers, `t`/`f` for booleans.
        public var value: Range<Int>
    }

    /// Decoded keys and values, referred to by the fields' ranges.
    public private(set) var storage: [UInt8] = []
    public private(set) var fields: [Field] = []

    public init() {
        storage.reserveCapacity(4096)
        fields.reserveCapacity(32)
    }

    public func keyText(_ field: Field) -> String { String(decoding: storage[field.key], as: UTF8.self) }

    public func keyEquals(_ field: Field, _ name: [UInt8]) -> Bool {
        field.key.count == name.count && storage[field.key].elementsEqual(name)
    }

    public func text(_ field: Field) -> String { String(decoding: storage[field.value], as: UTF8.self) }

    /// Parses `bytes` as one object, replacing what the record held.
    public mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        storage.removeAll(keepingCapacity: true)
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
                let key = try readString(&reader)
                reader.skipSpace()
                try reader.expect(UInt8(ascii: ":"), "expected ':' after a key")
                reader.skipSpace()
                let (kind, value) = try readValue(&reader)
                fields.append(Field(key: key, kind: kind, value: value))
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

    private mutating func readValue(_ reader: inout Reader) throws -> (Kind, Range<Int>) {
        let start = storage.count
        guard let next = reader.peek else { throw reader.error("the record ends inside the object") }
        switch next {
        case UInt8(ascii: "\""):
            return (.string, try readString(&reader))
        case UInt8(ascii: "n"):
            try reader.literal("null")
            return (.null, start..<start)
        case UInt8(ascii: "t"):
            try reader.literal("true")
            storage.append(UInt8(ascii: "t"))
            return (.bool, start..<storage.count)
        case UInt8(ascii: "f"):
            try reader.literal("false")
            storage.append(UInt8(ascii: "f"))
            return (.bool, start..<storage.count)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            let begin = reader.index
            try reader.number()
            storage.append(contentsOf: UnsafeBufferPointer(rebasing: reader.bytes[begin..<reader.index]))
            return (.number, start..<storage.count)
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            throw reader.error("nested objects and arrays are not part of this format")
        default:
            throw reader.error("expected a value")
        }
    }

    /// Decodes a JSON string into storage: every escape, `\u` surrogate pairs included.
    private mutating func readString(_ reader: inout Reader) throws -> Range<Int> {
        let start = storage.count
        reader.index += 1
        while true {
            guard !reader.atEnd else { throw reader.error("a string is not closed") }
            // Copy the run of plain bytes in one go (one table lookup a byte finds its end).
            let runStart = reader.index
            reader.index = reader.endOfPlainRun(from: runStart)
            if reader.index > runStart { storage.append(contentsOf: UnsafeBufferPointer(rebasing: reader.bytes[runStart..<reader.index])) }
            guard !reader.atEnd else { throw reader.error("a string is not closed") }
            let byte = reader.bytes[reader.index]
            if byte == UInt8(ascii: "\"") {
                reader.index += 1
                return start..<storage.count
            }
            if byte < 0x20 { throw reader.error("a control character inside a string must be escaped") }
            reader.index += 1
            guard !reader.atEnd else { throw reader.error("a string ends in an escape") }
            let escaped = reader.bytes[reader.index]
            reader.index += 1
            switch escaped {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): storage.append(escaped)
            case UInt8(ascii: "b"): storage.append(0x08)
            case UInt8(ascii: "f"): storage.append(0x0C)
            case UInt8(ascii: "n"): storage.append(0x0A)
            case UInt8(ascii: "r"): storage.append(0x0D)
            case UInt8(ascii: "t"): storage.append(0x09)
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
        }
    }

    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            storage.append(UInt8(scalar))
        case 0x80..<0x800:
            storage.append(UInt8(0xC0 | (scalar >> 6)))
            storage.append(UInt8(0x80 | (scalar & 0x3F)))
        case 0x800..<0x10000:
            storage.append(UInt8(0xE0 | (scalar >> 12)))
            storage.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            storage.append(UInt8(0x80 | (scalar & 0x3F)))
        default:
            storage.append(UInt8(0xF0 | (scalar >> 18)))
            storage.append(UInt8(0x80 | ((scalar >> 12) & 0x3F)))
            storage.append(UInt8(0x80 | ((scalar >> 6) & 0x3F)))
            storage.append(UInt8(0x80 | (scalar & 0x3F)))
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

    /// Bytes that end a string's plain run: the closing quote, an escape, a control character.
    private static let endsRun: [Bool] = (0...255).map { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }

    /// Where the run of plain string bytes starting at `start` ends (`bytes.count` if it does not).
    func endOfPlainRun(from start: Int) -> Int {
        Self.endsRun.withUnsafeBufferPointer { table in
            var index = start
            let count = bytes.count
            guard let base = bytes.baseAddress else { return start }
            while index < count, !table[Int(base[index])] { index += 1 }
            return index
        }
    }

    mutating func skipSpace() {
        while !atEnd, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
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
