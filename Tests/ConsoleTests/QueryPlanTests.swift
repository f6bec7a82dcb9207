import XCTest

@testable import Console
@testable import TestSupport
@testable import Warehouse

/// EXPLAIN's text read back into its tree, PostgreSQL's (from the test server) and Redshift's.
final class QueryPlanTests: XCTestCase {
    func testAnAnalyzedPlanFromTheServerIsATreeWithTheCostliestNodeFound() throws {
        let connection = try TestServer.connect()
        try connection.execute("drop table if exists plan_a, plan_b; create table plan_a (id int, v text); create table plan_b (id int)")
        try connection.execute(
            "insert into plan_a select g, md5(g::text) from generate_series(1, 20000) g; insert into plan_b select g from generate_series(1, 20000, 2) g"
        )
        let lines = try connection.execute(
            "explain (analyze, buffers) select a.v from plan_a a join plan_b b on b.id = a.id order by a.v"
        ).rows.map { $0[0] ?? "" }
        let plan = try XCTUnwrap(QueryPlan.parse(lines), lines.joined(separator: "\n"))
        XCTAssertTrue(plan.analyzed)
        XCTAssertEqual(plan.root.title, "Sort")
        XCTAssertTrue(plan.root.details.contains { $0.hasPrefix("Sort Key:") }, "\(plan.root.details)")
        let join = try XCTUnwrap(plan.root.children.first)
        XCTAssertTrue(join.title.contains("Join"), join.title)
        XCTAssertEqual(join.children.count, 2, "a join has two inputs")
        XCTAssertEqual(join.actualRows, 10000)
        XCTAssertTrue(plan.summary.contains { $0.hasPrefix("Execution Time:") }, "\(plan.summary)")
        // Every node's own time is its total less its children's, and none is negative.
        func check(_ node: QueryPlan.Node) {
            XCTAssertGreaterThanOrEqual(node.own ?? -1, 0, node.title)
            node.children.forEach(check)
        }
        check(plan.root)
        var costliest = plan.root
        for index in plan.costliest { costliest = costliest.children[index] }
        func all(_ node: QueryPlan.Node) -> [QueryPlan.Node] { [node] + node.children.flatMap(all) }
        XCTAssertEqual(costliest.own, all(plan.root).compactMap(\.own).max())
    }

    func testARedshiftPlanReadsTheSameWay() throws {
        let lines = [
            "XN Merge  (cost=1000000000136.38..1000000000137.82 rows=576 width=33)",
            "  Merge Key: sum(sales.pricepaid)",
            "  ->  XN Network  (cost=1000000000136.38..1000000000137.82 rows=576 width=33)",
            "        Send to leader",
            "        ->  XN Sort  (cost=1000000000136.38..1000000000137.82 rows=576 width=33)",
            "              ->  XN HashAggregate  (cost=95.88..110.28 rows=576 width=33)",
            "                    ->  XN Hash Join DS_BCAST_INNER  (cost=6.50..93.00 rows=576 width=33)",
            "                          Hash Cond: (\"outer\".eventid = \"inner\".eventid)",
            "                          ->  XN Seq Scan on sales  (cost=0.00..1724.56 rows=172456 width=14)",
            "                          ->  XN Hash  (cost=5.20..5.20 rows=520 width=27)",
            "                                ->  XN Seq Scan on event  (cost=0.00..5.20 rows=520 width=27)",
            "----- Tables missing statistics: sales -----",
        ]
        let plan = try XCTUnwrap(QueryPlan.parse(lines))
        XCTAssertFalse(plan.analyzed)
        XCTAssertEqual(plan.root.title, "XN Merge")
        var node = plan.root
        for title in ["XN Network", "XN Sort", "XN HashAggregate", "XN Hash Join DS_BCAST_INNER"] {
            node = try XCTUnwrap(node.children.first)
            XCTAssertEqual(node.title, title)
        }
        XCTAssertEqual(node.children.map(\.title), ["XN Seq Scan on sales", "XN Hash"])
        XCTAssertEqual(node.details, ["Hash Cond: (\"outer\".eventid = \"inner\".eventid)"])
        XCTAssertEqual(plan.root.children[0].details, ["Send to leader"])
        XCTAssertEqual(plan.summary, ["----- Tables missing statistics: sales -----"])
        XCTAssertNil(QueryPlan.parse(["select 1", "not a plan"]))
    }
}
