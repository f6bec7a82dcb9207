import PostgresClient

/// Takes secrets out of SQL before it is kept anywhere (the query history): the string after
/// `PASSWORD`, `CREDENTIALS`, `ACCESS_KEY_ID`, `SECRET_ACCESS_KEY` or `SESSION_TOKEN`, any string
/// that holds `password=` or `aws_secret_access_key=`, and any known secret (the configured
/// password) wherever it appears, inside comments too.
public enum SecretRedaction {
    public static let mask = "'********'"
    static let secretWords: Set<String> = ["password", "credentials", "access_key_id", "secret_access_key", "session_token"]
    static let secretMarks = ["password=", "aws_secret_access_key=", "secret_access_key=", "session_token="]

    public static func redact(_ sql: String, known: [Secret] = []) -> String {
        let text = Array(sql)
        var out = ""
        var previousWord: String?
        for token in SQLLexer.tokens(text) {
            let piece = String(text[token.range])
            // A statement commented out keeps its secrets too: the comment's text is SQL to redact.
            if token.kind == .lineComment {
                out += "--" + redact(String(piece.dropFirst(2)), known: known)
                continue
            }
            if token.kind == .blockComment, piece.count >= 4, piece.hasSuffix("*/") {
                out += "/*" + redact(String(piece.dropFirst(2).dropLast(2)), known: known) + "*/"
                continue
            }
            if token.kind == .string {
                let lowered = piece.lowercased()
                if previousWord.map(secretWords.contains) == true || secretMarks.contains(where: lowered.contains) {
                    out += mask
                    previousWord = nil
                    continue
                }
            }
            out += piece
            if !token.isTrivia { previousWord = token.kind == .word || token.kind == .keyword ? piece.lowercased() : nil }
        }
        for secret in known where secret.revealed.count >= 4 {
            out = out.replacingOccurrences(of: secret.revealed, with: "********")
        }
        return out
    }
}
