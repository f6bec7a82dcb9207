import Warehouse

/// The moment a key is handled: the clocks, read by the loop (the reducer reads none), and
/// whether the key came in a paste.
struct KeyMoment: Sendable {
    /// Monotonic seconds, for timers.
    var now: Double
    /// Seconds since 1970, for names stamped with the date (an export's default file name).
    var wallClock: Double
    /// Many keys in one read are a paste: pasted lines keep their own indentation.
    var pasting = false
}

extension ConsoleState {
    /// Reduces one action into a new state and the effects the session must perform. Every key
    /// goes through here; nothing here does I/O or reads a clock.
    mutating func reduce(_ action: Action, _ moment: KeyMoment) -> [Effect] {
        // A load, a query or a suite uses the warehouse: the idle reminder starts again.
        if [.runStep, .runFromHere, .confirmRun, .runStatement, .runAll, .rerunSuite, .validate].contains(action) {
            cluster.life?.lastUsed = moment.now
        }
        switch scope {
        case .query: if let effects = reduceInEditor(action, moment) { return effects }
        case .results: if let effects = reduceInGrid(action, moment) { return effects }
        case .checks: if let effects = reduceInChecks(action, moment) { return effects }
        case .prompt: if let effects = reduceInPrompt(action, moment) { return effects }
        case .picker: if let effects = reduceInPicker(action, moment) { return effects }
        case .everywhere, .cluster, .tables, .runner, .viewer, .help, .confirm, .confirmRun: break
        }
        switch action {
        case .help: overlay = .help(scroll: 0)
        case .close, .stay: overlay = nil
        case .nextPane: focus = Pane.allCases[(focus.rawValue + 1) % Pane.allCases.count]
        case .previousPane: focus = Pane.allCases[(focus.rawValue + Pane.allCases.count - 1) % Pane.allCases.count]
        case .zoom: zoomed.toggle()
        case .cancel: return cancel()
        case .quit:
            if let work = workInFlight { overlay = .confirmQuit(work) } else { quitting = true }
            return quitting ? [keepEditorText] : []
        case .confirmQuit:
            quitting = true
            return [.cancelSteps, .cancelQuery, .cancelExport, keepEditorText]
        case .confirmRun:
            guard case .confirmRun(let steps) = overlay else { return [] }
            overlay = nil
            return start(steps)
        case .reconnect:
            cluster.state = .connecting("reconnecting")
            append(.info, "reconnecting")
            return [.reconnect]
        case .refreshCounts:
            countsKnown = false
            return [.refreshCounts]
        case .validate: openSuitePicker()
        case .moveUp: move(by: -1)
        case .moveDown: move(by: 1)
        case .pageUp: move(by: -page)
        case .pageDown: move(by: page)
        case .top: move(by: Int.min / 2)
        case .bottom: move(by: Int.max / 2)
        case .runStep: return run(from: selectedStep, all: false)
        case .runFromHere: return run(from: selectedStep, all: true)
        case .showSQL: showSQL()
        case .openRejects: return openRejects(moment)
        case .changeSource:
            prompt = Prompt(
                .source, label: "copy from (a folder or s3://bucket/prefix; empty: the configured data):",
                text: loadSource ?? "")
        case .changeErrorLimit:
            prompt = Prompt(.errorLimit, label: "error limit (bad records a copy may skip):", text: String(maxErrors))
        case .createCluster, .pauseCluster, .resumeCluster, .deleteCluster:
            return clusterKey(action)
        case .browseTable:
            guard counts.indices.contains(selectedTable) else { return [] }
            let table = counts[selectedTable].table
            focus = .query
            replaceEditorText(with: "SELECT *\nFROM \(table)\nLIMIT 100;")
            return runStatements(all: true, moment)
        case .describeTable, .tableDefinition:
            guard counts.indices.contains(selectedTable) else { return [] }
            let table = counts[selectedTable].table
            focus = .results
            if action == .tableDefinition { return runMeta(.success(.definition(table)), line: "\\ddl \(table)", range: 0..<0, moment) }
            return runMeta(.success(.describe(table)), line: "\\d \(table)", range: 0..<0, moment)
        case .click(let row, let col): return click(row: row, col: col)
        case .scroll(let lines, let row, let col): return scroll(lines: lines, row: row, col: col)
        case .showStar:
            overlay = .star(StarDiagram(catalog: catalog, counts: counts))
            // Drawn from what was last read; the counts and the catalog are read again beside it.
            return [.refreshCounts]
        case .type, .runStatement, .runAll, .newline, .cursorLeft, .cursorRight, .lineStart, .lineEnd, .wordLeft,
            .wordRight, .textStart, .textEnd, .deleteBack, .deleteForward, .deleteWord, .deleteToLineEnd,
            .deleteToLineStart, .undo, .redo, .historyPrevious, .historyNext, .saveSQL, .openSQL, .complete, .leaveEditor, .columnLeft, .columnRight,
            .firstColumn, .lastColumn, .openCell, .freeze, .search, .searchNext, .searchPrevious, .sort,
            .export, .copyCell, .copyRow, .previousResult, .nextResult, .pinResult, .chart, .filter, .showPlan, .showChecks, .openCheck, .showRows,
            .rerunSuite,
            .confirm:
            break  // they mean something only where their scope handled them above
        }
        return []
    }

    /// The loop's heartbeat: a round trip measured every two seconds while connected, and a
    /// look at the Redshift cluster every minute (every few seconds while it changes).
    mutating func tick(now: Double) -> [Effect] {
        var effects: [Effect] = []
        if var life = cluster.life {
            if life.lastUsed == 0 { life.lastUsed = now }
            let changing = life.busy != nil || !["available", "paused"].contains(life.description?.status ?? "available")
            if now - life.lastLook >= (changing ? 5 : 60) {
                life.lastLook = now
                effects.append(.describeCluster)
            }
            cluster.life = life
        }
        guard case .connected = cluster.state, now - lastPing >= 2 else { return effects }
        lastPing = now
        return effects + [.ping]
    }

    /// The Cluster pane's keys for the Redshift cluster's life.
    private mutating func clusterKey(_ action: Action) -> [Effect] {
        guard var life = cluster.life else {
            append(.info, "no cluster to manage: dwh.cfg has no [DWH] DWH_CLUSTER_IDENTIFIER, or no AWS keys were found")
            return []
        }
        if let busy = life.busy {
            append(.warning, "the cluster is busy (\(busy)): wait for it")
            return []
        }
        let status = life.description?.status
        if action == .createCluster {
            guard life.description == nil else {
                append(.info, "the cluster \(life.identifier) exists (\(status ?? "?"))")
                return []
            }
            prompt = Prompt(.clusterAllowFrom, label: "create \(life.identifier); open its port to (e.g. 203.0.113.7/32; empty: none):")
            return []
        }
        if action == .deleteCluster {
            prompt = Prompt(.clusterDelete, label: "type \(life.identifier) to delete the cluster (no final snapshot):")
            return []
        }
        let pausing = action == .pauseCluster
        guard status == (pausing ? "available" : "paused") else {
            append(.info, "only \(pausing ? "an available cluster pauses" : "a paused cluster resumes") (it is \(status ?? "not there"))")
            return []
        }
        life.busy = pausing ? "pausing" : "resuming"
        cluster.life = life
        return [.clusterAction(pausing ? .pause : .resume)]
    }

    private var page: Int { max(1, size.rows / 2) }

    /// The editor's text for the next session, secrets masked as the history masks them.
    var keepEditorText: Effect { .keepEditorText(query.history.redacted(query.editor.text)) }

    mutating func move(by delta: Int) {
        func clamped(_ value: Int, _ upper: Int) -> Int { max(0, min(value, max(0, upper))) }
        switch overlay {
        case .help(let scroll):
            let height = helpBox.inner.height
            overlay = .help(scroll: clamped(scroll.addingReportingOverflow(delta).partialValue, HelpScreen.lines.count - height))
        case .text(let title, let lines, let scroll):
            let box = viewerBox
            let shown = SQLView.wrapped(lines, width: box.inner.width - 1).count
            overlay = .text(title: title, lines: lines, scroll: clamped(scroll.addingReportingOverflow(delta).partialValue, shown - box.inner.height))
        case .chart(let chart, let scroll):
            let height = viewerBox.inner.height - (chart.series.count > 1 ? 1 : 0)
            overlay = .chart(chart, scroll: clamped(scroll.addingReportingOverflow(delta).partialValue, chart.lineCount - height))
        case .plan(let plan, let scroll):
            let shown = PlanView.lines(plan).count
            overlay = .plan(plan, scroll: clamped(scroll.addingReportingOverflow(delta).partialValue, shown - viewerBox.inner.height))
        case .confirmQuit, .confirmRun, .suites, .star:
            break
        case nil:
            if focus == .runner {
                selectedStep = clamped(selectedStep + max(-100, min(100, delta)), steps.count - 1)
            } else if focus == .tables {
                selectedTable = clamped(selectedTable + max(-100, min(100, delta)), counts.count - 1)
            }
        }
    }

    /// Ctrl-C: what the focus is on first (the query, when the editor or grid has it), else
    /// whatever runs.
    private mutating func cancel() -> [Effect] {
        let queryFirst = focus == .query || focus == .results
        if result.export?.finished == false, focus == .results || !query.running {
            result.busy = nil
            return [.cancelExport]
        }
        if query.running && (queryFirst || !running) {
            query.outcome = .cancelling
            return [.cancelQuery]
        }
        if running {
            let step = steps.first { $0.state == .running }?.step.description ?? "the load"
            append(.warning, "cancelling \(step) on the server…")
            return [.cancelSteps]
        }
        append(.info, "nothing is running to cancel (q quits)")
        return []
    }

    // MARK: - The runner

    private mutating func run(from index: Int, all: Bool) -> [Effect] {
        guard !running else {
            append(.warning, "a step is running: wait for it, or Ctrl-C to cancel it")
            return []
        }
        if case .lost = cluster.state {
            append(.error, "not connected: press c to reconnect, then run the step again")
            return []
        }
        let chosen = all ? Array(steps[index...].map(\.step)) : [steps[index].step]
        // Emptying loaded tables is asked about first: one key should not cost the warehouse.
        if chosen.contains(where: { $0.phase == .drop || $0.phase == .create }), loadedRows > 0 {
            overlay = .confirmRun(chosen)
            return []
        }
        return start(chosen)
    }

    /// Rows the warehouse's tables hold, as last counted.
    var loadedRows: Int { counts.reduce(0) { $0 + ($1.rows ?? 0) } }

    private mutating func start(_ chosen: [LoadStep]) -> [Effect] {
        for step in chosen {
            if let index = steps.firstIndex(where: { $0.step == step }) { steps[index] = StepRow(step: step) }
        }
        running = true
        return [.runSteps(chosen)]
    }

    private mutating func showSQL() {
        let step = steps[selectedStep].step
        guard let plan else {
            append(.info, "the SQL is ready once the warehouse is connected")
            return
        }
        var lines = ["-- \(step): one transaction", "BEGIN;"]
        if step.phase == .copy, cluster.server?.engine != .redshift {
            lines.append("-- rows: each line of the .json files in \(environment.source)")
        }
        lines += PlannedStatement.listing(plan.statements(for: step))
        lines.append("COMMIT;")
        overlay = .text(title: "SQL: \(step)", lines: lines, scroll: 0)
    }

    private mutating func openRejects(_ moment: KeyMoment) -> [Effect] {
        focus = .query
        replaceEditorText(with: "SELECT target_table, file, line, reason, raw_record\nFROM staging.load_errors\nORDER BY loaded_at DESC, file, line;")
        return runStatements(all: true, moment)
    }

    // MARK: - Geometry shared with drawing

    var helpBox: Rect { Layout.helpBox(size) }
    var viewerBox: Rect { Layout.viewerBox(size) }
}
