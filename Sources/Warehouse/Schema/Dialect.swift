/// How one engine spells the warehouse's DDL. PostgreSQL enforces keys and may skip WAL for
/// staging; Redshift takes IDENTITY, distribution and sort keys, and enforces no keys.
public protocol Dialect: Sendable {
    var engine: Engine { get }
    func typeName(_ kind: ColumnKind) -> String
    /// Whatever follows the column list: UNLOGGED goes before, layout keywords after.
    func tablePrefix(_ table: Table) -> String
    func tableSuffix(_ table: Table) -> String
}

extension Dialect {
    public func createSchemas() -> [String] {
        [StarSchema.stagingSchema, StarSchema.analyticsSchema].map { "CREATE SCHEMA IF NOT EXISTS \($0);" }
    }

    /// Always DROP then CREATE, never CREATE IF NOT EXISTS: a stale table of an older shape
    /// must not survive a rebuild.
    public func dropTable(_ table: Table) -> String {
        "DROP TABLE IF EXISTS \(table.qualifiedName);"
    }

    public func createTable(_ table: Table) -> String {
        var lines = table.columns.map { column in
            "    \(column.name) \(typeName(column.kind))\(column.nullable ? "" : " NOT NULL")"
        }
        if !table.primaryKey.isEmpty {
            lines.append("    PRIMARY KEY (\(table.primaryKey.joined(separator: ", ")))")
        }
        for unique in table.uniqueKeys {
            lines.append("    UNIQUE (\(unique.joined(separator: ", ")))")
        }
        let suffix = tableSuffix(table)
        return "CREATE \(tablePrefix(table))TABLE \(table.qualifiedName) (\n"
            + lines.joined(separator: ",\n") + "\n)" + (suffix.isEmpty ? "" : "\n" + suffix) + ";"
    }

    /// So the analytics team's unqualified queries (`select count(*) from songplays`) work.
    public var searchPath: String {
        "SET search_path TO \(StarSchema.analyticsSchema), \(StarSchema.stagingSchema), public;"
    }
}

public struct PostgresDialect: Dialect {
    public init() {}
    public var engine: Engine { .postgres }

    public func typeName(_ kind: ColumnKind) -> String {
        switch kind {
        case .smallint: return "SMALLINT"
        case .integer: return "INTEGER"
        case .bigint: return "BIGINT"
        case .double: return "DOUBLE PRECISION"
        case .text: return "TEXT"
        case .timestamp: return "TIMESTAMP"
        case .serial: return "BIGINT GENERATED ALWAYS AS IDENTITY"
        }
    }

    public func tablePrefix(_ table: Table) -> String { table.isStaging ? "UNLOGGED " : "" }
    public func tableSuffix(_ table: Table) -> String { "" }
}

public struct RedshiftDialect: Dialect {
    public init() {}
    public var engine: Engine { .redshift }

    public func typeName(_ kind: ColumnKind) -> String {
        switch kind {
        case .smallint: return "SMALLINT"
        case .integer: return "INTEGER"
        case .bigint: return "BIGINT"
        case .double: return "DOUBLE PRECISION"
        case .text(let maxBytes): return "VARCHAR(\(min(maxBytes, 65_535)))"
        case .timestamp: return "TIMESTAMP"
        case .serial: return "BIGINT IDENTITY(0, 1)"
        }
    }

    public func tablePrefix(_ table: Table) -> String { "" }

    public func tableSuffix(_ table: Table) -> String {
        var parts: [String] = []
        switch table.distribution {
        case .all: parts.append("DISTSTYLE ALL")
        case .even: parts.append("DISTSTYLE EVEN")
        case .key(let column): parts.append("DISTSTYLE KEY DISTKEY (\(column))")
        }
        if !table.sortKey.isEmpty { parts.append("SORTKEY (\(table.sortKey.joined(separator: ", ")))") }
        return parts.joined(separator: " ")
    }
}
