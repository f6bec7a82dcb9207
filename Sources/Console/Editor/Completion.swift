import Warehouse

/// What may be typed at the cursor, from the statement around it and the catalog: after FROM,
/// JOIN, INTO, UPDATE or TABLE a relation (or a schema, to qualify one); after `schema.` that
/// schema's relations; after `alias.` or `table.` that table's columns; elsewhere the columns of
/// the statement's tables, functions and keywords. Like pgcli's, without a parser: the tokens
/// before the cursor say enough.
public struct Completion: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case keyword, schema, relation, column, function
    }

    public struct Item: Sendable, Equatable {
        /// What replaces the word at the cursor.
        public var text: String
        public var kind: Kind
        /// A column's type, a relation's schema.
        public var detail: String

        public init(_ text: String, _ kind: Kind, detail: String = "") {
            self.text = text
            self.kind = kind
            self.detail = detail
        }
    }

    /// The characters the chosen item replaces: the word (and its qualifier) before the cursor.
    public var replacing: Range<Int>
    /// What was typed of it.
    public var prefix: String
    public var items: [Item]

    /// Keywords offered where a keyword may go: the ones a warehouse query is made of.
    static let keywords = [
        "SELECT", "FROM", "WHERE", "GROUP BY", "ORDER BY", "HAVING", "LIMIT", "OFFSET", "JOIN", "LEFT JOIN", "INNER JOIN", "FULL JOIN",
        "CROSS JOIN", "ON", "USING", "AND", "OR", "NOT", "IN", "IS NULL", "IS NOT NULL", "BETWEEN", "LIKE", "ILIKE", "EXISTS", "DISTINCT",
        "AS", "CASE", "WHEN", "THEN", "ELSE", "END", "UNION", "UNION ALL", "EXCEPT", "INTERSECT", "WITH", "ASC", "DESC", "NULLS FIRST",
        "NULLS LAST", "OVER", "PARTITION BY", "INSERT INTO", "VALUES", "UPDATE", "SET", "DELETE FROM", "CREATE TABLE", "DROP TABLE",
        "ALTER TABLE", "TRUNCATE", "EXPLAIN", "EXPLAIN ANALYZE", "BEGIN", "COMMIT", "ROLLBACK", "COUNT", "SUM", "AVG", "MIN", "MAX",
        "CAST", "EXTRACT", "INTERVAL", "DATE_TRUNC", "COALESCE", "NULLIF", "TRUE", "FALSE", "NULL",
    ]

    /// Words after which a relation's name comes.
    static let relationWords: Set<String> = ["from", "join", "into", "update", "table", "truncate", "describe"]

    /// The completion at `cursor` in `text`; nil when nothing fits.
    public static func at(_ cursor: Int, in text: [Character], catalog: SchemaCatalog) -> Completion? {
        let cursor = min(max(0, cursor), text.count)
        // The word being typed, with its qualifier: letters, digits, _, $, and dots between them.
        var start = cursor
        while start > 0, isNamePart(text[start - 1]) { start -= 1 }
        let written = String(text[start..<cursor])
        if let first = written.first, first.isNumber { return nil }
        // Inside a string or a comment there is nothing to complete.
        let tokens = SQLLexer.tokens(text)
        if tokens.contains(where: { isInside($0, cursor, text) }) { return nil }
        let statement = statementTokens(tokens, around: cursor, in: text)
        let before = statement.filter { $0.range.upperBound <= start && !$0.isTrivia }
        let previousWord = before.last.flatMap { token -> String? in
            token.kind == .keyword || token.kind == .word ? String(text[token.range]).lowercased() : nil
        }

        var items: [Item] = []
        let dot = written.lastIndex(of: ".")
        let typed = dot.map { String(written[written.index(after: $0)...]) } ?? written
        if let dot {
            let qualifier = String(written[..<dot])
            if let relation = relation(for: qualifier, statement: statement, text: text, catalog: catalog) {
                items = relation.columns.map { Item(qualifier + "." + $0.name, .column, detail: $0.type) }
            } else {
                let schema = SchemaCatalog.unquoted(qualifier)
                items = catalog.relations.filter { $0.schema == schema }.map { Item(qualifier + "." + $0.name, .relation, detail: $0.schema) }
            }
        } else if let previousWord, relationWords.contains(previousWord) {
            items = relationItems(catalog)
        } else if previousWord == nil, before.last.map({ String(text[$0.range]) }) == ",", clauseWord(before, text) == "from" {
            items = relationItems(catalog)
        } else {
            let tables = statementRelations(statement, text: text, catalog: catalog)
            var seen = Set<String>()
            for relation in tables {
                for column in relation.columns where seen.insert(column.name).inserted {
                    items.append(Item(column.name, .column, detail: column.type))
                }
            }
            if before.isEmpty {
                items = keywords.map { Item($0, .keyword) }
            } else {
                items += catalog.functions.map { Item($0, .function) } + keywords.map { Item($0, .keyword) }
            }
        }
        let wanted = typed.lowercased()
        let matching = items.filter { item in
            let name = dot.map { _ in String(item.text.split(separator: ".").last ?? "") } ?? item.text
            return name.lowercased().hasPrefix(wanted) && name.lowercased() != wanted
        }
        guard !matching.isEmpty else { return nil }
        return Completion(replacing: start..<cursor, prefix: written, items: matching)
    }

    /// The longest start every item shares (what Tab can type at once), not shorter than the prefix.
    public var commonPrefix: String {
        guard var shared = items.first?.text else { return prefix }
        for item in items.dropFirst() {
            while !item.text.lowercased().hasPrefix(shared.lowercased()) { shared.removeLast() }
        }
        return shared.count > prefix.count ? shared : prefix
    }

    /// Whether the cursor is inside a string or a comment (an open one runs to the cursor).
    private static func isInside(_ token: SQLLexer.Token, _ cursor: Int, _ text: [Character]) -> Bool {
        guard [.string, .lineComment, .blockComment].contains(token.kind), token.range.lowerBound < cursor, cursor <= token.range.upperBound
        else { return false }
        guard cursor == token.range.upperBound else { return true }
        switch token.kind {
        case .lineComment: return true
        case .blockComment: return !(token.range.count >= 4 && text[token.range.upperBound - 2] == "*" && text[token.range.upperBound - 1] == "/")
        default: return !(token.range.count >= 2 && text[token.range.upperBound - 1] == text[token.range.lowerBound])
        }
    }

    public static func isNamePart(_ character: Character) -> Bool {
        character.isLetter || character.isNumber || character == "_" || character == "$" || character == "." || character == "\""
    }

    private static func relationItems(_ catalog: SchemaCatalog) -> [Item] {
        var items: [Item] = []
        for schema in catalog.searchPath {
            items += catalog.relations.filter { $0.schema == schema }.map { Item($0.name, .relation, detail: $0.schema) }
        }
        items += catalog.schemas.map { Item($0 + ".", .schema) }
        return items
    }

    /// The tokens of the statement the cursor is in (between semicolons).
    private static func statementTokens(_ tokens: [SQLLexer.Token], around cursor: Int, in text: [Character]) -> [SQLLexer.Token] {
        var start = 0
        var end = tokens.count
        for (index, token) in tokens.enumerated() where token.kind == .semicolon {
            if token.range.upperBound <= cursor {
                start = index + 1
            } else {
                end = index
                break
            }
        }
        return Array(tokens[start..<end])
    }

    /// The last clause keyword before the cursor (FROM, WHERE…), to read a comma by.
    private static func clauseWord(_ before: [SQLLexer.Token], _ text: [Character]) -> String? {
        let clauses: Set<String> = ["select", "from", "where", "group", "order", "having", "set", "on", "join"]
        return before.reversed().lazy.map { String(text[$0.range]).lowercased() }.first { clauses.contains($0) }
    }

    /// The relations the statement reads or writes, by the names after FROM, JOIN, INTO, UPDATE
    /// (and after commas in a FROM list), with their aliases.
    private static func namedRelations(_ statement: [SQLLexer.Token], text: [Character]) -> [(name: String, alias: String?)] {
        let words = statement.filter { !$0.isTrivia }.map { (token: $0, text: String(text[$0.range])) }
        var found: [(name: String, alias: String?)] = []
        var index = 0
        var inFrom = false
        while index < words.count {
            let word = words[index].text.lowercased()
            if ["where", "group", "order", "having", "limit", "on", "using", "set", "values", "select"].contains(word) { inFrom = false }
            if relationWords.contains(word) || (inFrom && word == ",") {
                if word == "from" || word == "join" { inFrom = true }
                var name = ""
                var next = index + 1
                // A qualified name arrives as word, '.', word.
                while next < words.count, [.word, .keyword, .quotedIdentifier].contains(words[next].token.kind) || words[next].text == "." {
                    if words[next].text != "." && !name.isEmpty && !name.hasSuffix(".") { break }
                    name += words[next].text
                    next += 1
                }
                if !name.isEmpty {
                    var alias: String?
                    if next < words.count, words[next].text.lowercased() == "as" { next += 1 }
                    if next < words.count, words[next].token.kind == .word || words[next].token.kind == .quotedIdentifier {
                        alias = SchemaCatalog.unquoted(words[next].text)
                        next += 1
                    }
                    found.append((name, alias))
                    index = next
                    continue
                }
            }
            index += 1
        }
        return found
    }

    private static func statementRelations(_ statement: [SQLLexer.Token], text: [Character], catalog: SchemaCatalog) -> [SchemaCatalog.Relation] {
        namedRelations(statement, text: text).compactMap { catalog.relation(named: $0.name) }
    }

    /// The relation `qualifier` names in the statement: an alias, or a table's own name.
    private static func relation(
        for qualifier: String, statement: [SQLLexer.Token], text: [Character], catalog: SchemaCatalog
    ) -> SchemaCatalog.Relation? {
        let key = SchemaCatalog.unquoted(qualifier)
        for named in namedRelations(statement, text: text) {
            let last = SchemaCatalog.unquoted(String(named.name.split(separator: ".").last ?? ""))
            if named.alias == key || (named.alias == nil && last == key) || named.name.lowercased() == qualifier.lowercased() {
                return catalog.relation(named: named.name)
            }
        }
        return nil
    }
}
