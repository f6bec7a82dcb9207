import XCTest

@testable import PostgresClient
@testable import TestSupport
@testable import Warehouse

final class EmbeddedWarehouseTests: XCTestCase {
    private var started: [EmbeddedWarehouse] = []

    override func tearDown() {
        started.forEach { _ = try? $0.stop() }
        started = []
    }

    private func makeWarehouse() throws -> EmbeddedWarehouse {
        let warehouse = try EmbeddedWarehouse(home: TestServer.scratchDirectory("embedded"))
        started.append(warehouse)
        return warehouse
    }

    func testFirstStartCreatesSecondFindsItRunningThenStops() throws {
        let warehouse = try makeWarehouse()
        XCTAssertFalse(warehouse.status().initialized)
        var said: [String] = []
        XCTAssertEqual(try warehouse.start(progress: { said.append($0) }), .initializedAndStarted)
        XCTAssertTrue(said.contains { $0.contains("creating") })
        XCTAssertTrue(warehouse.status().running)
        XCTAssertEqual(try Connection(warehouse.connectionSettings).execute("select current_database()").scalar, "sparkify")

        XCTAssertEqual(try warehouse.start(), .alreadyRunning)
        XCTAssertTrue(try warehouse.stop())
        XCTAssertFalse(warehouse.status().running)
        XCTAssertFalse(try warehouse.stop(), "a second stop has nothing to stop")
        XCTAssertEqual(try warehouse.start(), .started)
    }

    func testListensOnAPrivateSocketOnly() throws {
        let warehouse = try makeWarehouse()
        try warehouse.start()
        let connection = try Connection(warehouse.connectionSettings)
        XCTAssertEqual(try connection.execute("show listen_addresses").scalar, "")
        XCTAssertEqual(try connection.execute("show unix_socket_permissions").scalar, "0700")
        var info = stat()
        XCTAssertEqual(stat(warehouse.socketDirectory, &info), 0)
        XCTAssertEqual(info.st_mode & 0o077, 0, "the socket directory must be private")
    }

    func testStartsAfterTheServerWasKilled() throws {
        let warehouse = try makeWarehouse()
        try warehouse.start()
        let pid = try XCTUnwrap(warehouse.status().pid)
        kill(pid, SIGKILL)
        while kill(pid, 0) == 0 { usleep(20_000) }
        XCTAssertTrue(
            FileManager.default.fileExists(atPath: warehouse.dataDirectory + "/postmaster.pid"),
            "a killed server leaves its pid file behind")
        XCTAssertEqual(try warehouse.start(), .started)
        XCTAssertNotEqual(warehouse.status().pid, pid)
        XCTAssertEqual(try Connection(warehouse.connectionSettings).execute("select 1").scalar, "1")
    }

    func testStalePidFileNamingAnotherProgram() throws {
        let warehouse = try makeWarehouse()
        try warehouse.start()
        try warehouse.stop()
        // A pid file left by a crash whose pid now belongs to something else (this test).
        try "\(getpid())\n\(warehouse.dataDirectory)\n".write(
            toFile: warehouse.dataDirectory + "/postmaster.pid",
            atomically: true, encoding: .utf8)
        XCTAssertNil(warehouse.status().pid)
        XCTAssertEqual(try warehouse.start(), .started)
    }

    func testTwoStartsRacingMakeOneServer() throws {
        let home = TestServer.scratchDirectory("race")
        let first = try EmbeddedWarehouse(home: home)
        let second = try EmbeddedWarehouse(home: home)
        started.append(first)
        let a = Background { try first.start() }
        let b = Background { try second.start() }
        let outcomes = [try a.wait().get(), try b.wait().get()]
        XCTAssertEqual(outcomes.filter { $0 == .initializedAndStarted }.count, 1, "\(outcomes)")
        XCTAssertEqual(outcomes.filter { $0 == .alreadyRunning }.count, 1, "\(outcomes)")
        XCTAssertEqual(try Connection(second.connectionSettings).execute("select 1").scalar, "1")
    }

    func testLongHomesGetAShortSocketDirectory() {
        let deep = "/tmp/" + String(repeating: "very-long-directory-name/", count: 6)
        let socket = EmbeddedWarehouse.socketDirectory(for: deep)
        XCTAssertTrue(socket.hasPrefix("/tmp/sparkify-"), socket)
        XCTAssertEqual(socket, EmbeddedWarehouse.socketDirectory(for: deep), "the same home gets the same socket")
        XCTAssertEqual(
            EmbeddedWarehouse.socketDirectory(for: "/home/u/.local/share/sparkify"),
            "/home/u/.local/share/sparkify/run")
    }

    func testDefaultHomeFollowsXDG() {
        XCTAssertEqual(EmbeddedWarehouse.defaultHome(environment: ["XDG_DATA_HOME": "/data/x"]), "/data/x/sparkify")
    }
}
