import PostgresClient

/// RFC 4180 CSV with a header line. NULL is an empty field and the empty string is `""`, so the
/// two stay apart (psql's CSV output does the same).
public final class CSVWriter: ResultWriter {
    private let output: OutputBuffer
    private var rowCount = 0

    public init(output: OutputBuffer) { self.output = output }

    public func begin(columns: [Column]) {
        for (index, column) in columns.enumerated() {
            if index > 0 { output.append(byte: UInt8(ascii: ",")) }
            appendField(Array(column.name.utf8)[...])
        }
        output.append(byte: UInt8(ascii: "\n"))
    }

    public func write<Row: CellRow>(row: Row) {
        for index in 0..<row.count {
            if index > 0 { output.append(byte: UInt8(ascii: ",")) }
            if row.isNull(index) { continue }
            let bytes = row.bytes(index)
            if bytes.isEmpty {
                output.append("\"\"")
            } else {
                appendField(bytes[...])
            }
        }
        output.append(byte: UInt8(ascii: "\n"))
    }

    public func finish(rows: Int, commandTag: String) { output.flush() }

    private func appendField<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let needsQuotes = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 10 || $0 == 13 }
        guard needsQuotes else { return output.append(bytes: bytes) }
        output.append(byte: UInt8(ascii: "\""))
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { output.append(byte: byte) }
            output.append(byte: byte)
        }
        output.append(byte: UInt8(ascii: "\""))
    }
}
