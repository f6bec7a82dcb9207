import Foundation

/// Progress shared between the thread doing the work and the ticker that reports it.
final class ProgressMeter: @unchecked Sendable {
    private let lock = NSLock()
    private var copy: CopyProgress?

    init(copy: CopyProgress? = nil) { self.copy = copy }

    func update(_ change: (inout CopyProgress) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        if copy != nil { change(&copy!) }
    }

    func reset(_ progress: CopyProgress) {
        lock.lock()
        copy = progress
        lock.unlock()
    }

    var snapshot: CopyProgress? {
        lock.lock()
        defer { lock.unlock() }
        return copy
    }
}

/// Reports a step's progress ten times a second from its own thread, so a front end sees
/// movement even while the server is busy and our thread waits on it.
final class ProgressTicker: @unchecked Sendable {
    private let stopped = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)

    init(interval: Double = 0.1, tick: @escaping @Sendable () -> Void) {
        let thread = Thread { [stopped, done] in
            while stopped.wait(timeout: .now() + interval) == .timedOut { tick() }
            done.signal()
        }
        thread.start()
    }

    func stop() {
        stopped.signal()
        done.wait()
    }
}

/// Bad records seen so far, shared by the reading thread (which adds) and the step (which
/// reports the count and stores them).
final class RejectList: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [RejectedRecord] = []
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// Keeps the record; throws once there are more than the limit allows.
    func add(_ record: RejectedRecord) throws {
        lock.lock()
        defer { lock.unlock() }
        guard list.count < limit else { throw TooManyBadRecords(record: record, limit: limit) }
        list.append(record)
    }

    var count: Int { lock.lock(); defer { lock.unlock() }; return list.count }
    var records: [RejectedRecord] { lock.lock(); defer { lock.unlock() }; return list }
}
