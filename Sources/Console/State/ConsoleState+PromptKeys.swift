import Warehouse

/// The one-line prompt's keys: editing the line, and what Enter does for each purpose.
extension ConsoleState {
    private mutating func configureLoad(source: String?, maxErrors: Int) -> [Effect] {
        guard !running else {
            append(.warning, "a step is running: change the source or the error limit once it ends")
            return []
        }
        // A relative folder is the working folder's; an s3:// address stays as typed.
        let resolved = source.map { $0.hasPrefix("s3://") ? $0 : environment.resolve($0) }
        return [.configureLoad(source: resolved, maxErrors: maxErrors)]
    }

    /// Nil for an action the prompt leaves to the global keys (Ctrl-C only: prompts are modal).
    mutating func reduceInPrompt(_ action: Action, _ moment: KeyMoment) -> [Effect]? {
        guard var prompt else { return nil }
        switch action {
        case .close:
            self.prompt = nil
            return []
        case .type(let character): prompt.type(character)
        case .cursorLeft: prompt.cursor = max(0, prompt.cursor - 1)
        case .cursorRight: prompt.cursor = min(prompt.text.count, prompt.cursor + 1)
        case .lineStart: prompt.cursor = 0
        case .lineEnd: prompt.cursor = prompt.text.count
        case .deleteBack:
            guard prompt.cursor > 0 else { return [] }
            prompt.cursor -= 1
            prompt.text.remove(at: prompt.cursor)
        case .deleteToLineStart:
            prompt.text.removeSubrange(..<prompt.cursor)
            prompt.cursor = 0
        case .confirm:
            self.prompt = nil
            let text = String(prompt.text).trimmingCharacters(in: .whitespaces)
            switch prompt.purpose {
            case .source:
                return configureLoad(source: text.isEmpty ? nil : text, maxErrors: maxErrors)
            case .errorLimit:
                guard let limit = Int(text), limit >= 0 else {
                    append(.error, "the error limit is a whole number, 0 or more (not '\(text)')")
                    return []
                }
                return configureLoad(source: loadSource, maxErrors: limit)
            case .clusterAllowFrom:
                guard cluster.life != nil else { return [] }
                cluster.life?.busy = "creating"
                return [.clusterAction(.create(allowFrom: text.isEmpty || text == "none" ? nil : text))]
            case .clusterDelete:
                guard let life = cluster.life, text == life.identifier else {
                    append(.info, "not the identifier: nothing deleted")
                    return []
                }
                cluster.life?.busy = "deleting"
                return [.clusterAction(.delete)]
            case .saveSQL(let replacing):
                guard !text.isEmpty else { return [] }
                return [.saveSQL(query.editor.text, path: environment.resolve(text), replacing: replacing)]
            case .openSQL:
                guard !text.isEmpty else { return [] }
                return [.openSQL(path: environment.resolve(text))]
            case .filter:
                // An empty term is the way back to every row.
                return filter(text)
            case .search, .export, .suiteFile:
                break
            }
            guard !text.isEmpty else { return [] }
            switch prompt.purpose {
            case .source, .errorLimit, .clusterAllowFrom, .clusterDelete, .saveSQL, .openSQL: return []
            case .search: return search(text, backwards: false, skipCurrent: false)
            case .filter: return []
            case .export(let replacing): return export(to: text, replacing: replacing)
            case .suiteFile: return runSuite(.file(text), moment)
            }
        case .help, .nextPane, .previousPane, .zoom, .cancel, .quit, .validate, .reconnect, .refreshCounts, .createCluster, .pauseCluster,
            .resumeCluster, .deleteCluster, .browseTable, .describeTable, .tableDefinition,
            .moveUp, .moveDown, .pageUp, .pageDown, .top, .bottom, .runStep, .runFromHere, .showSQL,
            .openRejects, .changeSource, .changeErrorLimit, .runStatement, .runAll, .newline, .wordLeft, .wordRight, .textStart, .textEnd,
            .deleteForward, .deleteWord, .deleteToLineEnd, .undo, .redo, .historyPrevious, .historyNext, .saveSQL, .openSQL, .complete, .leaveEditor,
            .columnLeft, .columnRight, .firstColumn, .lastColumn, .openCell, .freeze, .search, .searchNext,
            .searchPrevious, .sort, .export, .copyCell, .copyRow, .previousResult, .nextResult, .pinResult, .chart, .filter, .showPlan, .showStar,
            .click, .scroll,
            .showChecks,
            .openCheck,
            .showRows,
            .rerunSuite, .confirmQuit,
            .confirmRun, .stay:
            return nil
        }
        self.prompt = prompt
        return []
    }
}
