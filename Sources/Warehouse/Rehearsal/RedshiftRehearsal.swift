import Foundation
import PostgresClient

/// The Redshift rehearsal: the embedded PostgreSQL server, in a database of its own, spoken to
/// in Redshift. The Redshift plan runs on it exactly as `--dry-run --engine redshift` prints it:
/// what PostgreSQL spells otherwise is rewritten on the way (`translate`), what it has no form
/// of is done here (`run`: a COPY from S3 or a folder, a setting Redshift does not have), and
/// the system views sparkify and users read are emulated (`RehearsalCatalog`). Each rule names
/// its AWS page; docs/redshift-facts.md quotes them. Not emulated: speed, slices, WLM queues,
/// concurrency, and compression encodings.
public final class RedshiftRehearsal: StatementInterceptor {
    /// The database the rehearsal loads into, beside the embedded warehouse's own.
    public static let database = "sparkify_rehearsal"
    /// What a COPY's IAM_ROLE says when the rehearsal makes the plan itself: never checked.
    public static let placeholderRole = "arn:aws:iam::000000000000:role/sparkify-rehearsal"

    /// How S3 sources are read (sparkify's own client), when the COPY names any.
    let s3: S3Access?

    init(s3: S3Access?) { self.s3 = s3 }

    /// Settings for the rehearsal database on the embedded server, made (and brought up to
    /// date) on first use.
    /// `database`: another name gives a rehearsal of its own (the tests').
    public static func connectionSettings(embedded: ConnectionSettings, database: String = database) throws -> ConnectionSettings {
        var settings = embedded
        let admin = try Connection(embedded)
        defer { admin.close() }
        let exists = try admin.execute("SELECT 1 FROM pg_database WHERE datname = $1;", [database]).rows.isEmpty == false
        if !exists { try admin.execute("CREATE DATABASE \(database);") }
        settings.database = database
        settings.rehearsal = true
        let connection = try Connection(settings)
        defer { connection.close() }
        if !RehearsalCatalog.isCurrent(on: connection) {
            // Two first uses at once: one installs while the other waits, then finds it done.
            try connection.execute("SELECT pg_advisory_lock(\(LoadPlan.loadLockKey + 2));")
            if !RehearsalCatalog.isCurrent(on: connection) { try connection.execute(RehearsalCatalog.install) }
            try connection.execute("SELECT pg_advisory_unlock(\(LoadPlan.loadLockKey + 2));")
        }
        return settings
    }

    /// Makes `connection` speak Redshift, when its settings are the rehearsal's.
    public static func attach(to connection: Connection, s3: S3Access? = nil) {
        guard connection.settings.rehearsal else { return }
        connection.interceptor = RedshiftRehearsal(s3: s3)
        // The emulation's own settings, sent past the interceptor (they are not the plan's):
        // memory for the plan's sorts and hashes, as a cluster's WLM queue gives its queries
        // (with PostgreSQL's default 4 MB the songplays window sort spilled to disk); and no
        // nested loops: guessing an empty target's size, the planner chose one for the
        // songplays insert's NOT EXISTS, rescanning the rows inserted so far for every row
        // (minutes for a million plays), where Redshift hashes.
        connection.intercepting = true
        defer { connection.intercepting = false }
        _ = try? connection.execute("SET work_mem = '256MB'; SET enable_nestloop = off;")
    }

    // MARK: - Statements PostgreSQL spells otherwise

    public func translate(_ sql: String) -> String {
        if RedshiftDDL.leadingWords(sql, count: 2) == ["show", "table"],
            let name = RedshiftDDL.match(#"^\s*SHOW\s+TABLE\s+([\w."]+)\s*;?\s*$"#, in: sql)?[1]
        {
            return "SELECT public.rehearsal_show_table('\(name.replacingOccurrences(of: "'", with: "''"))') AS ddl;"
        }
        guard sql.range(of: "CREATE TABLE", options: [.caseInsensitive]) != nil else { return sql }
        return RedshiftDDL.translate(sql)
    }

    // MARK: - Statements run here

    public func run(_ sql: String, on connection: Connection) throws -> QueryResult? {
        let words = RedshiftDDL.leadingWords(sql, count: 2)
        switch words.first {
        case "copy":
            guard let command = try RedshiftCopyCommand(sql), command.readsFiles else { return nil }
            return try RehearsedCopy(command: command, s3: s3).run(on: connection)
        case "set":
            try RedshiftSettings.check(sql)
            return nil
        default:
            return nil
        }
    }
}
