import Warehouse

/// The result of the last statement: the grid with a footer (where you are, what is loading,
/// sort and freeze, an export's progress), or the error with the server's detail and hint, or
/// a validation suite's report.
enum ResultsPane {
    static func draw(_ screen: ScreenBuffer, _ rect: Rect, _ state: ConsoleState, focused: Bool, now: Double) {
        let result = state.result
        if result.mode == .checks, let validation = result.validation {
            Frame.draw(screen, rect, title: "Validation", focused: focused, note: ChecksView.note(validation))
            ChecksView.draw(screen, rect.inner, validation, focused: focused)
            return
        }
        Frame.draw(
            screen, rect, title: title(result), focused: focused,
            note: state.query.failed ? nil : note(result, now: now))
        let inner = rect.inner
        guard inner.height >= 1, inner.width >= 4 else { return }
        let body = Self.body(of: rect)
        if state.query.failed {
            drawProblem(screen, state.query, in: body)
            return
        }
        guard let rows = result.rows, !rows.columns.isEmpty else {
            let message = state.query.outcome?.headline
            let text =
                message
                ?? (state.query.running
                    ? "running… Ctrl-C cancels it on the server" : "Results appear here: F5 in the editor runs a statement, F7 a validation suite")
            for (offset, line) in TextFit.wrap(text, body.width).prefix(body.height).enumerated() {
                screen.put(line, row: body.row + offset, col: body.col, style: message == nil ? .dim : .normal, clip: body)
            }
            return
        }
        if result.expanded {
            ExpandedView.draw(screen, gridArea(in: rect), rows: rows, grid: result.grid, focused: focused)
        } else {
            GridView.draw(screen, gridArea(in: rect), rows: rows, grid: result.grid, focused: focused)
        }
        if body.height >= 3 {
            drawFooter(screen, state, row: body.row + body.height - 1, in: body)
        }
    }

    /// "Result 2 of 3 · pinned" once more than one result is kept ([ and ] step through them).
    static func title(_ result: ResultState) -> String {
        guard let shown = result.shown, result.kept.indices.contains(shown) else { return Pane.results.title }
        let pinned = result.kept[shown].pinned ? " · pinned" : ""
        guard result.kept.count > 1 else { return Pane.results.title + pinned }
        return "\(Pane.results.title) \(shown + 1) of \(result.kept.count)\(pinned) · [ ]"
    }

    // MARK: - Geometry, shared by drawing, scrolling and keys

    /// The pane's text area: inside the frame, one column of margin on the left.
    static func body(of rect: Rect) -> Rect {
        let inner = rect.inner
        return Rect(row: inner.row, col: inner.col + 1, height: inner.height, width: max(0, inner.width - 1))
    }

    /// The grid: the body less the footer line.
    static func gridArea(in rect: Rect) -> Rect {
        let body = body(of: rect)
        return Rect(row: body.row, col: body.col, height: max(1, body.height - 1), width: body.width)
    }

    /// Rows of data the grid shows: its area less the header line.
    static func dataRows(in rect: Rect) -> Int { max(1, gridArea(in: rect).height - 1) }

    /// Where the grid is, for the frame: "row 12 of 1,000,000", or the live count while loading.
    static func note(_ result: ResultState, now: Double) -> String? {
        guard let rows = result.rows, !rows.columns.isEmpty else { return nil }
        let total = result.grid.order?.count ?? rows.count
        if result.loading { return "loading · \(Figures.count(rows.count)) rows so far" }
        guard total > 0 else { return "no rows" }
        return "row \(Figures.count(result.grid.row + 1)) of \(Figures.count(total))\(result.capped ? "+" : "")"
            + " · col \(result.grid.column + 1)/\(rows.columns.count)"
    }

    private static func drawFooter(_ screen: ScreenBuffer, _ state: ConsoleState, row: Int, in body: Rect) {
        let result = state.result
        var parts: [(String, Style)] = []
        if let export = result.export {
            if export.finished {
                if let problem = export.problem {
                    parts.append(("export: \(problem)", .bad))
                } else {
                    parts.append(("exported \(Figures.count(export.written, "row")) to \(export.path)", .good))
                }
            } else {
                let of = export.total.map { " of \(Figures.count($0, "row"))" } ?? " rows"
                parts.append(("exporting \(Figures.count(export.written))\(of) to \(export.path)…", .running))
            }
        }
        if let busy = result.busy { parts.append((busy, .running)) }
        if let filter = result.grid.filter, let rows = result.rows {
            var words = "filter '\(filter)': \(Figures.count(result.grid.order?.count ?? 0)) of \(Figures.count(result.grid.filteredFrom, "row"))"
            // Rows that arrived after the filter was made are not in it: say so, never hide them silently.
            if rows.count > result.grid.filteredFrom { words += " (\(Figures.count(rows.count - result.grid.filteredFrom)) more since: f again)" }
            parts.append((words, .warning))
        }
        if let term = result.search, let matches = result.matches, result.busy == nil {
            parts.append((Self.matchWords(term, matches, row: result.grid.row), .dim))
        }
        if let notice = result.notice { parts.append((notice, .warning)) }
        if result.capped { parts.append(("first \(Figures.count(result.rows?.count ?? 0)) rows: the row cap (--row-cap)", .warning)) }
        if let sort = result.grid.sort, let rows = result.rows {
            parts.append(("sorted by \(rows.columns[sort.column].name) \(sort.descending ? "↓" : "↑")", .dim))
        }
        if result.grid.frozen > 0 { parts.append(("\(result.grid.frozen) frozen", .dim)) }
        if parts.isEmpty, let message = state.query.outcome?.headline { parts.append((message, .dim)) }
        var col = body.col
        for (index, part) in parts.enumerated() {
            if index > 0 { col += screen.put(" · ", row: row, col: col, style: .dim, clip: body) }
            col += screen.put(TextFit.truncate(part.0, max(0, body.col + body.width - col)), row: row, col: col, style: part.1, clip: body)
        }
    }

    /// "'song' 3 of 17 rows": which match the selected row is; "17 rows match 'song'" between them.
    static func matchWords(_ term: String, _ matches: [UInt32], row: Int) -> String {
        var low = 0
        var high = matches.count
        while low < high {
            let mid = (low + high) / 2
            if Int(matches[mid]) < row { low = mid + 1 } else { high = mid }
        }
        if low < matches.count, Int(matches[low]) == row {
            return "'\(term)' \(Figures.count(low + 1)) of \(Figures.count(matches.count, "row"))"
        }
        return "\(Figures.count(matches.count, "row")) \(matches.count == 1 ? "matches" : "match") '\(term)'"
    }

    /// The server's message, detail, hint and SQLSTATE, and where in the editor it points.
    private static func drawProblem(_ screen: ScreenBuffer, _ query: QueryState, in body: Rect) {
        var row = body.row
        let lines = [(query.outcome?.headline ?? "", Style.bad)] + (query.outcome?.details ?? []).map { ($0, Style.normal) }
        for (text, style) in lines {
            for piece in TextFit.wrap(text, body.width) where row < body.row + body.height {
                screen.put(piece, row: row, col: body.col, style: style, clip: body)
                row += 1
            }
        }
    }
}
