import Warehouse

/// A result drawn as bars: one label column and the number columns beside it (plays per hour,
/// top songs, paid against free). Built once from the rows when the chart opens; the bars are
/// scaled to the box when drawn, so a resize redraws them right.
struct BarChart: Sendable, Equatable {
    struct Series: Sendable, Equatable {
        var name: String
        /// One value a bar; nil where the cell is NULL or not a number.
        var values: [Double?]
        /// The values as the result shows them, printed after the bars.
        var texts: [String]
    }

    var title: String
    var labelName: String
    var labels: [String]
    var series: [Series]
    /// Rows of the result left out: a chart of more bars than this is no longer read as one.
    var rowsLeftOut: Int

    static let maximumBars = 500

    enum Refusal: Error, Equatable, Sendable {
        case noNumberColumn
        case noRows
    }

    /// The first text column labels the bars (with none, the first of several number columns;
    /// else the row number); every other number column is a series.
    static func make(from rows: ResultRows, order: [UInt32]?, title: String) -> Result<BarChart, Refusal> {
        rows.read { reader in
            build(
                columns: rows.columns.map(\.name), numeric: rows.columns.map(\.isNumeric), count: order?.count ?? reader.count, title: title
            ) { position, column in
                reader.row(order.map { Int($0[position]) } ?? position).string(column)
            }
        }
    }

    /// A validation check's rows, which come as text: a column is a number column when every
    /// value in it reads as a number.
    static func make(columns: [String], rows: [[String?]], title: String) -> Result<BarChart, Refusal> {
        let numeric = columns.indices.map { column in
            rows.contains { $0[column] != nil } && rows.allSatisfy { row in row[column].map { Double($0) != nil } ?? true }
        }
        return build(columns: columns, numeric: numeric, count: rows.count, title: title) { rows[$0][$1] }
    }

    private static func build(
        columns: [String], numeric: [Bool], count: Int, title: String, cell: (_ row: Int, _ column: Int) -> String?
    ) -> Result<BarChart, Refusal> {
        var numbers = columns.indices.filter { numeric[$0] }
        guard !numbers.isEmpty else { return .failure(.noNumberColumn) }
        guard count > 0 else { return .failure(.noRows) }
        // Plays per hour: with no text column, the first of several number columns labels the bars.
        var labelColumn = columns.indices.first { !numeric[$0] }
        if labelColumn == nil, numbers.count > 1 { labelColumn = numbers.removeFirst() }
        let shown = min(count, maximumBars)
        var labels: [String] = []
        var values = [[Double?]](repeating: [], count: numbers.count)
        var texts = [[String]](repeating: [], count: numbers.count)
        for position in 0..<shown {
            labels.append(labelColumn.map { cell(position, $0) ?? "NULL" } ?? String(position + 1))
            for (index, column) in numbers.enumerated() {
                let text = cell(position, column)
                values[index].append(text.flatMap(Double.init))
                texts[index].append(text ?? "NULL")
            }
        }
        return .success(
            BarChart(
                title: title, labelName: labelColumn.map { columns[$0] } ?? "row", labels: labels,
                series: numbers.enumerated().map { Series(name: columns[$0.element], values: values[$0.offset], texts: texts[$0.offset]) },
                rowsLeftOut: count - shown))
    }

    /// The largest magnitude: every bar is scaled against it (and zero is the left edge).
    var scale: Double {
        series.flatMap { $0.values.compactMap { $0.map(abs) } }.max() ?? 0
    }

    /// Whole cells and an eighth-block remainder for `value` on a bar of `width` cells.
    static func bar(_ value: Double, scale: Double, width: Int) -> String {
        guard scale > 0, value > 0, width > 0 else { return "" }
        let eighths = Int((value / scale * Double(width * 8)).rounded())
        let partial = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"][eighths % 8]
        return String(repeating: "█", count: eighths / 8) + partial
    }

    /// Lines of the chart (one a bar; with several series, one a series under each label).
    var lineCount: Int { labels.count * series.count }
}
