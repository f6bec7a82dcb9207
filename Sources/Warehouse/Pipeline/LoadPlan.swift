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
            return (dialect.createSchemas() + tables.map(dialect.createTable)).map { .execute($0) }
        case .copy(let table) where dialect.engine == .redshift:
            let copy = (redshift ?? .placeholders).statements(for: table, maxErrors: maxErrors)
            return copy.dropLast().map { .execute($0) } + [
                .redshiftCopy(copy.last!),
                .readRedshiftRejects(RedshiftLoadErrors.query),
                .keepRedshiftRejects(RedshiftLoadErrors.insertForm),
            ]
        case .copy(let table):
            return [
                .upgradeManifest(Self.manifestUpgrade), .readManifest(Self.manifestQuery),
                .countStaged("SELECT count(*) FROM \(table.qualifiedName);"),
                .forgetManifest(Self.manifestForgetTable), .emptyStaging("TRUNCATE \(table.qualifiedName);"),
                .copySourceRows(Self.copyFromStdin(table, format: .binary)),
                .keepRejects(Self.copyFromStdin(StarSchema.loadErrors)), .forgetChangedFile(Self.manifestForget),
                .recordManifest(Self.copyFromStdin(StarSchema.loadManifest)),
            ]
        case .insert(let table):
            var statements: [PlannedStatement] = dialect.insertSettings.map { .execute($0) } + [.findRebuild(Self.rebuildQuery)]
            statements += InsertSQL(dialect: dialect).planned(for: table).map { .outsideRebuild($0) }
            statements += InsertSQL(dialect: dialect, aside: true).planned(for: table).map { .duringRebuild($0) }
            if table == InsertSQL.order.last {
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

    /// Files a PostgreSQL copy step has loaded before, with their S3 ETags ($1: the staging table).
    static let manifestQuery = "SELECT file, etag, rows_loaded FROM \(StarSchema.loadManifest.qualifiedName) WHERE target_table = $1;"
    /// Only when the column is missing: the ALTER's lock would otherwise wait on every reader.
    static let manifestUpgrade = """
        DO $$ BEGIN
          IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = '\(StarSchema.loadManifest.schema)'
                         AND table_name = '\(StarSchema.loadManifest.name)' AND column_name = 'rows_loaded') THEN
            ALTER TABLE \(StarSchema.loadManifest.qualifiedName) ADD COLUMN rows_loaded BIGINT;
          END IF;
        END $$;
        """
    static let manifestForgetTable = "DELETE FROM \(StarSchema.loadManifest.qualifiedName) WHERE target_table = $1;"
    /// An object loaded again because it changed: its old manifest row goes ($2: its name).
    static let manifestForget = "DELETE FROM \(StarSchema.loadManifest.qualifiedName) WHERE target_table = $1 AND file = $2;"

    /// Source rows go in binary (`CopyBinary`); the bookkeeping's few rows as text.
    enum CopyFormat { case text, binary }

    static func copyFromStdin(_ table: Table, format: CopyFormat = .text) -> String {
        let columns = table.columnNames.joined(separator: ", ")
        switch format {
        case .text: return "COPY \(table.qualifiedName) (\(columns)) FROM STDIN;"
        case .binary: return "COPY \(table.qualifiedName) (\(columns)) FROM STDIN WITH (FORMAT binary);"
        }
    }
}
