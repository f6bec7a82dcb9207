import Foundation
import PostgresClient

/// Watches the sessions a load's steps run on for lock waits, from a session of its own, every
/// `interval` seconds: for each running step, who holds the locks it waits for (empty: none,
/// so a front end can clear what it said). The load driver keeps it told which step runs on
/// which session, the runner's and the second one; `sparkify etl` notes each holder instead of
/// leaving a progress line frozen, the console shows them on the step's line. Its own session,
/// not the console's monitor: a monitor busy counting a locked table would stop watching just
/// when it matters.
final class LockWaitWatch: Sendable {
    /// The step each watched session (its server process) runs now.
    private let running = Locked<[Int32: LoadStep]>([:])
    private let task: PeriodicTask

    init(settings: ConnectionSettings, interval: Double = 2, report: @escaping @Sendable (LoadStep, [LockHolder]) -> Void) {
        let running = running
        task = PeriodicTask(
            interval: interval,
            setUp: { () -> Connection? in
                guard let connection = try? Connection.warehouse(settings), connection.server.engine == .postgres else { return nil }
                return connection
            },
            tick: { connection in
                for (pid, step) in running.current.sorted(by: { $0.key < $1.key }) {
                    guard let holders = try? LockWait.holders(of: pid, on: connection) else { continue }
                    // A step that ended while its session was asked about is not reported.
                    guard running.current[pid] == step else { continue }
                    report(step, holders)
                }
            },
            tearDown: { $0.close() })
    }

    func began(_ step: LoadStep, on pid: Int32) { running.update { $0[pid] = step } }
    func ended(on pid: Int32) { running.update { $0[pid] = nil } }
    func stop() { task.stop() }
}

extension LockHolder: CustomStringConvertible {
    /// "session 4242, idle in transaction for 12.0 s: LOCK TABLE staging.songs"
    public var description: String {
        "session \(pid), \(state) for \(Figures.duration(transactionSeconds)): \(query)"
    }
}
