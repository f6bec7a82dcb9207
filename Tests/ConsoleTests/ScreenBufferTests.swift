import XCTest

@testable import Console

final class ScreenBufferTests: XCTestCase {
    func testWideCharactersTakeTwoCellsAndTextReadsBack() {
        let screen = ScreenBuffer(rows: 1, cols: 10)
        let used = screen.put("東京x", row: 0, col: 1, style: .heading)
        XCTAssertEqual(used, 5)
        XCTAssertEqual(screen[0, 1].text, "東")
        XCTAssertEqual(screen[0, 2].text, "", "the right half of a wide character is covered")
        XCTAssertEqual(screen[0, 5].text, "x")
        XCTAssertEqual(screen[0, 5].style, .heading)
        XCTAssertEqual(screen.text(row: 0), " 東京x    ")
        XCTAssertEqual(screen.find("京x")?.col, 3)
    }

    func testAWideCharacterThatWouldStraddleTheClipBecomesASpace() {
        let screen = ScreenBuffer(rows: 1, cols: 6)
        screen.fill(Rect(row: 0, col: 0, height: 1, width: 6), with: "#")
        let clip = Rect(row: 0, col: 0, height: 1, width: 4)
        screen.put("ab東", row: 0, col: 1, clip: clip)
        XCTAssertEqual(screen.text(row: 0), "#ab ##", "nothing spills past the pane's edge")
    }

    func testCombiningMarksJoinTheirLetterAndControlCharactersCannotMoveTheCursor() {
        let screen = ScreenBuffer(rows: 1, cols: 8)
        let used = screen.put("e\u{301}t\u{1B}[2J", row: 0, col: 0)
        XCTAssertEqual(screen[0, 0].text, "e\u{301}")
        XCTAssertEqual(screen[0, 1].text, "t")
        XCTAssertEqual(screen[0, 2].text, "·", "ESC is shown, never sent to the terminal")
        XCTAssertEqual(used, 6)
    }

    func testTextFitUsesDisplayWidth() {
        XCTAssertEqual(TextFit.fit("東京", 6), "東京  ")
        XCTAssertEqual(TextFit.fit("東京都庁", 5), "東京…")
        XCTAssertEqual(TextFit.fit("42", 5, .right), "   42")
        XCTAssertEqual(TextFit.tail("/var/lib/sparkify/run", 10), "…rkify/run")
        XCTAssertEqual(TextFit.wrap("one two three", 7), ["one two", "three"])
    }
}
