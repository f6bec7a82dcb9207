import Foundation
import PostgresClient

/// Where the PostgreSQL server programs (`initdb`, `pg_ctl`, `postgres`) live on this machine.
public struct ServerBinaries: Sendable {
    public var directory: String

    public var initdb: String { directory + "/initdb" }
    public var pgCtl: String { directory + "/pg_ctl" }

    /// `SPARKIFY_PG_BINDIR`, then `pg_config --bindir`, then the newest `/usr/lib/postgresql/*/bin`.
    /// libpq-dev ships a `pg_config` that points at a bindir without a server, so each candidate
    /// must actually hold `initdb` and `pg_ctl`.
    public static func locate(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ServerBinaries {
        var candidates: [String] = []
        if let override = environment["SPARKIFY_PG_BINDIR"] { candidates.append(override) }
        if let bindir = try? ProcessRunner.run("pg_config", ["--bindir"]), bindir.status == 0 {
            candidates.append(bindir.output.trimmingWhitespace())
        }
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        for version in versions.sorted(by: { (Int($0) ?? 0) > (Int($1) ?? 0) }) {
            candidates.append("\(root)/\(version)/bin")
        }
        for directory in candidates {
            let found = ServerBinaries(directory: directory)
            if FileManager.default.isExecutableFile(atPath: found.initdb),
                FileManager.default.isExecutableFile(atPath: found.pgCtl)
            {
                return found
            }
        }
        throw EmbeddedError.binariesMissing(searched: candidates)
    }
}
