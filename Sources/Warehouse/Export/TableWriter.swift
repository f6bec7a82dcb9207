import PostgresClient

/// An aligned text table, as psql prints one. Widths come from the first rows (held back until
/// `sampleSize` have arrived), then the rest stream straight through: a long result starts
/// printing at once and is never held whole. A later value wider than its column overflows it.
public final class TableWriter: ResultWriter {
    private let output: OutputBuffer
    private let sampleSize: Int
    private var columns: [Column] = []
    private var sample: [[String?]] = []
    private var widths: [Int]?
    private static let maximumWidth = 60

    public init(output: OutputBuffer, sampleSize: Int = 500) {
        self.output = output
        self.sampleSize = sampleSize
    }

    public func begin(columns: [Column]) {
        self.columns = columns
        sample = []
        widths = nil
    }

    public func write<Row: CellRow>(row: Row) {
        let values = (0..<row.count).map { row.string($0) }
        if widths != nil { return printRow(values) }
        sample.append(values)
        if sample.count >= sampleSize { flushSample() }
    }

    public func finish(rows: Int, commandTag: String) {
        if !columns.isEmpty {
            if widths == nil { flushSample() }
            output.append(rows == 1 ? "(1 row)\n" : "(\(rows) rows)\n")
        } else if !commandTag.isEmpty {
            output.append(commandTag + "\n")
        }
        output.flush()
    }

    private func flushSample() {
        var widths = columns.map { DisplayWidth.of($0.name) }
        for row in sample {
            for (index, value) in row.enumerated() {
                widths[index] = min(Self.maximumWidth, max(widths[index], DisplayWidth.of(Self.cellText(value))))
            }
        }
        self.widths = widths
        let header = columns.enumerated().map { Self.centre($1.name, in: widths[$0]) }
        output.append(" " + header.joined(separator: " | ") + " \n")
        output.append(widths.map { String(repeating: "-", count: $0 + 2) }.joined(separator: "+") + "\n")
        sample.forEach(printRow)
        sample = []
    }

    private func printRow(_ values: [String?]) {
        guard let widths else { return }
        let cells = values.enumerated().map { index, value -> String in
            let text = Self.cellText(value)
            let pad = String(repeating: " ", count: max(0, widths[index] - DisplayWidth.of(text)))
            return columns[index].isNumeric ? pad + text : text + pad
        }
        output.append(" " + cells.joined(separator: " | ") + " \n")
    }

    /// NULL prints as nothing, as in psql; line breaks inside a value would break the table.
    private static func cellText(_ value: String?) -> String {
        guard let value else { return "" }
        return value.contains("\n") ? value.replacingOccurrences(of: "\n", with: "↵") : value
    }

    private static func centre(_ text: String, in width: Int) -> String {
        let spare = max(0, width - DisplayWidth.of(text))
        return String(repeating: " ", count: spare / 2) + text + String(repeating: " ", count: spare - spare / 2)
    }
}
