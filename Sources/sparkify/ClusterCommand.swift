import ArgumentParser
import Foundation
import Warehouse

/// `sparkify cluster …`: the Redshift cluster's life, from the `[DWH]` block of dwh.cfg.
struct ClusterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cluster",
        abstract: "Create, watch, pause, resume and delete the Redshift cluster (and its IAM role) that dwh.cfg's [DWH] describes.",
        discussion: """
            Keys as for S3 sources: the environment, [AWS] KEY/SECRET, or ~/.aws/credentials. Endpoints as the AWS \\
            tools read them: AWS_ENDPOINT_URL, or AWS_ENDPOINT_URL_REDSHIFT, _IAM, _EC2.
            """,
        subcommands: [Create.self, Status.self, Pause.self, Resume.self, Delete.self])

    struct Options: ParsableArguments {
        @Option(name: .long, help: ArgumentHelp("The dwh.cfg whose [DWH] block describes the cluster.", valueName: "path"))
        var config = "dwh.cfg"

        func lifecycle() throws -> ClusterLifecycle {
            let spec = try ClusterSpec.read(path: config)
            let dwh = try? DwhConfig.load(path: config)
            guard let credentials = try AWSCredentials.resolve(config: dwh) else {
                throw ValidationError(
                    "no AWS keys: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, [AWS] KEY and SECRET in \(config), or ~/.aws/credentials.")
            }
            return ClusterLifecycle(spec: spec, credentials: credentials)
        }
    }

    /// Progress on stderr: notes as lines, a changing state on one line with its time.
    static func show(_ event: ClusterLifecycle.Event) {
        switch event {
        case .note(let text): Terminal.note(text)
        case .state(let state, let elapsed, let usual):
            let left = usual > elapsed ? ", usually about \(Figures.duration(usual - elapsed)) more" : ""
            Terminal.note("\(state) for \(Figures.duration(elapsed))\(left)")
        }
    }

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make the IAM role, the cluster and its security group; open the port; write dwh.cfg.")
        @OptionGroup var options: Options
        @Option(
            name: .long, help: ArgumentHelp("Open the port to this address range only (e.g. 203.0.113.7/32); none opens nothing.", valueName: "cidr"))
        var allowFrom: String?
        @Option(name: .long, help: ArgumentHelp("Seconds to wait for the database to answer once available (0 skips).", valueName: "seconds"))
        var waitDb: Double = 300
        @Flag(name: .long, help: "Do not ask; in a script, --allow-from must then be given.")
        var yes = false

        func run() throws {
            try reportingErrors {
                let lifecycle = try options.lifecycle()
                var cidr = allowFrom
                if cidr == nil {
                    guard !yes, isatty(STDIN_FILENO) == 1 else {
                        throw ValidationError(
                            "give --allow-from CIDR (your address /32) to open port \(lifecycle.spec.port), or --allow-from none; sparkify never opens it to everyone unasked."
                        )
                    }
                    Terminal.write("sparkify: open port \(lifecycle.spec.port) to which address range (e.g. 203.0.113.7/32; empty: none)? ")
                    cidr = readLine()?.trimmingCharacters(in: .whitespaces)
                }
                if cidr == "none" || cidr == "" { cidr = nil }
                // Ctrl-C stops the wait, not the program: what exists by then is said, with its
                // cost and the command that removes it, and its keys go to dwh.cfg.
                let interrupt = InterruptWatch {}
                defer { interrupt.stop() }
                let made: ClusterLifecycle.Made
                do {
                    made = try lifecycle.create(
                        allowFrom: cidr, waitDB: waitDb, shouldStop: { interrupt.fired }, events: ClusterCommand.show)
                } catch let failure as ClusterFailure where failure.interrupted {
                    for line in failure.description.split(separator: "\n") { Terminal.note(String(line)) }
                    throw ExitCode(130)
                }
                if made.nothing { Terminal.note("everything was in place: nothing changed") }
                try printStatus(lifecycle)
            }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The cluster's state, shape, endpoint, rules and cost; exit 3 when there is none.")
        @OptionGroup var options: Options

        func run() throws {
            var missing = false
            try reportingErrors { missing = try !printStatus(try options.lifecycle()) }
            if missing { throw ExitCode(3) }
        }
    }

    struct Pause: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pause the cluster: its compute stops costing until resumed.")
        @OptionGroup var options: Options
        func run() throws { try reportingErrors { try options.lifecycle().pause(events: ClusterCommand.show) } }
    }

    struct Resume: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume a paused cluster and wait until it is available.")
        @OptionGroup var options: Options
        func run() throws { try reportingErrors { try options.lifecycle().resume(events: ClusterCommand.show) } }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete the cluster, close the port, remove the security group and role sparkify made, clear HOST and ARN.")
        @OptionGroup var options: Options
        @Option(name: .long, help: ArgumentHelp("Keep a final snapshot of this name (none by default).", valueName: "name"))
        var snapshot: String?
        @Flag(name: .long, help: "Do not ask for the identifier to be typed.")
        var yes = false

        func run() throws {
            try reportingErrors {
                let lifecycle = try options.lifecycle()
                if !yes {
                    guard isatty(STDIN_FILENO) == 1 else { throw ValidationError("deleting needs --yes in a script.") }
                    Terminal.write("sparkify: type the cluster's identifier (\(lifecycle.spec.identifier)) to delete it: ")
                    guard readLine()?.trimmingCharacters(in: .whitespaces) == lifecycle.spec.identifier else {
                        Terminal.note("not the identifier: nothing deleted")
                        throw ExitCode(1)
                    }
                }
                let removed = try lifecycle.delete(snapshot: snapshot, events: ClusterCommand.show)
                var parts: [String] = []
                if removed.cluster { parts.append("the cluster") }
                if removed.ingress > 0 { parts.append("\(removed.ingress) ingress \(removed.ingress == 1 ? "rule" : "rules")") }
                if removed.securityGroup { parts.append("its security group") }
                if removed.role { parts.append("the IAM role") }
                Terminal.note(parts.isEmpty ? "nothing to delete" : "deleted: " + parts.joined(separator: ", "))
                if removed.configChanged { Terminal.note("\(lifecycle.spec.path): [CLUSTER] HOST and [IAM_ROLE] ARN cleared") }
            }
        }
    }
}

/// Prints the cluster's status on stdout; false when there is no cluster.
@discardableResult
func printStatus(_ lifecycle: ClusterLifecycle) throws -> Bool {
    let spec = lifecycle.spec
    let out = StandardOutput()
    guard let cluster = try lifecycle.describe() else {
        out.line("no cluster \(spec.identifier) in \(spec.region)")
        try out.finish()
        return false
    }
    var rows: [[String]] = [
        ["cluster", cluster.identifier],
        ["state", cluster.status + (cluster.availability.map { " (\($0))" } ?? "")],
        ["nodes", "\(cluster.nodes) × \(cluster.nodeType)"],
        ["endpoint", cluster.endpoint.map { "\($0):\(cluster.port ?? spec.port)" } ?? "—"],
        ["database", "\(cluster.user ?? "—") @ \(cluster.database ?? "—")"],
        ["VPC", cluster.vpcID ?? "—"],
        ["security", cluster.securityGroupIDs.joined(separator: ", ")],
        ["port open to", cluster.ingress.isEmpty ? "nobody" : cluster.ingress.joined(separator: ", ")],
        ["public", cluster.publiclyAccessible ? "yes" : "no"],
        ["encrypted", cluster.encrypted ? "yes" : "no"],
        ["IAM role", cluster.iamRoles.joined(separator: ", ")],
        ["maintenance", cluster.maintenanceWindow ?? "—"],
    ]
    if let created = cluster.created {
        let uptime = Date().timeIntervalSince(created)
        rows.append(["created", "\(ISO8601DateFormatter().string(from: created)) (\(Figures.duration(uptime)) ago)"])
    }
    if let cost = cluster.cost(region: spec.region, override: spec.hourlyPriceOverride) {
        rows.append(["cost", String(format: "$%.2f an hour now; about $%.2f since it was made", cost.hourly, cost.soFar)])
        if cluster.nodeType.lowercased().hasPrefix("ra3") {
            // "While the cluster is paused, on-demand billing is suspended. Only the cluster's
            // storage incurs charges" (Pausing and resuming clusters, Amazon Redshift
            // Management Guide: https://docs.aws.amazon.com/redshift/latest/mgmt/rs-mgmt-pause-resume-cluster.html).
            rows.append(["storage", "not counted above: RA3 managed storage is billed per GB-month, also while paused"])
        }
        rows.append(["prices", spec.hourlyPriceOverride != nil ? "[DWH] DWH_HOURLY_PRICE" : ClusterPrices.source])
    } else {
        rows.append(["cost", "no price for \(cluster.nodeType) in \(spec.region): set [DWH] DWH_HOURLY_PRICE"])
    }
    out.text(TextColumns.render(rows, rightAligned: []))
    try out.finish()
    return true
}
