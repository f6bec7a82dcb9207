/// The SQL of every step for one engine: what the runner executes, what `--dry-run` prints and
/// what the console shows for a step. Written in one place so the three never disagree.
public struct LoadPlan: Sendable {
    public let dialect: Dialect
    /// Where Redshift copies from; only Redshift copy steps need it.
    public var redshift: RedshiftCopy?
    public var maxErrors: Int

    public init(dialect: Dialect, redshift: RedshiftCopy? = nil, maxErrors: Int = 0) {
        self.dialect = dialect
        self.redshift = redshift
        self.maxErrors = maxErrors
    }

    /// The statements of `step`, in order, without the transaction around them.
    public func statements(for step: LoadStep) -> [PlannedStatement] {
        switch step {
        case .drop:
            // The live analytics tables stay: a rebuild replaces them only once it is whole.
            return [.execute("DROP SCHEMA IF EXISTS \(StarSchema.buildSchema) CASCADE;")]
                + Self.rebuiltEveryLoad.reversed().map { .execute(dialect.dropTable($0)) }
        case .create:
            let tables = Self.rebuiltEveryLoad + StarSchema.analyticsTables.map { $0.built(aside: true) }
            return (dialect.createSchemas() + tables.map { dialect.createTable($0) }).map { .execute($0) }
        case .copy(let table) where dialect.engine == .redshift:
            let copy = (redshift ?? .placeholders).statements(for: table, maxErrors: maxErrors)
            return copy.dropLast().map { .execute($0) } + [
                .redshiftCopy(copy.last!),
                .readRedshiftRejects(RedshiftLoadErrors.query),
                .keepRedshiftRejects(RedshiftLoadErrors.insertForm),
            ] + startRebuild.map { .startRebuild($0) }
        case .copy(let table):
            return [
                .readManifest(Self.manifestQuery), .countStaged("SELECT count(*) FROM \(table.qualifiedName);"),
                .forgetManifest(Self.manifestForgetTable), .emptyStaging("TRUNCATE \(table.qualifiedName);"),
                .replaceChanged(.stagingRows, Self.changedRows(table)), .replaceChanged(.rejects, Self.changedRejects),
                .replaceChanged(.manifestRows, Self.manifestForgetChanged),
                .copySourceRows(Self.copyFromStdin(table, format: .binary)),
                .keepRejects(Self.copyFromStdin(StarSchema.loadErrors)),
                .recordManifest(Self.copyFromStdin(StarSchema.loadManifest)),
            ] + startRebuild.map { .startRebuild($0) }
        case .insert(let table):
            var statements: [PlannedStatement] = dialect.insertSettings.map { .execute($0) } + [.findRebuild(Self.rebuildQuery)]
            statements += InsertSQL(dialect: dialect).planned(for: table).map { .outsideRebuild($0) }
            statements += InsertSQL(dialect: dialect, aside: true).planned(for: table).map { .duringRebuild($0) }
            if table == InsertSQL.order.last {
                statements += [.duringRebuild(.checkSwap(SwapGuard.blockers)), .duringRebuild(.carryGrants(SwapGuard.grants))]
                statements += Self.publish.map { .duringRebuild(.publishRebuild($0)) }
            }
            return statements
        }
    }

    /// The tables drop and create make anew on a full load: staging and the bookkeeping.
    static let rebuiltEveryLoad = StarSchema.stagingTables + StarSchema.bookkeepingTables

    /// Whether a rebuild is under way (PostgreSQL and Redshift alike keep pg_namespace).
    static let rebuildQuery = "SELECT count(*) FROM pg_namespace WHERE nspname = '\(StarSchema.buildSchema)';"

    /// The swap: built tables in, live ones out, in one transaction (schema renames, so the
    /// analysts' queries by name see the old tables or the new ones, never none).
    static let publish = [
        "ALTER SCHEMA \(StarSchema.analyticsSchema) RENAME TO \(StarSchema.retiredSchema);",
        "ALTER SCHEMA \(StarSchema.buildSchema) RENAME TO \(StarSchema.analyticsSchema);",
        "DROP SCHEMA \(StarSchema.retiredSchema) CASCADE;",
    ]

    /// One load at a time per database: a session-level advisory lock, taken before the first
    /// step and let go after the last (PostgreSQL; Redshift has none). Its key spells "SPKLOAD".
    public static let loadLockKey: Int64 = 0x53_50_4B_4C_4F_41_44
    public static let tryLoadLock = "SELECT pg_try_advisory_lock(\(loadLockKey));"
    public static let loadLock = "SELECT pg_advisory_lock(\(loadLockKey));"
    public static let loadUnlock = "SELECT pg_advisory_unlock(\(loadLockKey));"
    /// Who holds the load lock, and since when (the holder's session start, in UTC).
    static let loadLockHolder = """
        SELECT a.pid, to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') || ' UTC', a.application_name
        FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
        WHERE l.locktype = 'advisory' AND l.granted AND l.classid = \(loadLockKey >> 32) AND l.objid = \(loadLockKey & 0xFFFF_FFFF)
        LIMIT 1;
        """

    /// Files a PostgreSQL copy step has loaded before, from every source, with what identified
    /// their content and the rows they put in staging ($1: the staging table).
    static let manifestQuery = """
        SELECT source, file, file_number, bytes, etag, modified_ns, rows_loaded
        FROM \(StarSchema.loadManifest.qualifiedName) WHERE target_table = $1;
        """
    static let manifestForgetTable = "DELETE FROM \(StarSchema.loadManifest.qualifiedName) WHERE target_table = $1;"

    /// A changed file's rows from its earlier load ($1: its file numbers)…
    static func changedRows(_ table: Table) -> String {
        "DELETE FROM \(table.qualifiedName) WHERE \(table.fileNumberColumn ?? StarSchema.fileNumberColumn) = ANY($1::integer[]);"
    }
    /// …the records of it that load rejected ($1: the staging table, $2: the files' paths)…
    static let changedRejects = "DELETE FROM \(StarSchema.loadErrors.qualifiedName) WHERE target_table = $1 AND file = ANY($2::text[]);"
    /// …and its manifest rows ($1: the staging table, $2: its file numbers).
    static let manifestForgetChanged =
        "DELETE FROM \(StarSchema.loadManifest.qualifiedName) WHERE target_table = $1 AND file_number = ANY($2::integer[]);"

    /// A copy that replaced rows of a file loaded before makes the inserts that follow a
    /// rebuild: the live tables hold what the old rows made (a play's level, a user's latest
    /// level), which adding rows cannot undo, and recomputing only what the changed files
    /// touched would need every analytics row to say which staging rows made it. Built aside
    /// and swapped in, as a full load does, so analysts see the old tables until the new ones
    /// are whole. On PostgreSQL only when a file was replaced (the two copies may do it at
    /// once: a lock taken for the transaction lets one create and the other find it made); on
    /// Redshift after every copy, which reads the prefix whole and replaces staging whole.
    var startRebuild: [String] {
        let lock = dialect.engine == .postgres ? ["SELECT pg_advisory_xact_lock(\(Self.loadLockKey + 1));"] : []
        return lock + ["CREATE SCHEMA IF NOT EXISTS \(StarSchema.buildSchema);"]
            + StarSchema.analyticsTables.map { dialect.createTable($0.built(aside: true), ifMissing: true) }
    }

    /// Source rows go in binary (`CopyBinary`); the bookkeeping's few rows as text.
    enum CopyFormat { case text, binary }

    /// In binary, a staging table's rows also carry their file's number.
    static func copyFromStdin(_ table: Table, format: CopyFormat = .text) -> String {
        let file = format == .binary ? table.fileNumberColumn.map { [$0] } ?? [] : []
        let columns = (table.columnNames + file).joined(separator: ", ")
        switch format {
        case .text: return "COPY \(table.qualifiedName) (\(columns)) FROM STDIN;"
        case .binary: return "COPY \(table.qualifiedName) (\(columns)) FROM STDIN WITH (FORMAT binary);"
        }
    }
}
