import XCTest

@testable import Console

final class KeymapTests: XCTestCase {
    func testNoKeyMeansTwoThingsInOneScope() {
        for scope in Scope.allCases {
            var seen: [Key: Action] = [:]
            for binding in Keymap.bindings where binding.scope == scope {
                for key in binding.keys {
                    XCTAssertNil(seen[key], "\(key) is bound twice in \(scope)")
                    seen[key] = binding.action
                }
            }
        }
    }

    func testTheEditorTypesLettersThatAreCommandsElsewhere() {
        XCTAssertEqual(Keymap.action(for: .char("q"), in: .runner), .quit)
        XCTAssertEqual(Keymap.action(for: .char("q"), in: .query), .type("q"), "q types itself in the editor")
        XCTAssertEqual(Keymap.action(for: .function(10), in: .query), .quit)
        XCTAssertEqual(Keymap.action(for: .ctrl("c"), in: .query), .cancel)
        XCTAssertEqual(Keymap.action(for: .enter, in: .runner), .runStep)
        XCTAssertEqual(Keymap.action(for: .enter, in: .query), .newline)
        XCTAssertEqual(Keymap.action(for: .function(5), in: .query), .runStatement)
        XCTAssertEqual(Keymap.action(for: .ctrl("r"), in: .query), .runStatement)
        XCTAssertEqual(Keymap.action(for: .char("/"), in: .results), .search)
        XCTAssertEqual(Keymap.action(for: .char("/"), in: .prompt), .type("/"), "a prompt types a slash")
    }

    func testOverlaysAreModalButCtrlCStillCancels() {
        XCTAssertNil(Keymap.action(for: .tab, in: .help))
        XCTAssertEqual(Keymap.action(for: .escape, in: .viewer), .close)
        XCTAssertNil(Keymap.action(for: .char("q"), in: .picker).flatMap { $0 == .quit ? $0 : nil }, "q closes the picker, it does not quit")
        XCTAssertEqual(Keymap.action(for: .ctrl("c"), in: .confirm), .cancel)
        XCTAssertEqual(Keymap.action(for: .char("y"), in: .confirm), .confirmQuit)
    }

    func testTheStatusLineShowsOnlyKeysThatWorkThere() {
        let editor = Keymap.statusEntries(for: .query).map(\.keys)
        XCTAssertFalse(editor.contains("q"), "q would type in the editor")
        XCTAssertTrue(editor.contains("F10"))
        XCTAssertEqual(Keymap.statusEntries(for: .runner).first?.label, "run")
    }
}
