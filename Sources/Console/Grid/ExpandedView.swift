import Warehouse

/// psql's `\x`: the selected record as name and value, one column a line, values wrapped to the
/// width; ↑ and ↓ move between records as they move between rows.
enum ExpandedView {
    static func draw(_ screen: ScreenBuffer, _ area: Rect, rows: ResultRows, grid: GridState, focused: Bool) {
        guard area.height >= 1, area.width >= 8 else { return }
        let total = grid.order?.count ?? rows.count
        guard total > 0 else {
            screen.put("(no rows)", row: area.row, col: area.col, style: .dim, clip: area)
            return
        }
        let names = rows.columns.map(\.name)
        let nameWidth = min(24, names.map(CellText.width).max() ?? 4)
        let valueWidth = max(1, area.width - nameWidth - 3)
        let values: [String?] = rows.read { reader in
            guard grid.row < reader.count else { return [] }
            let row = reader.row(grid.storedRow(grid.row))
            return (0..<names.count).map { row.string($0) }
        }
        screen.put(
            TextFit.fit("─[ record \(Figures.count(grid.row + 1)) of \(Figures.count(total)) ]", area.width), row: area.row, col: area.col,
            style: .heading, clip: area)
        var line = area.row + 1
        for (index, name) in names.enumerated() where line < area.row + area.height {
            let selected = index == grid.column && focused
            screen.put(TextFit.fit(name, nameWidth), row: line, col: area.col, style: selected ? .selected : .heading, clip: area)
            screen.put("│", row: line, col: area.col + nameWidth + 1, style: .border, clip: area)
            let value = index < values.count ? values[index] : nil
            let pieces = value.map { TextFit.wrap(CellText.oneLine($0), valueWidth) } ?? [GridView.nullMark]
            for piece in pieces where line < area.row + area.height {
                screen.put(piece, row: line, col: area.col + nameWidth + 3, style: value == nil ? .null : .normal, clip: area)
                line += 1
            }
        }
    }
}
