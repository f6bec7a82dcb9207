import Foundation
import PostgresClient
import Warehouse

/// Hands engine events to the UI thread. Workers append under a lock and write one byte to a
/// pipe; the UI loop polls that pipe beside the keyboard, so it sleeps until there is
/// something to do and never waits on the network.
final class EventQueue<Event: Sendable>: Sendable {
    private struct Pending {
        var events: [Event] = []
        var wakeSent = false
    }
    private let pending = Locked(Pending())
    let readDescriptor: Int32
    let writeDescriptor: Int32

    init() {
        var descriptors: [Int32] = [0, 0]
        if pipe(&descriptors) != 0 { fatalError("cannot create the console's wake pipe: \(String(cString: strerror(errno)))") }
        readDescriptor = descriptors[0]
        writeDescriptor = descriptors[1]
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
    }

    deinit {
        close(readDescriptor)
        close(writeDescriptor)
    }

    func post(_ event: Event) {
        // One byte per batch is enough to wake the loop; a busy copy posts ten events a second.
        let wake = pending.update { pending in
            pending.events.append(event)
            defer { pending.wakeSent = true }
            return !pending.wakeSent
        }
        if wake { wakeUp() }
    }

    /// Wakes the loop without an event (the signal handlers write to the same pipe).
    func wakeUp() {
        var byte: UInt8 = 1
        _ = write(writeDescriptor, &byte, 1)
    }

    /// Everything posted so far, in order; empties the pipe too.
    func drain() -> [Event] {
        var sink = [UInt8](repeating: 0, count: 64)
        while read(readDescriptor, &sink, sink.count) > 0 {}
        return pending.update { pending in
            pending.wakeSent = false
            defer { pending.events.removeAll() }
            return pending.events
        }
    }
}
