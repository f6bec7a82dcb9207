import XCTest

@testable import PostgresClient
@testable import TestSupport
@testable import Warehouse

/// A full rebuild fills the star schema aside and swaps it in with its last step: a failed or
/// cancelled rebuild leaves the analytics tables as they were, queryable throughout.
final class RebuildTests: XCTestCase {
    private let play = Dataset.play(#""Song""#, by: #""Band""#, length: "200.0", ts: 1_541_903_636_796, session: 1, item: 1)

    private func dataset(_ label: String, plays: Int, extra: [String] = []) -> Dataset {
        let data = Dataset(label)
        let lines = (0..<plays).map { item in play.replacingOccurrences(of: "\"itemInSession\":1", with: "\"itemInSession\":\(item)") }
        data.writeLog("day.json", lines + extra)
        data.writeSong("A/TR.json", Dataset.song(id: "SO1", title: #""Song""#, artist: #""Band""#, artistID: "AR1", duration: "200.0"))
        return data
    }

    func testAFailedRebuildLeavesTheAnalyticsTablesAsTheyWere() throws {
        let settings = try TestServer.freshDatabase("rebuild")
        let first = LoadRunner(
            connection: try Connection.warehouse(settings), plan: LoadPlan(dialect: PostgresDialect()),
            sources: dataset("rebuild_a", plays: 3).sources)
        let analyst = try Connection.warehouse(settings)
        for step in LoadStep.all { _ = try first.run(step) }
        XCTAssertEqual(try analyst.execute("select count(*) from songplays").scalar, "3")

        // A rebuild whose copy fails on a bad record: drop and create ran, the copy rolled back.
        let broken = LoadRunner(
            connection: try Connection.warehouse(settings), plan: LoadPlan(dialect: PostgresDialect()),
            sources: dataset("rebuild_b", plays: 5, extra: [#"{"broken"#]).sources)
        _ = try broken.run(.drop)
        _ = try broken.run(.create)
        XCTAssertEqual(try analyst.execute("select count(*) from songplays").scalar, "3", "drop and create leave analytics alone")
        XCTAssertThrowsError(try broken.run(.copy(StarSchema.stagingEvents)))
        XCTAssertEqual(try analyst.execute("select count(*) from analytics.songplays").scalar, "3")
        XCTAssertEqual(try analyst.execute("select count(*) from analytics.users").scalar, "1")

        // Fixed, the rebuild goes through: its inserts fill the build schema, the last swaps it in.
        let fixed = LoadRunner(
            connection: try Connection.warehouse(settings), plan: LoadPlan(dialect: PostgresDialect()),
            sources: dataset("rebuild_c", plays: 5).sources)
        for step in LoadStep.all where step.phase != .insert { _ = try fixed.run(step) }
        let songplays = try fixed.run(.insert(StarSchema.songplays))
        XCTAssertTrue(songplays.rebuilding)
        XCTAssertEqual(songplays.rows, 5)
        XCTAssertEqual(try analyst.execute("select count(*) from songplays").scalar, "3", "not yet swapped in")
        var last: StepOutcome?
        for table in InsertSQL.order.dropFirst() { last = try fixed.run(.insert(table)) }
        XCTAssertEqual(last?.published, true)
        XCTAssertEqual(try analyst.execute("select count(*) from songplays").scalar, "5")
        XCTAssertEqual(
            try analyst.execute("select count(*) from pg_namespace where nspname in ('analytics_build', 'analytics_previous')").scalar, "0")

        // Afterwards an incremental load goes into the live tables.
        let incremental = try fixed.run(.insert(StarSchema.songplays))
        XCTAssertFalse(incremental.rebuilding)
        XCTAssertEqual(incremental.rows, 0, "nothing new")
    }

    /// Defect 6: the swap dropped what analysts built on the analytics tables (a view followed
    /// them into analytics_previous and died with its CASCADE) and the grants on them.
    func testTheSwapKeepsGrantsAndRefusesToDropAViewOnTheTables() throws {
        let load = try LoadHarness("swap", sources: dataset("swap", plays: 3).sources)
        try load.run([.drop, .create, .copy, .insert])
        let analyst = "analyst_\(UInt32.random(in: 0...UInt32.max))"
        try load.execute("create role \(analyst); grant usage on schema analytics to \(analyst); grant select on analytics.songplays to \(analyst)")
        try load.execute("create view analytics.plays_by_level as select level, count(*) from analytics.songplays group by level")

        try load.run([.drop, .create, .copy])
        XCTAssertThrowsError(try load.run([.insert])) { error in
            XCTAssertTrue("\(error)".contains("analytics.plays_by_level (a view on songplays)"), "\(error)")
            XCTAssertTrue("\(error)".contains("WITH NO SCHEMA BINDING"), "\(error)")
        }
        XCTAssertEqual(try load.count("select count(*) from analytics.plays_by_level"), 1, "the view and its tables stand")
        XCTAssertEqual(try load.count("select count(*) from pg_namespace where nspname = 'analytics_build'"), 1, "the built tables wait")

        try load.execute("drop view analytics.plays_by_level")
        let outcomes = try load.run([.insert])
        XCTAssertTrue(outcomes.last?.published ?? false)
        XCTAssertEqual(
            try load.rows(
                "select has_table_privilege('\(analyst)', 'analytics.songplays', 'SELECT'), has_schema_privilege('\(analyst)', 'analytics', 'USAGE')"),
            [["t", "t"]], "the grants followed the new tables")
        XCTAssertEqual(try load.rows("select has_table_privilege('\(analyst)', 'analytics.users', 'SELECT')"), [["f"]], "and gave nothing more")
    }

    func testGrantsAreReadFromAccessLists() {
        XCTAssertEqual(
            SwapGuard.grantStatements(acl: "{sparkify=arwdDxt/sparkify,analyst=r/sparkify,=r/sparkify,\"group bi=ar*/sparkify\"}", on: "songs"),
            [
                "GRANT SELECT ON analytics_build.songs TO \"analyst\";", "GRANT SELECT ON analytics_build.songs TO PUBLIC;",
                "GRANT INSERT, SELECT ON analytics_build.songs TO GROUP \"bi\";",
            ])
        XCTAssertEqual(
            SwapGuard.grantStatements(acl: "{sparkify=UC/sparkify,analyst=U/sparkify}", on: ""),
            ["GRANT USAGE ON SCHEMA analytics_build TO \"analyst\";"])
    }
}
