/// One step of the load, in the order the runner shows and runs them. Each is one transaction.
/// A copy or insert step carries the table it fills.
public enum LoadStep: Hashable, Sendable, CustomStringConvertible {
    case drop
    case create
    /// COPY into a staging table.
    case copy(Table)
    /// INSERT … SELECT into a star-schema table.
    case insert(Table)

    public enum Phase: String, CaseIterable, Sendable {
        case drop, create, copy, insert
    }

    public var phase: Phase {
        switch self {
        case .drop: return .drop
        case .create: return .create
        case .copy: return .copy
        case .insert: return .insert
        }
    }

    /// The table a copy or insert step fills; nil for drop and create, which touch them all.
    public var table: Table? {
        switch self {
        case .drop, .create: return nil
        case .copy(let table), .insert(let table): return table
        }
    }

    /// `drop`, `create`, `copy staging.events`, `insert songplays`: the warehouse's own words.
    public var description: String {
        switch self {
        case .drop, .create: return phase.rawValue
        case .copy(let table): return "copy \(table.qualifiedName)"
        case .insert(let table): return "insert \(table.name)"
        }
    }

    /// Every step, in order: the insert order matters (time reads songplays).
    public static let all: [LoadStep] =
        [.drop, .create]
        + StarSchema.stagingTables.map { .copy($0) }
        + InsertSQL.order.map { .insert($0) }

    /// The steps of the given phases, in the load's order.
    public static func steps(in phases: Set<Phase>) -> [LoadStep] {
        all.filter { phases.contains($0.phase) }
    }
}

extension Table: Hashable {
    /// A table is known by its schema and name; two declarations of one table are one table.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(schema)
        hasher.combine(name)
    }
}
