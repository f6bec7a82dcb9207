import Foundation

/// A source record a copy step would not load, kept in `staging.load_errors` for the user.
public struct RejectedRecord: Equatable, Sendable {
    public var file: String
    public var line: Int
    public var reason: String
    /// The record as it was in the file, cut at 1 KiB.
    public var raw: String

    static let rawLimit = 1024

    init(file: String, line: Int, reason: String, raw: UnsafeBufferPointer<UInt8>) {
        self.file = file
        self.line = line
        self.reason = Self.visible(reason)
        // Cut at a character boundary; bytes that are not UTF-8 become U+FFFD, NUL too, so
        // the raw text can always be stored.
        var cut = min(raw.count, Self.rawLimit)
        while cut > 0, cut < raw.count, raw[cut] & 0xC0 == 0x80 { cut -= 1 }
        self.raw = String(decoding: UnsafeBufferPointer(rebasing: raw[0..<cut]), as: UTF8.self)
            .replacingOccurrences(of: "\u{0}", with: "\u{FFFD}")
    }

    public init(file: String, line: Int, reason: String, raw: String) {
        self.file = file
        self.line = line
        self.reason = Self.visible(reason)
        self.raw = raw.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}")
    }

    /// A reason quotes the record's own text, which may hold control characters (a `\u0000`
    /// in a string): shown as their escapes, so a message never prints a raw NUL or moves the
    /// cursor, and the text can always be stored.
    static func visible(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\t" || $0.value == 0x7F }) else { return text }
        var shown = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 && scalar != "\t" || scalar.value == 0x7F {
                shown += String(format: "\\u%04X", scalar.value)
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return shown
    }

    public var location: String { "\(file):\(line)" }
}

/// More bad records than the load's error limit allows: the copy step fails and rolls back.
/// Said without naming a flag: `etl` names its `--max-errors`, the console its own key.
public struct TooManyBadRecords: Error, CustomStringConvertible, Sendable {
    public var record: RejectedRecord
    public var limit: Int

    public var description: String {
        let allowance =
            limit == 0
            ? "the error limit is 0: no bad record may be skipped"
            : "more than the error limit of \(Figures.count(limit, "bad record"))"
        return "\(record.location): \(record.reason) (\(allowance))"
    }
}
