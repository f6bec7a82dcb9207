import PostgresClient
import Warehouse

/// The star schema as the database holds it: the fact table and its four dimensions, each box
/// listing the columns the catalog has (the join columns marked), the row counts the Tables pane
/// read, and what the warehouse declares but the database lacks (a dropped column, a table not
/// there) called out, never drawn as if present.
struct StarDiagram: Sendable, Equatable {
    struct Box: Sendable, Equatable {
        var table: String
        /// Nil when the database has no such table.
        var columns: [SchemaCatalog.Column]?
        var rows: Int?
        /// Declared columns the database lacks.
        var missing: [String]
        /// The column joining it to the fact (nil for the fact itself).
        var joinColumn: String?
        /// The join column is in this table.
        var joinPresent: Bool {
            guard let joinColumn else { return true }
            return columns?.contains { $0.name == joinColumn } ?? false
        }
    }

    var fact: Box
    /// users, songs, artists, time: drawn top left, top right, bottom left, bottom right.
    var dimensions: [Box]
    /// The catalog this was drawn from is not read yet.
    var catalogKnown: Bool

    init(catalog: SchemaCatalog?, counts: [(table: String, rows: Int?)]) {
        func box(_ table: Table, join: String?) -> Box {
            let relation = catalog?.relations.first { $0.schema == table.schema && $0.name == table.name }
            let names = Set(relation?.columns.map(\.name) ?? [])
            return Box(
                table: table.qualifiedName, columns: relation?.columns,
                rows: counts.first { $0.table == table.qualifiedName }?.rows ?? nil,
                missing: relation == nil ? [] : table.columnNames.filter { !names.contains($0) }, joinColumn: join)
        }
        fact = box(StarSchema.songplays, join: nil)
        dimensions = StarSchema.factJoins.map { box($0.dimension, join: $0.column) }
        catalogKnown = catalog != nil
    }

    /// Whether the fact has the column a dimension joins by.
    func factHas(_ column: String) -> Bool { fact.columns?.contains { $0.name == column } ?? false }
}
