import Foundation

/// How to reach S3: the region, an endpoint for S3-compatible stores, and the keys (nil for
/// unsigned requests to public buckets).
public struct S3Access: Sendable {
    public var region: String
    /// `http://127.0.0.1:9000`: path-style requests to this server instead of AWS.
    public var endpoint: String?
    public var credentials: AWSCredentials?

    public init(region: String = "us-west-2", endpoint: String? = nil, credentials: AWSCredentials?) {
        self.region = region
        self.endpoint = endpoint
        self.credentials = credentials
    }

    /// Region: the config's (`[S3] REGION`…, default us-west-2), else `AWS_REGION`. Endpoint:
    /// `[S3] ENDPOINT`, else `AWS_ENDPOINT_URL_S3` or `AWS_ENDPOINT_URL` as the AWS tools read them.
    public static func resolve(
        config: DwhConfig?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> S3Access {
        func nonEmpty(_ key: String) -> String? { environment[key].flatMap { $0.isEmpty ? nil : $0 } }
        let region = config?.region ?? nonEmpty("AWS_REGION") ?? nonEmpty("AWS_DEFAULT_REGION") ?? "us-west-2"
        let endpoint = config?.s3Endpoint ?? nonEmpty("AWS_ENDPOINT_URL_S3") ?? nonEmpty("AWS_ENDPOINT_URL")
        if let endpoint, !(endpoint.hasPrefix("http://") || endpoint.hasPrefix("https://")) {
            let problem = "must start with http:// or https://, not '\(endpoint)'"
            if let config, config.s3Endpoint != nil {
                throw ConfigError(path: config.path, line: nil, key: "[S3] ENDPOINT", problem: problem)
            }
            throw SourceError(path: nonEmpty("AWS_ENDPOINT_URL_S3") != nil ? "AWS_ENDPOINT_URL_S3" : "AWS_ENDPOINT_URL", problem: problem)
        }
        return S3Access(
            region: region, endpoint: endpoint,
            credentials: try AWSCredentials.resolve(config: config, environment: environment))
    }

    /// Who the requests go as, for messages: never the key itself.
    var who: String {
        credentials.map { "the keys from \($0.origin)" } ?? "no keys (unsigned requests)"
    }
}
