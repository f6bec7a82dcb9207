import Foundation
import Warehouse

/// The keys of the editor, the grid, the validation report, the prompt and the suite picker.
/// Each returns false for an action it leaves to the global handler.
extension ConsoleApp {
    // MARK: - Editor

    func performInEditor(_ action: Action) -> Bool {
        var editor = state.query.editor
        let height = max(1, (state.layout(rows: screen.rows, cols: screen.cols).panes[.query]?.height ?? 3) - 2)
        switch action {
        case .runStatement: runStatements(all: false); return true
        case .runAll: runStatements(all: true); return true
        case .newline: editor.newline(keepIndent: !pasting)
        case .cursorLeft: editor.moveLeft()
        case .cursorRight: editor.moveRight()
        case .moveUp: editor.moveLines(-1)
        case .moveDown: editor.moveLines(1)
        case .pageUp: editor.moveLines(-height)
        case .pageDown: editor.moveLines(height)
        case .lineStart: editor.moveToLineStart()
        case .lineEnd: editor.moveToLineEnd()
        case .wordLeft: editor.moveWordLeft()
        case .wordRight: editor.moveWordRight()
        case .textStart: editor.moveToStart()
        case .textEnd: editor.moveToEnd()
        case .deleteBack: editor.deleteBackward()
        case .deleteForward: editor.deleteForward()
        case .deleteWord: editor.deleteWordBackward()
        case .deleteToLineEnd: editor.deleteToLineEnd()
        case .deleteToLineStart: editor.deleteToLineStart()
        case .undo: _ = editor.undo()
        case .redo: _ = editor.redo()
        case .historyPrevious, .historyNext:
            guard let entry = state.query.history.step(action == .historyPrevious ? -1 : 1, current: editor.text) else { return true }
            editor.replaceAll(with: entry)
        default: return false
        }
        let changed = editor.lines != state.query.editor.lines
        state.query.editor = editor
        if changed { editorChanged() }
        return true
    }

    /// Text changed: the old error mark no longer points at anything.
    func editorChanged() {
        state.query.errorOffset = nil
    }

    /// Sends the statement under the cursor, or every statement, to the query session.
    func runStatements(all: Bool) {
        guard !state.query.running else {
            state.query.message = "a query is running: Ctrl-C cancels it"
            return
        }
        let characters = state.query.editor.characters
        let found = SQLStatements(characters)
        let chosen = all ? found.statements : found.statement(at: state.query.editor.offset).map { [$0] } ?? []
        guard !chosen.isEmpty else {
            state.query.message = "nothing to run: write a statement first"
            return
        }
        // Sent exactly as written (comments inside included), so the server's error position
        // counts from the statement's first character in the editor.
        state.query.statements = chosen.map { ($0.range, found.text(of: $0)) }
        state.query.current = 0
        state.query.running = true
        state.query.startedAt = Clock.now
        state.query.message = nil
        state.query.failed = false
        state.query.problemLines = []
        state.query.errorOffset = nil
        // The grid empties: a statement without rows (DDL, an UPDATE) must not leave the last
        // result on screen as if it were its own.
        state.result.rows = nil
        state.result.grid = GridState()
        state.result.mode = .rows
        state.result.export = nil
        state.result.notice = nil
        state.result.busy = nil
        for statement in state.query.statements { state.query.history.add(statement.text) }
        trace?.querySent(at: Clock.now)
        session.runStatements(state.query.statements.map(\.text))
    }

    // MARK: - Grid

    func performInGrid(_ action: Action, key: Key) -> Bool {
        guard let rows = state.result.rows, !rows.columns.isEmpty else {
            return action == .showChecks ? performInChecks(.showChecks) : false
        }
        var grid = state.result.grid
        let height = gridHeight
        state.result.notice = nil
        let total = grid.order?.count ?? rows.count
        switch action {
        case .moveUp: grid.row -= 1
        case .moveDown: grid.row += 1
        case .pageUp: grid.row -= height; grid.top -= height
        case .pageDown: grid.row += height; grid.top += height
        case .top: grid.row = 0
        case .bottom: grid.row = total - 1
        case .columnLeft: grid.column -= 1
        case .columnRight: grid.column += 1
        case .firstColumn: grid.column = 0; grid.left = 0
        case .lastColumn: grid.column = rows.columns.count - 1
        case .freeze:
            if case .char(let c) = key, let n = c.wholeNumberValue { grid.frozen = min(n, rows.columns.count - 1); grid.left = grid.frozen }
        case .openCell: openCell(rows, grid)
        case .search: state.prompt = Prompt(.search, label: "search:", text: state.result.search ?? "")
        case .searchNext, .searchPrevious:
            guard let term = state.result.search else { state.result.notice = "no search yet: / searches"; return true }
            search(term, backwards: action == .searchPrevious, skipCurrent: true)
        case .sort: sort(rows, grid)
        case .export: askExportPath()
        case .showChecks:
            guard state.result.validation != nil else { state.result.notice = "no validation run yet: F7 runs a suite"; return true }
            state.result.mode = .checks
        default: return false
        }
        state.result.grid = grid
        return true
    }

    /// Rows of data the grid shows (its pane less frame, header and footer).
    private var gridHeight: Int {
        let rect = state.layout(rows: screen.rows, cols: screen.cols).panes[.results] ?? Rect(row: 0, col: 0, height: 8, width: 40)
        return max(1, rect.height - 4)
    }

    private func openCell(_ rows: ResultRows, _ grid: GridState) {
        guard (grid.order?.count ?? rows.count) > 0 else { return }
        let value: String? = rows.read { reader in
            guard grid.row < reader.count else { return nil }
            return reader.row(grid.storedRow(grid.row)).string(grid.column)
        }
        let name = rows.columns[grid.column].name
        let lines = value.map { $0.components(separatedBy: "\n") } ?? ["∅ (NULL)"]
        let size = value.map { " · \(Figures.count($0.count)) characters" } ?? ""
        state.overlay = .text(title: "\(name), row \(Figures.count(grid.row + 1))\(size)", lines: lines, scroll: 0)
    }

    private func sort(_ rows: ResultRows, _ grid: GridState) {
        guard !state.result.loading else {
            state.result.notice = "sorting waits for the last row: wait, or Ctrl-C to stop loading"
            return
        }
        // Up, down, then back to the order the server sent.
        if let current = grid.sort, current.column == grid.column {
            if current.descending {
                let stored = grid.storedRow(grid.row)
                state.result.grid.order = nil
                state.result.grid.sort = nil
                state.result.grid.row = stored
                return
            }
            state.result.busy = "sorting by \(rows.columns[grid.column].name) ↓…"
            session.sort(rows, by: grid.column, descending: true)
        } else {
            state.result.busy = "sorting by \(rows.columns[grid.column].name) ↑…"
            session.sort(rows, by: grid.column, descending: false)
        }
    }

    private func search(_ term: String, backwards: Bool, skipCurrent: Bool) {
        guard let rows = state.result.rows else { return }
        state.result.search = term
        state.result.busy = "searching for '\(term)'…"
        let step = skipCurrent ? (backwards ? -1 : 1) : 0
        let total = state.result.grid.order?.count ?? rows.count
        let from = total == 0 ? 0 : (state.result.grid.row + step + total) % total
        session.find(term, in: rows, from: from, order: state.result.grid.order, backwards: backwards)
    }

    private func askExportPath() {
        guard state.result.export?.finished != false else {
            state.result.notice = "an export is running: Ctrl-C stops it"
            return
        }
        guard !state.result.loading else {
            state.result.notice = "the result is still loading: export once the last row is in"
            return
        }
        let directory = FileManager.default.currentDirectoryPath
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        let stamp = String(format: "%04d%02d%02d-%02d%02d%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday,
                       parts.tm_hour, parts.tm_min, parts.tm_sec)
        state.prompt = Prompt(.export, label: "export to (.csv or .json):", text: "\(directory)/sparkify-result-\(stamp).csv")
    }

    private func export(to path: String) {
        guard let rows = state.result.rows else { return }
        let path = (path as NSString).expandingTildeInPath
        state.result.export = ExportState(path: path, total: state.result.capped ? nil : rows.count)
        session.export(rows, order: state.result.grid.order, sql: state.result.sql, capped: state.result.capped, to: path)
    }

    // MARK: - Validation

    func openSuitePicker() {
        var choices = [SuiteChoices.Choice(title: "The default suite: the analytics team's checks, for any load", path: nil)]
        if let generated = session.setup.generatedSuite {
            choices.append(SuiteChoices.Choice(title: "The generator's suite: \(generated)", path: generated))
        }
        choices.append(SuiteChoices.Choice(title: "Another suite file…", path: ""))
        state.overlay = .suites(SuiteChoices(choices: choices))
    }

    func performInPicker(_ action: Action) -> Bool {
        guard case .suites(var picker) = state.overlay else { return false }
        switch action {
        case .moveUp: picker.selected = max(0, picker.selected - 1)
        case .moveDown: picker.selected = min(picker.choices.count - 1, picker.selected + 1)
        case .confirm:
            state.overlay = nil
            let choice = picker.choices[picker.selected]
            switch choice.path {
            case nil: runSuite(DefaultSuite.suite)
            case ""?: state.prompt = Prompt(.suiteFile, label: "suite file:", text: FileManager.default.currentDirectoryPath + "/")
            case let path?: runSuite(path: path)
            }
            return true
        default: return false
        }
        state.overlay = .suites(picker)
        return true
    }

    private func runSuite(path: String) {
        let path = (path as NSString).expandingTildeInPath
        do {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw SuiteError(path: path, line: 0, problem: "cannot be read (no such file, or no permission)")
            }
            runSuite(try ValidationSuite.parse(path: path, text: String(decoding: data, as: UTF8.self)))
        } catch {
            state.query.failed = true
            state.query.message = "\(error)"
            state.query.problemLines = []
            state.result.mode = .rows
            state.focus = .results
        }
    }

    private func runSuite(_ suite: ValidationSuite) {
        guard !state.query.running else {
            state.query.message = "a query is running: Ctrl-C cancels it"
            return
        }
        state.result.validation = ValidationState(suite: suite)
        state.result.mode = .checks
        state.focus = .results
        state.query.running = true
        state.query.startedAt = Clock.now
        state.query.failed = false
        state.query.message = nil
        session.runSuite(suite)
    }

    func performInChecks(_ action: Action) -> Bool {
        guard var validation = state.result.validation else { return false }
        switch action {
        case .moveUp: validation.selected = max(0, validation.selected - 1)
        case .moveDown: validation.selected = min(validation.suite.checks.count - 1, validation.selected + 1)
        case .showRows: state.result.mode = .rows; return true
        case .showChecks: state.result.mode = .checks; return true
        case .rerunSuite: runSuite(validation.suite); return true
        case .openCheck:
            // The check's query goes into the editor (undo brings the old text back) and runs,
            // so its whole result is in the grid.
            let check = validation.suite.checks[validation.selected]
            guard !state.query.running else {
                state.query.message = "a query is running: Ctrl-C cancels it"
                return true
            }
            state.query.editor.replaceAll(with: Self.checkText(check, suite: validation.suite))
            editorChanged()
            runStatements(all: true)
            return true
        default: return false
        }
        let listHeight = max(1, (state.layout(rows: screen.rows, cols: screen.cols).panes[.results]?.height ?? 8) - 5)
        if validation.selected < validation.top { validation.top = validation.selected }
        if validation.selected >= validation.top + listHeight { validation.top = validation.selected - listHeight + 1 }
        state.result.validation = validation
        return true
    }

    /// A check as the editor shows it: where it comes from and what it expects, as comments
    /// (the suite's own notation), then its query.
    static func checkText(_ check: ValidationSuite.Check, suite: ValidationSuite) -> String {
        var lines = ["-- check: \(check.name)  (\(suite.path):\(check.line))"]
        switch check.expectation {
        case .none: break
        case .value(let value): lines.append("-- expect: \(value)")
        case .rows(let rows, let ordered):
            lines.append(ordered ? "-- expect rows:" : "-- expect set:")
            lines += rows.map { "-- " + $0.joined(separator: " | ") }
        }
        if let tolerance = check.tolerance { lines.append("-- tolerance: \(tolerance)") }
        return (lines + [check.sql]).joined(separator: "\n")
    }

    // MARK: - Prompt

    func performInPrompt(_ action: Action) -> Bool {
        guard var prompt = state.prompt else { return false }
        switch action {
        case .close: state.prompt = nil; return true
        case .cursorLeft: prompt.cursor = max(0, prompt.cursor - 1)
        case .cursorRight: prompt.cursor = min(prompt.text.count, prompt.cursor + 1)
        case .lineStart: prompt.cursor = 0
        case .lineEnd: prompt.cursor = prompt.text.count
        case .deleteBack:
            guard prompt.cursor > 0 else { return true }
            prompt.cursor -= 1
            prompt.text.remove(at: prompt.cursor)
        case .deleteToLineStart:
            prompt.text.removeSubrange(..<prompt.cursor)
            prompt.cursor = 0
        case .confirm:
            state.prompt = nil
            let text = String(prompt.text)
            guard !text.isEmpty else { return true }
            switch prompt.purpose {
            case .search: search(text, backwards: false, skipCurrent: false)
            case .export:
                // An existing file is only replaced when asked twice.
                let path = (text as NSString).expandingTildeInPath
                if FileManager.default.fileExists(atPath: path), !prompt.label.hasPrefix("replace") {
                    var again = Prompt(.export, label: "replace the existing file? Enter replaces it, Esc keeps it:", text: text)
                    again.cursor = again.text.count
                    state.prompt = again
                    return true
                }
                export(to: path)
            case .suiteFile: runSuite(path: text)
            }
            return true
        default: return false
        }
        state.prompt = prompt
        return true
    }
}
