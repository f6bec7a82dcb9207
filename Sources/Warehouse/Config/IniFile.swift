import PostgresClient

/// A parsed INI file as `dwh.cfg` users write it: `[SECTION]` headers, `KEY = value` or
/// `KEY: value`, `#`/`;` comment lines, values bare or wrapped in single or double quotes.
/// Section and key names are case-insensitive; every entry remembers its line for messages.
public struct IniFile: Sendable {
    public struct Entry: Sendable, Equatable {
        public var section: String
        public var key: String
        public var value: String
        public var line: Int
    }

    public let path: String
    public private(set) var entries: [Entry] = []
    /// Where each section header stands, upper-cased name to line.
    public private(set) var sectionLines: [String: Int] = [:]
    /// A key or section given twice, in words with its line: the file still reads (the last
    /// value wins, as configparser's would), but the user likely meant one of them.
    public private(set) var repeats: [String] = []

    public init(path: String, text: String) throws {
        self.path = path
        var section: String?
        var seen: [String: Int] = [:]
        // Any line ending (a file saved on Windows ends its lines in CR LF), and no BOM.
        let body = text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
        for (index, rawLine) in body.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let lineNumber = index + 1
            let line = String(rawLine).trimming(" \t\r")
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard line.hasSuffix("]"), line.count > 2 else {
                    throw ConfigError(
                        path: path, line: lineNumber, key: nil,
                        problem: "a section header must look like [CLUSTER]")
                }
                let name = String(line.dropFirst().dropLast()).trimming(" \t").uppercased()
                section = name
                if let first = sectionLines[name] {
                    repeats.append("\(path):\(lineNumber): [\(name)] again (first at line \(first)); its keys are read as one section")
                }
                sectionLines[name] = sectionLines[name] ?? lineNumber
                continue
            }
            guard let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else {
                throw ConfigError(
                    path: path, line: lineNumber, key: nil,
                    problem: "expected KEY = value")
            }
            let key = String(line[..<separator]).trimming(" \t").uppercased()
            guard !key.isEmpty else {
                throw ConfigError(path: path, line: lineNumber, key: nil, problem: "a value has no key name")
            }
            guard let section else {
                throw ConfigError(
                    path: path, line: lineNumber, key: key,
                    problem: "the key stands before any [SECTION] header")
            }
            let value = Self.unquote(String(line[line.index(after: separator)...]).trimming(" \t"))
            if let first = seen["\(section) \(key)"] {
                repeats.append("\(path):\(lineNumber): [\(section)] \(key) given again (first at line \(first)); this later value is used")
            }
            seen["\(section) \(key)"] = lineNumber
            entries.append(Entry(section: section, key: key, value: value, line: lineNumber))
        }
    }

    /// The last value given for a key, as configparser would keep it.
    public func entry(_ section: String, _ key: String) -> Entry? {
        let section = section.uppercased()
        let key = key.uppercased()
        return entries.last { $0.section == section && $0.key == key }
    }

    public func value(_ section: String, _ key: String) -> String? { entry(section, key)?.value }

    static func unquote(_ value: String) -> String {
        for quote in ["'", "\""] where value.count >= 2 && value.hasPrefix(quote) && value.hasSuffix(quote) {
            return String(value.dropFirst().dropLast())
        }
        return value
    }
}
