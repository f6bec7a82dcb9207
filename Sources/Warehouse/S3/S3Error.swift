/// An S3 request that failed for good, said with the bucket and key it was about.
public struct S3Error: Error, CustomStringConvertible, Sendable {
    /// `s3://bucket/key` (or `s3://bucket/prefix` for a listing).
    public var address: String
    public var problem: String
    /// S3's own error code (`NoSuchBucket`, `AccessDenied`…), when it sent one.
    public var code: String?

    public var description: String { "\(address): \(problem)" }
}
