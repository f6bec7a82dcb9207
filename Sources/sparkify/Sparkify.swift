import ArgumentParser
import Foundation

@main
struct Sparkify: ParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "sparkify",
        abstract: "Load and check the Sparkify music-streaming warehouse, on Redshift or PostgreSQL.",
        discussion: """
        With no subcommand, sparkify opens its console. The target is ./dwh.cfg when present, \
        --config PATH when given, and otherwise an embedded PostgreSQL server that sparkify \
        runs for itself (--local forces that one).
        """,
        version: version,
        subcommands: [ETLCommand.self, GenerateCommand.self, ValidateCommand.self, QueryCommand.self, LocalCommand.self]
    )

    @OptionGroup var target: TargetOptions

    func run() throws {
        // The console arrives with its own issue; until then, show the target is live and say
        // what works today.
        try reportingErrors {
            let connection = try target.connect()
            let place = connection.settings.host ?? "libpq default"
            print("sparkify \(Self.version): connected to \(connection.server.shortVersion) at \(place), database \(connection.settings.database ?? "")")
            print("""
            The console is not built yet. Try:
              sparkify etl --local                 # load the demo data, step by step
              sparkify validate --local            # the analytics team's checks
              sparkify query "select count(*) from songplays"
              sparkify --help
            """)
        }
    }
}
