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
                switch outcome {
                case .alreadyRunning: print("already running; socket in \(warehouse.socketDirectory)")
                case .started, .initializedAndStarted: print("started; socket in \(warehouse.socketDirectory)")
                }
            }
        }
    }

    struct Stop: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop it.")
        func run() throws {
            try reportingErrors {
                print(try EmbeddedWarehouse().stop() ? "stopped" : "not running")
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
                print("data:    \(status.dataDirectory)\(status.initialized ? "" : " (not created yet)")")
                print("socket:  \(status.socketDirectory)")
                if let pid = status.pid {
                    print("state:   running (pid \(pid))")
                } else {
                    print("state:   stopped")
                    throw ExitCode(3)
                }
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
