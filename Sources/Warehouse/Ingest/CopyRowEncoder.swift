import Foundation

/// Turns a parsed source record into one tuple of PostgreSQL's binary COPY format
/// (`CopyBinary`) for a staging table, applying the load's typing rules: a string of digits fills an integer column (userId
/// is a string in the logs), "" is NULL for numbers, a float with nothing after the point fills
/// a BIGINT (registration), a missing key is NULL. Anything else is a bad record.
///
/// One encoder a reader thread. It is a class whose per-record scratch (which field fills each
/// column, the guesses) is raw memory: as a struct with array properties, the closures that
/// reach the record's bytes copied it for every value, and the copies' reference counting on
/// the table the threads share took half of the readers' time.
final class CopyRowEncoder {
    let table: Table
    /// For each column, the source key that fills it.
    let sourceKeys: [[UInt8]]
    /// The same keys as raw bytes, compared in the hot loop without reference counting.
    private let keys: UnsafeMutableBufferPointer<UnsafeBufferPointer<UInt8>>
    /// The columns' types, without their names: the hot loop touches no reference-counted values.
    private let kinds: [Kind]
    /// For each column, the record field that fills it (-1: missing).
    private let slots: UnsafeMutableBufferPointer<Int>
    /// The table's record rule as column positions: (the column, its value, the columns it requires).
    private let rule: (column: Int, value: [UInt8], required: [Int])?
    /// For each field position, the column its key matched last time: records of one source
    /// repeat their key order, so a guess checked with one comparison saves a search.
    private let guesses: UnsafeMutableBufferPointer<Int>
    /// The manifest's number of the file being read, written after the record's columns into
    /// the table's `fileNumberColumn`; nil when the tuples carry none.
    var fileNumber: Int32?

    private enum Kind {
        case text
        /// `bytes`: 2, 4 or 8, the width the server stores.
        case wholeNumber(limit: Int64, range: ClosedRange<Int64>?, bytes: Int)
        case decimal, notFromSource
    }

    init(table: Table, sourceKeys: [String]) {
        precondition(sourceKeys.count == table.columns.count, "one source key per column")
        self.table = table
        self.sourceKeys = sourceKeys.map { Array($0.utf8) }
        keys = .allocate(capacity: sourceKeys.count)
        for (index, key) in self.sourceKeys.enumerated() {
            let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(1, key.count))
            _ = bytes.initialize(from: key)
            keys[index] = UnsafeBufferPointer(start: bytes.baseAddress, count: key.count)
        }
        kinds = table.columns.map { column in
            switch column.kind {
            case .text: return .text
            case .smallint: return .wholeNumber(limit: Int64(Int16.max), range: column.range, bytes: 2)
            case .integer: return .wholeNumber(limit: Int64(Int32.max), range: column.range, bytes: 4)
            case .bigint: return .wholeNumber(limit: Int64.max, range: column.range, bytes: 8)
            case .double: return .decimal
            case .timestamp, .serial: return .notFromSource
            }
        }
        slots = .allocate(capacity: sourceKeys.count)
        slots.initialize(repeating: -1)
        guesses = .allocate(capacity: 64)
        guesses.initialize(repeating: 0)
        rule = table.recordRule.flatMap { rule in
            let names = table.columnNames
            guard let column = names.firstIndex(of: rule.column) else { return nil }
            return (column, Array(rule.equals.utf8), rule.required.compactMap { names.firstIndex(of: $0) })
        }
    }

    deinit {
        for key in keys { UnsafeMutableRawPointer(mutating: key.baseAddress)?.deallocate() }
        keys.deallocate()
        slots.deallocate()
        guesses.deallocate()
    }

    /// Why a well-formed JSON record still cannot be loaded.
    public struct BadValue: Error, Equatable, CustomStringConvertible, Sendable {
        public var column: String
        public var reason: String
        public var description: String { "\(column): \(reason)" }
    }

    /// Appends the record's tuple to `output`; `source`: the bytes the record was parsed from.
    /// On error nothing is appended.
    func encode(_ record: JSONRecord, from source: UnsafeBufferPointer<UInt8>, into output: TupleBuffer) throws {
        try record.withView(of: source) { view in
            try record.fields.withUnsafeBufferPointer { fields in
                mapFields(fields, view)
                if rule != nil { try checkRule(fields, view) }
                let mark = output.count
                do {
                    CopyBinary.appendFieldCount(kinds.count + (fileNumber == nil ? 0 : 1), to: output)
                    for column in 0..<kinds.count {
                        let slot = slots[column]
                        guard slot >= 0 else {
                            CopyBinary.appendNull(to: output)
                            continue
                        }
                        let field = fields[slot]
                        try append(view.value(field), kind: field.kind, column: column, to: output)
                    }
                    if let fileNumber { CopyBinary.appendInteger(Int64(fileNumber), bytes: 4, to: output) }
                } catch {
                    output.truncate(to: mark)
                    throw error
                }
            }
        }
    }

    /// A record the rule applies to must fill the columns it requires: a NextSong event without
    /// ts, sessionId or itemInSession is a reject here, with its file and line.
    private func checkRule(_ fields: UnsafeBufferPointer<JSONRecord.Field>, _ view: JSONRecord.View) throws {
        guard let rule else { return }
        let slot = slots[rule.column]
        guard slot >= 0 else { return }
        let field = fields[slot]
        guard field.kind == .string, Self.equal(view.value(field), rule.value) else { return }
        let missing = rule.required.filter { column in
            let slot = slots[column]
            guard slot >= 0 else { return true }
            let field = fields[slot]
            return field.kind == .null || field.value.isEmpty
        }
        guard let first = missing.first else { return }
        let keys = rule.required.map { String(decoding: sourceKeys[$0], as: UTF8.self) }
        throw BadValue(
            column: String(decoding: sourceKeys[first], as: UTF8.self),
            reason: "missing or null: a \(String(decoding: rule.value, as: UTF8.self)) event needs \(keys.joined(separator: ", "))")
    }

    /// Fills `slots`: which field holds each column's key (the last one, if a key repeats).
    private func mapFields(_ fields: UnsafeBufferPointer<JSONRecord.Field>, _ view: JSONRecord.View) {
        slots.update(repeating: -1)
        for fieldIndex in 0..<fields.count {
            let key = view.key(fields[fieldIndex])
            // Past the guesses' room (a record with over 64 keys) every key is searched.
            let guessed = fieldIndex < guesses.count
            let guess = guessed ? guesses[fieldIndex] : keys.count
            if guess < keys.count, Self.equal(key, keys[guess]) {
                slots[guess] = fieldIndex
                continue
            }
            // Keys are few: a linear search is cheaper than hashing.
            for column in keys.indices where Self.equal(key, keys[column]) {
                slots[column] = fieldIndex
                if guessed { guesses[fieldIndex] = column }
            }
        }
    }

    @inline(__always)
    private static func equal(_ key: UnsafeBufferPointer<UInt8>, _ name: UnsafeBufferPointer<UInt8>) -> Bool {
        key.count == name.count && (key.isEmpty || memcmp(name.baseAddress!, key.baseAddress!, key.count) == 0)
    }

    @inline(__always)
    private static func equal(_ key: UnsafeBufferPointer<UInt8>, _ name: [UInt8]) -> Bool {
        key.count == name.count && name.withUnsafeBufferPointer { equal(key, $0) }
    }

    private func append(
        _ value: UnsafeBufferPointer<UInt8>, kind fieldKind: JSONRecord.Kind, column: Int, to output: TupleBuffer
    ) throws {
        if fieldKind == .null {
            CopyBinary.appendNull(to: output)
            return
        }
        switch kinds[column] {
        case .text:
            guard CopyBinary.appendText(value, to: output) else {
                throw BadValue(column: table.columns[column].name, reason: "text holds a NUL character, which PostgreSQL cannot store")
            }
        case .wholeNumber(let limit, let range, let bytes):
            guard fieldKind == .number || fieldKind == .string else {
                throw BadValue(column: table.columns[column].name, reason: "expected a whole number, found a boolean")
            }
            if value.isEmpty {
                CopyBinary.appendNull(to: output)
                return
            }
            // Plain digits in range (nearly every value) need no more than one pass.
            if let number = Self.plainWholeNumber(value, limit: limit), range.map({ $0.contains(number) }) ?? true {
                CopyBinary.appendInteger(number, bytes: bytes, to: output)
                return
            }
            let number = try Self.wholeNumber(value[...], column: table.columns[column], limit: limit, range: range)
            CopyBinary.appendInteger(number, bytes: bytes, to: output)
        case .decimal:
            guard fieldKind == .number || fieldKind == .string else {
                throw BadValue(column: table.columns[column].name, reason: "expected a number, found a boolean")
            }
            if value.isEmpty {
                CopyBinary.appendNull(to: output)
                return
            }
            guard fieldKind == .number || Self.isDecimal(value[...]) else {
                throw BadValue(
                    column: table.columns[column].name,
                    reason: "expected a number, found \"\(String(decoding: value.prefix(40), as: UTF8.self))\"")
            }
            guard let number = DecimalText.double(value) else {
                throw BadValue(
                    column: table.columns[column].name,
                    reason: "\(String(decoding: value.prefix(40), as: UTF8.self)) is out of range for a double precision number")
            }
            CopyBinary.appendDouble(number, to: output)
        case .notFromSource:
            throw BadValue(column: table.columns[column].name, reason: "is not filled from a source")
        }
    }

    /// 1 to 18 digits, no sign or point, within `limit`: the value; nil for anything else,
    /// which `wholeNumber` then reads (or refuses, with the reason).
    @inline(__always)
    private static func plainWholeNumber(_ value: UnsafeBufferPointer<UInt8>, limit: Int64) -> Int64? {
        guard value.count <= 18 else { return nil }
        var number: Int64 = 0
        for byte in value {
            let digit = byte &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            number = number &* 10 &+ Int64(digit)
        }
        return number <= limit ? number : nil
    }

    /// The value of `value` (an optional '-', digits, and an optional all-zero fraction),
    /// range-checked for the column's type.
    static func wholeNumber(
        _ value: Slice<UnsafeBufferPointer<UInt8>>, column: TableColumn, limit: Int64, range: ClosedRange<Int64>? = nil
    ) throws -> Int64 {
        var end = value.endIndex
        if let point = value.firstIndex(of: UInt8(ascii: ".")) {
            guard value[(point + 1)...].allSatisfy({ $0 == UInt8(ascii: "0") }) else {
                throw BadValue(column: column.name, reason: "expected a whole number, found \(String(decoding: value, as: UTF8.self))")
            }
            end = point
        }
        let digits = value[value.startIndex..<end]
        let body = digits.first == UInt8(ascii: "-") ? digits.dropFirst() : digits
        guard !body.isEmpty, body.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            throw BadValue(column: column.name, reason: "expected a whole number, found \"\(String(decoding: value.prefix(40), as: UTF8.self))\"")
        }
        guard body.count <= 19, let number = Self.parse(digits),
            number <= limit, number >= -limit - 1
        else {
            throw BadValue(column: column.name, reason: "\(String(decoding: digits, as: UTF8.self)) is out of range for \(column.name)")
        }
        if let range, !range.contains(number) {
            throw BadValue(column: column.name, reason: "\(String(decoding: digits, as: UTF8.self)) is not \(column.rangeWords ?? "in range")")
        }
        return number
    }

    /// The value of an optional '-' and up to 19 digits, nil on overflow.
    private static func parse(_ digits: Slice<UnsafeBufferPointer<UInt8>>) -> Int64? {
        var negative = false
        var magnitude: UInt64 = 0
        for byte in digits {
            if byte == UInt8(ascii: "-") {
                negative = true
                continue
            }
            let (times, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            magnitude = sum
        }
        if negative { return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    static func isDecimal(_ value: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        var bytes = value[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        var sawDigit = false
        var sawPoint = false
        var sawExponent = false
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sawDigit = true
            case UInt8(ascii: ".") where !sawPoint && !sawExponent: sawPoint = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                guard sawDigit, !sawExponent else { return false }
                sawExponent = true
                sawDigit = false
                if index + 1 < bytes.endIndex, bytes[index + 1] == UInt8(ascii: "+") || bytes[index + 1] == UInt8(ascii: "-") { index += 1 }
            default: return false
            }
            index += 1
        }
        return sawDigit
    }
}

extension StarSchema {
    /// The log keys in jsonpaths order: staging.events' columns one for one.
    public static let eventSourceKeys = [
        "artist", "auth", "firstName", "gender", "itemInSession", "lastName", "length", "level", "location",
        "method", "page", "registration", "sessionId", "song", "status", "ts", "userAgent", "userId",
    ]

    /// Song files are read by name: the keys are the column names.
    public static var songSourceKeys: [String] { stagingSongs.columnNames }
}
