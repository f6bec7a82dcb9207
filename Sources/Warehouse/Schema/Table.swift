/// A column's kind in the warehouse's own terms; each `Dialect` spells it.
public enum ColumnKind: Equatable, Sendable {
    case smallint, integer, bigint
    case double
    /// Text with the longest value we expect; PostgreSQL ignores the bound, Redshift needs it
    /// (its bare VARCHAR is 256 bytes and would truncate user agents).
    case text(maxBytes: Int)
    case timestamp
    /// A surrogate key the database numbers itself.
    case serial
}

public struct TableColumn: Equatable, Sendable {
    public var name: String
    public var kind: ColumnKind
    public var nullable: Bool
    /// Whole numbers a load accepts, when narrower than the type's (a time in epoch
    /// milliseconds must make a timestamp), and the range in words.
    public var range: ClosedRange<Int64>?
    public var rangeWords: String?

    public init(_ name: String, _ kind: ColumnKind, nullable: Bool = true, range: ClosedRange<Int64>? = nil, rangeWords: String? = nil) {
        self.name = name
        self.kind = kind
        self.nullable = nullable
        self.range = range
        self.rangeWords = rangeWords
    }
}

extension TableColumn {
    /// Epoch milliseconds from the year 1 to the year 9999: every such value is a timestamp on
    /// PostgreSQL and Redshift alike; a larger one overflows the inserts' interval arithmetic.
    public static let epochMilliseconds: ClosedRange<Int64> = -62_135_596_800_000...253_402_300_799_999
}

/// How Redshift spreads a table over its nodes.
public enum Distribution: Equatable, Sendable {
    /// A copy on every node: small dimensions that every join needs.
    case all
    case even
    /// Rows with the same value of this column on the same node.
    case key(String)
}

/// Columns a staging record must fill when one of its columns holds a value: a NextSong event
/// becomes a songplay, whose time, session and item may not be NULL.
public struct RecordRule: Equatable, Sendable {
    public var column: String
    public var equals: String
    public var required: [String]

    public init(when column: String, equals: String, required: [String]) {
        self.column = column
        self.equals = equals
        self.required = required
    }
}

/// One table of the warehouse, declared once; the dialects render it.
public struct Table: Equatable, Sendable {
    public var schema: String
    public var name: String
    public var columns: [TableColumn]
    public var primaryKey: [String]
    /// Unique constraints besides the primary key (the natural key of a fact row).
    public var uniqueKeys: [[String]]
    /// Rebuilt from the source on every load, so PostgreSQL need not WAL-log it.
    public var isStaging: Bool
    public var distribution: Distribution
    public var sortKey: [String]
    /// A staging record that the inserts would turn into a row with keys, checked on load so a
    /// bad one is a reject with its file and line, not a failed insert later.
    public var recordRule: RecordRule?
    /// Staging: the column that says which source file each row came from (the manifest's
    /// `file_number`), filled by the loader, not the record. A file that changed has its rows
    /// found by it and replaced. Not one of `columns`: those are what the source fills, in the
    /// jsonpaths order a Redshift COPY pairs them by.
    public var fileNumberColumn: String?

    public init(
        schema: String, name: String, columns: [TableColumn], primaryKey: [String] = [],
        uniqueKeys: [[String]] = [], isStaging: Bool = false,
        distribution: Distribution = .even, sortKey: [String] = [], recordRule: RecordRule? = nil,
        fileNumberColumn: String? = nil
    ) {
        self.recordRule = recordRule
        self.fileNumberColumn = fileNumberColumn
        self.schema = schema
        self.name = name
        self.columns = columns
        self.primaryKey = primaryKey
        self.uniqueKeys = uniqueKeys
        self.isStaging = isStaging
        self.distribution = distribution
        self.sortKey = sortKey
    }

    /// The table where a rebuild fills it: analytics tables in the build schema, others as they are.
    /// The table's keys as constraints, under the names PostgreSQL gives them when
    /// `createTable` declares them unnamed (`<table>_pkey`, `<table>_<columns>_key`), so that an
    /// insert step can drop and rebuild them by name, also on tables an older sparkify made.
    public var keyConstraints: [(name: String, definition: String)] {
        var constraints: [(name: String, definition: String)] = []
        if !primaryKey.isEmpty {
            constraints.append(("\(name)_pkey", "PRIMARY KEY (\(primaryKey.joined(separator: ", ")))"))
        }
        for unique in uniqueKeys {
            constraints.append(("\(name)_\(unique.joined(separator: "_"))_key", "UNIQUE (\(unique.joined(separator: ", ")))"))
        }
        return constraints
    }

    public func built(aside: Bool) -> Table {
        guard aside, schema == StarSchema.analyticsSchema else { return self }
        var table = self
        table.schema = StarSchema.buildSchema
        return table
    }

    /// `schema.name`, as every generated statement writes it.
    public var qualifiedName: String { "\(schema).\(name)" }

    public var columnNames: [String] { columns.map(\.name) }
}
