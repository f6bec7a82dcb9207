import Warehouse

/// The one-line prompt's keys: editing the line, and what Enter does for each purpose.
extension ConsoleState {
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
            let text = String(prompt.text)
            guard !text.isEmpty else { return [] }
            switch prompt.purpose {
            case .search: return search(text, backwards: false, skipCurrent: false)
            case .export(let replacing): return export(to: text, replacing: replacing)
            case .suiteFile: return runSuite(.file(text), moment)
            }
        case .help, .nextPane, .previousPane, .zoom, .cancel, .quit, .validate, .reconnect, .refreshCounts,
             .moveUp, .moveDown, .pageUp, .pageDown, .top, .bottom, .runStep, .runFromHere, .showSQL,
             .openRejects, .runStatement, .runAll, .newline, .wordLeft, .wordRight, .textStart, .textEnd,
             .deleteForward, .deleteWord, .deleteToLineEnd, .undo, .redo, .historyPrevious, .historyNext,
             .columnLeft, .columnRight, .firstColumn, .lastColumn, .openCell, .freeze, .search, .searchNext,
             .searchPrevious, .sort, .export, .showChecks, .openCheck, .showRows, .rerunSuite, .confirmQuit,
             .confirmRun, .stay:
            return nil
        }
        self.prompt = prompt
        return []
    }
}
