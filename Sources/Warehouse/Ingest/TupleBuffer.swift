import Foundation

/// Bytes being written as binary COPY tuples, appended by plain stores. `[UInt8]`'s append
/// checks uniqueness and capacity on every call, and the encoder makes some forty a record
/// (measured: with the per-call overhead of the generic append, a tenth of the reader threads'
/// time). Each reader thread owns one; a finished batch leaves as an array (`take`).
final class TupleBuffer {
    private var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int

    init(capacity: Int = 64 * 1024) {
        self.capacity = max(16, capacity)
        base = .allocate(capacity: self.capacity)
    }

    deinit { base.deallocate() }

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    /// The bytes written so far as an array; the buffer is empty after, its memory kept.
    func take() -> [UInt8] {
        defer { count = 0 }
        return Array(bytes)
    }

    /// Forgets what was written after `mark` (a tuple that failed half-way).
    func truncate(to mark: Int) {
        precondition(mark >= 0 && mark <= count)
        count = mark
    }

    @inline(__always)
    private func reserve(_ extra: Int) {
        if count + extra > capacity { grow(to: count + extra) }
    }

    private func grow(to needed: Int) {
        var larger = capacity * 2
        while larger < needed { larger *= 2 }
        let moved = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        moved.update(from: base, count: count)
        base.deallocate()
        base = moved
        capacity = larger
    }

    @inline(__always)
    func append(_ source: UnsafeBufferPointer<UInt8>) {
        guard let from = source.baseAddress, !source.isEmpty else { return }
        reserve(source.count)
        (base + count).update(from: from, count: source.count)
        count += source.count
    }

    @inline(__always)
    func append(bigEndian value: UInt16) {
        reserve(2)
        UnsafeMutableRawPointer(base + count).storeBytes(of: value.bigEndian, as: UInt16.self)
        count += 2
    }

    @inline(__always)
    func append(bigEndian value: UInt32) {
        reserve(4)
        UnsafeMutableRawPointer(base + count).storeBytes(of: value.bigEndian, as: UInt32.self)
        count += 4
    }

    @inline(__always)
    func append(bigEndian value: UInt64) {
        reserve(8)
        UnsafeMutableRawPointer(base + count).storeBytes(of: value.bigEndian, as: UInt64.self)
        count += 8
    }
}
