import Warehouse

extension ConsoleState {
    /// Applies one engine event. `now` is the monotonic clock, for timers.
    /// Applies one engine event; returns what the session should do next because of it (counts
    /// to read again after the editor changed data, say).
    mutating func apply(_ event: SessionEvent, now: Double) -> [Effect] {
        switch event {
        case .connecting(let what):
            cluster.state = .connecting(what)
            append(.info, what)
        case .connected(let server, let settings):
            cluster.show(settings)
            cluster.server = server
            cluster.state = .connected
            append(.info, "connected: \(server.shortVersion)")
        case .connectionLost(let why):
            if case .lost = cluster.state {} else { append(.error, "connection lost: \(why)") }
            cluster.state = .lost(why)
            cluster.latency = nil
        case .latency(let seconds):
            cluster.latency = seconds
        case .clusterLookFailed(let problem):
            cluster.life?.lookProblem = problem
        case .clusterDescribed(let description, let cost):
            cluster.life?.lookProblem = nil
            cluster.life?.description = description
            cluster.life?.looked = true
            cluster.life?.describedAt = now
            cluster.life?.costAtLook = cost.map { ($0.hourly, $0.soFar) }
        case .clusterNote(let text):
            append(.info, "cluster: \(text)")
        case .clusterActionEnded(let problem):
            cluster.life?.busy = nil
            cluster.life?.lastLook = -Double.infinity  // look again at once
            if let problem { append(.error, "cluster: \(problem)") }
        case .counts(let counts, let estimated):
            self.counts = counts
            countsEstimated = estimated
            countsKnown = true
            countsProblem = nil
        case .catalogRead(let catalog):
            self.catalog = catalog
            // An open star diagram shows what was just read.
            if case .star = overlay { overlay = .star(StarDiagram(catalog: catalog, counts: counts)) }
        case .countsFailed(let why):
            countsProblem = why
        case .log(let level, let text):
            append(level, text)
        case .demoWriting(let written, let total):
            demo = (written, total)
        case .demoReady:
            demo = nil
            if loadedRows == 0 {
                append(.info, "nothing is loaded yet: press a on drop to load the demo dataset, then F7 to check it")
            }
        case .loadConfigured(let source, let words, let maxErrors):
            let changed = words != environment.source || maxErrors != self.maxErrors
            loadSource = source
            environment.source = words
            self.maxErrors = maxErrors
            if changed { append(.info, "the copy steps read \(words); error limit \(Figures.count(maxErrors, "bad record"))") }
        case .runnerReady(let plan, let generatedSuite):
            self.plan = plan
            environment.generatedSuite = generatedSuite
        case .stepWaiting(let step, let holders):
            // Only while the step runs: a late answer about a step that ended says nothing.
            let runs = steps.contains { $0.step == step && $0.state == .running }
            lockHolders[step] = runs && !holders.isEmpty ? holders : nil
        case .waitingForAnotherLoad(let other):
            otherLoad = other
            append(.warning, "\(other): the steps wait for it (Ctrl-C stops waiting)")
        case .stepStarted(let step):
            lockHolders[step] = nil
            otherLoad = nil
            update(step) { $0 = StepRow(step: step, state: .running, startedAt: now) }
            append(.info, "\(step): started")
        case .stepProgress(let progress):
            update(progress.step) {
                $0.copy = progress.copy
                $0.rows = progress.copy?.rowsDone ?? $0.rows
                $0.elapsed = progress.elapsed
            }
        case .stepFinished(let outcome):
            lockHolders[outcome.step] = nil
            update(outcome.step) {
                $0.state = .done
                $0.rows = outcome.rows
                $0.elapsed = outcome.elapsed
                $0.rejected = outcome.rejected
                if let copy = outcome.copy { $0.copy = copy }
            }
            let phase = outcome.step.phase
            if phase == .drop || phase == .create {
                // The tables are new and empty: what earlier runs loaded is gone, so are their counts.
                for index in steps.indices where steps[index].step.phase == .copy || steps[index].step.phase == .insert {
                    if [.done, .failed, .cancelled].contains(steps[index].state) { steps[index] = StepRow(step: steps[index].step) }
                }
            }
            var line =
                phase == .drop || phase == .create
                ? "\(outcome.step): done in \(Figures.duration(outcome.elapsed))"
                : "\(outcome.step): done, \(Figures.count(outcome.rows)) rows in \(Figures.duration(outcome.elapsed))"
            if outcome.filesSkipped > 0 { line += "; \(Figures.count(outcome.filesSkipped)) files already loaded" }
            append(.info, line)
            if let lost = outcome.stagingLost { append(.warning, lost.description) }
            for note in outcome.notes { append(.warning, "\(outcome.step): \(note)") }
            if outcome.published { append(.info, "the rebuilt star schema replaced the analytics tables") }
            if outcome.rejected > 0 {
                append(
                    .warning,
                    "\(outcome.step): \(Figures.count(outcome.rejected)) records rejected and kept in staging.load_errors: press e to open them")
            }
        case .stepFailed(let step, let message, let cancelled):
            lockHolders[step] = nil
            update(step) {
                $0.state = cancelled ? .cancelled : .failed
                $0.rows = nil  // rolled back: what it had sent is not in the table
                $0.copy = nil
                if let started = $0.startedAt { $0.elapsed = now - started }
            }
            if cancelled {
                append(.warning, "\(step): cancelled and rolled back; the database is as it was before it")
            } else {
                append(.error, "\(step) failed and was rolled back:")
                append(.error, message)
            }
        case .runRefused(let step, let message):
            update(step) { $0.state = .failed }
            append(.error, "no step ran: \(step) cannot read its source:")
            append(.error, message)
        case .runEnded:
            running = false
            lockHolders = [:]
            otherLoad = nil
        case .querySessionOpened, .transaction, .statementStarted, .resultStarted, .rowsArrived, .statementFinished, .statementFailed,
            .statementsEnded,
            .suiteLoaded, .suiteUnreadable, .checkStarted, .checkFinished, .suiteEnded, .sorted, .filtered, .found,
            .exportWouldReplace, .exportProgress, .exportFinished, .sqlSaved, .sqlOpened, .sqlFileProblem, .saveWouldReplace:
            return applyQuery(event, now: now)
        }
        return []
    }

    private mutating func update(_ step: LoadStep, _ change: (inout StepRow) -> Void) {
        guard let index = steps.firstIndex(where: { $0.step == step }) else { return }
        change(&steps[index])
    }
}
