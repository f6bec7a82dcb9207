import Dispatch
import Foundation

/// Turns Ctrl-C into a cancel of the running statement instead of killing the process, so the
/// server stops too and the transaction rolls back. A second Ctrl-C exits at once.
final class InterruptWatch {
    private let source: DispatchSourceSignal
    private let lock = NSLock()
    private var count = 0

    init(onInterrupt: @escaping () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [unowned self] in
            lock.lock()
            count += 1
            let first = count == 1
            lock.unlock()
            if first { onInterrupt() } else { exit(130) }
        }
        source.resume()
    }

    var fired: Bool {
        lock.lock()
        defer { lock.unlock() }
        return count > 0
    }

    func stop() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
