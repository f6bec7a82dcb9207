import Foundation
import PostgresClient

/// What one step did.
public struct StepOutcome: Sendable {
    public var step: LoadStep
    /// Rows the step loaded or inserted (for a PostgreSQL upsert: inserted or changed).
    public var rows: Int
    public var elapsed: Double
    /// Bad records skipped under `--max-errors`, now rows of staging.load_errors.
    public var rejected: Int = 0
    /// Files loaded before whose content changed since (size, ETag or modification time):
    /// their old rows were replaced by their new ones.
    public var filesChanged = 0
    /// What the step wants the user told beside its figures: files replaced, entries of the
    /// source not read and why.
    public var notes: [String] = []
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
    /// `--add-source`: an incremental load may copy from a source other than the one staging
    /// holds, keeping both.
    public let addSource: Bool

    /// Every statement names its schema, so the connection's search_path does not matter here.
    public init(connection: Connection, plan: LoadPlan, sources: LoadSources?, addSource: Bool = false) {
        self.connection = connection
        self.plan = plan
        self.sources = sources
        self.addSource = addSource
    }

    /// Starts listing the copy steps' folders and reads the jsonpaths file now, so a mistyped
    /// folder, one without a single .json file, or a broken jsonpaths file is reported before
    /// the drop step has emptied the warehouse. A local folder goes on being listed while the
    /// steps run, and its copy starts on the first files found (a folder that cannot be read
    /// deep down fails that copy, which rolls back); an S3 prefix is listed whole here.
    /// `incremental`: the run copies without dropping first, so staging keeps what it holds and
    /// the sources must be the ones it came from (`sourceMismatch`).
    public func checkSources(incremental: Bool = false) throws {
        guard plan.dialect.engine == .postgres, let sources else { return }
        for table in StarSchema.stagingTables {
            let (path, keys) = try sources.source(for: table)
            listed[table.qualifiedName] = (try FileListing.start(path, s3: sources.s3), keys)
        }
        if incremental, let mismatch = try sourceMismatch() { throw mismatch }
    }

    /// Whether a copy without drop would mix this runner's sources with those staging holds
    /// (`.olderManifest` when staging cannot say): staging must have been loaded by a sparkify
    /// that records where each file came from, and from the sources this load reads (unless
    /// `addSource`), or files of another folder with the same names would be skipped as loaded
    /// and new ones mixed in without a word. Nil on Redshift, with `addSource`, or when
    /// staging holds nothing yet. The console asks as soon as the user picks another source.
    public func sourceMismatch() throws -> SourceMismatch? {
        guard plan.dialect.engine == .postgres, let sources else { return nil }
        let manifest = StarSchema.loadManifest
        let columns = try connection.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2;",
            [manifest.schema, manifest.name]
        ).rows.compactMap { $0[0] }
        // No manifest: no tables yet, which the copy step itself reports.
        guard !columns.isEmpty else { return nil }
        guard columns.contains("source"), columns.contains("file_number") else { return .olderManifest }
        guard !addSource else { return nil }
        var held: [String: [String]] = [:]
        for row in try connection.execute("SELECT DISTINCT target_table, source FROM \(manifest.qualifiedName) ORDER BY 2;").rows {
            if let table = row[0], let source = row[1] { held[table, default: []].append(source) }
        }
        for table in StarSchema.stagingTables {
            guard let heldSources = held[table.qualifiedName], !heldSources.isEmpty else { continue }
            let asked = listed[table.qualifiedName]?.listing.source ?? FileListing.identity(of: sources.folder(for: table))
            guard heldSources.contains(asked) else {
                return .otherSource(table: table.qualifiedName, held: heldSources, asked: asked)
            }
        }
        return nil
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
            var start = CopyProgress(table: table.qualifiedName, filesTotal: 0, filesSkipped: 0, bytesTotal: 0)
            // Redshift reads the files itself and says how far it got only through STV_LOAD_STATE.
            start.awaitingServerFigures = plan.dialect.engine == .redshift
            meter.reset(start)
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
        /// manifest lacks or that changed since their load.
        var files = FileListing(complete: [], path: "")
        /// Files loaded before that changed since: the numbers and paths of their earlier load.
        var replaced: [(number: Int, path: String)] = []
        var rejects: [RejectedRecord] = []
        var listing: FileListing?
        var keys: [String] = []
        /// The rows the manifest says its files put in staging, from every source (nil: a row
        /// does not say).
        var claimedRows: Int? = 0
        /// The number of the first file this step loads: one past every number staging holds.
        var firstFileNumber = 1
        /// Staging lost rows the manifest claims: forget the manifest, load every file again.
        var reloadAll = false
        /// Rows each file of `files` put in staging, in their order.
        var rowsPerFile: [Int] = []
        /// The build schema exists: the inserts fill it, and the last one swaps it in.
        var rebuilding = false
        /// The insert's table held no rows: its keys are built after them.
        var targetEmpty = false
        /// The Redshift COPY's query ID, for its rejects.
        var copyID: Int?
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
        case .checkSwap(let sql):
            // Catalog reads on a session of their own: on Redshift a failed statement would
            // abort the step's transaction, and a catalog a cluster answers otherwise must not
            // cost the rebuild. What could not be checked is said.
            do {
                let objects = try onTheSide { try $0.execute(sql).rows }.compactMap { $0[0] }
                guard objects.isEmpty else { throw SwapBlocked(objects: objects) }
            } catch let blocked as SwapBlocked {
                throw blocked
            } catch {
                work.outcome.notes.append("the views and objects on the analytics tables could not be checked before the swap (\(error))")
            }
        case .carryGrants(let sql):
            let rows: [[String?]]
            do {
                rows = try onTheSide { try $0.execute(sql).rows }
            } catch {
                work.outcome.notes.append("the grants on analytics could not be read (\(error)): give them again on the new tables")
                return
            }
            for row in rows {
                guard let acl = row[1] else { continue }
                for grant in SwapGuard.grantStatements(acl: acl, on: row[0] ?? "") { try connection.execute(grant) }
            }
        case .publishRebuild(let sql):
            try connection.execute(sql)
            work.outcome.published = true
        case .execute(let sql):
            try connection.execute(sql)
        case .fill(let sql):
            work.outcome.rows += try connection.execute(sql).rowsAffected ?? 0
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
            work.replaced = []
            work.outcome.filesChanged = 0
            meter.reset(CopyProgress(table: table.qualifiedName, listed: work.files.count, filesSkipped: 0))
        case .forgetManifest(let sql):
            guard work.reloadAll else { return }
            try connection.execute(sql, [try table(of: step).qualifiedName])
        case .emptyStaging(let sql):
            guard work.reloadAll else { return }
            try connection.execute(sql)
        case .replaceChanged(let part, let sql):
            guard !work.replaced.isEmpty else { return }
            let numbers = Self.arrayLiteral(work.replaced.map { String($0.number) })
            switch part {
            case .stagingRows: try connection.execute(sql, [numbers])
            case .rejects: try connection.execute(sql, [try table(of: step).qualifiedName, Self.arrayLiteral(work.replaced.map(\.path))])
            case .manifestRows: try connection.execute(sql, [try table(of: step).qualifiedName, numbers])
            }
        case .copySourceRows(let sql):
            guard try work.files.hasFiles() else { return }
            var copy = StagingCopy(table: try table(of: step), sourceKeys: work.keys, files: work.files, maxErrors: plan.maxErrors)
            copy.s3 = sources?.s3
            copy.firstFileNumber = work.firstFileNumber
            let result = try copy.run(sql, on: connection, meter: meter)
            work.outcome.rows = result.rows
            work.outcome.rejected = result.rejects.count
            work.rejects = result.rejects
            work.rowsPerFile = result.rowsPerFile
        case .keepRejects(let sql):
            guard !work.rejects.isEmpty else { return }
            let rows = BookkeepingRows.rejects(work.rejects, table: try table(of: step), at: work.loadedAt)
            try connection.copyIn(sql) { try $0.write(rows) }
        case .recordManifest(let sql):
            let files = try work.files.all()
            work.outcome.notes += work.files.notes.map { "\(work.files.path)/\($0)" }
            guard !files.isEmpty else { return }
            let table = try table(of: step)
            let entry = BookkeepingRows.ManifestEntry(
                table: table, source: work.files.source, firstFileNumber: work.firstFileNumber, rows: work.rowsPerFile, loadedAt: work.loadedAt)
            // In batches: a million song files would otherwise make one 80 MB buffer.
            try connection.copyIn(sql) { writer in
                for start in stride(from: 0, to: files.count, by: 10_000) {
                    try writer.write(BookkeepingRows.manifest(files[start..<min(start + 10_000, files.count)], entry))
                }
            }
        case .startRebuild(let sql):
            guard plan.dialect.engine == .redshift || !work.replaced.isEmpty else { return }
            try connection.execute(sql)
        case .redshiftCopy(let sql):
            (work.outcome.rows, work.copyID) = try copyOnRedshift(sql, meter: meter)
        case .readRedshiftRejects:
            // On a session of its own: the step's transaction stays out of the system views.
            guard let queryID = work.copyID else { return }
            let reading: RedshiftLoadErrors.Reading
            var history: RedshiftLoadErrors.History?
            do {
                (reading, history) = try onTheSide { reader in
                    (RedshiftLoadErrors.read(queryID: queryID, on: reader), RedshiftLoadErrors.history(queryID: queryID, on: reader))
                }
            } catch {
                reading = RedshiftLoadErrors.Reading(problem: "the rejects of COPY \(queryID) could not be read: \(error)")
            }
            if let problem = reading.problem { work.outcome.notes.append(problem) }
            work.rejects = reading.records
            work.outcome.rejected = work.rejects.count
            let rows = work.outcome.rows
            let rejected = work.rejects.count
            // What the COPY read, as SYS_LOAD_HISTORY tells it; without it the figures stay unknown.
            meter.update { copy in
                copy.rejected = rejected
                copy.rowsDone = rows
                if let history {
                    copy.filesTotal = history.files
                    copy.bytesTotal = history.bytes
                    copy.awaitingServerFigures = false
                }
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

    /// `body` on a session of its own, outside the step's transaction: system views and catalog
    /// reads that a cluster may answer otherwise (or not at all) must not abort the step.
    private func onTheSide<Result>(_ body: (Connection) throws -> Result) throws -> Result {
        let side = try Connection(connection.settings)
        defer { side.close() }
        return try body(side)
    }

    private func table(of step: LoadStep) throws -> Table {
        guard let table = step.table else { throw SourceError(path: step.description, problem: "has no table to fill") }
        return table
    }

    /// Which of the source's files to load: those not in its manifest rows, and those whose
    /// content changed since their load (their old rows, rejects and manifest rows go first,
    /// in this transaction). Files of other sources (`--add-source`) are left as they are.
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
        struct Loaded {
            var number: Int
            var bytes: Int
            var etag: String?
            var modifiedNanos: Int64?
        }
        var loaded: [String: Loaded] = [:]
        var claimed: Int? = 0
        var highest = 0
        for row in try connection.execute(sql, [table.qualifiedName]).rows {
            let number = row[2].flatMap { Int($0) } ?? 0
            highest = max(highest, number)
            claimed = claimed.flatMap { sum in row[6].flatMap { Int($0) }.map { sum + $0 } }
            guard row[0] == listing.source, let name = row[1] else { continue }
            loaded[name] = Loaded(
                number: number, bytes: row[3].flatMap { Int($0) } ?? -1, etag: row[4], modifiedNanos: row[5].flatMap { Int64($0) })
        }
        work.claimedRows = claimed
        work.firstFileNumber = highest + 1
        work.listing = listing
        var replaced: [(number: Int, path: String)] = []
        var notes: [String] = []
        if loaded.isEmpty {
            // A first load from this source takes every file, as the listing finds them.
            work.files = listing
            meter.reset(CopyProgress(table: table.qualifiedName, listed: listing.count, filesSkipped: 0))
        } else {
            let all = try listing.all()
            let files = all.filter { file in
                guard let before = loaded[file.name] else { return true }
                if file.sameContent(bytes: before.bytes, etag: before.etag, modifiedNanos: before.modifiedNanos) { return false }
                replaced.append((before.number, file.path))
                if notes.count < Self.namedChanges {
                    let size = before.bytes == file.bytes ? "same size" : "\(Figures.bytes(before.bytes)) then, \(Figures.bytes(file.bytes)) now"
                    notes.append("\(file.path) changed since its last load (\(size)): its rows are replaced")
                }
                return true
            }
            work.files = FileListing(complete: files, path: listing.path, source: listing.source, notes: listing.notes)
            meter.reset(CopyProgress(table: table.qualifiedName, listed: work.files.count, filesSkipped: all.count - files.count))
        }
        if replaced.count > Self.namedChanges { notes.append("… and \(Figures.count(replaced.count - Self.namedChanges, "more file")) changed") }
        if !replaced.isEmpty { notes.append("the insert steps that follow rebuild analytics aside, so plays and users follow the replaced rows") }
        work.replaced = replaced
        work.keys = keys
        work.outcome.filesChanged = replaced.count
        work.outcome.notes += notes
    }

    /// Changed files named one by one in a step's notes; more are counted.
    static let namedChanges = 5

    /// A PostgreSQL array literal of `values` (text, quoted), for an `ANY($n)` parameter.
    static func arrayLiteral(_ values: [String]) -> String {
        "{"
            + values.map { "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\"" }.joined(
                separator: ",") + "}"
    }

    /// Redshift reads S3 itself: the COPY runs while a second session watches
    /// `stv_load_state`; a failed COPY is reported with the records the load error views blame
    /// (`RedshiftLoadErrors`). Returns the rows loaded and the COPY's query ID.
    private func copyOnRedshift(_ sql: String, meter: ProgressMeter) throws -> (rows: Int, queryID: Int?) {
        let before = Int(try connection.execute(RedshiftLoadErrors.lastCopyID).scalar ?? "") ?? -1
        let watch = RedshiftLoadWatch(settings: connection.settings, copyingSession: connection.backendPID, meter: meter)
        do {
            let result = try connection.execute(sql)
            watch.stop()
            let queryID = Int(try connection.execute(RedshiftLoadErrors.lastCopyID).scalar ?? "")
            return (result.rowsAffected ?? 0, queryID)
        } catch let error as DatabaseError where !error.isCancellation {
            watch.stop()
            // The failed transaction gone, this session's newest load is the one that failed.
            rollBack()
            let queryID =
                (try? connection.execute(RedshiftLoadErrors.failedCopyID, [String(before)]).scalar).flatMap { $0.flatMap { Int($0) } }
                ?? (try? connection.execute(RedshiftLoadErrors.failedCopyIDFromSTL, [String(before)]).scalar).flatMap { $0.flatMap { Int($0) } }
            guard let queryID else { throw RedshiftCopyFailure(server: "\(error)", records: []) }
            let reading = RedshiftLoadErrors.read(queryID: queryID, on: connection)
            throw RedshiftCopyFailure(server: "\(error)", records: reading.records, readProblem: reading.problem)
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
