import Warehouse

/// Draws the visible part of a result: the header (always), the frozen columns, then the
/// columns from the grid's left edge, each row read from the store only when it is on screen.
/// NULL is a dim ∅ and the empty string nothing; numbers are right-aligned; widths are display
/// widths, so CJK and accented text line up.
enum GridView {
    static let nullMark = "∅"

    static func draw(_ screen: ScreenBuffer, _ area: Rect, rows: ResultRows, grid: GridState, focused: Bool) {
        guard area.height >= 1, area.width >= 1 else { return }
        let columns = rows.columns
        let widths = GridState.widths(columns: columns, content: rows.columnWidths, room: area.width, sorted: grid.sort?.column)
        // The last column shown may not fit whole: it is cut to the room left, and its cut
        // values end in "…", so a number cut short never reads as another number.
        func drawn(_ index: Int, at col: Int) -> Int { min(widths[index], area.col + area.width - col) }
        let shown = visibleColumns(count: columns.count, grid: grid, widths: widths, width: area.width)
        // Header.
        var col = area.col
        for index in shown {
            let column = columns[index]
            let width = drawn(index, at: col)
            var name = TextFit.fit(column.name, width, column.isNumeric ? .right : .left)
            if let sort = grid.sort, sort.column == index {
                // The arrow always shows, the name giving way to it.
                let arrow = sort.descending ? "↓" : "↑"
                let kept = TextFit.truncate(column.name, width - 1)
                name = column.isNumeric ? TextFit.fit(arrow + kept, width, .right) : TextFit.fit(kept + arrow, width)
            }
            screen.put(name, row: area.row, col: col, style: .heading, clip: area)
            col += widths[index]
            col += separator(screen, after: index, grid: grid, row: area.row, col: col, area: area)
        }
        // Rows.
        rows.read { reader in
            let total = grid.order?.count ?? reader.count
            for line in 0..<(area.height - 1) {
                let position = grid.top + line
                guard position < total else { break }
                let row = reader.row(grid.storedRow(position))
                let selectedRow = position == grid.row
                var col = area.col
                let y = area.row + 1 + line
                for index in shown {
                    let value = row.string(index)
                    let width = drawn(index, at: col)
                    var shown = value.map(CellText.oneLine) ?? nullMark
                    // A path too long for its column keeps its start and its file name.
                    if shown.contains("/"), !columns[index].isNumeric { shown = TextFit.middle(shown, width) }
                    let text = TextFit.fit(shown, width, columns[index].isNumeric && width == widths[index] ? .right : .left)
                    var style: Style = value == nil ? .null : .normal
                    if selectedRow && focused { style = index == grid.column ? .cursorCell : .selected }
                    screen.put(text, row: y, col: col, style: style, clip: area)
                    col += widths[index]
                    col += separator(screen, after: index, grid: grid, row: y, col: col, area: area)
                    if selectedRow && focused && col <= area.col + area.width {
                        screen.restyle(Rect(row: y, col: col - 1, height: 1, width: 1), .selected)
                    }
                }
            }
        }
    }

    /// A space between columns, a bar after the last frozen one. Returns its width.
    private static func separator(_ screen: ScreenBuffer, after index: Int, grid: GridState, row: Int, col: Int, area: Rect) -> Int {
        if grid.frozen > 0 && index == grid.frozen - 1 {
            screen.put("│", row: row, col: col, style: .border, clip: area)
        }
        return 1
    }

    /// The frozen columns, then as many from `grid.left` as start inside the width.
    static func visibleColumns(count: Int, grid: GridState, widths: [Int], width: Int) -> [Int] {
        var shown: [Int] = []
        var used = 0
        for index in Array(0..<min(grid.frozen, count)) + Array(max(grid.left, grid.frozen)..<max(count, grid.frozen)) {
            guard index < count, used < width else { break }
            shown.append(index)
            used += widths[index] + 1
        }
        return shown
    }
}
