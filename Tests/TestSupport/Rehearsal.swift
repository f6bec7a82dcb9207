import Foundation
import Warehouse

@testable import PostgresClient

/// The Redshift rehearsal on the test server, in a database of the test's own, and the
/// Redshift plan run on it step by step.
struct RehearsalHarness {
    let connection: Connection
    let runner: LoadRunner
    let settings: ConnectionSettings

    /// The Redshift plan's COPY of `data` (its folders, and a jsonpaths file written beside them).
    init(_ label: String, data: Dataset, maxErrors: Int = 0) throws {
        let name = "r_\(label.lowercased())_\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
        settings = try RedshiftRehearsal.connectionSettings(embedded: TestServer.warehouse.connectionSettings, database: name)
        connection = try Connection.warehouse(settings)
        let paths = data.root + "/log_json_path.json"
        if !FileManager.default.fileExists(atPath: paths) {
            let list = StarSchema.eventSourceKeys.map { "\"$['\($0)']\"" }.joined(separator: ", ")
            try "{\"jsonpaths\": [\(list)]}".write(toFile: paths, atomically: true, encoding: .utf8)
        }
        let copy = RedshiftCopy(
            logData: data.logData, logJSONPath: paths, songData: data.songData, iamRole: RedshiftRehearsal.placeholderRole,
            region: "us-west-2")
        runner = LoadRunner(
            connection: connection, plan: LoadPlan(dialect: RedshiftDialect(), redshift: copy, maxErrors: maxErrors), sources: nil)
    }

    /// The Redshift plan's COPY from `copy`'s addresses (S3 ones read through `s3`).
    init(_ label: String, copy: RedshiftCopy, s3: S3Access, maxErrors: Int = 0) throws {
        let name = "r_\(label.lowercased())_\(String(UInt32.random(in: 0...UInt32.max), radix: 36))"
        settings = try RedshiftRehearsal.connectionSettings(embedded: TestServer.warehouse.connectionSettings, database: name)
        connection = try Connection.warehouse(settings)
        RedshiftRehearsal.attach(to: connection, s3: s3)
        runner = LoadRunner(
            connection: connection, plan: LoadPlan(dialect: RedshiftDialect(), redshift: copy, maxErrors: maxErrors), sources: nil)
    }

    @discardableResult
    func run(_ phases: Set<LoadStep.Phase>) throws -> [StepOutcome] {
        try LoadStep.steps(in: phases).map { try runner.run($0) }
    }

    func count(_ sql: String) throws -> Int { Int(try connection.execute(sql).scalar ?? "") ?? -1 }
    func rows(_ sql: String) throws -> [[String?]] { try connection.execute(sql).rows }
    func execute(_ sql: String) throws { try connection.execute(sql) }
}
