import ArgumentParser
import Foundation
import Warehouse

struct ETLCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "etl",
        abstract: "Load the warehouse: drop, create, copy the sources into staging, insert the star schema.",
        discussion: """
        Each step is one transaction: a step that fails, or that Ctrl-C cancels, rolls back and \
        leaves the database as it was before it (exit 130 when cancelled). Copy steps into \
        PostgreSQL read the files themselves and load only files not yet in the load manifest, \
        so `--steps copy,insert` after new files arrive loads just those.
        """
    )

    @OptionGroup var target: TargetOptions

    @Option(name: .long, help: ArgumentHelp("A dataset folder, or s3://bucket/prefix, holding log_data/ and song_data/ (and log_json_path.json).", valueName: "dir"))
    var source: String?

    @Option(name: .long, help: ArgumentHelp("Which phases to run, in load order.", valueName: "drop,create,copy,insert"))
    var steps: PhaseList = PhaseList(phases: Set(LoadStep.Phase.allCases))

    @Option(name: .long, help: ArgumentHelp("Bad records a copy step may skip (kept in staging.load_errors).", valueName: "n"))
    var maxErrors = 0

    @Flag(name: .long, help: "Print every statement of the plan without connecting.")
    var dryRun = false

    @Option(name: .long, help: ArgumentHelp("With --dry-run: the dialect to print (default: the target's).", valueName: "postgres|redshift"))
    var engine: EngineName?

    enum EngineName: String, ExpressibleByArgument, CaseIterable {
        case postgres, redshift
    }

    func validate() throws {
        guard maxErrors >= 0 else { throw ValidationError("--max-errors must be 0 or more.") }
        if engine != nil && !dryRun { throw ValidationError("--engine only applies to --dry-run; a real load uses the target's engine.") }
    }

    func run() throws {
        var choice: TargetChoice?
        try reportingErrors { choice = try target.resolve() }
        guard let choice else { return }
        let planned = LoadStep.steps(in: steps.phases)
        if dryRun { return try printPlan(planned, choice: choice) }

        var opened: Connection?
        var runner: LoadRunner?
        try reportingErrors {
            let connection = try Connection.warehouse(try choice.connectionSettings(progress: { Terminal.note($0) }))
            // "table does not exist, skipping" and the like are the DDL's chatter, not news.
            try connection.execute("SET client_min_messages TO warning;")
            connection.onNotice = { Terminal.write("\($0.severity): \($0.message)\n") }
            opened = connection
            let setup = LoadSetup(choice: choice, source: source, maxErrors: maxErrors)
            let made = try setup.runner(on: connection, copies: planned.contains { $0.phase == .copy },
                                        progress: { Terminal.note($0) })
            // Before any step: a wrong folder must not cost the user the warehouse they have.
            if planned.contains(where: { $0.phase == .copy }) { try made.checkSources() }
            runner = made
        }
        guard let connection = opened, let runner else { return }

        let display = ProgressDisplay()
        let interrupt = InterruptWatch { runner.cancel() }
        defer { interrupt.stop() }
        var outcomes: [StepOutcome] = []
        for step in planned {
            // A Ctrl-C between two steps has no statement to cancel: stop before the next one.
            if interrupt.fired {
                Terminal.note("cancelled before \(step); the steps before it are committed")
                throw ExitCode(130)
            }
            display.begin(step)
            do {
                let outcome = try runner.run(step) { display.update($0) }
                display.finish(outcome)
                outcomes.append(outcome)
            } catch let failure as StepFailure {
                display.fail(step)
                if interrupt.fired && failure.isCancellation {
                    Terminal.note("cancelled: \(step) was rolled back; the database is as it was before it")
                    throw ExitCode(130)
                }
                Terminal.note("\(step) failed and was rolled back")
                Terminal.report(failure.underlying)
                if let database = failure.underlying as? DatabaseError, database.sqlState == "42P01" {
                    Terminal.note("a table is missing: run the create step first (--steps create,copy,insert)")
                }
                throw ExitCode.failure
            }
        }
        printSummary(outcomes, counts: (try? TableCounts.read(on: connection)) ?? [])
    }

    // MARK: - Dry run

    private func printPlan(_ planned: [LoadStep], choice: TargetChoice) throws {
        let config = LoadSetup(choice: choice).config
        let engine = self.engine.map { $0 == .redshift ? Engine.redshift : .postgres } ?? config?.expectedEngine ?? .postgres
        let dialect: Dialect = engine == .redshift ? RedshiftDialect() : PostgresDialect()
        let dataset = source.flatMap { try? S3Location($0) }
        let redshift = engine == .redshift ? config.flatMap { try? RedshiftCopy(config: $0, dataset: dataset) } : nil
        let plan = LoadPlan(dialect: dialect, redshift: redshift, maxErrors: maxErrors)
        let sources = engine == .postgres ? try? LoadSetup(choice: choice, source: source).localSources() : nil

        var text = "-- sparkify etl plan for \(engine == .redshift ? "Redshift" : "PostgreSQL"): \(planned.map(\.description).joined(separator: ", "))\n"
        text += "-- Every session first runs:\n\(dialect.searchPath)\n"
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
            text += plan.statements(for: step).joined(separator: "\n") + "\n"
            text += "COMMIT;\n"
        }
        FileHandle.standardOutput.write(Data(text.utf8))
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
        text += "-- only files not yet in staging.load_manifest; rejects (up to --max-errors \(maxErrors)) go to staging.load_errors\n"
        return text
    }

    // MARK: - Summary

    private func printSummary(_ outcomes: [StepOutcome], counts: [(table: Table, rows: Int?)]) {
        var lines: [[String]] = [["step", "rows", "time", ""]]
        for outcome in outcomes {
            var remark: [String] = []
            if let copy = outcome.copy {
                remark.append("\(Figures.count(copy.filesTotal)) files, \(Figures.bytes(copy.bytesTotal))")
            }
            if outcome.filesSkipped > 0 { remark.append("\(Figures.count(outcome.filesSkipped)) already loaded") }
            if outcome.filesChanged > 0 { remark.append("\(Figures.count(outcome.filesChanged)) changed since their last load, loaded again") }
            if outcome.rejected > 0 { remark.append("\(Figures.count(outcome.rejected)) rejected: see staging.load_errors") }
            lines.append([outcome.step.description, outcome.step.phase == .drop || outcome.step.phase == .create ? "" : Figures.count(outcome.rows),
                          Figures.duration(outcome.elapsed), remark.joined(separator: "; ")])
        }
        var text = TextColumns.render(lines, rightAligned: [1, 2])
        text += "\n"
        var table: [[String]] = [["table", "rows"]]
        for (entry, rows) in counts {
            table.append([entry.qualifiedName, rows.map(Figures.count) ?? "—"])
        }
        text += TextColumns.render(table, rightAligned: [1])
        FileHandle.standardOutput.write(Data(text.utf8))
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
