import Warehouse

extension ConsoleState {
    /// Applies the query pane's events: statements, their rows, checks, sorts, searches, exports.
    mutating func applyQuery(_ event: SessionEvent, now: Double) {
        switch event {
        case .statementStarted(let index):
            query.current = index
        case .resultStarted(let rows):
            result.rows = rows
            result.mode = .rows
            result.loading = true
            result.capped = false
            result.grid = GridState()
            result.sql = query.statements.indices.contains(query.current) ? query.statements[query.current].text : nil
            result.notice = nil
            result.search = nil
        case .rowsArrived:
            break  // the grid reads the count from the store; the event only wakes the UI
        case .statementFinished(let index, let rows, let tag, let elapsed, let capped):
            let isResult = result.rows != nil && result.loading
            if isResult {
                result.loading = false
                result.capped = capped
            }
            var summary: String
            if capped {
                summary = "first \(Figures.count(rows)) rows (the row cap, --row-cap) of a larger result"
            } else if isResult || tag.hasPrefix("SELECT") {
                summary = "\(Figures.count(rows)) \(rows == 1 ? "row" : "rows")"
            } else {
                summary = tag.isEmpty ? "done" : tag
            }
            summary += " in \(ClusterPane.latency(elapsed))"
            if query.statements.count > 1 { summary = "statement \(index + 1) of \(query.statements.count): " + summary }
            query.message = summary
            query.failed = false
        case .statementFailed(let index, let problem, let elapsed):
            if result.loading { result.loading = false }
            query.failed = !problem.cancelled
            var prefix = query.statements.count > 1 ? "statement \(index + 1) of \(query.statements.count): " : ""
            if problem.cancelled {
                prefix += "cancelled on the server after \(Figures.duration(elapsed)); the session is ready"
                query.message = prefix + (result.rows.map { $0.count > 0 ? " (\(Figures.count($0.count)) rows kept)" : "" } ?? "")
                query.problemLines = []
            } else {
                query.message = prefix + (problem.sqlState.map { "ERROR \($0): " } ?? "") + problem.message
                query.problemLines = [problem.detail.map { "DETAIL: \($0)" }, problem.hint.map { "HINT: \($0)" }].compactMap { $0 }
                if let position = problem.position, query.statements.indices.contains(index) {
                    query.errorOffset = Self.editorOffset(ofServerPosition: position, in: query.statements[index])
                    if let offset = query.errorOffset {
                        let at = query.editor.position(ofOffset: offset)
                        query.problemLines.append("at line \(at.line + 1), column \(at.column + 1) of the editor")
                    }
                }
            }
        case .statementsEnded(let elapsed):
            query.running = false
            result.loading = false
            if query.statements.count > 1, !query.failed, query.message?.contains("cancelled") != true {
                query.message = "\(query.statements.count) statements in \(ClusterPane.latency(elapsed)); last: " + (query.message ?? "")
            }
        case .checkStarted(let index):
            result.validation?.running = index
        case .checkFinished(let index, let outcome):
            result.validation?.results[index] = outcome
        case .suiteEnded(let cancelled):
            query.running = false
            result.validation?.running = nil
            // The first failure is selected, so its message is what the report shows under the list.
            if let first = result.validation?.results.firstIndex(where: { $0?.verdict == .fail || $0?.verdict == .error }),
               result.validation?.results[result.validation!.selected]?.verdict != .fail {
                result.validation?.selected = first
            }
            if let validation = result.validation {
                query.message = cancelled
                    ? "validation cancelled after \(validation.done) of \(validation.suite.checks.count) checks"
                    : "validation: \(validation.passed) passed, \(validation.failed) failed of \(validation.suite.checks.count)"
                query.failed = validation.failed > 0
            }
        case .sorted(let rows, let order, let column, let descending):
            guard rows === result.rows else { return }
            // Keep the same stored row selected across the new order.
            let selected = result.grid.order.map { Int($0[result.grid.row]) } ?? result.grid.row
            result.grid.order = order
            result.grid.sort = (column, descending)
            result.grid.row = order.firstIndex(of: UInt32(selected)) ?? 0
            result.busy = nil
        case .found(let rows, let term, let at):
            guard rows === result.rows else { return }
            result.busy = nil
            if let at {
                result.grid.row = at.row
                result.grid.column = at.column
                result.notice = nil
            } else {
                result.notice = "no match for '\(term)'"
            }
        case .exportProgress(let written, let total):
            result.export?.written = written
            result.export?.total = total
        case .exportFinished(let path, let rows, let problem):
            result.export = ExportState(path: path, written: rows, total: rows, finished: true, problem: problem)
        default:
            break
        }
    }

    /// Clamps the grid and the editor's scroll after keys and events, for the screen's layout.
    mutating func settle(rows: Int, cols: Int) {
        let layout = layout(rows: rows, cols: cols)
        if let editor = layout.panes[.query] {
            query.scroll = QueryPane.scroll(query, height: max(1, editor.height - 2))
        }
        if let stored = result.rows, !stored.columns.isEmpty, let rect = layout.panes[.results] {
            let widths = GridState.widths(columns: stored.columns, content: stored.columnWidths)
            result.grid.settle(rows: result.grid.order?.count ?? stored.count, columns: stored.columns.count,
                               height: max(1, rect.height - 4), widths: widths, width: max(1, rect.width - 3))
        }
    }

    static func editorOffset(ofServerPosition position: Int, in statement: (range: Range<Int>, text: String)) -> Int {
        statement.range.lowerBound + SQLStatements.characterOffset(ofServerPosition: position, in: statement.text)
    }
}
