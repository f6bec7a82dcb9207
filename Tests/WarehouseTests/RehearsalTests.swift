import Foundation
import XCTest

@testable import PostgresClient
@testable import TestSupport
@testable import Warehouse

/// The Redshift plan, as `--dry-run --engine redshift` prints it, run on the rehearsal: Redshift's
/// COPY and system views emulated on the test server. Each defect the AWS documentation showed
/// in the Redshift plan has a test here that fails without its fix.
final class RehearsalTests: XCTestCase {
    private func dataset(_ label: String, extraLines: [String] = []) -> Dataset {
        let data = Dataset(label)
        data.writeLog(
            "2018/11/2018-11-11-events.json",
            [
                Dataset.play(#""Halo""#, by: #""Beyonc\u00e9""#, length: "261.0", ts: LoadRulesTests.base, session: 1, item: 1),
                Dataset.play(#""Other""#, by: #""Band""#, length: "100.0", ts: LoadRulesTests.base + 1000, session: 1, item: 2),
            ] + extraLines)
        data.writeSong(
            "A/A/A/TRA.json",
            Dataset.song(id: "SOAAA111", title: #""Halo""#, artist: #""Beyonc\u00e9""#, artistID: "AR1", duration: "261.0"))
        return data
    }

    /// Defect 1: `"registration":1540919166796.0` loads (the column is a double); an integer
    /// column still rejects a decimal with Redshift's 1207, its file and line kept.
    func testTheRealRegistrationLoadsAndADecimalUserIdIsA1207Reject() throws {
        let data = dataset("rh-registration", extraLines: [Dataset.event(["userId": "\"12.5\""])])
        let load = try RehearsalHarness("registration", data: data, maxErrors: 5)
        let outcomes = try load.run([.drop, .create, .copy, .insert])
        XCTAssertEqual(outcomes[2].rows, 2)
        XCTAssertEqual(outcomes[2].rejected, 1)
        XCTAssertEqual(try load.rows("select registration from staging.events where user_id = 10 limit 1"), [["1540919166796"]])
        let reject = try load.rows("select file, line, reason from staging.load_errors")
        XCTAssertEqual(reject.count, 1)
        XCTAssertEqual(reject.first?[0], data.logData + "/2018/11/2018-11-11-events.json")
        XCTAssertEqual(reject.first?[1], "3")
        XCTAssertEqual(reject.first?[2], "column user_id: 1207: Invalid digit, Value '.', Pos 2, Type: Integer (value '12.5')")
        XCTAssertEqual(try load.count("select count(*) from songplays"), 2)
    }

    /// The rule defect 1 met, from the documentation's own stl_load_errors row (int8, '.'):
    /// a BIGINT column rejects the logs' float registration.
    func testABigintColumnRejectsTheFloatRegistrationAsACluster() throws {
        let data = dataset("rh-bigint")
        let load = try RehearsalHarness("bigint", data: data)
        try load.run([.drop, .create])
        try load.execute("alter table staging.events alter column registration type bigint")
        XCTAssertThrowsError(try load.run([.copy])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("2018-11-11-events.json:1: column registration: 1207: Invalid digit, Value '.', Pos 13, Type: Long"), text)
            XCTAssertTrue(text.contains("Load into table 'events' failed"), text)
        }
    }

    /// Defect 3: a COPY failed by bad data and rolled back still names its records (the session's
    /// newest load, not `pg_last_copy_id()`, which the rollback leaves at the COPY before).
    func testAFailedCopyNamesItsRecordsAfterTheRollback() throws {
        let data = dataset("rh-failed", extraLines: [Dataset.event(["userId": "\"x7\""])])
        let load = try RehearsalHarness("failed", data: data)
        try load.run([.drop, .create])
        XCTAssertEqual(try load.count("select pg_last_copy_id()"), -1)
        XCTAssertThrowsError(try load.run([.copy])) { error in
            XCTAssertTrue("\(error)".contains(":3: column user_id: 1207: Invalid digit, Value 'x', Pos 0, Type: Integer"), "\(error)")
        }
        XCTAssertEqual(try load.count("select pg_last_copy_id()"), -1, "the rollback took the COPY's ID back, as AWS says")
        XCTAssertEqual(try load.count("select count(*) from staging.events"), 0)
        XCTAssertEqual(try load.count("select count(*) from stl_load_errors"), 1, "the system table keeps it through the rollback")
    }

    /// Defect 3: every reject, not the first thousand.
    func testEveryRejectIsKeptPastAThousand() throws {
        let bad = (1...1_500).map { Dataset.event(["userId": "\"u\($0)\"", "ts": String(LoadRulesTests.base + Int64($0))]) }
        let data = dataset("rh-many", extraLines: bad)
        let load = try RehearsalHarness("many", data: data, maxErrors: 2_000)
        let outcomes = try load.run([.drop, .create, .copy])
        XCTAssertEqual(outcomes[2].rejected, 1_500)
        XCTAssertEqual(try load.count("select count(*) from staging.load_errors"), 1_500)
        XCTAssertEqual(try load.count("select count(distinct line) from staging.load_errors"), 1_500)
    }

    /// Defect 2: on Serverless there are no STL/STV views; reading them inside the step failed
    /// the step and rolled a good COPY back. The rejects come from SYS_LOAD_ERROR_DETAIL.
    func testWithoutSTLViewsAsOnServerlessTheCopyCommitsWithItsRejects() throws {
        let data = dataset("rh-serverless", extraLines: [Dataset.event(["userId": "\"bad\""])])
        let load = try RehearsalHarness("serverless", data: data, maxErrors: 5)
        try load.execute("drop view stl_load_errors; drop table stv_load_state; drop view stv_slices")
        let outcomes = try load.run([.drop, .create, .copy])
        XCTAssertEqual(outcomes[2].rows, 2)
        XCTAssertEqual(try load.count("select count(*) from staging.events"), 2, "committed")
        XCTAssertEqual(
            try load.rows("select line, reason from staging.load_errors"),
            [["3", "column user_id: 1207: Invalid digit, Value 'b', Pos 0, Type: Integer"]])
    }

    /// A failed read of the rejects is said, never fails the step.
    func testRejectsThatCannotBeReadAreSaidAndTheStepCommits() throws {
        let data = dataset("rh-noviews", extraLines: [Dataset.event(["userId": "\"bad\""])])
        let load = try RehearsalHarness("noviews", data: data, maxErrors: 5)
        try load.execute("drop view stl_load_errors; drop view sys_load_error_detail")
        let outcomes = try load.run([.drop, .create, .copy])
        XCTAssertEqual(try load.count("select count(*) from staging.events"), 2)
        XCTAssertTrue(outcomes[2].notes.contains { $0.hasPrefix("the rejects of COPY") && $0.contains("could not be read") }, "\(outcomes[2].notes)")
    }

    /// Defect 4: SVV_TABLE_INFO's tbl_rows counts deleted rows; a re-run of a copy (DELETE, then
    /// COPY) doubled the counts the front ends showed. They read estimated_visible_rows.
    func testCountsStayRightAfterARerunOfTheCopy() throws {
        let data = dataset("rh-counts")
        let load = try RehearsalHarness("counts", data: data)
        try load.run([.drop, .create, .copy])
        try load.run([.copy])
        XCTAssertEqual(try load.count("select tbl_rows from svv_table_info where \"table\" = 'events'"), 4, "deleted rows counted, as AWS says")
        let counts = try TableCounts.read(on: load.connection)
        XCTAssertEqual(counts.first { $0.table == StarSchema.stagingEvents }?.rows, 2)
        XCTAssertTrue(TableCounts.areEstimates(on: load.connection))
    }

    /// Defect 7: `SET client_min_messages` is no Redshift parameter; the load's session sent it.
    func testTheLoadSendsNoSettingRedshiftLacks() throws {
        let settings = try RedshiftRehearsal.connectionSettings(
            embedded: TestServer.warehouse.connectionSettings, database: "r_settings_\(UInt32.random(in: 0...UInt32.max))")
        let connection = try Connection.warehouse(settings)
        XCTAssertThrowsError(try connection.execute("SET client_min_messages TO warning;")) { error in
            XCTAssertEqual((error as? DatabaseError)?.message, "unrecognized configuration parameter \"client_min_messages\"")
        }
        XCTAssertNoThrow(try connection.execute("SET search_path TO analytics, staging, public;"))
        XCTAssertNoThrow(try LoadDriver.quietDDL(on: connection))
    }

    /// The DDL as Redshift takes it: keys declared but not enforced, layout kept for PG_TABLE_DEF.
    func testKeysAreNotEnforcedAndTheLayoutIsRecorded() throws {
        let load = try RehearsalHarness("ddl", data: dataset("rh-ddl"))
        try load.run([.drop, .create])
        try load.execute("insert into analytics_build.users values (1, 'a', 'b', 'F', 'free'), (1, 'a', 'b', 'F', 'paid')")
        XCTAssertEqual(try load.count("select count(*) from analytics_build.users"), 2, "primary keys are informational on Redshift")
        try load.execute("set search_path to analytics_build, staging, public")
        XCTAssertEqual(
            try load.rows("select \"column\", distkey, sortkey from pg_table_def where tablename = 'songplays' and \"column\" = 'start_time'"),
            [["start_time", "t", "1"]])
    }

    /// The rules of "Data conversion parameters", on values built to meet each.
    func testConversionRulesFollowTheDocumentation() throws {
        let data = Dataset("rh-rules")
        data.writeLog("a.json", [])
        data.writeSong("s.json", "")
        let load = try RehearsalHarness("rules", data: data)
        try load.execute(
            "create table public.rules (name varchar(6), note varchar(8), n integer, x double precision, t timestamp) diststyle even")
        func copy(_ lines: [String], options: String) throws -> [[String?]] {
            try load.execute("delete from public.rules")
            try (lines.joined(separator: "\n")).write(toFile: data.root + "/rules.json", atomically: true, encoding: .utf8)
            try load.execute("copy public.rules from '\(data.root)/rules.json' format as json 'auto' \(options)")
            return try load.rows("select name, note, n, x, t from public.rules order by n")
        }
        // TRUNCATECOLUMNS cuts to the column's bytes on a character's boundary; EMPTYASNULL and
        // BLANKSASNULL make NULL of empty and blank text; epochmillisecs reads milliseconds.
        let rows = try copy(
            [
                #"{"name": "Beyoncé!", "note": "", "n": 1, "x": 2.5, "t": 1541105830796}"#,
                #"{"name": "abc", "note": "   ", "n": "2", "x": "7"}"#,
                #"{"NAME": "upper", "n": 3}"#,
            ], options: "truncatecolumns emptyasnull blanksasnull timeformat 'epochmillisecs'")
        XCTAssertEqual(rows[0], ["Beyonc", nil, "1", "2.5", "2018-11-01 20:57:10.796"])
        XCTAssertEqual(rows[1], ["abc", nil, "2", "7", nil])
        XCTAssertEqual(rows[2][0], nil, "'auto' matches keys case-sensitively")
        // 'auto ignorecase' matches them whatever their case.
        try load.execute("delete from public.rules")
        let ignoring = try load.connection.execute(
            "copy public.rules from '\(data.root)/rules.json' format as json 'auto ignorecase' truncatecolumns timeformat 'epochmillisecs'")
        XCTAssertEqual(ignoring.rowsAffected, 3)
        XCTAssertEqual(try load.rows("select name from public.rules where n = 3 and name is not null"), [["upper"]])
        // Without TRUNCATECOLUMNS a value over the column's bytes is a 1204 reject.
        XCTAssertThrowsError(try copy([#"{"name": "Beyoncé", "n": 4}"#], options: "")) { error in
            XCTAssertTrue("\(error)".contains("Load into table 'rules' failed"), "\(error)")
        }
        XCTAssertEqual(
            try load.rows("select err_code, trim(err_reason) from stl_load_errors where query = (select max(query) from stl_load_errors)"),
            [["1204", "String length exceeds DDL length"]])
    }

    /// A jsonpaths file must name one path a column ("The order of the jsonpaths array elements
    /// must match the order of the columns").
    func testAJsonpathsFileOfTheWrongLengthFailsTheCopy() throws {
        let data = dataset("rh-paths")
        try #"{"jsonpaths": ["$['artist']"]}"#.write(toFile: data.root + "/log_json_path.json", atomically: true, encoding: .utf8)
        let load = try RehearsalHarness("paths", data: data)
        try load.run([.drop, .create])
        XCTAssertThrowsError(try load.run([.copy])) { error in
            XCTAssertTrue("\(error)".contains("Number of jsonpaths and the number of columns should match"), "\(error)")
        }
    }

    /// Defect 8: STV_LOAD_STATE moves once per million records, so a bar read from it stood at
    /// 0 until the end. The progress says there are no figures yet, and the outcome takes the
    /// files and bytes the COPY read from SYS_LOAD_HISTORY.
    func testCopyProgressSaysWhatRedshiftCanTell() throws {
        let load = try RehearsalHarness("progress", data: dataset("rh-progress"))
        try load.run([.drop, .create])
        // Another session holds the table, so the COPY waits and its progress is seen mid-way.
        let seen = Locked<[CopyProgress]>([])
        let locked = DispatchSemaphore(value: 0)
        let settings = load.settings
        DispatchQueue.global().async {
            // The holder's session is this closure's own, from opening to closing.
            guard let holder = try? Connection(settings) else {
                locked.signal()
                return
            }
            _ = try? holder.execute("begin; lock table staging.events in access exclusive mode;")
            locked.signal()
            while seen.current.isEmpty { usleep(20_000) }
            _ = try? holder.execute("rollback;")
            holder.close()
        }
        locked.wait()
        let outcome = try load.runner.run(.copy(StarSchema.stagingEvents)) { progress in
            if let copy = progress.copy { seen.update { $0.append(copy) } }
        }
        XCTAssertEqual(seen.current.first?.awaitingServerFigures, true)
        XCTAssertNil(seen.current.first?.fraction, "no bar that cannot move")
        let copy = try XCTUnwrap(outcome.copy)
        XCTAssertFalse(copy.awaitingServerFigures)
        XCTAssertEqual(copy.filesTotal, 1)
        XCTAssertEqual(
            copy.bytesTotal,
            try FileManager.default.attributesOfItem(atPath: load.runner.plan.redshift!.logData + "/2018/11/2018-11-11-events.json")[.size] as? Int)
        XCTAssertEqual(copy.rowsDone, 2)
    }

    /// Defect 5: `\\d staging.songs` filtered PG_TABLE_DEF by the name alone and showed
    /// analytics.songs; `\\d analytics_build.songplays`, off the search path, showed nothing.
    func testDescribeOnRedshiftFindsTheTableItNames() throws {
        let load = try RehearsalHarness("describe", data: dataset("rh-describe"))
        try load.run([.drop, .create, .copy, .insert])
        func columns(_ name: String) throws -> [String] {
            try load.rows(try XCTUnwrap(MetaCommand.describe(name).sql(for: .redshift))).map { $0[0] ?? "" }
        }
        XCTAssertEqual(try columns("staging.songs"), StarSchema.stagingSongs.columnNames + ["source_file"])
        XCTAssertEqual(try columns("songs"), StarSchema.songs.columnNames, "the search path's first: analytics")
        try load.run([.drop, .create])
        XCTAssertEqual(try columns("analytics_build.songplays"), StarSchema.songplays.columnNames)
        let startTime = try load.rows(try XCTUnwrap(MetaCommand.describe("analytics.songplays").sql(for: .redshift))).first { $0[0] == "start_time" }
        XCTAssertEqual(startTime?[4], "t", "the distribution key, from PG_TABLE_DEF")
        XCTAssertEqual(startTime?[5], "1", "the sort key")
    }

    /// SHOW TABLE, which `\\ddl` and `D` send to Redshift: the DDL with identity and layout.
    func testShowTableGivesTheTablesDefinition() throws {
        let load = try RehearsalHarness("show", data: dataset("rh-show"))
        try load.run([.drop, .create])
        let ddl = try XCTUnwrap(try load.rows(try XCTUnwrap(MetaCommand.definition("analytics_build.songplays").sql(for: .redshift))).first?[0])
        XCTAssertTrue(ddl.hasPrefix("CREATE TABLE analytics_build.songplays ("), ddl)
        XCTAssertTrue(ddl.contains("songplay_id bigint IDENTITY(0,1) NOT NULL"), ddl)
        XCTAssertTrue(ddl.hasSuffix("DISTSTYLE KEY DISTKEY (start_time) SORTKEY (start_time);"), ddl)
    }

    /// ACCEPTINVCHARS, the 4 MB object limit, a line that is no object, MAXERROR's count.
    func testInvalidCharactersBigObjectsAndStrayLines() throws {
        let data = Dataset("rh-bytes")
        data.writeLog("a.json", [])
        data.writeSong("s.json", "")
        let load = try RehearsalHarness("bytes", data: data)
        try load.execute("create table public.bytes (name varchar(16), n integer) diststyle even")
        var bytes = Array(#"{"name": "ab"#.utf8) + [0xFF] + Array(#"cd", "n": 1}"#.utf8) + [0x0A]
        bytes += Array(("{\"name\": \"" + String(repeating: "x", count: 4 * 1024 * 1024) + "\", \"n\": 2}\n").utf8)
        bytes += Array("not json at all\n".utf8) + Array(#"{"name": "ok", "n": 3}"#.utf8)
        FileManager.default.createFile(atPath: data.root + "/bytes.json", contents: Data(bytes))
        func copy(_ options: String) throws -> QueryResult {
            try load.execute("delete from public.bytes")
            return try load.connection.execute("copy public.bytes from '\(data.root)/bytes.json' format as json 'auto' \(options)")
        }
        // Three bad records: MAXERROR 2 fails the COPY, 3 lets it through.
        XCTAssertThrowsError(try copy("maxerror 2"))
        XCTAssertEqual(try copy("maxerror 3").rowsAffected, 1)
        let errors = try load.rows(
            "select line_number, err_code, trim(err_reason) from stl_load_errors where query = pg_last_copy_id() order by line_number")
        XCTAssertEqual(errors.map { $0[1] }, ["1220", "1216", "1216"])
        XCTAssertEqual(errors[0][0], "1")
        XCTAssertEqual(errors[1][2], "JSON object exceeds the 4 MB limit")
        XCTAssertEqual(errors[2][0], "3")
        // ACCEPTINVCHARS puts '?' (or the character given) for each invalid byte.
        XCTAssertEqual(try copy("acceptinvchars maxerror 3").rowsAffected, 2)
        XCTAssertEqual(try load.rows("select name from public.bytes where n = 1"), [["ab?cd"]])
        XCTAssertEqual(try copy("acceptinvchars as '^' maxerror 3").rowsAffected, 2)
        XCTAssertEqual(try load.rows("select name from public.bytes where n = 1"), [["ab^cd"]])
    }
}
