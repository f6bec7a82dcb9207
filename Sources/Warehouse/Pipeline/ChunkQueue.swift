import Foundation

/// A bounded hand-off between the thread that reads and encodes source files and the thread
/// that feeds COPY. The bound is what keeps memory flat however large the input: the reader
/// waits when the sender (or the server behind it) falls behind.
final class ChunkQueue<Element>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element] = []
    private let capacity: Int
    private var finished = false
    private var closed = false
    private var failure: Error?

    init(capacity: Int) { self.capacity = capacity }

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

    /// The producer is done; `error` ends the consumer's loop with that error.
    func finish(error: Error? = nil) {
        condition.lock()
        finished = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// The next item, nil once the producer finished and everything was taken. Throws the
    /// producer's error after the items pushed before it.
    func pop() throws -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !finished { condition.wait() }
        if !items.isEmpty {
            let item = items.removeFirst()
            condition.broadcast()
            return item
        }
        if let failure { throw failure }
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
