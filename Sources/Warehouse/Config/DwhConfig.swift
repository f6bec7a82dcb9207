import Foundation
import PostgresClient

/// The `dwh.cfg` users already have, read the way they write it: keys in any order and any case,
/// values bare or quoted, extra sections (`[AWS]`, `[DWH]`) allowed.
public struct DwhConfig: Sendable {
    public var path: String
    public var connection: ConnectionSettings
    /// What the host name and port suggest; the server's own `version()` has the last word.
    public var expectedEngine: Engine
    public var iamRole: String?
    public var logData: String?
    public var logJSONPath: String?
    public var songData: String?
    public var region: String
    /// `[AWS] KEY/SECRET`: the keys some users keep for S3 (read after the environment's).
    public var awsKey: String?
    public var awsSecret: Secret?
    /// `[S3] ENDPOINT`: an S3-compatible store (MinIO, a local test server) instead of AWS.
    public var s3Endpoint: String?
    /// `[DWH] DWH_NODE_TYPE` and `DWH_NUM_NODES`: what the user asked the cluster to be, shown
    /// beside what the server itself reports.
    public var nodeType: String?
    public var nodeCount: Int?
    /// Things worth telling the user that do not stop the load (a password readable by others).
    public var warnings: [String]

    /// The keys sparkify reads, by section; a key it does not know in one of these sections is
    /// most likely mistyped (`SSLMOD`), and would otherwise be ignored in silence.
    static let knownKeys: [String: [String]] = [
        "CLUSTER": ["HOST", "DB_NAME", "DB_USER", "DB_PASSWORD", "DB_PORT", "SSLMODE", "CONNECT_TIMEOUT"],
        "IAM_ROLE": ["ARN"],
        "S3": ["LOG_DATA", "LOG_JSONPATH", "SONG_DATA", "REGION", "ENDPOINT"],
        "AWS": ["KEY", "SECRET", "REGION"],
        "DWH": [
            "DWH_CLUSTER_TYPE", "DWH_NUM_NODES", "DWH_NODE_TYPE", "DWH_CLUSTER_IDENTIFIER", "DWH_DB", "DWH_DB_USER",
            "DWH_DB_PASSWORD", "DWH_PORT", "DWH_IAM_ROLE_NAME", "DWH_REGION",
        ],
    ]

    static func unknownKeys(in ini: IniFile) -> [String] {
        ini.entries.compactMap { entry in
            guard let known = knownKeys[entry.section], !known.contains(entry.key) else { return nil }
            let near = known.min { distance($0, entry.key) < distance($1, entry.key) }
            let suggestion = near.flatMap { distance($0, entry.key) <= 2 ? " (did you mean \($0)?)" : nil } ?? ""
            return "\(ini.path):\(entry.line): [\(entry.section)] \(entry.key) is not a key sparkify reads\(suggestion); it is ignored"
        }
    }

    /// Edits (insert, delete, replace) from one key name to the other.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var previous = Array(0...b.count)
        for i in 1...max(1, a.count) where !a.isEmpty {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...max(1, b.count) where !b.isEmpty {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return a.isEmpty ? b.count : previous[b.count]
    }

    public static func load(path: String) throws -> DwhConfig {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            let reason = FileManager.default.fileExists(atPath: path) ? "cannot be read as UTF-8 text" : "no such file"
            throw ConfigError(path: path, line: nil, key: nil, problem: reason)
        }
        let ini = try IniFile(path: path, text: text)
        var config = try DwhConfig(ini: ini)
        config.warnings += ini.repeats + Self.unknownKeys(in: ini)
        if config.connection.password.map({ !$0.isEmpty }) == true || config.awsSecret != nil,
            let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue, mode & 0o077 != 0
        {
            config.warnings.append(
                "\(path) holds a \(config.connection.password == nil ? "secret key" : "password") and is readable by others; run: chmod 600 \(path)")
        }
        return config
    }

    public init(ini: IniFile) throws {
        path = ini.path
        func required(_ key: String) throws -> String {
            guard let entry = ini.entry("CLUSTER", key) else {
                let sectionLine = ini.sectionLines["CLUSTER"]
                throw ConfigError(
                    path: ini.path, line: sectionLine, key: "[CLUSTER] \(key)",
                    problem: sectionLine == nil ? "missing: the file has no [CLUSTER] section" : "missing")
            }
            guard !entry.value.isEmpty else {
                throw ConfigError(path: ini.path, line: entry.line, key: "[CLUSTER] \(key)", problem: "is empty")
            }
            return entry.value
        }
        func number(_ section: String, _ key: String, upTo limit: Int = Int.max) throws -> Int? {
            guard let entry = ini.entry(section, key) else { return nil }
            guard let value = Int(entry.value), value > 0, value <= limit else {
                throw ConfigError(
                    path: ini.path, line: entry.line, key: "[\(section)] \(key)",
                    problem: "must be a whole number\(limit == Int.max ? " above 0" : " from 1 to \(limit)"), not '\(entry.value)'")
            }
            return value
        }

        let host = try required("HOST")
        let database = try required("DB_NAME")
        let user = try required("DB_USER")
        let explicitPort = try number("CLUSTER", "DB_PORT", upTo: 65_535)
        let redshiftHost = host.contains(".redshift.amazonaws.com") || host.contains(".redshift-serverless.amazonaws.com")
        expectedEngine = redshiftHost || explicitPort == 5439 ? .redshift : .postgres
        let isLocal = host.hasPrefix("/") || ["localhost", "127.0.0.1", "::1"].contains(host.lowercased())
        connection = ConnectionSettings(
            host: host,
            port: explicitPort ?? (expectedEngine == .redshift ? 5439 : 5432),
            database: database,
            user: user,
            password: ini.value("CLUSTER", "DB_PASSWORD").flatMap { $0.isEmpty ? nil : Secret($0) },
            sslMode: ini.value("CLUSTER", "SSLMODE") ?? (isLocal ? "prefer" : "require"),
            connectTimeout: try number("CLUSTER", "CONNECT_TIMEOUT") ?? 10
        )
        iamRole = ini.value("IAM_ROLE", "ARN")
        logData = ini.value("S3", "LOG_DATA")
        logJSONPath = ini.value("S3", "LOG_JSONPATH")
        songData = ini.value("S3", "SONG_DATA")
        region = ini.value("S3", "REGION") ?? ini.value("AWS", "REGION") ?? ini.value("DWH", "DWH_REGION") ?? "us-west-2"
        awsKey = ini.value("AWS", "KEY")
        awsSecret = ini.value("AWS", "SECRET").flatMap { $0.isEmpty ? nil : Secret($0) }
        s3Endpoint = ini.value("S3", "ENDPOINT").flatMap { $0.isEmpty ? nil : $0 }
        nodeType = ini.value("DWH", "DWH_NODE_TYPE").flatMap { $0.isEmpty ? nil : $0 }
        nodeCount = try number("DWH", "DWH_NUM_NODES")
        warnings = []
    }
}
