import XCTest

@testable import PostgresClient
@testable import TestSupport
@testable import Warehouse

final class SchemaTests: XCTestCase {
    private func render(_ dialect: Dialect) -> String {
        (dialect.createSchemas()
            + StarSchema.allTables.reversed().map(dialect.dropTable)
            + StarSchema.allTables.map { dialect.createTable($0) }).joined(separator: "\n") + "\n"
    }

    func testPostgresDDLRunsAndMatchesTheDeclarations() throws {
        let connection = try TestServer.connect()
        try connection.execute("drop schema if exists staging cascade; drop schema if exists analytics cascade")
        try connection.execute(render(PostgresDialect()))
        for table in StarSchema.allTables {
            let columns = try connection.execute(
                """
                select column_name from information_schema.columns
                where table_schema = $1 and table_name = $2 order by ordinal_position
                """, [table.schema, table.name])
            XCTAssertEqual(columns.rows.map { $0[0]! }, table.columnNames + (table.fileNumberColumn.map { [$0] } ?? []), table.qualifiedName)
        }
        let persistence = try connection.execute(
            """
            select c.relname, c.relpersistence from pg_class c join pg_namespace n on n.oid = c.relnamespace
            where n.nspname = 'staging' and c.relkind = 'r' order by 1
            """)
        XCTAssertEqual(persistence.rows, [["events", "u"], ["load_errors", "p"], ["load_manifest", "p"], ["songs", "u"]])
        // Keys are enforced on PostgreSQL.
        try connection.execute("insert into analytics.users (user_id) values (1)")
        XCTAssertThrowsError(try connection.execute("insert into analytics.users (user_id) values (1)")) {
            XCTAssertEqual(($0 as? DatabaseError)?.sqlState, "23505")
        }
        // The rendering is idempotent: drop and create again from any state.
        try connection.execute(render(PostgresDialect()))
        XCTAssertEqual(try connection.execute("select count(*) from analytics.users").scalar, "0")
        try connection.execute(PostgresDialect().searchPath)
        XCTAssertEqual(try connection.execute("select count(*) from songplays").scalar, "0")
    }

    func testRedshiftDDLMatchesTheGoldenFile() throws {
        let rendered = render(RedshiftDialect())
        try assertGolden("redshift-create.sql", rendered)
        XCTAssertFalse(rendered.contains("ON CONFLICT"))
        XCTAssertFalse(rendered.contains("IF NOT EXISTS analytics."), "never CREATE TABLE IF NOT EXISTS")
    }

    func testRedshiftLayoutFollowsTheWarehouseRules() {
        let redshift = RedshiftDialect()
        XCTAssertTrue(redshift.createTable(StarSchema.users).hasSuffix("DISTSTYLE ALL SORTKEY (user_id);"))
        XCTAssertTrue(redshift.createTable(StarSchema.songplays).contains("songplay_id BIGINT IDENTITY(0, 1) NOT NULL"))
        // The fact table on a join key that is never NULL (song_id skewed: DistributionTests).
        XCTAssertTrue(redshift.createTable(StarSchema.songplays).hasSuffix("DISTSTYLE KEY DISTKEY (start_time) SORTKEY (start_time);"))
        XCTAssertTrue(redshift.createTable(StarSchema.time).hasSuffix("DISTSTYLE KEY DISTKEY (start_time) SORTKEY (start_time);"))
        XCTAssertTrue(redshift.createTable(StarSchema.stagingEvents).contains("user_agent VARCHAR(1024)"))
    }
}
