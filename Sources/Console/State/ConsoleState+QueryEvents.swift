import Warehouse

extension ConsoleState {
    /// A finished statement's result joins the kept ones (the oldest unpinned go past the limit).
    private mutating func keep(_ kept: KeptResult) {
        if let shown = result.shown, result.kept.indices.contains(shown) { result.kept[shown].grid = result.grid }
        result.kept.append(kept)
        while result.kept.count > ResultState.keptLimit, let oldest = result.kept.firstIndex(where: { !$0.pinned }) {
            result.kept.remove(at: oldest)
        }
        result.shown = result.kept.count - 1
    }

    /// Applies the query pane's events: statements, their rows, checks, sorts, searches, exports.
    mutating func applyQuery(_ event: SessionEvent, now: Double) -> [Effect] {
        switch event {
        case .querySessionOpened(let pid):
            querySessionPID = pid
            query.transaction = .idle
        case .transaction(let state):
            query.transaction = state
        case .statementStarted(let index):
            query.current = index
        case .resultStarted(let rows):
            result.rows = rows
            result.mode = .rows
            result.loading = true
            result.capped = false
            result.grid = GridState()
            result.sql = query.statements.indices.contains(query.current) ? query.statements[query.current].text : nil
            result.notice = nil
            result.search = nil
            result.matches = nil
        case .rowsArrived:
            break  // the grid reads the count from the store; the event only wakes the UI
        case .statementFinished(let index, let rows, let tag, let elapsed, let capped):
            let returnedRows = result.rows != nil && result.loading
            if returnedRows {
                result.loading = false
                result.capped = capped
            }
            let summary = StatementSummary(
                index: index, count: query.statements.count, rows: rows, commandTag: tag,
                returnedRows: returnedRows || tag.hasPrefix("SELECT"), capped: capped,
                elapsed: elapsed)
            query.outcome = .finished(summary)
            // EXPLAIN's rows are read as the tree they print (the grid keeps the text; P reopens it).
            if returnedRows, let rows = result.rows, prompt == nil, case .none = overlay { openPlan(rows) }
            keep(
                KeptResult(
                    sql: query.statements.indices.contains(index) ? query.statements[index].text : "", rows: returnedRows ? result.rows : nil,
                    summary: summary, capped: returnedRows && capped))
        case .statementFailed(let index, let problem, let elapsed):
            if result.loading { result.loading = false }
            if problem.cancelled {
                query.outcome = .cancelled(
                    index: index, count: query.statements.count, elapsed: elapsed,
                    rowsKept: result.rows?.count ?? 0)
            } else {
                var at: EditorBuffer.Position?
                if let position = problem.position, query.statements.indices.contains(index) {
                    let offset = Self.editorOffset(ofServerPosition: position, in: query.statements[index])
                    query.errorOffset = offset
                    at = query.editor.position(ofOffset: offset)
                }
                query.outcome = .failed(index: index, count: query.statements.count, problem, at: at)
            }
        case .statementsEnded(let elapsed):
            query.running = false
            result.loading = false
            if query.statements.count > 1, case .finished(let last) = query.outcome {
                query.outcome = .runFinished(statements: query.statements.count, elapsed: elapsed, last: last)
            }
            // DML or DDL typed in the editor changes what the Tables pane counted.
            if query.statements.contains(where: { SQLStatements.changesData($0.text) }) { return [.refreshCounts] }
        case .suiteLoaded(let suite):
            result.validation = ValidationState(suite: suite)
            result.mode = .checks
        case .suiteUnreadable(let message):
            query.running = false
            query.outcome = .fileProblem(message)
            result.mode = .rows
        case .checkStarted(let index):
            result.validation?.running = index
        case .checkFinished(let index, let outcome):
            result.validation?.results[index] = outcome
        case .suiteEnded(let cancelled):
            query.running = false
            result.validation?.running = nil
            // The first failure is selected, so its message is what the report shows under the list.
            if let first = result.validation?.results.firstIndex(where: { $0?.verdict == .fail || $0?.verdict == .error }),
                result.validation?.results[result.validation!.selected]?.verdict != .fail
            {
                result.validation?.selected = first
            }
            if let validation = result.validation {
                let checks = validation.suite.checks.count
                query.outcome =
                    cancelled
                    ? .validationCancelled(done: validation.done, checks: checks)
                    : .validated(
                        passed: validation.passed, failed: validation.failed, checks: checks,
                        firstFailed: validation.results.first { $0?.verdict == .fail || $0?.verdict == .error }??.check.name)
            }
        case .sorted(let rows, let order, let column, let descending):
            guard rows === result.rows else { return [] }
            // Keep the same stored row selected across the new order.
            let selected = result.grid.order.map { Int($0[result.grid.row]) } ?? result.grid.row
            if let shown = result.grid.order, result.grid.filter != nil {
                // Sorted under a filter: the sort orders every row; only the filtered ones stay shown.
                result.grid.unfiltered = order
                let kept = Set(shown)
                result.grid.order = order.filter { kept.contains($0) }
            } else {
                result.grid.order = order
            }
            result.grid.sort = (column, descending)
            result.matches = nil
            result.grid.row = result.grid.order?.firstIndex(of: UInt32(selected)) ?? 0
            result.busy = nil
        case .filtered(let rows, let term, let order):
            guard rows === result.rows else { return [] }
            if result.grid.filter == nil { result.grid.unfiltered = result.grid.order }
            result.grid.order = order
            result.grid.filter = term
            result.grid.filteredFrom = rows.count
            result.grid.row = 0
            result.grid.top = 0
            result.matches = nil
            result.busy = nil
            result.notice = order.isEmpty ? "no row has a cell containing '\(term)': f and an empty term show every row" : nil
        case .found(let rows, let term, let at, let matches):
            guard rows === result.rows else { return [] }
            result.busy = nil
            if let matches { result.matches = matches }
            if let at {
                result.grid.row = at.row
                result.grid.column = at.column
                result.notice = nil
            } else {
                result.notice = "no match for '\(term)'"
            }
        case .exportProgress(let written, let total):
            result.export?.written = written
            result.export?.total = total
        case .sqlSaved(let path):
            query.file = path
            query.outcome = .said(.saved(path))
        case .sqlOpened(let path, let text):
            replaceEditorText(with: text)
            query.file = path
            query.outcome = .said(.opened(path))
        case .sqlFileProblem(let problem):
            query.outcome = .fileProblem(problem)
        case .saveWouldReplace(let path):
            prompt = Prompt(.saveSQL(replacing: true), label: "replace the existing file? Enter replaces it, Esc keeps it:", text: path)
        case .exportWouldReplace(let path):
            result.export = nil
            prompt = Prompt(.export(replacing: true), label: "replace the existing file? Enter replaces it, Esc keeps it:", text: path)
        case .exportFinished(let path, let rows, let problem):
            result.export = ExportState(path: path, written: rows, total: rows, finished: true, problem: problem)
        case .clusterDescribed, .clusterLookFailed, .clusterNote, .clusterActionEnded, .stepWaiting, .waitingForAnotherLoad,
            .connecting, .connected,
            .connectionLost,
            .latency, .counts, .catalogRead, .countsFailed, .log, .demoWriting,
            .demoReady,
            .loadConfigured,
            .runnerReady, .stepStarted, .stepProgress, .stepFinished, .stepFailed, .runRefused, .runEnded:
            break  // the runner's and the cluster's, applied in `apply`
        }
        return []
    }

    /// Clamps the grid and the editor's scroll after keys and events, for the screen's layout.
    mutating func settle() {
        if let editor = layout.panes[.query] {
            query.scroll = QueryPane.scroll(query, height: max(1, editor.height - 2))
        }
        if let stored = result.rows, !stored.columns.isEmpty, let rect = layout.panes[.results] {
            let area = ResultsPane.gridArea(in: rect)
            let widths = GridState.widths(
                columns: stored.columns, content: stored.columnWidths, room: area.width,
                sorted: result.grid.sort?.column)
            result.grid.settle(
                rows: result.grid.order?.count ?? stored.count, columns: stored.columns.count,
                height: ResultsPane.dataRows(in: rect), widths: widths, width: max(1, area.width))
        }
    }

    static func editorOffset(ofServerPosition position: Int, in statement: (range: Range<Int>, text: String)) -> Int {
        statement.range.lowerBound + SQLStatements.characterOffset(ofServerPosition: position, in: statement.text)
    }
}
