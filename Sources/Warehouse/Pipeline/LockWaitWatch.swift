import Foundation

/// Watches a load's sessions for lock waits, from a session of its own, every `interval`
/// seconds: for each watched session, who holds the locks it waits for (empty: none, so a
/// front end can clear what it said). `sparkify etl` notes each holder instead of leaving a
/// progress line frozen; the console's runner shows them on the waiting step's line. Its
/// own session, not the console's monitor: a monitor busy counting a locked table would stop
/// watching when it matters.
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
                    guard let holders = try? LockWait.holders(of: pid, on: connection) else { continue }
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
