import XCTest

@testable import Console
@testable import TestSupport
@testable import Warehouse

/// Completion by context, on a catalog like the warehouse's.
final class CompletionTests: XCTestCase {
    private let catalog = SchemaCatalog(
        relations: [
            .init(schema: "analytics", name: "users", columns: [.init(name: "user_id", type: "integer"), .init(name: "level", type: "text")]),
            .init(
                schema: "analytics", name: "songplays",
                columns: [.init(name: "songplay_id", type: "bigint"), .init(name: "user_id", type: "integer")]),
            .init(schema: "staging", name: "events", columns: [.init(name: "artist", type: "text"), .init(name: "ts", type: "bigint")]),
        ],
        functions: ["count", "coalesce", "date_trunc"], searchPath: ["analytics", "staging", "public"])

    /// `text` with `|` where the cursor is.
    private func complete(_ marked: String) -> Completion? {
        let cursor = marked.distance(from: marked.startIndex, to: marked.firstIndex(of: "|")!)
        return Completion.at(cursor, in: Array(marked.replacingOccurrences(of: "|", with: "")), catalog: catalog)
    }

    private func texts(_ marked: String) -> [String] { complete(marked)?.items.map(\.text) ?? [] }

    func testRelationsAfterFromAndJoinAndSchemasToQualifyThem() {
        XCTAssertEqual(texts("select * from us|"), ["users"])
        XCTAssertEqual(texts("select * from analytics.use|"), ["analytics.users"])
        XCTAssertEqual(texts("select * from analytics.|"), ["analytics.users", "analytics.songplays"])
        XCTAssertEqual(texts("select * from sta|"), ["staging."])
        XCTAssertEqual(texts("select * from users u join so|"), ["songplays"])
        XCTAssertEqual(texts("insert into ev|"), ["events"])
        XCTAssertEqual(texts("select * from users, so|"), ["songplays"], "after a comma in the FROM list")
    }

    func testColumnsOfTheStatementsTablesAndAfterAnAlias() {
        XCTAssertEqual(texts("select lev| from users"), ["level"])
        XCTAssertEqual(texts("select u.| from analytics.users u"), ["u.user_id", "u.level"])
        XCTAssertEqual(texts("select e.a| from staging.events as e"), ["e.artist"])
        XCTAssertEqual(texts("select users.le| from users"), ["users.level"])
        XCTAssertTrue(texts("select co| from users").contains("count"), "functions")
        XCTAssertTrue(texts("select co| from users").contains("COALESCE"), "and keywords")
        XCTAssertEqual(complete("select u.u| from users u")?.items.first?.detail, "integer")
    }

    func testTheReplacedRangeAndTheSharedPrefix() throws {
        let found = try XCTUnwrap(complete("select * from analytics.so|"))
        XCTAssertEqual(found.replacing, 14..<26)
        XCTAssertEqual(found.commonPrefix, "analytics.songplays")
        XCTAssertEqual(complete("select use| from users, songplays")?.items.map(\.text), ["user_id"], "one column of two tables, once")
    }

    func testNothingInsideStringsCommentsOrNumbersOrForAWholeWord() {
        XCTAssertNil(complete("select 'us| from"))
        XCTAssertNil(complete("select 1 -- from us|"))
        XCTAssertNil(complete("select 12|"))
        XCTAssertNil(complete("select * from users|"), "already whole")
        XCTAssertNil(complete("select * from zzz|"))
        XCTAssertEqual(texts("sel|"), ["SELECT"], "a statement starts with a keyword")
    }

    func testTheCatalogIsReadFromTheServer() throws {
        let connection = try TestServer.connect()
        try connection.execute("drop schema if exists completion_test cascade; create schema completion_test")
        try connection.execute("create table completion_test.plays (play_id integer, at timestamp)")
        let read = try SchemaCatalog.read(on: connection)
        let plays = try XCTUnwrap(read.relations.first { $0.schema == "completion_test" && $0.name == "plays" })
        XCTAssertEqual(plays.columns, [.init(name: "play_id", type: "integer"), .init(name: "at", type: "timestamp without time zone")])
        XCTAssertTrue(read.functions.contains("date_trunc"))
        XCTAssertFalse(read.relations.contains { $0.schema == "pg_catalog" })
        XCTAssertEqual(read.searchPath.first, "public")
    }
}
