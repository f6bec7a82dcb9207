/// An incremental load (copy steps without drop) that would mix sources or cannot tell: refused
/// before any step, since files of another folder with the same names would be skipped as
/// loaded, and new names mixed in with the old dataset without a word.
public enum SourceMismatch: Error, Equatable, CustomStringConvertible, Sendable {
    /// Staging's manifest comes from a sparkify that did not record sources or file numbers.
    case olderManifest
    /// Staging holds files of `held`; this load reads `asked`.
    case otherSource(table: String, held: [String], asked: String)

    /// Said when another source is chosen, before anything runs (the console's `o`).
    public var beforeRun: String {
        switch self {
        case .olderManifest:
            return "staging was loaded by an older sparkify: a copy without drop will be refused; run every step once (a on drop)"
        case .otherSource(let table, let held, let asked):
            return """
                \(table) holds files from \(held.joined(separator: ", ")), not \(asked): a copy without drop will be refused; \
                run every step (a on drop) to replace staging with the new source
                """
        }
    }

    public var description: String {
        switch self {
        case .olderManifest:
            return """
                staging was loaded by an older sparkify, which did not record where each file came from: \
                nothing ran. Run a full load once (every step: sparkify etl without --steps, or a in the console).
                """
        case .otherSource(let table, let held, let asked):
            let from = held.count == 1 ? held[0] : held.joined(separator: ", ")
            return """
                \(table) holds files from \(from), and this load reads \(asked): nothing ran. \
                To replace staging with this source, run a full load (every step: sparkify etl without --steps, \
                or a in the console); to keep both, each file known by its own source: sparkify etl --add-source.
                """
        }
    }
}
