import Foundation
import PostgresClient

/// The cluster a user's `[DWH]` block asks for, read leniently (before `create`, `[CLUSTER] HOST`
/// is empty and the rest of dwh.cfg need not be whole), and checked before any AWS call.
public struct ClusterSpec: Sendable {
    public var path: String
    public var identifier: String
    public var clusterType: String
    public var nodeType: String
    public var nodes: Int
    public var database: String
    public var user: String
    public var password: Secret
    public var port: Int
    public var roleName: String
    public var region: String
    /// `[DWH] DWH_HOURLY_PRICE`: a negotiated price per node-hour, over the public table's.
    public var hourlyPriceOverride: Double?
    /// Choices made for the user, said before anything is created.
    public var notes: [String] = []

    /// DC2 is being retired; RA3's smallest is what a fresh cluster gets when `[DWH]` names none.
    public static let defaultNodeType = "ra3.large"

    public static func read(path: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ClusterSpec {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw ConfigError(path: path, line: nil, key: nil, problem: "no such file, or not UTF-8 text")
        }
        let ini = try IniFile(path: path, text: text)
        func value(_ section: String, _ key: String) -> String? { ini.value(section, key).flatMap { $0.isEmpty ? nil : $0 } }
        func required(_ key: String) throws -> String {
            guard let found = value("DWH", key) else {
                throw ConfigError(path: path, line: ini.sectionLines["DWH"], key: "[DWH] \(key)", problem: "missing: the cluster commands need it")
            }
            return found
        }
        func number(_ key: String, default fallback: Int) throws -> Int {
            guard let entry = ini.entry("DWH", key), !entry.value.isEmpty else { return fallback }
            guard let number = Int(entry.value), number > 0 else {
                throw ConfigError(path: path, line: entry.line, key: "[DWH] \(key)", problem: "must be a whole number above 0, not '\(entry.value)'")
            }
            return number
        }
        var notes: [String] = []
        let nodes = try number("DWH_NUM_NODES", default: 2)
        let nodeType =
            value("DWH", "DWH_NODE_TYPE")
            ?? {
                notes.append("[DWH] DWH_NODE_TYPE is not set: using \(defaultNodeType) (DC2 node types are being retired)")
                return defaultNodeType
            }()
        let passwordEntry = ini.entry("DWH", "DWH_DB_PASSWORD") ?? ini.entry("CLUSTER", "DB_PASSWORD")
        guard let password = passwordEntry?.value, !password.isEmpty else {
            throw ConfigError(
                path: path, line: ini.sectionLines["DWH"], key: "[DWH] DWH_DB_PASSWORD",
                problem: "missing: the master password the cluster is made with")
        }
        if let problem = Self.passwordProblem(password) {
            throw ConfigError(
                path: path, line: passwordEntry?.line, key: passwordEntry?.section == "DWH" ? "[DWH] DWH_DB_PASSWORD" : "[CLUSTER] DB_PASSWORD",
                problem: problem)
        }
        let port = try number("DWH_PORT", default: 5439)
        if let problem = Self.portProblem(port, nodeType: nodeType) {
            throw ConfigError(path: path, line: ini.entry("DWH", "DWH_PORT")?.line, key: "[DWH] DWH_PORT", problem: problem)
        }
        let price = try ini.entry("DWH", "DWH_HOURLY_PRICE").map { entry -> Double in
            guard let price = Double(entry.value), price >= 0 else {
                throw ConfigError(
                    path: path, line: entry.line, key: "[DWH] DWH_HOURLY_PRICE",
                    problem: "must be a price in dollars per node-hour, not '\(entry.value)'")
            }
            return price
        }
        return ClusterSpec(
            path: path, identifier: try required("DWH_CLUSTER_IDENTIFIER"),
            clusterType: value("DWH", "DWH_CLUSTER_TYPE") ?? (nodes > 1 ? "multi-node" : "single-node"),
            nodeType: nodeType, nodes: nodes,
            database: value("DWH", "DWH_DB") ?? value("CLUSTER", "DB_NAME") ?? "dev",
            user: value("DWH", "DWH_DB_USER") ?? value("CLUSTER", "DB_USER") ?? "awsuser",
            password: Secret(password), port: port,
            roleName: value("DWH", "DWH_IAM_ROLE_NAME") ?? "sparkify-redshift-s3-read",
            // The AWS CLI's order after the config: AWS_REGION, then AWS_DEFAULT_REGION.
            region: value("DWH", "DWH_REGION") ?? value("AWS", "REGION") ?? value("S3", "REGION")
                ?? environment["AWS_REGION"].flatMap { $0.isEmpty ? nil : $0 }
                ?? environment["AWS_DEFAULT_REGION"].flatMap { $0.isEmpty ? nil : $0 } ?? "us-west-2",
            hourlyPriceOverride: price, notes: notes)
    }

    /// The ports CreateCluster takes: "For clusters with ra3 nodes - Select a port within the
    /// ranges 5431-5455 or 8191-8215", "For clusters with dc2 nodes - Select a port within the
    /// range 1150-65535" (CreateCluster's Port, AWS SDK reference:
    /// https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/redshift/aws.sdk.kotlin.services.redshift.model/-create-cluster-request/port.html).
    public static func portProblem(_ port: Int, nodeType: String) -> String? {
        if nodeType.lowercased().hasPrefix("ra3") {
            guard (5431...5455).contains(port) || (8191...8215).contains(port) else {
                return "\(port) is not a port an ra3 cluster takes: 5431–5455 or 8191–8215 (5439 is the default)"
            }
        } else if !(1150...65535).contains(port) {
            return "\(port) is not a port a \(nodeType) cluster takes: 1150–65535"
        }
        return nil
    }

    /// Redshift's rules for a master password, checked before any call: 8 to 64 characters, an
    /// upper-case letter, a lower-case letter and a digit, "any printable ASCII character (ASCII
    /// code 33-126) except ' (single quote), " (double quote), \, /, or @" (CreateCluster's
    /// MasterUserPassword: https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/redshift/aws.sdk.kotlin.services.redshift.model/-create-cluster-request/master-user-password.html).
    public static func passwordProblem(_ password: String) -> String? {
        var wrong: [String] = []
        if password.count < 8 || password.count > 64 { wrong.append("8 to 64 characters (it has \(password.count))") }
        if !password.contains(where: \.isUppercase) { wrong.append("an upper-case letter") }
        if !password.contains(where: \.isLowercase) { wrong.append("a lower-case letter") }
        if !password.contains(where: \.isNumber) { wrong.append("a digit") }
        let banned = password.filter { "'\"\\/@ ".contains($0) }
        if !banned.isEmpty { wrong.append("none of ' \" \\ / @ or spaces") }
        if password.unicodeScalars.contains(where: { $0.value < 33 || $0.value > 126 }) {
            wrong.append("printable ASCII only (codes 33 to 126: no letters with accents, no other alphabets)")
        }
        guard !wrong.isEmpty else { return nil }
        return "Redshift refuses this master password: it needs " + wrong.joined(separator: ", ")
    }
}
