import Foundation

/// Turns a parsed source record into one line of PostgreSQL's COPY text format for a staging
/// table, applying the load's typing rules: a string of digits fills an integer column (userId
/// is a string in the logs), "" is NULL for numbers, a float with nothing after the point fills
/// a BIGINT (registration), a missing key is NULL. Anything else is a bad record.
public struct CopyRowEncoder {
    public let table: Table
    /// For each column, the source key that fills it.
    public let sourceKeys: [[UInt8]]
    /// The columns' types, without their names: the hot loop touches no reference-counted values.
    private let kinds: [Kind]
    /// For each column, the record field that fills it (-1: missing).
    private var slots: [Int]
    /// The table's record rule as column positions: (the column, its value, the columns it requires).
    private let rule: (column: Int, value: [UInt8], required: [Int])?
    /// For each field position, the column its key matched last time: records of one source
    /// repeat their key order, so a guess checked with one comparison saves a search.
    private var guesses: [Int]

    private enum Kind {
        case text
        case wholeNumber(limit: Int64, range: ClosedRange<Int64>?)
        case decimal, notFromSource
    }

    public init(table: Table, sourceKeys: [String]) {
        precondition(sourceKeys.count == table.columns.count, "one source key per column")
        self.table = table
        self.sourceKeys = sourceKeys.map { Array($0.utf8) }
        kinds = table.columns.map { column in
            switch column.kind {
            case .text: return .text
            case .smallint: return .wholeNumber(limit: Int64(Int16.max), range: column.range)
            case .integer: return .wholeNumber(limit: Int64(Int32.max), range: column.range)
            case .bigint: return .wholeNumber(limit: Int64.max, range: column.range)
            case .double: return .decimal
            case .timestamp, .serial: return .notFromSource
            }
        }
        slots = Array(repeating: -1, count: sourceKeys.count)
        guesses = Array(repeating: 0, count: 64)
        rule = table.recordRule.flatMap { rule in
            let names = table.columnNames
            guard let column = names.firstIndex(of: rule.column) else { return nil }
            return (column, Array(rule.equals.utf8), rule.required.compactMap { names.firstIndex(of: $0) })
        }
    }

    /// Why a well-formed JSON record still cannot be loaded.
    public struct BadValue: Error, Equatable, CustomStringConvertible, Sendable {
        public var column: String
        public var reason: String
        public var description: String { "\(column): \(reason)" }
    }

    /// Appends the record's COPY line (with its newline) to `output`. On error nothing is appended.
    public mutating func encode(_ record: JSONRecord, into output: inout [UInt8]) throws {
        mapFields(of: record)
        if rule != nil { try checkRule(record) }
        let mark = output.count
        do {
            try record.storage.withUnsafeBufferPointer { storage in
                try record.fields.withUnsafeBufferPointer { fields in
                    for column in 0..<kinds.count {
                        if column > 0 { output.append(0x09) }
                        let slot = slots[column]
                        guard slot >= 0 else {
                            output.append(contentsOf: CopyText.null)
                            continue
                        }
                        let field = fields[slot]
                        try append(
                            UnsafeBufferPointer(rebasing: storage[field.value]), kind: field.kind,
                            column: column, to: &output)
                    }
                }
            }
            output.append(0x0A)
        } catch {
            output.removeSubrange(mark...)
            throw error
        }
    }

    /// A record the rule applies to must fill the columns it requires: a NextSong event without
    /// ts, sessionId or itemInSession is a reject here, with its file and line.
    private func checkRule(_ record: JSONRecord) throws {
        guard let rule else { return }
        let slot = slots[rule.column]
        guard slot >= 0 else { return }
        let applies = record.storage.withUnsafeBufferPointer { storage in
            let field = record.fields[slot]
            return field.kind == .string && Self.equal(UnsafeBufferPointer(rebasing: storage[field.value]), rule.value)
        }
        guard applies else { return }
        let missing = rule.required.filter { column in
            let slot = slots[column]
            guard slot >= 0 else { return true }
            let field = record.fields[slot]
            return field.kind == .null || field.value.isEmpty
        }
        guard let first = missing.first else { return }
        let keys = rule.required.map { String(decoding: sourceKeys[$0], as: UTF8.self) }
        throw BadValue(
            column: String(decoding: sourceKeys[first], as: UTF8.self),
            reason: "missing or null: a \(String(decoding: rule.value, as: UTF8.self)) event needs \(keys.joined(separator: ", "))")
    }

    /// Fills `slots`: which field holds each column's key (the last one, if a key repeats).
    private mutating func mapFields(of record: JSONRecord) {
        for index in slots.indices { slots[index] = -1 }
        let fieldCount = record.fields.count
        if guesses.count < fieldCount { guesses += Array(repeating: 0, count: fieldCount - guesses.count) }
        record.storage.withUnsafeBufferPointer { storage in
            record.fields.withUnsafeBufferPointer { fields in
                for fieldIndex in 0..<fieldCount {
                    let key = UnsafeBufferPointer(rebasing: storage[fields[fieldIndex].key])
                    let guess = guesses[fieldIndex]
                    if guess < sourceKeys.count, Self.equal(key, sourceKeys[guess]) {
                        slots[guess] = fieldIndex
                        continue
                    }
                    // Keys are few: a linear search is cheaper than hashing.
                    for column in sourceKeys.indices where Self.equal(key, sourceKeys[column]) {
                        slots[column] = fieldIndex
                        guesses[fieldIndex] = column
                    }
                }
            }
        }
    }

    @inline(__always)
    private static func equal(_ key: UnsafeBufferPointer<UInt8>, _ name: [UInt8]) -> Bool {
        key.count == name.count && name.withUnsafeBufferPointer { memcmp($0.baseAddress!, key.baseAddress!, key.count) == 0 }
    }

    private func append(
        _ value: UnsafeBufferPointer<UInt8>, kind fieldKind: JSONRecord.Kind, column: Int,
        to output: inout [UInt8]
    ) throws {
        if fieldKind == .null {
            output.append(contentsOf: CopyText.null)
            return
        }
        switch kinds[column] {
        case .text:
            guard CopyText.appendEscaped(value, to: &output) else {
                throw BadValue(column: table.columns[column].name, reason: "text holds a NUL character, which PostgreSQL cannot store")
            }
        case .wholeNumber(let limit, let range):
            guard fieldKind == .number || fieldKind == .string else {
                throw BadValue(column: table.columns[column].name, reason: "expected a whole number, found a boolean")
            }
            if value.isEmpty {
                output.append(contentsOf: CopyText.null)
                return
            }
            let digits = try Self.wholeNumber(value[...], column: table.columns[column], limit: limit, range: range)
            output.append(contentsOf: UnsafeBufferPointer(rebasing: digits))
        case .decimal:
            guard fieldKind == .number || fieldKind == .string else {
                throw BadValue(column: table.columns[column].name, reason: "expected a number, found a boolean")
            }
            if value.isEmpty {
                output.append(contentsOf: CopyText.null)
                return
            }
            guard fieldKind == .number || Self.isDecimal(value[...]) else {
                throw BadValue(
                    column: table.columns[column].name,
                    reason: "expected a number, found \"\(String(decoding: value.prefix(40), as: UTF8.self))\"")
            }
            guard Self.fitsDouble(value) else {
                throw BadValue(
                    column: table.columns[column].name,
                    reason: "\(String(decoding: value.prefix(40), as: UTF8.self)) is out of range for a double precision number")
            }
            output.append(contentsOf: value)
        case .notFromSource:
            throw BadValue(column: table.columns[column].name, reason: "is not filled from a source")
        }
    }

    /// The integral digits of `value` (an optional '-', digits, and an optional all-zero
    /// fraction), range-checked for the column's type.
    static func wholeNumber(
        _ value: Slice<UnsafeBufferPointer<UInt8>>, column: TableColumn, limit: Int64, range: ClosedRange<Int64>? = nil
    ) throws -> Slice<UnsafeBufferPointer<UInt8>> {
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
        if let range, let number = Self.parse(digits), !range.contains(number) {
            throw BadValue(column: column.name, reason: "\(String(decoding: digits, as: UTF8.self)) is not \(column.rangeWords ?? "in range")")
        }
        return digits
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

    /// Whether PostgreSQL's float8 input takes the number: 1e309 overflows and 1e-400
    /// underflows, and the server would fail the whole step on either with no file or line.
    /// Only a number with an exponent or very many digits can; the common ones skip the parse.
    static func fitsDouble(_ value: UnsafeBufferPointer<UInt8>) -> Bool {
        // One pass over the bytes: `| 0x20` folds E to e (digits, '.', '-' never become 'e').
        guard value.count > 300 || value.contains(where: { $0 | 0x20 == UInt8(ascii: "e") }) else { return true }
        let text = String(decoding: value, as: UTF8.self)
        guard let number = Double(text) else { return false }
        if !number.isFinite { return false }
        if number == 0 {
            // Zero only when every digit before the exponent is zero; a tiny non-zero value
            // rounds to zero, which PostgreSQL refuses as out of range.
            let mantissa = text.prefix { $0 != "e" && $0 != "E" }
            return !mantissa.contains { ("1"..."9").contains($0) }
        }
        return true
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
