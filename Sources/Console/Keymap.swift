import PostgresClient

/// Everything a key can do in the console. The key table below turns keys into these; the
/// state reduces them (`ConsoleState.reduce`) into a new state and effects for the session.
enum Action: Hashable, Sendable {
    /// A printable character typed into the editor or a prompt.
    case type(Character)
    case help, nextPane, previousPane, zoom, cancel, quit, validate
    case reconnect, refreshCounts
    /// The Tables pane as a browser: the selected table's rows, its columns and keys, its DDL.
    case browseTable, describeTable, tableDefinition
    // The Redshift cluster's life.
    case createCluster, pauseCluster, resumeCluster, deleteCluster
    case moveUp, moveDown, pageUp, pageDown, top, bottom
    case runStep, runFromHere, showSQL, openRejects, changeSource, changeErrorLimit
    // The editor.
    case runStatement, runAll, newline, cursorLeft, cursorRight, lineStart, lineEnd, wordLeft, wordRight
    case textStart, textEnd, deleteBack, deleteForward, deleteWord, deleteToLineEnd, deleteToLineStart
    case undo, redo, historyPrevious, historyNext
    /// Save the editor's SQL to a file; open a file's SQL in the editor.
    case saveSQL, openSQL
    /// Complete the word at the cursor (Tab in the editor); leave the editor (Esc: Tab completes there).
    case complete, leaveEditor
    // The grid.
    case columnLeft, columnRight, firstColumn, lastColumn, openCell
    /// Keep the first N columns in place (0 frees them).
    case freeze(Int)
    case search, searchNext, searchPrevious, sort, export, showChecks
    /// Copy the selected cell, or the selected row as tab-separated values, to the clipboard.
    case copyCell, copyRow
    /// Step to the result before or after this one (each statement of a run keeps its own);
    /// pin the shown one so the next run keeps it.
    case previousResult, nextResult, pinResult
    /// Draw the result (a label column and number columns) as a bar chart.
    case chart
    /// Narrow the grid to the rows with a cell containing a term.
    case filter
    /// Show an EXPLAIN result as its tree again.
    case showPlan
    /// Draw the star schema from the catalog.
    case showStar
    /// The mouse (xterm SGR reports): a click at a screen cell focuses its pane and selects
    /// what is there; the wheel scrolls the pane under the pointer by `lines`.
    case click(row: Int, col: Int)
    case scroll(lines: Int, row: Int, col: Int)
    // The validation report.
    case openCheck, showRows, rerunSuite
    case close, confirm, confirmQuit, confirmRun, stay
}

/// Where a binding applies: everywhere, in one pane, or in an overlay.
enum Scope: String, Sendable, CaseIterable {
    case everywhere = "Everywhere"
    case cluster = "Cluster"
    case tables = "Tables"
    case runner = "ETL runner"
    case query = "Query editor"
    case results = "Result grid"
    case checks = "Validation report"
    case viewer = "Viewer (SQL, a whole cell)"
    case picker = "Suite picker"
    case prompt = "Prompt (search, export path)"
    case help = "Help"
    case confirm = "Quit?"
    case confirmRun = "Empty the loaded tables?"
}

/// One line of the key table: the keys, what they do, and the short label for the status line
/// (nil keeps a binding out of the status line, where space is scarce).
struct Binding: Sendable {
    var keys: [Key]
    var scope: Scope
    var action: Action
    var summary: String
    var status: String?
}

/// The one table where every key is declared. Dispatch, the status line and the help screen
/// all read it, so a key cannot work without being listed or be listed without working.
enum Keymap {
    static let bindings: [Binding] = [
        Binding(keys: [.function(1), .char("?")], scope: .everywhere, action: .help, summary: "Help: every key", status: "help"),
        Binding(
            keys: [.char("q"), .function(10)], scope: .everywhere, action: .quit, summary: "Quit (asks first if work is running)", status: "quit"),
        Binding(keys: [.tab], scope: .everywhere, action: .nextPane, summary: "Next pane", status: "pane"),
        Binding(keys: [.backTab], scope: .everywhere, action: .previousPane, summary: "Previous pane", status: nil),
        Binding(keys: [.function(2)], scope: .everywhere, action: .zoom, summary: "Zoom the pane to the whole screen, and back", status: "zoom"),
        Binding(
            keys: [.ctrl("c")], scope: .everywhere, action: .cancel, summary: "Cancel the running step, query, suite or export (on the server)",
            status: "cancel"),
        Binding(
            keys: [.function(7)], scope: .everywhere, action: .validate, summary: "Run a validation suite (the default, the generator's, or a file)",
            status: "validate"),

        Binding(
            keys: [.char("c")], scope: .everywhere, action: .reconnect, summary: "Reconnect to the warehouse (after a lost connection)", status: nil),
        Binding(keys: [.char("c")], scope: .cluster, action: .reconnect, summary: "Reconnect to the warehouse", status: "reconnect"),
        Binding(
            keys: [.char("n")], scope: .cluster, action: .createCluster, summary: "Create the Redshift cluster dwh.cfg's [DWH] describes",
            status: "new"),
        Binding(
            keys: [.char("p")], scope: .cluster, action: .pauseCluster, summary: "Pause the cluster (its compute stops costing)", status: "pause"),
        Binding(keys: [.char("u")], scope: .cluster, action: .resumeCluster, summary: "Resume the paused cluster", status: "resume"),
        Binding(
            keys: [.char("d")], scope: .cluster, action: .deleteCluster, summary: "Delete the cluster (type its identifier to confirm)",
            status: "delete"),
        Binding(keys: [.char("r")], scope: .tables, action: .refreshCounts, summary: "Refresh the row counts", status: "refresh"),
        Binding(
            keys: [.char("S")], scope: .tables, action: .showStar,
            summary: "The star schema drawn from the catalog: the fact, its dimensions, the join columns, the row counts, what is missing",
            status: "star"),
        Binding(keys: [.up, .char("k")], scope: .tables, action: .moveUp, summary: "Table above", status: nil),
        Binding(keys: [.down, .char("j")], scope: .tables, action: .moveDown, summary: "Table below", status: nil),
        Binding(
            keys: [.enter], scope: .tables, action: .browseTable, summary: "The table's first rows: a SELECT … LIMIT 100 in the editor, run",
            status: "rows"),
        Binding(
            keys: [.char("d")], scope: .tables, action: .describeTable,
            summary: "The table's columns, types, nullability, defaults and keys (\\d NAME)", status: "columns"),
        Binding(
            keys: [.char("D")], scope: .tables, action: .tableDefinition,
            summary: "The table's CREATE statement as the database holds it (\\ddl NAME; Redshift: SHOW TABLE)", status: "DDL"),

        Binding(keys: [.up, .char("k")], scope: .runner, action: .moveUp, summary: "Select the step above", status: nil),
        Binding(keys: [.down, .char("j")], scope: .runner, action: .moveDown, summary: "Select the step below", status: nil),
        Binding(keys: [.enter], scope: .runner, action: .runStep, summary: "Run the selected step", status: "run"),
        Binding(
            keys: [.char("a")], scope: .runner, action: .runFromHere, summary: "Run the selected step and every step after it",
            status: "run from here"),
        Binding(keys: [.char("s")], scope: .runner, action: .showSQL, summary: "Show the selected step's SQL", status: "SQL"),
        Binding(
            keys: [.char("e")], scope: .runner, action: .openRejects, summary: "Open the rejected records (staging.load_errors)", status: "rejects"),
        Binding(keys: [.char("r")], scope: .runner, action: .refreshCounts, summary: "Refresh the row counts", status: nil),
        Binding(
            keys: [.char("o")], scope: .runner, action: .changeSource, summary: "Change the folder (or s3:// prefix) the copy steps read",
            status: "source"),
        Binding(
            keys: [.char("m")], scope: .runner, action: .changeErrorLimit,
            summary: "Change the error limit: bad records a copy may skip (kept in staging.load_errors)", status: nil),

        Binding(
            keys: [.function(5), .ctrl("r")], scope: .query, action: .runStatement, summary: "Run the statement under the cursor", status: "run"),
        Binding(
            keys: [.function(6)], scope: .query, action: .runAll, summary: "Run every statement, in order, stopping at an error", status: "run all"),
        Binding(
            keys: [.tab], scope: .query, action: .complete,
            summary: "Complete the table, column, function or keyword at the cursor; in the list, take the item", status: "complete"),
        Binding(
            keys: [.escape], scope: .query, action: .leaveEditor,
            summary: "Close the completion list; without one, leave the editor for the next pane (Tab completes here)", status: "leave"),
        Binding(
            keys: [.enter], scope: .query, action: .newline, summary: "New line (keeps the indentation); in the list, take the chosen item",
            status: nil),
        Binding(keys: [.left], scope: .query, action: .cursorLeft, summary: "Cursor left", status: nil),
        Binding(keys: [.right], scope: .query, action: .cursorRight, summary: "Cursor right", status: nil),
        Binding(keys: [.up], scope: .query, action: .moveUp, summary: "Line up; in the completion list, the item above", status: nil),
        Binding(keys: [.down], scope: .query, action: .moveDown, summary: "Line down; in the completion list, the item below", status: nil),
        Binding(keys: [.pageUp], scope: .query, action: .pageUp, summary: "Page up", status: nil),
        Binding(keys: [.pageDown], scope: .query, action: .pageDown, summary: "Page down", status: nil),
        Binding(keys: [.home, .ctrl("a")], scope: .query, action: .lineStart, summary: "Start of the line (first the indentation)", status: nil),
        Binding(keys: [.end, .ctrl("e")], scope: .query, action: .lineEnd, summary: "End of the line", status: nil),
        Binding(keys: [.ctrlLeft, .alt("b")], scope: .query, action: .wordLeft, summary: "Word left", status: nil),
        Binding(keys: [.ctrlRight, .alt("f")], scope: .query, action: .wordRight, summary: "Word right", status: nil),
        Binding(keys: [.ctrlHome, .alt("<")], scope: .query, action: .textStart, summary: "Start of the text", status: nil),
        Binding(keys: [.ctrlEnd, .alt(">")], scope: .query, action: .textEnd, summary: "End of the text", status: nil),
        Binding(keys: [.backspace], scope: .query, action: .deleteBack, summary: "Delete the character before the cursor", status: nil),
        Binding(keys: [.delete, .ctrl("d")], scope: .query, action: .deleteForward, summary: "Delete the character under the cursor", status: nil),
        Binding(keys: [.ctrl("w")], scope: .query, action: .deleteWord, summary: "Delete the word before the cursor", status: nil),
        Binding(keys: [.ctrl("k")], scope: .query, action: .deleteToLineEnd, summary: "Delete to the end of the line", status: nil),
        Binding(keys: [.ctrl("u")], scope: .query, action: .deleteToLineStart, summary: "Delete to the start of the line", status: nil),
        Binding(keys: [.ctrl("z")], scope: .query, action: .undo, summary: "Undo", status: "undo"),
        Binding(keys: [.ctrl("y")], scope: .query, action: .redo, summary: "Redo", status: nil),
        Binding(keys: [.ctrl("p")], scope: .query, action: .historyPrevious, summary: "Previous statement from the history", status: "history"),
        Binding(keys: [.ctrl("n")], scope: .query, action: .historyNext, summary: "Next statement from the history", status: nil),
        Binding(keys: [.ctrl("s")], scope: .query, action: .saveSQL, summary: "Save the SQL to a file", status: "save"),
        Binding(
            keys: [.ctrl("o")], scope: .query, action: .openSQL, summary: "Open a file's SQL in the editor (Ctrl-Z brings the old text back)",
            status: nil),

        Binding(keys: [.up, .char("k")], scope: .results, action: .moveUp, summary: "Row up", status: nil),
        Binding(keys: [.down, .char("j")], scope: .results, action: .moveDown, summary: "Row down", status: nil),
        Binding(keys: [.left, .char("h")], scope: .results, action: .columnLeft, summary: "Column left", status: nil),
        Binding(keys: [.right, .char("l")], scope: .results, action: .columnRight, summary: "Column right", status: nil),
        Binding(keys: [.pageUp, .char("b")], scope: .results, action: .pageUp, summary: "Page up", status: nil),
        Binding(keys: [.pageDown, .char(" ")], scope: .results, action: .pageDown, summary: "Page down", status: nil),
        Binding(keys: [.char("g")], scope: .results, action: .top, summary: "First row", status: nil),
        Binding(keys: [.char("G")], scope: .results, action: .bottom, summary: "Last row (of those loaded so far)", status: "end"),
        Binding(keys: [.home], scope: .results, action: .firstColumn, summary: "First column", status: nil),
        Binding(keys: [.end], scope: .results, action: .lastColumn, summary: "Last column", status: nil),
        // One binding over the digits: the action carries the digit pressed (see `action(for:in:)`).
        Binding(
            keys: (0...9).map { .char(Character(String($0))) }, scope: .results, action: .freeze(0),
            summary: "Freeze the first N columns (0 frees them)", status: "freeze"),
        Binding(keys: [.enter], scope: .results, action: .openCell, summary: "Open the selected cell whole", status: "cell"),
        Binding(keys: [.char("/")], scope: .results, action: .search, summary: "Search the rows (any column, ignoring case)", status: "search"),
        Binding(
            keys: [.char("f")], scope: .results, action: .filter,
            summary: "Filter: only the rows with a cell containing a term (ignoring case); an empty term shows all", status: "filter"),
        Binding(keys: [.char("n")], scope: .results, action: .searchNext, summary: "Next match", status: nil),
        Binding(keys: [.char("N")], scope: .results, action: .searchPrevious, summary: "Previous match", status: nil),
        Binding(keys: [.char("s")], scope: .results, action: .sort, summary: "Sort by the selected column: up, down, as returned", status: "sort"),
        Binding(keys: [.char("x")], scope: .results, action: .export, summary: "Export the whole result to a file (.csv or .json)", status: "export"),
        Binding(
            keys: [.char("y")], scope: .results, action: .copyCell,
            summary: "Copy the selected cell to the clipboard (OSC 52: works over SSH and in tmux)", status: "copy"),
        Binding(keys: [.char("Y")], scope: .results, action: .copyRow, summary: "Copy the selected row to the clipboard, tab-separated", status: nil),
        Binding(keys: [.char("v")], scope: .results, action: .showChecks, summary: "Show the validation report", status: nil),
        Binding(
            keys: [.char("C")], scope: .results, action: .chart,
            summary: "Draw the result as a bar chart: the first text column labels the bars, each number column is a series",
            status: "chart"),
        Binding(
            keys: [.char("P")], scope: .results, action: .showPlan,
            summary: "An EXPLAIN result as a tree, the costliest node marked (it opens by itself when EXPLAIN finishes)", status: nil),
        Binding(
            keys: [.char("C")], scope: .checks, action: .chart, summary: "Draw the selected check's result as a bar chart", status: "chart"),
        Binding(
            keys: [.char("[")], scope: .results, action: .previousResult,
            summary: "The result before: each statement of a run keeps its own, and pinned ones stay", status: "results"),
        Binding(keys: [.char("]")], scope: .results, action: .nextResult, summary: "The result after", status: nil),
        Binding(
            keys: [.char("p")], scope: .results, action: .pinResult, summary: "Pin the result shown, so the next run keeps it (again: unpin)",
            status: "pin"),

        Binding(keys: [.up, .char("k")], scope: .checks, action: .moveUp, summary: "Check above", status: nil),
        Binding(keys: [.down, .char("j")], scope: .checks, action: .moveDown, summary: "Check below", status: nil),
        Binding(
            keys: [.enter], scope: .checks, action: .openCheck, summary: "Open the check: its query in the editor, its whole result in the grid",
            status: "open"),
        Binding(keys: [.char("v")], scope: .checks, action: .showRows, summary: "Back to the result grid", status: "grid"),
        Binding(keys: [.char("r")], scope: .checks, action: .rerunSuite, summary: "Run the suite again", status: "rerun"),

        Binding(keys: [.up, .char("k")], scope: .viewer, action: .moveUp, summary: "Scroll up", status: nil),
        Binding(keys: [.down, .char("j")], scope: .viewer, action: .moveDown, summary: "Scroll down", status: "scroll"),
        Binding(keys: [.pageUp], scope: .viewer, action: .pageUp, summary: "Page up", status: nil),
        Binding(keys: [.pageDown, .char(" ")], scope: .viewer, action: .pageDown, summary: "Page down", status: nil),
        Binding(keys: [.home, .char("g")], scope: .viewer, action: .top, summary: "Top", status: nil),
        Binding(keys: [.end, .char("G")], scope: .viewer, action: .bottom, summary: "Bottom", status: nil),
        Binding(keys: [.escape, .char("q"), .enter], scope: .viewer, action: .close, summary: "Close", status: "close"),

        Binding(keys: [.up, .char("k")], scope: .picker, action: .moveUp, summary: "Suite above", status: nil),
        Binding(keys: [.down, .char("j")], scope: .picker, action: .moveDown, summary: "Suite below", status: nil),
        Binding(keys: [.enter], scope: .picker, action: .confirm, summary: "Run the selected suite", status: "run"),
        Binding(keys: [.escape, .char("q")], scope: .picker, action: .close, summary: "Close", status: "close"),

        Binding(keys: [.enter], scope: .prompt, action: .confirm, summary: "Go", status: "go"),
        Binding(keys: [.escape], scope: .prompt, action: .close, summary: "Give up", status: "cancel"),
        Binding(keys: [.left], scope: .prompt, action: .cursorLeft, summary: "Cursor left", status: nil),
        Binding(keys: [.right], scope: .prompt, action: .cursorRight, summary: "Cursor right", status: nil),
        Binding(keys: [.home, .ctrl("a")], scope: .prompt, action: .lineStart, summary: "Start of the line", status: nil),
        Binding(keys: [.end, .ctrl("e")], scope: .prompt, action: .lineEnd, summary: "End of the line", status: nil),
        Binding(keys: [.backspace], scope: .prompt, action: .deleteBack, summary: "Delete the character before the cursor", status: nil),
        Binding(keys: [.ctrl("u")], scope: .prompt, action: .deleteToLineStart, summary: "Clear", status: nil),

        Binding(keys: [.up, .char("k")], scope: .help, action: .moveUp, summary: "Scroll up", status: nil),
        Binding(keys: [.down, .char("j")], scope: .help, action: .moveDown, summary: "Scroll down", status: "scroll"),
        Binding(keys: [.pageUp, .char("b")], scope: .help, action: .pageUp, summary: "Page up", status: nil),
        Binding(keys: [.pageDown, .char(" ")], scope: .help, action: .pageDown, summary: "Page down", status: nil),
        Binding(keys: [.home, .char("g")], scope: .help, action: .top, summary: "Top", status: nil),
        Binding(keys: [.end, .char("G")], scope: .help, action: .bottom, summary: "Bottom", status: nil),
        Binding(keys: [.escape, .char("q"), .function(1), .char("?")], scope: .help, action: .close, summary: "Close the help", status: "close"),

        Binding(
            keys: [.char("y")], scope: .confirm, action: .confirmQuit, summary: "Quit: running work is cancelled and rolled back", status: "quit"),
        Binding(keys: [.char("n"), .escape], scope: .confirm, action: .stay, summary: "Stay", status: "stay"),

        Binding(
            keys: [.char("y")], scope: .confirmRun, action: .confirmRun, summary: "Run: the drop or create step empties the tables", status: "run"),
        Binding(keys: [.char("n"), .escape], scope: .confirmRun, action: .stay, summary: "Keep the tables as they are", status: "keep"),
    ]

    /// The action for a key in a scope. In a scope that takes text (the query editor), a
    /// printable character types itself rather than triggering a global one-letter command.
    static func action(for key: Key, in scope: Scope) -> Action? {
        // The mouse acts where it points, not by a key table entry.
        if case .mouse(let mouse) = key {
            switch mouse.kind {
            case .click: return .click(row: mouse.row, col: mouse.col)
            case .wheelUp: return .scroll(lines: -3, row: mouse.row, col: mouse.col)
            case .wheelDown: return .scroll(lines: 3, row: mouse.row, col: mouse.col)
            }
        }
        if let local = bindings.first(where: { $0.scope == scope && $0.keys.contains(key) }) {
            if case .freeze = local.action, case .char(let digit) = key, let count = digit.wholeNumberValue { return .freeze(count) }
            return local.action
        }
        if takesText(scope), let character = key.typedCharacter { return .type(character) }
        // Overlays and prompts are modal: only their own keys (and Ctrl-C, which must always
        // reach the server).
        if scope.isModal {
            return key == .ctrl("c") ? .cancel : nil
        }
        return bindings.first(where: { $0.scope == .everywhere && $0.keys.contains(key) })?.action
    }

    static func takesText(_ scope: Scope) -> Bool { scope == .query || scope == .prompt }

    /// The keys to show at the bottom of the screen for a scope: its own first, then the global ones.
    static func statusEntries(for scope: Scope, global: Bool = true) -> [(keys: String, label: String)] {
        var scopes = [scope]
        if global, !scope.isModal, scope != .everywhere { scopes.append(.everywhere) }
        return scopes.flatMap { current in
            bindings.filter { $0.scope == current && $0.status != nil }.compactMap { binding in
                // In the editor, a letter key would type; only keys that still work are shown. A
                // global key the scope binds to something else (Tab completes in the editor) is not.
                let keys = binding.keys.filter { key in
                    guard current == .everywhere else { return true }
                    if takesText(scope) && key.typedCharacter != nil { return false }
                    return !bindings.contains { $0.scope == scope && $0.keys.contains(key) }
                }
                guard let first = keys.first else { return nil }
                return (first.description, binding.status!)
            }
        }
    }
}

extension Scope {
    /// Overlays and prompts: nothing behind them answers a key until they close.
    var isModal: Bool { [.viewer, .picker, .prompt, .help, .confirm, .confirmRun].contains(self) }
}
