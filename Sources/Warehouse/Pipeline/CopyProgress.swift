/// How far a copy step has got, as the front ends draw it: files, bytes and rows done of total.
public struct CopyProgress: Equatable, Sendable {
    public var table: String
    /// Files this step loads (new ones only), and those skipped as already in the manifest.
    public var filesTotal: Int
    public var filesSkipped: Int
    public var bytesTotal: Int
    public var filesDone = 0
    public var bytesDone = 0
    public var rowsDone = 0
    public var rejected = 0
    public var currentFile: String?

    public init(table: String, filesTotal: Int, filesSkipped: Int, bytesTotal: Int) {
        self.table = table
        self.filesTotal = filesTotal
        self.filesSkipped = filesSkipped
        self.bytesTotal = bytesTotal
    }

    /// Rows expected in all, from the bytes read so far: the sources do not say in advance.
    public var estimatedRowsTotal: Int? {
        guard bytesDone > 0, rowsDone > 0 else { return nil }
        if bytesDone >= bytesTotal { return rowsDone }
        return Int(Double(rowsDone) * Double(bytesTotal) / Double(bytesDone))
    }

    public var fraction: Double {
        bytesTotal > 0 ? min(1, Double(bytesDone) / Double(bytesTotal)) : 1
    }
}

/// What a running step reports, ten times a second and once more when it ends.
public struct StepProgress: Sendable {
    public var step: LoadStep
    public var elapsed: Double
    /// Present for copy steps into PostgreSQL, where sparkify reads the sources itself.
    public var copy: CopyProgress?
}
