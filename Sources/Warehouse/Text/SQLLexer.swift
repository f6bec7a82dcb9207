/// Splits SQL text into tokens the way PostgreSQL's scanner sees them, as far as an editor needs:
/// where strings, quoted names, comments and dollar-quoted bodies begin and end, so that a
/// semicolon or a `--` inside one is not taken for what it looks like. The editor colours by
/// these tokens and picks the statement under the cursor by them.
///
/// Offsets are in `Character`s of the text, the unit the editor's cursor moves in.
public enum SQLLexer {
    public struct Token: Equatable, Sendable {
        public enum Kind: Equatable, Sendable {
            case whitespace, lineComment, blockComment
            /// '…', E'…', U&'…' and $tag$…$tag$.
            case string
            case quotedIdentifier
            case number
            case keyword, word
            /// $1, $2: a parameter, not a dollar quote.
            case parameter
            case semicolon
            case punctuation
        }
        public var kind: Kind
        public var range: Range<Int>

        /// Comments and space: what lies between statements without belonging to one.
        public var isTrivia: Bool { kind == .whitespace || kind == .lineComment || kind == .blockComment }
    }

    public static func tokens(_ text: [Character]) -> [Token] {
        var tokens: [Token] = []
        var scanner = Scanner(text: text)
        while let token = scanner.next() { tokens.append(token) }
        return tokens
    }

    public static func tokens(_ text: String) -> [Token] { tokens(Array(text)) }

    /// The words coloured as keywords: the ones a warehouse query is made of, not the whole
    /// reserved list (a column called `year` or `level` should not light up).
    public static let keywords: Set<String> = [
        "select", "from", "where", "and", "or", "not", "in", "is", "null", "as", "on", "join", "left",
        "right", "full", "inner", "outer", "cross", "using", "group", "by", "order", "having", "limit",
        "offset", "distinct", "union", "all", "except", "intersect", "case", "when", "then", "else",
        "end", "exists", "between", "like", "ilike", "asc", "desc", "nulls", "first", "last", "with",
        "recursive", "insert", "into", "values", "update", "set", "delete", "create", "drop", "alter",
        "table", "schema", "view", "index", "if", "primary", "key", "references", "foreign", "unique",
        "default", "constraint", "begin", "commit", "rollback", "transaction", "copy", "explain",
        "analyze", "vacuum", "truncate", "cast", "true", "false", "over", "partition", "window",
        "returning", "conflict", "do", "nothing", "grant", "revoke", "to", "for", "lateral", "filter",
        "within", "interval", "extract", "show", "temporary", "temp", "only", "cascade",
    ]

    private struct Scanner {
        let text: [Character]
        var index = 0

        init(text: [Character]) { self.text = text }

        func peek(_ ahead: Int = 0) -> Character? {
            index + ahead < text.count ? text[index + ahead] : nil
        }

        mutating func next() -> Token? {
            guard let character = peek() else { return nil }
            let start = index
            func token(_ kind: Token.Kind) -> Token { Token(kind: kind, range: start..<index) }

            if character.isWhitespace {
                while let c = peek(), c.isWhitespace { index += 1 }
                return token(.whitespace)
            }
            if character == "-", peek(1) == "-" {
                while let c = peek(), !c.isNewline { index += 1 }
                return token(.lineComment)
            }
            if character == "/", peek(1) == "*" {
                skipBlockComment()
                return token(.blockComment)
            }
            if character == "'" {
                skipQuoted("'", backslashEscapes: false)
                return token(.string)
            }
            if character == "E" || character == "e", peek(1) == "'" {
                index += 1
                skipQuoted("'", backslashEscapes: true)
                return token(.string)
            }
            if character == "U" || character == "u", peek(1) == "&", peek(2) == "'" || peek(2) == "\"" {
                let quote = peek(2)!
                index += 2
                skipQuoted(quote, backslashEscapes: false)
                return token(quote == "'" ? .string : .quotedIdentifier)
            }
            if character == "\"" {
                skipQuoted("\"", backslashEscapes: false)
                return token(.quotedIdentifier)
            }
            if character == "$" {
                if let next = peek(1), next.isASCII, next.isNumber {
                    index += 1
                    while let c = peek(), c.isASCII, c.isNumber { index += 1 }
                    return token(.parameter)
                }
                if let tag = dollarTag() {
                    skipDollarBody(tag)
                    return token(.string)
                }
                index += 1
                return token(.punctuation)
            }
            if character == ";" {
                index += 1
                return token(.semicolon)
            }
            if character.isASCII, character.isNumber || (character == "." && peek(1).map { $0.isASCII && $0.isNumber } == true) {
                skipNumber()
                return token(.number)
            }
            if Self.startsWord(character) {
                index += 1
                while let c = peek(), Self.continuesWord(c) { index += 1 }
                let word = String(text[start..<index]).lowercased()
                return token(SQLLexer.keywords.contains(word) ? .keyword : .word)
            }
            index += 1
            return token(.punctuation)
        }

        static func startsWord(_ c: Character) -> Bool { c == "_" || c.isLetter }
        /// PostgreSQL lets `$` continue a name (`a$b`), which is why `$` after a letter is no quote.
        static func continuesWord(_ c: Character) -> Bool { c == "_" || c == "$" || c.isLetter || c.isNumber }

        /// Block comments nest in PostgreSQL: `/* a /* b */ c */` is one comment.
        mutating func skipBlockComment() {
            index += 2
            var depth = 1
            while depth > 0, let c = peek() {
                if c == "/", peek(1) == "*" {
                    depth += 1
                    index += 2
                } else if c == "*", peek(1) == "/" {
                    depth -= 1
                    index += 2
                } else {
                    index += 1
                }
            }
        }

        /// From an opening quote to its closing one; a doubled quote is one quote character.
        /// An unterminated string runs to the end, as it does for the server.
        mutating func skipQuoted(_ quote: Character, backslashEscapes: Bool) {
            index += 1
            while let c = peek() {
                if backslashEscapes, c == "\\" {
                    index += 2
                    continue
                }
                index += 1
                if c == quote {
                    if peek() == quote {
                        index += 1
                        continue
                    }
                    return
                }
            }
            index = min(index, text.count)
        }

        /// `$$` or `$name$` at the index, or nil when the dollar starts no quote.
        func dollarTag() -> [Character]? {
            var end = index + 1
            while end < text.count, text[end] != "$" {
                let c = text[end]
                let allowed = end == index + 1 ? Self.startsWord(c) : (c == "_" || c.isLetter || c.isNumber)
                guard allowed else { return nil }
                end += 1
            }
            guard end < text.count else { return nil }
            return Array(text[index...end])
        }

        mutating func skipDollarBody(_ tag: [Character]) {
            index += tag.count
            while index < text.count {
                if text[index] == "$", index + tag.count <= text.count, Array(text[index..<(index + tag.count)]) == tag {
                    index += tag.count
                    return
                }
                index += 1
            }
        }

        mutating func skipNumber() {
            while let c = peek(), c.isASCII, c.isNumber || c == "." { index += 1 }
            if let e = peek(), e == "e" || e == "E" {
                let sign = peek(1) == "+" || peek(1) == "-" ? 1 : 0
                if let digit = peek(1 + sign), digit.isASCII, digit.isNumber {
                    index += 1 + sign
                    while let c = peek(), c.isASCII, c.isNumber { index += 1 }
                }
            }
        }
    }
}
