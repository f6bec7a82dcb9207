import XCTest

@testable import PostgresClient
@testable import TestSupport
@testable import Warehouse

final class CopyInTests: XCTestCase {
    private func freshTable(_ connection: Connection, _ name: String) throws {
        try connection.execute("drop table if exists \(name); create table \(name) (id int, title text, duration float8)")
    }

    func testCopiesRowsInAndReadsThemBack() throws {
        let connection = try TestServer.connect()
        try freshTable(connection, "copy_roundtrip")
        let total = 200_000
        let loaded = try connection.copyIn("copy copy_roundtrip from stdin") { writer in
            var chunk = ""
            chunk.reserveCapacity(1 << 20)
            for id in 1...total {
                chunk += "\(id)\tsong \(id) «ü»\t\(Double(id) / 4)\n"
                if chunk.utf8.count > 1 << 20 {
                    try writer.write(chunk)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            try writer.write(chunk)
        }
        XCTAssertEqual(loaded, total)
        let check = try connection.execute("select count(*), sum(id), min(title), max(duration) from copy_roundtrip")
        XCTAssertEqual(check.rows, [["200000", "20000100000", "song 1 «ü»", "50000"]])
    }

    func testAFailingFeedRollsTheCopyBackAndKeepsTheConnection() throws {
        struct SourceBroke: Error {}
        let connection = try TestServer.connect()
        try freshTable(connection, "copy_abort")
        XCTAssertThrowsError(
            try connection.copyIn("copy copy_abort from stdin") { writer in
                try writer.write("1\ta\t1\n2\tb\t2\n")
                throw SourceBroke()
            }
        ) { XCTAssertTrue($0 is SourceBroke, "\($0)") }
        XCTAssertEqual(try connection.execute("select count(*) from copy_abort").scalar, "0")
    }

    func testBadDataFailsWithTheServersError() throws {
        let connection = try TestServer.connect()
        try freshTable(connection, "copy_bad")
        XCTAssertThrowsError(
            try connection.copyIn("copy copy_bad from stdin") { writer in
                try writer.write("1\ta\t1\nnot-a-number\tb\t2\n")
            }
        ) { error in
            XCTAssertEqual((error as? DatabaseError)?.sqlState, "22P02", "\(error)")
        }
        XCTAssertEqual(try connection.execute("select count(*) from copy_bad").scalar, "0")
    }

    func testCancelInTheMiddleOfACopy() throws {
        let connection = try TestServer.connect()
        try freshTable(connection, "copy_cancel")
        let handed = Handed(connection)
        let running = Background { () -> Int in
            try handed.value.copyIn("copy copy_cancel from stdin") { writer in
                let chunk = String(repeating: "7\tendless\t1.5\n", count: 10_000)
                while true { try writer.write(chunk) }
            }
        }
        usleep(500_000)
        XCTAssertTrue(connection.cancel())
        XCTAssertThrowsError(try running.wait().get()) { error in
            XCTAssertEqual((error as? DatabaseError)?.isCancellation, true, "\(error)")
        }
        // Rolled back whole, and the connection takes the next statement at once.
        XCTAssertEqual(try connection.execute("select count(*) from copy_cancel").scalar, "0")
    }

    func testCopyOnANonCopyStatementIsRefusedCleanly() throws {
        let connection = try TestServer.connect()
        XCTAssertThrowsError(try connection.copyIn("select 1") { _ in XCTFail("fed a SELECT") })
        XCTAssertEqual(try connection.execute("select 4").scalar, "4")
    }
}

final class CopyInServerErrorTests: XCTestCase {
    /// A bad row early in a long COPY: the error reported is the server's, with nothing loaded.
    func testAnEarlyBadRowInALongCopyReportsTheServersError() throws {
        let connection = try TestServer.connect()
        try connection.execute("drop table if exists copy_early_bad; create table copy_early_bad (id int, title text)")
        var chunksSent = 0
        XCTAssertThrowsError(
            try connection.copyIn("copy copy_early_bad from stdin") { writer in
                try writer.write("1\tfine\nbad\tnot an int\n")
                let chunk = String(repeating: "2\tfiller row to keep the COPY going\n", count: 20_000)
                for _ in 0..<200 {
                    try writer.write(chunk)
                    chunksSent += 1
                }
            }
        ) { error in
            XCTAssertEqual((error as? DatabaseError)?.sqlState, "22P02", "\(error)")
        }
        // libpq 15 cannot see a server error while a COPY is being fed (the server discards
        // data until the end), so the whole feed is sent before the error arrives.
        XCTAssertEqual(chunksSent, 200)
        XCTAssertEqual(try connection.execute("select count(*) from copy_early_bad").scalar, "0")
    }
}
