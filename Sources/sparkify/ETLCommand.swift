import ArgumentParser
import Foundation
import PostgresClient
import Warehouse

struct ETLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "etl",
        abstract: "Load the warehouse: drop, create, copy the sources into staging, insert the star schema.",
        discussion: """
            Each step is one transaction: a step that fails, or that Ctrl-C cancels, rolls back and \
            leaves the database as it was before it (exit 130 when cancelled). Copy steps into \
            PostgreSQL read the files themselves and load only files not yet in the load manifest, \
            so `--steps copy,insert` after new files arrive loads just those; a file that changed since \
            its load (size, ETag or modification time) has its rows replaced, and the inserts then \
            rebuild the star schema aside. Such an incremental load from a source other than the one \
            staging holds is refused (exit 2) unless --add-source.
            """
    )

    @OptionGroup var target: TargetOptions
    @OptionGroup var load: LoadOptions

    @Option(name: .long, help: ArgumentHelp("Which phases to run, in load order.", valueName: "drop,create,copy,insert"))
    var steps: PhaseList = PhaseList(phases: Set(LoadStep.Phase.allCases))

    @Flag(name: .long, help: "Print every statement of the plan without connecting.")
    var dryRun = false

    @Option(name: .long, help: ArgumentHelp("With --dry-run: the dialect to print (default: the target's).", valueName: "postgres|redshift"))
    var engine: EngineName?

    enum EngineName: String, ExpressibleByArgument, CaseIterable {
        case postgres, redshift
    }

    private var source: String? { load.source }
    private var maxErrors: Int { load.maxErrors }

    func validate() throws {
        if engine != nil && !dryRun { throw ValidationError("--engine only applies to --dry-run; a real load uses the target's engine.") }
    }

    func run() throws {
        var choice: TargetChoice?
        try reportingErrors { choice = try target.resolve() }
        guard let choice else { return }
        let planned = LoadStep.steps(in: steps.phases)
        if dryRun { return try printPlan(planned, choice: choice) }

        let copies = planned.contains { $0.phase == .copy }
        let display = ProgressDisplay()
        let failure = Locked<ExitCode?>(nil)
        let interrupted = Locked(false)
        // The lock holders a waiting step was said to wait for: each is said once.
        let said = Locked<Set<String>>([])
        // One rendering of the load's events, for opening the driver and for the run.
        let render: @Sendable (LoadDriver.Event) -> Void = { event in
            switch event {
            case .note(let text): Terminal.note(text)
            case .notice(let notice): Terminal.write("\(notice.severity): \(notice.message)\n")
            case .demoWriting: break
            case .refused(_, let problem):
                Terminal.note(problem)
                failure.update { $0 = .failure }
            case .refusedSource(_, let mismatch):
                // Not a failure of the load but of the request, as a usage error is.
                Terminal.note(mismatch.description)
                failure.update { $0 = ExitCode(2) }
            case .waitingForAnotherLoad(let other):
                Terminal.note("\(other.description): waiting for it to end (Ctrl-C stops waiting)")
            case .waiting(let step, let holders):
                // A step waiting on a lock says whose, instead of a progress line frozen.
                for holder in holders where said.update({ $0.insert("\(step) \(holder.pid)").inserted }) {
                    display.note("\(step): waiting for a lock held by \(holder)")
                }
            case .stepStarted(let step): display.begin(step)
            case .stepProgress(let progress): display.update(progress)
            case .stepFinished(let outcome):
                display.finish(outcome)
                if let lost = outcome.stagingLost { Terminal.note(lost.description) }
                for note in outcome.notes { Terminal.note("\(outcome.step): \(note)") }
                if outcome.published { Terminal.note("the rebuilt star schema replaced the analytics tables") }
            case .stoppedBefore(let step):
                // A Ctrl-C between two steps has no statement to cancel: the run stops before the next one.
                Terminal.note("cancelled before \(step); the steps before it are committed")
                failure.update { $0 = ExitCode(130) }
            case .stepFailed(let stepFailure, let hint):
                display.fail(stepFailure.step)
                if interrupted.current && stepFailure.isCancellation {
                    Terminal.note("cancelled: \(stepFailure.step) was rolled back; the database is as it was before it")
                    failure.update { $0 = ExitCode(130) }
                    return
                }
                Terminal.note("\(stepFailure.step) failed and was rolled back")
                Terminal.report(stepFailure.underlying)
                switch hint {
                case .createTablesFirst?: Terminal.note("a table is missing: run the create step first (--steps create,copy,insert)")
                case .raiseErrorLimit?: Terminal.note("--max-errors N skips up to N bad records and keeps them in staging.load_errors")
                case .freeDiskSpace?: Terminal.note("the server's disk is full: nothing was kept; free some space, then run the step again")
                case nil: break
                }
                failure.update { $0 = .failure }
            }
        }
        var opened: LoadDriver?
        try reportingErrors { opened = try LoadDriver.open(load.setup(choice), copies: copies, events: render) }
        guard let driver = opened else { return }

        let canceller = driver.canceller
        let interrupt = InterruptWatch {
            interrupted.update { $0 = true }
            canceller.cancel()
        }
        defer { interrupt.stop() }
        let outcomes = driver.run(planned, shouldStop: { interrupted.current }, events: render)
        if let code = failure.current { throw code }
        try printSummary(
            outcomes, counts: (try? TableCounts.read(on: driver.connection)) ?? [],
            estimated: TableCounts.areEstimates(on: driver.connection))
        if copies, let suite = load.setup(choice).generatedSuite {
            let local = target.local || { if case .embedded = choice { return true } else { return false } }()
            Terminal.note("check the load against the generator's expected results: sparkify validate\(local ? " --local" : "") \(suite)")
        }
    }

    // MARK: - Dry run

    private func printPlan(_ planned: [LoadStep], choice: TargetChoice) throws {
        let setup = LoadSetup(choice: choice, source: source)
        let config = setup.config
        // The rehearsal runs the Redshift plan, reading what its COPY statements name.
        let rehearsal: Bool
        if case .rehearsal = choice { rehearsal = true } else { rehearsal = false }
        let engine =
            self.engine.map { $0 == .redshift ? Engine.redshift : .postgres } ?? (rehearsal ? .redshift : config?.expectedEngine ?? .postgres)
        let dialect: Dialect = engine == .redshift ? RedshiftDialect() : PostgresDialect()
        let dataset = source.flatMap { try? S3Location($0) }
        let redshift: RedshiftCopy? =
            engine != .redshift
            ? nil
            : rehearsal
                ? (try? setup.rehearsalCopy(writeDemo: false)) ?? nil : config.flatMap { try? RedshiftCopy(config: $0, dataset: dataset) }
        let plan = LoadPlan(dialect: dialect, redshift: redshift, maxErrors: maxErrors)
        let sources = engine == .postgres ? try? LoadSetup(choice: choice, source: source).localSources() : nil

        var text =
            "-- sparkify etl plan for \(engine == .redshift ? "Redshift" : "PostgreSQL"): \(planned.map(\.description).joined(separator: ", "))\n"
        text += "-- Every session first runs:\n\(dialect.searchPath)\n"
        if engine == .postgres {
            text += "-- One load at a time: before the first step (waiting with \(LoadPlan.loadLock) when another load has it)\n"
            text += "\(LoadPlan.tryLoadLock)\n-- and after the last:\n\(LoadPlan.loadUnlock)\n"
        }
        for step in planned {
            text += "\n-- step: \(step)\n"
            if step.phase == .copy, engine == .postgres, let table = step.table {
                text += copySourceComment(table, sources: sources)
            }
            if step.phase == .copy, engine == .redshift {
                text += "-- progress: a second session reads stv_load_state while the COPY runs\n"
                text += "-- rejects: stl_load_errors rows of pg_last_copy_id() are kept in staging.load_errors (up to MAXERROR)\n"
            }
            text += "BEGIN;\n"
            text += PlannedStatement.listing(plan.statements(for: step)).joined(separator: "\n") + "\nCOMMIT;\n"
        }
        let out = StandardOutput()
        out.text(text)
        try out.finish()
    }

    private func copySourceComment(_ table: Table, sources: LoadSources?) -> String {
        guard let sources else {
            return "-- rows: no --source given; on the embedded warehouse, the demo dataset sparkify writes once into its data folder\n"
        }
        let folderPath = table == StarSchema.stagingEvents ? sources.logData : sources.songData
        var text = "-- rows: each line of the .json files under \(folderPath), parsed and sent by sparkify"
        if let folder = try? SourceFolder(path: folderPath) {
            text += " (\(Figures.count(folder.files.count)) files, \(Figures.bytes(folder.totalBytes)))"
        }
        text += "\n"
        if table == StarSchema.stagingEvents {
            let byName = "the 18 eventsim keys by name"
            let keys = sources.logJSONPaths.map { "in the order of \($0)" + (sources.logJSONPathsOptional ? " if it exists, else \(byName)" : "") }
            text += "-- keys: \(keys ?? byName)\n"
        }
        text +=
            "-- only files not yet in staging.load_manifest, and those changed since (their rows replaced); rejects (up to --max-errors \(maxErrors)) go to staging.load_errors\n"
        return text
    }

    // MARK: - Summary

    private func printSummary(_ outcomes: [StepOutcome], counts: [(table: Table, rows: Int?)], estimated: Bool) throws {
        var lines: [[String]] = [["step", "rows", "time", ""]]
        for outcome in outcomes {
            var remark: [String] = []
            if let copy = outcome.copy {
                remark.append(
                    copy.awaitingServerFigures
                        ? "files and bytes not known (SYS_LOAD_HISTORY could not be read)"
                        : "\(Figures.count(copy.filesTotal)) files, \(Figures.bytes(copy.bytesTotal))")
            }
            if outcome.filesSkipped > 0 { remark.append("\(Figures.count(outcome.filesSkipped)) already loaded") }
            if outcome.filesChanged > 0 { remark.append("\(Figures.count(outcome.filesChanged)) changed since their last load: rows replaced") }
            if outcome.rejected > 0 { remark.append("\(Figures.count(outcome.rejected)) rejected: see staging.load_errors") }
            lines.append([
                outcome.step.description, outcome.step.phase == .drop || outcome.step.phase == .create ? "" : Figures.count(outcome.rows),
                Figures.duration(outcome.elapsed), remark.joined(separator: "; "),
            ])
        }
        var text = TextColumns.render(lines, rightAligned: [1, 2])
        text += "\n"
        var table: [[String]] = [["table", estimated ? "rows (≈ estimate)" : "rows"]]
        for (entry, rows) in counts {
            table.append([entry.qualifiedName, rows.map { (estimated ? "≈" : "") + Figures.count($0) } ?? "—"])
        }
        text += TextColumns.render(table, rightAligned: [1])
        if estimated { text += "≈: Redshift's estimate (SVV_TABLE_INFO estimated_visible_rows), not a count\n" }
        let out = StandardOutput()
        out.text(text)
        try out.finish()
    }
}

/// `--steps drop,create,copy,insert`: a set of phases; they always run in load order.
struct PhaseList: ExpressibleByArgument {
    var phases: Set<LoadStep.Phase>

    init(phases: Set<LoadStep.Phase>) { self.phases = phases }

    init?(argument: String) {
        var phases = Set<LoadStep.Phase>()
        for word in argument.split(separator: ",") {
            guard let phase = LoadStep.Phase(rawValue: word.trimmingCharacters(in: .whitespaces).lowercased()) else { return nil }
            phases.insert(phase)
        }
        guard !phases.isEmpty else { return nil }
        self.phases = phases
    }

    var defaultValueDescription: String { "drop,create,copy,insert" }
}
