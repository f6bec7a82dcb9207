import Foundation
import XCTest

@testable import Console
@testable import TestSupport
@testable import Warehouse

/// The session performing effects against the test server: what comes back as events.
final class ConsoleSessionTests: XCTestCase {
    private func session(_ label: String) throws -> (ConsoleSession, EventQueue<SessionEvent>) {
        let settings = try TestServer.freshDatabase(label)
        let config = SparkifyBinary.configForTestServer(database: settings.database!)
        let choice = try TargetChoice.resolve(local: false, configPath: config)
        let events = EventQueue<SessionEvent>()
        let session = ConsoleSession(
            setup: LoadSetup(choice: choice), events: events, rowCap: 1_000,
            history: QueryHistory(path: nil))
        addTeardownBlock { session.shutDown() }
        return (session, events)
    }

    /// Drains events until one matches, keeping every event seen; fails after `timeout` seconds.
    @discardableResult
    private func wait(
        for what: String, on events: EventQueue<SessionEvent>, into seen: inout [SessionEvent],
        timeout: Double = 30, _ matches: (SessionEvent) -> Bool
    ) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            for event in events.drain() {
                seen.append(event)
                if matches(event) { return true }
            }
            usleep(10_000)
        }
        XCTFail("no \(what) within \(timeout) s; saw: \(seen.map { String(describing: $0).prefix(160) }.joined(separator: " | "))")
        return false
    }

    func testConnectThenStatementsThenATransactionLeftOpen() throws {
        let (session, events) = try session("session_statements")
        var seen: [SessionEvent] = []
        session.perform(.connect)
        wait(for: "the runner", on: events, into: &seen) {
            if case .runnerReady = $0 { return true }
            return false
        }
        XCTAssertTrue(
            seen.contains {
                if case .connected = $0 { return true }
                return false
            })
        // The query session's opening was queued on its worker before runnerReady was posted:
        // statements queued now run after it.
        seen = []
        session.perform(.runStatements(["select g from generate_series(1, 3) g", "begin"]))
        wait(for: "the run's end", on: events, into: &seen) {
            if case .statementsEnded = $0 { return true }
            return false
        }
        let finished = seen.compactMap { event -> Int? in
            if case .statementFinished(_, let rows, _, _, _) = event { return rows }
            return nil
        }
        XCTAssertEqual(finished.first, 3)
        XCTAssertTrue(
            seen.contains {
                if case .transaction(.open) = $0 { return true }
                return false
            },
            "the BEGIN left a transaction open, and the console hears of it")
    }

    func testCancelStopsAStatementOnTheServer() throws {
        let (session, events) = try session("session_cancel")
        var seen: [SessionEvent] = []
        session.perform(.connect)
        wait(for: "the runner", on: events, into: &seen) {
            if case .runnerReady = $0 { return true }
            return false
        }
        session.perform(.runStatements(["select pg_sleep(30)"]))
        wait(for: "the statement's start", on: events, into: &seen) {
            if case .statementStarted = $0 { return true }
            return false
        }
        usleep(200_000)
        let started = Date()
        session.perform(.cancelQuery)
        wait(for: "the cancel", on: events, into: &seen) {
            if case .statementsEnded = $0 { return true }
            return false
        }
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        XCTAssertTrue(
            seen.contains {
                if case .statementFailed(_, let problem, _) = $0 { return problem.cancelled }
                return false
            })
    }

    func testAStepRunOnADroppedConnectionIsRefusedNotRolledBack() throws {
        let (session, events) = try session("session_refused")
        var seen: [SessionEvent] = []
        session.perform(.runSteps([.drop]))
        wait(for: "the run's end", on: events, into: &seen) {
            if case .runEnded = $0 { return true }
            return false
        }
        XCTAssertTrue(
            seen.contains {
                if case .runRefused(.drop, let message) = $0 { return message.hasPrefix("not connected") }
                return false
            },
            "never connected: refused, not 'failed and rolled back'")
        XCTAssertFalse(
            seen.contains {
                if case .stepFailed = $0 { return true }
                return false
            })
    }

    func testAnotherSourceIsSaidWhenChosenAndItsCopyRefused() throws {
        func dataset(_ label: String, user: String) -> Dataset {
            let data = Dataset(label)
            data.writeLog("2018/11/day.json", [Dataset.event(["userId": "\"\(user)\""])])
            data.writeSong("A/S.json", Dataset.song(id: "SO\(user)", title: #""T""#, artist: #""A""#, artistID: "AR1", duration: "1.0"))
            return data
        }
        let first = dataset("session-srcA", user: "1")
        let second = dataset("session-srcB", user: "2")
        let (session, events) = try session("session_sources")
        var seen: [SessionEvent] = []
        session.perform(.configureLoad(source: first.root, maxErrors: 0))
        session.perform(.connect)
        wait(for: "the runner", on: events, into: &seen) {
            if case .runnerReady = $0 { return true }
            return false
        }
        session.perform(.runSteps(LoadStep.all))
        wait(for: "the load's end", on: events, into: &seen) {
            if case .runEnded = $0 { return true }
            return false
        }
        seen = []
        session.perform(.configureLoad(source: second.root, maxErrors: 0))
        wait(for: "the warning", on: events, into: &seen) {
            if case .log(.warning, let text) = $0 { return text.contains("holds files from \(FileListing.identity(of: first.logData))") }
            return false
        }
        seen = []
        session.perform(.runSteps(LoadStep.all.filter { $0.phase == .copy || $0.phase == .insert }))
        wait(for: "the run's end", on: events, into: &seen) {
            if case .runEnded = $0 { return true }
            return false
        }
        XCTAssertTrue(
            seen.contains {
                if case .runRefused(_, let message) = $0 { return message.contains("--add-source") }
                return false
            }, "refused before any step")
        XCTAssertFalse(
            seen.contains {
                if case .stepStarted = $0 { return true }
                return false
            })
    }

    func testSQLFilesAreWrittenAndRead() throws {
        let (session, events) = try session("session_files")
        var seen: [SessionEvent] = []
        let path = TestServer.scratchDirectory("sql-files") + "/saved.sql"
        session.perform(.saveSQL("select 1;", path: path, replacing: false))
        wait(for: "the save", on: events, into: &seen) {
            if case .sqlSaved = $0 { return true }
            return false
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "select 1;\n")
        session.perform(.saveSQL("select 2;", path: path, replacing: false))
        wait(for: "the question", on: events, into: &seen) {
            if case .saveWouldReplace = $0 { return true }
            return false
        }
        XCTAssertEqual(try String(contentsOfFile: path, encoding: .utf8), "select 1;\n", "nothing replaced unasked")
        session.perform(.openSQL(path: path))
        wait(for: "the text", on: events, into: &seen) {
            if case .sqlOpened(_, "select 1;") = $0 { return true }
            return false
        }
        session.perform(.openSQL(path: "/nonexistent/x.sql"))
        wait(for: "the problem", on: events, into: &seen) {
            if case .sqlFileProblem(let problem) = $0 { return problem.hasPrefix("/nonexistent/x.sql cannot be read") }
            return false
        }
    }
}
