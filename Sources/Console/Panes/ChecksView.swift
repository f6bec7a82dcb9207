import Warehouse

/// A validation suite's report: a row a check with its verdict, expected and actual value and
/// time; under it, the selected check's message. Enter opens the check's query and result.
enum ChecksView {
    static func note(_ validation: ValidationState) -> String {
        let total = validation.suite.checks.count
        if validation.running != nil { return "running \(validation.done + 1) of \(total)" }
        let shown = validation.results.filter { $0?.verdict == .shown }.count
        return "\(validation.passed) passed · \(validation.failed) failed" + (shown > 0 ? " · \(shown) shown" : "")
            + " · \(total) \(total == 1 ? "check" : "checks")"
    }

    static func draw(_ screen: ScreenBuffer, _ inner: Rect, _ validation: ValidationState, focused: Bool) {
        guard inner.height >= 2, inner.width >= 20 else { return }
        let body = Rect(row: inner.row, col: inner.col + 1, height: inner.height, width: inner.width - 1)
        let timeWidth = 8
        let valueWidth = max(6, min(16, (body.width - 3 - timeWidth) / 5))
        let nameWidth = max(8, body.width - 3 - 2 * (valueWidth + 1) - timeWidth - 1)
        var col = body.col + 3
        col += screen.put(TextFit.fit("check", nameWidth) + " ", row: body.row, col: col, style: .heading, clip: body)
        col += screen.put(TextFit.fit("expected", valueWidth) + " ", row: body.row, col: col, style: .heading, clip: body)
        col += screen.put(TextFit.fit("actual", valueWidth) + " ", row: body.row, col: col, style: .heading, clip: body)
        screen.put(TextFit.fit("time", timeWidth, .right), row: body.row, col: col, style: .heading, clip: body)
        let listHeight = listRows(inBody: body)
        let top = max(0, min(validation.top, validation.suite.checks.count - listHeight))
        for (offset, check) in validation.suite.checks.enumerated().dropFirst(top).prefix(listHeight) {
            let row = body.row + 1 + offset - top
            let outcome = validation.results[offset]
            let (mark, style) = verdict(outcome, running: validation.running == offset)
            screen.put(mark, row: row, col: body.col, style: style, clip: body)
            var col = body.col + 3
            col += screen.put(TextFit.fit(check.name, nameWidth) + " ", row: row, col: col, clip: body)
            col += screen.put(TextFit.fit(expected(check), valueWidth) + " ", row: row, col: col, style: .dim, clip: body)
            col += screen.put(
                TextFit.fit(outcome.map(actual) ?? "", valueWidth) + " ", row: row, col: col,
                style: outcome?.verdict == .fail || outcome?.verdict == .error ? .bad : .normal, clip: body)
            screen.put(
                TextFit.fit(outcome.map { ClusterPane.latency($0.elapsed) } ?? "", timeWidth, .right),
                row: row, col: col, style: .dim, clip: body)
            if offset == validation.selected {
                screen.restyle(Rect(row: row, col: body.col + 3, height: 1, width: nameWidth), focused ? .selected : .heading)
            }
        }
        // The selected check's verdict in words, under the list.
        let selected = validation.suite.checks.indices.contains(validation.selected) ? validation.selected : 0
        if let outcome = validation.results[selected], let message = outcome.message {
            let lines = TextFit.wrap(message, body.width)
            for (offset, line) in lines.prefix(2).enumerated() {
                screen.put(line, row: body.row + body.height - 2 + offset, col: body.col, style: .bad, clip: body)
            }
        } else {
            screen.put(
                "Enter opens the check's query and its whole result", row: body.row + body.height - 1, col: body.col,
                style: .dim, clip: body)
        }
    }

    /// Checks listed at once in a results pane of `rect`: the body less the header line and the
    /// two lines of the selected check's message.
    static func listRows(in rect: Rect) -> Int { listRows(inBody: ResultsPane.body(of: rect)) }

    private static func listRows(inBody body: Rect) -> Int { max(1, body.height - 3) }

    static func verdict(_ outcome: CheckResult?, running: Bool) -> (String, Style) {
        if running { return ("▶", .running) }
        switch outcome?.verdict {
        case nil: return ("·", .dim)
        case .pass: return ("✓", .good)
        case .fail: return ("✕", .bad)
        case .error: return ("!", .bad)
        case .shown: return ("○", .dim)
        }
    }

    static func expected(_ check: ValidationSuite.Check) -> String {
        switch check.expectation {
        case .none: return "(shown)"
        case .value(let value): return check.tolerance.map { "\(value) ±\($0)" } ?? value
        case .rows(let rows, let ordered): return "\(rows.count) \(rows.count == 1 ? "row" : "rows")\(ordered ? "" : " (set)")"
        }
    }

    static func actual(_ outcome: CheckResult) -> String {
        if outcome.verdict == .error { return "error" }
        if case .value = outcome.check.expectation, outcome.rows.count == 1, outcome.rows[0].count == 1 {
            return outcome.rows[0][0] ?? "NULL"
        }
        return "\(outcome.rows.count) \(outcome.rows.count == 1 ? "row" : "rows")"
    }
}
