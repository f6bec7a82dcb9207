import Warehouse

/// The query editor's keys: editing, moving, history, and running statements.
extension ConsoleState {
    /// Nil for an action the editor leaves to the global keys.
    mutating func reduceInEditor(_ action: Action, _ moment: KeyMoment) -> [Effect]? {
        var editor = query.editor
        let height = max(1, (layout.panes[.query]?.inner.height ?? 1))
        switch action {
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
            .resumeCluster, .deleteCluster, .top,
            .bottom, .runStep, .runFromHere, .showSQL, .openRejects, .changeSource, .changeErrorLimit, .columnLeft, .columnRight, .firstColumn,
            .lastColumn, .openCell, .freeze, .search, .searchNext, .searchPrevious, .sort, .export, .showChecks,
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

    /// The statement under the cursor, or every statement, sent to the query session.
    mutating func runStatements(all: Bool, _ moment: KeyMoment) -> [Effect] {
        guard !query.running else {
            query.outcome = .refused(.busy)
            return []
        }
        let characters = query.editor.characters
        let found = SQLStatements(characters)
        let chosen = all ? found.statements : found.statement(at: query.editor.offset).map { [$0] } ?? []
        guard !chosen.isEmpty else {
            query.outcome = .refused(.nothingToRun)
            return []
        }
        // Sent exactly as written (comments inside included), so the server's error position
        // counts from the statement's first character in the editor.
        query.statements = chosen.map { ($0.range, found.text(of: $0)) }
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
        for statement in query.statements {
            if let entry = query.history.add(statement.text) { effects.append(.appendHistory(entry)) }
        }
        effects.append(.runStatements(query.statements.map(\.text)))
        return effects
    }
}
