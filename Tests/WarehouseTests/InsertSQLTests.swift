import XCTest

@testable import PostgresClient
@testable import TestSupport
@testable import Warehouse

/// The insert steps' rules, checked value by value on a real server with staging rows that
/// carry every quirk the rules are about.
final class InsertSQLTests: XCTestCase {
    private var connection: Connection!
    private let insert = InsertSQL(dialect: PostgresDialect())

    override func setUpWithError() throws {
        connection = try TestServer.connect()
        let dialect = PostgresDialect()
        try connection.execute("drop schema if exists staging cascade; drop schema if exists analytics cascade")
        try connection.execute((dialect.createSchemas() + StarSchema.allTables.map { dialect.createTable($0) }).joined(separator: "\n"))
        // Into the live tables, as an incremental load does: no rebuild under way.
        try connection.execute("drop schema \(StarSchema.buildSchema) cascade")
        try connection.execute(
            """
            insert into staging.songs (num_songs, artist_id, artist_latitude, artist_longitude, artist_location, artist_name, song_id, title, duration, year) values
              (1, 'AR1', 35.1, -90.0, 'Memphis, TN', 'Des''ree', 'SOB', 'You Gotta Be', 246.30812, 1994),
              (1, 'AR1', null, null, '', 'Des''ree', 'SOA', 'You Gotta Be', 246.30812, 0),
              (1, 'AR2', null, null, '', 'Björk', 'SOC', 'Jóga', 305.0, 1997),
              (1, 'AR3', null, null, '', 'Near Miss', 'SOD', 'Close', 200.0, 2001)
            """)
        // ts 1541106106796 = 2018-11-01 21:01:46.796 UTC, a Thursday.
        try connection.execute(
            """
            insert into staging.events (artist, auth, first_name, gender, item_in_session, last_name, length, level, location, method, page, registration, session_id, song, status, ts, user_agent, user_id) values
              (null, 'Logged In', 'Kaylee', 'F', 0, 'Summers', null, 'free', 'Phoenix, AZ', 'GET', 'Home', 1540344794796, 139, null, 200, 1541106106000, 'UA "x"', 8),
              ('Des''ree', 'Logged In', 'Kaylee', 'F', 1, 'Summers', 246.30812, 'free', 'Phoenix, AZ', 'PUT', 'NextSong', 1540344794796, 139, 'You Gotta Be', 200, 1541106106796, 'UA "x"', 8),
              ('Björk', 'Logged In', 'Kaylee', 'F', 2, 'Summers', 305.4, 'free', 'Phoenix, AZ', 'PUT', 'NextSong', 1540344794796, 139, 'Jóga', 200, 1541106400000, 'UA "x"', 8),
              (null, 'Logged In', 'Kaylee', 'F', 3, 'Summers', null, 'free', 'Phoenix, AZ', 'PUT', 'Submit Upgrade', 1540344794796, 139, null, 307, 1541106500000, 'UA "x"', 8),
              ('Near Miss', 'Logged In', 'Kaylee', 'F', 4, 'Summers', 200.6, 'paid', 'Phoenix, AZ', 'PUT', 'NextSong', 1540344794796, 139, 'Close', 200, 1541106600000, 'UA "x"', 8),
              ('Nobody', 'Logged In', 'Walter', 'M', 0, 'Frye', 100.0, 'free', '', 'PUT', 'NextSong', 1540919166796, 38, 'Unknown', 200, 1541106600000, '', 39),
              (null, 'Logged Out', null, null, 0, null, null, 'free', null, 'GET', 'Home', null, 40, null, 200, 1541106700000, null, null)
            """)
    }

    /// The insert steps as a load runs them: into empty tables the first time (keys built
    /// after the rows, nothing to skip), into filled ones after.
    private func runAll() throws {
        let runner = LoadRunner(connection: connection, plan: LoadPlan(dialect: PostgresDialect()), sources: nil)
        for table in InsertSQL.order { _ = try runner.run(.insert(table)) }
    }

    private func rows(_ sql: String) throws -> [[String?]] { try connection.execute(sql).rows }

    func testSongplaysOnePerNextSongWithExactMatching() throws {
        try runAll()
        XCTAssertEqual(
            try rows(
                """
                select to_char(start_time, 'YYYY-MM-DD HH24:MI:SS.MS'), user_id, level, song_id, artist_id, session_id, item_in_session, location, user_agent
                from analytics.songplays order by session_id desc, item_in_session
                """),
            [
                // Two catalog entries match: the smallest song_id wins, no fan-out; milliseconds kept.
                ["2018-11-01 21:01:46.796", "8", "free", "SOA", "AR1", "139", "1", "Phoenix, AZ", "UA \"x\""],
                // 0.4 s apart: still the same song.
                ["2018-11-01 21:06:40.000", "8", "free", "SOC", "AR2", "139", "2", "Phoenix, AZ", "UA \"x\""],
                // 0.6 s apart: not a match, but the play is kept.
                ["2018-11-01 21:10:00.000", "8", "paid", nil, nil, "139", "4", "Phoenix, AZ", "UA \"x\""],
                // Empty strings load as NULL.
                ["2018-11-01 21:10:00.000", "39", "free", nil, nil, "38", "0", nil, nil],
            ])
    }

    func testUsersTakeTheirLatestEvent() throws {
        try runAll()
        XCTAssertEqual(
            try rows("select user_id, first_name, last_name, gender, level from analytics.users order by user_id"),
            [
                ["8", "Kaylee", "Summers", "F", "paid"],
                ["39", "Walter", "Frye", "M", "free"],
            ])
    }

    func testSongsAndArtists() throws {
        try runAll()
        XCTAssertEqual(
            try rows("select song_id, title, artist_id, year, duration from analytics.songs order by song_id"),
            [
                ["SOA", "You Gotta Be", "AR1", nil, "246.30812"],
                ["SOB", "You Gotta Be", "AR1", "1994", "246.30812"],
                ["SOC", "Jóga", "AR2", "1997", "305"],
                ["SOD", "Close", "AR3", "2001", "200"],
            ])
        // AR1's row comes from SOA, its smallest song_id: unknown location and coordinates.
        XCTAssertEqual(
            try rows("select artist_id, name, location, latitude, longitude from analytics.artists order by artist_id"),
            [
                ["AR1", "Des'ree", nil, nil, nil],
                ["AR2", "Björk", nil, nil, nil],
                ["AR3", "Near Miss", nil, nil, nil],
            ])
    }

    func testTimeOneRowPerDistinctPlayTime() throws {
        try runAll()
        XCTAssertEqual(
            try rows(
                """
                select to_char(start_time, 'HH24:MI:SS.MS'), hour, day, week, month, year, weekday from analytics.time order by start_time
                """),
            [
                ["21:01:46.796", "21", "1", "44", "11", "2018", "4"],
                ["21:06:40.000", "21", "1", "44", "11", "2018", "4"],
                ["21:10:00.000", "21", "1", "44", "11", "2018", "4"],
            ])
    }

    func testRerunningTheInsertsAddsNothing() throws {
        try runAll()
        let counts =
            "select (select count(*) from analytics.songplays), (select count(*) from analytics.users), (select count(*) from analytics.songs), (select count(*) from analytics.artists), (select count(*) from analytics.time)"
        let before = try rows(counts)
        try runAll()
        XCTAssertEqual(try rows(counts), before)
        XCTAssertEqual(before, [["4", "2", "4", "3", "3"]])
    }

    func testLaterEventsUpdateAUserAcrossLoads() throws {
        try runAll()
        try connection.execute(
            """
            insert into staging.events (auth, first_name, gender, item_in_session, last_name, level, page, session_id, ts, user_id)
            values ('Logged In', 'Kaylee', 'F', 0, 'Summers-Ng', 'free', 'Submit Downgrade', 500, 1541200000000, 8)
            """)
        try runAll()
        XCTAssertEqual(try rows("select last_name, level from analytics.users where user_id = 8"), [["Summers-Ng", "free"]])
    }

    /// Filling an empty table drops its keys first and builds them after: they are back, under
    /// the names PostgreSQL gave them at create (the names the step drops them by), and they hold.
    func testKeysDroppedForTheFillAreBuiltAgainUnderTheirNames() throws {
        let constraints = """
            select c.conname from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_namespace n on n.oid = t.relnamespace
            where n.nspname = 'analytics' and t.relname in ('songplays', 'time') and c.contype in ('p', 'u') order by 1
            """
        let declared = [StarSchema.songplays, StarSchema.time].flatMap { $0.keyConstraints.map(\.name) }.sorted()
        XCTAssertEqual(try rows(constraints).map { $0[0]! }, declared, "createTable's unnamed keys get these names")
        try runAll()
        XCTAssertEqual(try rows(constraints).map { $0[0]! }, declared)
        XCTAssertThrowsError(
            try connection.execute("insert into analytics.time select * from analytics.time limit 1"), "the time key holds again")
        XCTAssertGreaterThan(Int(try rows("select count(*) from analytics.time")[0][0]!)!, 0)
    }

    func testRedshiftInsertsAvoidOnConflict() {
        let redshift = InsertSQL(dialect: RedshiftDialect())
        let all = redshift.steps.flatMap(\.statements).joined(separator: "\n")
        XCTAssertFalse(all.contains("ON CONFLICT"))
        XCTAssertTrue(all.contains("DELETE FROM analytics.users USING users_merge WHERE analytics.users.user_id = users_merge.user_id;"))
        XCTAssertTrue(all.contains("e.ts / 1000.0 * INTERVAL '1 second'"))
    }

    func testInsertSQLMatchesTheGoldenFiles() throws {
        for (name, dialect) in [("postgres", PostgresDialect() as Dialect), ("redshift", RedshiftDialect())] {
            let rendered =
                InsertSQL(dialect: dialect).steps.map { step in
                    "-- insert \(step.table.qualifiedName)\n" + step.statements.joined(separator: "\n")
                }.joined(separator: "\n\n") + "\n"
            try assertGolden("\(name)-insert.sql", rendered)
        }
    }
}
