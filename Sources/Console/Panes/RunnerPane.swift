import Warehouse

/// The load, step by step: each step's state, rows and time; a progress bar under a running
/// copy (files, bytes, rows, rate, time left) or a live timer for an insert; then the log.
enum RunnerPane {
    /// The steps drawn: from `first`, `count` of them (all, unless the pane is squeezed). The
    /// drawing and the mouse both ask this.
    static func stepWindow(_ state: ConsoleState, height: Int) -> (first: Int, count: Int) {
        let running = state.steps.firstIndex { $0.state == .running }
        let compact = height < state.steps.count + 3
        let count = compact ? max(1, height - (running != nil ? 2 : 0)) : state.steps.count
        let first = compact ? max(0, min((running ?? state.selectedStep) - count / 2, state.steps.count - count)) : 0
        return (first, count)
    }

    static func draw(_ screen: ScreenBuffer, _ rect: Rect, _ state: ConsoleState, focused: Bool, now: Double) {
        Frame.draw(screen, rect, title: Pane.runner.title, focused: focused, note: state.cluster.server.map { "\($0.engine.rawValue) SQL" })
        let inner = rect.inner
        guard !inner.isEmpty else { return }
        let nameWidth = min(19, max(8, inner.width - 29))
        // Squeezed (while the query pane has the room), it shows a window of steps around the
        // running or selected one, and the running one's progress.
        let running = state.steps.firstIndex { $0.state == .running }
        let (first, stepRows) = stepWindow(state, height: inner.height)
        let compact = stepRows < state.steps.count || inner.height < state.steps.count + 3
        var row = inner.row
        for (index, entry) in state.steps.enumerated().dropFirst(first).prefix(stepRows) where row < inner.row + inner.height {
            drawStep(
                screen, entry, row: row, inner: inner, nameWidth: nameWidth, selected: index == state.selectedStep,
                focused: focused, now: now)
            row += 1
        }
        guard row < inner.row + inner.height else { return }
        if !compact, running == nil {
            row = drawSource(screen, state, row: row, inner: inner, focused: focused)
            guard row < inner.row + inner.height else { return }
        }
        row = drawProgress(screen, state, row: row, inner: inner, now: now)
        drawLog(screen, state.log, rows: row..<(inner.row + inner.height), inner: inner)
    }

    /// Where the copy steps read and how many bad records they may skip; the path is cut in
    /// the middle, so its start and its last folder both show.
    private static func drawSource(_ screen: ScreenBuffer, _ state: ConsoleState, row: Int, inner: Rect, focused: Bool) -> Int {
        let limit = "error limit \(Figures.count(state.maxErrors))"
        let keys = focused ? "  (o, m change)" : ""
        let room = max(8, inner.width - 2 - 8 - DisplayWidth.of(limit) - 3 - DisplayWidth.of(keys))
        let text = "  reads  " + TextFit.middle(state.environment.source, room) + " · " + limit + keys
        screen.put(TextFit.truncate(text, inner.width), row: row, col: inner.col, style: .dim, clip: inner)
        return row + 1
    }

    private static func drawStep(
        _ screen: ScreenBuffer, _ entry: StepRow, row: Int, inner: Rect, nameWidth: Int,
        selected: Bool, focused: Bool, now: Double
    ) {
        var col = inner.col
        col += screen.put(selected ? "▸ " : "  ", row: row, col: col, style: focused ? .focusedBorder : .dim, clip: inner)
        col += screen.put(TextFit.fit(entry.step.description, nameWidth) + " ", row: row, col: col, clip: inner)
        let (mark, style) = look(entry.state)
        col += screen.put(TextFit.fit("\(mark) \(entry.state.rawValue)", 12), row: row, col: col, style: style, clip: inner)
        let remaining = inner.col + inner.width - col
        let timeWidth = 7
        let rowsWidth = max(0, remaining - timeWidth - 1)
        var rowsText = ""
        if entry.step.phase != .drop && entry.step.phase != .create, let rows = entry.rows {
            rowsText = Figures.count(rows)
            if entry.rejected > 0 { rowsText += " +\(Figures.count(entry.rejected)) rej" }
            if DisplayWidth.of(rowsText) > rowsWidth {
                rowsText = Figures.compactCount(rows) + (entry.rejected > 0 ? "+\(Figures.compactCount(entry.rejected))!" : "")
            }
        }
        screen.put(
            TextFit.fit(rowsText, rowsWidth, .right), row: row, col: col,
            style: entry.rejected > 0 ? .warning : .normal, clip: inner)
        var elapsed = entry.elapsed
        if entry.state == .running, let started = entry.startedAt { elapsed = now - started }
        screen.put(
            TextFit.fit(elapsed.map(Figures.shortDuration) ?? "", timeWidth, .right),
            row: row, col: inner.col + inner.width - timeWidth, style: .dim, clip: inner)
        if selected && focused { screen.restyle(Rect(row: row, col: inner.col + 2, height: 1, width: nameWidth), .selected) }
    }

    static func look(_ state: StepRow.State) -> (String, Style) {
        switch state {
        case .waiting: return ("·", .dim)
        case .running: return ("▶", .running)
        case .done: return ("✓", .good)
        case .failed: return ("✕", .bad)
        case .cancelled: return ("⊘", .warning)
        }
    }

    /// Two lines under the steps: a bar and its figures for a running copy, a timer for other
    /// running steps, or the demo dataset being written. Returns the next free row.
    private static func drawProgress(_ screen: ScreenBuffer, _ state: ConsoleState, row: Int, inner: Rect, now: Double) -> Int {
        let barWidth = max(0, inner.width - 9)
        let copying = state.steps.filter { $0.state == .running && ($0.copy?.filesTotal ?? 0) > 0 }
        if copying.count > 1 {
            // The two copy steps run at once, each on its own session: a bar each, named.
            for (offset, running) in copying.prefix(2).enumerated() {
                let copy = running.copy!
                let elapsed = running.startedAt.map { now - $0 } ?? 0
                if let holder = state.lockHolders[running.step]?.first {
                    screen.put(
                        TextFit.truncate(waiting(running.step, elapsed: elapsed, for: holder, state), inner.width - 1),
                        row: row + offset, col: inner.col + 1, style: .warning, clip: inner)
                    continue
                }
                let name = TextFit.fit(running.step.description, 20)
                let tail =
                    TextFit.fit(copy.percentText, 4, .right) + " · " + Figures.count(copy.rowsDone, "row")
                    + (timeLeft(copy, elapsed: elapsed).map { " · \($0) left" } ?? "")
                let width = max(0, inner.width - 4 - 20 - DisplayWidth.of(tail))
                screen.put(name, row: row + offset, col: inner.col + 1, style: .heading, clip: inner)
                ProgressBar.draw(screen, row: row + offset, col: inner.col + 22, width: width, fraction: copy.fraction ?? 0, clip: inner)
                screen.put(tail, row: row + offset, col: inner.col + 23 + width, style: .heading, clip: inner)
            }
            return row + 2
        }
        if let running = state.steps.first(where: { $0.state == .running }) {
            let elapsed = running.startedAt.map { now - $0 } ?? 0
            if let copy = running.copy, copy.filesTotal > 0 {
                // The bar, its percentage and the time left on one line; the counts under it.
                let left = timeLeft(copy, elapsed: elapsed).map { " · \($0) left" } ?? ""
                let tail = TextFit.fit(copy.percentText, 4, .right) + left
                let width = max(0, inner.width - 3 - DisplayWidth.of(tail))
                ProgressBar.draw(screen, row: row, col: inner.col + 1, width: width, fraction: copy.fraction ?? 0, clip: inner)
                screen.put(tail, row: row, col: inner.col + 2 + width, style: .heading, clip: inner)
                // A copy held up by a lock says so in place of its figures.
                let holder = state.lockHolders[running.step]?.first
                screen.put(
                    TextFit.truncate(
                        holder.map { waiting(running.step, elapsed: elapsed, for: $0, state) } ?? copyFigures(copy, elapsed: elapsed),
                        inner.width - 1), row: row + 1,
                    col: inner.col + 1, style: holder == nil ? .normal : .warning, clip: inner)
            } else if let holder = state.lockHolders[running.step]?.first {
                screen.put(
                    TextFit.truncate(waiting(running.step, elapsed: elapsed, for: holder, state), inner.width - 1),
                    row: row, col: inner.col + 1, style: .warning, clip: inner)
            } else if let copy = running.copy, copy.awaitingServerFigures {
                screen.put(
                    TextFit.truncate(
                        "\(running.step): \(Figures.duration(elapsed)), \(CopyProgress.awaitingServerWords) (Ctrl-C cancels)", inner.width - 1),
                    row: row, col: inner.col + 1, style: .running, clip: inner)
            } else {
                screen.put(
                    TextFit.truncate("\(running.step): running for \(Figures.duration(elapsed)) on the server (Ctrl-C cancels)", inner.width - 1),
                    row: row, col: inner.col + 1, style: .running, clip: inner)
            }
            return row + 2
        }
        if state.running, let other = state.otherLoad {
            screen.put(
                TextFit.truncate("\(other): waiting for it (Ctrl-C stops waiting)", inner.width - 1), row: row, col: inner.col + 1,
                style: .warning, clip: inner)
            return row + 2
        }
        if let demo = state.demo {
            let fraction =
                Double(demo.written.songsWritten + demo.written.eventsWritten)
                / Double(max(1, demo.total.songs + demo.total.events))
            ProgressBar.draw(screen, row: row, col: inner.col + 1, width: barWidth, fraction: fraction, clip: inner)
            screen.put(
                TextFit.truncate(
                    "writing the demo dataset: \(Figures.count(demo.written.songsWritten)) of \(Figures.count(demo.total.songs)) songs, \(Figures.count(demo.written.eventsWritten)) of \(Figures.count(demo.total.events)) events",
                    inner.width - 1),
                row: row + 1, col: inner.col + 1, clip: inner)
            return row + 2
        }
        return row
    }

    /// A step that waits on a lock says who holds it: most often the editor's own open
    /// transaction.
    static func waiting(_ step: LoadStep, elapsed: Double, for holder: LockHolder, _ state: ConsoleState) -> String {
        let who =
            holder.pid == state.querySessionPID
            ? "the query editor's open transaction (COMMIT or ROLLBACK it there)"
            : holder.description
        return "\(step): waiting \(Figures.duration(elapsed)) for a lock held by \(who)"
    }

    /// At the rate so far; nil until there is a rate worth extrapolating.
    static func timeLeft(_ copy: CopyProgress, elapsed: Double) -> String? {
        guard !copy.stillListing, elapsed > 0.2, copy.bytesDone > 0, copy.bytesTotal > copy.bytesDone else { return nil }
        let rate = Double(copy.bytesDone) / elapsed
        return Figures.shortDuration(Double(copy.bytesTotal - copy.bytesDone) / rate)
    }

    /// "files 3/30 · 12.0 MiB/462 MiB · rows 26,000/~1,000,000 · 40.1 MiB/s"; while the folder
    /// is still listed, "files 3/1,200+ · 1.0 MiB/5.1 MiB+ · …" (totals found so far).
    static func copyFigures(_ copy: CopyProgress, elapsed: Double) -> String {
        let more = copy.stillListing ? "+" : ""
        var parts = [
            "files \(Figures.count(copy.filesDone))/\(copy.filesTotalText)",
            "\(Figures.bytes(copy.bytesDone))/\(Figures.bytes(copy.bytesTotal))\(more)",
        ]
        parts.append("rows \(Figures.count(copy.rowsDone))" + (copy.estimatedRowsTotal.map { "/~\(Figures.count($0))" } ?? ""))
        if elapsed > 0.2 { parts.append("\(Figures.bytes(Int(Double(copy.bytesDone) / elapsed)))/s") }
        if copy.rejected > 0 { parts.append("\(Figures.count(copy.rejected)) rejected") }
        if let retrying = copy.retrying { parts.append(retrying) }
        return parts.joined(separator: " · ")
    }

    /// The newest log lines that fit, under a rule; long lines wrap, so a server message is
    /// read whole (zoom the pane with F2 for more of it).
    private static func drawLog(_ screen: ScreenBuffer, _ log: [LogLine], rows: Range<Int>, inner: Rect) {
        guard rows.count >= 2 else { return }
        screen.put(String(repeating: "─", count: inner.width), row: rows.lowerBound, col: inner.col, style: .border, clip: inner)
        screen.put(" log ", row: rows.lowerBound, col: inner.col + 2, style: .dim, clip: inner)
        let space = rows.count - 1
        var wrapped: [LogLine] = []
        for line in log.suffix(space) {
            for piece in TextFit.wrap(line.text, inner.width - 1) { wrapped.append(LogLine(level: line.level, text: piece)) }
        }
        for (offset, line) in wrapped.suffix(space).enumerated() {
            let style: Style
            switch line.level {
            case .info: style = .normal
            case .notice: style = .dim
            case .warning: style = .warning
            case .error: style = .bad
            }
            screen.put(
                TextFit.truncate(line.text, inner.width - 1), row: rows.lowerBound + 1 + offset, col: inner.col + 1,
                style: style, clip: inner)
        }
    }
}
