import Foundation
import Warehouse

/// Timings for `scripts/bench-grid`, written only when `SPARKIFY_TRACE` names a file: when a
/// query was sent, when the first frame with rows was on the screen, when the last row was in,
/// how long keys waited for their frame while rows loaded, and the peak memory. Monotonic
/// seconds, the clock Python's time.monotonic() reads, so the script can line them up with
/// the keys it sends.
final class ConsoleTrace {
    private let handle: FileHandle
    private var sent: Double?
    private var firstRowsShown = false
    private var keysWaiting: Double?

    private init(handle: FileHandle) { self.handle = handle }

    static func fromEnvironment() -> ConsoleTrace? {
        guard let path = ProcessInfo.processInfo.environment["SPARKIFY_TRACE"],
            FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else { return nil }
        return ConsoleTrace(handle: handle)
    }

    private func write(_ line: String) {
        handle.write(Data((line + "\n").utf8))
    }

    func querySent(at now: Double) {
        sent = now
        firstRowsShown = false
        write(String(format: "sent %.6f", now))
    }

    func keysRead(at now: Double) {
        if keysWaiting == nil { keysWaiting = now }
    }

    func saw(_ event: SessionEvent, state: ConsoleState) {
        if case .statementFinished = event, let rows = state.result.rows {
            write(
                String(
                    format: "all-rows %.6f rows %d text-bytes %d stored-bytes %d peak-rss-kib %d",
                    Clock.now, rows.count, rows.textBytes, rows.storedBytes, Self.peakResidentKiB()))
        }
    }

    func framePresented(state: ConsoleState, at now: Double) {
        if let read = keysWaiting {
            write(String(format: "key-frame %.6f %.6f loading %d", read, now, state.result.loading ? 1 : 0))
            keysWaiting = nil
        }
        if sent != nil, !firstRowsShown, let rows = state.result.rows, rows.count > 0 {
            firstRowsShown = true
            write(String(format: "first-screen %.6f rows %d", now, rows.count))
        }
    }

    /// VmHWM: the most resident memory the process has had.
    static func peakResidentKiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
        return 0
    }
}
