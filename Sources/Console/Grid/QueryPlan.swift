import Foundation
import Warehouse

/// A plan as EXPLAIN prints it in text, PostgreSQL's and Redshift's alike, read back into its
/// tree: each node with its estimates (and, after ANALYZE, its actual time, rows and loops), its
/// detail lines, its children. The text format is the one both engines share, so one reader
/// serves both; the console draws the tree and marks the node that costs the most by itself.
public struct QueryPlan: Sendable, Equatable {
    public struct Node: Sendable, Equatable {
        /// "Hash Left Join", "Seq Scan on events e", "XN Hash Join DS_DIST_NONE".
        public var title: String
        /// The lines under it: conditions, sort keys, buffers.
        public var details: [String] = []
        public var children: [Node] = []
        /// The planner's total cost and estimated rows.
        public var cost: Double?
        public var estimatedRows: Double?
        /// EXPLAIN ANALYZE: milliseconds until the last row of one loop, rows a loop, and loops.
        public var actualTime: Double?
        public var actualRows: Double?
        public var loops: Double = 1
        /// "never executed" under ANALYZE.
        public var neverExecuted = false

        /// What the node took in all (time with ANALYZE, else the cost estimate).
        public var total: Double? {
            if let actualTime { return actualTime * loops }
            return neverExecuted ? 0 : cost
        }

        /// What the node took by itself: its total less its children's.
        public var own: Double? {
            guard let total else { return nil }
            return max(0, total - children.compactMap(\.total).reduce(0, +))
        }
    }

    public var root: Node
    /// The lines after the tree: planning and execution time, JIT, a Redshift footer.
    public var summary: [String]
    /// ANALYZE ran: measures are milliseconds, not cost units.
    public var analyzed: Bool { root.actualTime != nil }

    /// The plan in `lines` (one a row of EXPLAIN's result); nil when they are not a plan.
    public static func parse(_ lines: [String]) -> QueryPlan? {
        guard let first = lines.first, first.contains("(cost=") || first.contains("(actual") else { return nil }
        var root = node(from: first.trimmingCharacters(in: .whitespaces))
        // The path from the root to the node being filled, with the column each node's arrow is at.
        var path: [(indent: Int, node: Node)] = [(0, root)]
        var summary: [String] = []

        func closeUntil(_ indent: Int) {
            while path.count > 1, path[path.count - 1].indent >= indent {
                let done = path.removeLast().node
                path[path.count - 1].node.children.append(done)
            }
        }

        for line in lines.dropFirst() {
            let indent = line.prefix { $0 == " " }.count
            let text = line.trimmingCharacters(in: .whitespaces)
            if !summary.isEmpty || (indent == 0 && !text.hasPrefix("->")) {
                summary.append(line)
                continue
            }
            if text.hasPrefix("->") {
                closeUntil(indent)
                path.append((indent, node(from: String(text.dropFirst(2)).trimmingCharacters(in: .whitespaces))))
            } else {
                // A detail line sits deeper than its node's arrow; one at or left of it belongs higher up.
                closeUntil(indent)
                path[path.count - 1].node.details.append(text)
            }
        }
        closeUntil(0)
        root = path[0].node
        return QueryPlan(root: root, summary: summary)
    }

    /// The node that took the most by itself (the first of equals), as child indices from the root.
    public var costliest: [Int] {
        var best: (own: Double, path: [Int]) = (-1, [])
        func visit(_ node: Node, _ path: [Int]) {
            if let own = node.own, own > best.own { best = (own, path) }
            for (index, child) in node.children.enumerated() { visit(child, path + [index]) }
        }
        visit(root, [])
        return best.path
    }

    /// "Hash Join  (cost=1.00..2.00 rows=3 width=4) (actual time=0.1..0.2 rows=3 loops=1)"
    private static func node(from line: String) -> Node {
        let open = line.range(of: "  (") ?? line.range(of: " (cost=") ?? line.range(of: " (actual")
        var node = Node(title: open.map { String(line[..<$0.lowerBound]) } ?? line)
        let measures = open.map { String(line[$0.lowerBound...]) } ?? ""
        if let cost = value(after: "cost=", in: measures, upper: true) { node.cost = cost }
        if let costPart = measures.range(of: "(cost=").map({ String(measures[$0.upperBound...].prefix { $0 != ")" }) }) {
            node.estimatedRows = value(after: "rows=", in: costPart)
        }
        if let actualPart = measures.range(of: "(actual").map({ String(measures[$0.upperBound...].prefix { $0 != ")" }) }) {
            node.actualTime = value(after: "time=", in: actualPart, upper: true)
            node.actualRows = value(after: "rows=", in: actualPart)
            node.loops = value(after: "loops=", in: actualPart) ?? 1
        }
        node.neverExecuted = measures.contains("never executed")
        return node
    }

    /// The number after `key` ("cost=0.00..8.17": with `upper`, the number after the dots).
    private static func value(after key: String, in text: String, upper: Bool = false) -> Double? {
        guard let start = text.range(of: key) else { return nil }
        var number = text[start.upperBound...].prefix { $0.isNumber || $0 == "." || $0 == "-" || $0 == "e" || $0 == "+" }
        if upper, let dots = number.range(of: "..") { number = number[dots.upperBound...] }
        return Double(number)
    }
}
