import Foundation
import XCTest

/// Compares generated SQL with a reviewed file under Tests/WarehouseTests/Golden.
/// `SPARKIFY_UPDATE_GOLDEN=1 swift test` rewrites the files; review the diff before committing.
func assertGolden(_ name: String, _ rendered: String, file: StaticString = #filePath, line: UInt = #line) throws {
    let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("WarehouseTests/Golden/\(name)")
    if ProcessInfo.processInfo.environment["SPARKIFY_UPDATE_GOLDEN"] != nil {
        try rendered.write(to: golden, atomically: true, encoding: .utf8)
    }
    XCTAssertEqual(rendered, try String(contentsOf: golden, encoding: .utf8), "differs from Golden/\(name)", file: file, line: line)
}
