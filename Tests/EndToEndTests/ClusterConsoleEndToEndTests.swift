import Foundation
import XCTest

@testable import TestSupport
@testable import Warehouse

/// The Cluster pane in a real terminal: the warehouse is the test server, the [DWH] cluster is
/// moto's; `n` creates it (the port's range typed), the pane shows its state and cost ticking,
/// `d` with the identifier typed deletes it.
final class ClusterConsoleEndToEndTests: XCTestCase {
    override class func tearDown() {
        TmuxSession.killServer()
        super.tearDown()
    }

    func testCreateThenDeleteFromTheClusterPane() throws {
        let settings = try TestServer.freshDatabase("cluster_console")
        let config = SparkifyBinary.configForTestServer(
            database: settings.database!,
            extra: """
                [DWH]
                DWH_CLUSTER_IDENTIFIER=console-e2e
                DWH_NUM_NODES=2
                DWH_NODE_TYPE=ra3.xlplus
                DWH_DB_PASSWORD=Passw0rdOK
                DWH_IAM_ROLE_NAME=console-e2e-role
                DWH_REGION=us-west-2

                """)
        let environment = [
            "AWS_ENDPOINT_URL": LocalS3.shared.endpoint, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
            "SPARKIFY_CLUSTER_POLL": "0.1", "AWS_SHARED_CREDENTIALS_FILE": "/nonexistent",
        ]
        let console = try TmuxSession(["--config", config], environment: environment)
        try console.waitFor(text: "● connected")
        try console.press("BTab", "BTab")  // runner → tables → cluster
        try console.waitFor(text: "no console-e2e: n creates it")
        try console.press("n")
        try console.waitFor(text: "open its port to")
        try console.type("203.0.113.7/32")
        try console.press("Enter")
        var screen = try console.waitFor(text: "console-e2e available")
        screen = try console.waitFor(text: "$2.17/h")
        XCTAssertFalse(screen.contains("Passw0rdOK"), "the master password never shows")
        let written = try String(contentsOfFile: config, encoding: .utf8)
        XCTAssertTrue(written.contains("HOST='console-e2e."), "create wrote the endpoint back, in the file's quotes:\n\(written)")

        try console.press("d")
        try console.waitFor(text: "type console-e2e to delete")
        try console.type("console-e2e")
        try console.press("Enter")
        try console.waitFor(text: "no console-e2e: n creates it")
        try console.waitFor(text: "console-e2e-role deleted (sparkify made it)")
    }
}
