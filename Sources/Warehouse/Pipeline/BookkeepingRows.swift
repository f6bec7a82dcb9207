import Foundation

/// COPY text lines for the load's own tables (rejects and manifest), written after the staging
/// COPY in the same transaction, so they commit or roll back with the rows they describe.
enum BookkeepingRows {
    static func rejects(_ records: [RejectedRecord], table: Table, at loadedAt: String) -> [UInt8] {
        var out: [UInt8] = []
        for record in records {
            appendLine(&out, [loadedAt, table.qualifiedName, record.file, String(record.line), record.reason, record.raw])
        }
        return out
    }

    /// What the manifest rows of one step's files share.
    struct ManifestEntry {
        var table: Table
        /// The source's identity (`FileListing.source`).
        var source: String
        /// The number of the step's first file; the others follow in order.
        var firstFileNumber: Int
        /// What each file put in staging, by the files' positions in the step's list.
        var rows: [Int]
        var loadedAt: String
    }

    /// Manifest rows for `files`, a slice of the step's list (positions count from its start).
    static func manifest(_ files: ArraySlice<SourceFile>, _ entry: ManifestEntry) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(files.count * 120)
        for (index, file) in zip(files.indices, files) {
            let count = index < entry.rows.count ? entry.rows[index] : 0
            appendLine(
                &out,
                [
                    entry.table.qualifiedName, entry.source, file.name, String(entry.firstFileNumber + index), String(file.bytes),
                    file.etag, file.modifiedNanos.map(String.init), entry.loadedAt, String(count),
                ])
        }
        return out
    }

    /// Now, in UTC, as a TIMESTAMP literal: the tables keep UTC like the rest of the warehouse.
    static func timestampNow() -> String {
        var now = time(nil)
        var parts = tm()
        gmtime_r(&now, &parts)
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d", parts.tm_year + 1900, parts.tm_mon + 1,
            parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    /// One COPY text line of `values` (nil: NULL).
    static func appendLine(_ out: inout [UInt8], _ values: [String?]) {
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(0x09) }
            guard var value else {
                out.append(contentsOf: CopyText.null)
                continue
            }
            // Records and reasons had NUL made visible already; a file name cannot hold one.
            // Whatever slipped through is stored as U+FFFD rather than stopping the program.
            let mark = out.count
            if !value.withUTF8({ CopyText.appendEscaped($0, to: &out) }) {
                out.removeSubrange(mark...)  // what went out before the NUL
                var safe = value.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}")
                _ = safe.withUTF8 { CopyText.appendEscaped($0, to: &out) }
            }
        }
        out.append(0x0A)
    }
}
