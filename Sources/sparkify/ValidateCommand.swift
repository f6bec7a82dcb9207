import ArgumentParser
import Foundation
import PostgresClient
import Warehouse

struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Run validation suites against the warehouse and judge each check.",
        discussion: """
            With no SUITE, runs the default suite (the analytics team's checks, which hold for any \
            correct load). Exits 0 when every judged check passes, 1 when one fails or its query \
            errs, 2 when a suite is malformed.
            """
    )

    @OptionGroup var target: TargetOptions

    @Argument(help: ArgumentHelp("Suite files (for example the expected.sql that generate wrote).", valueName: "suite"))
    var suites: [String] = []

    func run() throws {
        var loaded: [ValidationSuite] = []
        do {
            loaded =
                try suites.isEmpty
                ? [DefaultSuite.suite]
                : suites.map { path in
                    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                        throw SuiteError(
                            path: path, line: 0,
                            problem: FileManager.default.fileExists(atPath: path)
                                ? "cannot be read as UTF-8 text" : "no such file")
                    }
                    return try ValidationSuite.parse(path: path, text: text)
                }
        } catch {
            Terminal.note("\(error)")
            throw ExitCode(2)
        }
        var opened: Connection?
        try reportingErrors { opened = try target.connect() }
        guard let connection = opened else { return }

        var counts: [CheckResult.Verdict: Int] = [:]
        let out = StandardOutput()
        for suite in loaded {
            if loaded.count > 1 || !suites.isEmpty { out.line("\(suite.path)") }
            for check in suite.checks {
                let result = SuiteRunner.run(check, on: connection)
                counts[result.verdict, default: 0] += 1
                out.line(Self.line(result))
                if result.verdict == .shown { out.line(Self.preview(result)) }
                // Each check as it ends: a suite takes a while, and a full disk stops it.
                try out.finish()
            }
        }
        let total = counts.values.reduce(0, +)
        let failed = counts[.fail, default: 0] + counts[.error, default: 0]
        out.line("\(total) checks: \(counts[.pass, default: 0]) passed, \(failed) failed, \(counts[.shown, default: 0]) shown")
        try out.finish()
        if failed > 0 { throw ExitCode.failure }
    }

    static func line(_ result: CheckResult) -> String {
        let label: String
        switch result.verdict {
        case .pass: label = "PASS "
        case .fail: label = "FAIL "
        case .shown: label = "SHOW "
        case .error: label = "ERROR"
        }
        var text = "\(label) \(result.check.name)"
        if result.verdict == .pass, case .value(let value) = result.check.expectation { text += ": \(value)" }
        if let message = result.message { text += ": \(message)" }
        return text + "  (\(Figures.duration(result.elapsed)))"
    }

    /// The first rows of an informational check, indented under it.
    static func preview(_ result: CheckResult) -> String {
        guard !result.columns.isEmpty else { return "      (no rows)" }
        let rows = [result.columns] + result.rows.prefix(10).map { $0.map { $0 ?? "NULL" } }
        return String(TextColumns.render(rows, indent: "      ").dropLast())
    }
}
