import Warehouse

/// The query editor: its text, the history, and the statements running from it.
public struct QueryState: Sendable {
    public var editor = EditorBuffer()
    public var history: QueryHistory
    /// The first line shown, when the text is taller than the pane.
    public var scroll = 0
    public var running = false
    public var startedAt: Double?
    /// Where each statement of the running (or last) run starts in the editor, for errors.
    public var statements: [(range: Range<Int>, text: String)] = []
    public var current = 0
    /// The last run's outcome in words, and whether it failed.
    public var message: String?
    public var failed = false
    /// A failed statement's detail, hint and SQLSTATE, one line each.
    public var problemLines: [String] = []
    /// Offset in the editor's characters where the server says the error is.
    public var errorOffset: Int?

    init(history: QueryHistory) { self.history = history }
}

/// The results pane: the grid over the last result, or a validation suite's report.
public struct ResultState: Sendable {
    public enum Mode: Sendable { case rows, checks }
    public var mode: Mode = .rows
    public var rows: ResultRows?
    public var loading = false
    /// The result stopped at the row cap: the grid holds its first rows.
    public var capped = false
    public var grid = GridState()
    /// The statement behind the rows, for an export of a capped result (run again in full).
    public var sql: String?
    /// The last search term, for n and N.
    public var search: String?
    /// A sort or a search on its way, in words.
    public var busy: String?
    /// A word about the last action ("no match for 'x'").
    public var notice: String?
    public var export: ExportState?
    public var validation: ValidationState?

    public init() {}
}

/// An export running or done.
public struct ExportState: Sendable {
    public var path: String
    public var written = 0
    public var total: Int?
    public var finished = false
    public var problem: String?
}

/// A validation suite in the console: its checks and, as they finish, their results.
public struct ValidationState: Sendable {
    public var suite: ValidationSuite
    public var results: [CheckResult?]
    public var running: Int?
    public var selected = 0
    public var top = 0

    init(suite: ValidationSuite) {
        self.suite = suite
        results = Array(repeating: nil, count: suite.checks.count)
    }

    public var passed: Int { results.filter { $0?.verdict == .pass }.count }
    public var failed: Int { results.filter { $0?.verdict == .fail || $0?.verdict == .error }.count }
    public var done: Int { results.filter { $0 != nil }.count }
}

/// The suites the picker offers: the shipped default, the generator's, and a file to name.
public struct SuiteChoices: Sendable {
    public struct Choice: Sendable {
        public var title: String
        public var path: String?
    }
    public var choices: [Choice]
    public var selected = 0
}
