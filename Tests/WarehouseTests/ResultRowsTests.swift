import XCTest

@testable import PostgresClient
@testable import Warehouse

/// The grid's row store: what goes in comes out byte for byte, NULL apart from the empty string,
/// across blocks, and sorting and searching see what the user sees.
final class ResultRowsTests: XCTestCase {
    /// A row built in memory, as libpq would hand one over.
    private struct Row: CellRow {
        var cells: [[UInt8]?]
        var count: Int { cells.count }
        func isNull(_ column: Int) -> Bool { cells[column] == nil }
        func bytes(_ column: Int) -> UnsafeBufferPointer<UInt8> {
            cells[column]!.withUnsafeBufferPointer { UnsafeBufferPointer(start: $0.baseAddress, count: $0.count) }
        }
    }

    private static func row(_ values: String?...) -> Row { Row(cells: values.map { $0.map { Array($0.utf8) } }) }

    private func store(_ rows: [Row], numeric: Bool = false) -> ResultRows {
        let columns = (0..<rows[0].count).map { Column(name: "c\($0)", typeOID: numeric && $0 == 0 ? 23 : 25) }
        let store = ResultRows(columns: columns)
        rows.forEach { store.append($0) }
        store.finish()
        return store
    }

    private func cells(_ store: ResultRows, _ index: Int) -> [String?] {
        store.read { reader in
            let row = reader.row(index)
            return (0..<row.count).map { row.string($0) }
        }
    }

    func testCellsComeBackAsTheyWentIn() {
        let long = String(repeating: "é", count: 300)  // a length prefix of more than one byte
        let rows = store([Self.row("a", nil, "", long), Self.row("日本", "x", nil, "")])
        XCTAssertEqual(rows.count, 2)
        XCTAssertEqual(cells(rows, 0), ["a", nil, "", long])
        XCTAssertEqual(cells(rows, 1), ["日本", "x", nil, ""])
    }

    func testManyBlocksKeepEveryRow() {
        let total = ResultRows.rowsPerBlock * 3 + 17
        func value(_ index: Int) -> String? { index % 7 == 0 ? nil : "Harder, Better, Faster, Stronger #\(index)" }
        let rows = store((0..<total).map { Self.row(String($0), value($0)) })
        XCTAssertEqual(rows.count, total)
        for index in [0, 4095, 4096, 8191, 12288, total - 1] {
            XCTAssertEqual(cells(rows, index), [String(index), value(index)])
        }
        // Compact: rows of song-title size take little more than their text (cells plus a
        // separator each); per row, the store adds only a 4-byte offset.
        XCTAssertLessThan(Double(rows.storedBytes), Double(rows.textBytes) * 1.3)
    }

    func testWidthsAreDisplayColumnsNotBytes() {
        let rows = store([Self.row("abc", "日本語", "a\nb"), Self.row("a", "é", "")])
        XCTAssertEqual(rows.columnWidths, [3, 6, 3])
    }

    func testSortByNumberTextAndNulls() {
        let rows = store([Self.row("10", "b"), Self.row("9", nil), Self.row(nil, "a"), Self.row("100", "B")], numeric: true)
        XCTAssertEqual(rows.sortedOrder(by: 0, descending: false), [1, 0, 3, 2])  // 9 10 100 NULL
        XCTAssertEqual(rows.sortedOrder(by: 0, descending: true), [2, 3, 0, 1])  // NULL 100 10 9
        XCTAssertEqual(rows.sortedOrder(by: 1, descending: false), [3, 2, 0, 1])  // B a b NULL
    }

    func testSortWaitsForTheLastRow() {
        let rows = ResultRows(columns: [Column(name: "a", typeOID: 25)])
        rows.append(Self.row("x"))
        XCTAssertNil(rows.sortedOrder(by: 0, descending: false))
    }

    func testFindIgnoresCaseFollowsTheOrderAndWraps() {
        let rows = store([Self.row("Alpha", "x"), Self.row("beta", "GAMMA"), Self.row("alphabet", nil)])
        XCTAssertEqual(rows.find("ALPHA", from: 0, order: nil, backwards: false)?.row, 0)
        XCTAssertEqual(rows.find("alpha", from: 1, order: nil, backwards: false)?.row, 2)
        XCTAssertEqual(rows.find("alpha", from: 1, order: nil, backwards: true)?.row, 0)
        XCTAssertEqual(rows.find("gam", from: 2, order: nil, backwards: false).map { [$0.row, $0.column] }, [1, 1])
        // In display order [2, 0, 1], "beta" is the third row shown.
        XCTAssertEqual(rows.find("beta", from: 0, order: [2, 0, 1], backwards: false)?.row, 2)
        XCTAssertNil(rows.find("zeta", from: 0, order: nil, backwards: false))
    }

    func testStoredRowsExportLikeLiveOnes() {
        let rows = store([Self.row("a,b", nil, "")])
        let pipe = Pipe()
        let output = OutputBuffer(descriptor: pipe.fileHandleForWriting.fileDescriptor)
        let writer = CSVWriter(output: output)
        writer.begin(columns: rows.columns)
        rows.scan(0..<rows.count) { _, row in
            writer.write(row: row)
            return true
        }
        writer.finish(rows: rows.count, commandTag: "")
        try? pipe.fileHandleForWriting.close()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(text, "c0,c1,c2\n\"a,b\",,\"\"\n")
    }
}
