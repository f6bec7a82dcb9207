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
    /// Source listings made by `checkSources()`, used (once) by the copy steps that follow.
    private var listed: [String: (folder: SourceFolder, keys: [String])] = [:]

    /// Every statement names its schema, so the connection's search_path does not matter here.
    public init(connection: Connection, plan: LoadPlan, sources: LoadSources?) {
        self.connection = connection
        self.plan = plan
        self.sources = sources
    }

    /// Lists the copy steps' folders and reads the jsonpaths file now, so a mistyped folder or
    /// a broken jsonpaths file is reported before the drop step has emptied the warehouse.
    /// The listings are kept for the copy steps, which then do not list again.
    public func checkSources() throws {
        guard plan.dialect.engine == .postgres, let sources else { return }
        for table in StarSchema.stagingTables {
            let (path, keys) = try sources.source(for: table)
            listed[table.qualifiedName] = (try SourceFolder.list(path, s3: sources.s3), keys)
        }
    }

    /// Asks the server to stop the running step; it then fails with a cancellation and rolls back.
    /// Safe from any thread.
    @discardableResult
    public func cancel() -> Bool { connection.cancel() }

    /// Runs `step`; `progress` is called ten times a second (from another thread) and once at the end.
    public func run(_ step: LoadStep, progress: @escaping @Sendable (StepProgress) -> Void = { _ in }) throws -> StepOutcome {
        let started = DispatchTime.now()
        @Sendable func elapsed() -> Double { Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9 }

        // The copy's file list is known before the transaction; the manifest is read inside it.
        let meter = ProgressMeter()
        let ticker = PeriodicTask(interval: 0.1) { progress(StepProgress(step: step, elapsed: elapsed(), copy: meter.snapshot)) }
        var outcome = StepOutcome(step: step, rows: 0, elapsed: 0)
        do {
            try connection.execute("BEGIN;")
            switch step.phase {
            case .drop, .create:
                for statement in plan.statements(for: step) { try connection.execute(statement) }
            case .copy where plan.dialect.engine == .postgres:
                outcome = try copyFromFiles(step, meter: meter)
            case .copy:
                outcome = try copyOnRedshift(step, meter: meter)
            case .insert:
                let target = "INSERT INTO \(step.table!.qualifiedName) "
                for statement in plan.statements(for: step) {
                    let result = try connection.execute(statement)
                    if statement.hasPrefix(target) { outcome.rows += result.rowsAffected ?? 0 }
                }
            }
            try connection.execute("COMMIT;")
        } catch {
            ticker.stop()
            rollBack()
            throw StepFailure(step: step, underlying: error)
        }
        ticker.stop()
        outcome.step = step
        outcome.elapsed = elapsed()
        outcome.copy = meter.snapshot
        progress(StepProgress(step: step, elapsed: outcome.elapsed, copy: outcome.copy))
        return outcome
    }

    /// Redshift reads S3 itself: the step runs the COPY while a second session watches
    /// `stv_load_state`; records skipped under MAXERROR go to staging.load_errors in the same
    /// transaction, and a failed COPY is reported with the records `stl_load_errors` blames.
    private func copyOnRedshift(_ step: LoadStep, meter: ProgressMeter) throws -> StepOutcome {
        let table = step.table!
        var outcome = StepOutcome(step: step, rows: 0, elapsed: 0)
        meter.reset(CopyProgress(table: table.qualifiedName, filesTotal: 0, filesSkipped: 0, bytesTotal: 0))
        for statement in plan.statements(for: step) {
            guard statement.hasPrefix("COPY") else { try connection.execute(statement); continue }
            let watch = RedshiftLoadWatch(settings: connection.settings, copyingSession: connection.backendPID, meter: meter)
            do {
                let result = try connection.execute(statement)
                watch.stop()
                outcome.rows = result.rowsAffected ?? 0
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
        let rejects = RedshiftLoadErrors.records(try connection.execute(RedshiftLoadErrors.query).rows)
        if let insert = RedshiftLoadErrors.insert(rejects, table: table, at: BookkeepingRows.timestampNow()) {
            try connection.execute(insert)
        }
        outcome.rejected = rejects.count
        meter.update { copy in
            copy.rejected = rejects.count
            copy.rowsDone = outcome.rows
            copy.bytesDone = copy.bytesTotal
            copy.filesDone = copy.filesTotal
        }
        return outcome
    }

    private func rollBack() {
        // After a cancel or a failed COPY the connection is idle in a failed transaction; a
        // broken connection has nothing to roll back, and saying so would hide the real error.
        // A failed Redshift COPY was rolled back already (to read stl_load_errors): a second
        // ROLLBACK would only earn a warning on the user's screen.
        guard connection.isAlive, connection.inTransaction else { return }
        _ = try? connection.execute("ROLLBACK;")
    }

    private func copyFromFiles(_ step: LoadStep, meter: ProgressMeter) throws -> StepOutcome {
        let table = step.table!
        guard let sources else {
            throw SourceError(path: table.qualifiedName, problem: "no source folders to copy from")
        }
        let (folder, keys) = try listed.removeValue(forKey: table.qualifiedName)
            ?? { let (path, keys) = try sources.source(for: table); return (try SourceFolder.list(path, s3: sources.s3), keys) }()

        // Loaded before: the same name, and (for S3 objects) the same ETag. An object whose
        // ETag changed is loaded again and its manifest row replaced.
        var loaded: [String: String?] = [:]
        for row in try connection.execute(LoadPlan.manifestQuery, [table.qualifiedName]).rows {
            if let name = row[0] { loaded[name] = row[1] }
        }
        var changed: [SourceFile] = []
        let files = folder.files.filter { file in
            guard let before = loaded[file.name] else { return true }
            guard let etag = file.etag, let previous = before, previous != etag else { return false }
            changed.append(file)
            return true
        }
        meter.reset(CopyProgress(table: table.qualifiedName, filesTotal: files.count,
                                 filesSkipped: folder.files.count - files.count,
                                 bytesTotal: files.reduce(0) { $0 + $1.bytes }))
        var outcome = StepOutcome(step: step, rows: 0, elapsed: 0)
        outcome.filesChanged = changed.count
        guard !files.isEmpty else { return outcome }

        var copy = StagingCopy(table: table, sourceKeys: keys, files: files, maxErrors: plan.maxErrors)
        copy.s3 = sources.s3
        let result = try copy.run(on: connection, meter: meter)
        outcome.rows = result.rows
        outcome.rejected = result.rejects.count

        let now = BookkeepingRows.timestampNow()
        if !result.rejects.isEmpty {
            try connection.copyIn(LoadPlan.copyFromStdin(StarSchema.loadErrors)) { writer in
                try writer.write(BookkeepingRows.rejects(result.rejects, table: table, at: now))
            }
        }
        for file in changed {
            try connection.execute(LoadPlan.manifestForget, [table.qualifiedName, file.name])
        }
        try connection.copyIn(LoadPlan.copyFromStdin(StarSchema.loadManifest)) { writer in
            try writer.write(BookkeepingRows.manifest(files, table: table, at: now))
        }
        return outcome
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
