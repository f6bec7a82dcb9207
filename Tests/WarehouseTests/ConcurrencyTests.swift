import Foundation
import XCTest

@testable import PostgresClient
@testable import Warehouse

/// The few thread primitives everything else is built on: a worker that owns its value, a
/// periodic task that stops for good, and the bounded hand-off of a copy.
final class ConcurrencyTests: XCTestCase {
    func testAWorkerRunsJobsInOrderOnTheValueItOwns() {
        let worker = SerialWorker<[Int]>(name: "test.worker", owning: [])
        let seen = Locked<[Int]>([])
        for index in 0..<100 {
            worker.submit { owned in
                owned.append(index)
                let copy = owned
                seen.update { $0 = copy }
            }
        }
        worker.stopAndJoin()
        XCTAssertEqual(seen.current, Array(0..<100), "every job, in the order submitted, each seeing the ones before")
        worker.submit { _ in seen.update { $0 = [] } }
        XCTAssertEqual(seen.current.count, 100, "a stopped worker takes no more jobs")
    }

    func testAPeriodicTaskNeverTicksAfterStop() {
        let ticks = Locked(0)
        let task = PeriodicTask(interval: 0.01) { ticks.update { $0 += 1 } }
        usleep(100_000)
        task.stop()
        let atStop = ticks.current
        XCTAssertGreaterThan(atStop, 0)
        usleep(50_000)
        XCTAssertEqual(ticks.current, atStop)
    }

    func testAPeriodicTaskWhoseSetUpFailsEndsAtOnce() {
        let ticks = Locked(0)
        let task = PeriodicTask(interval: 0.01, setUp: { () -> Int? in nil }, tick: { _ in ticks.update { $0 += 1 } })
        usleep(50_000)
        task.stop()
        XCTAssertEqual(ticks.current, 0)
    }

    func testTheChunkQueueIsBoundedAndHandsOverInOrder() throws {
        let queue = ChunkQueue<Int>(capacity: 2)
        let pushed = Locked(0)
        let producer = Thread {
            for item in 0..<5 {
                guard queue.push(item) else { return }
                pushed.update { $0 += 1 }
            }
            queue.finish()
        }
        producer.start()
        usleep(50_000)
        XCTAssertEqual(pushed.current, 2, "the producer waits once two are queued")
        var taken: [Int] = []
        while let item = try queue.pop() { taken.append(item) }
        XCTAssertEqual(taken, [0, 1, 2, 3, 4])
    }

    func testTheChunkQueueEndsWhenEveryProducerFinished() throws {
        let queue = ChunkQueue<Int>(capacity: 4, producers: 3)
        for producer in 0..<3 {
            Thread {
                for item in 0..<10 { _ = queue.push(producer * 100 + item) }
                queue.finish()
            }.start()
        }
        var taken: [Int] = []
        while let item = try queue.pop() { taken.append(item) }
        XCTAssertEqual(taken.count, 30, "nil only after all three finished")
        for producer in 0..<3 {
            let own = taken.filter { $0 / 100 == producer }
            XCTAssertEqual(own, own.sorted(), "each producer's items in its order")
        }
    }

    func testAProducersErrorEndsTheQueueAtOnce() {
        struct Broken: Error {}
        let queue = ChunkQueue<Int>(capacity: 4, producers: 2)
        _ = queue.push(1)
        _ = queue.push(2)
        queue.finish(error: Broken())
        // The other producer has not finished, and items are queued: the error still comes first.
        XCTAssertThrowsError(try queue.pop()) { XCTAssertTrue($0 is Broken) }
        queue.finish()
        XCTAssertThrowsError(try queue.pop(), "the first error stays") { XCTAssertTrue($0 is Broken) }
    }

    func testClosingTheChunkQueueFreesAWaitingProducer() {
        let queue = ChunkQueue<Int>(capacity: 1)
        let gaveUp = DispatchSemaphore(value: 0)
        Thread {
            _ = queue.push(1)
            if !queue.push(2) { gaveUp.signal() }
        }.start()
        usleep(20_000)
        queue.close()
        XCTAssertEqual(gaveUp.wait(timeout: .now() + 5), .success, "the consumer went away: the producer stops")
    }
}
