import XCTest

@testable import TestSupport
@testable import Warehouse

/// The Redshift layout against the data it will hold: on a load of generated data, the share of
/// each keyed table's rows its busiest slice would hold, hashing the key as Redshift spreads it
/// (equal values together, every NULL on one slice).
final class DistributionTests: XCTestCase {
    static let slices = 16

    /// The busiest slice's share of `table`'s rows with `column` as its distribution key.
    private func busiestShare(_ load: LoadHarness, _ table: Table, _ column: String) throws -> Double {
        let sql = """
            SELECT max(n)::float8 / sum(n) FROM (
              SELECT count(*) AS n FROM \(table.qualifiedName)
              GROUP BY CASE WHEN \(column) IS NULL THEN -1 ELSE abs(hashtext(\(column)::text)) % \(Self.slices) END
            ) per_slice
            """
        return Double(try load.rows(sql).first?[0] ?? "") ?? 1
    }

    func testNoKeyedTablePutsMuchMoreThanItsShareOnOneSlice() throws {
        var options = DatasetGenerator.Options()
        options.events = 8_000
        options.songs = 800
        options.days = 5
        let folder = TestServer.scratchDirectory("distribution")
        _ = try DatasetGenerator(directory: folder, options: options).run()
        let load = try LoadHarness("distribution", sources: LoadSources(folder: folder))
        try load.run([.drop, .create, .copy, .insert])

        let even = 1.0 / Double(Self.slices)
        for table in StarSchema.analyticsTables {
            guard case .key(let column) = table.distribution else { continue }
            let share = try busiestShare(load, table, column)
            XCTAssertLessThan(share, 2 * even, "\(table.name) keyed on \(column): its busiest slice holds \(Int(share * 100))% of the rows")
        }
        // Why songplays is not keyed on song_id: most plays match no song, and NULLs share a slice.
        let bySong = try busiestShare(load, StarSchema.songplays, "song_id")
        XCTAssertGreaterThan(bySong, 0.3, "song_id would put \(Int(bySong * 100))% of the plays on one slice")
    }
}
