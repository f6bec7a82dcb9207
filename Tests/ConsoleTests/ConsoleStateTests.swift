import XCTest

@testable import Console
@testable import PostgresClient
@testable import Warehouse

/// What a new user hit, each through the reducer: keys and engine events on a state, and what
/// the state then holds and shows.
final class ConsoleStateTests: XCTestCase {
    private func render(_ state: ConsoleState) -> ScreenBuffer {
        let screen = ScreenBuffer(rows: state.size.rows, cols: state.size.cols)
        ConsoleView.render(state, into: screen, now: 101)
        return screen
    }

    func testSortGoesUpDownThenBackToTheServersOrder() {
        var (state, rows) = Fixture.withResult(rows: 5)
        state.result.grid.column = 1
        XCTAssertEqual(names(state.press(.char("s"))), ["sort"])
        _ = state.apply(.sorted(rows, order: rows.sortedOrder(by: 1, descending: false)!, column: 1, descending: false), now: 0)
        XCTAssertEqual(names(state.press(.char("s"))), ["sort"])
        _ = state.apply(.sorted(rows, order: rows.sortedOrder(by: 1, descending: true)!, column: 1, descending: true), now: 0)
        XCTAssertEqual(names(state.press(.char("s"))), [], "the third press needs no work")
        XCTAssertNil(state.result.grid.sort, "back to the order the server sent")
        XCTAssertNil(state.result.grid.order)
    }

    func testAnExportOfACappedSortedResultSaysItIsNotSorted() {
        var (state, rows) = Fixture.withResult(rows: 5, capped: true)
        _ = state.apply(.sorted(rows, order: rows.sortedOrder(by: 0, descending: true)!, column: 0, descending: true), now: 0)
        _ = state.press(.char("x"))
        XCTAssertEqual(state.prompt?.label, "export every row (run again, in the server's order, not as sorted) to:")
    }

    func testCtrlSpaceTypesNothing() {
        var state = Fixture.connected()
        state.focus = .query
        state.type("select")
        _ = state.press(.char("\u{0}"))
        XCTAssertEqual(state.query.editor.text, "select", "no NUL in the SQL, so none in the history")
    }

    func testAStepWhileDisconnectedIsRefusedNotReportedRolledBack() {
        var state = Fixture.connected()
        _ = state.apply(.connectionLost("server closed the connection unexpectedly"), now: 0)
        XCTAssertEqual(names(state.press(.enter)), [])
        XCTAssertFalse(state.running)
        XCTAssertEqual(state.log.last?.text, "not connected: press c to reconnect, then run the step again")
        XCTAssertEqual(names(state.press(.char("c"))), ["reconnect"])
    }

    func testADropForgetsTheCountsOfEarlierLoads() {
        var state = Fixture.connected()
        let events = LoadStep.copy(StarSchema.stagingEvents)
        _ = state.apply(.stepStarted(events), now: 0)
        _ = state.apply(.stepFinished(StepOutcome(step: events, rows: 1_000, elapsed: 1)), now: 1)
        _ = state.apply(.runEnded, now: 1)
        _ = state.press(.enter)  // drop, on empty-counted tables: runs without asking
        _ = state.apply(.stepStarted(.drop), now: 2)
        _ = state.apply(.stepFinished(StepOutcome(step: .drop, rows: 0, elapsed: 0.1)), now: 2)
        let row = state.steps.first { $0.step == events }!
        XCTAssertEqual(row.state, .waiting, "the tables it filled are gone")
        XCTAssertNil(row.rows)
    }

    func testRunningDropOnALoadedWarehouseAsksFirst() {
        var state = Fixture.connected()
        _ = state.apply(.counts([("analytics.songplays", 6_820), ("analytics.users", 96)]), now: 0)
        XCTAssertEqual(names(state.press(.char("a"))), [], "nothing runs yet")
        guard case .confirmRun(let steps) = state.overlay else { return XCTFail("a question") }
        XCTAssertEqual(steps, LoadStep.all)
        XCTAssertNotNil(render(state).find("The tables hold 6,916 rows; drop empties staging"), render(state).text)
        XCTAssertEqual(names(state.press(.char("n"))), [])
        XCTAssertFalse(state.running)
        _ = state.press(.char("a"))
        XCTAssertEqual(names(state.press(.char("y"))), ["runSteps"])
        XCTAssertTrue(state.running)
    }

    func testAnExportPathWithATildeIsUnderHome() {
        var (state, _) = Fixture.withResult(rows: 1)
        _ = state.press(.char("x"))
        _ = state.press(.ctrl("u"))
        state.prompt?.text = Array("~/out.csv")
        state.prompt?.cursor = 9
        let effects = state.press(.enter)
        guard case .export(_, _, _, _, let path, replacing: false)? = effects.first else { return XCTFail("\(names(effects))") }
        XCTAssertEqual(path, "/home/analyst/out.csv")
        _ = state.apply(.exportFinished(path: path, rows: 1, problem: nil), now: 0)
        XCTAssertNotNil(render(state).find("exported 1 row to /home/analyst/out.csv"), "one row, not '1 rows'")
    }

    func testAnExistingExportFileIsReplacedOnlyWhenAsked() {
        var (state, _) = Fixture.withResult(rows: 1)
        _ = state.press(.char("x"))
        _ = state.press(.enter)
        XCTAssertNotNil(state.result.export)
        _ = state.apply(.exportWouldReplace(path: "/work/out.csv"), now: 0)
        XCTAssertNil(state.result.export, "nothing was written")
        XCTAssertEqual(state.prompt?.purpose, .export(replacing: true))
        let effects = state.press(.enter)
        guard case .export(_, _, _, _, "/work/out.csv", replacing: true)? = effects.first else { return XCTFail("\(names(effects))") }
    }

    func testASuitesResultIsNotShownBesideAStaleError() {
        var state = Fixture.connected()
        state.focus = .query
        state.type("selec 1;")
        _ = state.press(.function(5))
        var problem = QueryProblem(message: "syntax error at or near \"selec\"")
        problem.sqlState = "42601"
        problem.position = 1
        _ = state.apply(.statementFailed(index: 0, problem, elapsed: 0.01), now: 0)
        _ = state.apply(.statementsEnded(elapsed: 0.01), now: 0)
        XCTAssertEqual(state.query.outcome?.details, ["at line 1, column 1 of the editor"])
        _ = state.reduce(.validate, Fixture.moment)
        _ = state.press(.enter)
        _ = state.apply(.suiteEnded(cancelled: false), now: 1)
        XCTAssertEqual(state.query.outcome?.details, [], "the suite's outcome replaced the error, its position with it")
        XCTAssertFalse(render(state).text.contains("at line 1, column 1"), render(state).text)
    }

    func testOpeningACheckKeepsTheUsersTextForUndo() {
        var state = Fixture.withReport()
        state.query.editor.replaceAll(with: "select 'mine';")
        _ = state.press(.enter)
        _ = state.apply(.statementsEnded(elapsed: 0.01), now: 0)
        state.focus = .query
        XCTAssertNotNil(render(state).find("your SQL was replaced: Ctrl-Z brings it back"), render(state).text)
        _ = state.press(.ctrl("z"))
        XCTAssertEqual(state.query.editor.text, "select 'mine';")
    }

    func testDataChangedInTheEditorRefreshesTheCounts() {
        var state = Fixture.connected()
        state.focus = .query
        state.type("delete from analytics.users;")
        _ = state.press(.function(5))
        XCTAssertEqual(names(state.apply(.statementsEnded(elapsed: 0.1), now: 0)), ["refreshCounts"])
        state.query.editor.replaceAll(with: "select 1;")
        _ = state.press(.function(5))
        XCTAssertEqual(names(state.apply(.statementsEnded(elapsed: 0.1), now: 0)), [], "a SELECT changes nothing")
    }

    func testTheErrorLimitAndSourceChangeWithoutARestart() {
        var state = Fixture.connected()
        _ = state.press(.char("m"))
        _ = state.press(.ctrl("u"))
        state.type("25")
        let effects = state.press(.enter)
        guard case .configureLoad(nil, 25)? = effects.first else { return XCTFail("\(names(effects))") }
        _ = state.press(.char("m"))
        _ = state.press(.ctrl("u"))
        state.type("lots")
        XCTAssertEqual(names(state.press(.enter)), [])
        XCTAssertEqual(state.log.last?.text, "the error limit is a whole number, 0 or more (not 'lots')")
        _ = state.press(.char("o"))
        state.type("data/sample")
        guard case .configureLoad("/work/data/sample", 0)? = state.press(.enter).first else {
            return XCTFail("a relative folder is the working folder's")
        }
        _ = state.apply(.loadConfigured(source: "/work/data/sample", words: "/work/data/sample", maxErrors: 0), now: 0)
        XCTAssertNotNil(render(state).find("reads  /work/data/sample · error limit 0"), render(state).text)
    }

    func testTheFirstStartSaysHowToLoadTheDemo() {
        var state = Fixture.connected()
        _ = state.apply(.demoReady, now: 0)
        XCTAssertEqual(state.log.last?.text, "nothing is loaded yet: press a on drop to load the demo dataset, then F7 to check it")
    }

    func testAUnixSocketShowsNoPort() {
        let state = Fixture.connected()
        XCTAssertEqual(state.cluster.port, "socket .s.PGSQL.5432")
    }

    /// At 80x24 the status line keeps help, quit, zoom and validate whatever the pane.
    func testTheStatusLineKeepsTheGlobalKeysAt80Columns() {
        for pane in Pane.allCases {
            var state = Fixture.connected(size: ScreenSize(rows: 24, cols: 80))
            state.focus = pane
            let line = render(state).text(row: 23)
            for key in ["F1", "F2", "F7"] { XCTAssertTrue(line.contains(key), "\(pane): \(line)") }
        }
    }

    /// A search counts its matches once, says which one is selected, and n moves without counting again.
    func testASearchSaysWhichMatchOfHowMany() {
        var (state, rows) = Fixture.withResult(rows: 100)
        _ = state.press(.char("/"))
        state.type("song 9")
        let effects = state.press(.enter)
        guard case .find("song 9", _, 0, nil, false, counting: true)? = effects.first else { return XCTFail("\(names(effects))") }
        let matches = rows.matchingPositions("song 9", order: nil)
        XCTAssertEqual(matches.count, 11, "Song 9 and Song 90 to Song 99")
        _ = state.apply(.found(rows, term: "song 9", at: rows.find("song 9", from: 0, order: nil, backwards: false), matches: matches), now: 0)
        XCTAssertNotNil(render(state).find("'song 9' 1 of 11 rows"), render(state).text)
        guard case .find(_, _, _, _, _, counting: false)? = state.press(.char("n")).first else { return XCTFail("n only moves") }
    }

    func testAFailedSuiteNamesItsFailingCheck() {
        var state = Fixture.connected()
        let suite = DefaultSuite.suite
        _ = state.apply(.suiteLoaded(suite), now: 0)
        for (index, check) in suite.checks.enumerated() {
            let verdict: CheckResult.Verdict = index == 1 ? .fail : .pass
            _ = state.apply(
                .checkFinished(
                    index,
                    CheckResult(
                        check: check, verdict: verdict, rows: [], columns: [], elapsed: 0.01,
                        message: verdict == .fail ? "expected 97, got 96" : nil)), now: 0)
        }
        _ = state.apply(.suiteEnded(cancelled: false), now: 0)
        XCTAssertEqual(
            state.query.outcome?.headline,
            "validation: \(suite.checks.count - 1) passed, 1 failed (\(suite.checks[1].name)) of \(suite.checks.count) checks")
    }

    /// The cost ticks between looks, a cluster unused for half an hour suggests pausing, and
    /// deleting needs the identifier typed.
    func testTheClusterPaneShowsCostIdleAndAsksBeforeDeleting() {
        var state = Fixture.withLife("available")
        state.cluster.life?.lastUsed = 100
        state.size = ScreenSize(rows: 36, cols: 120)
        var screen = ScreenBuffer(rows: 36, cols: 120)
        ConsoleView.render(state, into: screen, now: 100 + 3600)
        XCTAssertNotNil(screen.find("dwhcluster available"), screen.text)
        XCTAssertNotNil(screen.find("60 min unused: p pauses it"), screen.text)
        _ = state.reduce(.runStatement, Fixture.moment)  // Fixture.moment.now = 100: used at 100
        state.cluster.life?.lastUsed = 100 + 3000
        screen = ScreenBuffer(rows: 36, cols: 120)
        ConsoleView.render(state, into: screen, now: 100 + 3600)
        XCTAssertNotNil(screen.find("$2.17/h · $12.17 so far"), "an hour later: ten dollars and an hour's worth\n\(screen.text)")

        _ = state.press(.char("d"))
        state.type("wrong")
        XCTAssertEqual(names(state.press(.enter)), [])
        XCTAssertEqual(state.log.last?.text, "not the identifier: nothing deleted")
        _ = state.press(.char("d"))
        state.type("dwhcluster")
        XCTAssertEqual(names(state.press(.enter)), ["clusterAction"])
        XCTAssertEqual(state.cluster.life?.busy, "deleting")
        XCTAssertEqual(names(state.press(.char("p"))), [], "busy: nothing else starts")
        _ = state.apply(.clusterActionEnded(problem: nil), now: 200)
        XCTAssertEqual(names(state.tick(now: 201)), ["describeCluster", "ping"], "looked at again at once")

        // A look that fails leaves the old state on screen, said to be old, and why.
        _ = state.apply(.clusterLookFailed("ExpiredToken: the keys have expired"), now: 300)
        screen = ScreenBuffer(rows: 36, cols: 120)
        ConsoleView.render(state, into: screen, now: 400)
        XCTAssertNotNil(screen.find("dwhcluster available (5 min"), screen.text)
        XCTAssertNotNil(screen.find("failed: ExpiredToken"), screen.text)
    }

    /// psql's habits in the editor: `\d NAME` runs a catalog query, `\x` shows one record as
    /// name and value, `\?` lists them, an unknown one says so.
    func testBackslashCommandsInTheEditor() {
        var (state, _) = Fixture.withResult(rows: 3)
        state.focus = .query
        state.query.editor.replaceAll(with: "select 1;\n\\d songplays")
        let effects = state.press(.function(5))
        guard case .runStatements(let sql)? = effects.first(where: { names([$0]) == ["runStatements"] }) else {
            return XCTFail("\(names(effects))")
        }
        XCTAssertTrue(sql.first?.contains("'songplays'::regclass") == true, "\(sql)")
        XCTAssertEqual(state.query.history.entries.last, "\\d songplays", "the history keeps what was typed")

        _ = state.apply(.statementsEnded(elapsed: 0.01), now: 0)
        state.query.editor.replaceAll(with: "\\x")
        XCTAssertEqual(names(state.press(.function(5))), [])
        XCTAssertTrue(state.result.expanded)
        state.query.editor.replaceAll(with: "\\?")
        _ = state.press(.function(5))
        guard case .text(_, let lines, _) = state.overlay else { return XCTFail("the list opens") }
        XCTAssertTrue(lines.contains { $0.hasPrefix("\\d NAME") })
        state.overlay = nil
        state.query.editor.replaceAll(with: "\\copy x from y")
        _ = state.press(.function(5))
        XCTAssertEqual(state.query.outcome?.headline, "\\copy is not a command here: \\? lists those the editor takes")
    }

    func testExpandedDisplayShowsTheSelectedRecord() {
        var (state, _) = Fixture.withResult(rows: 3)
        state.result.expanded = true
        state.result.grid.row = 1
        let screen = ScreenBuffer(rows: 36, cols: 120)
        ConsoleView.render(state, into: screen, now: 101)
        XCTAssertNotNil(screen.find("─[ record 2 of 3 ]"), screen.text)
        XCTAssertNotNil(screen.find("title   │ Song 2"), screen.text)
        XCTAssertNotNil(screen.find("song_id │ SO1"), screen.text)
    }

    func testCopyingARowGivesTabSeparatedValues() {
        var (state, _) = Fixture.withResult(rows: 3)
        state.result.grid.row = 2
        guard case .copyToClipboard(let text)? = state.press(.char("Y")).first else { return XCTFail("a copy") }
        XCTAssertEqual(text, "SO2\tSong 1\t1992")
    }

    /// Saved SQL: Ctrl-S asks where (an existing file only when confirmed), Ctrl-O opens a file
    /// in place of the text, which Ctrl-Z brings back.
    func testSQLIsSavedAndOpened() {
        var state = Fixture.connected()
        state.focus = .query
        state.type("select 1;")
        _ = state.press(.ctrl("s"))
        _ = state.press(.ctrl("u"))
        state.type("~/plays.sql")
        guard case .saveSQL("select 1;", "/home/analyst/plays.sql", replacing: false)? = state.press(.enter).first else {
            return XCTFail("a save of the text")
        }
        _ = state.apply(.saveWouldReplace(path: "/home/analyst/plays.sql"), now: 0)
        XCTAssertEqual(state.prompt?.purpose, .saveSQL(replacing: true))
        guard case .saveSQL(_, _, replacing: true)? = state.press(.enter).first else { return XCTFail("replacing, as asked") }
        _ = state.apply(.sqlSaved(path: "/home/analyst/plays.sql"), now: 0)
        XCTAssertEqual(state.query.file, "/home/analyst/plays.sql")

        _ = state.apply(.sqlOpened(path: "/work/top.sql", text: "select title\nfrom songs;"), now: 0)
        XCTAssertEqual(state.query.editor.text, "select title\nfrom songs;")
        XCTAssertEqual(state.query.outcome?.headline, "opened /work/top.sql (Ctrl-Z brings the old text back)")
        _ = state.press(.ctrl("z"))
        XCTAssertEqual(state.query.editor.text, "select 1;")
    }

    // MARK: - Completion

    private func completingEditor(_ text: String) -> ConsoleState {
        var state = Fixture.connected()
        state.focus = .query
        state.query.editor.replaceAll(with: text)
        _ = state.apply(.catalogRead(Fixture.catalog), now: 0)
        return state
    }

    func testTabTypesWhatTheCandidatesShareAndOpensTheListThenTakesTheSelectedItem() {
        var state = completingEditor("select * from analytics.so")
        _ = state.reduce(.complete, Fixture.moment)
        XCTAssertEqual(state.query.editor.text, "select * from analytics.song", "the shared start typed at once")
        XCTAssertEqual(state.query.completion?.completion.items.map(\.text), ["analytics.songplays", "analytics.songs"])
        _ = state.reduce(.moveDown, Fixture.moment)
        XCTAssertEqual(state.query.editor.cursor.line, 0, "in the list, Down moves the selection, not the cursor")
        _ = state.reduce(.newline, Fixture.moment)
        XCTAssertEqual(state.query.editor.text, "select * from analytics.songs", "Enter takes the chosen item")
        XCTAssertNil(state.query.completion)
        _ = state.reduce(.undo, Fixture.moment)
        XCTAssertEqual(state.query.editor.text, "select * from analytics.song", "undo brings the word back")
    }

    func testTheListOpensAsYouTypeAfterADotAndNarrowsAndEnterUnchosenBreaksTheLine() {
        var state = completingEditor("select  from analytics.users u")
        state.query.editor.moveTo(EditorBuffer.Position(line: 0, column: 7))
        for character in "u." { _ = state.reduce(.type(character), Fixture.moment) }
        XCTAssertEqual(state.query.completion?.completion.items.map(\.text), ["u.user_id", "u.level"], "the alias's columns")
        _ = state.reduce(.type("l"), Fixture.moment)
        XCTAssertEqual(state.query.completion?.completion.items.map(\.text), ["u.level"])
        _ = state.reduce(.complete, Fixture.moment)
        XCTAssertEqual(state.query.editor.text, "select u.level from analytics.users u")
        for character in "zz" { _ = state.reduce(.type(character), Fixture.moment) }
        XCTAssertNil(state.query.completion, "nothing fits: the list closes")
        state = completingEditor("select * from analytics.songplays where se")
        _ = state.reduce(.type("s"), Fixture.moment)
        XCTAssertNotNil(state.query.completion)
        _ = state.reduce(.newline, Fixture.moment)
        XCTAssertEqual(state.query.editor.lines.count, 2, "an item never chosen: Enter is a new line")
        XCTAssertNil(state.query.completion)
    }

    func testEscClosesTheListFirstAndTabWithNothingSaysSo() {
        var state = completingEditor("select * from analytics.so")
        _ = state.reduce(.complete, Fixture.moment)
        _ = state.reduce(.leaveEditor, Fixture.moment)
        XCTAssertNil(state.query.completion)
        XCTAssertEqual(state.focus, .query, "the first Esc only closes the list")
        state = completingEditor("select 12")
        _ = state.reduce(.complete, Fixture.moment)
        XCTAssertEqual(state.query.completionNote, .nothingToComplete)
        _ = state.reduce(.type("x"), Fixture.moment)
        XCTAssertNil(state.query.completionNote, "until the next key")
    }

    // MARK: - Kept results

    func testEachStatementKeepsItsResultAndAPinnedOneOutlivesTheNextRun() {
        var state = Fixture.connected()
        state.focus = .results
        Fixture.run(["select 1", "select 2", "select 3"], on: &state)
        XCTAssertEqual(state.result.kept.map(\.sql), ["select 1", "select 2", "select 3"])
        XCTAssertEqual(ResultsPane.title(state.result), "Result 3 of 3 · [ ]")
        _ = state.reduce(.previousResult, Fixture.moment)
        _ = state.reduce(.previousResult, Fixture.moment)
        XCTAssertEqual(state.result.rows?.read { $0.row(0).string(0) }, "1", "the first statement's own rows")
        if case .finished(let summary) = state.query.outcome { XCTAssertEqual(summary.index, 0) } else { XCTFail("the outcome is the first's") }
        _ = state.reduce(.moveDown, Fixture.moment)
        _ = state.reduce(.pinResult, Fixture.moment)
        XCTAssertEqual(ResultsPane.title(state.result), "Result 1 of 3 · pinned · [ ]")

        state.focus = .query
        state.query.editor.replaceAll(with: "select 4")
        _ = state.reduce(.runStatement, Fixture.moment)
        state.query.running = false
        Fixture.run(["select 4"], on: &state)
        XCTAssertEqual(state.result.kept.map(\.sql), ["select 1", "select 4"], "the pinned result stays, the others go")
        state.focus = .results
        _ = state.reduce(.previousResult, Fixture.moment)
        XCTAssertEqual(state.result.sql, "select 1")
        XCTAssertTrue(state.result.kept[0].pinned)
    }

    func testStepsAreRefusedWhileARunIsUnderWay() {
        var state = Fixture.connected()
        state.focus = .results
        Fixture.run(["select 1", "select 2"], on: &state)
        state.query.running = true
        _ = state.reduce(.previousResult, Fixture.moment)
        XCTAssertEqual(state.result.shown, 1)
        XCTAssertEqual(state.result.notice, "the run under way is shown until it ends")
    }

    // MARK: - Filter

    /// Presses f, types `term` and Enter; performs the effect as the session would.
    private func filter(_ state: inout ConsoleState, _ term: String) {
        _ = state.reduce(.filter, Fixture.moment)
        _ = state.reduce(.deleteToLineStart, Fixture.moment)  // the prompt starts with the current filter
        for character in term { _ = state.reduce(.type(character), Fixture.moment) }
        for effect in state.reduce(.confirm, Fixture.moment) {
            guard case .filter(let term, let rows, let order) = effect else { continue }
            let stored = rows.matchingPositions(term, order: order).map { position in order.map { $0[Int(position)] } ?? position }
            _ = state.apply(.filtered(rows, term: term, order: stored), now: 0)
        }
        state.settle()
    }

    func testAFilterNarrowsTheGridSaysHowManyAndAnEmptyTermBringsEveryRowBack() {
        var (state, rows) = Fixture.withResult(rows: 100)
        filter(&state, "song 1")  // titles "Song 100" … "Song 1": 1, 10–19, 100
        XCTAssertEqual(state.result.grid.order?.count, 12)
        XCTAssertEqual(state.result.grid.filter, "song 1")
        XCTAssertTrue(
            rows.read { reader in state.result.grid.order!.allSatisfy { reader.row(Int($0)).string(1)!.lowercased().contains("song 1") } })
        _ = state.reduce(.moveDown, Fixture.moment)
        let selected = state.result.grid.storedRow(state.result.grid.row)
        filter(&state, "")
        XCTAssertNil(state.result.grid.order, "every row, as returned")
        XCTAssertEqual(state.result.grid.row, selected, "the selected row stays selected")
    }

    func testSortingUnderAFilterKeepsOnlyTheFilteredRows() {
        var (state, rows) = Fixture.withResult(rows: 30)
        filter(&state, "song 2")  // Song 2, 20–29
        let filtered = Set(state.result.grid.order ?? [])
        XCTAssertEqual(filtered.count, 11)
        state.result.grid.column = 2
        for effect in state.reduce(.sort, Fixture.moment) {
            guard case .sort(let rows, let column, let descending) = effect else { continue }
            _ = state.apply(
                .sorted(rows, order: rows.sortedOrder(by: column, descending: descending)!, column: column, descending: descending), now: 0)
        }
        XCTAssertEqual(Set(state.result.grid.order ?? []), filtered, "the same rows, sorted")
        let years = rows.read { reader in state.result.grid.order!.map { reader.row(Int($0)).string(2)! } }
        XCTAssertEqual(years, years.sorted())
        filter(&state, "")
        XCTAssertEqual(state.result.grid.order?.count, 30, "every row again, sorted")
    }

    // MARK: - The editor's text between sessions

    func testTheEditorsTextIsKeptAtQuitAndAtEachRunWithSecretsMasked() {
        var state = Fixture.connected()
        state.query.history = QueryHistory(path: nil, known: [Secret("hunter2-long-secret")])
        state.focus = .query
        state.query.editor.replaceAll(with: "select 'hunter2-long-secret';\nselect 2")
        let run = state.reduce(.runAll, Fixture.moment)
        guard case .keepEditorText(let kept)? = run.last else { return XCTFail("\(names(run))") }
        XCTAssertFalse(kept.contains("hunter2"), kept)
        XCTAssertTrue(kept.contains("select 2"))
        state.query.running = false
        state.focus = .runner
        let quit = state.reduce(.quit, Fixture.moment)
        XCTAssertEqual(names(quit), ["keepEditorText"])
    }
}
