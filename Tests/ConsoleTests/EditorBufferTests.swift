import XCTest

@testable import Console

/// The editor's keys as pure edits: what the text and the cursor become.
final class EditorBufferTests: XCTestCase {
    private func typed(_ text: String, into editor: inout EditorBuffer) { text.forEach { editor.type($0) } }

    func testTypingNewlinesKeepIndentationAndOffsetsCountLineBreaks() {
        var editor = EditorBuffer()
        typed("select a,", into: &editor)
        editor.newline()
        typed("  b", into: &editor)
        editor.newline()
        typed("from t;", into: &editor)
        XCTAssertEqual(editor.text, "select a,\n  b\n  from t;")
        XCTAssertEqual(editor.cursor, .init(line: 2, column: 9))
        XCTAssertEqual(editor.offset, 10 + 4 + 9)
        XCTAssertEqual(editor.position(ofOffset: 11), .init(line: 1, column: 1))
        XCTAssertEqual(editor.characters.count, editor.text.count)
    }

    func testPastedLinesKeepTheirOwnIndentation() {
        var editor = EditorBuffer("  select a,")
        editor.newline(keepIndent: false)
        typed("  b", into: &editor)
        XCTAssertEqual(editor.text, "  select a,\n  b", "not four spaces: the paste brought its own two")
    }

    func testUndoTakesBackATypedRunAtOnceAndRedoRestoresIt() {
        var editor = EditorBuffer("select 1")
        editor.newline()
        typed("select 2", into: &editor)
        XCTAssertTrue(editor.undo())
        XCTAssertEqual(editor.text, "select 1\n", "the typed run goes in one step")
        XCTAssertTrue(editor.undo())
        XCTAssertEqual(editor.text, "select 1")
        XCTAssertTrue(editor.redo())
        XCTAssertTrue(editor.redo())
        XCTAssertEqual(editor.text, "select 1\nselect 2")
        editor.replaceAll(with: "other")
        XCTAssertTrue(editor.undo())
        XCTAssertEqual(editor.text, "select 1\nselect 2", "replacing the text (history, a check) can be undone")
    }

    func testWordMovesAndWordDelete() {
        var editor = EditorBuffer("select count(*) from analytics.songplays")
        editor.moveWordLeft()
        XCTAssertEqual(editor.cursor.column, 31, "to the start of songplays")
        editor.moveWordLeft()
        XCTAssertEqual(editor.cursor.column, 21, "to the start of analytics")
        editor.moveToLineStart()
        editor.moveWordRight()
        XCTAssertEqual(editor.cursor.column, 6, "to the end of select")
        editor.moveToLineEnd()
        editor.deleteWordBackward()
        XCTAssertEqual(editor.text, "select count(*) from analytics.")
    }

    func testUpAndDownKeepTheColumnAcrossShortLines() {
        var editor = EditorBuffer("a long first line\nab\nanother long line")
        editor.moveToStart()
        for _ in 0..<10 { editor.moveRight() }
        editor.moveLines(1)
        XCTAssertEqual(editor.cursor, .init(line: 1, column: 2))
        editor.moveLines(1)
        XCTAssertEqual(editor.cursor, .init(line: 2, column: 10))
    }

    func testBackspaceAtALineStartJoinsLines() {
        var editor = EditorBuffer("select\n1")
        editor.moveToLineStart()
        editor.moveToLineStart()
        editor.deleteBackward()
        XCTAssertEqual(editor.text, "select1")
        XCTAssertEqual(editor.cursor, .init(line: 0, column: 6))
    }
}
