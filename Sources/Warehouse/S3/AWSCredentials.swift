import Foundation
import PostgresClient

/// The keys S3 requests are signed with, and where they were found (said in messages; the
/// secret itself never is).
public struct AWSCredentials: Sendable {
    public var accessKeyID: String
    public var secretAccessKey: Secret
    public var sessionToken: Secret?
    /// "the environment", "dwh.cfg [AWS]", "~/.aws/credentials [default]".
    public var origin: String

    public init(accessKeyID: String, secretAccessKey: Secret, sessionToken: Secret? = nil, origin: String) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.origin = origin
    }

    /// The first of: the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
    /// `AWS_SESSION_TOKEN`), `dwh.cfg` `[AWS] KEY/SECRET`, the shared credentials file
    /// (`AWS_SHARED_CREDENTIALS_FILE` or `~/.aws/credentials`, profile `AWS_PROFILE` or default).
    /// Nil: no keys anywhere, so requests go unsigned (public buckets such as udacity-dend).
    public static func resolve(
        config: DwhConfig?,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws -> AWSCredentials? {
        func nonEmpty(_ key: String) -> String? { environment[key].flatMap { $0.isEmpty ? nil : $0 } }
        if let key = nonEmpty("AWS_ACCESS_KEY_ID") {
            guard let secret = nonEmpty("AWS_SECRET_ACCESS_KEY") else {
                throw SourceError(path: "AWS_ACCESS_KEY_ID", problem: "is set but AWS_SECRET_ACCESS_KEY is not")
            }
            return AWSCredentials(
                accessKeyID: key, secretAccessKey: Secret(secret),
                sessionToken: nonEmpty("AWS_SESSION_TOKEN").map(Secret.init), origin: "the environment")
        }
        if let config, let key = config.awsKey, !key.isEmpty {
            guard let secret = config.awsSecret, !secret.isEmpty else {
                throw ConfigError(path: config.path, line: nil, key: "[AWS] SECRET", problem: "missing: [AWS] KEY is set without it")
            }
            return AWSCredentials(accessKeyID: key, secretAccessKey: secret, origin: "\(config.path) [AWS]")
        }
        let home = environment["HOME"] ?? NSHomeDirectory()
        let file = nonEmpty("AWS_SHARED_CREDENTIALS_FILE") ?? home + "/.aws/credentials"
        let profile = nonEmpty("AWS_PROFILE") ?? "default"
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
            if environment["AWS_PROFILE"] != nil {
                throw SourceError(path: file, problem: "AWS_PROFILE is \(profile) but this file cannot be read")
            }
            return nil
        }
        let ini = try IniFile(path: file, text: text)
        guard let key = ini.value(profile, "aws_access_key_id"), !key.isEmpty else {
            if environment["AWS_PROFILE"] != nil {
                throw ConfigError(
                    path: file, line: ini.sectionLines[profile.uppercased()], key: "[\(profile)] aws_access_key_id",
                    problem: "missing: AWS_PROFILE names this profile")
            }
            return nil
        }
        guard let secret = ini.value(profile, "aws_secret_access_key"), !secret.isEmpty else {
            throw ConfigError(path: file, line: nil, key: "[\(profile)] aws_secret_access_key", problem: "missing")
        }
        return AWSCredentials(
            accessKeyID: key, secretAccessKey: Secret(secret),
            sessionToken: ini.value(profile, "aws_session_token").flatMap { $0.isEmpty ? nil : Secret($0) },
            origin: "\(file) [\(profile)]")
    }
}
