import Foundation
import Warehouse

/// The query editor: the text with SQL colouring, the statement F5 would run marked in the
/// gutter, the server's error position marked in the text, and a live timer while it runs.
enum QueryPane {
    /// Draws the pane; returns where the text cursor belongs when the editor has the focus.
    @discardableResult
    static func draw(_ screen: ScreenBuffer, _ rect: Rect, _ query: QueryState, focused: Bool, now: Double) -> (row: Int, col: Int)? {
        Frame.draw(screen, rect, title: Pane.query.title, focused: focused, note: note(query, now: now))
        let inner = rect.inner
        guard inner.height >= 1, inner.width >= 4 else { return nil }
        let editor = query.editor
        if editor.isEmpty && !focused {
            screen.put(
                "Tab here, write SQL; F5 runs the statement under the cursor, Tab completes", row: inner.row, col: inner.col + 2,
                style: .dim, clip: inner)
            return nil
        }
        let cursor = editor.cursor
        let top = scroll(query, height: inner.height)

        let characters = editor.characters
        let styles = colouring(characters, errorOffset: query.errorOffset)
        let statements = SQLStatements(characters)
        let current = statements.statement(at: editor.offset)
        let textWidth = inner.width - 2
        // Sideways scroll for long lines: enough that the cursor shows.
        let cursorWidth = CellText.width(String(editor.lines[cursor.line][..<cursor.column]))
        let shift = max(0, cursorWidth - textWidth + 1)
        var cursorAt: (row: Int, col: Int)?
        var lineStart = editor.lines[..<top].reduce(0) { $0 + $1.count + 1 }
        for (offset, line) in editor.lines.dropFirst(top).prefix(inner.height).enumerated() {
            let row = inner.row + offset
            let lineRange = lineStart..<(lineStart + line.count + 1)
            if let current, current.range.overlaps(lineRange) || current.range.lowerBound == lineRange.lowerBound {
                screen.put("▎", row: row, col: inner.col, style: focused ? .focusedBorder : .dim, clip: inner)
            }
            var col = inner.col + 2 - shift
            for (index, character) in line.enumerated() {
                let text = CellText.oneLine(String(character))
                let width = CellText.width(text)
                if col >= inner.col + 2 {
                    screen.put(
                        text, row: row, col: col, style: styles[lineStart + index],
                        clip: Rect(row: row, col: inner.col + 2, height: 1, width: textWidth))
                }
                col += width
            }
            if query.errorOffset == lineStart + line.count, lineStart + line.count == characters.count {
                screen.put("◂", row: row, col: max(inner.col + 2, col), style: .bad, clip: inner)  // past the end
            }
            if top + offset == cursor.line {
                cursorAt = (row, inner.col + 2 + cursorWidth - shift)
            }
            lineStart += line.count + 1
        }
        if editor.lines.count > top + inner.height {
            screen.put("↓", row: inner.row + inner.height - 1, col: inner.col + inner.width - 1, style: .dim, clip: inner)
        }
        return focused ? cursorAt : nil
    }

    /// The first line shown: where it was, moved just enough to show the cursor's line.
    static func scroll(_ query: QueryState, height: Int) -> Int {
        let line = query.editor.cursor.line
        var top = query.scroll
        if line < top { top = line }
        if line >= top + height { top = line - height + 1 }
        return max(0, min(top, query.editor.lines.count - 1))
    }

    static func note(_ query: QueryState, now: Double) -> String? {
        switch query.completionNote {
        case .nothingToComplete: return "nothing to complete here"
        case .catalogNotRead: return "table and column names complete once connected"
        case nil: break
        }
        if query.running, let started = query.startedAt {
            let which = query.statements.count > 1 ? "statement \(query.current + 1) of \(query.statements.count) · " : ""
            return "\(which)running \(Figures.duration(now - started)) · Ctrl-C cancels"
        }
        switch query.transaction {
        case .open: return "in a transaction: COMMIT or ROLLBACK ends it"
        case .failed: return "transaction failed: ROLLBACK ends it"
        case .idle: break
        }
        let lines = query.editor.lines.count
        let file = query.file.map { ($0 as NSString).lastPathComponent + " · " } ?? ""
        if !file.isEmpty {
            return file + (lines > 1 ? "\(query.editor.cursor.line + 1):\(query.editor.cursor.column + 1) of \(lines) lines" : "1 line")
        }
        return lines > 1 ? "\(query.editor.cursor.line + 1):\(query.editor.cursor.column + 1) of \(lines) lines" : nil
    }

    /// A style for every character: keywords, strings, numbers, comments, and the error mark.
    static func colouring(_ characters: [Character], errorOffset: Int?) -> [Style] {
        var styles = [Style](repeating: .normal, count: characters.count)
        for token in SQLLexer.tokens(characters) {
            let style: Style
            switch token.kind {
            case .keyword: style = .sqlKeyword
            case .string: style = .sqlString
            case .number, .parameter: style = .sqlNumber
            case .lineComment, .blockComment: style = .sqlComment
            default: continue
            }
            for index in token.range { styles[index] = style }
        }
        if let errorOffset, errorOffset < characters.count {
            // The whole word the server points at, so the mark is hard to miss.
            var end = errorOffset + 1
            while end < characters.count, EditorBuffer.isWordCharacter(characters[end]), EditorBuffer.isWordCharacter(characters[errorOffset]) {
                end += 1
            }
            for index in errorOffset..<end { styles[index] = .errorMark }
        }
        return styles
    }
}
