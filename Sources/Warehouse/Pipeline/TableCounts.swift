import PostgresClient

/// The row count of every warehouse table, nil for a table that does not exist yet.
public enum TableCounts {
    /// The tables a user watches during a load: staging, the star schema, and the rejects.
    public static let watched = StarSchema.stagingTables + StarSchema.analyticsTables + [StarSchema.loadErrors]

    public static func read(on connection: Connection) throws -> [(table: Table, rows: Int?)] {
        // information_schema answers on PostgreSQL and Redshift alike.
        let existing = Set(
            try connection.execute(
                """
                SELECT table_schema || '.' || table_name FROM information_schema.tables
                WHERE table_schema IN ('\(StarSchema.stagingSchema)', '\(StarSchema.analyticsSchema)');
                """
            ).rows.compactMap { $0[0] })
        let present = watched.filter { existing.contains($0.qualifiedName) }
        var counts: [String: Int] = [:]
        if !present.isEmpty {
            let sql = connection.server.engine == .redshift ? redshiftEstimates : exactCounts(present)
            for row in try connection.execute(sql).rows {
                if let name = row[0], let rows = row[1].flatMap({ Int($0) }) { counts[name] = rows }
            }
        }
        // svv_table_info leaves out empty tables: a table that exists but is not listed has 0 rows.
        return watched.map { ($0, existing.contains($0.qualifiedName) ? counts[$0.qualifiedName] ?? 0 : nil) }
    }

    private static func exactCounts(_ tables: [Table]) -> String {
        tables.map { "SELECT '\($0.qualifiedName)', count(*) FROM \($0.qualifiedName)" }
            .joined(separator: "\nUNION ALL ") + ";"
    }

    /// Redshift keeps row counts in its catalog; a count(*) of a billion-row fact table would
    /// cost a scan across the cluster for a number the pane refreshes after every step. Not
    /// tbl_rows, which "includes rows marked for deletion, but not yet vacuumed" (each re-run of
    /// a copy, a DELETE and a COPY, made it grow), but estimated_visible_rows, which "does not
    /// include rows marked for deletion" (https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_TABLE_INFO.html):
    /// an estimate, and front ends say so (`areEstimates`).
    static let redshiftEstimates = """
        SELECT "schema" || '.' || "table", estimated_visible_rows FROM svv_table_info
        WHERE "schema" IN ('\(StarSchema.stagingSchema)', '\(StarSchema.analyticsSchema)');
        """

    /// Whether the counts `read` gives on `connection` are Redshift's estimates, not counts.
    public static func areEstimates(on connection: Connection) -> Bool { connection.server.engine == .redshift }
}
