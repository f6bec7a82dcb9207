import Foundation
import PostgresClient
import Warehouse

/// The query pane's work: statements streamed into a `ResultRows` store, validation suites,
/// and the grid's long jobs (sort, search, export) on the browse worker.
extension ConsoleSession {
    // MARK: - Statements

    /// Runs statements one after another on the query session, stopping at the first that fails
    /// or is cancelled. Each result streams into a fresh store the grid reads as rows land.
    func runStatements(_ statements: [String]) {
        shared.update { $0.queryCancelled = false }
        queryWorker.submit { [self] connection in
            let started = Clock.now
            defer { events.post(.statementsEnded(elapsed: Clock.now - started)) }
            guard let connection else {
                events.post(
                    .statementFailed(index: 0, QueryProblem(message: "not connected: c reconnects (Tab out of the editor first)"), elapsed: 0))
                return
            }
            // After the run, whatever its end: whether the session is left inside a transaction.
            defer { events.post(.transaction(connection.transaction)) }
            for (index, sql) in statements.enumerated() {
                if shared.read({ $0.queryCancelled }) { return }
                events.post(.statementStarted(index: index))
                guard stream(sql, index: index, on: connection) else { return }
            }
        }
    }

    /// One statement; false when it failed or was cancelled.
    private func stream(_ sql: String, index: Int, on connection: Connection) -> Bool {
        struct CapReached: Error {}
        let started = Clock.now
        var store: ResultRows?
        var stored = 0  // rows in `store`, counted here so a row costs one lock, not three
        var lastPost = 0.0
        defer { store?.finish() }
        do {
            let summary = try connection.stream(
                sql,
                columns: { [events] columns in
                    store?.finish()
                    let rows = ResultRows(columns: columns)
                    store = rows
                    stored = 0
                    events.post(.resultStarted(rows))
                }
            ) { [events, rowCap] row in
                guard let rows = store else { return }
                if stored >= rowCap { throw CapReached() }
                stored = rows.append(row)
                // The first row wakes the UI at once (the first screen); later ones at most
                // every 50 ms, which is as often as a count needs to move.
                let now = Clock.now
                if stored == 1 || now - lastPost > 0.05 {
                    lastPost = now
                    events.post(.rowsArrived)
                }
            }
            store?.finish()
            events.post(
                .statementFinished(
                    index: index, rows: summary.rows, commandTag: summary.commandTag,
                    elapsed: Clock.now - started, capped: false))
            return true
        } catch is CapReached {
            store?.finish()
            events.post(
                .statementFinished(
                    index: index, rows: stored, commandTag: "",
                    elapsed: Clock.now - started, capped: true))
            return true
        } catch {
            store?.finish()
            events.post(.statementFailed(index: index, QueryProblem(error), elapsed: Clock.now - started))
            if !connection.isAlive { events.post(.connectionLost(Self.describe(error))) }
            return false
        }
    }

    /// Ctrl-C: cancels the running statement or check on the server and stops the run there.
    func cancelQuery() {
        let canceller = shared.update {
            $0.queryCancelled = true
            return $0.queryCanceller
        }
        canceller?.cancel()
    }

    // MARK: - Validation

    /// Runs a suite's checks in order on the query session; Ctrl-C stops it between checks
    /// (and cancels the one running).
    func runSuite(_ source: SuiteSource) {
        shared.update { $0.queryCancelled = false }
        queryWorker.submit { [self] connection in
            let suite: ValidationSuite
            switch source {
            case .builtIn: suite = DefaultSuite.suite
            case .loaded(let given): suite = given
            case .file(let path):
                do {
                    guard let data = FileManager.default.contents(atPath: path) else {
                        throw SuiteError(path: path, line: 0, problem: "cannot be read (no such file, or no permission)")
                    }
                    suite = try ValidationSuite.parse(path: path, text: String(decoding: data, as: UTF8.self))
                } catch {
                    events.post(.suiteUnreadable(Self.describe(error)))
                    return
                }
            }
            events.post(.suiteLoaded(suite))
            var cancelled = false
            defer { events.post(.suiteEnded(cancelled: cancelled)) }
            guard let connection else {
                events.post(.log(.error, "not connected: c reconnects (Tab out of the editor first)"))
                return
            }
            for (index, check) in suite.checks.enumerated() {
                if shared.read({ $0.queryCancelled }) {
                    cancelled = true
                    return
                }
                events.post(.checkStarted(index))
                events.post(.checkFinished(index, SuiteRunner.run(check, on: connection)))
            }
        }
    }

    // MARK: - Sort, search, export

    func sort(_ rows: ResultRows, by column: Int, descending: Bool) {
        browseWorker.submit { [events] _ in
            guard let order = rows.sortedOrder(by: column, descending: descending) else { return }
            events.post(.sorted(rows, order: order, column: column, descending: descending))
        }
    }

    func find(_ term: String, in rows: ResultRows, from position: Int, order: [UInt32]?, backwards: Bool, counting: Bool) {
        browseWorker.submit { [events] _ in
            let at = rows.find(term, from: position, order: order, backwards: backwards)
            let matches = counting && at != nil ? rows.matchingPositions(term, order: order) : nil
            events.post(.found(rows, term: term, at: at, matches: matches))
        }
    }

    func filter(_ term: String, in rows: ResultRows, order: [UInt32]?) {
        browseWorker.submit { [events] _ in
            let positions = rows.matchingPositions(term, order: order)
            let stored = positions.map { position in order.map { $0[Int(position)] } ?? position }
            events.post(.filtered(rows, term: term, order: stored))
        }
    }

    /// Writes a result to a file, CSV or JSON by the file's extension. A complete result is
    /// written from the loaded rows, in the order shown; a result cut at the row cap is run
    /// again on a session of its own, so the file holds every row.
    func export(_ rows: ResultRows, order: [UInt32]?, sql: String?, capped: Bool, to path: String, replacing: Bool) {
        shared.update { $0.exportCancelled = false }
        let format: ResultFormat = path.lowercased().hasSuffix(".json") ? .json : .csv
        let settings = shared.read { $0.settings }
        browseWorker.submit { [self] _ in
            // An existing file is replaced only when the user said so at the second question.
            if !replacing, FileManager.default.fileExists(atPath: path) {
                events.post(.exportWouldReplace(path: path))
                return
            }
            let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard descriptor >= 0 else {
                events.post(.exportFinished(path: path, rows: 0, problem: "\(path): \(String(cString: strerror(errno)))"))
                return
            }
            defer { close(descriptor) }
            let output = OutputBuffer(descriptor: descriptor, target: path)
            let writer = format.makeWriter(output: output)
            var written = 0
            var lastPost = Clock.now
            func tick(total: Int?) {
                written += 1
                if Clock.now - lastPost > 0.05 {
                    lastPost = Clock.now
                    events.post(.exportProgress(written: written, total: total))
                }
            }
            if capped, let sql, let settings {
                do {
                    let connection = try Connection.warehouse(settings)
                    defer { connection.close() }
                    struct Stopped: Error {}
                    let summary = try connection.stream(sql, columns: { writer.begin(columns: $0) }) { row in
                        if shared.read({ $0.exportCancelled }) { throw Stopped() }
                        // A full disk stops the export where it is, not a million rows later.
                        if let failure = output.failure { throw failure }
                        writer.write(row: row)
                        tick(total: nil)
                    }
                    writer.finish(rows: summary.rows, commandTag: summary.commandTag)
                    try output.finish()
                    events.post(.exportFinished(path: path, rows: written, problem: nil))
                } catch {
                    output.flush()
                    let why = shared.read { $0.exportCancelled } ? "cancelled" : Self.describe(error)
                    events.post(.exportFinished(path: path, rows: written, problem: "\(why); \(path) is incomplete"))
                }
                return
            }
            writer.begin(columns: rows.columns)
            let total = rows.count
            var stopped = false
            rows.scan(0..<total, order: order) { _, row in
                if shared.read({ $0.exportCancelled }) || output.failure != nil {
                    stopped = true
                    return false
                }
                writer.write(row: row)
                tick(total: total)
                return true
            }
            writer.finish(rows: written, commandTag: "")
            output.flush()
            let problem =
                output.failure.map { "\($0)" } ?? (stopped ? "cancelled; \(path) holds the first \(written) rows" : nil)
            events.post(.exportFinished(path: path, rows: written, problem: problem))
        }
    }
}
