import Foundation

/// Watches a load's sessions for lock waits, from a session of its own, every `interval`
/// seconds: for each watched session that waits, who holds what it waits for. `sparkify etl`
/// says so instead of leaving a progress line frozen; the console's monitor asks the same
/// question (`LockWait`) on its own session. Nothing is reported for a session that waits
/// for nothing.
public final class LockWaitWatch: Sendable {
    private let watched = Locked<Set<Int32>>([])
    private let task: PeriodicTask

    public init(
        settings: ConnectionSettings, interval: Double = 2,
        report: @escaping @Sendable (_ waiting: Int32, _ holders: [LockHolder]) -> Void
    ) {
        let watched = watched
        task = PeriodicTask(
            interval: interval,
            setUp: { () -> Connection? in
                guard let connection = try? Connection.warehouse(settings), connection.server.engine == .postgres else { return nil }
                return connection
            },
            tick: { connection in
                for pid in watched.current.sorted() {
                    guard let holders = try? LockWait.holders(of: pid, on: connection), !holders.isEmpty else { continue }
                    report(pid, holders)
                }
            },
            tearDown: { $0.close() })
    }

    public func watch(_ pid: Int32) { watched.update { _ = $0.insert(pid) } }
    public func unwatch(_ pid: Int32) { watched.update { _ = $0.remove(pid) } }
    public func stop() { task.stop() }
}

extension LockHolder: CustomStringConvertible {
    /// "session 4242, idle in transaction for 12.0 s: LOCK TABLE staging.songs"
    public var description: String {
        "session \(pid), \(state) for \(Figures.duration(transactionSeconds)): \(query)"
    }
}
