import XCTest

@testable import TestSupport
@testable import Warehouse

/// psql's backslash commands: parsed from a line, and their catalog queries answered by the
/// server on a loaded warehouse.
final class MetaCommandTests: XCTestCase {
    func testParsing() {
        XCTAssertNil(MetaCommand.parse("select 1"))
        XCTAssertEqual(MetaCommand.parse("\\d"), .success(.relations))
        XCTAssertEqual(MetaCommand.parse("  \\d songplays;"), .success(.describe("songplays")))
        XCTAssertEqual(MetaCommand.parse("\\dt"), .success(.tables))
        XCTAssertEqual(MetaCommand.parse("\\dn"), .success(.schemas))
        XCTAssertEqual(MetaCommand.parse("\\df"), .success(.functions))
        XCTAssertEqual(MetaCommand.parse("\\x"), .success(.expanded))
        XCTAssertEqual(MetaCommand.parse("\\timing"), .success(.timing))
        XCTAssertEqual(MetaCommand.parse("\\?"), .success(.help))
        XCTAssertEqual(MetaCommand.parse("\\ddl analytics.users"), .success(.definition("analytics.users")))
        XCTAssertEqual(MetaCommand.parse("\\copy t from f"), .failure(MetaCommand.Unknown(command: "\\copy")))
    }

    func testTheCatalogQueriesAnswerOnAPostgreSQLWarehouse() throws {
        let load = try LoadHarness("meta", sources: nil)
        try load.run([.drop, .create])
        try load.execute(
            "create function analytics.plays_of(u integer) returns bigint language sql as 'select count(*) from staging.events where user_id = u'")
        let relations = try load.rows(MetaCommand.relations.sql(for: .postgres)!)
        XCTAssertTrue(relations.contains { $0[0] == "staging" && $0[1] == "events" && $0[2] == "table" }, "\(relations)")
        XCTAssertEqual(
            try load.rows(MetaCommand.schemas.sql(for: .postgres)!).compactMap { $0[0] }, ["analytics", "analytics_build", "public", "staging"])
        let functions = try load.rows(MetaCommand.functions.sql(for: .postgres)!)
        XCTAssertEqual(functions.first?[1], "plays_of")
        XCTAssertEqual(functions.first?[3], "u integer")
        // Unqualified, through the warehouse's search path; the rebuild's tables, being built.
        let columns = try load.rows(MetaCommand.describe("analytics_build.songplays").sql(for: .postgres)!)
        XCTAssertEqual(columns.first?[0], "songplay_id")
        XCTAssertEqual(columns.first?[2], "not null")
        XCTAssertEqual(columns.first?[4], "primary key")
        let startTime = columns.first { $0[0] == "start_time" }
        XCTAssertEqual(startTime?[1], "timestamp without time zone")
        XCTAssertEqual(startTime?[4], "unique")
        let staged = try load.rows(MetaCommand.describe("events").sql(for: .postgres)!)
        XCTAssertEqual(staged.count, StarSchema.stagingEvents.columns.count + 1, "found by the search path (with the file number)")
        // The CREATE statement as the database holds it: columns, keys, an index of its own.
        try load.execute("create index songplays_level on analytics_build.songplays (level)")
        let ddl = try load.rows(MetaCommand.definition("analytics_build.songplays").sql(for: .postgres)!).map { $0[0]! }
        XCTAssertEqual(ddl.first, "CREATE TABLE analytics_build.songplays (")
        XCTAssertEqual(ddl[1], "    songplay_id bigint NOT NULL,")
        XCTAssertTrue(ddl.contains("    CONSTRAINT songplays_pkey PRIMARY KEY (songplay_id),"), "\(ddl)")
        let closing = try XCTUnwrap(ddl.firstIndex(of: ");"))
        XCTAssertFalse(ddl[closing - 1].hasSuffix(","), "no comma before the closing: \(ddl[closing - 1])")
        XCTAssertEqual(ddl.last, "CREATE INDEX songplays_level ON analytics_build.songplays USING btree (level);")
        // It makes the same table again.
        try load.execute("create schema ddl_check")
        try load.execute(
            ddl.prefix(through: closing).joined(separator: "\n").replacingOccurrences(of: "analytics_build.songplays", with: "ddl_check.songplays"))
        XCTAssertThrowsError(try load.rows(MetaCommand.describe("no_such_table").sql(for: .postgres)!)) { error in
            XCTAssertTrue("\(error)".contains("relation \"no_such_table\" does not exist"), "\(error)")
        }
    }
}
