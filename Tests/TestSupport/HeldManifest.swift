import Foundation

@testable import PostgresClient
@testable import Warehouse

/// `sparkify etl` caught inside its copy steps, whatever the machine's speed: the tables are
/// created first, then another session holds the load manifest, so each copy sends its rows
/// and waits to record its files, in its transaction. For tests that interrupt, kill or watch
/// a load there.
struct HeldManifest {
    let settings: ConnectionSettings
    let config: String
    /// The session holding the manifest (`release()` lets the copies go on).
    let holder: Connection
    /// A session of its own, to read the database while the load waits.
    let watcher: Connection
    let etl: ProcessRunner.Running

    struct CreateFailed: Error, CustomStringConvertible {
        var description: String
    }

    /// `steps`: what `etl` runs once the tables exist (`copy`, `copy,insert`…).
    init(_ label: String, data: Dataset, steps: String) throws {
        settings = try TestServer.freshDatabase(label)
        config = SparkifyBinary.configForTestServer(database: settings.database!)
        let created = try SparkifyBinary.run(["etl", "--config", config, "--source", data.root, "--steps", "drop,create"])
        guard created.status == 0 else { throw CreateFailed(description: created.stderr) }
        watcher = try Connection.warehouse(settings)
        holder = try Connection.warehouse(settings)
        try holder.execute("begin; lock table staging.load_manifest in share mode;")
        etl = try ProcessRunner.start(
            SparkifyBinary.path, ["etl", "--config", config, "--source", data.root, "--steps", steps],
            environment: ProcessInfo.processInfo.environment, separateErrors: true)
    }

    func release() throws { try holder.execute("rollback") }
}
