import Foundation

/// One thread that runs jobs in order and owns a value of its own (`Owned`: typically a
/// database connection, which libpq allows on one thread at a time). Jobs reach that value
/// only through their `inout` argument, on the worker's thread, so nothing else can touch it:
/// the compiler checks what goes in (`@Sendable` jobs), the worker keeps what stays.
public final class SerialWorker<Owned>: @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [@Sendable (inout Owned) -> Void] = []
    private var busy = false
    private var stopping = false
    private let finished = DispatchSemaphore(value: 0)
    /// Read and written by the worker's thread only, inside a job.
    private let box: OwnedBox

    public init(name: String, owning initial: sending Owned) {
        box = OwnedBox(initial)
        let thread = Thread { [self] in loop() }
        thread.name = name
        thread.stackSize = 1 << 20
        thread.start()
    }

    public func submit(_ job: @escaping @Sendable (inout Owned) -> Void) {
        condition.lock()
        defer { condition.unlock() }
        guard !stopping else { return }
        jobs.append(job)
        condition.signal()
    }

    /// True while a job runs or waits: a caller asks before queuing a second ping behind a slow one.
    public var hasWork: Bool {
        condition.lock()
        defer { condition.unlock() }
        return busy || !jobs.isEmpty
    }

    /// Lets the jobs already queued run, takes no more, and waits for the thread to end.
    public func stopAndJoin() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
        finished.wait()
    }

    private func loop() {
        defer { finished.signal() }
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            busy = true
            condition.unlock()
            job(&box.value)
            condition.lock()
            busy = false
            condition.unlock()
        }
    }

    /// Holds the owned value for the worker's thread; only that thread ever reads it.
    private final class OwnedBox {
        var value: Owned
        init(_ value: Owned) { self.value = value }
    }
}
