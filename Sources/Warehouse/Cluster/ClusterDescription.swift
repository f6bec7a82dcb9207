import Foundation

/// A Redshift cluster as `DescribeClusters` tells it, with its security groups' rules on its port.
public struct ClusterDescription: Sendable {
    public var identifier: String
    public var status: String
    public var availability: String?
    public var nodeType: String
    public var nodes: Int
    public var endpoint: String?
    public var port: Int?
    public var database: String?
    public var user: String?
    public var vpcID: String?
    public var securityGroupIDs: [String]
    public var publiclyAccessible: Bool
    public var encrypted: Bool
    public var iamRoles: [String]
    public var created: Date?
    public var maintenanceWindow: String?
    public var tags: [String: String]
    /// The CIDR ranges allowed in on the cluster's port, per the security groups' rules.
    public var ingress: [String] = []

    init?(_ node: XMLNode) {
        guard let identifier = node["ClusterIdentifier"] else { return nil }
        self.identifier = identifier
        status = node["ClusterStatus"] ?? "unknown"
        availability = node["ClusterAvailabilityStatus"]
        nodeType = node["NodeType"] ?? "?"
        nodes = Int(node["NumberOfNodes"] ?? "") ?? 1
        endpoint = node.first("Endpoint")?["Address"]
        port = node.first("Endpoint")?["Port"].flatMap { Int($0) }
        database = node["DBName"]
        user = node["MasterUsername"]
        vpcID = node["VpcId"]
        securityGroupIDs = node.first("VpcSecurityGroups")?.children.compactMap { $0["VpcSecurityGroupId"] } ?? []
        publiclyAccessible = node["PubliclyAccessible"] == "true"
        encrypted = node["Encrypted"] == "true"
        iamRoles = node.first("IamRoles")?.children.compactMap { $0["IamRoleArn"] } ?? []
        created = node["ClusterCreateTime"].flatMap(Self.parseDate)
        maintenanceWindow = node["PreferredMaintenanceWindow"]
        var tags: [String: String] = [:]
        for tag in node.first("Tags")?.children ?? [] {
            if let key = tag["Key"] { tags[key] = tag["Value"] ?? "" }
        }
        self.tags = tags
    }

    static func parseDate(_ text: String) -> Date? {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// Dollars an hour while it runs (a paused cluster's compute costs nothing), and so far since
    /// it was made (taken as running all along: pauses are not in DescribeClusters).
    public func cost(region: String, override: Double?, now: Date = Date()) -> (hourly: Double, soFar: Double)? {
        guard let hourly = ClusterPrices.hourly(nodeType: nodeType, nodes: nodes, region: region, override: override) else { return nil }
        let hours = created.map { max(0, now.timeIntervalSince($0)) / 3600 } ?? 0
        return (status == "paused" ? 0 : hourly, hourly * hours)
    }
}
