import XCTest

@testable import Console
@testable import PostgresClient
@testable import Warehouse

/// The result grid in an in-memory screen: frozen columns, the header kept, NULL apart from the
/// empty string, numbers right-aligned, wide characters measured by display width.
final class GridRenderingTests: XCTestCase {
    private struct Row: CellRow {
        var cells: [[UInt8]?]
        var count: Int { cells.count }
        func isNull(_ column: Int) -> Bool { cells[column] == nil }
        func bytes(_ column: Int) -> UnsafeBufferPointer<UInt8> {
            cells[column]!.withUnsafeBufferPointer { UnsafeBufferPointer(start: $0.baseAddress, count: $0.count) }
        }
    }

    /// A console showing `rows` as the result of a finished statement, its grid focused.
    private func console(columns: [Column], rows: [[String?]], finished: Bool = true, capped: Bool = false) -> (ConsoleState, ResultRows) {
        var state = ConsoleState(version: "9", cluster: ClusterStatus(kind: .embedded, settings: nil))
        state.focus = .results
        let store = ResultRows(columns: columns)
        _ = state.apply(.resultStarted(store), now: 0)
        for row in rows { store.append(Row(cells: row.map { $0.map { Array($0.utf8) } })) }
        if finished {
            store.finish()
            _ = state.apply(
                .statementFinished(index: 0, rows: rows.count, commandTag: "SELECT \(rows.count)", elapsed: 0.004, capped: capped), now: 0)
        }
        return (state, store)
    }

    private func render(_ state: inout ConsoleState, rows: Int = 36, cols: Int = 120) -> ScreenBuffer {
        state.size = ScreenSize(rows: rows, cols: cols)
        state.settle()
        let screen = ScreenBuffer(rows: rows, cols: cols)
        ConsoleView.render(state, into: screen, now: 1)
        return screen
    }

    private static let text = Column(name: "title", typeOID: 25)
    private static let count = Column(name: "plays", typeOID: 20)

    func testNullEmptyNumbersAndWideText() {
        var (state, _) = console(
            columns: [Self.text, Self.count, Column(name: "note", typeOID: 25)],
            rows: [["東京の夜", "7", nil], ["Café", "1234", ""]])
        state.result.grid.row = 1  // the selection on the second row leaves the first row's styles plain
        let screen = render(&state)
        let first = screen.find("東京の夜")!
        let second = screen.find("Café")!
        XCTAssertEqual(first.col, second.col)
        XCTAssertEqual(screen.find("title")!.row + 1, first.row, "the header is right above the rows")
        let sevenEnd = screen.find("    7")!.col + 5
        let thousandsEnd = screen.find("1234")!.col + 4
        XCTAssertEqual(sevenEnd, thousandsEnd, "numbers are right-aligned")
        let null = screen.find("∅")!
        XCTAssertEqual(null.row, first.row, "NULL is the first row's note")
        XCTAssertEqual(screen[null.row, null.col].style, .null)
        XCTAssertEqual(screen[second.row, null.col].text, " ", "the empty string is empty, not ∅")
        XCTAssertNotNil(screen.find("2 rows in 4.0 ms"))
        XCTAssertNotNil(screen.find("row 2 of 2"))
    }

    func testFrozenColumnsStayWhileTheRestScroll() {
        let columns = [Column(name: "user_id", typeOID: 23)] + (1...12).map { Column(name: "wide_column_\($0)", typeOID: 25) }
        let row: [String?] = ["42"] + (1...12).map { "value of column \($0) here" }
        var (state, _) = console(columns: columns, rows: [row])
        state.result.grid.frozen = 1
        state.result.grid.column = 12
        let screen = render(&state)
        let header = screen.find("user_id")!
        XCTAssertNotNil(screen.find("wide_column_12"), "the selected last column is on screen")
        XCTAssertNil(screen.find("wide_column_1 "), "the first scrolling columns went off to the left")
        XCTAssertEqual(screen[header.row, header.col + 7].text, "│", "a bar marks the frozen edge")
        XCTAssertEqual(screen.find("42")?.row, header.row + 1)
        for line in 0..<screen.rows {
            XCTAssertLessThanOrEqual(DisplayWidth.of(screen.text(row: line)), 120)
        }
    }

    func testScrollingToTheEndKeepsTheHeader() {
        let rows = (1...1_000).map { [String($0), "title \($0)"] as [String?] }
        var (state, _) = console(columns: [Self.count, Self.text], rows: rows)
        state.result.grid.row = Int.max / 2
        let screen = render(&state)
        XCTAssertNotNil(screen.find("row 1,000 of 1,000"))
        let header = screen.find("plays")!
        XCTAssertNotNil(screen.find("title 1000"))
        XCTAssertEqual(screen[header.row + 1, header.col].text, " ", "rows scroll under a header that stays")
        XCTAssertLessThan(header.row, screen.find("title 1000")!.row)
    }

    func testALoadingResultShowsItsCountAndACappedOneSaysSo() {
        var (loading, store) = console(columns: [Self.text], rows: [["a"], ["b"]], finished: false)
        var screen = render(&loading)
        XCTAssertNotNil(screen.find("loading · 2 rows so far"), screen.text)
        store.finish()
        var (capped, _) = console(columns: [Self.text], rows: [["a"], ["b"]], capped: true)
        screen = render(&capped)
        XCTAssertNotNil(screen.find("first 2 rows: the row cap (--row-cap)"))
        XCTAssertNotNil(screen.find("row 1 of 2+"))
    }

    func testSortedColumnShowsItsArrow() {
        var (state, store) = console(columns: [Self.count, Self.text], rows: [["2", "b"], ["1", "a"]])
        _ = state.apply(.sorted(store, order: store.sortedOrder(by: 0, descending: true)!, column: 0, descending: true), now: 0)
        let screen = render(&state)
        XCTAssertNotNil(screen.find("↓pla…"), "the arrow shows, the name gives way")
        XCTAssertNotNil(screen.find("sorted by plays ↓"), screen.text)
        XCTAssertLessThan(screen.find("b")!.row, screen.find("a ")?.row ?? Int.max)
    }

    /// A column cut at the pane's edge says so: its values end in "…", and its header shows as
    /// much of its name as fits (a number cut to its first digits must not read as another number).
    func testTheLastColumnCutAtTheEdgeSaysItGoesOn() {
        let wide = Column(name: "description", typeOID: 25)
        let duration = Column(name: "duration", typeOID: 701)
        var (state, _) = console(columns: [wide, duration], rows: [[String(repeating: "x", count: 40), "320.10291"]])
        let screen = render(&state, rows: 24, cols: 80)
        let header = screen.find("description")!
        let line = screen.text(row: header.row + 1)
        XCTAssertTrue(line.contains("320.1…"), "the cut number ends in …:\n\(screen.text)")
        XCTAssertFalse(line.contains("320.1029 "), "never a shorter number with no mark")
        XCTAssertNotNil(screen.find("dura"), "the header stays, cut too:\n\(screen.text)")
    }

    /// A one-column result (EXPLAIN's plan) uses the width there is, not the 40-cell cap.
    func testASingleWideColumnUsesTheWholeWidth() {
        let plan = Column(name: "QUERY PLAN", typeOID: 25)
        let text = "Seq Scan on songplays  (cost=0.00..1234.00 rows=6820 width=64) (actual time=0.010..2.345 rows=6820 loops=1)"
        var (state, _) = console(columns: [plan], rows: [[text]])
        state.overlay = nil  // the plan's tree opens over the grid by itself; the text rows are behind it
        state.zoomed = true
        let screen = render(&state, rows: 24, cols: 160)
        XCTAssertNotNil(screen.find("width=64) (actual time=0.010"), screen.text)
    }

    /// A one-letter column sorted keeps its name beside the arrow.
    func testASortedOneLetterColumnKeepsItsName() {
        var (state, store) = console(columns: [Column(name: "n", typeOID: 23), Self.text], rows: [["2", "b"], ["1", "a"]])
        _ = state.apply(.sorted(store, order: store.sortedOrder(by: 0, descending: false)!, column: 0, descending: false), now: 0)
        let screen = render(&state)
        XCTAssertNotNil(screen.find("↑n"), screen.text)
    }
}
