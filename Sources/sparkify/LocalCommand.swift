import ArgumentParser
import Foundation
import Warehouse

struct LocalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "local",
        abstract: "Start, stop or inspect the embedded PostgreSQL server.",
        subcommands: [Start.self, Stop.self, Status.self]
    )

    struct Start: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Start it (creating it on first use).")
        func run() throws {
            try reportingErrors {
                let warehouse = try EmbeddedWarehouse()
                let outcome = try warehouse.start(progress: { Terminal.note($0) })
                let out = StandardOutput()
                switch outcome {
                case .alreadyRunning: out.line("already running; socket in \(warehouse.socketDirectory)")
                case .started, .initializedAndStarted: out.line("started; socket in \(warehouse.socketDirectory)")
                }
                try out.finish()
            }
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop it.")
        func run() throws {
            try reportingErrors {
                let out = StandardOutput()
                out.line(try EmbeddedWarehouse().stop() ? "stopped" : "not running")
                try out.finish()
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Say whether it runs, and where it keeps its data. Exits 3 when it is not running."
        )
        func run() throws {
            try reportingErrors {
                let status = try EmbeddedWarehouse().status()
                let out = StandardOutput()
                out.line("data:    \(status.dataDirectory)\(status.initialized ? "" : " (not created yet)")")
                out.line("socket:  \(status.socketDirectory)")
                out.line("state:   " + (status.pid.map { "running (pid \($0))" } ?? "stopped"))
                try out.finish()
                if status.pid == nil { throw ExitCode(3) }
            }
        }
    }
}

/// Prints an engine error the way a user needs it and exits 1; lets ArgumentParser's own exits through.
func reportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        Terminal.report(error)
        throw ExitCode.failure
    }
}
