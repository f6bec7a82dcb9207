import ArgumentParser
import Foundation
import PostgresClient
import Warehouse

/// `--config PATH | --local`, shared by every command that talks to a warehouse.
struct TargetOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Read the cluster from this dwh.cfg.", valueName: "path"))
    var config: String?

    @Flag(name: .long, help: "Use the embedded PostgreSQL server, even if ./dwh.cfg exists.")
    var local = false

    @Flag(
        name: .long,
        help:
            "Rehearse the Redshift plan on the embedded server, Redshift's COPY and system views emulated (sources from --config or ./dwh.cfg, when given)."
    )
    var rehearse = false

    func validate() throws {
        if local && config != nil {
            throw ValidationError("--local and --config name different targets; give one.")
        }
        if local && rehearse {
            throw ValidationError("--local and --rehearse name different targets; give one.")
        }
    }

    func resolve() throws -> TargetChoice {
        let choice = try TargetChoice.resolve(local: local, rehearse: rehearse, configPath: config)
        choice.warnings.forEach { Terminal.warn($0) }
        return choice
    }

    /// Opens a connection to the chosen target, starting the embedded server if needed.
    func connect() throws -> Connection {
        let settings = try resolve().connectionSettings(progress: { Terminal.note($0) })
        return try Connection.warehouse(settings)
    }
}
