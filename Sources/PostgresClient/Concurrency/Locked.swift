import Foundation

/// A value shared between threads, read and written only under its lock. The one place in
/// sparkify that vouches for thread safety by hand (`@unchecked`): every other type that
/// crosses threads is either `Sendable` by construction or keeps its state in one of these.
public final class Locked<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    public func read<T>(_ body: (Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(value)
    }

    @discardableResult
    public func update<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}

extension Locked where Value: Sendable {
    /// A copy of the value as it is now.
    public var current: Value { read { $0 } }
}
