import Foundation

/// Calls `tick` every `interval` seconds on a thread of its own until `stop()`, which waits
/// for the last tick to end: after `stop()` returns, `tick` is never called again.
public final class PeriodicTask: Sendable {
    private let stopped = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)

    /// `setUp` runs first on the task's thread and makes what every tick uses (a connection, say);
    /// a nil from it ends the task at once.
    public init<Context>(
        interval: Double, setUp: @escaping @Sendable () -> Context?,
        tick: @escaping @Sendable (Context) -> Void, tearDown: @escaping @Sendable (Context) -> Void = { _ in }
    ) {
        let thread = Thread { [stopped, done] in
            defer { done.signal() }
            guard let context = setUp() else { return }
            defer { tearDown(context) }
            while stopped.wait(timeout: .now() + interval) == .timedOut { tick(context) }
        }
        thread.stackSize = 1 << 20
        thread.start()
    }

    public convenience init(interval: Double, tick: @escaping @Sendable () -> Void) {
        self.init(interval: interval, setUp: { () }, tick: { _ in tick() })
    }

    public func stop() {
        stopped.signal()
        done.wait()
    }
}
