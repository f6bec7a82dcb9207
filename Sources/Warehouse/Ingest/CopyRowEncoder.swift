/// Turns a parsed source record into one line of PostgreSQL's COPY text format for a staging
/// table, applying the load's typing rules: a string of digits fills an integer column (userId
/// is a string in the logs), "" is NULL for numbers, a float with nothing after the point fills
/// a BIGINT (registration), a missing key is NULL. Anything else is a bad record.
public struct CopyRowEncoder {
    public let table: Table
    /// For each column, the source key that fills it.
    public let sourceKeys: [[UInt8]]
    private var slots: [Int]

    public init(table: Table, sourceKeys: [String]) {
        precondition(sourceKeys.count == table.columns.count, "one source key per column")
        self.table = table
        self.sourceKeys = sourceKeys.map { Array($0.utf8) }
        slots = Array(repeating: -1, count: sourceKeys.count)
    }

    /// Why a well-formed JSON record still cannot be loaded.
    public struct BadValue: Error, Equatable, CustomStringConvertible, Sendable {
        public var column: String
        public var reason: String
        public var description: String { "\(column): \(reason)" }
    }

    /// Appends the record's COPY line (with its newline) to `output`. On error nothing is appended.
    public mutating func encode(_ record: JSONRecord, into output: inout [UInt8]) throws {
        for index in slots.indices { slots[index] = -1 }
        // Source records are small and keys few: a linear match beats hashing here.
        for (fieldIndex, field) in record.fields.enumerated() {
            for column in sourceKeys.indices where record.keyEquals(field, sourceKeys[column]) {
                slots[column] = fieldIndex
            }
        }
        let mark = output.count
        do {
            for (column, definition) in table.columns.enumerated() {
                if column > 0 { output.append(0x09) }
                guard slots[column] >= 0 else {
                    output.append(contentsOf: Self.nullMarker)
                    continue
                }
                try append(record, record.fields[slots[column]], as: definition, to: &output)
            }
            output.append(0x0A)
        } catch {
            output.removeSubrange(mark...)
            throw error
        }
    }

    private static let nullMarker: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "N")]

    private func append(_ record: JSONRecord, _ field: JSONRecord.Field, as column: TableColumn,
                        to output: inout [UInt8]) throws {
        let value = record.storage[field.value]
        if field.kind == .null { return output.append(contentsOf: Self.nullMarker) }
        switch column.kind {
        case .text:
            for byte in value {
                switch byte {
                case 0x5C: output.append(0x5C); output.append(0x5C)
                case 0x0A: output.append(0x5C); output.append(UInt8(ascii: "n"))
                case 0x0D: output.append(0x5C); output.append(UInt8(ascii: "r"))
                case 0x09: output.append(0x5C); output.append(UInt8(ascii: "t"))
                case 0x00: throw BadValue(column: column.name, reason: "text holds a NUL character, which PostgreSQL cannot store")
                default: output.append(byte)
                }
            }
        case .smallint, .integer, .bigint:
            guard field.kind == .number || field.kind == .string else {
                throw BadValue(column: column.name, reason: "expected a whole number, found a boolean")
            }
            if value.isEmpty { return output.append(contentsOf: Self.nullMarker) }
            let digits = try Self.wholeNumber(value, column: column)
            output.append(contentsOf: digits)
        case .double:
            guard field.kind == .number || field.kind == .string else {
                throw BadValue(column: column.name, reason: "expected a number, found a boolean")
            }
            if value.isEmpty { return output.append(contentsOf: Self.nullMarker) }
            guard Self.isDecimal(value) else {
                throw BadValue(column: column.name, reason: "expected a number, found \"\(String(decoding: value.prefix(40), as: UTF8.self))\"")
            }
            output.append(contentsOf: value)
        case .timestamp, .serial:
            throw BadValue(column: column.name, reason: "is not filled from a source")
        }
    }

    /// The integral digits of `value` (an optional '-', digits, and an optional all-zero
    /// fraction), range-checked for the column's type.
    static func wholeNumber(_ value: ArraySlice<UInt8>, column: TableColumn) throws -> ArraySlice<UInt8> {
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
        let limit: Int64
        switch column.kind {
        case .smallint: limit = Int64(Int16.max)
        case .integer: limit = Int64(Int32.max)
        default: limit = Int64.max
        }
        guard body.count <= 19, let number = Int64(String(decoding: digits, as: UTF8.self)),
              number <= limit, number >= -limit - 1 else {
            throw BadValue(column: column.name, reason: "\(String(decoding: digits, as: UTF8.self)) is out of range for \(column.name)")
        }
        return digits
    }

    static func isDecimal(_ value: ArraySlice<UInt8>) -> Bool {
        var bytes = value[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        var sawDigit = false, sawPoint = false, sawExponent = false
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
