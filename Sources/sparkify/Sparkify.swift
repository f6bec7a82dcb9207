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
        subcommands: [
            ConsoleCommand.self, ETLCommand.self, GenerateCommand.self, ValidateCommand.self, QueryCommand.self, LocalCommand.self,
            ClusterCommand.self,
        ],
        // `sparkify` alone, or with only --local/--config/--source, opens the console.
        defaultSubcommand: ConsoleCommand.self
    )
}
