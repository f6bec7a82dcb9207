import Foundation
import XCTest

@testable import Console
@testable import PostgresClient
@testable import TestSupport
@testable import Warehouse

/// The history file: kept across sessions, never holding a secret, readable by its owner only.
final class QueryHistoryTests: XCTestCase {
    private func scratchFile() -> String {
        let directory = NSTemporaryDirectory() + "sparkify-history-\(UUID().uuidString)"
        return directory + "/state/history"
    }

    func testStatementsSurviveARestartWithTheirLineBreaks() {
        let path = scratchFile()
        var history = QueryHistory(path: path)
        history.record("select 1")
        history.record("select a,\n  b\nfrom t")
        history.record("select a,\n  b\nfrom t")  // a repeat is kept once
        let reopened = QueryHistory(path: path)
        XCTAssertEqual(reopened.entries, ["select 1", "select a,\n  b\nfrom t"])
        let mode = (try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int) ?? -1
        XCTAssertEqual(mode, 0o600, "only its owner reads the history")
    }

    func testPasswordsAndKeysNeverReachTheFile() throws {
        let path = scratchFile()
        var history = QueryHistory(path: path, known: [Secret("Hunter2-Secret")])
        history.record("ALTER USER sparkify WITH PASSWORD 'Tr0ub4dor&3'")
        history.record("copy staging.events from 's3://b/k' credentials 'aws_access_key_id=AKIAEXAMPLE;aws_secret_access_key=wJalrEXAMPLE'")
        history.record("select 'Hunter2-Secret' as oops")
        history.record("select 1; -- alter user x password 'InAComment1'\n/* create user y password 'InABlock2' */")
        let text = String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
        for secret in ["Tr0ub4dor&3", "wJalrEXAMPLE", "Hunter2-Secret", "InAComment1", "InABlock2"] {
            XCTAssertFalse(text.contains(secret), "\(secret) was written:\n\(text)")
        }
        XCTAssertTrue(text.contains("ALTER USER sparkify WITH PASSWORD '********'"), text)
    }

    func testTheFileIsCutBackToTheEntriesKept() throws {
        let path = scratchFile()
        var history = QueryHistory(path: path)
        for index in 0..<(QueryHistory.limit + 5) { history.record("select \(index)") }
        let reopened = QueryHistory(path: path)
        XCTAssertEqual(reopened.entries.count, QueryHistory.limit)
        XCTAssertEqual(reopened.entries.first, "select 5")
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, QueryHistory.limit)
    }

    func testBrowsingGoesBackAndReturnsToTheDraft() {
        var history = QueryHistory(path: nil)
        history.record("select 1")
        history.record("select 2")
        XCTAssertEqual(history.step(-1, current: "draft"), "select 2")
        XCTAssertEqual(history.step(-1, current: "select 2"), "select 1")
        XCTAssertNil(history.step(-1, current: "select 1"), "nothing older")
        XCTAssertEqual(history.step(1, current: "select 1"), "select 2")
        XCTAssertEqual(history.step(1, current: "select 2"), "draft")
    }

    /// The `[AWS] SECRET` typed in a literal is masked like the database password.
    func testEveryConfiguredSecretIsMasked() throws {
        let cfg = TestServer.scratchDirectory("history-cfg") + "/dwh.cfg"
        try "[CLUSTER]\nHOST=localhost\nDB_NAME=d\nDB_USER=u\nDB_PASSWORD=Db-Pass-77\n[AWS]\nKEY=AKIAEXAMPLE\nSECRET=aws+Secret/99\n"
            .write(toFile: cfg, atomically: true, encoding: .utf8)
        chmod(cfg, 0o600)
        let config = try DwhConfig.load(path: cfg)
        let path = scratchFile()
        var history = QueryHistory(path: path, known: QueryHistory.configuredSecrets(settings: config.connection, config: config))
        history.record("select 'aws+Secret/99' as k, 'Db-Pass-77' as p")
        let text = String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self)
        XCTAssertFalse(text.contains("aws+Secret/99"), text)
        XCTAssertFalse(text.contains("Db-Pass-77"), text)
    }
}

extension QueryHistory {
    /// What the console does for a statement run: keep it, and write it to the file (the
    /// session's `appendHistory` effect).
    mutating func record(_ sql: String) {
        if let entry = add(sql) { append(entry) }
    }
}
