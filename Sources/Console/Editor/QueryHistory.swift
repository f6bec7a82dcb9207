import Foundation
import PostgresClient
import Warehouse

/// The statements run in the console, kept between sessions in
/// `$XDG_STATE_HOME/sparkify/history` (`~/.local/state/sparkify/history`), one JSON string a
/// line so a statement's own line breaks survive. Secrets are taken out before anything is
/// written (`SecretRedaction`), and the file is readable by its owner only.
struct QueryHistory: Sendable {
    private(set) var entries: [String] = []
    let path: String?
    private let known: [Secret]
    static let limit = 1_000

    /// Where browsing is: nil while editing new text, else an index into `entries`.
    var browsing: Int?
    /// The text being edited when browsing began, given back after the newest entry.
    var draft: String?

    init(path: String?, known: [Secret] = []) {
        self.path = path
        self.known = known
        guard let path, let data = FileManager.default.contents(atPath: path) else { return }
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n") {
            if let entry = try? JSONDecoder().decode(String.self, from: Data(line.utf8)) { entries.append(entry) }
        }
        if entries.count > Self.limit {
            // The file only grows between sessions; it is cut back to the entries kept.
            entries.removeFirst(entries.count - Self.limit)
            rewrite()
        }
    }

    /// Every secret the configuration holds, to be masked wherever a statement quotes it: the
    /// database password and the `[AWS] SECRET`.
    static func configuredSecrets(settings: ConnectionSettings?, config: DwhConfig?) -> [Secret] {
        [settings?.password, config?.connection.password, config?.awsSecret].compactMap { $0 }
    }

    static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") { return state + "/sparkify/history" }
        let home = environment["HOME"] ?? NSHomeDirectory()
        return home + "/.local/state/sparkify/history"
    }

    /// Adds a statement run (redacted), unless it repeats the last one. Returns the entry for
    /// the file (`append(_:)`, done by the session: the state writes no files), or nil.
    mutating func add(_ sql: String) -> String? {
        browsing = nil
        draft = nil
        let entry = SecretRedaction.redact(sql.trimmingCharacters(in: .whitespacesAndNewlines), known: known)
        guard !entry.isEmpty, entry != entries.last else { return nil }
        entries.append(entry)
        if entries.count > Self.limit { entries.removeFirst(entries.count - Self.limit) }
        return entry
    }

    /// The entry before (`-1`) or after (`+1`) the one shown; `current` is the editor's text,
    /// kept as the draft when browsing starts. Nil when there is nowhere to go.
    mutating func step(_ direction: Int, current: String) -> String? {
        guard !entries.isEmpty else { return nil }
        let from = browsing ?? entries.count
        let to = from + direction
        if browsing == nil { draft = current }
        if to >= entries.count {
            guard browsing != nil else { return nil }
            browsing = nil
            return draft ?? ""
        }
        guard to >= 0 else { return nil }
        browsing = to
        return entries[to]
    }

    private func rewrite() {
        guard let path else { return }
        let text = entries.compactMap { try? JSONEncoder().encode($0) }.map { String(decoding: $0, as: UTF8.self) + "\n" }.joined()
        let temporary = path + ".new"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else { return }
        _ = rename(temporary, path)
    }

    /// Where the editor's text is kept between sessions: beside the history, as `editor.sql`.
    var editorTextPath: String? { path.map { ($0 as NSString).deletingLastPathComponent + "/editor.sql" } }

    /// The editor's text as it may be kept: the same secrets masked as in the history.
    func redacted(_ text: String) -> String { SecretRedaction.redact(text, known: known) }

    /// The text the editor held when the console last closed (or last ran a statement).
    func keptEditorText() -> String? {
        guard let path = editorTextPath, let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        return text.isEmpty ? nil : text
    }

    /// Keeps the editor's text (already redacted) for the next session, readable by its owner only.
    func keepEditorText(_ text: String) {
        guard let path = editorTextPath else { return }
        try? FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        let temporary = path + ".new"
        guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else { return }
        _ = rename(temporary, path)
    }

    /// Appends an entry `add` returned to the history file.
    func append(_ entry: String) {
        guard let path else { return }
        let directory = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700])
        guard let line = try? JSONEncoder().encode(entry) else { return }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let bytes = [UInt8](line) + [10]
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }
}
