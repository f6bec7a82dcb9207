import Foundation

/// Sorting and searching the loaded rows, for the grid. Both run off the UI thread on results
/// of any size; neither copies the cells.
extension ResultRows {
    /// The row order sorted by one column: numbers by value for numeric columns, everything else
    /// by its UTF-8 bytes (code point order, like `COLLATE "C"`). NULLs come last going up and
    /// first going down, as PostgreSQL orders them; ties keep the server's order.
    /// Nil until the result is finished: only then do the cells stay where they are.
    public func sortedOrder(by column: Int, descending: Bool) -> [UInt32]? {
        guard isFinished else { return nil }
        let total = count
        var order = (0..<UInt32(total)).map { $0 }
        if columns[column].isNumeric {
            var keys = [Double](repeating: .nan, count: total)
            var nulls = [Bool](repeating: false, count: total)
            scan(0..<total) { index, row in
                if row.isNull(column) {
                    nulls[index] = true
                } else {
                    keys[index] = Double(String(decoding: row.bytes(column), as: UTF8.self)) ?? .nan
                }
                return true
            }
            order.sort { a, b in
                let (i, j) = (Int(a), Int(b))
                if nulls[i] != nulls[j] { return descending ? nulls[i] : nulls[j] }
                if keys[i] != keys[j] { return descending ? keys[i] > keys[j] : keys[i] < keys[j] }
                return a < b
            }
        } else {
            var keys = [UnsafeBufferPointer<UInt8>?](repeating: nil, count: total)
            scan(0..<total) { index, row in
                keys[index] = row.isNull(column) ? nil : row.bytes(column)
                return true
            }
            order.sort { a, b in
                switch (keys[Int(a)], keys[Int(b)]) {
                case (nil, nil): return a < b
                case (nil, _): return descending
                case (_, nil): return !descending
                case (let x?, let y?):
                    let common = min(x.count, y.count)
                    var compared = common == 0 ? 0 : memcmp(x.baseAddress!, y.baseAddress!, common)
                    if compared == 0 { compared = x.count < y.count ? -1 : (x.count > y.count ? 1 : 0) }
                    if compared == 0 { return a < b }
                    return descending ? compared > 0 : compared < 0
                }
            }
        }
        return order
    }

    /// The first cell, at or after `position` in display order (before it, going backwards),
    /// whose text contains `needle` ignoring ASCII case; wraps around once.
    public func find(_ needle: String, from position: Int, order: [UInt32]?, backwards: Bool) -> (row: Int, column: Int)? {
        let pattern = Array(needle.utf8).map(Self.lowered)
        guard !pattern.isEmpty else { return nil }
        let total = order?.count ?? count
        guard total > 0 else { return nil }
        let start = min(max(0, position), total - 1)
        let passes: [Range<Int>] = backwards ? [0..<(start + 1), (start + 1)..<total] : [start..<total, 0..<start]
        var found: (Int, Int)?
        for range in passes where found == nil && !range.isEmpty {
            scan(range, order: order, backwards: backwards) { index, row in
                for column in 0..<row.count where !row.isNull(column) {
                    if Self.contains(row.bytes(column), pattern) {
                        found = (index, column)
                        return false
                    }
                }
                return true
            }
        }
        return found
    }

    /// The display positions of every row with a cell containing `needle` (ignoring ASCII
    /// case), in order: for "match 3 of 17", and where the next one is.
    public func matchingPositions(_ needle: String, order: [UInt32]?) -> [UInt32] {
        let pattern = Array(needle.utf8).map(Self.lowered)
        guard !pattern.isEmpty else { return [] }
        var positions: [UInt32] = []
        scan(0..<(order?.count ?? count), order: order) { index, row in
            for column in 0..<row.count where !row.isNull(column) && Self.contains(row.bytes(column), pattern) {
                positions.append(UInt32(index))
                break
            }
            return true
        }
        return positions
    }

    private static func lowered(_ byte: UInt8) -> UInt8 { byte >= 65 && byte <= 90 ? byte + 32 : byte }

    private static func contains(_ text: UnsafeBufferPointer<UInt8>, _ pattern: [UInt8]) -> Bool {
        guard text.count >= pattern.count else { return false }
        let first = pattern[0]
        var index = 0
        let last = text.count - pattern.count
        while index <= last {
            if lowered(text[index]) == first {
                var matched = 1
                while matched < pattern.count, lowered(text[index + matched]) == pattern[matched] { matched += 1 }
                if matched == pattern.count { return true }
            }
            index += 1
        }
        return false
    }
}
