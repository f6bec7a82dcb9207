import Foundation
import PostgresClient
import Warehouse

/// The headless commands' few words on stderr, so stdout carries only results.
enum Terminal {
    static func note(_ text: String) { write("sparkify: \(text)\n") }
    static func warn(_ text: String) { write("sparkify: warning: \(text)\n") }

    /// A plain write(2): a standard error that cannot be written has no one left to tell, and
    /// Foundation's `FileHandle.write` would trap on it.
    static func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let count = bytes.withUnsafeBytes { Foundation.write(STDERR_FILENO, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return }
            bytes = bytes.dropFirst(count)
        }
    }

    /// Reports an error as the user needs it: the server's fields, and where in the SQL.
    static func report(_ error: Error, statement: String? = nil) {
        switch error {
        case let error as DatabaseError:
            var text = "sparkify: \(error.severity) \(error.sqlState): \(error.message)\n"
            if let statement, let offset = error.position,
                let position = StatementPosition(characterOffset: offset, in: statement)
            {
                text += position.pointer() + "\n"
            }
            if let detail = error.detail { text += "DETAIL: \(detail)\n" }
            if let hint = error.hint { text += "HINT: \(hint)\n" }
            write(text)
        default:
            write("sparkify: \(error)\n")
        }
    }
}
