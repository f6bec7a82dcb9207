import Foundation
import PostgresClient

/// A JSON array of objects, one per row, written as rows arrive. Numbers and booleans keep
/// their JSON types; NULL is `null`; values that JSON cannot hold as numbers (NaN) are strings.
public final class JSONWriter: ResultWriter {
    private let output: OutputBuffer
    private var columns: [Column] = []
    private var keys: [[UInt8]] = []
    private var rowsWritten = 0

    public init(output: OutputBuffer) { self.output = output }

    public func begin(columns: [Column]) {
        self.columns = columns
        keys = columns.map { Array(Self.quoted($0.name).utf8) + [UInt8(ascii: ":")] }
        rowsWritten = 0
        output.append("[")
    }

    public func write<Row: CellRow>(row: Row) {
        output.append(rowsWritten == 0 ? "\n{" : ",\n{")
        rowsWritten += 1
        for index in 0..<row.count {
            if index > 0 { output.append(byte: UInt8(ascii: ",")) }
            output.append(bytes: keys[index])
            if row.isNull(index) {
                output.append("null")
                continue
            }
            let bytes = row.bytes(index)
            let column = columns[index]
            if column.isBoolean {
                output.append(bytes.first == UInt8(ascii: "t") ? "true" : "false")
            } else if column.isNumeric, bytes.allSatisfy({ Self.numberBytes.contains($0) }) {
                output.append(bytes: bytes)
            } else {
                appendString(bytes)
            }
        }
        output.append("}")
    }

    public func finish(rows: Int, commandTag: String) {
        output.append(rowsWritten == 0 ? "]\n" : "\n]\n")
        output.flush()
    }

    private static let numberBytes = Set("0123456789.-+eE".utf8)

    private func appendString(_ bytes: UnsafeBufferPointer<UInt8>) {
        output.append(byte: UInt8(ascii: "\""))
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\""): output.append("\\\"")
            case UInt8(ascii: "\\"): output.append("\\\\")
            case 10: output.append("\\n")
            case 13: output.append("\\r")
            case 9: output.append("\\t")
            case 0..<32: output.append("\\u00" + (byte < 16 ? "0" : "") + String(byte, radix: 16))
            default: output.append(byte: byte)
            }
        }
        output.append(byte: UInt8(ascii: "\""))
    }

    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            default:
                if scalar.value < 32 { result += String(format: "\\u%04x", scalar.value) } else { result.unicodeScalars.append(scalar) }
            }
        }
        return result + "\""
    }
}
