import Foundation
import XCTest

@testable import Console

/// Events from many workers reach the UI thread whole and in each worker's order, and the
/// pipe the loop sleeps on wakes it.
final class EventQueueTests: XCTestCase {
    func testEventsFromManyThreadsArriveAllAndInEachThreadsOrder() {
        let queue = EventQueue<[Int]>()
        let done = DispatchGroup()
        for thread in 0..<4 {
            done.enter()
            Thread {
                for index in 0..<1_000 { queue.post([thread, index]) }
                done.leave()
            }.start()
        }
        done.wait()
        let events = queue.drain()
        XCTAssertEqual(events.count, 4_000)
        for thread in 0..<4 {
            XCTAssertEqual(events.filter { $0[0] == thread }.map { $0[1] }, Array(0..<1_000))
        }
        XCTAssertTrue(queue.drain().isEmpty, "drained once")
    }

    func testAPostWakesThePollAndADrainQuietsIt() {
        let queue = EventQueue<Int>()
        var descriptor = [pollfd(fd: queue.readDescriptor, events: Int16(POLLIN), revents: 0)]
        XCTAssertEqual(poll(&descriptor, 1, 0), 0, "nothing to wake for")
        queue.post(1)
        queue.post(2)
        XCTAssertEqual(poll(&descriptor, 1, 0), 1)
        XCTAssertEqual(queue.drain(), [1, 2])
        XCTAssertEqual(poll(&descriptor, 1, 0), 0, "the pipe is empty again")
    }
}
