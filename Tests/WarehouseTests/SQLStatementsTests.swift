import XCTest

@testable import Warehouse

/// Which statement F5 runs: the one under the cursor, wherever the semicolons, comments and
/// quotes fall.
final class SQLStatementsTests: XCTestCase {
    /// The statement picked with the cursor where `|` is (the bar is taken out of the text).
    private func picked(_ marked: String) -> String? {
        let cursor = Array(marked).firstIndex(of: "|")!
        let text = Array(marked.replacingOccurrences(of: "|", with: ""))
        let statements = SQLStatements(text)
        return statements.statement(at: cursor).map { statements.text(of: $0) }
    }

    func testCursorInsideEachStatement() {
        XCTAssertEqual(picked("select 1; sel|ect 2; select 3;"), "select 2")
        XCTAssertEqual(picked("|select 1; select 2;"), "select 1")
        XCTAssertEqual(picked("select 1; select 2; select 3|"), "select 3")
    }

    func testCursorJustAfterASemicolonRunsTheStatementItEnds() {
        XCTAssertEqual(picked("select 1;| select 2;"), "select 1")
        XCTAssertEqual(picked("select 1;  |\nselect 2;"), "select 1")
        XCTAssertEqual(picked("select 1; -- the first|\nselect 2;"), "select 1")
    }

    func testCursorOnABlankLineBetweenStatementsRunsTheNextOne() {
        XCTAssertEqual(picked("select 1;\n|\nselect 2;"), "select 2")
        XCTAssertEqual(picked("select 1;\n\n-- about two\n|select 2;"), "select 2")
    }

    func testCursorAfterTheLastStatementRunsIt() {
        XCTAssertEqual(picked("select 1;\nselect 2;\n\n|"), "select 2")
    }

    func testSemicolonsInsideStringsAndNamesDoNotSplit() {
        XCTAssertEqual(picked("select 'a;b', \"c;d\" fr|om t; select 2"), "select 'a;b', \"c;d\" from t")
        XCTAssertEqual(picked("select 'it''s; fine' |; select 2"), "select 'it''s; fine'")
        XCTAssertEqual(picked("select E'back\\'slash;' |; select 2"), "select E'back\\'slash;'")
    }

    func testSemicolonsInsideCommentsDoNotSplit() {
        XCTAssertEqual(picked("select 1 -- not; the end\n+ 1|; select 2"), "select 1 -- not; the end\n+ 1")
        XCTAssertEqual(picked("select /* a; /* nested; */ still; */ 2|; select 3"), "select /* a; /* nested; */ still; */ 2")
    }

    func testDollarQuotedBodiesDoNotSplit() {
        let function = "create function f() returns int as $body$ select 1; select 2; $body$ language sql"
        XCTAssertEqual(picked("\(function)|; select 3;"), function)
        XCTAssertEqual(picked("do $$ begin perform 1; end $$|; select 3"), "do $$ begin perform 1; end $$")
        // $1 is a parameter and a$b a name, neither opens a quote.
        XCTAssertEqual(picked("select $1, a$b from t|; select 2"), "select $1, a$b from t")
    }

    func testLeadingCommentsAreNotSent() {
        let statements = SQLStatements("-- check: users\n/* why */ select count(*) from users;")
        XCTAssertEqual(statements.statements.map { statements.text(of: $0) }, ["select count(*) from users"])
    }

    func testEmptyAndCommentOnlyTextHasNoStatement() {
        XCTAssertNil(SQLStatements("").statement(at: 0))
        XCTAssertNil(SQLStatements(" ; -- nothing\n;").statement(at: 3))
    }

    func testServerPositionMapsToTheEditorsCharacters() {
        // "\r\n" is one Character and two code points; the server counts code points.
        let text = Array("select 1;\nselect\r\nfoo bar")
        let statements = SQLStatements(text)
        let second = statements.statements[1]
        // "select\r\nfoo bar": 'b' of bar is code point 13.
        let offset = SQLStatements.characterOffset(ofServerPosition: 13, in: statements.text(of: second))
        XCTAssertEqual(text[second.range.lowerBound + offset], "b")
    }

    func testTokensColourKeywordsStringsNumbersAndComments() {
        let kinds = SQLLexer.tokens("SELECT 'x', 42 -- n").filter { !$0.isTrivia || $0.kind == .lineComment }.map(\.kind)
        XCTAssertEqual(kinds, [.keyword, .string, .punctuation, .number, .lineComment])
        XCTAssertEqual(SQLLexer.tokens("level").first?.kind, .word)
    }
}
