import Foundation
import PostgresClient

/// The names a user may type in a query, as the server lists them: schemas, tables and views
/// with their columns, and functions. Read on a session of its own (the console's monitor),
/// once connected and again after statements that may change them.
public struct SchemaCatalog: Sendable, Equatable {
    public struct Relation: Sendable, Equatable {
        public var schema: String
        public var name: String
        public var columns: [Column]

        public init(schema: String, name: String, columns: [Column]) {
            self.schema = schema
            self.name = name
            self.columns = columns
        }
    }

    public struct Column: Sendable, Equatable {
        public var name: String
        public var type: String

        public init(name: String, type: String) {
            self.name = name
            self.type = type
        }
    }

    public var relations: [Relation]
    public var functions: [String]
    /// The schemas an unqualified name is looked up in, in order (the session's search_path).
    public var searchPath: [String]

    public init(relations: [Relation], functions: [String], searchPath: [String]) {
        self.relations = relations
        self.functions = functions
        self.searchPath = searchPath
    }

    public var schemas: [String] { Array(Set(relations.map(\.schema))).sorted() }

    /// A relation by its name as written: `schema.table`, or a bare name found on the search path.
    public func relation(named written: String) -> Relation? {
        let parts = written.split(separator: ".", omittingEmptySubsequences: false).map { Self.unquoted(String($0)) }
        if parts.count == 2 { return relations.first { $0.schema == parts[0] && $0.name == parts[1] } }
        guard parts.count == 1 else { return nil }
        for schema in searchPath {
            if let found = relations.first(where: { $0.schema == schema && $0.name == parts[0] }) { return found }
        }
        return nil
    }

    package static func unquoted(_ name: String) -> String {
        if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
            return String(name.dropFirst().dropLast()).replacingOccurrences(of: "\"\"", with: "\"")
        }
        return name.lowercased()
    }

    /// Every column of every user relation, in one round trip: pg_class and pg_attribute answer
    /// on PostgreSQL and on Redshift alike (information_schema is slow on Redshift).
    static let relationsQuery = """
        SELECT n.nspname, c.relname, a.attname, format_type(a.atttypid, a.atttypmod)
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f')
          AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
        ORDER BY n.nspname, c.relname, a.attnum;
        """
    /// Function names a query may call: the built-in ones and the users' own.
    static let functionsQuery = """
        SELECT DISTINCT p.proname FROM pg_catalog.pg_proc p
        JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname NOT IN ('information_schema') AND p.proname !~ '^(_|pg_|binary_upgrade)' AND p.proname ~ '^[a-z_][a-z0-9_]*$'
        ORDER BY 1;
        """

    public static func read(on connection: Connection) throws -> SchemaCatalog {
        var relations: [Relation] = []
        for row in try connection.execute(relationsQuery).rows {
            guard let schema = row[0], let table = row[1], let column = row[2] else { continue }
            let entry = Column(name: column, type: row[3] ?? "")
            if let last = relations.last, last.schema == schema, last.name == table {
                relations[relations.count - 1].columns.append(entry)
            } else {
                relations.append(Relation(schema: schema, name: table, columns: [entry]))
            }
        }
        let functions = try connection.execute(functionsQuery).rows.compactMap { $0[0] }
        // The console's sessions set it (analytics, staging, public); a server that cannot say keeps that.
        let path = (try? connection.execute("SELECT current_schemas(false)::text;").scalar) ?? "{analytics,staging,public}"
        let searchPath = path.trimmingCharacters(in: CharacterSet(charactersIn: "{}")).split(separator: ",").map { unquoted(String($0)) }
        return SchemaCatalog(relations: relations, functions: functions, searchPath: searchPath)
    }
}
