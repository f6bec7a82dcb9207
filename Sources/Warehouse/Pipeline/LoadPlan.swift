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
            return StarSchema.allTables.reversed().map { .execute(dialect.dropTable($0)) }
        case .create:
            return (dialect.createSchemas() + StarSchema.allTables.map(dialect.createTable)).map { .execute($0) }
        case .copy(let table) where dialect.engine == .redshift:
            let copy = (redshift ?? .placeholders).statements(for: table, maxErrors: maxErrors)
            return copy.dropLast().map { .execute($0) } + [
                .redshiftCopy(copy.last!),
                .readRedshiftRejects(RedshiftLoadErrors.query),
                .keepRedshiftRejects(RedshiftLoadErrors.insertForm),
            ]
        case .copy(let table):
            return [
                .readManifest(Self.manifestQuery), .copySourceRows(Self.copyFromStdin(table)),
                .keepRejects(Self.copyFromStdin(StarSchema.loadErrors)), .forgetChangedFile(Self.manifestForget),
                .recordManifest(Self.copyFromStdin(StarSchema.loadManifest)),
            ]
        case .insert(let table):
            return InsertSQL(dialect: dialect).planned(for: table)
        }
    }

    /// Files a PostgreSQL copy step has loaded before, with their S3 ETags ($1: the staging table).
    static let manifestQuery = "SELECT file, etag FROM \(StarSchema.loadManifest.qualifiedName) WHERE target_table = $1;"
    /// An object loaded again because it changed: its old manifest row goes ($2: its name).
    static let manifestForget = "DELETE FROM \(StarSchema.loadManifest.qualifiedName) WHERE target_table = $1 AND file = $2;"

    static func copyFromStdin(_ table: Table) -> String {
        "COPY \(table.qualifiedName) (\(table.columnNames.joined(separator: ", "))) FROM STDIN;"
    }
}
