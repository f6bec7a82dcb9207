import Warehouse

/// The query editor's keys: editing, moving, history, and running statements.
extension ConsoleState {
    /// Nil for an action the editor leaves to the global keys.
    mutating func reduceInEditor(_ action: Action, _ moment: KeyMoment) -> [Effect]? {
        if query.completion != nil, let handled = reduceInCompletionList(action) { return handled }
        // Any other key closes the list; typing and deleting open it again where it fits.
        let listWasOpen = query.completion != nil
        query.completion = nil
        query.completionNote = nil
        // Typing and deleting look for completions once the editor holds the change.
        var lookAfter: (typed: Character?, listWasOpen: Bool)?
        var editor = query.editor
        let height = max(1, (layout.panes[.query]?.inner.height ?? 1))
        switch action {
        case .complete:
            complete()
            return []
        case .leaveEditor:
            focus = Pane.allCases[(focus.rawValue + 1) % Pane.allCases.count]
            return []
        case .saveSQL:
            prompt = Prompt(.saveSQL(replacing: false), label: "save the SQL to:", text: query.file ?? environment.workingDirectory + "/query.sql")
            return []
        case .openSQL:
            prompt = Prompt(.openSQL, label: "open SQL from:", text: query.file ?? environment.workingDirectory + "/")
            return []
        case .runStatement: return runStatements(all: false, moment)
        case .runAll: return runStatements(all: true, moment)
        case .type(let character):
            editor.type(character)
            if !moment.pasting { lookAfter = (character, listWasOpen) }
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
        case .deleteBack:
            editor.deleteBackward()
            if listWasOpen { lookAfter = (nil, true) }
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
            .resumeCluster, .deleteCluster, .browseTable, .describeTable, .tableDefinition, .top,
            .bottom, .runStep, .runFromHere, .showSQL, .openRejects, .changeSource, .changeErrorLimit, .columnLeft, .columnRight, .firstColumn,
            .lastColumn, .openCell, .freeze, .search, .searchNext, .searchPrevious, .sort, .export, .copyCell, .copyRow, .previousResult, .nextResult,
            .pinResult, .chart, .filter, .showPlan, .showStar, .click, .scroll, .showChecks,
            .openCheck, .showRows, .rerunSuite, .close, .confirm, .confirmQuit, .confirmRun, .stay:
            return nil
        }
        if editor.lines != query.editor.lines {
            // The old error mark no longer points at anything; a replaced text is the user's now.
            query.errorOffset = nil
            query.replacedText = nil
        }
        query.editor = editor
        if let lookAfter { completeAsTyped(lookAfter.typed, listWasOpen: lookAfter.listWasOpen) }
        return []
    }

    /// Keys while the completion list is open: nil for those that close it and act as usual.
    private mutating func reduceInCompletionList(_ action: Action) -> [Effect]? {
        guard var menu = query.completion else { return nil }
        switch action {
        case .complete:
            take(menu.item, from: menu.completion)
        case .newline where menu.chosen:
            take(menu.item, from: menu.completion)
        case .moveUp, .moveDown:
            let count = menu.completion.items.count
            menu.selected = (menu.selected + (action == .moveUp ? count - 1 : 1)) % count
            menu.chosen = true
            query.completion = menu
        case .leaveEditor:
            query.completion = nil
        default:
            return nil
        }
        return []
    }

    /// Tab: one candidate is typed whole; several type what they share and open the list.
    private mutating func complete() {
        // Before the catalog is read, keywords still complete.
        let names = catalog ?? SchemaCatalog(relations: [], functions: [], searchPath: [])
        guard let found = Completion.at(query.editor.offset, in: query.editor.characters, catalog: names) else {
            query.completionNote = catalog == nil ? .catalogNotRead : .nothingToComplete
            return
        }
        if found.items.count == 1 { return take(found.items[0], from: found) }
        let shared = found.commonPrefix
        if shared.count > found.prefix.count {
            query.editor.replace(found.replacing, with: shared)
        }
        query.completion = Completion.at(query.editor.offset, in: query.editor.characters, catalog: names).map { CompletionMenu(completion: $0) }
    }

    /// The list as you type: after a dot, or once a word has two characters; only with the catalog read.
    /// `typed` nil: a deletion while the list was open, which refreshes it.
    private mutating func completeAsTyped(_ typed: Character?, listWasOpen: Bool) {
        guard let catalog else { return }
        let word = query.editor.characters[..<query.editor.offset].reversed().prefix { Completion.isNamePart($0) }
        guard typed == "." || listWasOpen || (typed.map(Completion.isNamePart) == true && word.count >= 2) else { return }
        query.completion = Completion.at(query.editor.offset, in: query.editor.characters, catalog: catalog).map { CompletionMenu(completion: $0) }
    }

    private mutating func take(_ item: Completion.Item, from completion: Completion) {
        query.editor.replace(completion.replacing, with: item.text)
        query.completion = nil
        query.errorOffset = nil
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
        case .relations, .tables, .schemas, .functions, .describe, .definition:
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
        // A new run replaces the kept results, but for the pinned ones.
        if let shown = result.shown, result.kept.indices.contains(shown) { result.kept[shown].grid = result.grid }
        result.rows = nil
        result.grid = GridState()
        result.mode = .rows
        result.kept.removeAll { !$0.pinned }
        result.shown = nil
        result.export = nil
        result.notice = nil
        result.busy = nil
        var effects: [Effect] = []
        for text in texts {
            if let entry = query.history.add(text) { effects.append(.appendHistory(entry)) }
        }
        effects.append(.runStatements(query.statements.map(\.text)))
        // Kept at every run too, so the text outlives a crash or a killed terminal.
        effects.append(keepEditorText)
        return effects
    }
}
