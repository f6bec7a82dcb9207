import XCTest

@testable import Console
@testable import PostgresClient
@testable import Warehouse

/// Every binding of the key table, pressed on a state where it applies: the state it leads to
/// and the effects it asks for. No terminal, no server: state + key → state + effects.
final class KeyReducerTests: XCTestCase {
    /// One case a binding: how to get to where the key applies, and what must follow.
    private struct Case {
        var scope: Scope
        var action: Action
        var given: () -> ConsoleState
        var check: (_ before: ConsoleState, _ after: ConsoleState, _ effects: [String]) -> Void
    }

    private static func key(for action: Action, in scope: Scope) -> Key {
        Keymap.bindings.first { $0.scope == scope && $0.action == action }!.keys.first!
    }

    private static func focused(_ pane: Pane) -> () -> ConsoleState {
        {
            var state = Fixture.connected()
            state.focus = pane
            return state
        }
    }

    /// The Cluster pane focused, on a Redshift target whose cluster is in `status` (nil: none).
    private static func withLife(_ status: String?) -> () -> ConsoleState {
        { Fixture.withLife(status) }
    }

    private static func editor(_ text: String, cursorAt offset: Int? = nil) -> () -> ConsoleState {
        {
            var state = Fixture.connected()
            state.focus = .query
            state.query.editor.replaceAll(with: text)
            if let offset { state.query.editor.moveTo(state.query.editor.position(ofOffset: offset)) }
            return state
        }
    }

    /// A run of two statements that returned rows, the grid focused on the second.
    private static func twoResults() -> ConsoleState {
        var state = Fixture.connected()
        state.focus = .results
        Fixture.run(["select 1", "select 2"], on: &state)
        return state
    }

    /// EXPLAIN's answer in the grid, its tree closed.
    private static func planResult() -> ConsoleState {
        var state = Fixture.connected()
        state.focus = .results
        state.query.statements = [(0..<30, "explain select * from songs")]
        let rows = ResultRows(columns: [Column(name: "QUERY PLAN", typeOID: 25)])
        _ = state.apply(.resultStarted(rows), now: 0)
        rows.append(TextRow(["Seq Scan on songs  (cost=0.00..22.70 rows=1270 width=36)"]))
        rows.finish()
        _ = state.apply(.statementFinished(index: 0, rows: 1, commandTag: "EXPLAIN", elapsed: 0.001, capped: false), now: 0)
        XCTAssertNotNil(state.overlay, "the tree opens by itself when EXPLAIN finishes")
        state.overlay = nil
        return state
    }

    /// The editor with the warehouse's names read.
    private static func completing(_ text: String) -> () -> ConsoleState {
        {
            var state = editor(text)()
            _ = state.apply(.catalogRead(Fixture.catalog), now: 0)
            return state
        }
    }

    private static func grid(_ change: @escaping (inout ConsoleState) -> Void = { _ in }) -> () -> ConsoleState {
        {
            var (state, _) = Fixture.withResult()
            change(&state)
            return state
        }
    }

    private static func overlay(_ overlay: Overlay) -> () -> ConsoleState {
        {
            var state = Fixture.connected()
            state.overlay = overlay
            return state
        }
    }

    private static func prompt(_ text: String, cursor: Int? = nil) -> () -> ConsoleState {
        {
            var state = Fixture.withResult().0
            state.prompt = Prompt(.search, label: "search:", text: text)
            if let cursor { state.prompt?.cursor = cursor }
            return state
        }
    }

    private static var cases: [Case] {
        let longText = (1...40).map { "select \($0);" }.joined(separator: "\n")
        let sqlLines = (0..<200).map { "line \($0)" }
        return [
            // Everywhere.
            Case(scope: .everywhere, action: .help, given: focused(.runner)) { _, after, _ in
                guard case .help(0) = after.overlay else { return XCTFail("help opens at its top") }
            },
            Case(scope: .everywhere, action: .quit, given: focused(.runner)) { _, after, effects in
                XCTAssertTrue(after.quitting, "nothing runs: quits at once")
                XCTAssertEqual(effects, ["keepEditorText"], "the editor's text is kept for the next session")
            },
            Case(scope: .everywhere, action: .nextPane, given: focused(.runner)) { _, after, _ in XCTAssertEqual(after.focus, .query) },
            Case(scope: .everywhere, action: .previousPane, given: focused(.cluster)) { _, after, _ in XCTAssertEqual(after.focus, .results) },
            Case(scope: .everywhere, action: .zoom, given: focused(.runner)) { _, after, _ in XCTAssertTrue(after.zoomed) },
            Case(
                scope: .everywhere, action: .cancel,
                given: {
                    var state = Fixture.connected()
                    state.focus = .runner
                    state.running = true
                    return state
                }
            ) { _, after, effects in
                XCTAssertEqual(effects, ["cancelSteps"])
                XCTAssertEqual(after.log.last?.text, "cancelling the load on the server…")
            },
            Case(scope: .everywhere, action: .validate, given: focused(.runner)) { _, after, _ in
                guard case .suites(let picker) = after.overlay else { return XCTFail("the picker opens") }
                XCTAssertEqual(picker.choices, [.builtIn, .generated(path: "/data/expected.sql"), .askForFile])
            },
            Case(scope: .everywhere, action: .reconnect, given: focused(.runner)) { _, after, effects in
                XCTAssertEqual(effects, ["reconnect"], "c reconnects from any pane, not only the cluster's")
                XCTAssertEqual(after.cluster.state, .connecting("reconnecting"))
            },
            Case(scope: .cluster, action: .reconnect, given: focused(.cluster)) { _, _, effects in XCTAssertEqual(effects, ["reconnect"]) },
            Case(scope: .cluster, action: .createCluster, given: withLife(nil)) { _, after, effects in
                XCTAssertEqual(after.prompt?.purpose, .clusterAllowFrom, "asks where the port opens to")
                XCTAssertEqual(effects, [])
            },
            Case(scope: .cluster, action: .pauseCluster, given: withLife("available")) { _, after, effects in
                XCTAssertEqual(effects, ["clusterAction"])
                XCTAssertEqual(after.cluster.life?.busy, "pausing")
            },
            Case(scope: .cluster, action: .resumeCluster, given: withLife("paused")) { _, after, effects in
                XCTAssertEqual(effects, ["clusterAction"])
                XCTAssertEqual(after.cluster.life?.busy, "resuming")
            },
            Case(scope: .cluster, action: .deleteCluster, given: withLife("available")) { _, after, effects in
                XCTAssertEqual(after.prompt?.purpose, .clusterDelete, "the identifier is typed first")
                XCTAssertEqual(effects, [])
            },
            Case(scope: .tables, action: .refreshCounts, given: focused(.tables)) { _, after, effects in
                XCTAssertEqual(effects, ["refreshCounts"])
                XCTAssertFalse(after.countsKnown)
            },

            Case(scope: .tables, action: .moveDown, given: focused(.tables)) { _, after, _ in XCTAssertEqual(after.selectedTable, 1) },
            Case(
                scope: .tables, action: .moveUp,
                given: {
                    var s = Fixture.connected()
                    s.focus = .tables
                    s.selectedTable = 3
                    return s
                }
            ) {
                _, after, _ in XCTAssertEqual(after.selectedTable, 2)
            },
            Case(
                scope: .tables, action: .browseTable,
                given: {
                    var s = Fixture.connected()
                    s.focus = .tables
                    s.selectedTable = 3
                    return s
                }
            ) {
                before, after, effects in
                XCTAssertEqual(after.focus, .query)
                XCTAssertEqual(after.query.editor.text, "SELECT *\nFROM \(before.counts[3].table)\nLIMIT 100;")
                XCTAssertEqual(effects, ["appendHistory", "runStatements", "keepEditorText"])
            },
            Case(
                scope: .tables, action: .describeTable,
                given: {
                    var s = Fixture.connected()
                    s.focus = .tables
                    return s
                }
            ) {
                _, after, effects in
                XCTAssertEqual(effects, ["appendHistory", "runStatements", "keepEditorText"])
                XCTAssertEqual(after.query.history.entries.last, "\\d staging.events")
                XCTAssertEqual(after.focus, .results)
            },
            Case(scope: .tables, action: .tableDefinition, given: focused(.tables)) { _, after, effects in
                XCTAssertEqual(effects, ["appendHistory", "runStatements", "keepEditorText"])
                XCTAssertEqual(after.query.history.entries.last, "\\ddl staging.events")
            },

            // The runner.
            Case(scope: .runner, action: .moveDown, given: focused(.runner)) { _, after, _ in XCTAssertEqual(after.selectedStep, 1) },
            Case(
                scope: .runner, action: .moveUp,
                given: {
                    var s = Fixture.connected()
                    s.selectedStep = 3
                    return s
                }
            ) { _, after, _ in
                XCTAssertEqual(after.selectedStep, 2)
            },
            Case(
                scope: .runner, action: .runStep,
                given: {
                    var s = Fixture.connected()
                    s.selectedStep = 2
                    return s
                }
            ) { _, after, effects in
                XCTAssertEqual(effects, ["runSteps"])
                XCTAssertTrue(after.running)
                XCTAssertEqual(after.steps[2].state, .waiting)
            },
            Case(scope: .runner, action: .runFromHere, given: focused(.runner)) { _, after, effects in
                XCTAssertEqual(effects, ["runSteps"], "empty tables: nothing to ask")
                XCTAssertTrue(after.running)
            },
            Case(
                scope: .runner, action: .showSQL,
                given: {
                    var s = Fixture.connected()
                    s.selectedStep = 2
                    return s
                }
            ) { _, after, _ in
                guard case .text(let title, let lines, _) = after.overlay else { return XCTFail("the SQL opens") }
                XCTAssertEqual(title, "SQL: copy staging.events")
                XCTAssertTrue(
                    lines.contains("DELETE FROM staging.load_manifest WHERE target_table = $1 AND file_number = ANY($2::integer[]);"),
                    "the manifest bookkeeping is shown too")
            },
            Case(scope: .runner, action: .openRejects, given: focused(.runner)) { _, after, effects in
                XCTAssertEqual(after.focus, .query)
                XCTAssertTrue(after.query.editor.text.contains("FROM staging.load_errors"))
                XCTAssertEqual(effects, ["appendHistory", "runStatements", "keepEditorText"])
            },
            Case(scope: .runner, action: .refreshCounts, given: focused(.runner)) { _, _, effects in XCTAssertEqual(effects, ["refreshCounts"]) },
            Case(scope: .runner, action: .changeSource, given: focused(.runner)) { _, after, _ in
                XCTAssertEqual(after.prompt?.purpose, .source)
            },
            Case(scope: .runner, action: .changeErrorLimit, given: focused(.runner)) { _, after, _ in
                XCTAssertEqual(after.prompt?.purpose, .errorLimit)
                XCTAssertEqual(after.prompt.map { String($0.text) }, "0", "starts from the limit in force")
            },

            // The editor.
            Case(scope: .query, action: .runStatement, given: editor("select 1;\nselect 2;", cursorAt: 12)) { _, after, effects in
                XCTAssertEqual(effects, ["appendHistory", "runStatements", "keepEditorText"])
                XCTAssertEqual(after.query.statements.map(\.text), ["select 2"], "the statement under the cursor")
                XCTAssertTrue(after.query.running)
            },
            Case(scope: .query, action: .runAll, given: editor("select 1;\nselect 2;")) { _, after, effects in
                XCTAssertEqual(effects, ["appendHistory", "appendHistory", "runStatements", "keepEditorText"])
                XCTAssertEqual(after.query.statements.count, 2)
            },
            Case(scope: .query, action: .complete, given: completing("select * from analytics.use")) { _, after, effects in
                XCTAssertEqual(after.query.editor.text, "select * from analytics.users", "one candidate: typed whole")
                XCTAssertEqual(effects, [])
            },
            Case(scope: .query, action: .leaveEditor, given: editor("select 1")) { _, after, _ in
                XCTAssertEqual(after.focus, .results, "Esc leaves the editor, since Tab completes there")
            },
            Case(scope: .results, action: .filter, given: grid()) { _, after, effects in
                XCTAssertEqual(after.prompt?.purpose, .filter)
                XCTAssertEqual(effects, [])
            },
            Case(
                scope: .tables, action: .showStar,
                given: {
                    var state = Fixture.connected()
                    state.focus = .tables
                    _ = state.apply(.catalogRead(Fixture.catalog), now: 0)
                    return state
                }
            ) { _, after, effects in
                guard case .star(let diagram) = after.overlay else { return XCTFail("the star opens") }
                XCTAssertEqual(diagram.fact.table, "analytics.songplays")
                XCTAssertEqual(effects, ["refreshCounts"], "the counts and the catalog are read again beside it")
            },
            Case(scope: .results, action: .showPlan, given: Self.planResult) { _, after, _ in
                guard case .plan(let plan, _) = after.overlay else { return XCTFail("the plan's tree opens again") }
                XCTAssertEqual(plan.root.title, "Seq Scan on songs")
            },
            Case(scope: .results, action: .chart, given: grid()) { _, after, _ in
                guard case .chart(let chart, _) = after.overlay else { return XCTFail("a chart opens") }
                XCTAssertEqual(chart.labelName, "song_id", "the first text column labels the bars")
                XCTAssertEqual(chart.series.map(\.name), ["year"], "the number column is the series")
                XCTAssertEqual(chart.labels.count, 100)
            },
            Case(
                scope: .checks, action: .chart,
                given: {
                    var state = Fixture.withReport()
                    let check = DefaultSuite.suite.checks[0]
                    let outcome = CheckResult(
                        check: check, verdict: .shown, rows: [["free", "70"], ["paid", "30"]], columns: ["level", "plays"], elapsed: 0.01,
                        message: nil)
                    _ = state.apply(.checkFinished(0, outcome), now: 0)
                    state.result.validation?.selected = 0
                    return state
                }
            ) { _, after, _ in
                guard case .chart(let chart, _) = after.overlay else { return XCTFail("the check's rows as a chart") }
                XCTAssertEqual(chart.labels, ["free", "paid"])
                XCTAssertEqual(chart.series.first?.values, [70, 30])
            },
            Case(scope: .results, action: .previousResult, given: Self.twoResults) { _, after, _ in
                XCTAssertEqual(after.result.shown, 0)
                XCTAssertEqual(after.result.sql, "select 1")
            },
            Case(scope: .results, action: .nextResult, given: Self.twoResults) { _, after, _ in
                XCTAssertEqual(after.result.shown, 1)
                XCTAssertEqual(after.result.notice, "this is the last result kept")
            },
            Case(scope: .results, action: .pinResult, given: Self.twoResults) { _, after, _ in
                XCTAssertEqual(after.result.kept.map(\.pinned), [false, true])
            },
            Case(scope: .query, action: .newline, given: editor("  select")) { _, after, _ in
                XCTAssertEqual(after.query.editor.text, "  select\n  ", "keeps the indentation")
            },
            Case(scope: .query, action: .cursorLeft, given: editor("abc")) { _, after, _ in XCTAssertEqual(after.query.editor.offset, 2) },
            Case(scope: .query, action: .cursorRight, given: editor("abc", cursorAt: 0)) { _, after, _ in XCTAssertEqual(after.query.editor.offset, 1)
            },
            Case(scope: .query, action: .moveUp, given: editor("a\nb")) { _, after, _ in XCTAssertEqual(after.query.editor.cursor.line, 0) },
            Case(scope: .query, action: .moveDown, given: editor("a\nb", cursorAt: 0)) { _, after, _ in
                XCTAssertEqual(after.query.editor.cursor.line, 1)
            },
            Case(scope: .query, action: .pageUp, given: editor(longText)) { before, after, _ in
                XCTAssertLessThan(after.query.editor.cursor.line, before.query.editor.cursor.line - 1, "a page, not a line")
            },
            Case(scope: .query, action: .pageDown, given: editor(longText, cursorAt: 0)) { _, after, _ in
                XCTAssertGreaterThan(after.query.editor.cursor.line, 1, "a page, not a line")
            },
            Case(scope: .query, action: .lineStart, given: editor("  abc")) { _, after, _ in
                XCTAssertEqual(after.query.editor.cursor.column, 2, "first the indentation")
            },
            Case(scope: .query, action: .lineEnd, given: editor("abc", cursorAt: 0)) { _, after, _ in
                XCTAssertEqual(after.query.editor.cursor.column, 3)
            },
            Case(scope: .query, action: .wordLeft, given: editor("select abc")) { _, after, _ in XCTAssertEqual(after.query.editor.cursor.column, 7)
            },
            Case(scope: .query, action: .wordRight, given: editor("select abc", cursorAt: 0)) { _, after, _ in
                XCTAssertEqual(after.query.editor.cursor.column, 6)
            },
            Case(scope: .query, action: .textStart, given: editor("a\nb")) { _, after, _ in XCTAssertEqual(after.query.editor.offset, 0) },
            Case(scope: .query, action: .textEnd, given: editor("a\nb", cursorAt: 0)) { _, after, _ in XCTAssertEqual(after.query.editor.offset, 3) },
            Case(scope: .query, action: .deleteBack, given: editor("abc")) { _, after, _ in XCTAssertEqual(after.query.editor.text, "ab") },
            Case(scope: .query, action: .deleteForward, given: editor("abc", cursorAt: 0)) { _, after, _ in
                XCTAssertEqual(after.query.editor.text, "bc")
            },
            Case(scope: .query, action: .deleteWord, given: editor("select abc")) { _, after, _ in XCTAssertEqual(after.query.editor.text, "select ")
            },
            Case(scope: .query, action: .deleteToLineEnd, given: editor("select abc", cursorAt: 6)) { _, after, _ in
                XCTAssertEqual(after.query.editor.text, "select")
            },
            Case(scope: .query, action: .deleteToLineStart, given: editor("select abc")) { _, after, _ in XCTAssertEqual(after.query.editor.text, "")
            },
            Case(
                scope: .query, action: .undo,
                given: {
                    var state = editor("select 1")()
                    _ = state.press(.backspace)
                    return state
                }
            ) { _, after, _ in XCTAssertEqual(after.query.editor.text, "select 1") },
            Case(
                scope: .query, action: .redo,
                given: {
                    var state = editor("select 1")()
                    _ = state.press(.backspace)
                    _ = state.press(.ctrl("z"))
                    return state
                }
            ) { _, after, _ in XCTAssertEqual(after.query.editor.text, "select ") },
            Case(
                scope: .query, action: .historyPrevious,
                given: {
                    var state = editor("select 1;")()
                    _ = state.press(.function(5))
                    _ = state.apply(.statementsEnded(elapsed: 0), now: 0)
                    state.query.editor.replaceAll(with: "draft")
                    return state
                }
            ) { _, after, _ in XCTAssertEqual(after.query.editor.text, "select 1") },
            Case(
                scope: .query, action: .historyNext,
                given: {
                    var state = editor("select 1;")()
                    _ = state.press(.function(5))
                    _ = state.apply(.statementsEnded(elapsed: 0), now: 0)
                    state.query.editor.replaceAll(with: "draft")
                    _ = state.press(.ctrl("p"))
                    return state
                }
            ) { _, after, _ in XCTAssertEqual(after.query.editor.text, "draft", "back past the newest: the text being written") },

            Case(scope: .query, action: .saveSQL, given: editor("select 1;")) { _, after, _ in
                XCTAssertEqual(after.prompt?.purpose, .saveSQL(replacing: false))
                XCTAssertEqual(after.prompt.map { String($0.text) }, "/work/query.sql")
            },
            Case(scope: .query, action: .openSQL, given: editor("select 1;")) { _, after, _ in
                XCTAssertEqual(after.prompt?.purpose, .openSQL)
            },

            // The grid.
            Case(scope: .results, action: .moveDown, given: grid()) { _, after, _ in XCTAssertEqual(after.result.grid.row, 1) },
            Case(scope: .results, action: .moveUp, given: grid { $0.result.grid.row = 5 }) { _, after, _ in XCTAssertEqual(after.result.grid.row, 4)
            },
            Case(scope: .results, action: .columnRight, given: grid()) { _, after, _ in XCTAssertEqual(after.result.grid.column, 1) },
            Case(scope: .results, action: .columnLeft, given: grid { $0.result.grid.column = 2 }) { _, after, _ in
                XCTAssertEqual(after.result.grid.column, 1)
            },
            Case(scope: .results, action: .pageDown, given: grid()) { before, after, _ in
                let page = ResultsPane.dataRows(in: before.layout.panes[.results]!)
                XCTAssertEqual(after.result.grid.row, page, "one page: the rows the grid shows")
            },
            Case(scope: .results, action: .pageUp, given: grid { $0.result.grid.row = 60 }) { before, after, _ in
                XCTAssertEqual(after.result.grid.row, 60 - ResultsPane.dataRows(in: before.layout.panes[.results]!))
            },
            Case(scope: .results, action: .top, given: grid { $0.result.grid.row = 60 }) { _, after, _ in XCTAssertEqual(after.result.grid.row, 0) },
            Case(scope: .results, action: .bottom, given: grid()) { _, after, _ in XCTAssertEqual(after.result.grid.row, 99) },
            Case(scope: .results, action: .firstColumn, given: grid { $0.result.grid.column = 2 }) { _, after, _ in
                XCTAssertEqual(after.result.grid.column, 0)
            },
            Case(scope: .results, action: .lastColumn, given: grid()) { _, after, _ in XCTAssertEqual(after.result.grid.column, 2) },
            Case(scope: .results, action: .freeze(0), given: grid()) { _, after, _ in
                XCTAssertEqual(after.result.grid.frozen, 0, "0 frees")
            },
            Case(scope: .results, action: .openCell, given: grid { $0.result.grid.column = 1 }) { _, after, _ in
                guard case .text(let title, let lines, _) = after.overlay else { return XCTFail("the cell opens") }
                XCTAssertEqual(lines, ["Song 100"])
                XCTAssertEqual(title, "title, row 1 · 8 characters")
            },
            Case(scope: .results, action: .search, given: grid { $0.result.search = "old" }) { _, after, _ in
                XCTAssertEqual(after.prompt?.purpose, .search)
                XCTAssertEqual(after.prompt.map { String($0.text) }, "", "a new search starts empty, not from the last term")
            },
            Case(scope: .results, action: .searchNext, given: grid { $0.result.search = "song 9" }) { _, after, effects in
                XCTAssertEqual(effects, ["find"])
                XCTAssertNotNil(after.result.busy)
            },
            Case(scope: .results, action: .searchPrevious, given: grid()) { _, after, effects in
                XCTAssertEqual(effects, [])
                XCTAssertEqual(after.result.notice, "no search yet: / searches")
            },
            Case(scope: .results, action: .sort, given: grid()) { _, after, effects in
                XCTAssertEqual(effects, ["sort"])
                XCTAssertEqual(after.result.busy, "sorting by song_id ↑…")
            },
            Case(scope: .results, action: .export, given: grid()) { _, after, _ in
                guard let prompt = after.prompt, case .export(replacing: false) = prompt.purpose else { return XCTFail("asks where") }
                XCTAssertTrue(String(prompt.text).hasPrefix("/work/sparkify-result-"), String(prompt.text))
            },
            Case(scope: .results, action: .copyCell, given: grid { $0.result.grid.column = 1 }) { _, after, effects in
                XCTAssertEqual(effects, ["copyToClipboard"])
                XCTAssertEqual(after.result.notice, "copied the cell (8 characters)")
            },
            Case(scope: .results, action: .copyRow, given: grid()) { _, _, effects in
                XCTAssertEqual(effects, ["copyToClipboard"])
            },
            Case(scope: .results, action: .showChecks, given: grid()) { _, after, _ in
                XCTAssertEqual(after.result.notice, "no validation run yet: F7 runs a suite")
            },

            // The validation report.
            Case(scope: .checks, action: .moveDown, given: Fixture.withReport) { before, after, _ in
                XCTAssertEqual(after.result.validation?.selected, (before.result.validation?.selected ?? 0) + 1)
            },
            Case(
                scope: .checks, action: .moveUp,
                given: {
                    var state = Fixture.withReport()
                    state.result.validation?.selected = 2
                    return state
                }
            ) { _, after, _ in XCTAssertEqual(after.result.validation?.selected, 1) },
            Case(
                scope: .checks, action: .openCheck,
                given: {
                    var state = Fixture.withReport()
                    state.query.editor.replaceAll(with: "select 'my own work';")
                    return state
                }
            ) { _, after, effects in
                XCTAssertEqual(effects, ["appendHistory", "runStatements", "keepEditorText"])
                XCTAssertTrue(after.query.editor.text.hasPrefix("-- check: "))
                XCTAssertEqual(after.query.editor.cursor, .init(line: 0, column: 0), "opens at its start, not scrolled sideways")
                XCTAssertEqual(after.query.replacedText, "select 'my own work';", "the user's text is kept for Ctrl-Z")
            },
            Case(scope: .checks, action: .showRows, given: Fixture.withReport) { _, after, _ in XCTAssertEqual(after.result.mode, .rows) },
            Case(scope: .checks, action: .rerunSuite, given: Fixture.withReport) { _, after, effects in
                XCTAssertEqual(effects, ["runSuite"])
                XCTAssertTrue(after.query.running)
            },

            // The viewer.
            Case(scope: .viewer, action: .moveDown, given: overlay(.text(title: "t", lines: sqlLines, scroll: 0))) { _, after, _ in
                guard case .text(_, _, 1) = after.overlay else { return XCTFail("scrolls a line") }
            },
            Case(scope: .viewer, action: .moveUp, given: overlay(.text(title: "t", lines: sqlLines, scroll: 5))) { _, after, _ in
                guard case .text(_, _, 4) = after.overlay else { return XCTFail("scrolls a line") }
            },
            Case(scope: .viewer, action: .pageDown, given: overlay(.text(title: "t", lines: sqlLines, scroll: 0))) { _, after, _ in
                guard case .text(_, _, 18) = after.overlay else { return XCTFail("scrolls half a screen: \(String(describing: after.overlay))") }
            },
            Case(scope: .viewer, action: .pageUp, given: overlay(.text(title: "t", lines: sqlLines, scroll: 30))) { _, after, _ in
                guard case .text(_, _, 12) = after.overlay else { return XCTFail("scrolls half a screen") }
            },
            Case(scope: .viewer, action: .top, given: overlay(.text(title: "t", lines: sqlLines, scroll: 30))) { _, after, _ in
                guard case .text(_, _, 0) = after.overlay else { return XCTFail("to the top") }
            },
            Case(scope: .viewer, action: .bottom, given: overlay(.text(title: "t", lines: sqlLines, scroll: 0))) { _, after, _ in
                guard case .text(_, _, 168) = after.overlay else { return XCTFail("to the last page: \(String(describing: after.overlay))") }
            },
            Case(scope: .viewer, action: .close, given: overlay(.text(title: "t", lines: sqlLines, scroll: 0))) { _, after, _ in
                XCTAssertNil(after.overlay)
            },

            // The suite picker.
            Case(
                scope: .picker, action: .moveDown,
                given: {
                    var s = Fixture.connected()
                    s.openSuitePicker()
                    return s
                }
            ) { _, after, _ in
                guard case .suites(let picker) = after.overlay else { return XCTFail() }
                XCTAssertEqual(picker.selected, 1)
            },
            Case(
                scope: .picker, action: .moveUp,
                given: {
                    var state = Fixture.connected()
                    state.openSuitePicker()
                    _ = state.press(.down)
                    return state
                }
            ) { _, after, _ in
                guard case .suites(let picker) = after.overlay else { return XCTFail() }
                XCTAssertEqual(picker.selected, 0)
            },
            Case(
                scope: .picker, action: .confirm,
                given: {
                    var s = Fixture.connected()
                    s.openSuitePicker()
                    return s
                }
            ) { _, after, effects in
                XCTAssertEqual(effects, ["runSuite"])
                XCTAssertNil(after.overlay)
                XCTAssertEqual(after.result.mode, .checks)
                XCTAssertEqual(after.result.validation?.suite.checks.count, DefaultSuite.suite.checks.count)
            },
            Case(
                scope: .picker, action: .close,
                given: {
                    var s = Fixture.connected()
                    s.openSuitePicker()
                    return s
                }
            ) { _, after, _ in XCTAssertNil(after.overlay) },

            // The prompt.
            Case(scope: .prompt, action: .confirm, given: prompt("song 5")) { _, after, effects in
                XCTAssertEqual(effects, ["find"])
                XCTAssertNil(after.prompt)
                XCTAssertEqual(after.result.search, "song 5")
            },
            Case(scope: .prompt, action: .close, given: prompt("song")) { _, after, effects in
                XCTAssertNil(after.prompt)
                XCTAssertEqual(effects, [])
            },
            Case(scope: .prompt, action: .cursorLeft, given: prompt("abc")) { _, after, _ in XCTAssertEqual(after.prompt?.cursor, 2) },
            Case(scope: .prompt, action: .cursorRight, given: prompt("abc", cursor: 0)) { _, after, _ in XCTAssertEqual(after.prompt?.cursor, 1) },
            Case(scope: .prompt, action: .lineStart, given: prompt("abc")) { _, after, _ in XCTAssertEqual(after.prompt?.cursor, 0) },
            Case(scope: .prompt, action: .lineEnd, given: prompt("abc", cursor: 0)) { _, after, _ in XCTAssertEqual(after.prompt?.cursor, 3) },
            Case(scope: .prompt, action: .deleteBack, given: prompt("abc")) { _, after, _ in
                XCTAssertEqual(after.prompt.map { String($0.text) }, "ab")
            },
            Case(scope: .prompt, action: .deleteToLineStart, given: prompt("abc")) { _, after, _ in
                XCTAssertEqual(after.prompt.map { String($0.text) }, "")
            },

            // Help.
            Case(scope: .help, action: .moveDown, given: overlay(.help(scroll: 0))) { _, after, _ in
                guard case .help(1) = after.overlay else { return XCTFail() }
            },
            Case(scope: .help, action: .moveUp, given: overlay(.help(scroll: 3))) { _, after, _ in
                guard case .help(2) = after.overlay else { return XCTFail() }
            },
            Case(scope: .help, action: .pageDown, given: overlay(.help(scroll: 0))) { _, after, _ in
                guard case .help(let scroll) = after.overlay, scroll > 1 else { return XCTFail("PgDn scrolls the help a page") }
            },
            Case(scope: .help, action: .pageUp, given: overlay(.help(scroll: 40))) { _, after, _ in
                guard case .help(let scroll) = after.overlay, scroll < 39 else { return XCTFail("PgUp scrolls the help a page") }
            },
            Case(scope: .help, action: .top, given: overlay(.help(scroll: 40))) { _, after, _ in
                guard case .help(0) = after.overlay else { return XCTFail() }
            },
            Case(scope: .help, action: .bottom, given: overlay(.help(scroll: 0))) { before, after, _ in
                let last = HelpScreen.lines.count - before.helpBox.inner.height
                guard case .help(last) = after.overlay else { return XCTFail("G: the last page, \(last)") }
            },
            Case(scope: .help, action: .close, given: overlay(.help(scroll: 0))) { _, after, _ in XCTAssertNil(after.overlay) },

            // Questions.
            Case(scope: .confirm, action: .confirmQuit, given: overlay(.confirmQuit("a query"))) { _, after, effects in
                XCTAssertTrue(after.quitting)
                XCTAssertEqual(effects, ["cancelSteps", "cancelQuery", "cancelExport", "keepEditorText"])
            },
            Case(scope: .confirm, action: .stay, given: overlay(.confirmQuit("a query"))) { _, after, _ in
                XCTAssertNil(after.overlay)
                XCTAssertFalse(after.quitting)
            },
            Case(scope: .confirmRun, action: .confirmRun, given: overlay(.confirmRun([.drop, .create]))) { _, after, effects in
                XCTAssertEqual(effects, ["runSteps"])
                XCTAssertTrue(after.running)
            },
            Case(scope: .confirmRun, action: .stay, given: overlay(.confirmRun([.drop]))) { _, after, effects in
                XCTAssertEqual(effects, [])
                XCTAssertFalse(after.running)
                XCTAssertNil(after.overlay)
            },
        ]
    }

    func testEveryBindingInTheKeyTableIsReducedAsItSays() {
        for testCase in Self.cases {
            var state = testCase.given()
            XCTAssertEqual(
                state.scope == testCase.scope || testCase.scope == .everywhere, true,
                "\(testCase.action) is tried in \(testCase.scope), the state is in \(state.scope)")
            let before = state
            let effects = state.press(Self.key(for: testCase.action, in: testCase.scope))
            testCase.check(before, state, names(effects))
        }
    }

    func testTheCasesCoverTheWholeKeyTable() {
        let covered = Set(Self.cases.map { "\($0.scope) \($0.action)" })
        for binding in Keymap.bindings {
            XCTAssertTrue(covered.contains("\(binding.scope) \(binding.action)"), "no reducer test for \(binding.scope): \(binding.summary)")
        }
    }

    func testADigitFreezesThatManyColumns() {
        var (state, _) = Fixture.withResult()
        _ = state.press(.char("2"))
        XCTAssertEqual(state.result.grid.frozen, 2)
        _ = state.press(.char("9"))
        XCTAssertEqual(state.result.grid.frozen, 2, "no more than the columns less one")
    }
}
