import Foundation
import Warehouse
import XCTest

/// A real terminal for end-to-end tests: the binary runs in a tmux pane, keys go in with
/// `send-keys`, and the screen comes back with `capture-pane`. Each test run has its own tmux
/// server (its own socket), so it never touches the user's sessions.
final class TmuxSession {
    static let socket = "sparkify-tests-\(getpid())"
    let name: String

    /// Starts `arguments` (the sparkify binary's) in a detached session of `cols` x `rows`. When
    /// the program ends, the pane prints `EXIT=<status>` and the terminal's line settings, then
    /// stays open for the test to read.
    init(_ arguments: [String], environment: [String: String] = [:], rows: Int = 36, cols: Int = 120) throws {
        name = "t\(UInt32.random(in: 0...UInt32.max))"
        var environment = environment
        // The query history and the editor's text go to a scratch state directory of this
        // session's own, never the user's (a test that restarts the console passes its own).
        if environment["XDG_STATE_HOME"] == nil { environment["XDG_STATE_HOME"] = TestServer.scratchDirectory("tmux-state-\(name)") }
        let variables = environment.map { "\($0.key)=\(Self.quoted($0.value))" }.joined(separator: " ")
        let program = ([SparkifyBinary.path] + arguments).map(Self.quoted).joined(separator: " ")
        let script =
            "env TERM=tmux-256color \(variables) \(program); echo EXIT=$?; stty -a | tr ';' '\\n' | grep -wE 'icanon|echo' | tr -d ' ' | tr '\\n' ' '; echo; sleep 600"
        try Self.keepServer()
        try Self.tmux(["new-session", "-d", "-s", name, "-x", String(cols), "-y", String(rows), script])
    }

    /// tmux ends its server when its last session closes; a test opening the next session in
    /// that moment is told "server exited unexpectedly". One idle session keeps the server up
    /// until `killServer` at the end of the run.
    private static func keepServer() throws {
        if (try? tmux(["has-session", "-t", "keepalive"])) != nil { return }
        try tmux(["new-session", "-d", "-s", "keepalive", "sleep 3600"])
    }

    deinit { _ = try? Self.tmux(["kill-session", "-t", name]) }

    /// The screen as text, one line per row.
    func screen() throws -> String { try Self.tmux(["capture-pane", "-p", "-t", name]) }

    /// The screen with its colours and attributes as escape sequences (for screenshots).
    func screenWithColours() throws -> String { try Self.tmux(["capture-pane", "-p", "-e", "-t", name]) }

    /// Named keys ("Enter", "Tab", "C-c", "F1") or literal characters.
    func press(_ keys: String...) throws { try press(keys) }
    func press(_ keys: [String]) throws { try Self.tmux(["send-keys", "-t", name] + keys) }

    /// Literal text. tmux reads an argument ending in ";" as the end of its command, so a
    /// trailing semicolon is escaped.
    func type(_ text: String) throws {
        let argument = text.hasSuffix(";") ? String(text.dropLast()) + "\\;" : text
        try Self.tmux(["send-keys", "-t", name, "-l", argument])
    }

    /// Esc in the editor (where Tab completes) moves to the result grid. The next key waits
    /// until the grid has the focus: sent at once, it would reach the program as Alt and that key.
    func leaveEditor() throws {
        try press("Escape")
        try waitFor(text: "/ search")
    }

    func resize(rows: Int, cols: Int) throws {
        try Self.tmux(["resize-window", "-t", name, "-x", String(cols), "-y", String(rows)])
    }

    /// The pid of the program in the pane (the shell's child).
    func programPID() throws -> pid_t {
        let shell = try Self.tmux(["display-message", "-p", "-t", name, "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        let children = try ProcessRunner.run("/usr/bin/pgrep", ["-P", shell]).output
        guard let pid = children.split(separator: "\n").first.flatMap({ pid_t($0) }) else {
            throw Failure(description: "no program is running in the pane (shell \(shell))")
        }
        return pid
    }

    /// Waits until the screen satisfies `condition`, polling; fails with the last screen.
    @discardableResult
    func waitFor(
        _ what: String, timeout: Double = 60, file: StaticString = #filePath, line: UInt = #line,
        _ condition: (String) -> Bool
    ) throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var last = ""
        while Date() < deadline {
            last = try screen()
            if condition(last) { return last }
            usleep(100_000)
        }
        XCTFail("timed out waiting for \(what); the screen was:\n\(last)", file: file, line: line)
        throw Failure(description: "timed out waiting for \(what)")
    }

    @discardableResult
    func waitFor(text: String, timeout: Double = 60, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        try waitFor("\"\(text)\"", timeout: timeout, file: file, line: line) { $0.contains(text) }
    }

    struct Failure: Error, CustomStringConvertible { var description: String }

    @discardableResult
    static func tmux(_ arguments: [String]) throws -> String {
        let outcome = try ProcessRunner.run("/usr/bin/tmux", ["-L", socket] + arguments)
        guard outcome.status == 0 else {
            throw Failure(description: "tmux \(arguments.prefix(2).joined(separator: " ")) failed: \(outcome.output)")
        }
        return outcome.output
    }

    static func killServer() { _ = try? tmux(["kill-server"]) }

    private static func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }
}

extension String {
    /// The line of a captured screen that contains `needle`.
    func line(containing needle: String) -> String? {
        split(separator: "\n", omittingEmptySubsequences: false).first { $0.contains(needle) }.map(String.init)
    }

    /// A table's count as the Tables pane shows it: the number beside the table's name, under
    /// its schema's heading, in the left column.
    func paneCount(_ qualifiedName: String) -> String? {
        let parts = qualifiedName.split(separator: ".").map(String.init)
        var schema = ""
        for line in split(separator: "\n") {
            let columns = line.split(separator: "│", omittingEmptySubsequences: false)
            guard columns.count > 1 else { continue }
            let words = columns[1].split(separator: " ").map(String.init)
            if words.count == 1 { schema = words[0] }
            if words.count == 2, schema == parts[0], words[0] == parts[1] { return words[1] }
        }
        return nil
    }
}
