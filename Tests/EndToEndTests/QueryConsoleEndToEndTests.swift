import Foundation
import XCTest

@testable import PostgresClient
@testable import TestSupport
@testable import Warehouse

/// The query editor and the result grid, driven through the real binary in tmux against the
/// test server: a big result browsed to its end, a cancelled sleep, an error's position.
final class QueryConsoleEndToEndTests: XCTestCase {
    override class func tearDown() {
        TmuxSession.killServer()
        super.tearDown()
    }

    /// A console on a fresh database of the test server, its editor focused (Tab from the runner).
    private func console(_ label: String, arguments: [String] = []) throws -> (TmuxSession, ConnectionSettings) {
        let settings = try TestServer.freshDatabase(label)
        let config = SparkifyBinary.configForTestServer(database: settings.database!)
        let console = try TmuxSession(["--config", config] + arguments)
        try console.waitFor(text: "● connected")
        try console.press("Tab")
        return (console, settings)
    }

    /// Opens a prompt with `keys`, types `text` over what it suggests, and presses Enter.
    private func answer(_ console: TmuxSession, opening keys: String..., prompt: String, with text: String) throws {
        try console.press(keys)
        try console.waitFor(text: prompt)
        try console.press("C-u")
        try console.type(text)
        try console.press("Enter")
    }

    /// `x` in the grid, the path typed over the suggested one, and the footer's word that it is done.
    private func export(_ console: TmuxSession, to path: String, rows: String) throws {
        try answer(console, opening: "x", prompt: "export to", with: path)
        try console.waitFor(text: "exported \(rows) rows to")
    }

    func testAHundredThousandRowsStreamAndScrollToTheEnd() throws {
        let (console, _) = try console("grid_100k")
        try console.type(
            "select g as n, 'row ' || g as label, case when g % 10 = 0 then null else md5(g::text) end as hash from generate_series(1, 100000) g;")
        try console.press("F5")
        var screen = try console.waitFor(text: "100,000 rows in")
        XCTAssertNotNil(screen.line(containing: "row 1 "), "the first rows are on screen:\n\(screen)")
        try console.leaveEditor()  // to the grid
        try console.press("G")
        // The frame's position and the rows under it: a capture can land mid-repaint, so wait
        // for both rather than read a half-drawn screen.
        screen = try console.waitFor("the last row on screen") { $0.contains("row 100,000 of 100,000") && $0.contains("row 100000") }
        XCTAssertNotNil(screen.line(containing: "label"), "the header stays on screen at the end:\n\(screen)")
        let last = try XCTUnwrap(screen.line(containing: "row 100000"))
        XCTAssertTrue(last.contains("∅"), "row 100000's hash is NULL and shown as ∅: \(last)")

        // Sort by the label (text order), then find a row by search.
        try console.press("l", "s")
        screen = try console.waitFor(text: "sorted by label ↑")
        try console.press("g", "/")
        try console.type("row 99999")
        try console.press("Enter")
        screen = try console.waitFor("the search's row selected") { $0.contains("row 99999 ") && !$0.contains("searching") }
        XCTAssertNil(screen.line(containing: "no match"), screen)

        // Export: every row, in the order shown, while the console stays live.
        let path = TestServer.scratchDirectory("grid-export") + "/result.csv"
        try export(console, to: path, rows: "100,000")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, 100_001, "a header and every row")
        XCTAssertEqual(lines[0], "n,label,hash")
        XCTAssertTrue(lines[1].hasPrefix("1,row 1,"), "sorted by label, 'row 1' comes first: \(lines[1])")
        XCTAssertTrue(lines[2].hasPrefix("10,row 10,"), "text order: 'row 10' next, not 'row 2': \(lines[2])")
        XCTAssertTrue(lines.contains("100000,row 100000,"), "NULL is an empty field")
    }

    func testTheRowCapKeepsTheFirstRowsAndAnExportStillHasThemAll() throws {
        let (console, _) = try console("grid_cap", arguments: ["--row-cap", "1000"])
        try console.type("select g from generate_series(1, 5000) g;")
        try console.press("F5")
        try console.waitFor(text: "first 1,000 rows: the row cap (--row-cap)")
        try console.leaveEditor()
        try console.press("G")
        try console.waitFor(text: "row 1,000 of 1,000+")
        let path = TestServer.scratchDirectory("grid-cap-export") + "/all.json"
        try export(console, to: path, rows: "5,000")
        let rows = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [[String: Any]]
        XCTAssertEqual(rows?.count, 5_000, "the export ran the query again for every row")
        XCTAssertEqual(rows?.last?["g"] as? Int, 5_000)

        // The same path again: asked first, and Esc keeps the file as it is.
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        try answer(console, opening: "x", prompt: "export to", with: path)
        try console.waitFor(text: "replace the existing file?")
        try console.press("Escape")
        try console.waitFor("the prompt gone") { !$0.contains("replace the existing file?") }
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), before)
    }

    func testASuiteFromAFileShowsAFailedCheckThatOpensWithItsWholeResult() throws {
        let suite = TestServer.scratchDirectory("console-suite") + "/checks.sql"
        try """
        -- check: one is one
        -- expect: 1
        SELECT 1;

        -- check: three rows expected
        -- expect rows:
        -- a
        -- b
        -- c
        SELECT x FROM (VALUES ('a'), ('b'), ('z')) v(x) ORDER BY x;
        """.write(toFile: suite, atomically: true, encoding: .utf8)
        let (console, _) = try console("grid_suite")
        try console.press("F7")
        try console.waitFor(text: "Another suite file")
        try answer(console, opening: "Down", "Enter", prompt: "suite file:", with: suite)
        var screen = try console.waitFor(text: "1 passed · 1 failed · 2 checks")
        XCTAssertNotNil(screen.line(containing: "expected c, got z"), screen)
        try console.press("Enter")  // the failed check is selected
        screen = try console.waitFor(text: "3 rows in")
        XCTAssertNotNil(screen.line(containing: "-- check: three rows expected"), "the check's query is in the editor:\n\(screen)")
        XCTAssertNotNil(screen.line(containing: "-- expect rows:"), screen)
        XCTAssertNotNil(screen.line(containing: " z "), "its whole result is in the grid:\n\(screen)")
        try console.press("v")
        try console.waitFor(text: "1 passed · 1 failed · 2 checks")
    }

    func testCtrlCCancelsASleepOnTheServerAndTheNextQueryRunsAtOnce() throws {
        let (console, settings) = try console("grid_cancel")
        try console.type("select pg_sleep(120) as slept;")
        try console.press("F5")
        try console.waitFor(text: "Ctrl-C cancels")
        let observer = try Connection(settings)
        defer { observer.close() }
        let sleeping = "select count(*) from pg_stat_activity where state = 'active' and query like 'select pg_sleep(120)%'"
        XCTAssertEqual(try observer.execute(sleeping).scalar, "1", "the sleep runs on the server")
        try console.press("C-c")
        try console.waitFor(text: "cancelled on the server")
        XCTAssertEqual(try observer.execute(sleeping).scalar, "0", "the server stopped it, not just the screen")
        try console.press("C-u")
        try console.type("select 'after the cancel' as next;")
        try console.press("F5")
        let screen = try console.waitFor(text: "1 row in", timeout: 10)
        XCTAssertNotNil(screen.line(containing: "after the cancel"), screen)
        XCTAssertNil(screen.line(containing: "another command is already in progress"), screen)
    }

    func testAnErrorShowsTheServersWordsAndItsPositionInTheEditor() throws {
        let (console, _) = try console("grid_error")
        try console.type("select 1 as fine;")
        try console.press("Enter")
        try console.type("select titel from pg_catalog.pg_class where false;")
        try console.press("F5")
        let screen = try console.waitFor(text: "ERROR 42703")
        XCTAssertNotNil(screen.line(containing: "column \"titel\" does not exist"), screen)
        XCTAssertNotNil(screen.line(containing: "at line 2, column 8 of the editor"), screen)
        // The word is marked in the editor: reverse video on exactly "titel".
        let coloured = try console.screenWithColours()
        let line = coloured.line(containing: "titel") ?? ""
        XCTAssertTrue(line.contains("\u{1b}[") && line.range(of: "titel")!.lowerBound > line.startIndex, line)
        XCTAssertTrue(line.contains("7m") || line.contains(";7"), "the error mark is drawn in reverse: \(line.debugDescription)")
    }

    /// A transaction left open in the editor holds its locks; a step that needs them waits,
    /// and the runner says whose they are instead of only counting seconds.
    func testAStepWaitingOnTheEditorsTransactionSaysSo() throws {
        let (console, _) = try console("lock_wait")
        try console.type("create schema if not exists staging; create table staging.events (x int);")
        try console.press("F6")
        try console.waitFor(text: "2 statements in")
        try console.press("C-u")
        try console.type("begin; select * from staging.events;")
        try console.press("F6")
        try console.waitFor(text: "in a transaction: COMMIT or ROLLBACK ends it")
        try console.press("BTab")  // back to the runner, drop selected
        try console.press("Enter")
        try console.waitFor(text: "for a lock held by the query editor's open transaction")
        try console.press("Tab")
        try console.press("C-u")
        try console.type("rollback;")
        try console.press("F5")
        let screen = try console.waitFor("the drop done") { screen in
            screen.split(separator: "\n").contains { $0.contains("▸ drop") && $0.contains("✓ done") }
        }
        XCTAssertNil(screen.line(containing: "in a transaction:"), "the editor's transaction is over:\n\(screen)")
    }

    /// psql's habits: `\\d NAME` in the grid, `\\x` for one record at a time.
    func testBackslashCommandsAnswerInTheGrid() throws {
        let (console, _) = try console("meta")
        try console.type("create table public.t_meta (id int primary key, name text not null default 'x');")
        try console.press("F5")
        try console.waitFor(text: "CREATE TABLE in")
        try console.press("C-u")
        try console.type("\\d t_meta")
        try console.press("F5")
        let described = try console.waitFor(text: "nullable")  // the \\d result's header, not the editor's text
        XCTAssertNotNil(described.line(containing: "'x'::text"), "the default shows:\n\(described)")
        XCTAssertNotNil(described.line(containing: "primary key"), described)
        try console.press("C-u")
        try console.type("\\x")
        try console.press("F5")
        try console.waitFor(text: "expanded display is on")
        try console.press("C-u")
        try console.type("select 42 as answer, 'forty-two' as words;")
        try console.press("F5")
        let expanded = try console.waitFor(text: "record 1 of 1")
        XCTAssertNotNil(expanded.line(containing: "words  │ forty-two"), expanded)
    }

    /// Tab completes a table from the catalog (read again after the CREATE), the list opens as
    /// you type a column, Down and Enter take one; Esc leaves the editor.
    func testTablesAndColumnsCompleteInTheEditor() throws {
        let (console, _) = try console("completion")
        try console.type("create table listening (listen_hour integer, listen_count integer);")
        try console.press("F5")
        try console.waitFor(text: "CREATE TABLE")
        try console.press("C-u")
        try console.type("select * from liste")
        // The catalog is read again after the CREATE, on the monitor's session: Tab until it is.
        try console.waitFor("the table completed") { screen in
            if screen.contains("select * from listening") { return true }
            _ = try? console.press("Tab")
            return false
        }
        // Typed this fast, the text arrives as a paste, which opens no list; Tab does.
        try console.type(" where listen_")
        try console.press("Tab")
        var screen = try console.waitFor(text: "listen_count")
        XCTAssertNotNil(screen.line(containing: "listen_hour"), "both columns listed:\n\(screen)")
        XCTAssertNotNil(screen.line(containing: "integer"), "with their type:\n\(screen)")
        try console.press("Down")
        try console.press("Enter")
        screen = try console.waitFor(text: "where listen_count")
        try console.leaveEditor()
    }

    /// F6 runs two statements: each keeps its result, [ steps back to the first, p pins it and
    /// the next run keeps it.
    func testEachStatementsResultIsKeptAndAPinnedOneStays() throws {
        let (console, _) = try console("kept_results")
        try console.type("select 'first answer' as said; select 'second answer' as said;")
        try console.press("F6")
        try console.waitFor(text: "Result 2 of 2")
        try console.leaveEditor()
        try console.press("[")
        var screen = try console.waitFor(text: "Result 1 of 2")
        XCTAssertNotNil(screen.line(containing: "first answer"), screen)
        try console.press("p")
        try console.waitFor(text: "pinned: the next run keeps this result")
        try console.press("BTab")
        try console.press("C-u")
        try console.type("select 'third answer' as said;")
        try console.press("F5")
        screen = try console.waitFor(text: "Result 2 of 2")
        XCTAssertNotNil(screen.line(containing: "third answer"), screen)
        try console.leaveEditor()
        try console.press("[")
        screen = try console.waitFor(text: "Result 1 of 2 · pinned")
        XCTAssertNotNil(screen.line(containing: "first answer"), screen)
    }

    /// C draws the result as bars: a value twice another's has a bar twice as long.
    func testAResultIsDrawnAsABarChart() throws {
        let (console, _) = try console("chart")
        try console.type("select * from (values ('paid', 60), ('free', 30)) as plays(level, n);")
        try console.press("F5")
        try console.waitFor(text: "2 rows in")
        try console.leaveEditor()
        try console.press("C")
        let screen = try console.waitFor(text: "Chart:")
        let bar = { (label: String) -> Int in screen.line(containing: "│ \(label)")?.filter { $0 == "█" }.count ?? 0 }
        XCTAssertGreaterThan(bar("free"), 10, screen)
        XCTAssertEqual(Double(bar("paid")), Double(bar("free")) * 2, accuracy: 1, screen)
        XCTAssertNotNil(screen.line(containing: "█ 60"), screen)
        try console.press("Escape")
        try console.waitFor("the chart closed") { !$0.contains("Chart:") }
    }

    /// f narrows the grid to the rows matching a term and says how many of how many.
    func testAFilterNarrowsTheGrid() throws {
        let (console, _) = try console("filter")
        try console.type("select g, 'item ' || g as label from generate_series(1, 40) g;")
        try console.press("F5")
        try console.waitFor(text: "40 rows in")
        try console.leaveEditor()
        try console.press("f")
        try console.waitFor(text: "filter (empty: every row):")
        try console.type("item 3")
        try console.press("Enter")
        let screen = try console.waitFor(text: "filter 'item 3': 11 of 40 rows")
        XCTAssertNotNil(screen.line(containing: "item 39"), screen)
        XCTAssertNil(screen.line(containing: "item 4 "), screen)
    }

    /// EXPLAIN ANALYZE opens as a tree with the costliest node marked; Esc shows the text rows, P the tree again.
    func testAnExplainOpensAsATree() throws {
        let (console, _) = try console("plan")
        try console.type("explain analyze select g % 7 as k, count(*) from generate_series(1, 50000) g group by 1 order by 2;")
        try console.press("F5")
        let screen = try console.waitFor(text: "◆ costliest")
        XCTAssertNotNil(screen.line(containing: "Plan: times are milliseconds"), screen)
        XCTAssertNotNil(screen.line(containing: "└─ "), screen)
        try console.press("Escape")
        try console.waitFor(text: "QUERY PLAN")
        try console.leaveEditor()
        try console.press("P")
        try console.waitFor(text: "◆ costliest")
    }

    /// The editor's text outlives the console: quit, start again, and it is there; a password
    /// in it is kept masked, in a file only its owner may read.
    func testTheEditorsTextSurvivesARestart() throws {
        let settings = try TestServer.freshDatabase("draft")
        let config = SparkifyBinary.configForTestServer(database: settings.database!)
        let state = TestServer.scratchDirectory("draft-state")
        var console = try TmuxSession(["--config", config], environment: ["XDG_STATE_HOME": state])
        try console.waitFor(text: "● connected")
        try console.press("Tab")
        try console.type("select 'kept between sessions' as note; -- alter user x password 'sekrit-value'")
        try console.press("F10")
        try console.waitFor(text: "EXIT=0")
        let file = state + "/sparkify/editor.sql"
        let kept = try String(contentsOfFile: file, encoding: .utf8)
        XCTAssertTrue(kept.contains("kept between sessions"), kept)
        XCTAssertFalse(kept.contains("sekrit-value"), "a password is masked as in the history: \(kept)")
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
        console = try TmuxSession(["--config", config], environment: ["XDG_STATE_HOME": state])
        try console.waitFor(text: "● connected")
        try console.waitFor(text: "select 'kept between sessions' as note;")
    }

    /// S in the Tables pane draws the star from the catalog: a half-made warehouse shows its
    /// dropped column and its missing table.
    func testTheStarSchemaIsDrawnFromTheCatalog() throws {
        let (console, _) = try console("star")
        try console.type(
            "create schema analytics; create table analytics.songplays (songplay_id bigint, start_time timestamp, user_id int, song_id text, artist_id text); create table analytics.users (user_id int, first_name text); create table analytics.songs (song_id text); create table analytics.artists (artist_id text);"
        )
        try console.press("F6")
        try console.waitFor(text: "5 statements in")
        try console.press("BTab", "BTab")  // editor → runner → tables
        try console.press("S")
        let screen = try console.waitFor(text: "The star schema, as the database holds it")
        for expected in ["songplays", "◆ user_id", "✗ last_name: missing", "not in the database", " song_id "] {
            XCTAssertNotNil(screen.line(containing: expected), "\(expected):\n\(screen)")
        }
    }

    /// A click (an xterm SGR report, as a terminal sends it) focuses the Tables pane and
    /// selects the table under it; --no-mouse leaves the mouse to the terminal.
    func testAClickSelectsATable() throws {
        let (console, _) = try console("mouse")
        let screen = try console.screen()
        let lines = screen.components(separatedBy: "\n")
        let row = try XCTUnwrap(lines.firstIndex { $0.hasPrefix("│   songs") }, screen)  // staging.songs
        try console.type("\u{1B}[<0;6;\(row + 1)M")
        try console.waitFor(text: "S star")
        try console.press("Enter")  // the selected table's rows: its SELECT goes into the editor
        try console.waitFor(text: "FROM staging.songs")
    }

    /// `y` copies the cell through OSC 52; tmux with set-clipboard on keeps it as a paste buffer,
    /// which is where a real terminal's clipboard would receive it.
    func testACellIsCopiedToTheClipboard() throws {
        let (console, _) = try console("clipboard")  // starts the tests' tmux server
        _ = try TmuxSession.tmux(["set-option", "-s", "set-clipboard", "on"])
        try console.type("select 'Sehr kosmisch' as title, 7 as plays;")
        try console.press("F5")
        try console.waitFor(text: "1 row in")
        try console.leaveEditor()
        try console.press("y")
        try console.waitFor(text: "copied the cell (13 characters)")
        XCTAssertEqual(try TmuxSession.tmux(["show-buffer"]), "Sehr kosmisch")
        try console.press("Y")
        try console.waitFor(text: "copied the row")
        XCTAssertEqual(try TmuxSession.tmux(["show-buffer"]), "Sehr kosmisch\t7")
    }

    /// Ctrl-S saves the editor's SQL, Ctrl-O opens a file's, in a real terminal (where Ctrl-S
    /// and Ctrl-O must reach the program, not the terminal's flow control).
    func testSQLIsSavedAndOpenedFromTheEditor() throws {
        let (console, _) = try console("sql_files")
        let folder = TestServer.scratchDirectory("console-sql")
        try "select 'from a file' as source;\n".write(toFile: folder + "/other.sql", atomically: true, encoding: .utf8)
        try console.type("select 41 + 1 as answer;")
        try answer(console, opening: "C-s", prompt: "save the SQL to:", with: folder + "/mine.sql")
        try console.waitFor(text: "saved to")
        XCTAssertEqual(try String(contentsOfFile: folder + "/mine.sql", encoding: .utf8), "select 41 + 1 as answer;\n")
        try answer(console, opening: "C-o", prompt: "open SQL from:", with: folder + "/other.sql")
        try console.waitFor(text: "select 'from a file' as source;")
        try console.press("F5")
        try console.waitFor(text: "1 row in")
    }
}
