import XCTest

@testable import TestSupport
@testable import Warehouse

/// The completion scripts `scripts/install` puts in place, generated from the argument parser's
/// definitions: sourced into a real bash, they complete the subcommands and their options.
final class ShellCompletionTests: XCTestCase {
    /// What bash's completion offers for `line` (the cursor at its end).
    private func bashCompletes(_ line: String) throws -> [String] {
        let words = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let script = """
            source <('\(SparkifyBinary.path)' --generate-completion-script bash)
            COMP_WORDS=(\(words.map { "'\($0)'" }.joined(separator: " "))); COMP_CWORD=\(words.count - 1)
            COMP_LINE='\(line)'; COMP_POINT=\(line.count)
            _sparkify sparkify '\(words.last!)' '\(words[words.count - 2])'
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let answer = try ProcessRunner.run("/bin/bash", ["-c", script], environment: ProcessInfo.processInfo.environment)
        XCTAssertEqual(answer.status, 0, answer.output)
        return answer.output.split(separator: "\n").map(String.init)
    }

    func testBashCompletesSubcommandsAndTheirOptions() throws {
        XCTAssertEqual(try bashCompletes("sparkify e"), ["etl"])
        XCTAssertEqual(try bashCompletes("sparkify va"), ["validate"])
        XCTAssertTrue(try bashCompletes("sparkify etl --st").contains("--steps"))
        XCTAssertTrue(try bashCompletes("sparkify query --fo").contains("--format"))
    }

    func testZshAndFishScriptsNameEverySubcommand() throws {
        for shell in ["zsh", "fish"] {
            let script = try SparkifyBinary.run(["--generate-completion-script", shell])
            XCTAssertEqual(script.status, 0, script.stderr)
            for subcommand in ["etl", "query", "validate", "generate", "cluster", "local"] {
                XCTAssertTrue(script.stdout.contains(subcommand), "\(shell) completes \(subcommand)")
            }
        }
    }
}
