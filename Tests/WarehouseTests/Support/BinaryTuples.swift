import Foundation

@testable import Warehouse

/// Reads back the tuples `CopyRowEncoder` writes, as the text PostgreSQL would print for each
/// value: the tests check the encoding by its meaning, and that every tuple is well formed.
enum BinaryTuples {
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    static func decode(_ bytes: [UInt8], table: Table) throws -> [[String?]] {
        var rows: [[String?]] = []
        var offset = 0
        func take(_ count: Int) throws -> ArraySlice<UInt8> {
            guard count >= 0, offset + count <= bytes.count else { throw Malformed(description: "ends inside a tuple at byte \(offset)") }
            defer { offset += count }
            return bytes[offset..<offset + count]
        }
        func integer(_ slice: ArraySlice<UInt8>) -> UInt64 { slice.reduce(0) { $0 << 8 | UInt64($1) } }
        while offset < bytes.count {
            let fields = Int(Int16(bitPattern: UInt16(integer(try take(2)))))
            guard fields == table.columns.count else { throw Malformed(description: "\(fields) fields, not \(table.columns.count)") }
            var row: [String?] = []
            for column in table.columns {
                let length = Int(Int32(bitPattern: UInt32(integer(try take(4)))))
                if length == -1 {
                    row.append(nil)
                    continue
                }
                let value = try take(length)
                switch column.kind {
                case .text:
                    guard !value.contains(0) else { throw Malformed(description: "a NUL in \(column.name)") }
                    guard let text = String(validating: value, as: UTF8.self) else { throw Malformed(description: "not UTF-8 in \(column.name)") }
                    row.append(text)
                case .smallint:
                    guard length == 2 else { throw Malformed(description: "\(column.name) is \(length) bytes") }
                    row.append(String(Int16(bitPattern: UInt16(integer(value)))))
                case .integer:
                    guard length == 4 else { throw Malformed(description: "\(column.name) is \(length) bytes") }
                    row.append(String(Int32(bitPattern: UInt32(integer(value)))))
                case .bigint:
                    guard length == 8 else { throw Malformed(description: "\(column.name) is \(length) bytes") }
                    row.append(String(Int64(bitPattern: integer(value))))
                case .double:
                    guard length == 8 else { throw Malformed(description: "\(column.name) is \(length) bytes") }
                    row.append("\(Double(bitPattern: integer(value)))")
                case .timestamp, .serial:
                    throw Malformed(description: "\(column.name) is not filled from a source")
                }
            }
            rows.append(row)
        }
        return rows
    }
}
