/// Turns the server's error position (1-based, in characters) into a line and column of the
/// statement, so a message or an editor can point at the exact spot.
public struct StatementPosition: Equatable, Sendable {
    /// 1-based line of the statement.
    public var line: Int
    /// 1-based character column within that line.
    public var column: Int
    /// The text of that line, without its line break.
    public var lineText: String

    public init?(characterOffset position: Int, in statement: String) {
        guard position >= 1 else { return nil }
        var line = 1
        var column = 1
        var seen = 1
        var lineStart = statement.startIndex
        var index = statement.startIndex
        while index < statement.endIndex, seen < position {
            if statement[index] == "\n" {
                line += 1
                column = 1
                lineStart = statement.index(after: index)
            } else {
                column += 1
            }
            // The server counts code points, and "\r\n" is one Character but two code points.
            seen += statement[index].unicodeScalars.count
            index = statement.index(after: index)
        }
        let lineEnd = statement[lineStart...].firstIndex(of: "\n") ?? statement.endIndex
        self.line = line
        self.column = column
        lineText = String(statement[lineStart..<lineEnd])
    }

    /// psql's way of showing it: `LINE 2: from songplay` and a caret under the spot.
    public func pointer() -> String {
        let prefix = "LINE \(line): "
        let before = String(lineText.prefix(column - 1))
        let pad = String(repeating: " ", count: DisplayWidth.of(prefix) + DisplayWidth.of(before))
        return "\(prefix)\(lineText)\n\(pad)^"
    }
}
