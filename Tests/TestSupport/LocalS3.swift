import Foundation
import Warehouse
import XCTest

@testable import PostgresClient

/// A local S3-compatible server for the test run: moto's server (PyPI) on loopback, filled
/// through boto3 by `scripts/lib/s3_fixture.py`, so sparkify's client meets an implementation
/// that is not its own. `checkingSignatures` makes moto check each request's signature against
/// the IAM keys it issued, so wrong keys fail as they would on AWS; it is off otherwise because
/// moto's check of a listing with '/' in its prefix is wrong (getmoto/moto#5948).
/// Its keys are set once, while `shared` is made, and only read after: hence `@unchecked`.
final class LocalS3: @unchecked Sendable {
    static let shared: LocalS3 = {
        do { return try LocalS3() } catch { fatalError("the local S3 server did not start: \(error)") }
    }()

    let endpoint: String
    private let server: ProcessRunner.Running
    /// Keys moto issued to a user allowed s3:*.
    private(set) var accessKeyID = ""
    private(set) var secretAccessKey = ""
    private let setupKeys = ["AWS_ACCESS_KEY_ID": "setup", "AWS_SECRET_ACCESS_KEY": "setup"]

    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../scripts/lib/s3_fixture.py").standardized.path

    /// Whether something listens on the loopback port yet.
    private static func accepts(port: Int) -> Bool {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return false }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    private init() throws {
        let port = try Self.freePort()
        endpoint = "http://127.0.0.1:\(port)"
        let program = Self.which("moto_server") ?? "moto_server"
        server = try ProcessRunner.start(
            program, ["-H", "127.0.0.1", "-p", String(port)],
            // The cluster tests attach AmazonS3ReadOnlyAccess: moto knows AWS's managed policies only when asked.
            environment: ProcessInfo.processInfo.environment.merging(["MOTO_IAM_LOAD_MANAGED_POLICIES": "true"]) { $1 },
            separateErrors: true)
        let deadline = Date().addingTimeInterval(30)
        while !Self.accepts(port: port) {
            guard Date() < deadline else { throw SourceError(path: endpoint, problem: "moto_server did not answer in 30 s") }
            usleep(100_000)
        }
        Self.serverPID = server.pid
        atexit { if LocalS3.serverPID > 0 { kill(LocalS3.serverPID, SIGTERM) } }
    }

    nonisolated(unsafe) private static var serverPID: pid_t = 0

    /// Runs the fixture script; before `lockDown()` with any keys, after it with the issued ones.
    @discardableResult
    func fixture(_ arguments: [String]) throws -> String {
        let keys =
            accessKeyID.isEmpty
            ? setupKeys
            : ["AWS_ACCESS_KEY_ID": accessKeyID, "AWS_SECRET_ACCESS_KEY": secretAccessKey]
        let run = try ProcessRunner.start(
            "/usr/bin/env", ["python3", Self.fixture, endpoint] + arguments,
            environment: ProcessInfo.processInfo.environment.merging(keys) { $1 },
            separateErrors: true)
        let outcome = try run.wait()
        guard outcome.status == 0 else {
            throw SourceError(path: Self.fixture, problem: "\(arguments.joined(separator: " ")) failed: \(outcome.errors)")
        }
        return outcome.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Issues the keys loads sign with (an IAM user allowed s3:*).
    func issueKeys() throws {
        guard accessKeyID.isEmpty else { return }
        let keys = try fixture(["keys"]).split(separator: " ").map(String.init)
        (accessKeyID, secretAccessKey) = (keys[0], keys[1])
    }

    /// Runs `body` with moto checking every signature.
    func checkingSignatures<T>(_ body: () throws -> T) throws -> T {
        try fixture(["auth", "on"])
        defer { _ = try? fixture(["auth", "off"]) }
        return try body()
    }

    /// Access as a load would have it from the environment, with these keys.
    func access(keyID: String? = nil, secret: String? = nil) -> S3Access {
        S3Access(
            region: "us-west-2", endpoint: endpoint,
            credentials: AWSCredentials(
                accessKeyID: keyID ?? accessKeyID,
                secretAccessKey: Secret(secret ?? secretAccessKey), origin: "the test"))
    }

    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer -> Int32 in
                guard bind(socket, pointer, length) == 0 else { return -1 }
                return getsockname(socket, pointer, &length)
            }
        }
        guard bound == 0 else { throw SourceError(path: "127.0.0.1", problem: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    private static func which(_ program: String) -> String? {
        for folder in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") {
            let path = "\(folder)/\(program)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }
}
