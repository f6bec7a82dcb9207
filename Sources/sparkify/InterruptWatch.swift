import Dispatch
import Foundation
import PostgresClient
import Warehouse

/// Turns Ctrl-C into a cancel of the running statement instead of killing the process, so the
/// server stops too and the transaction rolls back. A second Ctrl-C exits at once.
final class InterruptWatch {
    private let source: DispatchSourceSignal
    private let interrupts = Locked(0)

    init(onInterrupt: @escaping @Sendable () -> Void) {
        signal(SIGINT, SIG_IGN)
        source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        source.setEventHandler { [interrupts] in
            let first = interrupts.update {
                $0 += 1
                return $0 == 1
            }
            if first { onInterrupt() } else { exit(130) }
        }
        source.resume()
    }

    var fired: Bool { interrupts.current > 0 }

    func stop() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
