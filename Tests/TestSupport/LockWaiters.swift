import Foundation

@testable import PostgresClient
@testable import Warehouse

extension Connection {
    /// Waits up to ten seconds until `sessions` sessions of this database wait on a lock; false
    /// if they never did. Tests hold a table another session needs so that a step is caught
    /// inside its transaction every time, however fast the machine loads.
    func waitForLockWaiters(_ sessions: Int = 1) throws -> Bool {
        for _ in 0..<100 {
            let waiting = try execute(
                "select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'"
            ).scalar
            if let waiting, let count = Int(waiting), count >= sessions { return true }
            usleep(100_000)
        }
        return false
    }
}
