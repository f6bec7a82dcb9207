import Foundation

/// Writes values back into a `dwh.cfg` the way a person would edit it: the key's own line
/// changes and nothing else (comments, blank lines, key order, quoting style, line ends and the
/// file's mode stay); a missing key goes at the end of its section, a missing section at the end.
public struct ConfigEditor {
    public let path: String
    private var lines: [String]
    private let lineEnd: String

    public init(path: String) throws {
        self.path = path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigError(path: path, line: nil, key: nil, problem: "cannot be read")
        }
        lineEnd = text.contains("\r\n") ? "\r\n" : "\n"
        var split = text.components(separatedBy: lineEnd)
        if split.last == "" { split.removeLast() }
        lines = split
    }

    /// Sets `[section] key = value`; true when the file changes. Where keys and sections stand
    /// is `IniFile`'s reading (the one dwh.cfg reader), so the two never disagree.
    @discardableResult
    public mutating func set(_ section: String, _ key: String, _ value: String) throws -> Bool {
        let ini = try IniFile(path: path, text: lines.joined(separator: "\n"))
        if let entry = ini.entry(section, key) {
            let rewritten = Self.replacingValue(in: lines[entry.line - 1], with: value)
            guard rewritten != lines[entry.line - 1] else { return false }
            lines[entry.line - 1] = rewritten
            return true
        }
        guard !value.isEmpty else { return false }  // clearing a key that is not there changes nothing
        let newLine = "\(key)=\(value)"
        let name = section.uppercased()
        if let last = ini.entries.filter({ $0.section == name }).map(\.line).max() ?? ini.sectionLines[name] {
            lines.insert(newLine, at: last)
        } else {
            if let last = lines.last, !last.trimmingCharacters(in: .whitespaces).isEmpty { lines.append("") }
            lines += ["[\(name)]", newLine]
        }
        return true
    }

    /// The line with its value replaced: the separator and its spacing, and the quotes the
    /// old value had, kept.
    static func replacingValue(in line: String, with value: String) -> String {
        guard let separator = line.firstIndex(where: { $0 == "=" || $0 == ":" }) else { return line }
        let afterSeparator = line[line.index(after: separator)...]
        let spacing = afterSeparator.prefix { $0 == " " || $0 == "\t" }
        let old = afterSeparator.dropFirst(spacing.count).trimmingCharacters(in: .whitespaces)
        var quote = ""
        for mark in ["'", "\""] where old.count >= 2 && old.hasPrefix(mark) && old.hasSuffix(mark) { quote = mark }
        if old.isEmpty, value.contains(" ") { quote = "'" }
        return String(line[...separator]) + spacing + quote + value + quote
    }

    /// Writes the file in place of the old one, atomically, with the old one's mode (0600 for a
    /// file holding a password).
    public func save() throws {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        let mode = (attributes?[.posixPermissions] as? NSNumber)?.intValue ?? 0o600
        let temporary = path + ".sparkify-new"
        let text = lines.joined(separator: lineEnd) + lineEnd
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: mode]) else {
            throw ConfigError(path: path, line: nil, key: nil, problem: "could not be written (\(temporary))")
        }
        guard rename(temporary, path) == 0 else {
            throw ConfigError(path: path, line: nil, key: nil, problem: "could not be replaced: \(String(cString: strerror(errno)))")
        }
    }
}
