import Foundation
import PostgresClient

/// S3's two calls a load needs, ListObjectsV2 and GetObject, signed and retried. One client
/// per thread: it owns a libcurl handle and its open connection.
final class S3Client {
    let access: S3Access
    private let session = HTTPSession()
    /// Checked between attempts, so a cancelled load does not sit out a backoff.
    var shouldStop: () -> Bool = { false }
    /// Told before each retry ("retrying (3 of 7): …") and with nil once a request succeeded,
    /// so the progress says why the copy stands still.
    var onRetry: (String?) -> Void = { _ in }

    /// Throttling and dropped connections are retried this many times in all, waiting
    /// 0.25 s, 0.5 s, 1 s… (capped at 8 s, with jitter) in between.
    static let attempts = 7
    /// A server that accepts the connection and then says nothing costs a stall timeout per
    /// attempt (`HTTPSession`): after this many it is given up, about half a minute in all.
    static let stalledAttempts = 3

    init(access: S3Access) { self.access = access }

    /// Seconds without a byte before a request counts as stalled.
    var stallTimeout: Int {
        get { session.stallTimeout }
        set { session.stallTimeout = newValue }
    }

    /// Every object under `location`'s prefix, every page of the listing, in key order.
    func list(_ location: S3Location) throws -> [S3Object] {
        var objects: [S3Object] = []
        var token: String?
        repeat {
            var query: [(name: String, value: String)] = [("list-type", "2"), ("prefix", location.listingPrefix)]
            if let token { query.append(("continuation-token", token)) }
            let response = try send(bucket: location.bucket, key: nil, query: query, address: location.description)
            let page = S3XML.page(response.body)
            objects += page.objects
            token = page.nextToken
        } while token != nil
        return objects
    }

    /// The whole object. Throws `S3Error` naming the object when it cannot be had. `listed`:
    /// the object as its listing saw it; a body of another size or ETag (cut short by a proxy,
    /// or overwritten since) is retried, and then fails the load, never loaded as if whole.
    func get(bucket: String, key: String, listed: SourceFile? = nil) throws -> [UInt8] {
        try send(bucket: bucket, key: key, query: [], address: "s3://\(bucket)/\(key)", listed: listed).body
    }

    /// The object, or nil when it does not exist (an optional jsonpaths file).
    func getIfPresent(bucket: String, key: String) throws -> [UInt8]? {
        do {
            return try get(bucket: bucket, key: key)
        } catch let error as S3Error where error.code == "NoSuchKey" {
            return nil
        }
    }

    private func send(
        bucket: String, key: String?, query: [(name: String, value: String)], address: String, listed: SourceFile? = nil
    ) throws -> HTTPResponse {
        let (base, host, path) = target(bucket: bucket, key: key)
        let amzDate = SigV4.amzDate()
        var headers = [
            (name: "Host", value: host), (name: "x-amz-date", value: amzDate),
            (name: "x-amz-content-sha256", value: SigV4.emptyPayloadHash),
        ]
        if let token = access.credentials?.sessionToken { headers.append(("x-amz-security-token", token.revealed)) }
        var lines = headers.map { "\($0.name): \($0.value)" }
        if let credentials = access.credentials {
            let signed = SigV4(credentials: credentials, region: access.region)
                .sign(SigV4.Request(method: "GET", path: path, query: query, headers: headers), amzDate: amzDate)
            lines.append("Authorization: \(signed.authorization)")
        }
        let queryText = SigV4.canonicalQuery(query)
        let url = base + SigV4.encodedPath(path) + (queryText.isEmpty ? "" : "?" + queryText)

        var lastProblem = ""
        let started = Date()
        var attempts = 0
        var stalls = 0
        for attempt in 0..<Self.attempts {
            if attempt > 0 {
                onRetry("retrying (\(attempt + 1) of \(Self.attempts)): \(address): \(lastProblem)")
                let ceiling = min(8.0, 0.25 * Double(1 << (attempt - 1)))
                Thread.sleep(forTimeInterval: Double.random(in: ceiling / 2...ceiling))
                if shouldStop() { break }
            }
            attempts += 1
            let response: HTTPResponse
            do {
                response = try session.get(url, headers: lines)
            } catch let error as TransportError {
                // Refused, reset or cut short: nothing of it was kept, so the whole request
                // runs again.
                lastProblem = "the connection failed (\(error.message))"
                if error.stalled {
                    stalls += 1
                    if stalls >= Self.stalledAttempts { break }
                }
                continue
            }
            if response.status == 200, let listed, let problem = Self.incomplete(response, listed: listed) {
                // A body cut at a line boundary parses as well as a whole one: only its size says.
                lastProblem = problem
                continue
            }
            if response.status == 200 {
                if attempt > 0 { onRetry(nil) }
                return response
            }
            let s3 = S3XML.error(response.body)
            if [500, 502, 503, 504, 429].contains(response.status) || s3?.code == "SlowDown" || s3?.code == "RequestTimeout" {
                lastProblem =
                    s3?.code == "SlowDown" || response.status == 503 || response.status == 429
                    ? "S3 kept asking to slow down (\(s3?.code ?? "HTTP \(response.status)"))"
                    : "S3 kept failing (\(s3?.code ?? "HTTP \(response.status)"))"
                continue
            }
            throw problem(response, error: s3, bucket: bucket, key: key, address: address)
        }
        let seconds = Date().timeIntervalSince(started)
        throw S3Error(
            address: address,
            problem: "\(lastProblem); gave up after \(attempts) attempts over \(String(format: "%.1f", seconds)) s",
            code: nil)
    }

    /// Why a 200 answer is not the object the listing saw, or nil when it is.
    static func incomplete(_ response: HTTPResponse, listed: SourceFile) -> String? {
        if response.body.count != listed.bytes {
            return "received \(Figures.count(response.body.count)) bytes where the listing said \(Figures.count(listed.bytes))"
        }
        if let etag = response.headers["etag"].map({ $0.trimming("\"") }), let expected = listed.etag, !expected.isEmpty, etag != expected {
            return "its ETag is \(etag) where the listing said \(expected): it changed since the listing; run the load again"
        }
        return nil
    }

    /// What a refusal means, in the user's terms.
    private func problem(
        _ response: HTTPResponse, error: (code: String, message: String?)?, bucket: String,
        key: String?, address: String
    ) -> S3Error {
        let code = error?.code
        let origin = access.credentials?.origin
        let said: String
        switch code {
        case "NoSuchBucket":
            return S3Error(address: "s3://\(bucket)", problem: "no such bucket\(access.endpoint.map { " at \($0)" } ?? "")", code: code)
        case "NoSuchKey":
            said = "no such object"
        case "InvalidAccessKeyId":
            said = "access denied: S3 does not know the access key ID from \(origin ?? "?") (InvalidAccessKeyId)"
        case "SignatureDoesNotMatch":
            said = "access denied: the secret key from \(origin ?? "?") does not belong to its access key ID (SignatureDoesNotMatch)"
        case "ExpiredToken", "TokenRefreshRequired":
            said = "access denied: the session token from \(origin ?? "?") has expired (\(code!))"
        case "AccessDenied" where origin == nil:
            said =
                "access denied: the bucket is not public, and no keys were found (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, [AWS] KEY and SECRET in dwh.cfg, or ~/.aws/credentials)"
        case "AccessDenied":
            said = "access denied to the keys from \(origin!) (AccessDenied)"
        default:
            if let region = response.headers["x-amz-bucket-region"], region != access.region {
                return S3Error(
                    address: "s3://\(bucket)",
                    problem: "the bucket is in \(region), not \(access.region): set [S3] REGION = \(region) in dwh.cfg (or AWS_REGION)",
                    code: code)
            }
            if response.status == 403 {
                said = "access denied (HTTP 403\(code.map { ", \($0)" } ?? ""))"
            } else {
                said = "S3 answered HTTP \(response.status)\(code.map { " \($0)" } ?? "")\(error?.message.map { ": \($0)" } ?? "")"
            }
        }
        return S3Error(address: address, problem: said, code: code)
    }

    /// Where a request goes: virtual-hosted on AWS (`bucket.s3.region.amazonaws.com/key`),
    /// path-style on an endpoint of the user's (`host:port/bucket/key`) or for bucket names
    /// with dots, which the wildcard certificate does not cover.
    private func target(bucket: String, key: String?) -> (base: String, host: String, path: String) {
        if let endpoint = access.endpoint {
            var base = endpoint
            while base.hasSuffix("/") { base.removeLast() }
            let host = base.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: true).dropFirst().first.map(String.init) ?? base
            return (base, host, "/" + bucket + (key.map { "/" + $0 } ?? ""))
        }
        if bucket.contains(".") {
            let host = "s3.\(access.region).amazonaws.com"
            return ("https://" + host, host, "/" + bucket + (key.map { "/" + $0 } ?? ""))
        }
        let host = "\(bucket).s3.\(access.region).amazonaws.com"
        return ("https://" + host, host, "/" + (key ?? ""))
    }
}
