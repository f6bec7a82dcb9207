import Foundation
import Warehouse
import XCTest

/// Runs the real `sparkify` binary that `swift build` put beside the test bundle.
enum SparkifyBinary {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// `SPARKIFY_BIN`, else the build products directory that holds this test bundle.
    static var path: String {
        if let override = ProcessInfo.processInfo.environment["SPARKIFY_BIN"] { return override }
        let bundle = Bundle(for: Marker.self).bundleURL
        let products = bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : bundle
        return products.appendingPathComponent("sparkify").path
    }

    private final class Marker {}

    static func run(
        _ arguments: [String], environment extra: [String: String] = [:],
        interruptAfter: Double? = nil
    ) throws -> Run {
        guard FileManager.default.isExecutableFile(atPath: path) else {
            struct MissingBinary: Error, CustomStringConvertible {
                let path: String
                var description: String { "build the binary first (swift build): \(path) is missing" }
            }
            throw MissingBinary(path: path)
        }
        // The same spawn code the embedded server uses: Foundation's Process hangs on Linux
        // once the child has left a server running behind it.
        let running = try ProcessRunner.start(
            path, arguments,
            environment: ProcessInfo.processInfo.environment.merging(extra) { $1 },
            separateErrors: true)
        if let interruptAfter {
            usleep(useconds_t(interruptAfter * 1_000_000))
            running.signal(SIGINT)
        }
        let outcome = try running.wait()
        return Run(status: outcome.status, stdout: outcome.output, stderr: outcome.errors)
    }

    /// A dwh.cfg that points at the test server's socket directory.
    static func configForTestServer(password: String? = nil, database: String? = nil, extra: String = "") -> String {
        let settings = TestServer.warehouse.connectionSettings
        let path = TestServer.scratchDirectory("cli") + "/dwh.cfg"
        var text = "[CLUSTER]\nHOST='\(settings.host!)'\nDB_NAME=\(database ?? settings.database!)\nDB_USER=\(settings.user!)\n"
        if let password { text += "DB_PASSWORD=\(password)\n" }
        text += extra
        try! text.write(toFile: path, atomically: true, encoding: .utf8)
        chmod(path, 0o600)
        return path
    }
}
