import Foundation
import PostgresClient
import Warehouse

/// The console's work off the UI thread: the effects the state asks for, performed on workers
/// that each own one connection, so a long step never holds up a query, and neither holds up
/// the latency ping or the row counts.
///   - runner: connects (starting the embedded server if need be), prepares the load, runs steps;
///   - query: the query pane's statements and validation suites;
///   - monitor: round-trip pings and row counts;
///   - browse: sorts, searches and exports of loaded rows (no connection of its own).
/// Everything it learns goes to the UI as `SessionEvent`s.
final class ConsoleSession: Sendable {
    /// What the load reads and allows; the runner pane's keys change it.
    let setup: Locked<LoadSetup>
    let rowCap: Int
    let events: EventQueue<SessionEvent>
    let history: QueryHistory
    private let runnerWorker = SerialWorker<LoadDriver?>(name: "sparkify.runner", owning: nil)
    let queryWorker = SerialWorker<Connection?>(name: "sparkify.query", owning: nil)
    private let monitorWorker = SerialWorker<Connection?>(name: "sparkify.monitor", owning: nil)
    let browseWorker = SerialWorker<Void>(name: "sparkify.browse", owning: ())
    /// The Redshift cluster's life (AWS calls that take minutes), apart from everything else.
    private let clusterWorker = SerialWorker<Void>(name: "sparkify.cluster", owning: ())
    /// Nil unless dwh.cfg's [DWH] names a cluster and AWS keys were found.
    let lifecycle: ClusterLifecycle?

    /// What the UI thread may reach while workers run: the cancel handles of the running work
    /// (never a connection itself), and the flags that stop a run between its parts.
    let shared = Locked(Shared())
    struct Shared {
        var stepCanceller: LoadCanceller?
        var queryCanceller: CancelHandle?
        /// What the sessions connected with, for an export that runs its query again.
        var settings: ConnectionSettings?
        var stopBeforeNextStep = false
        /// Set by Ctrl-C: a run of statements or checks stops before the next one.
        var queryCancelled = false
        var exportCancelled = false
    }

    init(setup: LoadSetup, events: EventQueue<SessionEvent>, rowCap: Int, history: QueryHistory, lifecycle: ClusterLifecycle? = nil) {
        self.lifecycle = lifecycle
        self.setup = Locked(setup)
        self.events = events
        self.rowCap = rowCap
        self.history = history
    }

    /// Performs what a key or an event asked for. Only the UI thread calls this; the work
    /// itself goes to the workers.
    func perform(_ effect: Effect) {
        switch effect {
        case .connect: connect()
        case .reconnect: reconnect()
        case .ping: ping()
        case .refreshCounts: refreshCounts()
        case .runSteps(let steps): run(steps)
        case .cancelSteps: cancelSteps()
        case .runStatements(let statements): runStatements(statements)
        case .cancelQuery: cancelQuery()
        case .appendHistory(let entry): history.append(entry)
        case .keepEditorText(let text): history.keepEditorText(text)
        case .runSuite(let source): runSuite(source)
        case .sort(let rows, let column, let descending): sort(rows, by: column, descending: descending)
        case .find(let term, let rows, let from, let order, let backwards, let counting):
            find(term, in: rows, from: from, order: order, backwards: backwards, counting: counting)
        case .filter(let term, let rows, let order): filter(term, in: rows, order: order)
        case .export(let rows, let order, let sql, let capped, let path, let replacing):
            export(rows, order: order, sql: sql, capped: capped, to: path, replacing: replacing)
        case .cancelExport: shared.update { $0.exportCancelled = true }
        case .configureLoad(let source, let maxErrors): configureLoad(source: source, maxErrors: maxErrors)
        case .copyToClipboard: break  // performed by the loop, on the terminal
        case .saveSQL(let text, let path, let replacing): saveSQL(text, to: path, replacing: replacing)
        case .openSQL(let path): openSQL(path)
        case .describeCluster: describeCluster()
        case .clusterAction(let action): changeCluster(action)
        }
    }

    /// Closes every session and ends the workers, after the jobs already queued. The console
    /// quits without it (the process ends); tests and anything that makes several call it.
    func shutDown() {
        runnerWorker.submit { driver in
            driver?.connection.close()
            driver = nil
        }
        for worker in [queryWorker, monitorWorker] {
            worker.submit { connection in
                connection?.close()
                connection = nil
            }
        }
        runnerWorker.stopAndJoin()
        queryWorker.stopAndJoin()
        monitorWorker.stopAndJoin()
        browseWorker.stopAndJoin()
        clusterWorker.stopAndJoin()
    }

    // MARK: - Connecting

    /// Connects all three sessions; on the embedded warehouse this starts the server (again,
    /// on a reconnect after it stopped) and, on a first run, writes the demo dataset.
    private func connect() {
        runnerWorker.submit { [self] driver in
            do {
                let setup = setup.current
                let opened = try openRunner(setup)
                driver = opened
                let settings = opened.connection.settings
                shared.update { $0.settings = settings }
                events.post(.connected(opened.connection.server, settings))
                monitorWorker.submit { [self] connection in connection = openMonitor(settings) }
                queryWorker.submit { [self] connection in connection = openQuery(settings) }
                // The demo data may have been written just now: where the copies read, in words.
                events.post(.loadConfigured(source: setup.source, words: setup.sourceDescription, maxErrors: setup.maxErrors))
                if case .embedded = setup.choice, setup.source == nil, opened.sourceProblem == nil { events.post(.demoReady) }
                events.post(.runnerReady(opened.runner.plan, generatedSuite: setup.generatedSuite))
            } catch {
                events.post(.connectionLost(Self.describe(error)))
            }
        }
    }

    /// Another source or error limit: the runner's session is opened again with them (the
    /// query and monitor sessions go on).
    private func configureLoad(source: String?, maxErrors: Int) {
        let setup = self.setup.update { setup in
            setup.source = source
            setup.maxErrors = maxErrors
            return setup
        }
        events.post(.loadConfigured(source: source, words: setup.sourceDescription, maxErrors: maxErrors))
        runnerWorker.submit { [self] driver in
            guard let previous = driver else { return }  // not connected yet: connect() reads the new setup
            previous.connection.close()
            driver = nil
            do {
                let opened = try openRunner(setup)
                driver = opened
                events.post(.runnerReady(opened.runner.plan, generatedSuite: setup.generatedSuite))
                // Said now, not when a copy is refused later.
                if let mismatch = try? opened.runner.sourceMismatch() { events.post(.log(.warning, mismatch.beforeRun)) }
            } catch {
                events.post(.connectionLost(Self.describe(error)))
            }
        }
    }

    /// The runner's session for `setup` (on the runner worker): the load driver, its cancel
    /// handle and server process shared for Ctrl-C and the lock watch, a source problem said.
    private func openRunner(_ setup: LoadSetup) throws -> LoadDriver {
        let opened = try LoadDriver.open(setup, copies: true) { [events] event in
            if let posted = Self.sessionEvent(event) { events.post(posted) }
        }
        shared.update { $0.stepCanceller = opened.canceller }
        if let problem = opened.sourceProblem { events.post(.log(.warning, problem)) }
        return opened
    }

    /// Drops every connection and opens them again (after a lost connection or a restart).
    private func reconnect() {
        runnerWorker.submit { [shared] driver in
            driver?.connection.close()
            driver = nil
            shared.update { $0.stepCanceller = nil }
        }
        queryWorker.submit { [shared] connection in
            connection?.close()
            connection = nil
            shared.update { $0.queryCanceller = nil }
        }
        monitorWorker.submit { connection in
            connection?.close()
            connection = nil
        }
        connect()
    }

    private func openMonitor(_ settings: ConnectionSettings) -> Connection? {
        do {
            let connection = try Connection.warehouse(settings)
            // The monitor never waits on a table's lock: a count(*) stuck behind one would
            // stop the latency and the lock watch too, the moment they matter.
            if connection.server.engine == .postgres { try connection.execute("SET lock_timeout = '500ms';") }
            measureLatency(on: connection)
            readCounts(on: connection)
            return connection
        } catch {
            events.post(.connectionLost(Self.describe(error)))
            return nil
        }
    }

    private func openQuery(_ settings: ConnectionSettings) -> Connection? {
        do {
            let connection = try Connection.warehouse(settings)
            connection.onNotice = { [events] notice in events.post(.log(.notice, "query: \(notice.severity): \(notice.message)")) }
            shared.update { $0.queryCanceller = connection.canceller }
            events.post(.querySessionOpened(pid: connection.backendPID))
            return connection
        } catch {
            events.post(.log(.error, "the query session could not connect: \(Self.describe(error))"))
            return nil
        }
    }

    // MARK: - Monitor

    /// One round trip, unless the last one has not come back yet.
    private func ping() {
        guard !monitorWorker.hasWork else { return }
        monitorWorker.submit { [self] connection in
            guard let open = connection else { return }
            if !measureLatency(on: open) { connection = nil }
        }
    }

    private func refreshCounts() {
        monitorWorker.submit { [self] connection in
            guard let open = connection else { return }
            if !readCounts(on: open) { connection = nil }
        }
    }

    /// False when the connection is gone (it is closed, and the loss reported).
    @discardableResult
    private func measureLatency(on connection: Connection) -> Bool {
        let started = Clock.now
        do {
            try connection.execute("SELECT 1;")
            events.post(.latency(Clock.now - started))
            return true
        } catch {
            return monitorLost(connection, error)
        }
    }

    @discardableResult
    private func readCounts(on connection: Connection) -> Bool {
        do {
            let counts = try TableCounts.read(on: connection)
            events.post(
                .counts(counts.map { ($0.table.qualifiedName, $0.rows) }, estimated: TableCounts.areEstimates(on: connection)))
            // The editor's completions follow the same changes the counts do (loads, DDL, DML).
            if let catalog = try? SchemaCatalog.read(on: connection) { events.post(.catalogRead(catalog)) }
            return true
        } catch let error as DatabaseError where error.sqlState == "55P03" {
            events.post(.countsFailed("a table is locked by another session: the counts shown are from before"))
            return true
        } catch {
            if connection.isAlive {
                events.post(.countsFailed(Self.describe(error)))
                return true
            }
            return monitorLost(connection, error)
        }
    }

    private func monitorLost(_ connection: Connection, _ error: Error) -> Bool {
        connection.close()
        events.post(.connectionLost(Self.describe(error)))
        return false
    }

    // MARK: - Steps

    /// Runs steps in order on the runner's session, stopping at the first that fails or is cancelled.
    private func run(_ steps: [LoadStep]) {
        shared.update { $0.stopBeforeNextStep = false }
        runnerWorker.submit { [self] driver in
            defer { events.post(.runEnded) }
            guard let driver, driver.connection.isAlive else {
                events.post(.runRefused(steps[0], message: "not connected: press c to reconnect"))
                if driver != nil { events.post(.connectionLost("the runner's connection is closed")) }
                return
            }
            driver.run(steps, shouldStop: { shared.read(\.stopBeforeNextStep) }) { [self] event in
                if let posted = Self.sessionEvent(event) { events.post(posted) }
                if case .stepFinished = event { refreshCounts() }
                if case .stepFailed = event { refreshCounts() }
            }
            if !driver.connection.isAlive { events.post(.connectionLost("the runner's connection was lost")) }
        }
    }

    /// The load's events as the console's.
    private static func sessionEvent(_ event: LoadDriver.Event) -> SessionEvent? {
        switch event {
        case .note(let text): return .log(.info, text)
        case .demoWriting(let written, let total): return .demoWriting(written, total: total)
        case .notice(let notice): return .log(notice.severity == "WARNING" ? .warning : .notice, "\(notice.severity): \(notice.message)")
        case .refused(let step, let message): return .runRefused(step, message: message)
        case .refusedSource(let step, let mismatch): return .runRefused(step, message: mismatch.description)
        case .stepStarted(let step): return .stepStarted(step)
        case .stepProgress(let progress): return .stepProgress(progress)
        case .stepFinished(let outcome): return .stepFinished(outcome)
        case .stepFailed(let failure, let hint):
            var message = describe(failure.underlying)
            switch hint {
            case .createTablesFirst?: message += "\na table is missing: run the create step first"
            case .raiseErrorLimit?: message += "\npress m in the runner to raise the error limit: bad records are then kept in staging.load_errors"
            case .freeDiskSpace?: message += "\nthe server's disk is full: nothing was kept; free some space, then run the step again"
            case nil: break
            }
            return .stepFailed(failure.step, message: message, cancelled: failure.isCancellation)
        case .stoppedBefore(let step): return .log(.warning, "stopped before \(step); the steps before it are committed")
        case .waitingForAnotherLoad(let other): return .waitingForAnotherLoad(other.description)
        case .waiting(let step, let holders): return .stepWaiting(step, holders)
        }
    }

    /// Ctrl-C: cancels the running statement on the server and stops a run before its next step.
    private func cancelSteps() {
        let canceller = shared.update {
            $0.stopBeforeNextStep = true
            return $0.stepCanceller
        }
        canceller?.cancel()
    }

    static func describe(_ error: Error) -> String { String(describing: error) }

    // MARK: - SQL files

    private func saveSQL(_ text: String, to path: String, replacing: Bool) {
        browseWorker.submit { [events] _ in
            if !replacing, FileManager.default.fileExists(atPath: path) {
                events.post(.saveWouldReplace(path: path))
                return
            }
            let data = Data((text.hasSuffix("\n") ? text : text + "\n").utf8)
            do {
                try data.write(to: URL(fileURLWithPath: path), options: .atomic)
                events.post(.sqlSaved(path: path))
            } catch {
                events.post(.sqlFileProblem("\(path) could not be written: \((error as NSError).localizedDescription)"))
            }
        }
    }

    private func openSQL(_ path: String) {
        browseWorker.submit { [events] _ in
            guard let data = FileManager.default.contents(atPath: path) else {
                events.post(.sqlFileProblem("\(path) cannot be read (no such file, or no permission)"))
                return
            }
            guard data.count <= 16 << 20 else {
                events.post(.sqlFileProblem("\(path) is larger than 16 MiB: not opened in the editor (sparkify query -f runs it)"))
                return
            }
            var text = String(decoding: data, as: UTF8.self)
            if text.hasSuffix("\n") { text.removeLast() }
            events.post(.sqlOpened(path: path, text: text))
        }
    }

    // MARK: - The cluster's life

    private func describeCluster() {
        guard let lifecycle, !clusterWorker.hasWork else { return }
        clusterWorker.submit { [events] _ in
            let described: ClusterDescription?
            do {
                described = try lifecycle.describe()
            } catch {
                events.post(.clusterLookFailed(Self.describe(error)))
                return
            }
            let cost = described.flatMap { $0.cost(region: lifecycle.spec.region, override: lifecycle.spec.hourlyPriceOverride) }
            events.post(.clusterDescribed(described, cost: cost.map { ClusterCost(hourly: $0.hourly, soFar: $0.soFar) }))
        }
    }

    private func changeCluster(_ action: ClusterAction) {
        guard let lifecycle else { return }
        clusterWorker.submit { [events] _ in
            let say: (ClusterLifecycle.Event) -> Void = { event in
                switch event {
                case .note(let text): events.post(.clusterNote(text))
                case .state: break  // the pane shows the state from its looks
                }
            }
            do {
                switch action {
                case .create(let allowFrom): _ = try lifecycle.create(allowFrom: allowFrom, waitDB: 0, events: say)
                case .pause: try lifecycle.pause(events: say)
                case .resume: try lifecycle.resume(events: say)
                case .delete: _ = try lifecycle.delete(snapshot: nil, events: say)
                }
                events.post(.clusterActionEnded(problem: nil))
            } catch {
                events.post(.clusterActionEnded(problem: Self.describe(error)))
            }
        }
    }
}

/// Seconds on a clock that only moves forward, for elapsed times and timers.
enum Clock {
    static var now: Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Seconds since 1970, for names stamped with the date.
    static var wall: Double { Date().timeIntervalSince1970 }
}
