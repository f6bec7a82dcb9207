import Foundation
import XCTest

@testable import TestSupport
@testable import Warehouse

/// `sparkify cluster` end to end against moto's server on loopback (IAM, Redshift and EC2 in
/// one): create → status → pause → resume → delete through the binary, each step checked with
/// boto3, an AWS client independent of sparkify's, and the dwh.cfg round trip read back.
final class ClusterCommandTests: XCTestCase {
    private func config(_ identifier: String, extra: String = "") throws -> String {
        let path = TestServer.scratchDirectory("cluster") + "/dwh.cfg"
        try """
        # the team's cluster: keep this comment
        [CLUSTER]
        HOST=
        DB_NAME = dev
        DB_USER = awsuser
        DB_PASSWORD = 'Passw0rdOK'

        [IAM_ROLE]
        ARN = ''

        [DWH]
        DWH_NUM_NODES = 2
        DWH_NODE_TYPE = ra3.xlplus
        DWH_CLUSTER_IDENTIFIER = \(identifier)
        DWH_IAM_ROLE_NAME = \(identifier)-role
        DWH_REGION = us-west-2
        \(extra)
        """.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o600)
        return path
    }

    private var environment: [String: String] {
        [
            "AWS_ENDPOINT_URL": LocalS3.shared.endpoint, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "SPARKIFY_CLUSTER_POLL": "0.1", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
        ]
    }

    /// What boto3 sees, as one JSON object.
    private func boto3(_ identifier: String) throws -> [String: Any] {
        let script = """
            import boto3, json
            kw = dict(endpoint_url='\(LocalS3.shared.endpoint)', aws_access_key_id='testing', aws_secret_access_key='testing')
            rs = boto3.client('redshift', region_name='us-west-2', **kw)
            iam = boto3.client('iam', region_name='us-east-1', **kw)
            ec2 = boto3.client('ec2', region_name='us-west-2', **kw)
            out = {}
            try:
                c = rs.describe_clusters(ClusterIdentifier='\(identifier)')['Clusters'][0]
                out['cluster'] = dict(status=c['ClusterStatus'], nodes=c['NumberOfNodes'], type=c['NodeType'],
                                      public=c['PubliclyAccessible'], roles=[r['IamRoleArn'] for r in c['IamRoles']],
                                      groups=[g['VpcSecurityGroupId'] for g in c['VpcSecurityGroups']])
            except rs.exceptions.ClusterNotFoundFault:
                out['cluster'] = None
            try:
                iam.get_role(RoleName='\(identifier)-role')
                out['policies'] = [p['PolicyArn'] for p in iam.list_attached_role_policies(RoleName='\(identifier)-role')['AttachedPolicies']]
            except iam.exceptions.NoSuchEntityException:
                out['policies'] = None
            groups = ec2.describe_security_groups(Filters=[{'Name': 'group-name', 'Values': ['sparkify-\(identifier)']}])['SecurityGroups']
            out['ingress'] = [r['CidrIp'] for g in groups for p in g['IpPermissions'] for r in p['IpRanges']]
            out['groups'] = len(groups)
            print(json.dumps(out))
            """
        let run = try ProcessRunner.run("/usr/bin/env", ["python3", "-c", script], environment: ProcessInfo.processInfo.environment)
        XCTAssertEqual(run.status, 0, run.output)
        let line = run.output.split(separator: "\n").last.map(String.init) ?? "{}"
        return (try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]) ?? [:]
    }

    func testTheWholeLifeOfACluster() throws {
        let path = try config("life")
        let before = try String(contentsOfFile: path, encoding: .utf8)

        let create = try SparkifyBinary.run(
            ["cluster", "create", "--config", path, "--allow-from", "203.0.113.7/32", "--wait-db", "0"], environment: environment)
        XCTAssertEqual(create.status, 0, create.stderr)
        XCTAssertTrue(create.stderr.contains("the IAM role life-role made"), create.stderr)
        XCTAssertTrue(create.stdout.contains("port open to  203.0.113.7/32"), create.stdout)
        XCTAssertFalse(create.stdout.contains("Passw0rdOK") || create.stderr.contains("Passw0rdOK"), "the password never shows")
        var seen = try boto3("life")
        let cluster = seen["cluster"] as? [String: Any]
        XCTAssertEqual(cluster?["status"] as? String, "available")
        XCTAssertEqual(cluster?["nodes"] as? Int, 2)
        XCTAssertEqual(cluster?["type"] as? String, "ra3.xlplus")
        XCTAssertEqual(cluster?["public"] as? Bool, true)
        XCTAssertEqual((cluster?["roles"] as? [String])?.first?.hasSuffix(":role/life-role"), true)
        XCTAssertEqual(seen["policies"] as? [String], ["arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"])
        XCTAssertEqual(seen["ingress"] as? [String], ["203.0.113.7/32"], "only the range asked for, on the cluster's own group")

        // dwh.cfg: HOST and ARN written on their own lines; the comment, spacing and quotes kept.
        let after = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(after.hasPrefix("# the team's cluster: keep this comment\n[CLUSTER]\nHOST=life."), after)
        XCTAssertTrue(after.contains("ARN = 'arn:aws:iam::123456789012:role/life-role'"), after)
        XCTAssertTrue(after.contains("DB_PASSWORD = 'Passw0rdOK'\nDB_PORT=5439\n"), "the missing port added at the end of its section:\n\(after)")
        XCTAssertEqual(after.split(separator: "\n").count, before.split(separator: "\n").count + 1, "no other line added or lost")
        let mode = (try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? NSNumber)?.intValue
        XCTAssertEqual(mode, 0o600)
        let config = try DwhConfig.load(path: path)
        XCTAssertEqual(config.expectedEngine, .redshift, "the written HOST is a Redshift endpoint")

        let again = try SparkifyBinary.run(
            ["cluster", "create", "--config", path, "--allow-from", "203.0.113.7/32", "--wait-db", "0"], environment: environment)
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertTrue(again.stderr.contains("everything was in place: nothing changed"), again.stderr)

        let pause = try SparkifyBinary.run(["cluster", "pause", "--config", path], environment: environment)
        XCTAssertEqual(pause.status, 0, pause.stderr)
        XCTAssertEqual((try boto3("life")["cluster"] as? [String: Any])?["status"] as? String, "paused")
        let paused = try SparkifyBinary.run(["cluster", "status", "--config", path], environment: environment)
        XCTAssertTrue(paused.stdout.contains("$0.00 an hour now"), paused.stdout)
        let resume = try SparkifyBinary.run(["cluster", "resume", "--config", path], environment: environment)
        XCTAssertEqual(resume.status, 0, resume.stderr)
        let status = try SparkifyBinary.run(["cluster", "status", "--config", path], environment: environment)
        XCTAssertEqual(status.status, 0)
        XCTAssertTrue(status.stdout.contains("$2.17 an hour now"), status.stdout)

        let delete = try SparkifyBinary.run(["cluster", "delete", "--config", path, "--yes"], environment: environment)
        XCTAssertEqual(delete.status, 0, delete.stderr)
        XCTAssertTrue(delete.stderr.contains("deleted: the cluster, 1 ingress rule, its security group, the IAM role"), delete.stderr)
        seen = try boto3("life")
        XCTAssertTrue(seen["cluster"] is NSNull, "\(seen)")
        XCTAssertTrue(seen["policies"] is NSNull, "the role sparkify made is gone")
        XCTAssertEqual(seen["groups"] as? Int, 0)
        let cleared = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(cleared.contains("\nHOST=\n"), cleared)
        XCTAssertTrue(cleared.contains("ARN = ''"), cleared)
        XCTAssertTrue(cleared.hasPrefix("# the team's cluster: keep this comment"))

        let none = try SparkifyBinary.run(["cluster", "status", "--config", path], environment: environment)
        XCTAssertEqual(none.status, 3, "no cluster: exit 3")
    }

    func testARoleThatRedshiftCannotAssumeIsNotReused() throws {
        let path = try config("foreign")
        let script = """
            import boto3
            iam = boto3.client('iam', region_name='us-east-1', endpoint_url='\(LocalS3.shared.endpoint)', aws_access_key_id='testing', aws_secret_access_key='testing')
            iam.create_role(RoleName='foreign-role', AssumeRolePolicyDocument='{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"ec2.amazonaws.com"},"Action":"sts:AssumeRole"}]}')
            """
        XCTAssertEqual(try ProcessRunner.run("/usr/bin/env", ["python3", "-c", script], environment: ProcessInfo.processInfo.environment).status, 0)
        let create = try SparkifyBinary.run(
            ["cluster", "create", "--config", path, "--allow-from", "none", "--wait-db", "0"], environment: environment)
        XCTAssertNotEqual(create.status, 0)
        XCTAssertTrue(create.stderr.contains("its trust policy does not let Redshift assume it"), create.stderr)
        XCTAssertNil(try boto3("foreign")["cluster"] as? [String: Any], "no cluster made")
        let delete = try SparkifyBinary.run(["cluster", "delete", "--config", path, "--yes"], environment: environment)
        XCTAssertTrue(delete.stderr.contains("was not made by sparkify: kept"), delete.stderr)
    }

    func testABadPasswordOrNoAllowFromIsRefusedBeforeAnyCall() throws {
        let path = try config("refused", extra: "DWH_DB_PASSWORD = short")
        let weak = try SparkifyBinary.run(["cluster", "create", "--config", path, "--allow-from", "none"], environment: environment)
        XCTAssertNotEqual(weak.status, 0)
        XCTAssertTrue(weak.stderr.contains("[DWH] DWH_DB_PASSWORD"), weak.stderr)
        XCTAssertTrue(weak.stderr.contains("8 to 64 characters"), weak.stderr)
        XCTAssertFalse(weak.stderr.contains("short\n"), "the password is not echoed")
        let fine = try config("refused2")
        let script = try SparkifyBinary.run(["cluster", "create", "--config", fine, "--yes"], environment: environment)
        XCTAssertNotEqual(script.status, 0)
        XCTAssertTrue(script.stderr.contains("give --allow-from CIDR"), script.stderr)
        XCTAssertNil(try boto3("refused2")["cluster"] as? [String: Any])
    }

    /// The look-alike in front of moto (`scripts/lib/redshift_states.py`): `creating` and
    /// `deleting` answered before moto's states, or capacity refused half-way.
    private func lookAlike(_ mode: String? = nil) throws -> (endpoint: String, server: ProcessRunner.Running) {
        let port = try LocalS3.freePort()
        let script = URL(fileURLWithPath: LocalS3.fixture).deletingLastPathComponent().appendingPathComponent("redshift_states.py").path
        let server = try ProcessRunner.start(
            "/usr/bin/env", ["python3", script, String(port), LocalS3.shared.endpoint] + (mode.map { [$0] } ?? []),
            environment: ProcessInfo.processInfo.environment, separateErrors: true)
        addTeardownBlock { server.signal(SIGTERM) }
        let endpoint = "http://127.0.0.1:\(port)"
        for _ in 0..<100 {
            if (try? ProcessRunner.run(
                "/usr/bin/env", ["python3", "-c", "import urllib.request; urllib.request.urlopen('\(endpoint)/_calls')"], environment: [:]
            ).status) == 0 {
                break
            }
            usleep(100_000)
        }
        return (endpoint, server)
    }

    func testTheStatesInBetweenAreWatchedAndSaid() throws {
        let path = try config("states")
        let (endpoint, _) = try lookAlike()
        var env = environment
        env["AWS_ENDPOINT_URL"] = endpoint
        let create = try SparkifyBinary.run(["cluster", "create", "--config", path, "--allow-from", "none", "--wait-db", "0"], environment: env)
        XCTAssertEqual(create.status, 0, create.stderr)
        XCTAssertTrue(create.stderr.contains("creating for"), "the wait is shown while the cluster is made:\n\(create.stderr)")
        XCTAssertTrue(create.stdout.contains("state         available"), create.stdout)
        let delete = try SparkifyBinary.run(["cluster", "delete", "--config", path, "--yes"], environment: env)
        XCTAssertEqual(delete.status, 0, delete.stderr)
        XCTAssertTrue(delete.stderr.contains("deleting for"), delete.stderr)
        XCTAssertTrue(delete.stderr.contains("deleted: the cluster"), delete.stderr)
    }

    func testCtrlCWhileTheClusterIsMadeSaysWhatExistsAndWritesItsKeys() throws {
        let path = try config("interrupted")
        let (endpoint, _) = try lookAlike("slow")
        var env = environment
        env["AWS_ENDPOINT_URL"] = endpoint
        let create = try SparkifyBinary.run(
            ["cluster", "create", "--config", path, "--allow-from", "none", "--wait-db", "0"], environment: env, interruptAfter: 4)
        XCTAssertEqual(create.status, 130, create.stderr)
        XCTAssertTrue(create.stderr.contains("creating for"), create.stderr)
        XCTAssertTrue(create.stderr.contains("made by this run: the IAM role, the security group, the cluster"), create.stderr)
        XCTAssertTrue(create.stderr.contains("the cluster interrupted is creating; it costs about $"), create.stderr)
        XCTAssertTrue(create.stderr.contains("remove it all: sparkify cluster delete --config \(path)"), create.stderr)
        let written = try String(contentsOfFile: path, encoding: .utf8)
        XCTAssertTrue(written.contains("arn:aws:iam::"), "the role's ARN is kept for delete and the loads:\n\(written)")
        XCTAssertNotNil(try boto3("interrupted")["cluster"] as? [String: Any], "the cluster goes on existing")

        let delete = try SparkifyBinary.run(["cluster", "delete", "--config", path, "--yes"], environment: env)
        XCTAssertEqual(delete.status, 0, delete.stderr)
        let seen = try boto3("interrupted")
        XCTAssertNil(seen["cluster"] as? [String: Any])
        XCTAssertEqual(seen["groups"] as? Int, 0)
    }

    func testDeleteWaitsForTheNetworkInterfacesAndThenCleansUp() throws {
        let path = try config("lingering")
        let (endpoint, _) = try lookAlike("lingering")
        var env = environment
        env["AWS_ENDPOINT_URL"] = endpoint
        XCTAssertEqual(
            try SparkifyBinary.run(["cluster", "create", "--config", path, "--allow-from", "none", "--wait-db", "0"], environment: env).status, 0)
        let delete = try SparkifyBinary.run(["cluster", "delete", "--config", path, "--yes"], environment: env)
        XCTAssertEqual(delete.status, 0, delete.stderr)
        XCTAssertTrue(delete.stderr.contains("still in use by the cluster's network interfaces"), delete.stderr)
        XCTAssertTrue(delete.stderr.contains("its security group"), delete.stderr)
        let seen = try boto3("lingering")
        XCTAssertEqual(seen["groups"] as? Int, 0)
        XCTAssertTrue(seen["policies"] is NSNull, "the role went too")
        XCTAssertFalse(try String(contentsOfFile: path, encoding: .utf8).contains("arn:aws:iam::"), "dwh.cfg's ARN cleared")
    }

    func testAClusterInAFailureStateIsSaidAtOnce() throws {
        let path = try config("hardware")
        let (endpoint, _) = try lookAlike("hardware")
        var env = environment
        env["AWS_ENDPOINT_URL"] = endpoint
        let create = try SparkifyBinary.run(["cluster", "create", "--config", path, "--allow-from", "none", "--wait-db", "0"], environment: env)
        XCTAssertNotEqual(create.status, 0)
        XCTAssertTrue(create.stderr.contains("the cluster is hardware-failure: the cluster failed and cannot be used"), create.stderr)
        XCTAssertTrue(create.stderr.contains("sparkify cluster delete removes them"), create.stderr)
        XCTAssertEqual(try SparkifyBinary.run(["cluster", "delete", "--config", path, "--yes"], environment: environment).status, 0)
    }

    func testPortsAndPasswordsRedshiftRefusesAreRefusedBeforeAnyCall() throws {
        let port = try config("badport", extra: "DWH_PORT = 6000")
        let refused = try SparkifyBinary.run(["cluster", "create", "--config", port, "--allow-from", "none"], environment: environment)
        XCTAssertEqual(refused.status, 1, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("[DWH] DWH_PORT: 6000 is not a port an ra3 cluster takes: 5431–5455 or 8191–8215"), refused.stderr)
        let accented = try config("accented")
        let text = try String(contentsOfFile: accented, encoding: .utf8).replacingOccurrences(of: "Passw0rdOK", with: "Passw0rdÖK")
        try text.write(toFile: accented, atomically: true, encoding: .utf8)
        let password = try SparkifyBinary.run(["cluster", "create", "--config", accented, "--allow-from", "none"], environment: environment)
        XCTAssertEqual(password.status, 1, password.stderr)
        XCTAssertTrue(password.stderr.contains("printable ASCII only"), password.stderr)
        XCTAssertFalse(password.stderr.contains("Passw0rd"), "the password is never shown")
        XCTAssertNil(try boto3("badport")["cluster"] as? [String: Any])
    }

    func testTheRegionComesFromAWSDefaultRegionToo() throws {
        let path = TestServer.scratchDirectory("cluster-region") + "/dwh.cfg"
        try "[DWH]\nDWH_CLUSTER_IDENTIFIER = r\nDWH_DB_PASSWORD = Passw0rdOK\n".write(toFile: path, atomically: true, encoding: .utf8)
        XCTAssertEqual(try ClusterSpec.read(path: path, environment: ["AWS_DEFAULT_REGION": "eu-west-1"]).region, "eu-west-1")
        XCTAssertEqual(
            try ClusterSpec.read(path: path, environment: ["AWS_REGION": "eu-central-1", "AWS_DEFAULT_REGION": "eu-west-1"]).region, "eu-central-1")
        XCTAssertEqual(try ClusterSpec.read(path: path, environment: [:]).region, "us-west-2")
    }

    func testAFailureHalfWaySaysWhatWasMadeAndDeleteCleansItUp() throws {
        let path = try config("halfway")
        let (endpoint, _) = try lookAlike("capacity")
        var env = environment
        env["AWS_ENDPOINT_URL"] = endpoint
        let create = try SparkifyBinary.run(["cluster", "create", "--config", path, "--allow-from", "none", "--wait-db", "0"], environment: env)
        XCTAssertNotEqual(create.status, 0)
        XCTAssertTrue(create.stderr.contains("InsufficientClusterCapacity"), create.stderr)
        XCTAssertTrue(create.stderr.contains("try another DWH_NODE_TYPE or region"), create.stderr)
        XCTAssertTrue(
            create.stderr.contains("made before the failure: the IAM role, the security group; sparkify cluster delete removes them"), create.stderr)
        var seen = try boto3("halfway")
        XCTAssertNotNil(seen["policies"] as? [String], "the role was made")
        XCTAssertEqual(seen["groups"] as? Int, 1)
        let delete = try SparkifyBinary.run(["cluster", "delete", "--config", path, "--yes"], environment: environment)
        XCTAssertEqual(delete.status, 0, delete.stderr)
        seen = try boto3("halfway")
        XCTAssertTrue(seen["policies"] is NSNull)
        XCTAssertEqual(seen["groups"] as? Int, 0)
    }

    /// Throttling answers are retried with backoff, not shown as failures.
    func testThrottlingIsRetried() throws {
        let path = try config("throttled")
        let (endpoint, _) = try lookAlike("throttle")
        var env = environment
        env["AWS_ENDPOINT_URL"] = endpoint
        let status = try SparkifyBinary.run(["cluster", "status", "--config", path], environment: env)
        XCTAssertEqual(status.status, 3, "answered after two refusals: there is no cluster\n\(status.stderr)")
        XCTAssertTrue(status.stdout.contains("no cluster throttled in us-west-2"), status.stdout)
        let calls = try ProcessRunner.run(
            "/usr/bin/env", ["python3", "-c", "import urllib.request; print(urllib.request.urlopen('\(endpoint)/_calls').read().decode())"],
            environment: [:])
        XCTAssertTrue(calls.output.contains(#"["DescribeClusters", "DescribeClusters", "DescribeClusters""#), calls.output)
    }
}
