/// The records a Redshift COPY rejected, from `stl_load_errors`, turned into the same
/// `RejectedRecord`s (and `staging.load_errors` rows) a PostgreSQL load keeps, so both engines'
/// rejects read alike.
enum RedshiftLoadErrors {
    /// Of the last COPY in this session; readable after it failed and was rolled back.
    static let query = """
        SELECT TRIM(filename), line_number, TRIM(colname), TRIM(err_reason), TRIM(raw_field_value), TRIM(raw_line)
        FROM stl_load_errors WHERE query = pg_last_copy_id()
        ORDER BY filename, line_number
        LIMIT 1000;
        """

    static func records(_ rows: [[String?]]) -> [RejectedRecord] {
        rows.map { row in
            var reason = row[3] ?? "rejected"
            if let column = row[2], !column.isEmpty { reason = "column \(column): " + reason }
            if let value = row[4], !value.isEmpty { reason += " (value '\(value)')" }
            return RejectedRecord(file: row[0] ?? "?", line: row[1].flatMap { Int($0) } ?? 0, reason: reason, raw: row[5] ?? "")
        }
    }

    /// The form of `insert`, for the dry run: the values are known only once the COPY ran.
    static let insertForm =
        "INSERT INTO \(StarSchema.loadErrors.qualifiedName) (\(StarSchema.loadErrors.columnNames.joined(separator: ", "))) VALUES (…);"

    /// Redshift has no COPY FROM STDIN: the rows go in as one INSERT of literals, in the
    /// step's transaction. Nil when there are none.
    static func insert(_ records: [RejectedRecord], table: Table, at loadedAt: String) -> String? {
        guard !records.isEmpty else { return nil }
        let target = StarSchema.loadErrors
        let rows = records.map { record in
            let text = [loadedAt, table.qualifiedName, record.file].map(RedshiftCopy.literal)
            return "("
                + (text + [String(record.line)] + [record.reason, record.raw].map(RedshiftCopy.literal))
                .joined(separator: ", ") + ")"
        }
        return "INSERT INTO \(target.qualifiedName) (\(target.columnNames.joined(separator: ", "))) VALUES\n"
            + rows.joined(separator: ",\n") + ";"
    }
}

/// A Redshift COPY that failed, with the records `stl_load_errors` blames, said like a
/// PostgreSQL load's bad records.
public struct RedshiftCopyFailure: Error, CustomStringConvertible, Sendable {
    public var server: String
    public var records: [RejectedRecord]

    public var description: String {
        guard let first = records.first else { return server }
        var text = "\(first.location): \(first.reason)"
        if !first.raw.isEmpty { text += "\n    \(first.raw)" }
        if records.count > 1 { text += "\n(and \(records.count - 1) more in stl_load_errors)" }
        return text + "\n" + server
    }
}
