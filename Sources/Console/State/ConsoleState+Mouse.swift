import Warehouse

/// The mouse: a click focuses the pane under it and selects what it points at (a table, a step,
/// a cell, a place in the text); the wheel scrolls what is under the pointer. Geometry comes
/// from the panes' own helpers, the ones their drawing uses.
extension ConsoleState {
    mutating func click(row: Int, col: Int) -> [Effect] {
        // An overlay or a prompt is answered by keys; a click does not reach behind it.
        guard overlay == nil, prompt == nil else { return [] }
        query.completion = nil
        guard let (pane, rect) = layout.panes.first(where: { $0.value.contains(row: row, col: col) }) else { return [] }
        focus = pane
        let inner = rect.inner
        switch pane {
        case .cluster:
            break
        case .tables:
            if let index = TablesPane.table(atLine: row - inner.row, counts) { selectedTable = index }
        case .runner:
            let (first, count) = RunnerPane.stepWindow(self, height: inner.height)
            let line = row - inner.row
            if line >= 0, line < count, first + line < steps.count { selectedStep = first + line }
        case .query:
            let top = QueryPane.scroll(query, height: inner.height)
            let line = min(query.editor.lines.count - 1, max(0, top + row - inner.row))
            let column = min(query.editor.lines[line].count, max(0, col - inner.col - 2))
            query.editor.moveTo(EditorBuffer.Position(line: line, column: column))
        case .results:
            clickGrid(row: row, col: col, rect: rect)
        }
        return []
    }

    /// Selects the cell under the pointer (the header selects the column).
    private mutating func clickGrid(row: Int, col: Int, rect: Rect) {
        guard result.mode == .rows, !result.expanded, let rows = result.rows, !rows.columns.isEmpty else { return }
        let area = ResultsPane.gridArea(in: rect)
        let widths = GridState.widths(columns: rows.columns, content: rows.columnWidths, room: area.width, sorted: result.grid.sort?.column)
        var x = area.col
        for index in GridView.visibleColumns(count: rows.columns.count, grid: result.grid, widths: widths, width: area.width) {
            if col < x + widths[index] + 1 {
                result.grid.column = index
                break
            }
            x += widths[index] + 1
        }
        let line = row - area.row - 1  // the header is the grid's first line
        let total = result.grid.order?.count ?? rows.count
        if line >= 0, result.grid.top + line < total { result.grid.row = result.grid.top + line }
    }

    mutating func scroll(lines: Int, row: Int, col: Int) -> [Effect] {
        if overlay != nil {
            move(by: lines)
            return []
        }
        guard prompt == nil, let (pane, _) = layout.panes.first(where: { $0.value.contains(row: row, col: col) }) else { return [] }
        switch pane {
        case .cluster:
            break
        case .tables, .runner:
            let focused = focus
            focus = pane
            move(by: lines)
            focus = focused
        case .query:
            query.editor.moveLines(lines)
        case .results:
            guard result.mode == .rows, let rows = result.rows else { break }
            let total = result.grid.order?.count ?? rows.count
            result.grid.top = max(0, min(result.grid.top + lines, max(0, total - 1)))
            result.grid.row = max(0, min(result.grid.row + lines, max(0, total - 1)))
        }
        return []
    }
}
