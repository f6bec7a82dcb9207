import Warehouse

/// EXPLAIN's plan as a tree: each node with what it took by itself (milliseconds after ANALYZE,
/// cost units before) and its share of the whole, the costliest one marked, its details dimmed
/// under it, and the planning and execution times at the end.
enum PlanView {
    struct Line: Equatable {
        var text: String
        var style: Style
    }

    static func lines(_ plan: QueryPlan) -> [Line] {
        var lines: [Line] = []
        let whole = plan.root.total ?? 0
        let costliest = plan.costliest
        func visit(_ node: QueryPlan.Node, path: [Int], lead: String, branch: String) {
            let marked = path == costliest
            lines.append(
                Line(
                    text: lead + branch + node.title + "  " + measure(node, plan: plan, whole: whole) + (marked ? "  ◆ costliest" : ""),
                    style: marked ? .bad : .heading))
            let inner = lead + (branch.isEmpty ? "" : (branch == "└─ " ? "   " : "│  "))
            let more = !node.children.isEmpty
            for detail in node.details { lines.append(Line(text: inner + (more ? "│  " : "   ") + detail, style: .dim)) }
            for (index, child) in node.children.enumerated() {
                visit(child, path: path + [index], lead: inner, branch: index == node.children.count - 1 ? "└─ " : "├─ ")
            }
        }
        visit(plan.root, path: [], lead: "", branch: "")
        if !plan.summary.isEmpty {
            lines.append(Line(text: "", style: .normal))
            lines += plan.summary.map { Line(text: $0, style: .dim) }
        }
        return lines
    }

    /// "412.3 ms by itself, 23% · 805,469 rows" or "cost 1,234 by itself, 23% · 805,469 rows est."
    static func measure(_ node: QueryPlan.Node, plan: QueryPlan, whole: Double) -> String {
        if node.neverExecuted { return "never executed" }
        guard let own = node.own else { return "" }
        let share = whole > 0 ? " \(Int((own / whole * 100).rounded()))%" : ""
        if plan.analyzed {
            let rows = node.actualRows.map { " · \(Figures.count(Int(($0 * node.loops).rounded()), "row"))" } ?? ""
            let loops = node.loops > 1 ? " in \(Figures.count(Int(node.loops))) loops" : ""
            return String(format: "%.1f ms by itself,", own) + share + rows + loops
        }
        let rows = node.estimatedRows.map { " · \(Figures.count(Int($0.rounded()))) rows est." } ?? ""
        return "cost \(Figures.count(Int(own.rounded()))) by itself," + share + rows
    }

    static func draw(_ screen: ScreenBuffer, _ rect: Rect, plan: QueryPlan, scroll: Int) {
        screen.fill(rect)
        let inner = rect.inner
        let all = lines(plan)
        let top = max(0, min(scroll, all.count - inner.height))
        let what = plan.analyzed ? "times are milliseconds (EXPLAIN ANALYZE)" : "costs are the planner's estimates"
        let note = (all.count > inner.height ? "lines \(top + 1)–\(min(all.count, top + inner.height)) of \(all.count) · " : "") + "Esc closes"
        Frame.draw(screen, rect, title: "Plan: \(what)", focused: true, note: note)
        for (offset, line) in all.dropFirst(top).prefix(inner.height).enumerated() {
            screen.put(
                TextFit.truncate(line.text, inner.width - 1), row: inner.row + offset, col: inner.col + 1, style: line.style, limit: inner.width - 1)
        }
    }
}
