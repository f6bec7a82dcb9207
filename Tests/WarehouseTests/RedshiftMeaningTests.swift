import XCTest

@testable import PostgresClient
@testable import TestSupport
@testable import Warehouse

/// The Redshift plan's inserts mean what the PostgreSQL plan's do: both run on PostgreSQL against
/// the same staging rows (the staging merge through temporary tables, DELETE … USING, the epoch
/// arithmetic in seconds), and the five analytics tables compare row for row. The DDL stays
/// PostgreSQL's: DISTKEY, SORTKEY and IDENTITY have no meaning here (RedshiftSQLTests parses them).
final class RedshiftMeaningTests: XCTestCase {
    /// Every table's rows, sorted, without the surrogate key the database numbers itself.
    private func contents(_ connection: Connection, schema: String) throws -> [String: [[String?]]] {
        var tables: [String: [[String?]]] = [:]
        for table in StarSchema.analyticsTables {
            let columns = table.columns.filter { $0.kind != .serial }.map(\.name)
            let list = columns.joined(separator: ", ")
            tables[table.name] = try connection.execute("SELECT \(list) FROM \(schema).\(table.name) ORDER BY \(list)").rows
        }
        return tables
    }

    func testTheRedshiftInsertsFillTheSameRowsAsThePostgreSQLOnes() throws {
        var options = DatasetGenerator.Options()
        options.events = 4_000
        options.songs = 500
        options.days = 4
        let folder = TestServer.scratchDirectory("redshift-meaning")
        _ = try DatasetGenerator(directory: folder, options: options).run()

        let postgres = try LoadHarness("meaning_pg", sources: LoadSources(folder: folder))
        try postgres.run([.drop, .create, .copy, .insert])
        let expected = try contents(postgres.connection, schema: StarSchema.analyticsSchema)
        XCTAssertGreaterThan(expected["songplays"]?.count ?? 0, 1_000)

        // The same staging rows; then Redshift's statements, each insert step in one transaction,
        // into the build schema create made.
        let redshift = try LoadHarness("meaning_rs", sources: LoadSources(folder: folder))
        try redshift.run([.drop, .create, .copy])
        let insert = InsertSQL(dialect: RedshiftDialect(), aside: true)
        for table in InsertSQL.order {
            try redshift.execute("BEGIN")
            for statement in insert.statements(for: table) {
                do {
                    try redshift.execute(statement)
                } catch {
                    try redshift.execute("ROLLBACK")
                    return XCTFail("Redshift's insert \(table.name) does not run on PostgreSQL: \(error)\n\(statement)")
                }
            }
            try redshift.execute("COMMIT")
        }
        let actual = try contents(redshift.connection, schema: StarSchema.buildSchema)
        for table in StarSchema.analyticsTables {
            XCTAssertEqual(actual[table.name]?.count, expected[table.name]?.count, "\(table.name): row count")
            XCTAssertTrue(actual[table.name] == expected[table.name], "\(table.name): the rows differ")
        }

        // Run again, as an incremental load would: the merge adds nothing, as ON CONFLICT does not.
        for table in InsertSQL.order {
            try redshift.execute("BEGIN")
            for statement in insert.statements(for: table) { try redshift.execute(statement) }
            try redshift.execute("COMMIT")
        }
        let again = try contents(redshift.connection, schema: StarSchema.buildSchema)
        for table in StarSchema.analyticsTables { XCTAssertTrue(again[table.name] == expected[table.name], "\(table.name) after a re-run") }
    }
}
