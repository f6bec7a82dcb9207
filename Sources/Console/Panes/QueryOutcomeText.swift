import Warehouse

/// A query outcome in words: the headline for the result pane and the grid's footer, and the
/// lines under a failure (the server's detail, hint, and where in the editor it points).
extension QueryOutcome {
    var headline: String {
        switch self {
        case .finished(let summary): return Self.words(summary)
        case .runFinished(let statements, let elapsed, let last):
            return "\(statements) statements in \(ClusterPane.latency(elapsed)); last: " + Self.words(last)
        case .failed(let index, let count, let problem, _):
            return Self.place(index, count) + (problem.sqlState.map { "ERROR \($0): " } ?? "") + problem.message
        case .cancelled(let index, let count, let elapsed, let rowsKept):
            let kept = rowsKept > 0 ? " (\(Figures.count(rowsKept)) \(rowsKept == 1 ? "row" : "rows") kept)" : ""
            return Self.place(index, count) + "cancelled on the server after \(Figures.duration(elapsed)); the session is ready" + kept
        case .cancelling: return "cancelling on the server…"
        case .validated(let passed, let failed, let checks, let firstFailed):
            let first = firstFailed.map { failed == 1 ? " (\($0))" : " (first: \($0))" } ?? ""
            return "validation: \(passed) passed, \(failed) failed\(first) of \(Figures.count(checks, "check"))"
        case .validationCancelled(let done, let checks):
            return "validation cancelled after \(done) of \(Figures.count(checks)) \(checks == 1 ? "check" : "checks")"
        case .fileProblem(let message): return message
        case .refused(.busy): return "a query is running: Ctrl-C cancels it"
        case .refused(.nothingToRun): return "nothing to run: write a statement first"
        case .said(.expandedOn): return "expanded display is on: the selected record as name and value (\\x again: off)"
        case .said(.expandedOff): return "expanded display is off"
        case .said(.timing): return "every run is timed here: the time is beside each result"
        case .said(.saved(let path)): return "saved to \(path)"
        case .said(.opened(let path)): return "opened \(path) (Ctrl-Z brings the old text back)"
        }
    }

    /// Under a failure: DETAIL, HINT, and the editor position; nothing for other outcomes.
    var details: [String] {
        guard case .failed(_, _, let problem, let at) = self else { return [] }
        var lines = [problem.detail.map { "DETAIL: \($0)" }, problem.hint.map { "HINT: \($0)" }].compactMap { $0 }
        if let at { lines.append("at line \(at.line + 1), column \(at.column + 1) of the editor") }
        return lines
    }

    private static func place(_ index: Int, _ count: Int) -> String {
        count > 1 ? "statement \(index + 1) of \(count): " : ""
    }

    private static func words(_ summary: StatementSummary) -> String {
        var text: String
        if summary.capped {
            text = "first \(Figures.count(summary.rows)) rows (the row cap, --row-cap) of a larger result"
        } else if summary.returnedRows {
            text = "\(Figures.count(summary.rows)) \(summary.rows == 1 ? "row" : "rows")"
        } else {
            text = summary.commandTag.isEmpty ? "done" : summary.commandTag
        }
        text += " in \(ClusterPane.latency(summary.elapsed))"
        return place(summary.index, summary.count) + text
    }
}
