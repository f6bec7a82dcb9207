import Foundation
import PostgresClient

/// A Redshift COPY statement, read as "COPY - Amazon Redshift"
/// (https://docs.aws.amazon.com/redshift/latest/dg/r_COPY.html) writes it: the table and
/// columns, the source, and the parameters the rehearsal emulates. A parameter it does not
/// emulate is refused by name rather than ignored, so a rehearsal never passes a COPY that
/// would behave otherwise on a cluster.
struct RedshiftCopyCommand: Equatable, Sendable {
    enum Format: Equatable, Sendable {
        /// `'auto'` (`ignoringCase`: `'auto ignorecase'`): keys matched to column names.
        case auto(ignoringCase: Bool)
        /// A jsonpaths file: its n-th path fills the n-th column.
        case jsonPaths(String)
    }

    var table: String
    var columns: [String]?
    /// `s3://bucket/prefix`, or (rehearsal only) a local folder's absolute path.
    var source: String
    var iamRole: String?
    var region: String?
    var format: Format = .auto(ignoringCase: false)
    /// `TIMEFORMAT`: `epochmillisecs`, `epochsecs`, `auto` or a pattern (TIMESTAMP columns).
    var timeFormat: String?
    var blanksAsNull = false
    var emptyAsNull = false
    var truncateColumns = false
    /// `ACCEPTINVCHARS [AS 'c']`: invalid UTF-8 replaced by this character, byte for byte.
    var acceptInvalidCharacters: UInt8?
    var maxError = 0

    /// Whether the rehearsal reads the source itself (not a COPY FROM STDIN of its own).
    var readsFiles: Bool { S3Location.isS3(source) || source.hasPrefix("/") || source.hasPrefix("file://") }

    /// Nil when `sql` is not a COPY … FROM '<source>' (a COPY FROM STDIN, say).
    init?(_ sql: String) throws {
        var tokens = Tokens(sql)
        guard tokens.keyword() == "COPY", let table = tokens.name() else { return nil }
        self.table = table
        if tokens.take("(") {
            var names: [String] = []
            repeat {
                guard let name = tokens.name() else { throw Self.problem("a column name", tokens) }
                names.append(name.lowercased())
            } while tokens.take(",")
            guard tokens.take(")") else { throw Self.problem("')' after the column list", tokens) }
            columns = names
        }
        guard tokens.keyword() == "FROM" else { return nil }
        guard let source = tokens.literal() else { return nil }
        self.source = source
        while let word = tokens.keyword() {
            switch word {
            case "IAM_ROLE", "CREDENTIALS":
                iamRole = tokens.literal() ?? tokens.keyword()
            case "REGION":
                _ = tokens.take("AS")
                region = tokens.literal()
            case "FORMAT":
                _ = tokens.take("AS")
                guard tokens.keyword() == "JSON" else { throw Self.problem("JSON (the only format the rehearsal emulates)", tokens) }
                try readJSONFormat(&tokens)
            case "JSON":
                try readJSONFormat(&tokens)
            case "TIMEFORMAT":
                _ = tokens.take("AS")
                timeFormat = tokens.literal()
            case "BLANKSASNULL": blanksAsNull = true
            case "EMPTYASNULL": emptyAsNull = true
            case "TRUNCATECOLUMNS": truncateColumns = true
            case "ACCEPTINVCHARS":
                _ = tokens.take("AS")
                acceptInvalidCharacters = tokens.literal().flatMap { $0.utf8.first } ?? UInt8(ascii: "?")
            case "MAXERROR":
                _ = tokens.take("AS")
                guard let count = tokens.number() else { throw Self.problem("a number after MAXERROR", tokens) }
                maxError = count
            case "COMPUPDATE", "STATUPDATE":
                // Compression analysis and statistics: nothing to emulate.
                _ = tokens.keyword()
            default:
                throw DatabaseError(
                    sqlState: "0A000", message: "the Redshift rehearsal does not emulate the COPY parameter \(word)",
                    hint: "docs/redshift-facts.md lists what it emulates")
            }
        }
        _ = tokens.take(";")
        guard tokens.atEnd else { throw Self.problem("the end of the statement", tokens) }
    }

    private mutating func readJSONFormat(_ tokens: inout Tokens) throws {
        _ = tokens.take("AS")
        guard let argument = tokens.literal() else {
            format = .auto(ignoringCase: false)
            return
        }
        switch argument.lowercased() {
        case "auto": format = .auto(ignoringCase: false)
        case "auto ignorecase": format = .auto(ignoringCase: true)
        case "noshred": throw DatabaseError(sqlState: "0A000", message: "the Redshift rehearsal does not emulate JSON 'noshred'")
        default: format = .jsonPaths(argument)
        }
    }

    private static func problem(_ expected: String, _ tokens: Tokens) -> DatabaseError {
        DatabaseError(sqlState: "42601", message: "syntax error in COPY: expected \(expected) at \(tokens.here)")
    }

    /// The words, names, literals and marks of a statement.
    struct Tokens {
        let text: [Character]
        var index = 0

        init(_ sql: String) { text = Array(sql) }

        var atEnd: Bool {
            mutating get {
                skipBlanks()
                return index >= text.count
            }
        }

        var here: String { String(text[min(index, text.count)...].prefix(20)) }

        mutating func skipBlanks() {
            while index < text.count {
                if text[index].isWhitespace {
                    index += 1
                } else if text[index] == "-", index + 1 < text.count, text[index + 1] == "-" {
                    while index < text.count, text[index] != "\n" { index += 1 }
                } else {
                    return
                }
            }
        }

        /// A bare word, upper-cased; nil (nothing taken) at a literal or a mark.
        mutating func keyword() -> String? {
            skipBlanks()
            let start = index
            while index < text.count, text[index].isLetter || text[index].isNumber || text[index] == "_" { index += 1 }
            return index > start ? String(text[start..<index]).uppercased() : nil
        }

        /// A table or column name, qualified or quoted.
        mutating func name() -> String? {
            skipBlanks()
            var name = ""
            while index < text.count {
                if text[index] == "\"" {
                    index += 1
                    while index < text.count, text[index] != "\"" {
                        name.append(text[index])
                        index += 1
                    }
                    index += 1
                } else if text[index].isLetter || text[index].isNumber || text[index] == "_" || text[index] == "." {
                    name.append(text[index])
                    index += 1
                } else {
                    break
                }
            }
            return name.isEmpty ? nil : name
        }

        /// A quoted literal, with `''` and (as Redshift reads literals) backslash escapes undone.
        mutating func literal() -> String? {
            skipBlanks()
            guard index < text.count, text[index] == "'" else { return nil }
            index += 1
            var value = ""
            while index < text.count {
                let character = text[index]
                if character == "\\", index + 1 < text.count {
                    value.append(text[index + 1])
                    index += 2
                } else if character == "'" {
                    if index + 1 < text.count, text[index + 1] == "'" {
                        value.append("'")
                        index += 2
                    } else {
                        index += 1
                        return value
                    }
                } else {
                    value.append(character)
                    index += 1
                }
            }
            return value
        }

        mutating func number() -> Int? {
            skipBlanks()
            let start = index
            while index < text.count, text[index].isNumber { index += 1 }
            return index > start ? Int(String(text[start..<index])) : nil
        }

        /// Takes `mark` (a punctuation mark or a keyword) when it comes next.
        mutating func take(_ mark: String) -> Bool {
            skipBlanks()
            let characters = Array(mark)
            guard index + characters.count <= text.count else { return false }
            let candidate = String(text[index..<index + characters.count])
            guard candidate.uppercased() == mark.uppercased() else { return false }
            if mark.first?.isLetter == true, index + characters.count < text.count,
                text[index + characters.count].isLetter || text[index + characters.count] == "_"
            {
                return false
            }
            index += characters.count
            return true
        }
    }
}
