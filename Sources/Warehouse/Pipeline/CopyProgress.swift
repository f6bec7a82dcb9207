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
    /// The folder is still being listed while the copy reads what was found: the totals are
    /// the files found so far, so no share done, time left or row estimate can be given yet.
    public var stillListing = false
    /// A Redshift COPY: the cluster has said nothing of its progress yet (STV_LOAD_STATE "updates
    /// this table after every million records are loaded",
    /// https://docs.aws.amazon.com/redshift/latest/dg/r_STV_LOAD_STATE.html), so there are no
    /// files, bytes or share to show, and a bar would stand still at 0.
    public var awaitingServerFigures = false
    /// An S3 request is being retried, and why ("retrying (3 of 7): s3://…: …"); nil when none is.
    public var retrying: String?

    public init(table: String, filesTotal: Int, filesSkipped: Int, bytesTotal: Int) {
        self.table = table
        self.filesTotal = filesTotal
        self.filesSkipped = filesSkipped
        self.bytesTotal = bytesTotal
    }

    /// Totals from a listing, final or not.
    public init(table: String, listed: FileListing.Count, filesSkipped: Int) {
        self.init(table: table, filesTotal: listed.files, filesSkipped: filesSkipped, bytesTotal: listed.bytes)
        stillListing = !listed.complete
    }

    /// Takes the listing's latest totals.
    public mutating func update(listed: FileListing.Count) {
        filesTotal = listed.files
        bytesTotal = listed.bytes
        stillListing = !listed.complete
    }

    /// Rows expected in all, from the bytes read so far: the sources do not say in advance.
    public var estimatedRowsTotal: Int? {
        guard !stillListing, bytesDone > 0, rowsDone > 0 else { return nil }
        if bytesDone >= bytesTotal { return rowsDone }
        return Int(Double(rowsDone) * Double(bytesTotal) / Double(bytesDone))
    }

    /// The share of the bytes done; nil while the listing goes on (the total is not known).
    public var fraction: Double? {
        guard !stillListing, !awaitingServerFigures else { return nil }
        return bytesTotal > 0 ? min(1, Double(bytesDone) / Double(bytesTotal)) : 1
    }

    /// What a front end says while a Redshift COPY gives no figures.
    public static let awaitingServerWords = "running on Redshift; no progress figures from it yet (STV_LOAD_STATE: after every million records)"

    /// "37%", or "…" while the listing goes on.
    public var percentText: String { fraction.map { "\(Int(($0 * 100).rounded(.down)))%" } ?? "…" }

    /// "1,234" files in all, or "1,234+" while more may be found.
    public var filesTotalText: String { Figures.count(filesTotal) + (stillListing ? "+" : "") }
}

/// What a running step reports, ten times a second and once more when it ends.
public struct StepProgress: Sendable {
    public var step: LoadStep
    public var elapsed: Double
    /// Present for copy steps into PostgreSQL, where sparkify reads the sources itself.
    public var copy: CopyProgress?
}
