import PostgresClient
import Warehouse

/// The query editor: its text, the history, and the statements running from it.
struct QueryState: Sendable {
    var editor = EditorBuffer()
    var history: QueryHistory
    /// The first line shown, when the text is taller than the pane.
    var scroll = 0
    var running = false
    var startedAt: Double?
    /// Where each statement of the running (or last) run starts in the editor, for errors.
    var statements: [(range: Range<Int>, text: String)] = []
    var current = 0
    /// How the last run ended, or why the last key did not start one; the panes say it in words.
    var outcome: QueryOutcome?
    /// Offset in the editor's characters where the server says the error is.
    var errorOffset: Int?
    /// The query session's transaction after the last statement: an open one holds locks a
    /// load step may wait for.
    var transaction: TransactionState = .idle
    /// The file the SQL was opened from or saved to, for the next save and the frame's title.
    var file: String?
    /// The text the editor held before a check's query replaced it, for Ctrl-Z to bring back.
    var replacedText: String?
    /// The completion list under the cursor, while it is open.
    var completion: CompletionMenu?
    /// Why Tab completed nothing, until the next key.
    var completionNote: CompletionNote?

    init(history: QueryHistory) { self.history = history }

    /// Whether the last run failed (the grid then shows the error instead of rows).
    var failed: Bool { outcome?.isFailure ?? false }
}

enum CompletionNote: Sendable, Equatable {
    case nothingToComplete
    /// The catalog is not read yet (not connected): only keywords complete.
    case catalogNotRead
}

/// The completion list: what may be typed at the cursor, and the item Tab or Enter would take.
struct CompletionMenu: Sendable, Equatable {
    var completion: Completion
    var selected = 0
    /// The user moved through the list: Enter then takes the item rather than breaking the line.
    var chosen = false

    var item: Completion.Item { completion.items[selected] }
}

/// How a run in the query pane ended, or why a key did not start one. Values, not words:
/// `QueryOutcome.words` (in the view) says them.
enum QueryOutcome: Sendable {
    /// The last statement finished (or the only one).
    case finished(StatementSummary)
    /// A run of several statements finished, all of them.
    case runFinished(statements: Int, elapsed: Double, last: StatementSummary)
    /// Statement `index` (from 0) of `count` failed; `at`: where in the editor, when the server says.
    case failed(index: Int, count: Int, QueryProblem, at: EditorBuffer.Position?)
    /// Cancelled by Ctrl-C; the rows that had arrived stay in the grid.
    case cancelled(index: Int, count: Int, elapsed: Double, rowsKept: Int)
    /// Ctrl-C was sent; the server has not answered yet.
    case cancelling
    /// A suite ran to its end; `firstFailed`: the name of the first check that failed.
    case validated(passed: Int, failed: Int, checks: Int, firstFailed: String?)
    case validationCancelled(done: Int, checks: Int)
    /// A file (a suite, saved SQL) that could not be read, parsed or written.
    case fileProblem(String)
    case refused(QueryRefusal)
    /// A backslash command the console answered itself.
    case said(ConsoleNote)

    var isFailure: Bool {
        switch self {
        case .failed, .fileProblem: return true
        case .validated(_, let failed, _, _): return failed > 0
        case .finished, .runFinished, .cancelled, .cancelling, .validationCancelled, .refused, .said: return false
        }
    }
}

/// What a console-only backslash command did.
enum ConsoleNote: Sendable {
    case expandedOn, expandedOff, timing
    case saved(String)
    case opened(String)
}

/// Why a key did not start a run.
enum QueryRefusal: Sendable {
    /// A query or suite is running already.
    case busy
    /// The editor holds no statement.
    case nothingToRun
}

/// One statement's end: what the grid's footer and the query pane say about it.
struct StatementSummary: Sendable {
    var index: Int
    var count: Int
    var rows: Int
    var commandTag: String
    /// The statement returned rows (a SELECT, a RETURNING): the count is of rows, not a tag.
    var returnedRows: Bool
    /// The rows stopped at the row cap; the statement had more.
    var capped: Bool
    var elapsed: Double
}

/// A failed statement, with what the editor needs to show it and mark the place.
struct QueryProblem: Sendable {
    var message: String
    var detail: String?
    var hint: String?
    var sqlState: String?
    /// One-based character position in the statement, as the server gives it.
    var position: Int?
    var cancelled: Bool

    init(message: String, cancelled: Bool = false) {
        self.message = message
        self.cancelled = cancelled
    }

    init(_ error: Error) {
        if let database = error as? DatabaseError {
            message = database.message
            detail = database.detail
            hint = database.hint
            sqlState = database.sqlState
            position = database.position
            cancelled = database.isCancellation
        } else {
            message = String(describing: error)
            cancelled = false
        }
    }
}

/// The results pane: the grid over the last result, or a validation suite's report.
struct ResultState: Sendable {
    enum Mode: Sendable { case rows, checks }
    var mode: Mode = .rows
    var rows: ResultRows?
    var loading = false
    /// The result stopped at the row cap: the grid holds its first rows.
    var capped = false
    var grid = GridState()
    /// The statement behind the rows, for an export of a capped result (run again in full).
    var sql: String?
    /// `\x`: the grid shows the selected record as name and value, one per line.
    public var expanded = false
    /// The last search term, for n and N.
    var search: String?
    /// Display positions of the rows matching `search`, for "match 3 of 17"; nil until counted
    /// (and again after a sort, which moves them).
    var matches: [UInt32]?
    /// A sort or a search on its way, in words.
    var busy: String?
    /// A word about the last action ("no match for 'x'").
    var notice: String?
    var export: ExportState?
    var validation: ValidationState?
    /// Every statement's result since the last run, and the pinned ones of earlier runs, in
    /// order; `shown` is the one in the grid (nil: none kept yet).
    var kept: [KeptResult] = []
    var shown: Int?

    init() {}

    /// At most this many results are kept; the oldest unpinned go first.
    static let keptLimit = 20
}

/// One statement's result, kept so the user can step back to it: its rows (nil for a statement
/// without), what it was, and where the grid stood when the user stepped away.
struct KeptResult: Sendable {
    var sql: String
    var rows: ResultRows?
    var summary: StatementSummary
    var capped: Bool
    var grid = GridState()
    /// Kept when the next run starts (the others are replaced).
    var pinned = false
}

/// An export running or done.
struct ExportState: Sendable {
    var path: String
    var written = 0
    var total: Int?
    var finished = false
    var problem: String?
}

/// A validation suite in the console: its checks and, as they finish, their results.
struct ValidationState: Sendable {
    var suite: ValidationSuite
    var results: [CheckResult?]
    var running: Int?
    var selected = 0
    var top = 0

    init(suite: ValidationSuite) {
        self.suite = suite
        results = Array(repeating: nil, count: suite.checks.count)
    }

    var passed: Int { results.filter { $0?.verdict == .pass }.count }
    var failed: Int { results.filter { $0?.verdict == .fail || $0?.verdict == .error }.count }
    var done: Int { results.filter { $0 != nil }.count }
}

/// The suites the picker offers: the shipped default, the generator's, and a file to name.
struct SuiteChoices: Sendable {
    enum Choice: Equatable, Sendable {
        /// The analytics team's checks, shipped with sparkify.
        case builtIn
        /// The generator's expected results, beside the demo or `--source` data.
        case generated(path: String)
        /// A file the user names next.
        case askForFile

        var title: String {
            switch self {
            case .builtIn: return "The default suite: the analytics team's checks, for any load"
            case .generated(let path): return "The generator's suite: \(path)"
            case .askForFile: return "Another suite file…"
            }
        }
    }
    var choices: [Choice]
    var selected = 0
}

/// Where a suite to run comes from; the session reads a file, the state never does.
enum SuiteSource: Sendable {
    case builtIn
    case file(String)
    case loaded(ValidationSuite)
}
