import Foundation
import PostgresClient

/// A load from start to end, the same for `sparkify etl` and the console: the session's
/// settings, the runner for the target, the check of the sources before any step (a mistyped
/// folder must not cost the user the tables they have), the steps in order, and what to tell
/// the user when one fails. Front ends render its `Event`s; none of them repeats this sequence.
public final class LoadDriver {
    public enum Event: Sendable {
        /// Something happening on the way (the embedded server starting, the demo data written).
        case note(String)
        /// The demo dataset being written on a first run.
        case demoWriting(DatasetGenerator.Progress, total: DatasetGenerator.Options)
        /// A NOTICE or WARNING the server sent during a step.
        case notice(Notice)
        /// Nothing ran: the copy step named cannot read its source.
        case refused(LoadStep, String)
        /// Nothing ran: an incremental load would mix its source with the one staging holds.
        case refusedSource(LoadStep, SourceMismatch)
        case stepStarted(LoadStep)
        case stepProgress(StepProgress)
        case stepFinished(StepOutcome)
        /// The step failed or was cancelled and was rolled back; `hint` says what to do next.
        case stepFailed(StepFailure, hint: LoadHint?)
        /// A stop asked for between steps: the one named did not start.
        case stoppedBefore(LoadStep)
        /// Another load holds the database's load lock: this one waits for it (Ctrl-C stops).
        case waitingForAnotherLoad(OtherLoad)
        /// A running step waits for locks these sessions hold (asked every two seconds; empty:
        /// it waits for none now).
        case waiting(LoadStep, [LockHolder])
    }

    public let connection: Connection
    public let runner: LoadRunner
    /// Why the copy steps cannot read their sources, found when the driver was opened; the
    /// other steps still run.
    public let sourceProblem: String?
    /// Cancels what the load's sessions run: its own, and the second one a copy step may run on.
    public let canceller: LoadCanceller
    /// For a second session: the two copy steps run at once, each on its own.
    private let settings: ConnectionSettings

    private init(connection: Connection, runner: LoadRunner, sourceProblem: String?, settings: ConnectionSettings) {
        self.connection = connection
        self.runner = runner
        self.sourceProblem = sourceProblem
        self.settings = settings
        canceller = LoadCanceller(connection.canceller)
    }

    /// Connects to the target (starting the embedded server when it is the one), sets the
    /// session up, and prepares the runner. `copies`: whether copy steps will run, so sources
    /// (on the embedded warehouse, the demo data, written once) are needed.
    public static func open(
        _ setup: LoadSetup, copies: Bool,
        events: @escaping @Sendable (Event) -> Void
    ) throws -> LoadDriver {
        let settings = try setup.choice.connectionSettings(progress: { events(.note($0)) })
        let connection = try Connection.warehouse(settings)
        try quietDDL(on: connection)
        connection.onNotice = { events(.notice($0)) }
        let demo = DatasetGenerator.Options()
        do {
            let runner = try setup.runner(
                on: connection, copies: copies, progress: { events(.note($0)) },
                writing: { events(.demoWriting($0, total: demo)) })
            return LoadDriver(connection: connection, runner: runner, sourceProblem: nil, settings: settings)
        } catch let problem where copies && !(problem is DatabaseError) && !(problem is ConnectionError) {
            // Drop, create and insert still work; a copy step says what is missing when run.
            let runner = try setup.runner(on: connection, copies: false)
            return LoadDriver(connection: connection, runner: runner, sourceProblem: String(describing: problem), settings: settings)
        }
    }

    /// "table does not exist, skipping" and its like are the DDL's chatter, not news. PostgreSQL
    /// only: `client_min_messages` is none of the parameters "Configuration reference - Amazon
    /// Redshift" (https://docs.aws.amazon.com/redshift/latest/dg/cm_chap_ConfigurationRef.html)
    /// lists, and a SET of it fails there.
    static func quietDDL(on connection: Connection) throws {
        guard connection.server.engine == .postgres else { return }
        try connection.execute("SET client_min_messages TO warning;")
    }

    /// Runs `steps` in load order, each in its own transaction, stopping at the first that
    /// fails or is cancelled, or before the next when `shouldStop` says so. Returns the outcomes
    /// of the steps that finished; `events` hears everything on the way.
    @discardableResult
    public func run(
        _ steps: [LoadStep], shouldStop: () -> Bool = { false },
        events: @escaping @Sendable (Event) -> Void
    ) -> [StepOutcome] {
        if let copy = steps.first(where: { $0.phase == .copy }) {
            if let sourceProblem {
                events(.refused(copy, sourceProblem))
                return []
            }
            do { try runner.checkSources(incremental: !steps.contains(.drop)) } catch let mismatch as SourceMismatch {
                events(.refusedSource(copy, mismatch))
                return []
            } catch {
                events(.refused(copy, String(describing: error)))
                return []
            }
        }
        guard let first = steps.first else { return [] }
        canceller.reset()
        do {
            guard try takeLoadLock(events: events) else {
                events(.stoppedBefore(first))
                return []
            }
        } catch {
            events(.refused(first, String(describing: error)))
            return []
        }
        defer { releaseLoadLock() }
        let watch = LockWaitWatch(settings: settings) { events(.waiting($0, $1)) }
        defer { watch.stop() }
        var outcomes: [StepOutcome] = []
        var index = 0
        while index < steps.count {
            let step = steps[index]
            index += 1
            if shouldStop() {
                events(.stoppedBefore(step))
                return outcomes
            }
            let beside = alongside(step, following: steps[index...])
            if !beside.isEmpty {
                index += beside.count
                let (finished, failed) = runTogether(step, beside: beside, watch: watch, events: events)
                outcomes += finished
                if failed { return outcomes }
                continue
            }
            guard let outcome = Self.run(step, on: runner, watch: watch, events: events) else { return outcomes }
            outcomes.append(outcome)
        }
        return outcomes
    }

    /// One step on `runner`, told as it happens: started, its progress, what it waits for,
    /// and finished, or failed with what to do about it. Nil when it failed.
    private static func run(
        _ step: LoadStep, on runner: LoadRunner, watch: LockWaitWatch, events: @escaping @Sendable (Event) -> Void
    ) -> StepOutcome? {
        events(.stepStarted(step))
        let pid = runner.connection.backendPID
        watch.began(step, on: pid)
        defer { watch.ended(on: pid) }
        do {
            let outcome = try runner.run(step) { events(.stepProgress($0)) }
            events(.stepFinished(outcome))
            return outcome
        } catch {
            let failure = error as? StepFailure ?? StepFailure(step: step, underlying: error)
            events(.stepFailed(failure, hint: hint(for: failure)))
            return nil
        }
    }

    /// The steps to run on a second session while `step` runs (PostgreSQL only; Redshift
    /// loads S3 itself, one COPY at a time, and queues its queries): the song files' copy beside
    /// the events', and the users, songs and artists inserts beside songplays (they read
    /// staging only; time, which reads songplays, waits for it). Only steps that follow at once.
    private func alongside(_ step: LoadStep, following: ArraySlice<LoadStep>) -> [LoadStep] {
        guard runner.plan.dialect.engine == .postgres, Self.concurrentSteps else { return [] }
        let candidates: [LoadStep]
        switch step {
        case .copy(StarSchema.stagingEvents): candidates = [.copy(StarSchema.stagingSongs)]
        case .insert(StarSchema.songplays): candidates = [.insert(StarSchema.users), .insert(StarSchema.songs), .insert(StarSchema.artists)]
        default: return []
        }
        return Array(following.prefix { candidates.contains($0) })
    }

    /// `SPARKIFY_STEPS_TOGETHER=0` runs every step one after the other, to compare.
    static let concurrentSteps = ProcessInfo.processInfo.environment["SPARKIFY_STEPS_TOGETHER"] != "0"

    /// `step` here and `beside` one after another on a session of their own, at the same time:
    /// each is still one transaction, committed or rolled back by itself and reported as its
    /// own step as it happens. The song files' reads then overlap the events' parsing; the small
    /// inserts run on the second core while songplays' one backend keeps the first. A failure on
    /// either side stops the run once both sides are done (a side stops at its first failure).
    /// Returns the outcomes in step order, and whether any step failed.
    private func runTogether(
        _ step: LoadStep, beside: [LoadStep], watch: LockWaitWatch, events: @escaping @Sendable (Event) -> Void
    ) -> (outcomes: [StepOutcome], failed: Bool) {
        let plan = runner.plan
        let sources = runner.sources
        let addSource = runner.addSource
        let settings = settings
        let canceller = canceller
        let listings = beside.compactMap { step in step.table.flatMap { table in runner.takeListing(for: table).map { (table, $0) } } }
        let sideOutcomes = Locked<(outcomes: [StepOutcome], failed: Bool)>(([], false))
        let sideDone = DispatchSemaphore(value: 0)
        let thread = Thread {
            // The session is this thread's own, from opening to closing.
            defer { sideDone.signal() }
            let side: Connection
            do {
                side = try Connection.warehouse(settings)
                try LoadDriver.quietDDL(on: side)
            } catch {
                let failure = StepFailure(step: beside[0], underlying: error)
                events(.stepFailed(failure, hint: LoadDriver.hint(for: failure)))
                sideOutcomes.update { $0.failed = true }
                return
            }
            defer { side.close() }
            side.onNotice = { events(.notice($0)) }
            canceller.add(side.canceller)
            defer { canceller.remove(side.canceller) }
            let sideRunner = LoadRunner(connection: side, plan: plan, sources: sources, addSource: addSource)
            for (table, listing) in listings { sideRunner.keepListing(listing, for: table) }
            for next in beside {
                // A Ctrl-C between two steps here has no statement to cancel: it stops the side too.
                if canceller.wasCancelled {
                    events(.stoppedBefore(next))
                    sideOutcomes.update { $0.failed = true }
                    return
                }
                guard let outcome = LoadDriver.run(next, on: sideRunner, watch: watch, events: events) else {
                    sideOutcomes.update { $0.failed = true }
                    return
                }
                sideOutcomes.update { $0.outcomes.append(outcome) }
            }
        }
        thread.stackSize = 1 << 20
        thread.start()
        let outcome = Self.run(step, on: runner, watch: watch, events: events)
        sideDone.wait()
        let side = sideOutcomes.current
        let order = { (outcome: StepOutcome) in LoadStep.all.firstIndex(of: outcome.step) ?? 0 }
        return (((outcome.map { [$0] } ?? []) + side.outcomes).sorted { order($0) < order($1) }, outcome == nil || side.failed)
    }

    /// Takes the database's load lock, waiting (and saying for whom) when another load has it.
    /// False when the wait was cancelled. Redshift has no advisory locks: no lock there.
    private func takeLoadLock(events: @Sendable (Event) -> Void) throws -> Bool {
        guard runner.plan.dialect.engine == .postgres else { return true }
        if try connection.execute(LoadPlan.tryLoadLock).scalar == "t" { return true }
        let row = try? connection.execute(LoadPlan.loadLockHolder).rows.first
        let holder = OtherLoad(
            pid: row?[0].flatMap { Int32($0) }, since: row?[1] ?? nil,
            application: (row?[2] ?? nil).flatMap { $0.isEmpty ? nil : $0 })
        events(.waitingForAnotherLoad(holder))
        do {
            try connection.execute(LoadPlan.loadLock)
            return true
        } catch let error as DatabaseError where error.isCancellation {
            return false
        }
    }

    private func releaseLoadLock() {
        guard runner.plan.dialect.engine == .postgres, connection.isAlive else { return }
        _ = try? connection.execute(LoadPlan.loadUnlock)
    }

    /// What the user can do about a failure; each front end says it with its own controls.
    static func hint(for failure: StepFailure) -> LoadHint? {
        if let database = failure.underlying as? DatabaseError,
            [SQLState.undefinedTable, SQLState.invalidSchemaName].contains(database.sqlState)
        {
            return .createTablesFirst
        }
        if failure.underlying is TooManyBadRecords { return .raiseErrorLimit }
        if let database = failure.underlying as? DatabaseError, database.sqlState == SQLState.diskFull {
            return .freeDiskSpace
        }
        return nil
    }
}

/// What to do after a step failed, as a value: `etl` says it with its flags, the console with its keys.
public enum LoadHint: Sendable, Equatable {
    /// A table the step needs does not exist: run the create step first.
    case createTablesFirst
    /// Bad records stopped the copy: a higher error limit skips them into staging.load_errors.
    case raiseErrorLimit
    /// The server's disk is full: the step rolled back; free space and run it again.
    case freeDiskSpace
}

/// The load that holds the database's load lock.
public struct OtherLoad: Sendable, Equatable {
    public var pid: Int32?
    /// When its session began, in UTC.
    public var since: String?
    public var application: String?

    public var description: String {
        var parts: [String] = []
        if let pid { parts.append("pid \(pid)") }
        if let since { parts.append("since \(since)") }
        if let application { parts.append(application) }
        return "another load is running" + (parts.isEmpty ? "" : " (\(parts.joined(separator: ", ")))")
    }
}

/// Cancels every session of a load at once: Ctrl-C reaches both copy steps when they run together.
public final class LoadCanceller: Sendable {
    private let handles: Locked<[CancelHandle]>
    private let cancelled = Locked(false)

    init(_ first: CancelHandle) { handles = Locked([first]) }

    /// A cancel was asked for since the run began.
    var wasCancelled: Bool { cancelled.current }
    func reset() { cancelled.update { $0 = false } }

    func add(_ handle: CancelHandle) { handles.update { $0.append(handle) } }
    func remove(_ handle: CancelHandle) { handles.update { $0.removeAll { $0 === handle } } }

    /// Asks the server to cancel what each session runs; true when any request was delivered.
    @discardableResult
    public func cancel() -> Bool {
        cancelled.update { $0 = true }
        return handles.current.map { $0.cancel() }.contains(true)
    }
}
