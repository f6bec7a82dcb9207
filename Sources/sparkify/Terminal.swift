import Foundation
import Warehouse

/// The headless commands' few words on stderr, so stdout carries only results.
enum Terminal {
    static func note(_ text: String) { write("sparkify: \(text)\n") }
    static func warn(_ text: String) { write("sparkify: warning: \(text)\n") }

    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
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
