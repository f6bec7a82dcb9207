import PostgresClient

/// A row whose cells can be read as text bytes: a row straight from libpq (`RowView`) or one
/// kept in a `ResultRows` store. The result writers take either, so an export from the console's
/// loaded rows is byte for byte what `sparkify query` would have printed.
public protocol CellRow {
    var count: Int { get }
    func isNull(_ column: Int) -> Bool
    /// The cell's UTF-8 bytes, valid only while the row is.
    func bytes(_ column: Int) -> UnsafeBufferPointer<UInt8>
}

extension CellRow {
    public func string(_ column: Int) -> String? {
        isNull(column) ? nil : String(decoding: bytes(column), as: UTF8.self)
    }
}

extension RowView: CellRow {}
