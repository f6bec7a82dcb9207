import XCTest

@testable import PostgresClient
@testable import TestSupport
@testable import Warehouse

final class ConnectionTests: XCTestCase {
    func testRunsStatementsWithParametersKeptOutOfTheSQL() throws {
        let connection = try TestServer.connect()
        let tricky = "Des'ree; drop table x; --"
        let result = try connection.execute("select $1::text as name, $2::int + 1 as next", [tricky, "41"])
        XCTAssertEqual(result.columns.map(\.name), ["name", "next"])
        XCTAssertEqual(result.rows, [[tricky, "42"]])
        XCTAssertEqual(try connection.execute("select $1::text is null", [nil]).scalar, "t")
    }

    func testDetectsPostgreSQLAndItsVersion() throws {
        let connection = try TestServer.connect()
        XCTAssertEqual(connection.server.engine, .postgres)
        XCTAssertTrue(connection.server.shortVersion.hasPrefix("PostgreSQL "), connection.server.shortVersion)
        XCTAssertGreaterThan(connection.server.versionNumber, 100_000)
        XCTAssertEqual(try connection.execute("show application_name").scalar, "sparkify")
    }

    func testSyntaxErrorCarriesSQLStateAndPosition() throws {
        let connection = try TestServer.connect()
        let sql = "select 1,\n  2 form songplays"
        XCTAssertThrowsError(try connection.execute(sql)) { error in
            guard let error = error as? DatabaseError else { return XCTFail("\(error)") }
            XCTAssertEqual(error.sqlState, "42601")
            XCTAssertEqual(error.position, 20)  // the "songplays" after the misspelt FROM
            let position = StatementPosition(characterOffset: error.position!, in: sql)
            XCTAssertEqual(position?.line, 2)
            XCTAssertEqual(position?.column, 10)
        }
        // The failed statement left nothing pending.
        XCTAssertEqual(try connection.execute("select 2").scalar, "2")
    }

    func testErrorFieldsDetailAndHintArrive() throws {
        let connection = try TestServer.connect()
        XCTAssertThrowsError(
            try connection.execute(
                """
                do $$ begin raise exception 'bad load' using detail = 'file 3', hint = 'fix it', errcode = '22023'; end $$
                """)
        ) { error in
            let error = error as? DatabaseError
            XCTAssertEqual(error?.sqlState, "22023")
            XCTAssertEqual(error?.message, "bad load")
            XCTAssertEqual(error?.detail, "file 3")
            XCTAssertEqual(error?.hint, "fix it")
        }
    }

    func testNoticesAreDelivered() throws {
        let connection = try TestServer.connect()
        var notices: [Notice] = []
        connection.onNotice = { notices.append($0) }
        try connection.execute("do $$ begin raise notice 'loaded % files', 30; end $$")
        XCTAssertEqual(notices.map(\.message), ["loaded 30 files"])
        XCTAssertEqual(notices.first?.severity, "NOTICE")
    }

    func testStreamsRowsWithFlatMemory() throws {
        let connection = try TestServer.connect()
        // 200,000 rows of about 1 KB: some 200 MB if anything held the result whole.
        let sql = "select g, repeat('x', 1000) as payload from generate_series(1, 200000) g"
        var seen = 0
        var sum = 0
        var lowest = Int.max
        var highest = 0
        var columns: [Column] = []
        let summary = try connection.stream(
            sql, columns: { columns = $0 },
            row: { row in
                seen += 1
                sum += Int(row.string(0)!)!
                XCTAssertEqual(row.bytes(1).count, 1000)
                if seen % 10_000 == 0 {
                    let rss = residentBytes()
                    lowest = min(lowest, rss)
                    highest = max(highest, rss)
                }
            })
        XCTAssertEqual(columns.map(\.name), ["g", "payload"])
        XCTAssertEqual(seen, 200_000)
        XCTAssertEqual(summary.rows, 200_000)
        XCTAssertEqual(sum, 200_000 * 200_001 / 2)
        XCTAssertLessThan(highest - lowest, 40 << 20, "memory grew with the result")
    }

    func testStreamStopsWhenTheCallerThrowsAndTheConnectionStaysUsable() throws {
        struct Enough: Error {}
        let connection = try TestServer.connect()
        var seen = 0
        XCTAssertThrowsError(
            try connection.stream(
                "select g from generate_series(1, 50000000) g",
                row: { _ in
                    seen += 1
                    if seen == 10 { throw Enough() }
                })
        ) { XCTAssertTrue($0 is Enough) }
        XCTAssertEqual(seen, 10)
        XCTAssertEqual(try connection.execute("select 'ready'").scalar, "ready")
    }

    func testCancelStopsASleepingStatementAndTheNextOneRuns() throws {
        let connection = try TestServer.connect()
        let started = Date()
        let handed = Handed(connection)
        let running = Background { _ = try handed.value.execute("select pg_sleep(30)") }
        usleep(400_000)
        XCTAssertTrue(connection.cancel())
        let outcome = running.wait()
        // Far sooner than the 30 s sleep: the server really stopped.
        XCTAssertLessThan(Date().timeIntervalSince(started), 10)
        XCTAssertThrowsError(try outcome.get()) { error in
            XCTAssertEqual((error as? DatabaseError)?.sqlState, "57014")
        }
        XCTAssertEqual(try connection.execute("select 'next'").scalar, "next")
    }

    func testCancelWhileStreaming() throws {
        let connection = try TestServer.connect()
        let handed = Handed(connection)
        let running = Background { () -> Int in
            var rows = 0
            try handed.value.stream("select g, pg_sleep(0.001) from generate_series(1, 100000) g", row: { _ in rows += 1 })
            return rows
        }
        usleep(400_000)
        connection.cancel()
        XCTAssertThrowsError(try running.wait().get()) { error in
            XCTAssertEqual((error as? DatabaseError)?.isCancellation, true, "\(error)")
        }
        XCTAssertEqual(try connection.execute("select 3").scalar, "3")
    }
}

/// Who blocks whom: the sessions a waiting statement waits for, and a session's transaction.
final class LockWaitTests: XCTestCase {
    func testAWaitingSessionNamesTheTransactionThatHoldsItsLock() throws {
        let holder = try TestServer.connect()
        try holder.execute("create table if not exists lock_probe (x int)")
        XCTAssertEqual(holder.transaction, .idle)
        try holder.execute("begin")
        try holder.execute("select * from lock_probe")  // ACCESS SHARE, held to the transaction's end
        XCTAssertEqual(holder.transaction, .open)

        let waiter = try TestServer.connect()
        let waiterPID = waiter.backendPID
        let handed = Handed(waiter)
        let dropping = Background { _ = try handed.value.execute("drop table lock_probe") }
        let watcher = try TestServer.connect()
        var holders: [LockHolder] = []
        for _ in 0..<50 where holders.isEmpty {
            usleep(100_000)
            holders = try LockWait.holders(of: waiterPID, on: watcher)
        }
        XCTAssertEqual(holders.map(\.pid), [holder.backendPID])
        XCTAssertEqual(holders.first?.state, "idle in transaction")
        XCTAssertEqual(holders.first?.query, "select * from lock_probe")

        try holder.execute("rollback")
        XCTAssertNoThrow(try dropping.wait().get(), "the drop goes on once the lock is free")
        XCTAssertEqual(try LockWait.holders(of: waiterPID, on: watcher), [])

        _ = try? holder.execute("select 1/0")
        XCTAssertEqual(holder.transaction, .idle, "outside a transaction an error leaves none open")
        try holder.execute("begin")
        _ = try? holder.execute("select 1/0")
        XCTAssertEqual(holder.transaction, .failed)
    }
}
