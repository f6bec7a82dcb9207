import Foundation
import PostgresClient

/// psql's backslash commands, as the editor takes them: a line of its own starting with `\`,
/// run with F5 like a statement. The catalog ones become one query each (PostgreSQL's catalogs,
/// or Redshift's `pg_table_def`/`svv_*` where it lacks them), shown in the grid like any result.
public enum MetaCommand: Equatable, Sendable {
    /// `\d`: every relation.
    case relations
    /// `\dt`: tables only.
    case tables
    /// `\dn`: schemas.
    case schemas
    /// `\df`: functions outside the system's.
    case functions
    /// `\d NAME`: a relation's columns, types, nullability, defaults and keys.
    case describe(String)
    /// `\ddl NAME` (sparkify's own, psql has none): the table's CREATE statement as the
    /// database holds it, constraints and other indexes included, one line a row.
    case definition(String)
    /// `\x`: one record at a time, as name and value.
    case expanded
    /// `\timing`: every run is timed here; said so.
    case timing
    /// `\?`: the list.
    case help

    /// The command on a line, or nil when the line is not one (`unknown` names what was typed).
    public static func parse(_ line: String) -> Result<MetaCommand, Unknown>? {
        let trimmed = line.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: ";"))
        guard trimmed.hasPrefix("\\") else { return nil }
        let words = trimmed.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let name = words.first ?? "\\"
        let argument = words.count > 1 ? words[1] : nil
        switch (name, argument) {
        case ("\\d", nil), ("\\d+", nil): return .success(.relations)
        case ("\\d", let table?), ("\\d+", let table?): return .success(.describe(table))
        case ("\\ddl", let table?): return .success(.definition(table))
        case ("\\dt", _), ("\\dt+", _): return .success(.tables)
        case ("\\dn", _), ("\\dn+", _): return .success(.schemas)
        case ("\\df", _), ("\\df+", _): return .success(.functions)
        case ("\\x", _): return .success(.expanded)
        case ("\\timing", _): return .success(.timing)
        case ("\\?", _): return .success(.help)
        default: return .failure(Unknown(command: name))
        }
    }

    public struct Unknown: Error, Equatable, Sendable, CustomStringConvertible {
        public var command: String
        public var description: String { "\(command) is not a command here: \\? lists those the editor takes" }
    }

    /// The list `\?` shows.
    public static let helpLines = [
        "\\d            every table and view, with its size",
        "\\d NAME       a table's columns: type, nullability, default, keys (Redshift: dist and sort keys)",
        "\\ddl NAME     the table's CREATE statement as the database holds it (sparkify's own; Redshift: SHOW TABLE)",
        "\\dt           tables",
        "\\dn           schemas",
        "\\df           functions outside the system's",
        "\\x            expanded display: the selected record as name and value, one per line (again: off)",
        "\\timing       every run is timed here already",
        "\\?            this list",
    ]

    /// The catalog query for `engine`; nil for the commands the console answers itself.
    public func sql(for engine: Engine) -> String? {
        let userSchemas = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_'"
        switch (self, engine) {
        case (.expanded, _), (.timing, _), (.help, _):
            return nil
        case (.relations, .postgres), (.tables, .postgres):
            let kinds = self == .tables ? "'r', 'p'" : "'r', 'p', 'v', 'm', 'f'"
            return """
                SELECT n.nspname AS schema, c.relname AS name,
                       CASE c.relkind WHEN 'r' THEN 'table' WHEN 'p' THEN 'partitioned table' WHEN 'v' THEN 'view'
                                      WHEN 'm' THEN 'materialized view' ELSE 'foreign table' END AS type,
                       c.reltuples::bigint AS estimated_rows, pg_size_pretty(pg_total_relation_size(c.oid)) AS size
                FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE c.relkind IN (\(kinds)) AND \(userSchemas)
                ORDER BY 1, 2
                """
        case (.relations, .redshift), (.tables, .redshift):
            return
                "SELECT \"schema\", \"table\" AS name, tbl_rows AS estimated_rows, size AS size_mb, diststyle, sortkey1 FROM svv_table_info ORDER BY 1, 2"
        case (.schemas, _):
            return "SELECT n.nspname AS schema, pg_get_userbyid(n.nspowner) AS owner FROM pg_namespace n WHERE \(userSchemas) ORDER BY 1"
        case (.functions, .postgres):
            return """
                SELECT n.nspname AS schema, p.proname AS name, pg_get_function_result(p.oid) AS result,
                       pg_get_function_arguments(p.oid) AS arguments
                FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE \(userSchemas) ORDER BY 1, 2
                """
        case (.functions, .redshift):
            return
                "SELECT n.nspname AS schema, p.proname AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE \(userSchemas) ORDER BY 1, 2"
        case (.describe(let name), .postgres):
            let literal = "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
            return """
                SELECT a.attname AS column, format_type(a.atttypid, a.atttypmod) AS type,
                       CASE WHEN a.attnotnull THEN 'not null' ELSE '' END AS nullable,
                       pg_get_expr(d.adbin, d.adrelid) AS default,
                       (SELECT string_agg(CASE k.contype WHEN 'p' THEN 'primary key' WHEN 'u' THEN 'unique'
                                          WHEN 'f' THEN 'references ' || k.confrelid::regclass ELSE k.contype::text END, ', ')
                        FROM pg_constraint k WHERE k.conrelid = a.attrelid AND a.attnum = ANY (k.conkey)) AS keys
                FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                WHERE a.attrelid = \(literal)::regclass AND a.attnum > 0 AND NOT a.attisdropped
                ORDER BY a.attnum
                """
        case (.definition(let name), .postgres):
            let literal = "'" + name.replacingOccurrences(of: "'", with: "''") + "'"
            // Lines in order: the CREATE, the columns, the constraints, the closing, then the
            // indexes no constraint made; a comma ends every line the next body line follows.
            return """
                WITH t AS (SELECT \(literal)::regclass AS oid),
                lines AS (
                  SELECT 0 AS part, 0 AS n, 'CREATE TABLE ' || (SELECT oid FROM t)::text || ' (' AS line
                  UNION ALL
                  SELECT 1, a.attnum, '    ' || quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
                         || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END || COALESCE(' DEFAULT ' || pg_get_expr(d.adbin, d.adrelid), '')
                  FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
                  WHERE a.attrelid = (SELECT oid FROM t) AND a.attnum > 0 AND NOT a.attisdropped
                  UNION ALL
                  SELECT 2, row_number() OVER (ORDER BY c.conname), '    CONSTRAINT ' || quote_ident(c.conname) || ' ' || pg_get_constraintdef(c.oid)
                  FROM pg_constraint c WHERE c.conrelid = (SELECT oid FROM t)
                  UNION ALL
                  SELECT 3, 0, ');'
                  UNION ALL
                  SELECT 4, row_number() OVER (ORDER BY i.indexrelid), pg_get_indexdef(i.indexrelid) || ';'
                  FROM pg_index i WHERE i.indrelid = (SELECT oid FROM t)
                    AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                )
                SELECT line || CASE WHEN part IN (1, 2) AND lead(part) OVER (ORDER BY part, n) IN (1, 2) THEN ',' ELSE '' END AS ddl
                FROM lines ORDER BY part, n
                """
        case (.definition(let name), .redshift):
            // Redshift writes the DDL itself, distribution and sort keys included.
            return "SHOW TABLE \(name)"
        case (.describe(let name), .redshift):
            // PG_TABLE_DEF "only returns information about tables that are visible to the user"
            // (the schemas on the search path: https://docs.aws.amazon.com/redshift/latest/dg/r_PG_TABLE_DEF.html),
            // and filtering it by the table's name alone mixed staging.songs with analytics.songs.
            // The columns come from information_schema, by schema and name; PG_TABLE_DEF adds
            // encoding and keys where it shows the table. An unqualified name is the first the
            // warehouse's search path (analytics, staging, public) finds.
            let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
            func literal(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "''") + "'" }
            let table = literal(parts.last ?? name)
            let schema =
                parts.count == 2
                ? literal(parts[0])
                : """
                (SELECT table_schema FROM information_schema.tables WHERE table_name = \(table)
                 AND table_schema IN ('\(StarSchema.analyticsSchema)', '\(StarSchema.stagingSchema)', 'public')
                 ORDER BY CASE table_schema WHEN '\(StarSchema.analyticsSchema)' THEN 1 WHEN '\(StarSchema.stagingSchema)' THEN 2 ELSE 3 END LIMIT 1)
                """
            return """
                SELECT c.column_name AS "column", c.data_type AS type, CASE WHEN c.is_nullable = 'NO' THEN 'not null' ELSE '' END AS nullable,
                       d.encoding, d.distkey, d.sortkey
                FROM information_schema.columns c
                LEFT JOIN pg_table_def d ON d.schemaname = c.table_schema AND d.tablename = c.table_name AND d."column" = c.column_name
                WHERE c.table_schema = \(schema) AND c.table_name = \(table)
                ORDER BY c.ordinal_position
                """
        }
    }
}
