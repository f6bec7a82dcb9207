import XCTest

@testable import Console
@testable import PostgresClient
@testable import Warehouse

/// Panes drawn into an in-memory screen: what a user would read, and how it is styled.
final class PaneRenderingTests: XCTestCase {
    private func state(password: String? = nil) -> ConsoleState {
        let settings = ConnectionSettings(
            host: "/tmp/sparkify/run", port: 5432, database: "sparkify", user: "sparkify",
            password: password.map(Secret.init))
        return ConsoleState(version: "9.9.9", cluster: ClusterStatus(kind: .embedded, settings: settings))
    }

    private func render(_ state: ConsoleState, rows: Int = 24, cols: Int = 80, now: Double = 100) -> ScreenBuffer {
        let screen = ScreenBuffer(rows: rows, cols: cols)
        ConsoleView.render(state, into: screen, now: now)
        return screen
    }

    /// A Redshift cluster's shape: the server's node and slice counts with dwh.cfg's node
    /// type, and the connection state still on screen below them.
    func testClusterPaneShowsRedshiftNodes() {
        let settings = ConnectionSettings(
            host: "dwh.abc123.us-west-2.redshift.amazonaws.com", port: 5439,
            database: "dev", user: "awsuser", password: Secret("Passw0rd"))
        var cluster = ClusterStatus(kind: .redshift, settings: settings, nodeType: "dc2.large", configuredNodes: 4)
        XCTAssertEqual(cluster.nodesText, "4 × dc2.large (dwh.cfg)", "before connecting: what dwh.cfg asked for")
        var server = ServerInfo(
            engine: .redshift, versionText: "PostgreSQL 8.0.2 on i686-pc-linux-gnu, Redshift 1.0.77467",
            versionNumber: 80002, sslInUse: true)
        server.nodes = 2
        server.slices = 4
        cluster.server = server
        cluster.state = .connected
        XCTAssertEqual(cluster.nodesText, "2 × dc2.large, 4 slices", "the server's count wins")
        let screen = render(ConsoleState(version: "9.9.9", cluster: cluster), cols: 120)
        XCTAssertNotNil(screen.find("nodes    2 × dc2.large, 4 slices"), screen.text)
        XCTAssertNotNil(screen.find("login    awsuser @ dev"), screen.text)
        XCTAssertNotNil(screen.find("● connected"), "the state line still fits:\n\(screen.text)")
        XCTAssertNil(screen.find("Passw0rd"))
        XCTAssertNil(ClusterStatus(kind: .embedded, settings: nil).nodesText, "PostgreSQL: no nodes line")
    }

    func testEveryPaneFitsAt80x24() {
        let screen = render(state())
        for title in ["Cluster", "Tables", "ETL runner", "Query", "Result"] {
            XCTAssertNotNil(screen.find(" \(title) "), "\(title) is on screen:\n\(screen.text)")
        }
        for step in LoadStep.all { XCTAssertNotNil(screen.find(step.description), "\(step) listed") }
        XCTAssertNotNil(screen.find("F1 help"))
        XCTAssertNotNil(screen.find("q quit"))
        XCTAssertNotNil(screen.find("sparkify 9.9.9"), "the title carries the program's version")
        for queryFirst in [false, true] {
            let layout = Layout(rows: 24, cols: 80, queryFirst: queryFirst)
            let rects = Pane.allCases.map { layout.panes[$0]! }
            let minimum: [Pane: Int] = queryFirst ? [.runner: 5, .query: 3, .results: 10] : [.runner: 14, .query: 3, .results: 5]
            assertApart(rects, minimum: minimum)
        }
    }

    private func assertApart(_ rects: [Rect], minimum: [Pane: Int]) {
        for (index, rect) in rects.enumerated() {
            XCTAssertGreaterThanOrEqual(rect.height, minimum[Pane.allCases[index]] ?? 8, "\(Pane.allCases[index]) is usable")
            XCTAssertLessThanOrEqual(rect.row + rect.height, 23)
            XCTAssertLessThanOrEqual(rect.col + rect.width, 80)
            for other in rects[(index + 1)...] {
                let apart =
                    rect.row + rect.height <= other.row || other.row + other.height <= rect.row
                    || rect.col + rect.width <= other.col || other.col + other.width <= rect.col
                XCTAssertTrue(apart, "\(rect) and \(other) overlap")
            }
        }
    }

    func testZoomGivesTheFocusedPaneTheWholeBody() {
        var zoomed = state()
        zoomed.focus = .query
        zoomed.zoomed = true
        let screen = render(zoomed)
        XCTAssertNotNil(screen.find(" Query "))
        XCTAssertNil(screen.find(" Cluster "))
        XCTAssertEqual(screen[1, 0].text, "┌")
        XCTAssertEqual(screen[1, 79].text, "┐")
    }

    func testTablesShowADashUntilATableExistsThenItsCount() {
        var console = state()
        var screen = render(console)
        let row = screen.find("│   songplays")!.row
        XCTAssertTrue(screen.text(row: row).contains("—"), screen.text(row: row))
        _ = console.apply(.counts(TableCounts.watched.map { ($0.qualifiedName, $0 == StarSchema.songplays ? 1_234_567 : 0) }), now: 0)
        screen = render(console)
        XCTAssertTrue(screen.text(row: row).contains("1,234,567"), screen.text(row: row))
    }

    func testTheEmbeddedServersAddressIsShownOnceItHasStarted() {
        var console = ConsoleState(version: "9.9.9", cluster: ClusterStatus(kind: .embedded, settings: nil))
        XCTAssertNil(render(console).find("/srv/home/run"))
        _ = console.apply(
            .connected(
                ServerInfo(engine: .postgres, versionText: "PostgreSQL 15.18", versionNumber: 150018, sslInUse: false),
                ConnectionSettings(host: "/srv/home/run", port: 5432, database: "sparkify", user: "me")), now: 0)
        let screen = render(console)
        XCTAssertNotNil(screen.find("/srv/home/run"))
        XCTAssertNotNil(screen.find("user     me"))
    }

    func testThePasswordNeverReachesTheScreen() {
        var console = state(password: "hunter2-secret")
        _ = console.apply(
            .connected(
                ServerInfo(engine: .postgres, versionText: "PostgreSQL 15.18 on x86_64", versionNumber: 150018, sslInUse: true),
                ConnectionSettings(
                    host: "/tmp/sparkify/run", port: 5432, database: "sparkify", user: "sparkify",
                    password: Secret("hunter2-secret"))), now: 0)
        _ = console.apply(.latency(0.00042), now: 0)
        console.overlay = .help(scroll: 0)
        for size in [(24, 80), (36, 120)] {
            let screen = render(console, rows: size.0, cols: size.1)
            XCTAssertFalse(screen.text.contains("hunter2"))
        }
        console.overlay = nil
        let screen = render(console)
        XCTAssertNotNil(screen.find("● connected 0.4 ms"))
        XCTAssertNotNil(screen.find("PostgreSQL 15.18"))
        XCTAssertEqual(screen[screen.find("● connected")!.row, screen.find("● connected")!.col].style, .good)
    }

    func testARunningCopyShowsABarFiguresAndATimer() {
        var console = state()
        _ = console.apply(.stepStarted(LoadStep.all[2]), now: 10)
        var copy = CopyProgress(table: "staging.events", filesTotal: 30, filesSkipped: 0, bytesTotal: 30 << 20)
        copy.filesDone = 15
        copy.bytesDone = 15 << 20
        copy.rowsDone = 32_000
        _ = console.apply(.stepProgress(StepProgress(step: LoadStep.all[2], elapsed: 2, copy: copy)), now: 12)
        let screen = render(console, rows: 36, cols: 120, now: 12)
        let step = screen.find("copy staging.events")!
        let line = screen.text(row: step.row)
        XCTAssertTrue(line.contains("▶ running"), line)
        XCTAssertTrue(line.contains("32,000"), line)
        XCTAssertTrue(line.contains("2.00 s"), "the timer counts from the start: \(line)")
        XCTAssertEqual(screen[step.row, screen.find("▶ running")!.col].style, .running)
        XCTAssertNotNil(screen.find("█"))
        XCTAssertNotNil(screen.find("50%"))
        XCTAssertNotNil(screen.find("files 15/30 · 15 MiB/30 MiB · rows 32,000/~64,000"))
        XCTAssertNotNil(screen.find("▶ copy staging.events"), "the status line says what runs")
    }

    /// While the folder is still being listed the totals are what was found so far: no share,
    /// no time left, no row estimate, and the totals say there may be more.
    func testACopyWhoseFolderIsStillListedClaimsNoTotal() {
        var console = state()
        _ = console.apply(.stepStarted(LoadStep.all[2]), now: 10)
        var copy = CopyProgress(
            table: "staging.events", listed: FileListing.Count(files: 30, bytes: 30 << 20, complete: false), filesSkipped: 0)
        copy.filesDone = 15
        copy.bytesDone = 15 << 20
        copy.rowsDone = 32_000
        _ = console.apply(.stepProgress(StepProgress(step: LoadStep.all[2], elapsed: 2, copy: copy)), now: 12)
        let screen = render(console, rows: 36, cols: 120, now: 12)
        XCTAssertNil(screen.find("50%"), screen.text)
        XCTAssertNil(screen.find("left"), screen.text)
        XCTAssertNotNil(screen.find("files 15/30+ · 15 MiB/30 MiB+ · rows 32,000 ·"), screen.text)
    }

    func testAFailedStepKeepsTheServersWholeMessageInTheLogAndClearsItsRows() {
        var console = state()
        let step = LoadStep.all[4]
        _ = console.apply(.stepStarted(step), now: 0)
        _ = console.apply(
            .stepFailed(step, message: "ERROR 42P01: relation \"staging.events\" does not exist\nHINT: run create first", cancelled: false), now: 1)
        XCTAssertEqual(console.steps[4].state, .failed)
        XCTAssertNil(console.steps[4].rows)
        console.zoomed = true
        let screen = render(console)
        XCTAssertNotNil(screen.find("✕ failed"))
        XCTAssertNotNil(screen.find("HINT: run create first"))
        XCTAssertEqual(screen[screen.find("HINT")!.row, screen.find("HINT")!.col].style, .bad)
    }

    func testARefusedRunSaysNothingRanAndNamesTheFolder() {
        var console = state()
        _ = console.apply(.runRefused(LoadStep.all[2], message: "/tmp/nope/log_data: no such folder"), now: 0)
        XCTAssertEqual(console.steps[2].state, .failed)
        XCTAssertEqual(console.steps[0].state, .waiting, "drop did not run")
        let screen = render(console, rows: 36, cols: 120)
        XCTAssertNotNil(screen.find("no step ran"))
        XCTAssertNotNil(screen.find("/tmp/nope/log_data: no such folder"))
        XCTAssertNil(screen.find("rolled back"))
    }

    func testRejectsAreCountedAndOfferedToOpen() {
        var console = state()
        var outcome = StepOutcome(step: LoadStep.all[2], rows: 7_990, elapsed: 0.5)
        outcome.rejected = 10
        _ = console.apply(.stepFinished(outcome), now: 0)
        let screen = render(console, rows: 36, cols: 120)
        XCTAssertNotNil(screen.find("7,990 +10 rej"))
        XCTAssertNotNil(screen.find("10 records rejected"))
        XCTAssertNotNil(screen.find("press e to open them"))
    }

    func testAQueryErrorMarksItsPositionInTheEditor() {
        var console = state()
        console.focus = .query
        console.query.editor = EditorBuffer("select 1;\nselect nope from x")
        console.query.statements = [(10..<28, "select nope from x")]
        var problem = QueryProblem(message: "column \"nope\" does not exist")
        problem.sqlState = "42703"
        problem.hint = "Perhaps you meant to reference the column \"songs.title\"."
        problem.position = 8
        _ = console.apply(.statementFailed(index: 0, problem, elapsed: 0.01), now: 0)
        let screen = render(console, rows: 36, cols: 120)
        let mark = screen.find("nope from")!
        for offset in 0..<4 { XCTAssertEqual(screen[mark.row, mark.col + offset].style, .errorMark, "the word the server points at") }
        XCTAssertEqual(screen[mark.row, mark.col + 4].style, .normal)
        XCTAssertNotNil(screen.find("ERROR 42703: column \"nope\" does not exist"))
        XCTAssertNotNil(screen.find("HINT: Perhaps you meant"))
        XCTAssertNotNil(screen.find("at line 2, column 8 of the editor"))
    }

    func testTheEditorColoursSQL() {
        var console = state()
        console.focus = .query
        console.query.editor = EditorBuffer("SELECT 'a;b', 42 -- note")
        let screen = render(console, rows: 36, cols: 120)
        let select = screen.find("SELECT")!
        XCTAssertEqual(screen[select.row, select.col].style, .sqlKeyword)
        XCTAssertEqual(screen[select.row, screen.find("'a;b'")!.col].style, .sqlString)
        XCTAssertEqual(screen[select.row, screen.find("42")!.col].style, .sqlNumber)
        XCTAssertEqual(screen[select.row, screen.find("-- note")!.col].style, .sqlComment)
    }

    func testHelpListsEveryBindingFromTheKeyTable() {
        let help = HelpScreen.lines.map(\.text).joined(separator: "\n")
        for binding in Keymap.bindings {
            XCTAssertTrue(help.contains(binding.summary), "help lists \(binding.summary)")
        }
        var console = state()
        console.overlay = .help(scroll: 0)
        let screen = render(console, rows: 36, cols: 120)
        XCTAssertNotNil(screen.find("Help: sparkify keys"))
        XCTAssertNotNil(screen.find("Run the selected step and every step after it"))
    }

    func testNoColorKeepsMeaningInAttributes() {
        for style in Style.allCases { XCTAssertNil(style.look(colors: false).color, "\(style) uses no colour under NO_COLOR") }
        XCTAssertTrue(Style.focusedTitle.look(colors: false).reverse, "the focused pane still stands out")
        XCTAssertTrue(Style.bad.look(colors: false).bold)
        XCTAssertNotNil(Style.good.look(colors: true).color)
    }

    /// Bars are as long as their values say, against the largest, and each value is printed.
    func testChartBarsAreProportionalToTheirValues() throws {
        let rows = ResultRows(columns: [Column(name: "hour", typeOID: 25), Column(name: "plays", typeOID: 20)])
        for (hour, plays) in [("00", "40"), ("01", "20"), ("02", "10"), ("03", "0")] { rows.append(TextRow([hour, plays])) }
        rows.finish()
        let chart = try BarChart.make(from: rows, order: nil, title: "plays by hour").get()
        let screen = ScreenBuffer(rows: 12, cols: 60)
        ChartView.draw(screen, Rect(row: 0, col: 0, height: 12, width: 60), chart: chart, scroll: 0)
        // In eighths of a cell: whole blocks and the partial one that ends a bar.
        let partials: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        let bars = (1...4).map { row in
            screen.text(row: row).reduce(0) { total, character in
                character == "█" ? total + 8 : total + (partials.firstIndex(of: character).map { $0 + 1 } ?? 0)
            }
        }
        XCTAssertEqual(bars[0], 2 * bars[1], (0..<12).map { screen.text(row: $0) }.joined(separator: "\n"))
        XCTAssertEqual(bars[1], 2 * bars[2])
        XCTAssertEqual(bars[3], 0)
        XCTAssertGreaterThan(bars[0], 30 * 8, "the largest fills most of the width")
        XCTAssertTrue(screen.text(row: 1).hasSuffix("40") || screen.text(row: 1).contains("█ 40"), screen.text(row: 1))
        XCTAssertTrue(screen.text(row: 4).contains("03"))
    }

    func testTwoNumberColumnsAreTwoSeriesWithALegend() throws {
        let chart = try BarChart.make(columns: ["level", "plays", "users"], rows: [["free", "7", "3"], ["paid", "14", "6"]], title: "t").get()
        XCTAssertEqual(chart.series.map(\.name), ["plays", "users"])
        let screen = ScreenBuffer(rows: 10, cols: 50)
        ChartView.draw(screen, Rect(row: 0, col: 0, height: 10, width: 50), chart: chart, scroll: 0)
        XCTAssertTrue(screen.text(row: 1).contains("■ plays"), screen.text(row: 1))
        XCTAssertEqual(BarChart.make(columns: ["a"], rows: [["x"]], title: "t").failure, .noNumberColumn)
        // Plays per hour, both numbers: the hour labels the bars.
        let hourly = try BarChart.make(columns: ["hour", "plays"], rows: [["0", "259"], ["1", "292"]], title: "t").get()
        XCTAssertEqual(hourly.labels, ["0", "1"])
        XCTAssertEqual(hourly.series.map(\.name), ["plays"])
    }

    /// The plan's tree: branches drawn, details under their node, the costliest node marked once.
    func testAPlanIsDrawnAsATreeWithTheCostliestNodeMarked() throws {
        let plan = try XCTUnwrap(
            QueryPlan.parse([
                "Hash Join  (cost=1.00..50.00 rows=10 width=4) (actual time=0.10..20.00 rows=10 loops=1)",
                "  Hash Cond: (a.id = b.id)",
                "  ->  Seq Scan on a  (cost=0.00..30.00 rows=100 width=4) (actual time=0.01..15.00 rows=100 loops=1)",
                "  ->  Hash  (cost=1.00..1.00 rows=10 width=4) (actual time=0.05..1.00 rows=10 loops=1)",
                "        ->  Seq Scan on b  (cost=0.00..1.00 rows=10 width=4) (actual time=0.01..0.50 rows=10 loops=1)",
                "Planning Time: 0.1 ms",
                "Execution Time: 20.5 ms",
            ]))
        let lines = PlanView.lines(plan).map(\.text)
        XCTAssertEqual(lines[0], "Hash Join  4.0 ms by itself, 20% · 10 rows")
        XCTAssertEqual(lines[1], "│  Hash Cond: (a.id = b.id)")
        XCTAssertEqual(lines[2], "├─ Seq Scan on a  15.0 ms by itself, 75% · 100 rows  ◆ costliest")
        XCTAssertEqual(lines[3], "└─ Hash  0.5 ms by itself, 3% · 10 rows")
        XCTAssertEqual(lines[4], "   └─ Seq Scan on b  0.5 ms by itself, 3% · 10 rows")
        XCTAssertEqual(lines.filter { $0.contains("costliest") }.count, 1)
        XCTAssertEqual(lines.last, "Execution Time: 20.5 ms")
        // Too narrow for a node's line: it is cut with "…", never silently.
        let narrow = ScreenBuffer(rows: 12, cols: 30)
        PlanView.draw(narrow, Rect(row: 0, col: 0, height: 12, width: 30), plan: plan, scroll: 0)
        XCTAssertTrue(narrow.text(row: 1).contains("…"), narrow.text(row: 1))
    }

    /// The star from a catalog where a column was dropped and a table is missing: both shown.
    func testTheStarShowsWhatTheDatabaseLacks() {
        let catalog = SchemaCatalog(
            relations: [
                .init(
                    schema: "analytics", name: "songplays",
                    columns: ["songplay_id", "start_time", "user_id", "song_id", "artist_id"].map { .init(name: $0, type: "text") }),
                .init(schema: "analytics", name: "users", columns: [.init(name: "user_id", type: "integer")]),
                .init(schema: "analytics", name: "songs", columns: [.init(name: "song_id", type: "text")]),
                .init(schema: "analytics", name: "artists", columns: [.init(name: "name", type: "text")]),
            ], functions: [], searchPath: ["analytics"])
        let diagram = StarDiagram(catalog: catalog, counts: [("analytics.users", 42), ("analytics.songplays", 7)])
        XCTAssertEqual(diagram.dimensions.map(\.table), ["analytics.users", "analytics.songs", "analytics.artists", "analytics.time"])
        XCTAssertEqual(diagram.dimensions[0].missing, ["first_name", "last_name", "gender", "level"])
        XCTAssertNil(diagram.dimensions[3].columns, "time is not there")
        XCTAssertFalse(diagram.dimensions[2].joinPresent, "artists lost artist_id")
        let screen = ScreenBuffer(rows: 36, cols: 120)
        StarView.draw(screen, Rect(row: 0, col: 0, height: 36, width: 120), diagram: diagram)
        let text = (0..<36).map { screen.text(row: $0) }.joined(separator: "\n")
        for expected in ["users ", "42 rows", "✗ first_name: missing", "not in the database", " user_id ", "✗ artist_id", "◆ start_time"] {
            XCTAssertTrue(text.contains(expected), "\(expected):\n\(text)")
        }
    }

    /// The two copy steps running at once each show their own bar and figures.
    func testTwoCopiesRunningTogetherShowABarEach() {
        var state = Fixture.connected(size: ScreenSize(rows: 36, cols: 120))
        for (table, done) in [(StarSchema.stagingEvents, 250), (StarSchema.stagingSongs, 900)] {
            _ = state.apply(.stepStarted(.copy(table)), now: 90)
            var copy = CopyProgress(table: table.qualifiedName, filesTotal: 1_000, filesSkipped: 0, bytesTotal: 1_000)
            copy.filesDone = done
            copy.bytesDone = done
            copy.rowsDone = done * 10
            _ = state.apply(.stepProgress(StepProgress(step: .copy(table), elapsed: 10, copy: copy)), now: 100)
        }
        let screen = render(state, rows: 36, cols: 120)
        XCTAssertNotNil(screen.find("copy staging.events"), screen.text)
        XCTAssertNotNil(screen.find("25% · 2,500 rows"), screen.text)
        XCTAssertNotNil(screen.find("90% · 9,000 rows"), screen.text)
    }

    /// Two copies run at once, on two sessions: when the song copy waits on a lock, its line
    /// says whose; the events copy keeps its bar.
    func testACopyOnTheSecondSessionWaitingOnALockSaysWhose() {
        var state = Fixture.connected(size: ScreenSize(rows: 36, cols: 120))
        state.running = true
        for table in [StarSchema.stagingEvents, StarSchema.stagingSongs] {
            _ = state.apply(.stepStarted(.copy(table)), now: 90)
            var copy = CopyProgress(table: table.qualifiedName, filesTotal: 1_000, filesSkipped: 0, bytesTotal: 1_000)
            copy.bytesDone = 250
            copy.rowsDone = 2_500
            _ = state.apply(.stepProgress(StepProgress(step: .copy(table), elapsed: 10, copy: copy)), now: 100)
        }
        let holder = LockHolder(pid: 4242, state: "idle in transaction", transactionSeconds: 12, query: "LOCK TABLE staging.songs")
        _ = state.apply(.stepWaiting(.copy(StarSchema.stagingEvents), []), now: 100)
        _ = state.apply(.stepWaiting(.copy(StarSchema.stagingSongs), [holder]), now: 100)
        var screen = render(state, rows: 36, cols: 120)
        XCTAssertNotNil(screen.find("copy staging.songs: waiting"), screen.text)
        XCTAssertNotNil(screen.find("for a lock held by session 4242"), screen.text)
        XCTAssertNotNil(screen.find("25% · 2,500 rows"), "the events copy still has its bar: \(screen.text)")

        // The watch finds the song copy waiting for nothing any more: the line goes.
        _ = state.apply(.stepWaiting(.copy(StarSchema.stagingSongs), []), now: 101)
        screen = render(state, rows: 36, cols: 120)
        XCTAssertNil(screen.find("copy staging.songs: waiting"), screen.text)
    }
}

extension Result {
    fileprivate var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
