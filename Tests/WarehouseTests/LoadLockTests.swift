import XCTest

@testable import PostgresClient
@testable import TestSupport
@testable import Warehouse

/// Two loads at once: the second waits for the first, says for whom, and neither sees the
/// other's half-made tables (once they raced into raw catalog errors).
final class LoadLockTests: XCTestCase {
    func testASecondLoadWaitsForTheFirstAndSaysWhoHoldsIt() throws {
        let settings = try TestServer.freshDatabase("load_lock")
        let holder = try Connection(settings)
        XCTAssertEqual(try holder.execute(LoadPlan.tryLoadLock).scalar, "t")

        let heard = Locked<[LoadDriver.Event]>([])
        let choice = try TargetChoice.resolve(local: false, configPath: SparkifyBinary.configForTestServer(database: settings.database!))
        let driver = try LoadDriver.open(LoadSetup(choice: choice), copies: false) { _ in }
        let handed = Handed(driver)
        let running = Background { () -> Int in
            handed.value.run([.drop, .create]) { event in heard.update { $0.append(event) } }.count
        }
        var waiting: OtherLoad?
        for _ in 0..<100 where waiting == nil {
            usleep(50_000)
            waiting = heard.read { events in
                events.lazy.compactMap { if case .waitingForAnotherLoad(let other) = $0 { return other } else { return nil } }.first
            }
        }
        XCTAssertEqual(waiting?.pid, holder.backendPID)
        XCTAssertTrue(
            waiting?.description.hasPrefix("another load is running (pid \(holder.backendPID), since ") == true, "\(String(describing: waiting))")
        XCTAssertFalse(heard.read { $0.contains { if case .stepStarted = $0 { return true } else { return false } } }, "no step before the lock")

        _ = try holder.execute(LoadPlan.loadUnlock)
        XCTAssertEqual(try running.wait().get(), 2, "both steps ran once the other load ended")
        XCTAssertEqual(try holder.execute(LoadPlan.tryLoadLock).scalar, "t", "the driver let the lock go after its last step")
    }

    func testCtrlCWhileWaitingStopsBeforeTheFirstStep() throws {
        let settings = try TestServer.freshDatabase("load_lock_cancel")
        let holder = try Connection(settings)
        _ = try holder.execute(LoadPlan.tryLoadLock)
        let choice = try TargetChoice.resolve(local: false, configPath: SparkifyBinary.configForTestServer(database: settings.database!))
        let driver = try LoadDriver.open(LoadSetup(choice: choice), copies: false) { _ in }
        let heard = Locked<[LoadDriver.Event]>([])
        let canceller = driver.connection.canceller
        let handed = Handed(driver)
        let running = Background { () -> Int in handed.value.run([.drop]) { event in heard.update { $0.append(event) } }.count }
        for _ in 0..<100 where !heard.read({ !$0.isEmpty }) { usleep(50_000) }
        usleep(100_000)
        canceller.cancel()
        XCTAssertEqual(try running.wait().get(), 0)
        XCTAssertTrue(heard.read { $0.contains { if case .stoppedBefore(.drop) = $0 { return true } else { return false } } })
    }
}
