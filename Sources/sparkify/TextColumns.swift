import Warehouse

/// Rows of cells laid out in columns by display width, for the commands' short summaries
/// (query results have their own streaming writers).
enum TextColumns {
    static func render(_ rows: [[String]], rightAligned: Set<Int> = [], indent: String = "") -> String {
        let columnCount = rows.map(\.count).max() ?? 0
        let widths = (0..<columnCount).map { column in
            rows.map { column < $0.count ? DisplayWidth.of($0[column]) : 0 }.max() ?? 0
        }
        return rows.map { row in
            var line =
                indent
                + row.enumerated().map { column, cell in
                    let pad = String(repeating: " ", count: widths[column] - DisplayWidth.of(cell))
                    return rightAligned.contains(column) ? pad + cell : cell + pad
                }.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n") + "\n"
    }
}
