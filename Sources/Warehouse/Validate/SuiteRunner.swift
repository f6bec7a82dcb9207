import Foundation
import PostgresClient

/// The outcome of one check.
public struct CheckResult: Sendable {
    public enum Verdict: String, Sendable { case pass, fail, shown, error }

    public var check: ValidationSuite.Check
    public var verdict: Verdict
    /// The rows the query returned (the first `rowLimit`), cells as text, NULL as nil.
    public var rows: [[String?]]
    public var columns: [String]
    public var elapsed: Double
    /// Why it failed, in words: "expected 97, got 96".
    public var message: String?
}

/// Runs a suite's checks on a connection, one statement each, and judges them.
public enum SuiteRunner {
    public static let rowLimit = 1_000

    public static func run(_ check: ValidationSuite.Check, on connection: Connection) -> CheckResult {
        let started = DispatchTime.now()
        var result = CheckResult(check: check, verdict: .error, rows: [], columns: [], elapsed: 0, message: nil)
        do {
            let answer = try connection.execute(check.sql)
            result.columns = answer.columns.map(\.name)
            result.rows = Array(answer.rows.prefix(rowLimit))
            (result.verdict, result.message) = judge(check, answer.rows)
        } catch {
            result.message = "\(error)"
        }
        result.elapsed = Double(DispatchTime.now().uptimeNanoseconds - started.uptimeNanoseconds) / 1e9
        return result
    }

    static func judge(_ check: ValidationSuite.Check, _ rows: [[String?]]) -> (CheckResult.Verdict, String?) {
        switch check.expectation {
        case .none:
            return (.shown, nil)
        case .value(let expected):
            guard rows.count == 1, rows[0].count == 1 else {
                return (
                    .fail,
                    "expected one value, got \(rows.count) row\(rows.count == 1 ? "" : "s") of \(rows.first?.count ?? 0) column\(rows.first?.count == 1 ? "" : "s")"
                )
            }
            let actual = rows[0][0]
            return matches(expected, actual, tolerance: check.tolerance)
                ? (.pass, nil) : (.fail, "expected \(expected), got \(actual ?? "NULL")")
        case .rows(let expected, let ordered):
            let actual = rows.map { $0.map { $0 ?? "NULL" } }
            var left = expected
            var right = actual
            if !ordered {
                left.sort { $0.lexicographicallyPrecedes($1) }
                right.sort { $0.lexicographicallyPrecedes($1) }
            }
            let same =
                left.count == right.count
                && zip(left, right).allSatisfy { want, got in
                    want.count == got.count && zip(want, got).allSatisfy { matches($0, $1, tolerance: check.tolerance) }
                }
            if same { return (.pass, nil) }
            if left.count != right.count { return (.fail, "expected \(left.count) rows, got \(right.count)") }
            let first = zip(left, right).first { want, got in
                want.count != got.count || !zip(want, got).allSatisfy { matches($0, $1, tolerance: check.tolerance) }
            }!
            return (.fail, "expected \(first.0.joined(separator: " | ")), got \(first.1.joined(separator: " | "))")
        }
    }

    /// Numbers compare as numbers (within the tolerance), NULL matches "NULL", text exactly.
    static func matches(_ expected: String, _ actual: String?, tolerance: Double?) -> Bool {
        guard let actual else { return expected.uppercased() == "NULL" }
        if let want = Double(expected), let got = Double(actual) { return abs(want - got) <= (tolerance ?? 0) }
        return expected == actual
    }
}
