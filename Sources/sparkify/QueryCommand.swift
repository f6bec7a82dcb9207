import ArgumentParser
import Foundation
import Warehouse

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run SQL and stream its rows to stdout.",
        discussion: "Ctrl-C cancels the statement on the server and exits 130."
    )

    @OptionGroup var target: TargetOptions

    @Option(name: .long, help: "table, csv or json.")
    var format: OutputFormat = .table

    @Argument(help: "The SQL to run (several statements may be separated by semicolons).")
    var sql: String

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case table, csv, json
    }

    func run() throws {
        var opened: Connection?
        try reportingErrors { opened = try target.connect() }
        guard let connection = opened else { return }
        connection.onNotice = { Terminal.write("\($0.severity): \($0.message)\n") }
        let canceller = connection.canceller
        let interrupt = InterruptWatch { canceller.cancel() }
        defer { interrupt.stop() }

        let output = OutputBuffer(descriptor: STDOUT_FILENO)
        let writer = ResultFormat(rawValue: format.rawValue)!.makeWriter(output: output)
        var rowsInSet = 0
        var open = false
        do {
            let summary = try connection.stream(
                sql,
                columns: { columns in
                    if open { writer.finish(rows: rowsInSet, commandTag: "") }
                    writer.begin(columns: columns)
                    open = true
                    rowsInSet = 0
                },
                row: { row in
                    writer.write(row: row)
                    rowsInSet += 1
                })
            writer.finish(rows: rowsInSet, commandTag: open ? "" : summary.commandTag)
        } catch {
            output.flush()
            if interrupt.fired, (error as? DatabaseError)?.isCancellation == true {
                Terminal.write("sparkify: cancelled\n")
                throw ExitCode(130)
            }
            Terminal.report(error, statement: sql)
            throw ExitCode.failure
        }
    }
}
