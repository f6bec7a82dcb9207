/// The statements in an editor's text, found by the lexer: a semicolon inside a string, a quoted
/// name, a comment or a dollar-quoted body does not end a statement.
public struct SQLStatements: Sendable {
    /// One statement: `range` covers its text from the first token that is not space or comment
    /// to the last (without the semicolon), which is what gets sent, so the server's error
    /// position counts from `range.lowerBound`.
    public struct Statement: Equatable, Sendable {
        public var range: Range<Int>
        /// From just after the previous statement's semicolon through this one's.
        var span: Range<Int>
    }

    public let statements: [Statement]
    private let text: [Character]

    public init(_ text: [Character]) {
        self.text = text
        var statements: [Statement] = []
        var spanStart = 0
        var body: Range<Int>?
        for token in SQLLexer.tokens(text) {
            if token.kind == .semicolon {
                if let found = body { statements.append(Statement(range: found, span: spanStart..<token.range.upperBound)) }
                spanStart = token.range.upperBound
                body = nil
            } else if !token.isTrivia {
                body = (body?.lowerBound ?? token.range.lowerBound)..<token.range.upperBound
            }
        }
        if let found = body { statements.append(Statement(range: found, span: spanStart..<text.count)) }
        self.statements = statements
    }

    public init(_ text: String) { self.init(Array(text)) }

    public func text(of statement: Statement) -> String { String(text[statement.range]) }

    /// The statement the cursor is in. Between statements: the one just ended on the cursor's
    /// line (the cursor sits after `select 1;` or after a trailing comment), otherwise the next
    /// one, otherwise the last one.
    public func statement(at cursor: Int) -> Statement? {
        guard !statements.isEmpty else { return nil }
        if let inside = statements.first(where: { $0.range.lowerBound <= cursor && cursor <= $0.range.upperBound }) {
            return inside
        }
        let previous = statements.last { $0.range.upperBound <= cursor }
        let next = statements.first { $0.range.lowerBound > cursor }
        if let previous {
            let between = text[previous.range.upperBound..<min(cursor, text.count)]
            if !between.contains(where: \.isNewline) || next == nil { return previous }
        }
        return next ?? previous
    }

    /// The server's 1-based error position (in code points) as a character offset into the
    /// statement's text: "\r\n" is one character and two code points.
    public static func characterOffset(ofServerPosition position: Int, in statement: String) -> Int {
        var remaining = position - 1
        var offset = 0
        for character in statement {
            guard remaining > 0 else { break }
            remaining -= character.unicodeScalars.count
            offset += 1
        }
        return offset
    }
}

extension SQLStatements {
    /// Statements whose first word writes rows or tables (INSERT, UPDATE, DELETE, COPY, TRUNCATE,
    /// DROP, CREATE, ALTER, MERGE): after one, row counts read before it may be stale.
    public static func changesData(_ statement: String) -> Bool {
        let characters = Array(statement)
        guard let first = SQLLexer.tokens(characters).first(where: { $0.kind == .keyword || $0.kind == .word }) else { return false }
        let word = String(characters[first.range]).lowercased()
        return ["insert", "update", "delete", "copy", "truncate", "drop", "create", "alter", "merge"].contains(word)
    }
}
