import Warehouse

/// The query editor's keys: editing, moving, history, and running statements.
extension ConsoleState {
    /// Nil for an action the editor leaves to the global keys.
    mutating func reduceInEditor(_ action: Action, _ moment: KeyMoment) -> [Effect]? {
        var editor = query.editor
        let height = max(1, (layout.panes[.query]?.inner.height ?? 1))
        switch action {
        case .saveSQL:
            prompt = Prompt(.saveSQL(replacing: false), label: "save the SQL to:", text: query.file ?? environment.workingDirectory + "/query.sql")
            return []
        case .openSQL:
            prompt = Prompt(.openSQL, label: "open SQL from:", text: query.file ?? environment.workingDirectory + "/")
            return []
        case .runStatement: return runStatements(all: false, moment)
        case .runAll: return runStatements(all: true, moment)
        case .type(let character): editor.type(character)
        case .newline: editor.newline(keepIndent: !moment.pasting)
        case .cursorLeft: editor.moveLeft()
        case .cursorRight: editor.moveRight()
        case .moveUp: editor.moveLines(-1)
        case .moveDown: editor.moveLines(1)
        case .pageUp: editor.moveLines(-height)
        case .pageDown: editor.moveLines(height)
        case .lineStart: editor.moveToLineStart()
        case .lineEnd: editor.moveToLineEnd()
        case .wordLeft: editor.moveWordLeft()
        case .wordRight: editor.moveWordRight()
        case .textStart: editor.moveToStart()
        case .textEnd: editor.moveToEnd()
        case .deleteBack: editor.deleteBackward()
        case .deleteForward: editor.deleteForward()
        case .deleteWord: editor.deleteWordBackward()
        case .deleteToLineEnd: editor.deleteToLineEnd()
        case .deleteToLineStart: editor.deleteToLineStart()
        case .undo: _ = editor.undo()
        case .redo: _ = editor.redo()
        case .historyPrevious, .historyNext:
            guard let entry = query.history.step(action == .historyPrevious ? -1 : 1, current: editor.text) else { return [] }
            editor.replaceAll(with: entry)
        case .help, .nextPane, .previousPane, .zoom, .cancel, .quit, .validate, .reconnect, .refreshCounts, .createCluster, .pauseCluster,
            .resumeCluster, .deleteCluster, .browseTable, .describeTable, .top,
            .bottom, .runStep, .runFromHere, .showSQL, .openRejects, .changeSource, .changeErrorLimit, .columnLeft, .columnRight, .firstColumn,
            .lastColumn, .openCell, .freeze, .search, .searchNext, .searchPrevious, .sort, .export, .copyCell, .copyRow, .showChecks,
            .openCheck, .showRows, .rerunSuite, .close, .confirm, .confirmQuit, .confirmRun, .stay:
            return nil
        }
        if editor.lines != query.editor.lines {
            // The old error mark no longer points at anything; a replaced text is the user's now.
            query.errorOffset = nil
            query.replacedText = nil
        }
        query.editor = editor
        return []
    }

    /// Puts text in the editor (a check's query, the rejects query) and keeps what was there
    /// for Ctrl-Z, which the status line mentions: the user's own SQL is never lost silently.
    mutating func replaceEditorText(with text: String) {
        let before = query.editor.text
        guard before != text else { return }
        query.editor.replaceAll(with: text)
        query.editor.moveToStart()
        query.errorOffset = nil
        query.replacedText = before.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : before
    }

    /// The statement under the cursor, or every statement, sent to the query session. A line
    /// starting with `\` is one of psql's commands (`\d`, `\x`…), run on its own with F5.
    mutating func runStatements(all: Bool, _ moment: KeyMoment) -> [Effect] {
        guard !query.running else {
            query.outcome = .refused(.busy)
            return []
        }
        let editor = query.editor
        let line = String(editor.lines[editor.cursor.line])
        let onlyLine = editor.lines.filter { !String($0).trimmingCharacters(in: .whitespaces).isEmpty }.count == 1
        if !all || onlyLine, let parsed = MetaCommand.parse(line) {
            let start = editor.offset(of: EditorBuffer.Position(line: editor.cursor.line, column: 0))
            return runMeta(parsed, line: line, range: start..<(start + line.count), moment)
        }
        let characters = editor.characters
        let found = SQLStatements(characters)
        let chosen = all ? found.statements : found.statement(at: editor.offset).map { [$0] } ?? []
        guard !chosen.isEmpty else {
            query.outcome = .refused(.nothingToRun)
            return []
        }
        // Sent exactly as written (comments inside included), so the server's error position
        // counts from the statement's first character in the editor.
        let statements = chosen.map { ($0.range, found.text(of: $0)) }
        return send(statements, history: statements.map(\.1), moment)
    }

    /// A backslash command: the console's own (`\x`, `\timing`, `\?`) or a catalog query.
    mutating func runMeta(
        _ parsed: Result<MetaCommand, MetaCommand.Unknown>, line: String, range: Range<Int>,
        _ moment: KeyMoment
    ) -> [Effect] {
        let command: MetaCommand
        switch parsed {
        case .failure(let unknown):
            query.outcome = .failed(index: 0, count: 1, QueryProblem(message: unknown.description), at: nil)
            return []
        case .success(let found): command = found
        }
        switch command {
        case .expanded:
            result.expanded.toggle()
            query.outcome = .said(result.expanded ? .expandedOn : .expandedOff)
            return []
        case .timing:
            query.outcome = .said(.timing)
            return []
        case .help:
            overlay = .text(title: "psql's commands in the editor (F5 on the line)", lines: MetaCommand.helpLines, scroll: 0)
            return []
        case .relations, .tables, .schemas, .functions, .describe:
            guard let sql = command.sql(for: cluster.server?.engine ?? .postgres) else { return [] }
            return send([(range, sql)], history: [line.trimmingCharacters(in: .whitespaces)], moment)
        }
    }

    private mutating func send(_ statements: [(Range<Int>, String)], history texts: [String], _ moment: KeyMoment) -> [Effect] {
        query.statements = statements.map { (range: $0.0, text: $0.1) }
        query.current = 0
        query.running = true
        query.startedAt = moment.now
        query.outcome = nil
        query.errorOffset = nil
        // The grid empties: a statement without rows (DDL, an UPDATE) must not leave the last
        // result on screen as if it were its own.
        result.rows = nil
        result.grid = GridState()
        result.mode = .rows
        result.export = nil
        result.notice = nil
        result.busy = nil
        var effects: [Effect] = []
        for text in texts {
            if let entry = query.history.add(text) { effects.append(.appendHistory(entry)) }
        }
        effects.append(.runStatements(query.statements.map(\.text)))
        return effects
    }
}
