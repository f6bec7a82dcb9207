import Foundation
import PostgresClient

/// A query's rows kept compactly for browsing: each row is its cells' bytes one after another,
/// each cell led by its length (a one-byte varint for anything under 127 bytes, 0 for NULL), in
/// large blocks of 4,096 rows. A million-row result is a few hundred blocks, not eighteen million
/// string objects, and takes about as much memory as its text.
///
/// One thread appends (the query's worker) while others read (the UI draws, a search scans);
/// every access takes the store's lock, and bulk readers take it a slice at a time so the
/// appending thread is never held up for long. Once `finish()` is called nothing moves again.
public final class ResultRows: @unchecked Sendable {
    public let columns: [Column]
    /// Display widths are tracked up to this; wider cells count as this wide.
    public static let widthLimit = 200
    static let rowsPerBlock = 4096

    private let lock = NSLock()
    private var blocks: [Block] = []
    private var rowCount = 0
    private var textSize = 0
    private var widths: [Int]
    private var finished = false

    public init(columns: [Column]) {
        self.columns = columns
        widths = Array(repeating: 0, count: columns.count)
    }

    deinit { blocks.forEach { $0.release() } }

    // MARK: - Writing

    /// Copies a row in and returns how many rows there are now. Called by the one appending thread.
    @discardableResult
    public func append<Row: CellRow>(_ row: Row) -> Int {
        var size = 0
        for column in 0..<columns.count {
            let prefix = row.isNull(column) ? 0 : row.bytes(column).count + 1
            size += Self.lengthPrefixSize(prefix) + max(0, prefix - 1)
        }
        lock.lock()
        defer { lock.unlock() }
        precondition(!finished, "rows appended to a finished result")
        // Offsets in a block are 32-bit, so a block also ends before it would pass 4 GiB.
        if blocks.last.map({ $0.rows == Self.rowsPerBlock || $0.used + size >= Int(UInt32.max) }) ?? true {
            if let last = blocks.last { last.seal() }
            // Sized from the block before: rows of one result are alike, so most blocks are
            // allocated once at about their final size.
            let guess = blocks.last.map { $0.used + $0.used / 16 } ?? 1 << 16
            blocks.append(Block(capacity: max(guess, size)))
        }
        let block = blocks.last!
        block.reserve(block.used + size)
        var at = block.bytes + block.used
        block.starts[block.rows] = UInt32(block.used)
        for column in 0..<columns.count {
            if row.isNull(column) {
                at = Self.writeLength(0, at)
                textSize += 3  // \N and a separator, as COPY's text format writes it
                continue
            }
            let cell = row.bytes(column)
            at = Self.writeLength(cell.count + 1, at)
            if cell.count > 0 { at.update(from: cell.baseAddress!, count: cell.count) }
            at += cell.count
            textSize += cell.count + 1
            if widths[column] < Self.widthLimit {
                widths[column] = max(widths[column], min(Self.widthLimit, CellText.width(cell)))
            }
        }
        block.used += size
        block.rows += 1
        rowCount += 1
        return rowCount
    }

    /// No more rows will come: the last block gives back its spare room, and from here on
    /// what a reader holds never moves.
    public func finish() {
        lock.lock()
        defer { lock.unlock() }
        blocks.last?.seal()
        finished = true
    }

    // MARK: - Reading

    public var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return rowCount
    }
    public var isFinished: Bool {
        lock.lock()
        defer { lock.unlock() }
        return finished
    }
    /// The result as text (each cell and a separator, NULL as `\N`): what `COPY … TO STDOUT`
    /// would send, the yardstick for the memory the rows take.
    public var textBytes: Int {
        lock.lock()
        defer { lock.unlock() }
        return textSize
    }
    /// Bytes held for the rows, allocated and not yet used included.
    public var storedBytes: Int {
        lock.lock()
        defer { lock.unlock() }
        return blocks.reduce(0) { $0 + $1.capacity + Self.rowsPerBlock * 4 }
    }
    /// The widest cell of each column so far, in terminal columns (up to `widthLimit`).
    public var columnWidths: [Int] {
        lock.lock()
        defer { lock.unlock() }
        return widths
    }

    /// Reads rows under the lock. Keep the work inside short: the appending thread waits.
    public func read<T>(_ body: (Reader) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(Reader(blocks: blocks, count: rowCount, columnCount: columns.count))
    }

    /// Visits rows `range` (in `order`, when given) a slice at a time, letting the appending
    /// thread in between slices. `visit` returns false to stop.
    public func scan(
        _ range: Range<Int>, order: [UInt32]? = nil, backwards: Bool = false,
        _ visit: (Int, StoredRow) -> Bool
    ) {
        let slice = 8192
        var position = backwards ? range.upperBound - 1 : range.lowerBound
        while range.contains(position) {
            let keepGoing: Bool = read { reader in
                for _ in 0..<slice {
                    guard range.contains(position), position < reader.count else { return false }
                    let index = order.map { Int($0[position]) } ?? position
                    if !visit(position, reader.row(index)) { return false }
                    position += backwards ? -1 : 1
                }
                return true
            }
            if !keepGoing { return }
        }
    }

    /// A view of the rows while the lock is held.
    public struct Reader {
        fileprivate let blocks: [Block]
        public let count: Int
        let columnCount: Int

        public func row(_ index: Int) -> StoredRow {
            let block = blocks[index / ResultRows.rowsPerBlock]
            return StoredRow(start: block.bytes + Int(block.starts[index % ResultRows.rowsPerBlock]), count: columnCount)
        }
    }

    // MARK: - Encoding

    static func lengthPrefixSize(_ value: Int) -> Int {
        var value = value
        var size = 1
        while value >= 0x80 {
            value >>= 7
            size += 1
        }
        return size
    }

    static func writeLength(_ value: Int, _ at: UnsafeMutablePointer<UInt8>) -> UnsafeMutablePointer<UInt8> {
        var value = value
        var at = at
        while value >= 0x80 {
            at.pointee = UInt8(value & 0x7F) | 0x80
            value >>= 7
            at += 1
        }
        at.pointee = UInt8(value)
        return at + 1
    }

    static func readLength(_ at: UnsafePointer<UInt8>) -> (value: Int, next: UnsafePointer<UInt8>) {
        var value = 0
        var shift = 0
        var at = at
        while true {
            let byte = at.pointee
            at += 1
            value |= Int(byte & 0x7F) << shift
            if byte < 0x80 { return (value, at) }
            shift += 7
        }
    }

    /// One block of rows: a byte buffer that grows until it is sealed, and each row's offset.
    fileprivate final class Block {
        var bytes: UnsafeMutablePointer<UInt8>
        var capacity: Int
        var used = 0
        var rows = 0
        let starts = UnsafeMutablePointer<UInt32>.allocate(capacity: ResultRows.rowsPerBlock)

        init(capacity: Int) {
            self.capacity = capacity
            bytes = malloc(capacity)!.assumingMemoryBound(to: UInt8.self)
        }

        func reserve(_ size: Int) {
            guard size > capacity else { return }
            capacity = max(size, capacity * 2)
            bytes = realloc(bytes, capacity)!.assumingMemoryBound(to: UInt8.self)
        }

        func seal() {
            guard used < capacity else { return }
            capacity = max(used, 1)
            bytes = realloc(bytes, capacity)!.assumingMemoryBound(to: UInt8.self)
        }

        func release() {
            free(bytes)
            starts.deallocate()
        }
    }
}

/// One stored row; valid while the store's lock is held (or, once it is finished, while the
/// store lives). Reading a cell walks the length prefixes before it: rows are short.
public struct StoredRow: CellRow {
    let start: UnsafePointer<UInt8>
    public let count: Int

    init(start: UnsafeMutablePointer<UInt8>, count: Int) {
        self.start = UnsafePointer(start)
        self.count = count
    }

    private func locate(_ column: Int) -> (length: Int, at: UnsafePointer<UInt8>) {
        var at = start
        var index = 0
        while true {
            let (value, next) = ResultRows.readLength(at)
            if index == column { return (value, next) }
            at = next + max(0, value - 1)
            index += 1
        }
    }

    public func isNull(_ column: Int) -> Bool { locate(column).length == 0 }

    public func bytes(_ column: Int) -> UnsafeBufferPointer<UInt8> {
        let (length, at) = locate(column)
        return UnsafeBufferPointer(start: at, count: max(0, length - 1))
    }
}
