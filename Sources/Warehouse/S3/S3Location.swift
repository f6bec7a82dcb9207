/// An `s3://bucket/prefix` address, as users write it in `dwh.cfg` and `--source`.
public struct S3Location: Equatable, Sendable, CustomStringConvertible {
    public var bucket: String
    /// The key prefix, without a leading slash; may be empty (the whole bucket).
    public var prefix: String

    public init(bucket: String, prefix: String) {
        self.bucket = bucket
        self.prefix = prefix
    }

    /// Nil when `text` is not an s3:// address; an error when it is one without a bucket.
    public init?(_ text: String) throws {
        guard text.lowercased().hasPrefix("s3://") else { return nil }
        let rest = text.dropFirst("s3://".count)
        let bucket = rest.prefix { $0 != "/" }
        guard !bucket.isEmpty else { throw SourceError(path: text, problem: "names no bucket (expected s3://bucket/prefix)") }
        self.bucket = String(bucket)
        prefix = String(rest.dropFirst(bucket.count).drop { $0 == "/" })
    }

    public static func isS3(_ text: String) -> Bool { text.lowercased().hasPrefix("s3://") }

    /// The location of `name` below this one (`s3://b/data` + `log_data` = `s3://b/data/log_data`).
    public func appending(_ name: String) -> S3Location {
        S3Location(bucket: bucket, prefix: prefix.isEmpty ? name : (prefix.hasSuffix("/") ? prefix + name : prefix + "/" + name))
    }

    /// The prefix a listing asks for: a folder-like prefix gets its slash, so `log_data` does
    /// not also match `log_data_old/`. A prefix naming one object (`x.json`) is kept as is.
    var listingPrefix: String {
        if prefix.isEmpty || prefix.hasSuffix("/") || prefix.lowercased().hasSuffix(".json") { return prefix }
        return prefix + "/"
    }

    public var description: String { "s3://\(bucket)/\(prefix)" }

    /// How an object below this location is shown in messages.
    public func address(of key: String) -> String { "s3://\(bucket)/\(key)" }
}
