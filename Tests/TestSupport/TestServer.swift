import Foundation
import Warehouse
import XCTest

@testable import PostgresClient

/// One real PostgreSQL server for the test run, started through the same `EmbeddedWarehouse`
/// code users run, in a scratch home under /tmp (which the `postgres` user can reach when the
/// tests run as root). Stopped and removed when the test process exits.
enum TestServer {
    static let warehouse: EmbeddedWarehouse = {
        let home = scratchDirectory("server")
        do {
            let warehouse = try EmbeddedWarehouse(home: home)
            try warehouse.start()
            atexit {
                _ = try? TestServer.warehouse.stop()
                TestServer.removeScratch()
            }
            return warehouse
        } catch {
            fatalError("the test PostgreSQL server did not start: \(error)")
        }
    }()

    static func connect() throws -> Connection {
        try Connection(warehouse.connectionSettings)
    }

    /// Settings for a new, empty database of its own, so tests that load the warehouse do not
    /// see each other's tables.
    static func freshDatabase(_ label: String) throws -> ConnectionSettings {
        let name = "t_\(label.lowercased())_\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
        let admin = try connect()
        defer { admin.close() }
        try admin.execute("CREATE DATABASE \(name);")
        var settings = warehouse.connectionSettings
        settings.database = name
        return settings
    }

    /// A role that must log in with a password, for the wrong-password test: the embedded
    /// server trusts its private socket, so the test adds one password rule in front.
    static let passwordRole: (user: String, password: String) = {
        let role = (user: "sparkify_pw", password: "correct horse")
        let hba = warehouse.dataDirectory + "/pg_hba.conf"
        let rules = (try? String(contentsOfFile: hba, encoding: .utf8)) ?? ""
        if !rules.contains(role.user) {
            try! ("local all \(role.user) scram-sha-256\n" + rules).write(toFile: hba, atomically: false, encoding: .utf8)
        }
        let connection = try! connect()
        try! connection.execute(
            """
            do $$ begin
              if not exists (select from pg_roles where rolname = 'sparkify_pw') then
                create role sparkify_pw login password 'correct horse';
              end if;
            end $$
            """)
        try! connection.execute("select pg_reload_conf()")
        usleep(300_000)
        return role
    }()

    private static let scratchRoot = "/tmp/sparkify-tests-\(getpid())"

    /// A fresh directory under the run's scratch root, reachable by the server user.
    static func scratchDirectory(_ name: String) -> String {
        let path = scratchRoot + "/" + name + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        chmod(scratchRoot, 0o755)
        chmod(path, 0o755)
        return path
    }

    static func removeScratch() {
        try? FileManager.default.removeItem(atPath: scratchRoot)
    }
}

/// The resident memory of this process, from /proc (Linux), in bytes.
func residentBytes() -> Int {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
        let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
    else { return 0 }
    return kilobytes * 1024
}

/// Runs `body` on another thread and returns a way to wait for its result.
final class Background<T: Sendable>: Sendable {
    private let done = DispatchSemaphore(value: 0)
    private let outcome = Locked<Result<T, Error>?>(nil)

    init(_ body: @escaping @Sendable () throws -> T) {
        Thread.detachNewThread { [self] in
            let result = Result { try body() }
            outcome.update { $0 = result }
            done.signal()
        }
    }

    func wait() -> Result<T, Error> {
        done.wait()
        return outcome.read { $0! }
    }
}

/// A value handed to a `Background` thread for the time it runs: the test touches it again only
/// after `wait()` (its cancel handle is what the test uses meanwhile), so it is never used by
/// two threads at once, which is what the compiler cannot see.
struct Handed<Value>: @unchecked Sendable {
    let value: Value
    init(_ value: Value) { self.value = value }
}
