import Foundation

/// A value shared between threads, like `Locked`, that a thread can also wait on: `wait`
/// sleeps until the value is ready for it, and every `update` wakes the waiters to look again.
/// With `Locked`, the only types here that vouch for thread safety by hand.
public final class Watched<Value>: @unchecked Sendable {
    private let condition = NSCondition()
    private var value: Value

    public init(_ value: Value) { self.value = value }

    public func read<T>(_ body: (Value) throws -> T) rethrows -> T {
        condition.lock()
        defer { condition.unlock() }
        return try body(value)
    }

    @discardableResult
    public func update<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        condition.lock()
        defer {
            condition.broadcast()
            condition.unlock()
        }
        return try body(&value)
    }

    /// Waits until `ready` returns a result (it may change the value, as taking from it does),
    /// and returns that result.
    public func wait<T>(until ready: (inout Value) throws -> T?) rethrows -> T {
        condition.lock()
        defer { condition.unlock() }
        while true {
            if let result = try ready(&value) {
                condition.broadcast()
                return result
            }
            condition.wait()
        }
    }
}
