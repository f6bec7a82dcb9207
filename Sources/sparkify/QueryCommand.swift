import ArgumentParser
import Foundation
import PostgresClient
import Warehouse

struct QueryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Run SQL and stream its rows to stdout.",
        discussion: """
            The SQL comes as one argument, from a file (-f FILE), or from standard input \
            (-f - or a lone -): an argument is capped at 128 KiB by the system. A COPY … TO STDOUT \
            writes its data as the server sends it. Ctrl-C cancels the statement on the server and exits 130.
            """
    )

    @OptionGroup var target: TargetOptions

    @Option(name: .long, help: "table, csv or json.")
    var format: OutputFormat = .table

    @Option(name: [.customShort("f"), .long], help: ArgumentHelp("Read the SQL from this file (- for standard input).", valueName: "file"))
    var file: String?

    // Unrecognised words are the SQL too, so an argument such as "-- a comment" is SQL, not a flag.
    @Argument(parsing: .allUnrecognized, help: "The SQL to run (several statements may be separated by semicolons); - reads standard input.")
    var arguments: [String] = []

    func validate() throws {
        if file != nil && !arguments.isEmpty { throw ValidationError("give the SQL once: as an argument or with -f, not both.") }
        if file == nil && arguments.isEmpty { throw ValidationError("no SQL: give it as an argument, with -f FILE, or - to read standard input.") }
        if arguments.count > 1 {
            if let option = arguments.first(where: Self.looksLikeAnOption) { throw ValidationError("unknown option '\(option)'.") }
            throw ValidationError("give the SQL as one argument (quote it): got \(arguments.count) words.")
        }
        if let only = arguments.first, Self.looksLikeAnOption(only) { throw ValidationError("unknown option '\(only)'.") }
    }

    /// `--formt`: a mistyped flag, not SQL (a comment has a space or nothing after its dashes).
    static func looksLikeAnOption(_ word: String) -> Bool {
        word.hasPrefix("--") && word.dropFirst(2).first.map { $0.isLetter } == true && !word.contains(" ")
    }

    /// The SQL, from the argument, the file or standard input.
    private func readSQL() throws -> String {
        let source = file ?? (arguments.first == "-" ? "-" : nil)
        guard let source else { return arguments.first ?? "" }
        if source == "-" {
            return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
        }
        guard let data = FileManager.default.contents(atPath: source) else {
            throw ValidationError("\(source): cannot be read (no such file, or no permission).")
        }
        return String(decoding: data, as: UTF8.self)
    }

    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case table, csv, json
    }

    func run() throws {
        let sql = try readSQL()
        guard !SQLStatements(Array(sql)).statements.isEmpty else {
            Terminal.note("nothing to run: the SQL holds no statement (only blanks, comments or semicolons)")
            throw ExitCode(2)
        }
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
        var copied = false
        do {
            let summary = try connection.stream(
                sql,
                columns: { columns in
                    if open { writer.finish(rows: rowsInSet, commandTag: "") }
                    writer.begin(columns: columns)
                    open = true
                    rowsInSet = 0
                },
                copyOut: { data in
                    // COPY has a format of its own: its lines go out as the server wrote them.
                    if open {
                        writer.finish(rows: rowsInSet, commandTag: "")
                        open = false
                    }
                    if let failure = output.failure { throw failure }
                    output.append(bytes: data)
                    copied = true
                },
                row: { row in
                    // A full disk stops the query where it is, not a million rows later.
                    if let failure = output.failure { throw failure }
                    writer.write(row: row)
                    rowsInSet += 1
                })
            if open || !copied { writer.finish(rows: rowsInSet, commandTag: open ? "" : summary.commandTag) }
            try output.finish()
        } catch {
            output.flush()
            if let failure = error as? OutputFailure ?? output.failure {
                Terminal.note(failure.description)
                throw ExitCode.failure
            }
            if interrupt.fired, (error as? DatabaseError)?.isCancellation == true {
                Terminal.write("sparkify: cancelled\n")
                throw ExitCode(130)
            }
            Terminal.report(error, statement: sql)
            throw ExitCode.failure
        }
    }
}
