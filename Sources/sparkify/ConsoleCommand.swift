import ArgumentParser
import Console
import Foundation
import Warehouse

/// `sparkify` with no subcommand: the ncurses console on the chosen target.
struct ConsoleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "console",
        abstract: "Open the console: cluster, row counts, the step-by-step load, a SQL editor with a result grid, validation suites (the default)."
    )

    @OptionGroup var target: TargetOptions
    @OptionGroup var load: LoadOptions

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The most rows the result grid keeps of one result; the grid says when a result is cut, and an export still writes every row.",
            valueName: "n"))
    var rowCap = 1_000_000

    @Flag(
        name: .long,
        help: "Leave the mouse to the terminal: no clicks or wheel in the console, so text can be selected with the mouse as usual.")
    var noMouse = false

    func validate() throws {
        guard rowCap >= 1 else { throw ValidationError("--row-cap must be 1 or more.") }
    }

    func run() throws {
        var choice: TargetChoice?
        try reportingErrors { choice = try target.resolve() }
        guard let choice else { return }
        guard isatty(STDIN_FILENO) == 1, isatty(STDOUT_FILENO) == 1 else {
            Terminal.note("the console needs a terminal; for scripts use the headless commands:")
            let out = StandardOutput()
            out.line(
                """
                  sparkify etl                          # load: drop, create, copy, insert
                  sparkify validate                     # the analytics team's checks
                  sparkify query "select count(*) from songplays"
                  sparkify --help
                """)
            try out.finish()
            throw ExitCode(2)
        }
        let setup = load.setup(choice)
        let kind: TargetKind
        if case .rehearsal = choice {
            kind = .rehearsal
        } else {
            kind = setup.config.map { $0.expectedEngine == .redshift ? .redshift : .postgres } ?? .embedded
        }
        let app = ConsoleApp(
            version: Sparkify.version, setup: setup, kind: kind, settings: kind == .rehearsal ? nil : setup.config?.connection,
            rowCap: rowCap, mouse: !noMouse)
        let status = app.run()
        if status != 0 { throw ExitCode(status) }
    }
}
