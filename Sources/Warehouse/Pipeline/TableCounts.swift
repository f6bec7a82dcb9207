/// The row count of every warehouse table, nil for a table that does not exist yet.
public enum TableCounts {
    public static func read(on connection: Connection) throws -> [(table: Table, rows: Int?)] {
        let tables = StarSchema.stagingTables + StarSchema.analyticsTables + [StarSchema.loadErrors]
        // information_schema answers on PostgreSQL and Redshift alike.
        let existing = Set(try connection.execute("""
            SELECT table_schema || '.' || table_name FROM information_schema.tables
            WHERE table_schema IN ('\(StarSchema.stagingSchema)', '\(StarSchema.analyticsSchema)');
            """).rows.compactMap { $0[0] })
        let present = tables.filter { existing.contains($0.qualifiedName) }
        var counts: [String: Int] = [:]
        if !present.isEmpty {
            let sql = present.map { "SELECT '\($0.qualifiedName)', count(*) FROM \($0.qualifiedName)" }
                .joined(separator: "\nUNION ALL ") + ";"
            for row in try connection.execute(sql).rows {
                if let name = row[0], let rows = row[1].flatMap({ Int($0) }) { counts[name] = rows }
            }
        }
        return tables.map { ($0, counts[$0.qualifiedName]) }
    }
}
