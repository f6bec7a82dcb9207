import Warehouse

/// A one-line SQL editor over a plain result list: header, rows, NULL shown as a dim ∅ (never
/// confused with an empty string), numbers right-aligned, widths by display width.
enum QueryPane {
    static let prompt = "SQL> "
    static let nullMark = "∅"
    static let columnCap = 30

    /// Draws the pane; returns where the text cursor belongs when the editor has the focus.
    @discardableResult
    static func draw(_ screen: ScreenBuffer, _ rect: Rect, _ query: QueryState, focused: Bool, now: Double) -> (row: Int, col: Int)? {
        var note: String?
        if query.running, let started = query.startedAt {
            note = "running \(Figures.duration(now - started)) · \(Figures.count(query.rows.count)) rows"
        } else if !query.rows.isEmpty {
            note = "rows \(min(query.scroll + 1, query.rows.count))–\(min(query.rows.count, query.scroll + max(1, rect.height - 5)))"
                + " of \(Figures.count(query.rows.count))"
        }
        Frame.draw(screen, rect, title: Pane.query.title, focused: focused, note: note)
        let inner = rect.inner
        guard inner.height >= 1 else { return nil }
        let cursor = drawEditor(screen, query, row: inner.row, inner: inner, focused: focused)
        guard inner.height >= 2 else { return cursor }
        if let message = query.message {
            screen.put(TextFit.truncate(message.replacingOccurrences(of: "\n", with: " · "), inner.width - 1),
                       row: inner.row + 1, col: inner.col + 1, style: query.failed ? .bad : .dim, clip: inner)
        } else if query.running {
            screen.put("running… Ctrl-C cancels on the server", row: inner.row + 1, col: inner.col + 1, style: .running, clip: inner)
        }
        let list = Rect(row: inner.row + 2, col: inner.col + 1, height: inner.height - 2, width: inner.width - 1)
        drawResult(screen, query, in: list)
        return cursor
    }

    private static func drawEditor(_ screen: ScreenBuffer, _ query: QueryState, row: Int, inner: Rect, focused: Bool) -> (row: Int, col: Int)? {
        let start = inner.col + 1
        let promptWidth = screen.put(prompt, row: row, col: start, style: focused ? .key : .dim, clip: inner)
        let space = max(1, inner.width - 1 - promptWidth - 1)
        // Scroll sideways so the cursor stays on screen.
        var first = 0
        while DisplayWidth.of(String(query.text[first..<query.cursor])) >= space { first += 1 }
        var col = start + promptWidth
        var cursorCol = col
        for index in first..<query.text.count {
            if index == query.cursor { cursorCol = col }
            let character = query.text[index]
            let style: Style = index == query.errorOffset ? .bad : .normal
            let used = screen.put(String(character), row: row, col: col, style: style, limit: start + promptWidth + space - col, clip: inner)
            if used == 0 { break }
            col += used
        }
        if query.cursor >= query.text.count { cursorCol = col }
        if query.text.isEmpty && !focused {
            screen.put("Tab here, type a query, Enter runs it", row: row, col: col, style: .dim, clip: inner)
        }
        if let offset = query.errorOffset, offset >= query.text.count, !query.text.isEmpty {
            screen.put("◂", row: row, col: col, style: .bad, clip: inner)  // the server points past the end
        }
        return focused ? (row, min(cursorCol, inner.col + inner.width - 1)) : nil
    }

    static func drawResult(_ screen: ScreenBuffer, _ query: QueryState, in area: Rect) {
        guard !query.columns.isEmpty, area.height >= 1 else { return }
        let visible = query.rows.dropFirst(query.scroll).prefix(max(0, area.height - 1))
        var widths = query.columns.map { min(columnCap, DisplayWidth.of($0.name)) }
        for row in visible {
            for (index, value) in row.enumerated() where index < widths.count {
                widths[index] = min(columnCap, max(widths[index], DisplayWidth.of(value ?? nullMark)))
            }
        }
        var col = area.col
        for (index, column) in query.columns.enumerated() where col < area.col + area.width {
            let right = column.isNumeric
            screen.put(TextFit.fit(column.name, widths[index], right ? .right : .left), row: area.row, col: col,
                       style: .heading, clip: area)
            for (offset, row) in visible.enumerated() {
                let value = index < row.count ? row[index] : nil
                let text = TextFit.fit((value ?? nullMark).replacingOccurrences(of: "\n", with: "↵"), widths[index], right ? .right : .left)
                screen.put(text, row: area.row + 1 + offset, col: col, style: value == nil ? .null : .normal, clip: area)
            }
            col += widths[index] + 2
        }
    }
}
