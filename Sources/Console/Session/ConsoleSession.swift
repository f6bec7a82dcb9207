import Foundation
import Warehouse

/// The console's work off the UI thread: three connections, each on its own worker, so a long
/// step never holds up a query, and neither holds up the latency ping or the row counts.
///   - runner: connects (starting the embedded server if need be), prepares the load, runs steps;
///   - query: the query pane's statements;
///   - monitor: round-trip pings and row counts.
/// Everything it learns goes to the UI as `SessionEvent`s.
final class ConsoleSession {
    let setup: LoadSetup
    let rowCap: Int
    let events: EventQueue<SessionEvent>
    private let runnerWorker = SerialWorker(name: "sparkify.runner")
    let queryWorker = SerialWorker(name: "sparkify.query")
    private let monitorWorker = SerialWorker(name: "sparkify.monitor")
    /// Sorts, searches and exports: long scans of loaded rows, off the UI thread.
    let browseWorker = SerialWorker(name: "sparkify.browse")

    /// Touched only on the runner worker.
    private var runner: LoadRunner?
    private var sourceProblem: String?
    /// Touched only on the query and monitor workers respectively.
    var queryConnection: Connection?
    private var monitorConnection: Connection?

    /// Read from any thread: the connections Ctrl-C cancels, and what is running.
    let shared = Locked(Shared())
    struct Shared {
        var stepConnection: Connection?
        var queryConnection: Connection?
        /// What the sessions connected with, for an export that runs its query again.
        var settings: ConnectionSettings?
        var stopBeforeNextStep = false
        var stepRunning = false
        var queryRunning = false
        /// Set by Ctrl-C: a run of statements or checks stops before the next one.
        var queryCancelled = false
        var exportCancelled = false
    }

    init(setup: LoadSetup, events: EventQueue<SessionEvent>, rowCap: Int) {
        self.setup = setup
        self.events = events
        self.rowCap = rowCap
    }

    // MARK: - Connecting

    /// Connects all three sessions; on the embedded warehouse this starts the server (again,
    /// on a reconnect after it stopped) and, on a first run, writes the demo dataset.
    func connect() {
        runnerWorker.submit { [self] in
            do {
                let settings = try setup.choice.connectionSettings(progress: { events.post(.connecting($0)) })
                events.post(.connecting("connecting to \(settings.displayName)"))
                let connection = try openRunnerConnection(settings)
                events.post(.connected(connection.server, settings))
                shared.update { $0.settings = settings }
                monitorWorker.submit { [self] in openMonitor(settings) }
                queryWorker.submit { [self] in openQuery(settings) }
                prepareRunner(on: connection)
            } catch {
                events.post(.connectionLost(Self.describe(error)))
            }
        }
    }

    /// Drops every connection and opens them again (after a lost connection or a restart).
    func reconnect() {
        runnerWorker.submit { [self] in
            runner?.connection.close()
            runner = nil
            shared.update { $0.stepConnection = nil }
        }
        queryWorker.submit { [self] in queryConnection?.close(); queryConnection = nil; shared.update { $0.queryConnection = nil } }
        monitorWorker.submit { [self] in monitorConnection?.close(); monitorConnection = nil }
        connect()
    }

    private func openRunnerConnection(_ settings: ConnectionSettings) throws -> Connection {
        let connection = try Connection.warehouse(settings)
        // "table does not exist, skipping" and its like are the DDL's chatter, not news.
        try connection.execute("SET client_min_messages TO warning;")
        connection.onNotice = { [events] notice in
            events.post(.log(notice.severity == "WARNING" ? .warning : .notice, "\(notice.severity): \(notice.message)"))
        }
        shared.update { $0.stepConnection = connection }
        return connection
    }

    private func prepareRunner(on connection: Connection) {
        let demoOptions = DatasetGenerator.Options()
        do {
            runner = try setup.runner(on: connection, copies: true,
                                      progress: { [events] in events.post(.log(.info, $0)) },
                                      writing: { [events] in events.post(.demoWriting($0, total: demoOptions)) })
            sourceProblem = nil
            if case .embedded = setup.choice, setup.source == nil { events.post(.demoReady) }
        } catch {
            // Drop, create and insert still work; the copy steps say what is missing when run.
            sourceProblem = Self.describe(error)
            events.post(.log(.warning, sourceProblem!))
            runner = try? setup.runner(on: connection, copies: false)
        }
        if let runner { events.post(.runnerReady(runner.plan)) }
    }

    private func openMonitor(_ settings: ConnectionSettings) {
        do {
            monitorConnection = try Connection.warehouse(settings)
            measureLatency()
            readCounts()
        } catch {
            events.post(.connectionLost(Self.describe(error)))
        }
    }

    private func openQuery(_ settings: ConnectionSettings) {
        do {
            let connection = try Connection.warehouse(settings)
            connection.onNotice = { [events] notice in events.post(.log(.notice, "query: \(notice.severity): \(notice.message)")) }
            queryConnection = connection
            shared.update { $0.queryConnection = connection }
        } catch {
            events.post(.log(.error, "the query session could not connect: \(Self.describe(error))"))
        }
    }

    // MARK: - Monitor

    /// One round trip, unless the last one has not come back yet.
    func ping() {
        guard !monitorWorker.hasWork else { return }
        monitorWorker.submit { [self] in measureLatency() }
    }

    func refreshCounts() {
        monitorWorker.submit { [self] in readCounts() }
    }

    private func measureLatency() {
        guard let connection = monitorConnection else { return }
        let started = Clock.now
        do {
            try connection.execute("SELECT 1;")
            events.post(.latency(Clock.now - started))
        } catch {
            monitorLost(error)
        }
    }

    private func readCounts() {
        guard let connection = monitorConnection else { return }
        do {
            let counts = try TableCounts.read(on: connection)
            events.post(.counts(counts.map { ($0.table.qualifiedName, $0.rows) }))
        } catch {
            if connection.isAlive { events.post(.countsFailed(Self.describe(error))) } else { monitorLost(error) }
        }
    }

    private func monitorLost(_ error: Error) {
        monitorConnection?.close()
        monitorConnection = nil
        events.post(.connectionLost(Self.describe(error)))
    }

    // MARK: - Steps

    /// Runs steps in order on the runner's session, stopping at the first that fails or is cancelled.
    func run(_ steps: [LoadStep]) {
        shared.update { $0.stepRunning = true; $0.stopBeforeNextStep = false }
        runnerWorker.submit { [self] in
            defer {
                shared.update { $0.stepRunning = false }
                events.post(.runEnded)
            }
            guard let runner else {
                events.post(.log(.error, "not connected: press c in the cluster pane to reconnect"))
                return
            }
            if let copy = steps.first(where: { $0.phase == .copy }) {
                // Before any step: a wrong folder must not cost the user the tables they have.
                if let sourceProblem {
                    events.post(.runRefused(copy, message: sourceProblem))
                    return
                }
                do { try runner.checkSources() } catch {
                    events.post(.runRefused(copy, message: Self.describe(error)))
                    return
                }
            }
            for step in steps {
                if shared.read({ $0.stopBeforeNextStep }) {
                    events.post(.log(.warning, "stopped before \(step); the steps before it are committed"))
                    return
                }
                events.post(.stepStarted(step))
                do {
                    let outcome = try runner.run(step) { [events] in events.post(.stepProgress($0)) }
                    events.post(.stepFinished(outcome))
                    refreshCounts()
                } catch let failure as StepFailure {
                    var message = Self.describe(failure.underlying)
                    if let database = failure.underlying as? DatabaseError, database.sqlState == "42P01" {
                        message += "\na table is missing: run the create step first"
                    }
                    events.post(.stepFailed(step, message: message, cancelled: failure.isCancellation))
                    if !runner.connection.isAlive { events.post(.connectionLost(message)) }
                    refreshCounts()
                    return
                } catch {
                    events.post(.stepFailed(step, message: Self.describe(error), cancelled: false))
                    return
                }
            }
        }
    }

    /// Ctrl-C: cancels the running statement on the server and stops a run before its next step.
    @discardableResult
    func cancelSteps() -> Bool {
        let connection: Connection? = shared.update {
            guard $0.stepRunning else { return nil }
            $0.stopBeforeNextStep = true
            return $0.stepConnection
        }
        return connection?.cancel() ?? false
    }

    static func describe(_ error: Error) -> String { String(describing: error) }
}

/// A value shared between threads, always read and written under its lock.
final class Locked<Value> {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func read<T>(_ body: (Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(value)
    }

    @discardableResult
    func update<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

/// Seconds on a clock that only moves forward, for elapsed times and timers.
enum Clock {
    static var now: Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
