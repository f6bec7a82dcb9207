import Warehouse

/// Draws a whole frame from the state: title, the four panes (or the zoomed one), the status
/// line and any overlay. Pure drawing into a buffer, so tests render it without a terminal.
enum ConsoleView {
    /// Returns where the text cursor belongs, if anywhere.
    @discardableResult
    static func render(_ state: ConsoleState, into screen: ScreenBuffer, now: Double) -> (row: Int, col: Int)? {
        screen.clear()
        let rows = screen.rows
        let cols = screen.cols
        guard rows >= 10, cols >= 40 else {
            screen.put("sparkify needs at least 80x24 (this is \(cols)x\(rows))", row: 0, col: 0, style: .bad)
            return nil
        }
        let layout = Layout(
            rows: rows, cols: cols, zoomed: state.zoomed ? state.focus : nil,
            queryFirst: state.focus == .query || state.focus == .results, editorLines: state.query.editor.lines.count,
            clusterLines: state.cluster.life == nil ? 0 : 2)
        drawTitle(screen, state, layout.title)
        var cursor: (row: Int, col: Int)?
        for pane in Pane.allCases {
            guard let rect = layout.panes[pane] else { continue }
            let focused = state.focus == pane && state.overlay == nil
            switch pane {
            case .cluster: ClusterPane.draw(screen, rect, state.cluster, focused: focused, now: now)
            case .tables: TablesPane.draw(screen, rect, state, focused: focused)
            case .runner: RunnerPane.draw(screen, rect, state, focused: focused, now: now)
            case .query: cursor = QueryPane.draw(screen, rect, state.query, focused: focused, now: now)
            case .results: ResultsPane.draw(screen, rect, state, focused: focused, now: now)
            }
        }
        if let menu = state.query.completion, let at = cursor, state.focus == .query, state.overlay == nil {
            CompletionList.draw(screen, menu, cursor: at, size: ScreenSize(rows: rows, cols: cols))
        }
        if let prompt = state.prompt {
            cursor = drawPrompt(screen, prompt, row: layout.status.row, width: cols)
        } else {
            StatusLine.draw(screen, row: layout.status.row, width: cols, scope: state.scope, activity: activity(state, now: now))
        }
        switch state.overlay {
        case .help(let scroll):
            _ = HelpScreen.draw(screen, Layout.helpBox(ScreenSize(rows: rows, cols: cols)), scroll: scroll)
            cursor = nil
        case .text(let title, let lines, let scroll):
            SQLView.draw(screen, Layout.viewerBox(ScreenSize(rows: rows, cols: cols)), title: title, lines: lines, scroll: scroll)
            cursor = nil
        case .chart(let chart, let scroll):
            ChartView.draw(screen, Layout.viewerBox(ScreenSize(rows: rows, cols: cols)), chart: chart, scroll: scroll)
            cursor = nil
        case .plan(let plan, let scroll):
            PlanView.draw(screen, Layout.viewerBox(ScreenSize(rows: rows, cols: cols)), plan: plan, scroll: scroll)
            cursor = nil
        case .star(let diagram):
            StarView.draw(screen, Layout.viewerBox(ScreenSize(rows: rows, cols: cols)), diagram: diagram)
            cursor = nil
        case .suites(let picker):
            let box = Layout.centred(rows: rows, cols: cols, height: picker.choices.count + 4, width: 76)
            screen.fill(box)
            Frame.draw(screen, box, title: "Run a validation suite", focused: true, note: "Enter runs · Esc closes")
            for (index, choice) in picker.choices.enumerated() {
                let row = box.row + 2 + index
                let text = TextFit.fit("\(index == picker.selected ? "▸" : " ") \(choice.title)", box.width - 4)
                screen.put(text, row: row, col: box.col + 2, style: index == picker.selected ? .selected : .normal, clip: box.inner)
            }
            cursor = nil
        case .confirmQuit(let work):
            let box = Layout.centred(rows: rows, cols: cols, height: 6, width: 60)
            screen.fill(box)
            Frame.draw(screen, box, title: "Quit?", focused: true)
            drawQuestion(
                screen, box, ["\(work) is running.", "Quitting cancels it: the server rolls it back."],
                yes: "quit", no: "stay")
            cursor = nil
        case .confirmRun(let steps):
            let box = Layout.centred(rows: rows, cols: cols, height: 8, width: 72)
            screen.fill(box)
            Frame.draw(screen, box, title: "Empty the loaded tables?", focused: true)
            let names = steps.map(\.description).joined(separator: ", ")
            drawQuestion(
                screen, box,
                [
                    "The tables hold \(Figures.count(state.loadedRows)) rows; \(steps.first { $0.phase == .drop } != nil ? "drop" : "create") empties staging",
                    "and the manifest; analytics stays as it is until the last insert swaps in the rebuild.",
                    "Steps: \(names)",
                ], yes: "run", no: "keep them")
            cursor = nil
        case nil:
            break
        }
        return cursor
    }

    private static func drawQuestion(_ screen: ScreenBuffer, _ box: Rect, _ lines: [String], yes: String, no: String) {
        for (offset, line) in lines.enumerated() {
            screen.put(TextFit.truncate(line, box.width - 4), row: box.row + 1 + offset, col: box.col + 2, clip: box.inner)
        }
        let row = box.row + box.height - 2
        var col = box.col + 2
        col += screen.put("y", row: row, col: col, style: .key, clip: box.inner)
        col += screen.put(" \(yes)   ", row: row, col: col, clip: box.inner)
        col += screen.put("n", row: row, col: col, style: .key, clip: box.inner)
        screen.put(" \(no)", row: row, col: col, clip: box.inner)
    }

    /// A question in the status line (search term, export path), with its own cursor.
    private static func drawPrompt(_ screen: ScreenBuffer, _ prompt: Prompt, row: Int, width: Int) -> (row: Int, col: Int) {
        var col = 1
        col += screen.put(prompt.label + " ", row: row, col: col, style: .key)
        let before = String(prompt.text[..<prompt.cursor])
        let room = max(1, width - col - 2)
        // Long paths scroll: the end, where the cursor usually is, stays in view.
        let shown = CellText.width(before) >= room ? TextFit.tail(String(prompt.text), room) : TextFit.truncate(String(prompt.text), room)
        screen.put(shown, row: row, col: col)
        let cursorCol = col + min(room - 1, CellText.width(before))
        return (row, cursorCol)
    }

    private static func drawTitle(_ screen: ScreenBuffer, _ state: ConsoleState, _ rect: Rect) {
        var col = 1
        col += screen.put("sparkify", row: rect.row, col: col, style: .focusedTitle)
        col += screen.put(" \(state.version) ", row: rect.row, col: col, style: .dim)
        let server = state.cluster.server?.shortVersion
        let what: String
        switch state.cluster.kind {
        case .embedded: what = "embedded \(server ?? "PostgreSQL")"
        case .postgres, .redshift: what = server ?? state.cluster.kind.title
        case .rehearsal: what = "Redshift rehearsal on the embedded server"
        }
        let target = "· \(what) · \(state.cluster.user)@\(state.cluster.database)"
        screen.put(TextFit.truncate(target, max(0, rect.width - col - 1)), row: rect.row, col: col, style: .normal)
    }

    /// The right end of the status line: what is running, with a timer.
    static func activity(_ state: ConsoleState, now: Double) -> (text: String, style: Style)? {
        if let step = state.steps.first(where: { $0.state == .running }) {
            let elapsed = step.startedAt.map { Figures.duration(now - $0) } ?? ""
            return ("▶ \(step.step) \(elapsed)", .running)
        }
        if state.query.running, let started = state.query.startedAt {
            let what = state.result.mode == .checks ? "validation" : "query"
            let rows = state.result.loading ? " · \(Figures.count(state.result.rows?.count ?? 0)) rows" : ""
            return ("▶ \(what) \(Figures.duration(now - started))\(rows)", .running)
        }
        if case .lost = state.cluster.state { return ("✕ connection lost: c reconnects", .bad) }
        if state.focus == .query, state.query.replacedText != nil { return ("your SQL was replaced: Ctrl-Z brings it back", .warning) }
        if case .connecting = state.cluster.state { return ("◌ connecting", .running) }
        return nil
    }
}
