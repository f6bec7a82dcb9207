/// The query editor's text: lines of characters, a cursor, and undo. Pure state, so every key's
/// effect is tested without a terminal.
struct EditorBuffer: Sendable {
    struct Position: Equatable, Sendable {
        var line: Int
        var column: Int
    }

    private(set) var lines: [[Character]] = [[]]
    private(set) var cursor = Position(line: 0, column: 0)
    /// The column up and down aim for, kept across short lines (as every editor does).
    private var goalColumn: Int?
    private var undoStack: [Snapshot] = []
    private var redoStack: [Snapshot] = []
    /// Typing runs of characters undo as one step, not one a letter.
    private var lastEdit: EditKind?

    private struct Snapshot: Sendable {
        var lines: [[Character]]
        var cursor: Position
    }
    private enum EditKind { case typing, deleting }
    static let undoLimit = 200

    init(_ text: String = "") {
        lines = Self.split(text)
        cursor = Position(line: lines.count - 1, column: lines[lines.count - 1].count)
    }

    var text: String { lines.map { String($0) }.joined(separator: "\n") }
    var characters: [Character] { Array(lines.joined(separator: ["\n"])) }
    var isEmpty: Bool { lines.count == 1 && lines[0].isEmpty }

    /// The cursor as an offset into `characters`.
    var offset: Int { offset(of: cursor) }

    func offset(of position: Position) -> Int {
        lines[..<position.line].reduce(0) { $0 + $1.count + 1 } + position.column
    }

    func position(ofOffset offset: Int) -> Position {
        var remaining = max(0, offset)
        for (index, line) in lines.enumerated() {
            if remaining <= line.count { return Position(line: index, column: remaining) }
            remaining -= line.count + 1
        }
        return Position(line: lines.count - 1, column: lines[lines.count - 1].count)
    }

    // MARK: - Editing

    mutating func type(_ character: Character) {
        if character == "\n" || character == "\r\n" || character == "\r" { return newline() }
        record(.typing)
        lines[cursor.line].insert(character, at: cursor.column)
        cursor.column += 1
        goalColumn = nil
    }

    /// A line break that keeps the current line's indentation, unless `keepIndent` is false
    /// (pasted text brings its own).
    mutating func newline(keepIndent: Bool = true) {
        record(nil)
        let line = lines[cursor.line]
        let indent = keepIndent ? line.prefix { $0 == " " || $0 == "\t" }.prefix(cursor.column) : []
        let rest = Array(line[cursor.column...])
        lines[cursor.line] = Array(line[..<cursor.column])
        lines.insert(Array(indent) + rest, at: cursor.line + 1)
        cursor = Position(line: cursor.line + 1, column: indent.count)
        goalColumn = nil
    }

    mutating func deleteBackward() {
        if cursor.column > 0 {
            record(.deleting)
            cursor.column -= 1
            lines[cursor.line].remove(at: cursor.column)
        } else if cursor.line > 0 {
            record(nil)
            let line = lines.remove(at: cursor.line)
            cursor.line -= 1
            cursor.column = lines[cursor.line].count
            lines[cursor.line] += line
        }
        goalColumn = nil
    }

    mutating func deleteForward() {
        if cursor.column < lines[cursor.line].count {
            record(.deleting)
            lines[cursor.line].remove(at: cursor.column)
        } else if cursor.line + 1 < lines.count {
            record(nil)
            lines[cursor.line] += lines.remove(at: cursor.line + 1)
        }
        goalColumn = nil
    }

    /// Ctrl-W: the word before the cursor and the space after it.
    mutating func deleteWordBackward() {
        let start = wordStart(before: cursor)
        guard start != cursor else { return }
        record(nil)
        if start.line == cursor.line {
            lines[cursor.line].removeSubrange(start.column..<cursor.column)
        } else {
            lines[start.line] = Array(lines[start.line][..<start.column]) + lines[cursor.line][cursor.column...]
            lines.removeSubrange((start.line + 1)...cursor.line)
        }
        cursor = start
        goalColumn = nil
    }

    /// Ctrl-K: the rest of the line (or the line break, at its end).
    mutating func deleteToLineEnd() {
        guard cursor.column < lines[cursor.line].count else { return deleteForward() }
        record(nil)
        lines[cursor.line].removeSubrange(cursor.column...)
    }

    /// Ctrl-U: the line up to the cursor.
    mutating func deleteToLineStart() {
        guard cursor.column > 0 else { return }
        record(nil)
        lines[cursor.line].removeSubrange(..<cursor.column)
        cursor.column = 0
    }

    /// Replaces the characters in `range` (offsets) on one line with `text` (a completion),
    /// leaving the cursor after it; undo brings the word back.
    mutating func replace(_ range: Range<Int>, with text: String) {
        let start = position(ofOffset: range.lowerBound)
        let end = position(ofOffset: range.upperBound)
        guard start.line == end.line, !text.contains("\n") else { return }
        record(nil)
        lines[start.line].replaceSubrange(start.column..<end.column, with: Array(text))
        cursor = Position(line: start.line, column: start.column + text.count)
        goalColumn = nil
    }

    /// Replaces everything (a history entry, a check's query); undo brings the old text back.
    mutating func replaceAll(with text: String) {
        record(nil)
        lines = Self.split(text)
        cursor = Position(line: lines.count - 1, column: lines[lines.count - 1].count)
        goalColumn = nil
    }

    // MARK: - Moving

    mutating func moveLeft() {
        endEditRun()
        if cursor.column > 0 {
            cursor.column -= 1
        } else if cursor.line > 0 {
            cursor.line -= 1
            cursor.column = lines[cursor.line].count
        }
        goalColumn = nil
    }

    mutating func moveRight() {
        endEditRun()
        if cursor.column < lines[cursor.line].count {
            cursor.column += 1
        } else if cursor.line + 1 < lines.count {
            cursor.line += 1
            cursor.column = 0
        }
        goalColumn = nil
    }

    /// Up or down by `count` lines, aiming for the column the cursor started from.
    mutating func moveLines(_ count: Int) {
        endEditRun()
        let goal = goalColumn ?? cursor.column
        cursor.line = max(0, min(lines.count - 1, cursor.line + count))
        cursor.column = min(goal, lines[cursor.line].count)
        goalColumn = goal
    }

    mutating func moveToLineStart() {
        endEditRun()
        // Home goes to the first non-blank character, then to column 0.
        let indent = lines[cursor.line].prefix { $0 == " " || $0 == "\t" }.count
        cursor.column = cursor.column == indent ? 0 : indent
        goalColumn = nil
    }

    mutating func moveToLineEnd() {
        endEditRun()
        cursor.column = lines[cursor.line].count
        goalColumn = nil
    }

    mutating func moveToStart() {
        endEditRun()
        cursor = Position(line: 0, column: 0)
        goalColumn = nil
    }

    mutating func moveToEnd() {
        endEditRun()
        cursor = Position(line: lines.count - 1, column: lines[lines.count - 1].count)
        goalColumn = nil
    }

    mutating func moveWordLeft() {
        endEditRun()
        cursor = wordStart(before: cursor)
        goalColumn = nil
    }

    mutating func moveWordRight() {
        endEditRun()
        var position = cursor
        // Past the rest of this word, then past the gap to the next one's end.
        func character(_ p: Position) -> Character? { p.column < lines[p.line].count ? lines[p.line][p.column] : nil }
        func step(_ p: inout Position) -> Bool {
            if p.column < lines[p.line].count {
                p.column += 1
                return true
            }
            if p.line + 1 < lines.count {
                p = Position(line: p.line + 1, column: 0)
                return true
            }
            return false
        }
        while let c = character(position), !Self.isWordCharacter(c) { if !step(&position) { break } }
        while character(position) == nil, position.line + 1 < lines.count { _ = step(&position) }
        while let c = character(position), !Self.isWordCharacter(c) { if !step(&position) { break } }
        while let c = character(position), Self.isWordCharacter(c) { if !step(&position) { break } }
        cursor = position
        goalColumn = nil
    }

    mutating func moveTo(_ position: Position) {
        endEditRun()
        cursor.line = max(0, min(lines.count - 1, position.line))
        cursor.column = max(0, min(lines[cursor.line].count, position.column))
        goalColumn = nil
    }

    private func wordStart(before position: Position) -> Position {
        var p = position
        func previous(_ p: Position) -> Character? { p.column > 0 ? lines[p.line][p.column - 1] : nil }
        if p.column == 0 {
            return p.line > 0 ? Position(line: p.line - 1, column: lines[p.line - 1].count) : p
        }
        while let c = previous(p), !Self.isWordCharacter(c) { p.column -= 1 }
        while let c = previous(p), Self.isWordCharacter(c) { p.column -= 1 }
        return p
    }

    static func isWordCharacter(_ c: Character) -> Bool { c == "_" || c.isLetter || c.isNumber }

    // MARK: - Undo

    mutating func undo() -> Bool {
        guard let snapshot = undoStack.popLast() else { return false }
        redoStack.append(Snapshot(lines: lines, cursor: cursor))
        restore(snapshot)
        return true
    }

    mutating func redo() -> Bool {
        guard let snapshot = redoStack.popLast() else { return false }
        undoStack.append(Snapshot(lines: lines, cursor: cursor))
        restore(snapshot)
        return true
    }

    private mutating func restore(_ snapshot: Snapshot) {
        lines = snapshot.lines
        cursor = snapshot.cursor
        lastEdit = nil
        goalColumn = nil
    }

    /// Keeps the text before an edit, unless the edit continues a run of the same kind.
    private mutating func record(_ kind: EditKind?) {
        redoStack.removeAll()
        if let kind, kind == lastEdit { return }
        undoStack.append(Snapshot(lines: lines, cursor: cursor))
        if undoStack.count > Self.undoLimit { undoStack.removeFirst() }
        lastEdit = kind
    }

    private mutating func endEditRun() { lastEdit = nil }

    private static func split(_ text: String) -> [[Character]] {
        let normalised = text.replacingOccurrences(of: "\r\n", with: "\n")
        return normalised.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0) }
    }
}
