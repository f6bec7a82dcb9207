import Foundation

/// A bounded hand-off between the threads that read and encode source files and the thread
/// that feeds COPY. The bound is what keeps memory flat however large the input: the readers
/// wait when the sender (or the server behind it) falls behind.
final class ChunkQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private let capacity: Int
    private var producersLeft: Int
    private var finished = false
    private var closed = false
    private var failure: Error?

    init(capacity: Int, producers: Int = 1) {
        self.capacity = capacity
        producersLeft = producers
    }

    /// Waits for room. False when the consumer has gone away: the producer should stop.
    func push(_ item: Element) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while items.count >= capacity && !closed { condition.wait() }
        guard !closed else { return false }
        items.append(item)
        condition.broadcast()
        return true
    }

    /// One producer is done; the queue ends when all are. An `error` ends it at once: the
    /// consumer's next `pop` throws it (the first one, if several producers fail), whatever is
    /// still queued, since a failed copy keeps none of its rows.
    func finish(error: Error? = nil) {
        condition.lock()
        producersLeft -= 1
        if let error, failure == nil { failure = error }
        if producersLeft <= 0 || failure != nil { finished = true }
        condition.broadcast()
        condition.unlock()
    }

    /// The next item, nil once every producer finished and everything was taken. Throws a
    /// producer's error as soon as there is one.
    func pop() throws -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !finished { condition.wait() }
        if let failure { throw failure }
        if !items.isEmpty {
            let item = items.removeFirst()
            condition.broadcast()
            return item
        }
        return nil
    }

    /// The consumer stops taking: a waiting producer wakes and gives up.
    func close() {
        condition.lock()
        closed = true
        items.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}
