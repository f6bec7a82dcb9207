import Foundation
import PostgresClient

/// A Redshift cluster's life, from nothing to a loaded warehouse and back to nothing: the IAM
/// role Redshift assumes to read S3, a security group of the cluster's own, the cluster, the
/// port opened to one address range, and the dwh.cfg written back; then pause, resume and
/// delete, which undo only what sparkify made. Every call through the Query API.
public final class ClusterLifecycle: Sendable {
    public enum Event: Sendable {
        case note(String)
        /// The cluster's state while it changes: seconds so far, and what it usually takes.
        case state(String, elapsed: Double, usual: Double)
    }

    public let spec: ClusterSpec
    let iam: QueryAPI
    let redshift: QueryAPI
    let ec2: QueryAPI
    /// Seconds between two looks at a changing cluster (tests make it short).
    let pollInterval: Double
    /// How long to keep looking before saying the cluster is taking too long.
    let timeout: Double

    static let madeByKey = "made-by"
    static let madeByValue = "sparkify"
    static let s3ReadPolicy = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
    static let trustPolicy =
        #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"redshift.amazonaws.com"},"Action":"sts:AssumeRole"}]}"#

    public init(
        spec: ClusterSpec, credentials: AWSCredentials,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.spec = spec
        iam = QueryAPI(.iam, region: spec.region, credentials: credentials, environment: environment)
        redshift = QueryAPI(.redshift, region: spec.region, credentials: credentials, environment: environment)
        ec2 = QueryAPI(.ec2, region: spec.region, credentials: credentials, environment: environment)
        pollInterval = environment["SPARKIFY_CLUSTER_POLL"].flatMap { Double($0) } ?? 15
        timeout = environment["SPARKIFY_CLUSTER_TIMEOUT"].flatMap { Double($0) } ?? 3_600
    }

    var securityGroupName: String { "sparkify-\(spec.identifier)" }

    // MARK: - Looking

    /// The cluster, or nil when there is none of that identifier.
    public func describe() throws -> ClusterDescription? {
        do {
            let answer = try redshift.call("DescribeClusters", [("ClusterIdentifier", spec.identifier)])
            guard let node = answer.first("Cluster"), var cluster = ClusterDescription(node) else { return nil }
            cluster.ingress = try ingress(of: cluster.securityGroupIDs)
            return cluster
        } catch let error as AWSError where error.code == "ClusterNotFound" {
            return nil
        }
    }

    /// The CIDR ranges the groups let in on the cluster's port.
    func ingress(of groups: [String]) throws -> [String] {
        guard !groups.isEmpty else { return [] }
        let answer = try ec2.call("DescribeSecurityGroups", groups.enumerated().map { ("GroupId.\($0.offset + 1)", $0.element) })
        var ranges: [String] = []
        for group in answer.first("securityGroupInfo")?.all("item") ?? [] {
            for permission in group.first("ipPermissions")?.all("item") ?? [] {
                guard let from = permission["fromPort"].flatMap({ Int($0) }), let to = permission["toPort"].flatMap({ Int($0) }),
                    (from...to).contains(spec.port)
                else { continue }
                ranges += permission.first("ipRanges")?.all("item").compactMap { $0["cidrIp"] } ?? []
            }
        }
        return ranges
    }

    // MARK: - create

    public struct Made: Sendable, Equatable {
        public var role = false
        public var securityGroup = false
        public var cluster = false
        public var ingress = false
        public var configChanged = false
        public var nothing: Bool { !role && !securityGroup && !cluster && !ingress && !configChanged }
    }

    /// Makes what is missing, waits for it, opens the port to `allowFrom` (nil: leave it shut),
    /// checks the database answers within `waitDB` seconds (0 skips), and writes dwh.cfg back.
    /// Running it again with everything in place changes nothing.
    /// `shouldStop`: asked between calls and while waiting (Ctrl-C); a stop throws
    /// `ClusterFailure` with `Interrupted`, after writing dwh.cfg the keys of what exists.
    public func create(
        allowFrom: String?, waitDB: Double, shouldStop: @escaping () -> Bool = { false }, events: (Event) -> Void
    ) throws -> Made {
        var made = Made()
        var roleARN = ""
        func stopHere() throws { if shouldStop() { throw Interrupted() } }
        do {
            for note in spec.notes { events(.note(note)) }
            var cluster = try describe()
            roleARN = try ensureRole(&made, events: events)
            try stopHere()
            if cluster == nil {
                let group = try ensureSecurityGroup(&made, events: events)
                try stopHere()
                try createCluster(roleARN: roleARN, securityGroup: group, events: events)
                made.cluster = true
            } else {
                events(.note("the cluster \(spec.identifier) exists (\(cluster!.status))"))
            }
            cluster = try watch(until: ["available"], shouldStop: shouldStop, events: events)
            guard var ready = cluster else {
                throw AWSError(code: "ClusterNotFound", message: "the cluster went away while it was made", action: "DescribeClusters")
            }
            if let allowFrom { made.ingress = try openPort(to: allowFrom, on: ready, events: events) }
            ready.ingress = try ingress(of: ready.securityGroupIDs)
            if waitDB > 0 { try waitForDatabase(ready, seconds: waitDB, events: events) }
            made.configChanged = try writeConfig(host: ready.endpoint, roleARN: roleARN)
            if made.configChanged { events(.note("\(spec.path): [CLUSTER] HOST and [IAM_ROLE] ARN written (comments and order kept)")) }
            return made
        } catch let interrupted as Interrupted {
            // What exists goes on existing (and costing): say what, and keep its keys in dwh.cfg
            // so `cluster delete` and the loads find it.
            let cluster = try? describe()
            made.configChanged = (try? writeConfig(host: cluster?.endpoint, roleARN: roleARN)) ?? false
            var failure = ClusterFailure(underlying: interrupted, made: made)
            failure.cluster = cluster.map { ($0.identifier, $0.status, $0.cost(region: spec.region, override: spec.hourlyPriceOverride)?.hourly) }
            failure.configPath = spec.path
            throw failure
        } catch {
            throw ClusterFailure(underlying: error, made: made)
        }
    }

    /// Ctrl-C during `create`.
    public struct Interrupted: Error, CustomStringConvertible, Sendable {
        public var description: String { "interrupted" }
    }

    /// The role Redshift assumes to read S3: reused when its trust lets Redshift assume it.
    func ensureRole(_ made: inout Made, events: (Event) -> Void) throws -> String {
        do {
            let answer = try iam.call("GetRole", [("RoleName", spec.roleName)])
            let trust = (answer["AssumeRolePolicyDocument"] ?? "").removingPercentEncoding ?? ""
            guard trust.contains("redshift.amazonaws.com") else {
                throw AWSError(
                    code: "RoleNotForRedshift",
                    message:
                        "the IAM role \(spec.roleName) exists but its trust policy does not let Redshift assume it; name another role in [DWH] DWH_IAM_ROLE_NAME, or change its trust",
                    action: "GetRole")
            }
            events(.note("the IAM role \(spec.roleName) exists and Redshift may assume it: reused"))
            return answer["Arn"] ?? ""
        } catch let error as AWSError where error.code == "NoSuchEntity" {
            let answer = try iam.call(
                "CreateRole",
                [
                    ("RoleName", spec.roleName), ("AssumeRolePolicyDocument", Self.trustPolicy),
                    ("Description", "Lets Redshift read S3 for sparkify's loads"),
                    ("Tags.member.1.Key", Self.madeByKey), ("Tags.member.1.Value", Self.madeByValue),
                ])
            made.role = true
            try iam.call("AttachRolePolicy", [("RoleName", spec.roleName), ("PolicyArn", Self.s3ReadPolicy)])
            events(.note("the IAM role \(spec.roleName) made: Redshift may assume it, with AmazonS3ReadOnlyAccess"))
            return answer["Arn"] ?? ""
        }
    }

    /// The id of the security group sparkify made for this cluster, if it exists.
    func ownSecurityGroup() throws -> String? {
        let found = try ec2.call("DescribeSecurityGroups", [("Filter.1.Name", "group-name"), ("Filter.1.Value.1", securityGroupName)])
        return found.first("securityGroupInfo")?.all("item").first?["groupId"]
    }

    /// A security group of the cluster's own, in the default VPC: opening its port touches no
    /// other resource's rules.
    func ensureSecurityGroup(_ made: inout Made, events: (Event) -> Void) throws -> String {
        if let id = try ownSecurityGroup() { return id }
        let vpcs = try ec2.call("DescribeVpcs", [("Filter.1.Name", "isDefault"), ("Filter.1.Value.1", "true")])
        guard let vpc = vpcs.first("vpcSet")?.all("item").first?["vpcId"] else {
            throw AWSError(code: "NoDefaultVpc", message: "the region has no default VPC to put the cluster in", action: "DescribeVpcs")
        }
        let created = try ec2.call(
            "CreateSecurityGroup",
            [("GroupName", securityGroupName), ("GroupDescription", "Made by sparkify for the Redshift cluster \(spec.identifier)"), ("VpcId", vpc)])
        guard let id = created["groupId"] else {
            throw AWSError(code: "NoGroupId", message: "CreateSecurityGroup gave no id", action: "CreateSecurityGroup")
        }
        made.securityGroup = true
        events(.note("the security group \(securityGroupName) made in \(vpc): the cluster's own"))
        return id
    }

    func createCluster(roleARN: String, securityGroup: String, events: (Event) -> Void) throws {
        var parameters: [(String, String)] = [
            ("ClusterIdentifier", spec.identifier), ("ClusterType", spec.clusterType), ("NodeType", spec.nodeType),
            ("DBName", spec.database), ("MasterUsername", spec.user), ("MasterUserPassword", spec.password.revealed),
            ("Port", String(spec.port)), ("IamRoles.IamRoleArn.1", roleARN), ("PubliclyAccessible", "true"),
            ("VpcSecurityGroupIds.VpcSecurityGroupId.1", securityGroup),
            ("Tags.Tag.1.Key", Self.madeByKey), ("Tags.Tag.1.Value", Self.madeByValue),
        ]
        if spec.clusterType == "multi-node" { parameters.append(("NumberOfNodes", String(spec.nodes))) }
        // A role made seconds ago may not have reached Redshift yet: it answers that the role
        // is invalid. Try again for a minute.
        for attempt in 1...6 {
            do {
                try redshift.call("CreateCluster", parameters)
                break
            } catch let error as AWSError where error.code == "InvalidParameterValue" && error.message.contains("IAM") && attempt < 6 {
                events(.note("Redshift does not see the new role yet; trying again"))
                Thread.sleep(forTimeInterval: min(pollInterval, 10))
            }
        }
        let price = ClusterPrices.hourly(nodeType: spec.nodeType, nodes: spec.nodes, region: spec.region, override: spec.hourlyPriceOverride)
        events(
            .note(
                "the cluster \(spec.identifier) asked for: \(spec.nodes) × \(spec.nodeType), publicly accessible (AWS's default is private)"
                    + (price.map { String(format: "; about $%.2f an hour while it runs", $0) } ?? "")))
    }

    /// Looks until the cluster's state is one of `states` (nil: until it is gone).
    @discardableResult
    func watch(until states: Set<String>?, shouldStop: () -> Bool = { false }, events: (Event) -> Void) throws -> ClusterDescription? {
        let started = Date()
        let usual: Double = states == nil ? 600 : 900
        while true {
            let cluster = try describe()
            guard let cluster else {
                if states == nil { return nil }
                throw AWSError(code: "ClusterNotFound", message: "the cluster \(spec.identifier) is gone", action: "DescribeClusters")
            }
            if let states, states.contains(cluster.status) { return cluster }
            if let meaning = Self.failureStates[cluster.status] {
                throw AWSError(code: "ClusterState", message: "the cluster is \(cluster.status): \(meaning)", action: "DescribeClusters")
            }
            let elapsed = Date().timeIntervalSince(started)
            events(.state(cluster.status, elapsed: elapsed, usual: usual))
            if elapsed > timeout {
                throw AWSError(code: "Timeout", message: "the cluster is still \(cluster.status) after \(Int(elapsed)) s", action: "DescribeClusters")
            }
            // In short naps, so a Ctrl-C is heard at once.
            let wake = Date().addingTimeInterval(pollInterval)
            while Date() < wake {
                if shouldStop() { throw Interrupted() }
                Thread.sleep(forTimeInterval: min(0.2, wake.timeIntervalSinceNow))
            }
            if shouldStop() { throw Interrupted() }
        }
    }

    func openPort(to cidr: String, on cluster: ClusterDescription, events: (Event) -> Void) throws -> Bool {
        guard let group = cluster.securityGroupIDs.first else {
            events(.note("the cluster has no security group to open: the port stays shut"))
            return false
        }
        do {
            try ec2.call(
                "AuthorizeSecurityGroupIngress",
                [
                    ("GroupId", group), ("IpPermissions.1.IpProtocol", "tcp"), ("IpPermissions.1.FromPort", String(spec.port)),
                    ("IpPermissions.1.ToPort", String(spec.port)), ("IpPermissions.1.IpRanges.1.CidrIp", cidr),
                    ("IpPermissions.1.IpRanges.1.Description", "made by sparkify"),
                ])
            events(.note("port \(spec.port) opened to \(cidr) on \(group) (the cluster's own group); delete closes it"))
            return true
        } catch let error as AWSError where error.code == "InvalidPermission.Duplicate" {
            return false
        }
    }

    func waitForDatabase(_ cluster: ClusterDescription, seconds: Double, events: (Event) -> Void) throws {
        guard let host = cluster.endpoint else { return }
        let settings = ConnectionSettings(
            host: host, port: cluster.port ?? spec.port, database: spec.database, user: spec.user, password: spec.password,
            sslMode: "require", connectTimeout: 10)
        let deadline = Date().addingTimeInterval(seconds)
        var last: Error?
        while Date() < deadline {
            do {
                let connection = try Connection(settings)
                connection.close()
                events(.note("the database answers at \(host):\(cluster.port ?? spec.port)"))
                return
            } catch {
                last = error
                Thread.sleep(forTimeInterval: min(10, pollInterval))
            }
        }
        throw AWSError(
            code: "DatabaseNotAnswering", message: "available, but the database did not answer in \(Int(seconds)) s: \(last.map { "\($0)" } ?? "")",
            action: "connect")
    }

    /// `[CLUSTER] HOST` (and the database, user and port when empty) and `[IAM_ROLE] ARN`.
    func writeConfig(host: String?, roleARN: String) throws -> Bool {
        var editor = try ConfigEditor(path: spec.path)
        let ini = try IniFile(path: spec.path, text: (try? String(contentsOfFile: spec.path, encoding: .utf8)) ?? "")
        var changed = false
        if let host { changed = try editor.set("CLUSTER", "HOST", host) || changed }
        for (key, value) in [("DB_NAME", spec.database), ("DB_USER", spec.user), ("DB_PORT", String(spec.port))]
        where (ini.value("CLUSTER", key) ?? "").isEmpty {
            changed = try editor.set("CLUSTER", key, value) || changed
        }
        if !roleARN.isEmpty { changed = try editor.set("IAM_ROLE", "ARN", roleARN) || changed }
        if changed { try editor.save() }
        return changed
    }

    // MARK: - pause, resume

    public func pause(events: (Event) -> Void) throws {
        try redshift.call("PauseCluster", [("ClusterIdentifier", spec.identifier)])
        try watch(until: ["paused"], events: events)
        events(.note("the cluster \(spec.identifier) is paused: its compute costs nothing until resumed (storage still does)"))
    }

    public func resume(events: (Event) -> Void) throws {
        try redshift.call("ResumeCluster", [("ClusterIdentifier", spec.identifier)])
        try watch(until: ["available"], events: events)
        events(.note("the cluster \(spec.identifier) is available again"))
    }

    // MARK: - delete

    public struct Removed: Sendable, Equatable {
        public var cluster = false
        public var ingress = 0
        public var securityGroup = false
        public var role = false
        public var configChanged = false
    }

    /// Deletes the cluster (a final snapshot only when named), waits for it to go, closes what
    /// sparkify opened, and removes the group and the role when sparkify made them.
    public func delete(snapshot: String?, events: (Event) -> Void) throws -> Removed {
        var removed = Removed()
        let cluster = try describe()
        if cluster != nil {
            var parameters = [("ClusterIdentifier", spec.identifier)]
            if let snapshot {
                parameters.append(("FinalClusterSnapshotIdentifier", snapshot))
            } else {
                parameters.append(("SkipFinalClusterSnapshot", "true"))
            }
            try redshift.call("DeleteCluster", parameters)
            events(.note("deleting \(spec.identifier)" + (snapshot.map { ", with a final snapshot \($0)" } ?? ", no final snapshot")))
            try watch(until: nil, events: events)
            removed.cluster = true
        } else {
            events(.note("no cluster \(spec.identifier) in \(spec.region): cleaning up what sparkify left"))
        }
        let own = try ownSecurityGroup()
        removed.ingress = try closeSparkifyIngress(groups: (cluster?.securityGroupIDs ?? []) + (own.map { [$0] } ?? []))
        if let own {
            try deleteSecurityGroup(own, events: events)
            removed.securityGroup = true
        }
        removed.role = try deleteRoleIfOurs(events: events)
        var editor = try ConfigEditor(path: spec.path)
        let hostCleared = try editor.set("CLUSTER", "HOST", "")
        let roleCleared = try editor.set("IAM_ROLE", "ARN", "")
        removed.configChanged = hostCleared || roleCleared
        if removed.configChanged { try editor.save() }
        return removed
    }

    /// The states a cluster does not leave by waiting, with what each means ("Amazon Redshift
    /// clusters", the Management Guide's cluster status table:
    /// https://docs.aws.amazon.com/redshift/latest/mgmt/working-with-clusters.html): a watch that
    /// meets one stops and says so, instead of polling for an hour.
    static let failureStates: [String: String] = [
        "hardware-failure": "the cluster failed and cannot be used (AWS says to replace it: delete it and create it again)",
        "incompatible-hsm": "Redshift cannot connect to the hardware security module",
        "incompatible-network":
            "there is an issue with the network configuration: check that the VPC the cluster was made in exists and its settings are correct",
        "incompatible-parameters": "a parameter of the cluster's parameter group cannot be applied",
        "incompatible-restore": "restoring the cluster from a snapshot failed",
        "storage-full": "the cluster has reached its storage capacity",
    ]

    /// EC2 refuses to delete a group "associated with an instance or network interface" with
    /// `DependencyViolation` (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DeleteSecurityGroup.html):
    /// a deleted cluster's network interfaces linger for minutes. Tried again until they go (at
    /// most the watch's timeout), saying so; the role and dwh.cfg are cleaned up after.
    private func deleteSecurityGroup(_ group: String, events: (Event) -> Void) throws {
        let started = Date()
        while true {
            do {
                try ec2.call("DeleteSecurityGroup", [("GroupId", group)])
                return
            } catch let error as AWSError where error.code == "DependencyViolation" {
                let elapsed = Date().timeIntervalSince(started)
                guard elapsed < timeout else { throw error }
                events(.state("the security group \(group) still in use by the cluster's network interfaces", elapsed: elapsed, usual: 300))
                Thread.sleep(forTimeInterval: pollInterval)
            }
        }
    }

    private func closeSparkifyIngress(groups: [String]) throws -> Int {
        var closed = 0
        for group in Set(groups) {
            let answer = try ec2.call("DescribeSecurityGroups", [("GroupId.1", group)])
            for permission in answer.first("ipPermissions")?.all("item") ?? [] {
                for range in permission.first("ipRanges")?.all("item") ?? [] where range["description"] == "made by sparkify" {
                    guard let cidr = range["cidrIp"] else { continue }
                    try ec2.call(
                        "RevokeSecurityGroupIngress",
                        [
                            ("GroupId", group), ("IpPermissions.1.IpProtocol", permission["ipProtocol"] ?? "tcp"),
                            ("IpPermissions.1.FromPort", permission["fromPort"] ?? String(spec.port)),
                            ("IpPermissions.1.ToPort", permission["toPort"] ?? String(spec.port)),
                            ("IpPermissions.1.IpRanges.1.CidrIp", cidr),
                        ])
                    closed += 1
                }
            }
        }
        return closed
    }

    private func deleteRoleIfOurs(events: (Event) -> Void) throws -> Bool {
        let tags: XMLNode
        do {
            tags = try iam.call("ListRoleTags", [("RoleName", spec.roleName)])
        } catch let error as AWSError where error.code == "NoSuchEntity" {
            return false
        }
        let ours = (tags.first("Tags")?.all("member") ?? []).contains { $0["Key"] == Self.madeByKey && $0["Value"] == Self.madeByValue }
        guard ours else {
            events(.note("the IAM role \(spec.roleName) was not made by sparkify: kept"))
            return false
        }
        do {
            try iam.call("DetachRolePolicy", [("RoleName", spec.roleName), ("PolicyArn", Self.s3ReadPolicy)])
        } catch let error as AWSError where error.code == "NoSuchEntity" {}
        try iam.call("DeleteRole", [("RoleName", spec.roleName)])
        events(.note("the IAM role \(spec.roleName) deleted (sparkify made it)"))
        return true
    }
}

/// A lifecycle step that failed half-way: the AWS error, and what had been made by then
/// (`delete` cleans it up).
public struct ClusterFailure: Error, CustomStringConvertible, Sendable {
    public var underlying: Error
    public var made: ClusterLifecycle.Made
    /// After an interruption: the cluster as it stands (identifier, state, dollars an hour).
    public var cluster: (identifier: String, state: String, hourly: Double?)? = nil
    /// After an interruption: the dwh.cfg the keys of what exists went to.
    public var configPath: String? = nil

    public var interrupted: Bool { underlying is ClusterLifecycle.Interrupted }

    public var description: String {
        var parts: [String] = []
        if made.role { parts.append("the IAM role") }
        if made.securityGroup { parts.append("the security group") }
        if made.cluster { parts.append("the cluster") }
        if made.ingress { parts.append("the ingress rule") }
        guard interrupted else {
            var text = "\(underlying)"
            if !parts.isEmpty { text += "\nmade before the failure: \(parts.joined(separator: ", ")); sparkify cluster delete removes them" }
            return text
        }
        var lines = ["interrupted: what was made goes on existing"]
        if !parts.isEmpty { lines.append("made by this run: \(parts.joined(separator: ", "))") }
        if let cluster {
            let cost = cluster.hourly.map { String(format: "; it costs about $%.2f an hour once available, until deleted", $0) } ?? ""
            lines.append("the cluster \(cluster.identifier) is \(cluster.state)\(cost)")
        }
        let config = configPath.map { " --config \($0)" } ?? ""
        if made.configChanged, let configPath {
            lines.append("\(configPath): the keys of what exists were written ([IAM_ROLE] ARN, and HOST once known)")
        }
        lines.append("remove it all: sparkify cluster delete\(config)")
        return lines.joined(separator: "\n")
    }
}
