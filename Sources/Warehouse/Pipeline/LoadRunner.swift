import Foundation

/// What one step did.
public struct StepOutcome: Sendable {
    public var step: LoadStep
    /// Rows the step loaded or inserted (for a PostgreSQL upsert: inserted or changed).
    public var rows: Int
    public var elapsed: Double
    /// Bad records skipped under `--max-errors`, now rows of staging.load_errors.
    public var rejected: Int = 0
    /// S3 objects loaded again because their ETag changed since the manifest's load.
    public var filesChanged = 0
    /// Staging did not hold the rows its manifest claimed, so every file was loaded again.
    public var stagingLost: StagingLoss?
    /// An insert step filled the build schema, not the live tables.
    public var rebuilding = false
    /// The rebuild's last step swapped the built tables in.
    public var published = false
    /// The copy's last progress, for the summary.
    public var copy: CopyProgress?
    /// Source files skipped because the manifest says they were loaded before.
    public var filesSkipped: Int { copy?.filesSkipped ?? 0 }
}

/// Runs load steps on one connection, each in its own transaction: a step that fails or is
/// cancelled leaves the database as it was before it. Knows nothing of terminals; front ends
/// render the progress it reports.
public final class LoadRunner {
    public let connection: Connection
    public let plan: LoadPlan
    /// Local folders for a PostgreSQL load; nil when no copy step will run.
    public let sources: LoadSources?
    /// Source listings started by `checkSources()`, used (once) by the copy steps that follow.
    private var listed: [String: (listing: FileListing, keys: [String])] = [:]

    /// Every statement names its schema, so the connection's search_path does not matter here.
    public init(connection: Connection, plan: LoadPlan, sources: LoadSources?) {
        self.connection = connection
        self.plan = plan
        self.sources = sources
    }

    /// Starts listing the copy steps' folders and reads the jsonpaths file now, so a mistyped
    /// folder, one without a single .json file, or a broken jsonpaths file is reported before
    /// the drop step has emptied the warehouse. A local folder goes on being listed while the
    /// steps run, and its copy starts on the first files found (a folder that cannot be read
    /// deep down fails that copy, which rolls back); an S3 prefix is listed whole here.
    public func checkSources() throws {
        guard plan.dialect.engine == .postgres, let sources else { return }
        for table in StarSchema.stagingTables {
            let (path, keys) = try sources.source(for: table)
            listed[table.qualifiedName] = (try FileListing.start(path, s3: sources.s3), keys)
        }
    }

    /// Hands the listing `checkSources` started for `table` to another runner (one copying on
    /// a session of its own), so the folder is not listed twice.
    func takeListing(for table: Table) -> (listing: FileListing, keys: [String])? {
        listed.removeValue(forKey: table.qualifiedName)
    }

    func keepListing(_ listing: (listing: FileListing, keys: [String]), for table: Table) {
        listed[table.qualifiedName] = listing
    }

    /// Runs `step`; `progress` is called ten times a second (from another thread) and once at the end.
    /// Every statement it sends is one of the plan's: the runner acts on each by its kind.
    public func run(_ step: LoadStep, progress: @escaping @Sendable (StepProgress) -> Void = { _ in }) throws -> StepOutcome {
        let started = DispatchTime.now()
        @Sendable func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9 }

        let meter = ProgressMeter()
        if let table = step.table, step.phase == .copy {
            meter.reset(CopyProgress(table: table.qualifiedName, filesTotal: 0, filesSkipped: 0, bytesTotal: 0))
        }
        let ticker = PeriodicTask(interval: 0.1) { progress(StepProgress(step: step, elapsed: elapsed(), copy: meter.snapshot)) }
        var work = StepWork(outcome: StepOutcome(step: step, rows: 0, elapsed: 0))
        do {
            try connection.execute("BEGIN;")
            for statement in plan.statements(for: step) {
                try perform(statement, of: step, work: &work, meter: meter)
            }
            try connection.execute("COMMIT;")
        } catch {
            ticker.stop()
            rollBack()
            throw StepFailure(step: step, underlying: error)
        }
        ticker.stop()
        var outcome = work.outcome
        outcome.elapsed = elapsed()
        outcome.copy = meter.snapshot
        progress(StepProgress(step: step, elapsed: outcome.elapsed, copy: outcome.copy))
        return outcome
    }

    /// What one step's statements learn and hand to the next: the files to load, the copy's
    /// rejects, the rows the step counts.
    private struct StepWork {
        var outcome: StepOutcome
        /// The files to load: the whole listing (still growing) on a first load, else those the
        /// manifest lacks.
        var files = FileListing(complete: [], path: "")
        var changed: [SourceFile] = []
        var rejects: [RejectedRecord] = []
        var listing: FileListing?
        var keys: [String] = []
        /// The rows the manifest says its files put in staging (nil: a row of an older
        /// manifest does not say).
        var claimedRows: Int? = 0
        /// Staging lost rows the manifest claims: forget the manifest, load every file again.
        var reloadAll = false
        /// Rows each file of `files` put in staging, in their order.
        var rowsPerFile: [Int] = []
        /// A changed object's rows from its earlier load stay in staging: its new manifest row
        /// counts them too, so the manifest's sum stays what staging holds.
        var earlierRows: [String: Int] = [:]
        /// The build schema exists: the inserts fill it, and the last one swaps it in.
        var rebuilding = false
        /// The insert's table held no rows: its keys are built after them.
        var targetEmpty = false
        let loadedAt = BookkeepingRows.timestampNow()
    }

    private func perform(_ statement: PlannedStatement, of step: LoadStep, work: inout StepWork, meter: ProgressMeter) throws {
        switch statement {
        case .findRebuild(let sql):
            work.rebuilding = (Int(try connection.execute(sql).scalar ?? "") ?? 0) > 0
            work.outcome.rebuilding = work.rebuilding
        case .duringRebuild(let inner):
            if work.rebuilding { try perform(inner, of: step, work: &work, meter: meter) }
        case .outsideRebuild(let inner):
            if !work.rebuilding { try perform(inner, of: step, work: &work, meter: meter) }
        case .findEmptyTarget(let sql):
            work.targetEmpty = try connection.execute(sql).scalar == "t"
        case .whileEmpty(let inner):
            if work.targetEmpty { try perform(inner, of: step, work: &work, meter: meter) }
        case .unlessEmpty(let inner):
            if !work.targetEmpty { try perform(inner, of: step, work: &work, meter: meter) }
        case .publishRebuild(let sql):
            try connection.execute(sql)
            work.outcome.published = true
        case .execute(let sql):
            try connection.execute(sql)
        case .fill(let sql):
            work.outcome.rows += try connection.execute(sql).rowsAffected ?? 0
        case .upgradeManifest(let sql):
            try connection.execute(sql)
        case .readManifest(let sql):
            try readManifest(sql, for: try table(of: step), work: &work, meter: meter)
        case .countStaged(let sql):
            let staged = Int(try connection.execute(sql).scalar ?? "") ?? 0
            guard staged != work.claimedRows else { return }
            // What the manifest lists is not all in staging (a crash empties UNLOGGED tables,
            // a manual TRUNCATE too): skipping those files would load analytics from half the data.
            let table = try table(of: step)
            work.outcome.stagingLost = StagingLoss(table: table.qualifiedName, staged: staged, claimed: work.claimedRows)
            work.reloadAll = true
            work.files = work.listing ?? work.files
            work.changed = []
            work.earlierRows = [:]
            work.outcome.filesChanged = 0
            meter.reset(CopyProgress(table: table.qualifiedName, listed: work.files.count, filesSkipped: 0))
        case .forgetManifest(let sql):
            guard work.reloadAll else { return }
            try connection.execute(sql, [try table(of: step).qualifiedName])
        case .emptyStaging(let sql):
            guard work.reloadAll else { return }
            try connection.execute(sql)
        case .copySourceRows(let sql):
            guard try work.files.hasFiles() else { return }
            var copy = StagingCopy(table: try table(of: step), sourceKeys: work.keys, files: work.files, maxErrors: plan.maxErrors)
            copy.s3 = sources?.s3
            let result = try copy.run(sql, on: connection, meter: meter)
            work.outcome.rows = result.rows
            work.outcome.rejected = result.rejects.count
            work.rejects = result.rejects
            work.rowsPerFile = result.rowsPerFile
            if !work.earlierRows.isEmpty {
                for (index, file) in try work.files.all().enumerated() where index < work.rowsPerFile.count {
                    work.rowsPerFile[index] += work.earlierRows[file.name] ?? 0
                }
            }
        case .keepRejects(let sql):
            guard !work.rejects.isEmpty else { return }
            let rows = BookkeepingRows.rejects(work.rejects, table: try table(of: step), at: work.loadedAt)
            try connection.copyIn(sql) { try $0.write(rows) }
        case .forgetChangedFile(let sql):
            let table = try table(of: step)
            for file in work.changed { try connection.execute(sql, [table.qualifiedName, file.name]) }
        case .recordManifest(let sql):
            let files = try work.files.all()
            guard !files.isEmpty else { return }
            let table = try table(of: step)
            // In batches: a million song files would otherwise make one 80 MB buffer.
            try connection.copyIn(sql) { writer in
                for start in stride(from: 0, to: files.count, by: 10_000) {
                    let batch = files[start..<min(start + 10_000, files.count)]
                    try writer.write(BookkeepingRows.manifest(batch, rows: work.rowsPerFile, table: table, at: work.loadedAt))
                }
            }
        case .redshiftCopy(let sql):
            work.outcome.rows = try copyOnRedshift(sql, meter: meter)
        case .readRedshiftRejects(let sql):
            work.rejects = RedshiftLoadErrors.records(try connection.execute(sql).rows)
            work.outcome.rejected = work.rejects.count
            let rows = work.outcome.rows
            let rejected = work.rejects.count
            meter.update { copy in
                copy.rejected = rejected
                copy.rowsDone = rows
                copy.bytesDone = copy.bytesTotal
                copy.filesDone = copy.filesTotal
            }
        case .keepRedshiftRejects:
            // The statement's values are the records just read; the plan holds its form.
            if let insert = RedshiftLoadErrors.insert(work.rejects, table: try table(of: step), at: work.loadedAt) {
                try connection.execute(insert)
            }
        }
    }

    private func table(of step: LoadStep) throws -> Table {
        guard let table = step.table else { throw SourceError(path: step.description, problem: "has no table to fill") }
        return table
    }

    /// Which of the source's files to load: those not in the manifest, and S3 objects whose
    /// ETag changed since their load (their manifest rows are replaced in this transaction).
    private func readManifest(_ sql: String, for table: Table, work: inout StepWork, meter: ProgressMeter) throws {
        guard let sources else {
            throw SourceError(path: table.qualifiedName, problem: "no source folders to copy from")
        }
        let (listing, keys) =
            try listed.removeValue(forKey: table.qualifiedName)
            ?? {
                let (path, keys) = try sources.source(for: table)
                return (try FileListing.start(path, s3: sources.s3), keys)
            }()
        var loaded: [String: (etag: String?, rows: Int?)] = [:]
        var claimed: Int? = 0
        for row in try connection.execute(sql, [table.qualifiedName]).rows {
            let rows = row[2].flatMap { Int($0) }
            if let name = row[0] { loaded[name] = (row[1], rows) }
            claimed = claimed.flatMap { sum in rows.map { sum + $0 } }
        }
        work.claimedRows = claimed
        work.listing = listing
        var changed: [SourceFile] = []
        if loaded.isEmpty {
            // A first load takes every file, as the listing finds them.
            work.files = listing
            meter.reset(CopyProgress(table: table.qualifiedName, listed: listing.count, filesSkipped: 0))
        } else {
            let all = try listing.all()
            let files = all.filter { file in
                guard let before = loaded[file.name] else { return true }
                guard let etag = file.etag, let previous = before.etag, previous != etag else { return false }
                changed.append(file)
                return true
            }
            work.files = FileListing(complete: files, path: listing.path)
            meter.reset(CopyProgress(table: table.qualifiedName, listed: work.files.count, filesSkipped: all.count - files.count))
        }
        work.changed = changed
        for file in changed { work.earlierRows[file.name] = loaded[file.name]?.rows ?? 0 }
        work.keys = keys
        work.outcome.filesChanged = changed.count
    }

    /// Redshift reads S3 itself: the COPY runs while a second session watches
    /// `stv_load_state`; a failed COPY is reported with the records `stl_load_errors` blames.
    private func copyOnRedshift(_ sql: String, meter: ProgressMeter) throws -> Int {
        let watch = RedshiftLoadWatch(settings: connection.settings, copyingSession: connection.backendPID, meter: meter)
        do {
            let result = try connection.execute(sql)
            watch.stop()
            return result.rowsAffected ?? 0
        } catch let error as DatabaseError where !error.isCancellation {
            watch.stop()
            // stl_load_errors is read in this session (pg_last_copy_id), once the failed
            // transaction is gone.
            rollBack()
            let records = (try? connection.execute(RedshiftLoadErrors.query).rows).map(RedshiftLoadErrors.records) ?? []
            throw RedshiftCopyFailure(server: "\(error)", records: records)
        } catch {
            watch.stop()
            throw error
        }
    }

    private func rollBack() {
        // After a cancel or a failed COPY the connection is idle in a failed transaction; a
        // broken connection has nothing to roll back, and saying so would hide the real error.
        // A failed Redshift COPY was rolled back already (to read stl_load_errors): a second
        // ROLLBACK would only earn a warning on the user's screen.
        guard connection.isAlive, connection.inTransaction else { return }
        _ = try? connection.execute("ROLLBACK;")
    }
}

/// A staging table that lost rows its manifest still lists (emptied by crash recovery, or by hand).
public struct StagingLoss: Sendable, Equatable, CustomStringConvertible {
    public var table: String
    public var staged: Int
    /// What the manifest's files put there; nil when an older manifest does not say.
    public var claimed: Int?

    public var description: String {
        let claim = claimed.map { "the \(Figures.count($0, "row")) its manifest lists" } ?? "what its manifest (from an older sparkify) lists"
        return "\(table) held \(Figures.count(staged)) rows, not \(claim) (a server crash empties UNLOGGED staging): every file was loaded again"
    }
}

/// A step failed (or was cancelled) and was rolled back.
public struct StepFailure: Error, CustomStringConvertible, Sendable {
    public var step: LoadStep
    public var underlying: Error

    public var isCancellation: Bool {
        underlying is CancelledError || (underlying as? DatabaseError)?.isCancellation == true
    }

    public var description: String { "\(step) failed and was rolled back: \(underlying)" }
}
