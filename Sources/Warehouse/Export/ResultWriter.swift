import PostgresClient

/// Writes a streamed result out in one format. The query command and exports use these, so a
/// result looks the same wherever it is written.
public protocol ResultWriter: AnyObject {
    func begin(columns: [Column])
    func write<Row: CellRow>(row: Row)
    /// Called when the statement ends; `rows` counts the rows of the last result set.
    func finish(rows: Int, commandTag: String)
}

public enum ResultFormat: String, CaseIterable, Sendable {
    case table, csv, json

    public func makeWriter(output: OutputBuffer) -> ResultWriter {
        switch self {
        case .table: return TableWriter(output: output)
        case .csv: return CSVWriter(output: output)
        case .json: return JSONWriter(output: output)
        }
    }
}
