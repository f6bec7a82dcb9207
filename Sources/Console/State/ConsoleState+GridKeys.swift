import Foundation
import Warehouse

/// The result grid's keys: moving, freezing, opening a cell, search, sort and export.
extension ConsoleState {
    /// Nil for an action the grid leaves to the global keys.
    /// The plan overlay, when the rows are EXPLAIN's (one text column, QUERY PLAN).
    @discardableResult
    mutating func openPlan(_ rows: ResultRows) -> Bool {
        guard rows.columns.map(\.name) == ["QUERY PLAN"] else { return false }
        let lines = rows.read { reader in (0..<reader.count).map { reader.row($0).string(0) ?? "" } }
        guard let plan = QueryPlan.parse(lines) else { return false }
        overlay = .plan(plan, scroll: 0)
        return true
    }

    /// The chart overlay, or why the result cannot be one.
    mutating func openChart(_ made: Result<BarChart, BarChart.Refusal>) {
        switch made {
        case .success(let chart): overlay = .chart(chart, scroll: 0)
        case .failure(.noNumberColumn): result.notice = "no number column to chart: a label column and one or more number columns make bars"
        case .failure(.noRows): result.notice = "no rows to chart"
        }
    }

    private mutating func reduceKeptResults(_ action: Action) -> [Effect] {
        if action == .pinResult {
            guard let shown = result.shown, result.kept.indices.contains(shown) else {
                result.notice = "no result to pin yet"
                return []
            }
            result.kept[shown].pinned.toggle()
            result.notice = result.kept[shown].pinned ? "pinned: the next run keeps this result" : "unpinned"
        } else {
            stepResults(by: action == .previousResult ? -1 : 1)
        }
        return []
    }

    /// Shows the kept result `step` places away, the grid where it was left.
    private mutating func stepResults(by step: Int) {
        guard !query.running else {
            result.notice = "the run under way is shown until it ends"
            return
        }
        guard let shown = result.shown, result.kept.count > 1 else {
            result.notice = "one result kept: each statement of a run keeps its own"
            return
        }
        let target = shown + step
        guard result.kept.indices.contains(target) else {
            result.notice = step < 0 ? "this is the first result kept" : "this is the last result kept"
            return
        }
        result.kept[shown].grid = result.grid
        show(kept: target)
    }

    /// Puts a kept result in the grid and says what it was.
    mutating func show(kept index: Int) {
        let kept = result.kept[index]
        result.shown = index
        result.rows = kept.rows
        result.grid = kept.grid
        result.sql = kept.sql
        result.capped = kept.capped
        result.loading = false
        result.mode = .rows
        result.search = nil
        result.matches = nil
        query.outcome = .finished(kept.summary)
        query.errorOffset = nil
    }

    mutating func reduceInGrid(_ action: Action, _ moment: KeyMoment) -> [Effect]? {
        // These work whatever is shown, rows or a statement's tag.
        if [.previousResult, .nextResult, .pinResult].contains(action) { return reduceKeptResults(action) }
        guard let rows = result.rows, !rows.columns.isEmpty else {
            return action == .showChecks ? reduceInChecks(.showChecks, moment) : nil
        }
        var grid = result.grid
        let height = ResultsPane.dataRows(in: layout.panes[.results] ?? Rect(row: 0, col: 0, height: 8, width: 40))
        result.notice = nil
        let total = grid.order?.count ?? rows.count
        var effects: [Effect] = []
        switch action {
        case .moveUp: grid.row -= 1
        case .moveDown: grid.row += 1
        case .pageUp:
            grid.row -= height
            grid.top -= height
        case .pageDown:
            grid.row += height
            grid.top += height
        case .top: grid.row = 0
        case .bottom: grid.row = total - 1
        case .columnLeft: grid.column -= 1
        case .columnRight: grid.column += 1
        case .firstColumn:
            grid.column = 0
            grid.left = 0
        case .lastColumn: grid.column = rows.columns.count - 1
        case .freeze(let count):
            grid.frozen = min(count, rows.columns.count - 1)
            grid.left = grid.frozen
        case .openCell: openCell(rows, grid)
        case .search:
            // A new search starts empty; the last term is one Ctrl-U away from being typed again.
            prompt = Prompt(.search, label: "search:")
        case .searchNext, .searchPrevious:
            guard let term = result.search else {
                result.notice = "no search yet: / searches"
                return []
            }
            effects = search(term, backwards: action == .searchPrevious, skipCurrent: true)
        case .sort:
            effects = sort(rows, &grid)
        case .showPlan:
            if !openPlan(rows) { result.notice = "not a plan: EXPLAIN a statement to see its tree" }
        case .filter:
            prompt = Prompt(.filter, label: "filter (empty: every row):", text: grid.filter ?? "")
        case .export: askExportPath(moment)
        case .previousResult, .nextResult, .pinResult: return reduceKeptResults(action)
        case .chart:
            let title = "Chart: " + (result.sql.map { TextFit.fit($0.replacingOccurrences(of: "\n", with: " "), 60) } ?? "the result")
            openChart(BarChart.make(from: rows, order: grid.order, title: title))
        case .copyCell, .copyRow:
            let copied: String? = rows.read { reader in
                guard grid.row < reader.count else { return nil }
                let row = reader.row(grid.storedRow(grid.row))
                if action == .copyCell { return row.string(grid.column) ?? "" }
                // NULL as an empty field, as psql's unaligned output and the CSV export write it.
                return (0..<rows.columns.count).map { (row.string($0) ?? "").replacingOccurrences(of: "\t", with: " ") }
                    .joined(separator: "\t")
            }
            guard let copied else { return [] }
            result.notice = "copied \(action == .copyCell ? "the cell" : "the row") (\(Figures.count(copied.count, "character")))\(clipboardCaveat)"
            effects = [.copyToClipboard(copied)]
        case .showChecks:
            guard result.validation != nil else {
                result.notice = "no validation run yet: F7 runs a suite"
                return []
            }
            result.mode = .checks
        case .type, .help, .nextPane, .previousPane, .zoom, .cancel, .quit, .validate, .reconnect, .refreshCounts, .createCluster, .pauseCluster,
            .resumeCluster, .deleteCluster, .browseTable, .describeTable, .tableDefinition, .showStar, .click, .scroll,
            .runStep, .runFromHere, .showSQL, .openRejects, .changeSource, .changeErrorLimit, .runStatement, .runAll, .newline, .cursorLeft,
            .cursorRight, .lineStart, .lineEnd, .wordLeft, .wordRight, .textStart, .textEnd, .deleteBack,
            .deleteForward, .deleteWord, .deleteToLineEnd, .deleteToLineStart, .undo, .redo, .saveSQL, .openSQL, .complete, .leaveEditor,
            .historyPrevious,
            .historyNext, .openCheck, .showRows, .rerunSuite, .close, .confirm, .confirmQuit, .confirmRun, .stay:
            return nil
        }
        result.grid = grid
        return effects
    }

    /// Said with a copy when the terminal may not take OSC 52 (tmux passes it on only with
    /// `set-clipboard on`; some terminals refuse it).
    private var clipboardCaveat: String {
        environment.inTmux ? " (tmux: needs set-clipboard on)" : ""
    }

    private mutating func openCell(_ rows: ResultRows, _ grid: GridState) {
        guard (grid.order?.count ?? rows.count) > 0 else { return }
        let value: String? = rows.read { reader in
            guard grid.row < reader.count else { return nil }
            return reader.row(grid.storedRow(grid.row)).string(grid.column)
        }
        let name = rows.columns[grid.column].name
        let lines = value.map { $0.components(separatedBy: "\n") } ?? ["∅ (NULL)"]
        let size = value.map { " · \(Figures.count($0.count)) \($0.count == 1 ? "character" : "characters")" } ?? ""
        overlay = .text(title: "\(name), row \(Figures.count(grid.row + 1))\(size)", lines: lines, scroll: 0)
    }

    /// Up, down, then back to the order the server sent.
    private mutating func sort(_ rows: ResultRows, _ grid: inout GridState) -> [Effect] {
        guard !result.loading else {
            result.notice = "sorting waits for the last row: wait, or Ctrl-C to stop loading"
            return []
        }
        if let current = grid.sort, current.column == grid.column {
            if current.descending {
                let stored = grid.storedRow(grid.row)
                grid.sort = nil
                if grid.filter != nil, let shown = grid.order {
                    // The filtered rows stay, in the order the server sent them.
                    grid.order = shown.sorted()
                    grid.unfiltered = nil
                    grid.row = grid.order?.firstIndex(of: UInt32(stored)) ?? 0
                } else {
                    grid.order = nil
                    grid.row = stored
                }
                result.notice = "in the order the server sent"
                return []
            }
            result.busy = "sorting by \(rows.columns[grid.column].name) ↓…"
            return [.sort(rows, column: grid.column, descending: true)]
        }
        result.busy = "sorting by \(rows.columns[grid.column].name) ↑…"
        return [.sort(rows, column: grid.column, descending: false)]
    }

    mutating func search(_ term: String, backwards: Bool, skipCurrent: Bool) -> [Effect] {
        guard let rows = result.rows else { return [] }
        // A new term (or a new order) is counted again; n and N then only move.
        if term != result.search || result.matches == nil { result.matches = nil }
        let counting = result.matches == nil
        result.search = term
        result.busy = "searching for '\(term)'…"
        let step = skipCurrent ? (backwards ? -1 : 1) : 0
        let total = result.grid.order?.count ?? rows.count
        let from = total == 0 ? 0 : (result.grid.row + step + total) % total
        return [.find(term, in: rows, from: from, order: result.grid.order, backwards: backwards, counting: counting)]
    }

    /// Narrows the grid to the rows matching `term`, from every row (a new term replaces the
    /// last); an empty term shows every row again, in the order they had.
    mutating func filter(_ term: String) -> [Effect] {
        guard let rows = result.rows else { return [] }
        let base = result.grid.filter != nil ? result.grid.unfiltered : result.grid.order
        guard !term.isEmpty else {
            guard result.grid.filter != nil else { return [] }
            let stored = result.grid.storedRow(result.grid.row)
            result.grid.order = base
            result.grid.unfiltered = nil
            result.grid.filter = nil
            result.grid.row = base?.firstIndex(of: UInt32(stored)) ?? stored
            result.matches = nil
            result.notice = "every row shown"
            return []
        }
        result.busy = "filtering on '\(term)'…"
        return [.filter(term, in: rows, order: base)]
    }

    private mutating func askExportPath(_ moment: KeyMoment) {
        guard result.export?.finished != false else {
            result.notice = "an export is running: Ctrl-C stops it"
            return
        }
        guard !result.loading else {
            result.notice = "the result is still loading: export once the last row is in"
            return
        }
        var seconds = time_t(moment.wallClock)
        var parts = tm()
        localtime_r(&seconds, &parts)
        let stamp = String(
            format: "%04d%02d%02d-%02d%02d%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
            parts.tm_hour, parts.tm_min, parts.tm_sec)
        // A capped result is exported by running its statement again: every row, but in the
        // server's order, which the prompt says when the grid shows another.
        let label =
            result.capped && result.grid.sort != nil
            ? "export every row (run again, in the server's order, not as sorted) to:"
            : "export to (.csv or .json):"
        prompt = Prompt(
            .export(replacing: false), label: label,
            text: "\(environment.workingDirectory)/sparkify-result-\(stamp).csv")
    }

    /// Starts an export of the result as shown: its rows in the grid's order. A result cut at
    /// the row cap is run again in full, in the server's order, and the prompt said so.
    mutating func export(to typed: String, replacing: Bool) -> [Effect] {
        guard let rows = result.rows else { return [] }
        let path = environment.resolve(typed)
        result.export = ExportState(path: path, total: result.capped ? nil : rows.count)
        return [.export(rows, order: result.grid.order, sql: result.sql, capped: result.capped, path: path, replacing: replacing)]
    }
}
