import XCTest

@testable import PostgresClient
@testable import TestSupport
@testable import Warehouse

final class ConnectionFailureTests: XCTestCase {
    func testWrongPasswordSaysSoAndNeverShowsIt() throws {
        let role = TestServer.passwordRole
        var settings = TestServer.warehouse.connectionSettings
        settings.user = role.user
        settings.password = Secret("not the password")
        XCTAssertThrowsError(try Connection(settings)) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("password authentication failed"), text)
            XCTAssertFalse(text.contains("not the password"))
        }
        settings.password = Secret(role.password)
        XCTAssertEqual(try Connection(settings).execute("select current_user").scalar, role.user)
    }

    func testWrongPortSaysWhereItLooked() {
        var settings = TestServer.warehouse.connectionSettings
        settings.port = 5999
        XCTAssertThrowsError(try Connection(settings)) { error in
            guard let error = error as? ConnectionError else { return XCTFail("\(error)") }
            XCTAssertTrue(error.message.contains(".s.PGSQL.5999"), error.message)
            XCTAssertTrue(error.description.contains(":5999"), error.description)
        }
    }

    func testStoppedServerGivesAClearError() throws {
        let warehouse = try EmbeddedWarehouse(home: TestServer.scratchDirectory("stopped"))
        try warehouse.start()
        XCTAssertTrue(try warehouse.stop())
        XCTAssertThrowsError(try Connection(warehouse.connectionSettings)) { error in
            XCTAssertTrue(error is ConnectionError)
            XCTAssertTrue("\(error)".contains("Is the server running"), "\(error)")
        }
    }

    func testSecretNeverPrints() {
        let settings = ConnectionSettings(
            host: "db.example", port: 5439, database: "dev", user: "u",
            password: Secret("hunter2"))
        XCTAssertFalse("\(settings)".contains("hunter2"))
        XCTAssertFalse(String(reflecting: settings).contains("hunter2"))
        XCTAssertFalse(settings.displayName.contains("hunter2"))
    }
}
