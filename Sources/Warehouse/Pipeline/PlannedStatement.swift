/// What a replaced file's earlier load left, removed before its new rows come in.
public enum ReplacedPart: Sendable, Equatable {
    /// Its staging rows ($1: the files' numbers).
    case stagingRows
    /// Its records in load_errors ($1: the staging table, $2: the files' paths).
    case rejects
    /// Its manifest rows ($1: the staging table, $2: the files' numbers).
    case manifestRows
}

/// One statement of a step, with what the runner must do with it. The runner decides by this,
/// never by reading the SQL; the dry run and the console print `sql`, so what they show is
/// what runs, bookkeeping included.
public indirect enum PlannedStatement: Sendable, Equatable {
    /// Insert steps: whether a rebuild is under way (the build schema exists: create made it,
    /// the last insert has not yet swapped it in).
    case findRebuild(String)
    /// Runs only during a rebuild: the inserts into the build schema, and the swap.
    case duringRebuild(PlannedStatement)
    /// Runs only outside a rebuild: an incremental load's inserts into the live tables.
    case outsideRebuild(PlannedStatement)
    /// The last insert step of a rebuild: the built tables take the live ones' place, in the
    /// step's one transaction.
    case publishRebuild(String)
    /// Before the swap: objects the swap would drop (views on the analytics tables, others in the
    /// schema); any stops the step, named (`SwapGuard`).
    case checkSwap(String)
    /// Before the swap: the grants on the analytics schema and tables, given to the built ones.
    case carryGrants(String)
    /// PostgreSQL insert steps into a table with keys: whether the table is empty…
    case findEmptyTarget(String)
    /// …and, only when it is, its keys dropped before the insert and built once after it, which
    /// costs one sort instead of an index update a row, and the insert without the check for
    /// rows already there…
    case whileEmpty(PlannedStatement)
    /// …which runs only when the table held rows.
    case unlessEmpty(PlannedStatement)
    /// Runs as written (DDL, a Redshift staging table emptied before its COPY).
    case execute(String)
    /// INSERT … SELECT filling the step's table: its row count is the step's.
    case fill(String)
    /// PostgreSQL copy: the files loaded before, from every source, with what identified their
    /// content, their numbers and rows ($1: the staging table).
    case readManifest(String)
    /// PostgreSQL copy: the rows staging holds, to check against the manifest's sum.
    case countStaged(String)
    /// PostgreSQL copy: when staging lost rows the manifest claims, the manifest's rows for the
    /// table go ($1: the staging table)…
    case forgetManifest(String)
    /// …and what staging still holds, so every file is loaded again, once.
    case emptyStaging(String)
    /// PostgreSQL copy: for the files that changed since their last load, what that load left
    /// (run once for all of them, only when there are any).
    case replaceChanged(ReplacedPart, String)
    /// PostgreSQL copy: the rows of every file not loaded before, read, checked and sent by sparkify.
    case copySourceRows(String)
    /// PostgreSQL copy: the bad records skipped under the error limit, when there are any.
    case keepRejects(String)
    /// PostgreSQL copy: a manifest row for each file loaded.
    case recordManifest(String)
    /// A copy that replaced rows (PostgreSQL: a changed file's; Redshift: every copy): the build
    /// schema made (if missing), so the inserts that follow rebuild the star schema aside
    /// (`LoadPlan.startRebuild`).
    case startRebuild(String)
    /// Redshift copy: the COPY from S3, watched from a second session through stv_load_state.
    case redshiftCopy(String)
    /// Redshift copy: the records the COPY skipped, from stl_load_errors.
    case readRedshiftRejects(String)
    /// Redshift copy: those records as rows of staging.load_errors (one INSERT of literals,
    /// written when the records are known; `sql` shows its form).
    case keepRedshiftRejects(String)

    /// The SQL as printed by the dry run and the console.
    public var sql: String {
        switch self {
        case .duringRebuild(let inner), .outsideRebuild(let inner), .whileEmpty(let inner), .unlessEmpty(let inner):
            return inner.sql
        case .findRebuild(let sql), .publishRebuild(let sql), .findEmptyTarget(let sql), .checkSwap(let sql), .carryGrants(let sql):
            return sql
        case .execute(let sql), .fill(let sql), .readManifest(let sql), .countStaged(let sql),
            .forgetManifest(let sql), .emptyStaging(let sql), .copySourceRows(let sql), .keepRejects(let sql),
            .replaceChanged(_, let sql), .recordManifest(let sql), .startRebuild(let sql), .redshiftCopy(let sql),
            .readRedshiftRejects(let sql), .keepRedshiftRejects(let sql):
            return sql
        }
    }

    /// A comment said before the statement in the dry run and the console, when the SQL alone
    /// does not say when or how it runs.
    public var note: String? {
        switch self {
        case .findRebuild: return "-- a rebuild is under way when create made analytics_build and no insert has swapped it in yet"
        case .outsideRebuild(let inner):
            return "-- outside a rebuild (an incremental load): into the live tables" + (inner.note.map { "\n" + $0 } ?? "")
        case .duringRebuild(.checkSwap), .checkSwap:
            return "-- before the swap: views on the analytics tables, or other objects in analytics, would be dropped with it: any stops the step"
        case .duringRebuild(.carryGrants), .carryGrants:
            return "-- before the swap: each grant on analytics and its tables, given again on the built ones"
        case .duringRebuild(.publishRebuild), .publishRebuild:
            return "-- the rebuild's last step: the built tables replace the live ones, in this transaction"
        case .duringRebuild(let inner): return "-- during a rebuild: into analytics_build, aside" + (inner.note.map { "\n" + $0 } ?? "")
        case .findEmptyTarget: return "-- an empty table gets its keys after its rows: dropped first, built once after the insert"
        case .whileEmpty(let inner): return "-- only when the table was empty" + (inner.note.map { "\n" + $0 } ?? "")
        case .unlessEmpty(let inner):
            return "-- only when the table held rows: those already there are skipped" + (inner.note.map { "\n" + $0 } ?? "")
        case .readRedshiftRejects:
            return
                "-- on a session of its own, $1 = pg_last_copy_id() after the COPY, every page; STL_LOAD_ERRORS gives the raw lines where a cluster has it, and where SYS is missing; a failed read is said, never fails the step"
        case .execute, .fill, .readManifest, .redshiftCopy: return nil
        case .countStaged: return "-- the manifest's rows must all be in staging: a crash empties UNLOGGED tables"
        case .forgetManifest, .emptyStaging: return "-- only when staging lost rows the manifest lists: every file is loaded again"
        case .copySourceRows: return "-- fed by sparkify: each record of the new files, checked; bad ones set aside"
        case .keepRejects: return "-- only when records were rejected (up to the error limit)"
        case .replaceChanged: return "-- only when files changed since their last load (size, ETag or modification time): their old rows go"
        case .startRebuild:
            return
                "-- when files were replaced (on Redshift, whose COPY replaces staging whole: always), the inserts that follow rebuild analytics aside"
        case .recordManifest: return "-- one row for each file loaded"
        case .keepRedshiftRejects: return "-- only when the COPY rejected records"
        }
    }

    /// The statements as the dry run and the console print them: each preceded by its note,
    /// where a note line said just before (the same branch, the same condition) is not said again.
    public static func listing(_ statements: [PlannedStatement]) -> [String] {
        var lines: [String] = []
        var previous: [String] = []
        for statement in statements {
            let note = statement.note?.components(separatedBy: "\n") ?? []
            let shared = zip(note, previous).prefix { $0 == $1 }.count
            lines += note.dropFirst(shared)
            previous = note
            lines += statement.sql.components(separatedBy: "\n")
        }
        return lines
    }
}
