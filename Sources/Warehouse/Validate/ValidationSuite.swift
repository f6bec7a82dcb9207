import Foundation

/// A validation suite: a plain SQL file an analyst can write by hand, each check a named query
/// with its expected result in comment annotations:
///
///     -- check: users
///     -- expect: 97
///     SELECT count(*) FROM users;
///
/// `-- expect rows:` (in order) and `-- expect set:` (any order) take the rows on the comment
/// lines after them, cells separated by `|`; `-- tolerance: 0.5` lets numbers differ by that
/// much; a check with no expectation is run and shown, not judged.
public struct ValidationSuite: Sendable {
    public var path: String
    public var checks: [Check]

    public struct Check: Sendable {
        public var name: String
        public var line: Int
        public var sql: String
        public var expectation: Expectation
        public var tolerance: Double?
    }

    public enum Expectation: Equatable, Sendable {
        case none
        case value(String)
        case rows([[String]], ordered: Bool)
    }

    public static func parse(path: String, text: String) throws -> ValidationSuite {
        var checks: [Check] = []
        var current: Check?
        var collectingRows: (rows: [[String]], ordered: Bool, line: Int)?
        var sqlLines: [String] = []

        func fail(_ line: Int, _ problem: String) -> SuiteError { SuiteError(path: path, line: line, problem: problem) }
        func finishRows() {
            guard let collected = collectingRows else { return }
            current?.expectation = .rows(collected.rows, ordered: collected.ordered)
            collectingRows = nil
        }

        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.hasPrefix("--") {
                let comment = line.dropFirst(2).trimmingCharacters(in: .whitespaces)
                if !sqlLines.isEmpty {
                    sqlLines.append(String(raw))  // a comment inside a check's SQL
                    continue
                }
                if let name = directive(comment, "check") {
                    finishRows()
                    if let open = current { throw fail(open.line, "check '\(open.name)' has no SQL before the next check") }
                    guard !name.isEmpty else { throw fail(number, "a check needs a name: -- check: NAME") }
                    current = Check(name: name, line: number, sql: "", expectation: .none, tolerance: nil)
                    continue
                }
                if let value = directive(comment, "expect") {
                    finishRows()
                    guard current != nil else { throw fail(number, "an expectation before any '-- check: NAME'") }
                    guard current?.expectation == Expectation.none else { throw fail(number, "check '\(current!.name)' already has an expectation") }
                    guard !value.isEmpty else { throw fail(number, "-- expect: needs a value") }
                    current?.expectation = .value(value)
                    continue
                }
                if comment.lowercased().hasPrefix("expect rows:") || comment.lowercased().hasPrefix("expect set:") {
                    finishRows()
                    guard current != nil else { throw fail(number, "an expectation before any '-- check: NAME'") }
                    guard current?.expectation == Expectation.none else { throw fail(number, "check '\(current!.name)' already has an expectation") }
                    collectingRows = ([], comment.lowercased().hasPrefix("expect rows:"), number)
                    continue
                }
                if let value = directive(comment, "tolerance") {
                    finishRows()
                    guard current != nil else { throw fail(number, "a tolerance before any '-- check: NAME'") }
                    guard let tolerance = Double(value), tolerance >= 0 else {
                        throw fail(number, "tolerance must be a number of 0 or more, not '\(value)'")
                    }
                    current?.tolerance = tolerance
                    continue
                }
                if collectingRows != nil {
                    if comment.isEmpty {
                        finishRows()
                        continue
                    }
                    collectingRows!.rows.append(
                        comment.split(separator: "|", omittingEmptySubsequences: false)
                            .map { $0.trimmingCharacters(in: .whitespaces) })
                    continue
                }
                continue  // an ordinary comment
            }
            if line.isEmpty {
                if !sqlLines.isEmpty { sqlLines.append("") }
                continue
            }
            finishRows()
            guard current != nil else { throw fail(number, "SQL outside a check: start it with '-- check: NAME'") }
            sqlLines.append(String(raw))
            if Self.endsStatement(line) {
                current!.sql = sqlLines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
                checks.append(current!)
                current = nil
                sqlLines = []
            }
        }
        if let open = current {
            throw fail(open.line, sqlLines.isEmpty ? "check '\(open.name)' has no SQL" : "check '\(open.name)': its SQL does not end with ';'")
        }
        guard !checks.isEmpty else { throw fail(1, "holds no checks ('-- check: NAME' then an expectation and a query)") }
        return ValidationSuite(path: path, checks: checks)
    }

    /// A ';' outside quotes with nothing after it but space or a `--` comment.
    static func endsStatement(_ line: String) -> Bool {
        var quote: Character?
        var index = line.startIndex
        while index < line.endIndex {
            let character = line[index]
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if character == ";" {
                let rest = line[line.index(after: index)...].trimmingCharacters(in: .whitespaces)
                if rest.isEmpty || rest.hasPrefix("--") { return true }
            } else if character == "-", line[index...].hasPrefix("--") {
                return false
            }
            index = line.index(after: index)
        }
        return false
    }

    /// `name: value` (any case), or nil.
    private static func directive(_ comment: String, _ name: String) -> String? {
        guard comment.lowercased().hasPrefix(name + ":") else { return nil }
        return comment.dropFirst(name.count + 1).trimmingCharacters(in: .whitespaces)
    }
}

/// A suite that cannot be run as written, named by file and line.
public struct SuiteError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var line: Int
    public var problem: String

    public init(path: String, line: Int, problem: String) {
        self.path = path
        self.line = line
        self.problem = problem
    }

    /// Line 0 means the file as a whole (it is missing or unreadable).
    public var description: String { line > 0 ? "\(path):\(line): \(problem)" : "\(path): \(problem)" }
}
