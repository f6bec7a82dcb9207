import Foundation

/// One AWS service spoken to through its Query API (IAM, Redshift, EC2): form-encoded POSTs
/// signed with SigV4, XML answers, and errors turned into `AWSError` with the service's code.
/// Throttling and 5xx answers are retried with backoff; everything else is said at once.
public struct QueryAPI: Sendable {
    public enum Service: String, Sendable {
        case iam, redshift, ec2

        var version: String {
            switch self {
            case .iam: return "2010-05-08"
            case .redshift: return "2012-12-01"
            case .ec2: return "2016-11-15"
            }
        }

        /// The per-service endpoint variable the AWS tools read (`AWS_ENDPOINT_URL_REDSHIFT`).
        var endpointVariable: String { "AWS_ENDPOINT_URL_" + rawValue.uppercased() }
    }

    public let service: Service
    public let region: String
    public let endpoint: String
    let credentials: AWSCredentials

    /// `region` is the cluster's; IAM is global and signs for us-east-1 at iam.amazonaws.com.
    public init(
        _ service: Service, region: String, credentials: AWSCredentials,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.service = service
        self.credentials = credentials
        self.region = service == .iam ? "us-east-1" : region
        func nonEmpty(_ key: String) -> String? { environment[key].flatMap { $0.isEmpty ? nil : $0 } }
        let fallback = service == .iam ? "https://iam.amazonaws.com" : "https://\(service.rawValue).\(region).amazonaws.com"
        endpoint = nonEmpty(service.endpointVariable) ?? nonEmpty("AWS_ENDPOINT_URL") ?? fallback
    }

    /// Calls `action` with `parameters` (wire names, e.g. `IamRoles.IamRoleArn.1`); returns the
    /// answer's root element.
    @discardableResult
    public func call(_ action: String, _ parameters: [(String, String)] = [], attempts: Int = 6) throws -> XMLNode {
        let body = ([("Action", action), ("Version", service.version)] + parameters)
            .map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        var delay = 0.5
        for attempt in 1...attempts {
            let response: HTTPResponse
            do {
                response = try send(body)
            } catch let error as TransportError {
                guard attempt < attempts else { throw AWSError(code: "Unreachable", message: "\(endpoint): \(error)", action: action) }
                Thread.sleep(forTimeInterval: delay)
                delay *= 2
                continue
            }
            let document = XMLNode.parse(response.body)
            if (200..<300).contains(response.status), let document { return document }
            let code = document?["Code"] ?? "HTTP\(response.status)"
            let message = document?["Message"] ?? String(decoding: response.body.prefix(300), as: UTF8.self)
            let error = AWSError(code: code, message: message, action: action)
            if error.isRetryable || response.status >= 500, attempt < attempts {
                Thread.sleep(forTimeInterval: delay)
                delay *= 2
                continue
            }
            throw error
        }
        throw AWSError(code: "Unreachable", message: "\(endpoint) did not answer", action: action)
    }

    private func send(_ body: String) throws -> HTTPResponse {
        guard let url = URL(string: endpoint), let host = url.host else {
            throw AWSError(code: "BadEndpoint", message: "\(endpoint) is not a URL", action: "")
        }
        let hostHeader = url.port.map { "\(host):\($0)" } ?? host
        let amzDate = SigV4.amzDate(Date())
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"), ("Host", hostHeader), ("X-Amz-Date", amzDate),
        ]
        if let token = credentials.sessionToken { headers.append(("X-Amz-Security-Token", token.revealed)) }
        let signer = SigV4(credentials: credentials, region: region, service: service.rawValue)
        let path = url.path.isEmpty ? "/" : url.path
        let signed = signer.sign(
            SigV4.Request(method: "POST", path: path, headers: headers, payloadHash: Digest.hex(Digest.sha256(Array(body.utf8)))),
            amzDate: amzDate)
        let wire = headers.filter { $0.name != "Host" }.map { "\($0.name): \($0.value)" } + ["Authorization: \(signed.authorization)"]
        return try HTTPSession().post(endpoint.hasSuffix("/") ? endpoint : endpoint + "/", headers: wire, body: body)
    }

    /// RFC 3986 unreserved characters stay; everything else is %XX (as SigV4 and the Query API want).
    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default: out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}

/// An AWS answer that is an error, with the service's code and what to do about it.
public struct AWSError: Error, CustomStringConvertible, Sendable, Equatable {
    public var code: String
    public var message: String
    public var action: String

    public init(code: String, message: String, action: String) {
        self.code = code
        self.message = message
        self.action = action
    }

    var isRetryable: Bool { ["Throttling", "ThrottlingException", "RequestLimitExceeded", "ServiceUnavailable", "InternalFailure"].contains(code) }

    /// What the user can do, for the codes a cluster's life meets.
    public var advice: String? {
        switch code {
        case "ClusterAlreadyExists":
            return "a cluster of that identifier exists: sparkify cluster status shows it, or set another DWH_CLUSTER_IDENTIFIER"
        case "ClusterQuotaExceeded", "NumberOfNodesQuotaExceeded":
            return "the account's Redshift quota is used up: delete a cluster, or ask AWS for more"
        case "InsufficientClusterCapacity": return "AWS has no capacity for this node type here now: try another DWH_NODE_TYPE or region, or later"
        case "InvalidClusterState": return "the cluster is busy changing state: wait for it (sparkify cluster status) and try again"
        case "ClusterNotFound": return "no cluster of that identifier in this region: check DWH_CLUSTER_IDENTIFIER and the region"
        case "EntityAlreadyExists": return "an IAM role of that name exists"
        case "DeleteConflict": return "the role still has a policy attached"
        case "NoSuchEntity": return "no such IAM role"
        case "InvalidPermission.Duplicate": return "that ingress rule is already there"
        case "UnauthorizedOperation", "AccessDenied", "AccessDeniedException":
            return "the keys lack the permission for \(action): an administrator must grant it"
        case "InvalidClientTokenId", "SignatureDoesNotMatch", "AuthFailure":
            return "the AWS keys are wrong: check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, [AWS] KEY/SECRET or ~/.aws/credentials"
        case "ExpiredToken", "RequestExpired": return "the AWS keys have expired: get new ones"
        default: return nil
        }
    }

    public var description: String {
        "\(action): \(code): \(message)" + (advice.map { "\n\($0)" } ?? "")
    }
}
