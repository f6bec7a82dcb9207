import Foundation

/// How a Redshift COPY turns one JSON value into a column's value, as "Data conversion
/// parameters - Amazon Redshift" (https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-conversion.html)
/// and "Load error reference" (https://docs.aws.amazon.com/redshift/latest/dg/r_Load_Error_Reference.html)
/// say: "COPY attempts to implicitly convert the strings in the source data to the data type
/// of the target column", and a value it cannot convert is a load error with that page's code.
/// Where AWS gives a message's words (1207's "Invalid digit, Value '.', Pos 8, Type: Long", as
/// a cluster's stl_load_errors row shows it) they are kept; the others are sparkify's words.
struct RedshiftColumn: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        /// `bytes`: 2, 4 or 8.
        case integer(bytes: Int)
        case float
        case numeric
        /// CHAR/VARCHAR: at most `bytes` bytes ("Length in bytes, not characters": r_Character_types).
        case text(bytes: Int?)
        case timestamp
        case boolean
        case other(String)
    }

    var name: String
    var kind: Kind
    var notNull: Bool

    /// The type as stl_load_errors.type names it.
    var typeName: String {
        switch kind {
        case .integer(let bytes): return "int\(bytes)"
        case .float: return "float8"
        case .numeric: return "numeric"
        case .text: return "varchar"
        case .timestamp: return "timestamp"
        case .boolean: return "bool"
        case .other(let name): return name
        }
    }

    var lengthText: String {
        if case .text(let bytes?) = kind { return String(bytes) }
        return "0"
    }

    /// From information_schema.columns' data_type and character_maximum_length.
    init(name: String, dataType: String, length: Int?, notNull: Bool) {
        self.name = name
        self.notNull = notNull
        switch dataType {
        case "smallint": kind = .integer(bytes: 2)
        case "integer": kind = .integer(bytes: 4)
        case "bigint": kind = .integer(bytes: 8)
        case "double precision", "real": kind = .float
        case "numeric": kind = .numeric
        case "character varying", "character", "text": kind = .text(bytes: length)
        case "timestamp without time zone", "timestamp with time zone": kind = .timestamp
        case "boolean": kind = .boolean
        default: kind = .other(dataType)
        }
    }
}

/// A value COPY could not load: one stl_load_errors row.
struct RedshiftLoadError: Error, Equatable {
    var code: Int
    var message: String
    var position = 0
}

/// The conversion rules of one COPY.
struct RedshiftValueRules: Sendable {
    var blanksAsNull = false
    var emptyAsNull = false
    var truncateColumns = false
    var acceptInvalidCharacters: UInt8?
    var timeFormat: String?

    /// The value's text for PostgreSQL's COPY, or nil for NULL. `kind`: the JSON value's kind;
    /// `value`: its bytes (a string's decoded text, a number's literal, `t`/`f`).
    func convert(_ kind: JSONRecord.Kind, _ value: UnsafeBufferPointer<UInt8>, for column: RedshiftColumn) throws -> [UInt8]? {
        if kind == .null { return nil }
        var bytes = Array(value)
        if kind == .bool { bytes = Array((value.first == UInt8(ascii: "t") ? "true" : "false").utf8) }
        switch column.kind {
        case .text(let limit):
            // Invalid UTF-8: 1220, unless ACCEPTINVCHARS replaces each byte of it
            // ("a string of equal length consisting of the character specified").
            if String(validating: bytes, as: UTF8.self) == nil {
                guard let replacement = acceptInvalidCharacters else {
                    let bad = Self.firstInvalidSequence(bytes)
                    throw RedshiftLoadError(
                        code: 1220,
                        message: "String contains invalid or unsupported UTF8 codepoints. Bad UTF8 hex sequence: \(bad)")
                }
                bytes = Self.replacingInvalid(bytes, with: replacement)
            }
            // BLANKSASNULL and EMPTYASNULL "apply only to CHAR and VARCHAR columns".
            if emptyAsNull && bytes.isEmpty { return nil }
            if blanksAsNull && !bytes.isEmpty && bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }) { return nil }
            if let limit, bytes.count > limit {
                // TRUNCATECOLUMNS cuts to what fits, on a character's boundary.
                guard truncateColumns else { throw RedshiftLoadError(code: 1204, message: "String length exceeds DDL length") }
                var end = limit
                while end > 0, bytes[end] & 0xC0 == 0x80 { end -= 1 }
                bytes = Array(bytes[..<end])
            }
            return bytes
        case .integer(let width):
            // "Empty strings for other data types, such as INT, are always loaded with NULL."
            if bytes.isEmpty { return nil }
            let typeWord = width == 8 ? "Long" : width == 4 ? "Integer" : "Short"
            var digits = bytes[...]
            if digits.first == UInt8(ascii: "-") || digits.first == UInt8(ascii: "+") { digits = digits.dropFirst() }
            if let bad = digits.firstIndex(where: { $0 < UInt8(ascii: "0") || $0 > UInt8(ascii: "9") }) ?? (digits.isEmpty ? digits.startIndex : nil)
            {
                let character = bad < bytes.count ? String(decoding: [bytes[bad]], as: UTF8.self) : ""
                throw RedshiftLoadError(
                    code: 1207, message: "Invalid digit, Value '\(character)', Pos \(bad), Type: \(typeWord)", position: bad)
            }
            let limit: Int64 = width == 8 ? .max : width == 4 ? Int64(Int32.max) : Int64(Int16.max)
            guard let number = Int64(String(decoding: bytes, as: UTF8.self)), number <= limit, number >= -limit - 1 else {
                throw RedshiftLoadError(code: 1204, message: "Overflow for type \(typeWord), Value '\(String(decoding: bytes, as: UTF8.self))'")
            }
            return Array(String(number).utf8)
        case .float, .numeric:
            if bytes.isEmpty { return nil }
            let text = String(decoding: bytes, as: UTF8.self)
            guard Double(text) != nil, !text.contains(where: { $0.isWhitespace }) else {
                let code = column.kind == .float ? 1208 : 1209
                throw RedshiftLoadError(code: code, message: "Invalid \(code == 1208 ? "float" : "decimal") value, Value '\(text)'")
            }
            return bytes
        case .boolean:
            if bytes.isEmpty { return nil }
            let text = String(decoding: bytes, as: UTF8.self).lowercased()
            guard ["true", "false", "t", "f", "1", "0", "yes", "no", "y", "n"].contains(text) else {
                throw RedshiftLoadError(code: 1210, message: "Invalid boolean value, Value '\(text)'")
            }
            return Array(text.utf8)
        case .timestamp:
            if bytes.isEmpty { return nil }
            let text = String(decoding: bytes, as: UTF8.self)
            // TIMEFORMAT 'epochmillisecs' / 'epochsecs': "the number of seconds or milliseconds
            // since January 1, 1970, 00:00:00 UTC".
            if let format = timeFormat, format == "epochmillisecs" || format == "epochsecs" {
                guard let number = Double(text) else {
                    throw RedshiftLoadError(code: 1206, message: "Invalid timestamp format or value [\(format)], Value '\(text)'")
                }
                let seconds = format == "epochmillisecs" ? number / 1000 : number
                return Array(Self.timestampText(seconds).utf8)
            }
            // The default format, 'YYYY-MM-DD HH:MI:SS' (fractions allowed); anything else is
            // 1206, never a value PostgreSQL would refuse mid-COPY.
            guard RedshiftDDL.match(#"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?)?$"#, in: text) != nil else {
                throw RedshiftLoadError(code: 1206, message: "Invalid timestamp format or value [YYYY-MM-DD HH24:MI:SS], Value '\(text)'")
            }
            return bytes
        case .other:
            return bytes
        }
    }

    /// UTC text PostgreSQL reads as a timestamp, milliseconds kept.
    static func timestampText(_ seconds: Double) -> String {
        var whole = time_t(seconds.rounded(.down))
        let millis = Int(((seconds - Double(whole)) * 1000).rounded())
        var parts = tm()
        gmtime_r(&whole, &parts)
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d.%03d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday, parts.tm_hour,
            parts.tm_min, parts.tm_sec, millis)
    }

    /// The first bytes that are not UTF-8, in hex, as the 1220 message shows them.
    static func firstInvalidSequence(_ bytes: [UInt8]) -> String {
        let offset = bytes.withUnsafeBufferPointer { UTF8Validation.firstInvalidOffset($0) } ?? 0
        return bytes[offset..<min(bytes.count, offset + 1)].map { String(format: "%02x", $0) }.joined()
    }

    /// Each byte of each invalid sequence replaced by `replacement`.
    static func replacingInvalid(_ bytes: [UInt8], with replacement: UInt8) -> [UInt8] {
        var result: [UInt8] = []
        var rest = bytes[...]
        while !rest.isEmpty {
            let offset = rest.withUnsafeBufferPointer { UTF8Validation.firstInvalidOffset($0) }
            guard let offset else {
                result += rest
                break
            }
            result += rest.prefix(offset)
            result.append(replacement)
            rest = rest.dropFirst(offset + 1)
        }
        return result
    }
}
