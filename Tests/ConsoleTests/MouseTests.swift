import XCTest

@testable import Console
@testable import Warehouse

/// The mouse: SGR reports read out of the keys curses hands over, and what a click or the
/// wheel does where it points.
final class MouseTests: XCTestCase {
    private func report(_ body: String, _ final: Character = "M") -> [Key] {
        [.escape, .char("["), .char("<")] + body.map { .char($0) } + [.char(final)]
    }

    func testReportsBecomeMouseKeysAndOtherKeysStayAsTheyWere() {
        XCTAssertEqual(CursesTerminal.combine(report("0;10;5")), [.mouse(Mouse(kind: .click, row: 4, col: 9))])
        XCTAssertEqual(CursesTerminal.combine(report("64;3;2")), [.mouse(Mouse(kind: .wheelUp, row: 1, col: 2))])
        XCTAssertEqual(CursesTerminal.combine(report("65;3;2")), [.mouse(Mouse(kind: .wheelDown, row: 1, col: 2))])
        XCTAssertEqual(CursesTerminal.combine(report("0;10;5", "m")), [], "a release does nothing")
        XCTAssertEqual(CursesTerminal.combine(report("32;10;5")), [], "nor a drag")
        XCTAssertEqual(
            CursesTerminal.combine([.escape, .char("x")] + report("0;1;1") + [.char("q")]),
            [.alt("x"), .mouse(Mouse(kind: .click, row: 0, col: 0)), .char("q")])
        XCTAssertEqual(CursesTerminal.combine([.escape]), [.escape])
        XCTAssertEqual(
            CursesTerminal.combine([.escape, .char("["), .char("<"), .char("x")]), [.alt("["), .char("<"), .char("x")],
            "not a report: Alt and the rest, as before")
        XCTAssertEqual(Keymap.action(for: .mouse(Mouse(kind: .wheelDown, row: 3, col: 4)), in: .query), .scroll(lines: 3, row: 3, col: 4))
    }

    func testAClickFocusesThePaneAndSelectsTheCellUnderIt() throws {
        var (state, _) = Fixture.withResult(rows: 100)
        state.focus = .runner
        state.settle()
        let grid = ResultsPane.gridArea(in: try XCTUnwrap(state.layout.panes[.results]))
        // The third data line (the header is the first), in the second column.
        let widths = GridState.widths(columns: Fixture.columns, content: state.result.rows!.columnWidths, room: grid.width)
        _ = state.reduce(.click(row: grid.row + 3, col: grid.col + widths[0] + 2), Fixture.moment)
        XCTAssertEqual(state.focus, .results)
        XCTAssertEqual(state.result.grid.row, 2)
        XCTAssertEqual(state.result.grid.column, 1)
        _ = state.reduce(.scroll(lines: 3, row: grid.row + 3, col: grid.col), Fixture.moment)
        XCTAssertEqual(state.result.grid.row, 5, "the wheel scrolls the grid under it")
    }

    func testAClickInTheTablesOrTheRunnerSelectsWhatIsThere() throws {
        var state = Fixture.connected()
        state.settle()
        let tables = try XCTUnwrap(state.layout.panes[.tables]).inner
        _ = state.reduce(.click(row: tables.row + 2, col: tables.col + 4), Fixture.moment)  // staging, events, songs
        XCTAssertEqual(state.focus, .tables)
        XCTAssertEqual(state.counts[state.selectedTable].table, "staging.songs")
        let runner = try XCTUnwrap(state.layout.panes[.runner]).inner
        _ = state.reduce(.click(row: runner.row + 3, col: runner.col + 4), Fixture.moment)
        XCTAssertEqual(state.focus, .runner)
        XCTAssertEqual(state.steps[state.selectedStep].step, .copy(StarSchema.stagingSongs))
        state.overlay = .help(scroll: 0)
        _ = state.reduce(.click(row: tables.row + 1, col: tables.col + 4), Fixture.moment)
        XCTAssertEqual(state.focus, .runner, "a click does not reach behind an overlay")
        _ = state.reduce(.scroll(lines: 3, row: 5, col: 5), Fixture.moment)
        guard case .help(let scroll) = state.overlay else { return XCTFail() }
        XCTAssertEqual(scroll, 3, "the wheel scrolls the overlay")
    }
}
