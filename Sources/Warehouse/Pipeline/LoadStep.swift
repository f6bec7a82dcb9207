/// One step of the load, in the order the runner shows and runs them. Each is one transaction.
public struct LoadStep: Hashable, Sendable, CustomStringConvertible {
    public enum Phase: String, CaseIterable, Sendable {
        case drop, create, copy, insert
    }

    public var phase: Phase
    /// The table a copy or insert step fills; nil for drop and create, which touch them all.
    public var tableName: String?

    public var table: Table? {
        tableName.flatMap { name in StarSchema.allTables.first { $0.qualifiedName == name } }
    }

    /// `drop`, `create`, `copy staging.events`, `insert songplays`: the warehouse's own words.
    public var description: String {
        switch phase {
        case .drop, .create: return phase.rawValue
        case .copy: return "copy \(tableName ?? "")"
        case .insert: return "insert \(table?.name ?? tableName ?? "")"
        }
    }

    public static let drop = LoadStep(phase: .drop, tableName: nil)
    public static let create = LoadStep(phase: .create, tableName: nil)

    /// Every step, in order: the insert order matters (time reads songplays).
    public static let all: [LoadStep] = [drop, create]
        + StarSchema.stagingTables.map { LoadStep(phase: .copy, tableName: $0.qualifiedName) }
        + InsertSQL.order.map { LoadStep(phase: .insert, tableName: $0.qualifiedName) }

    /// The steps of the given phases, in the load's order.
    public static func steps(in phases: Set<Phase>) -> [LoadStep] {
        all.filter { phases.contains($0.phase) }
    }
}
