import Foundation
import Warehouse

@testable import PostgresClient

/// A small dataset in the real layout, written by a test: log lines and song files given as
/// raw JSON text so every quirk is exactly what the test says it is.
struct Dataset {
    let root: String
    var logData: String { root + "/log_data" }
    var songData: String { root + "/song_data" }
    var sources: LoadSources { LoadSources(folder: root) }

    init(_ label: String) {
        root = TestServer.scratchDirectory("data-" + label)
        try! FileManager.default.createDirectory(atPath: logData, withIntermediateDirectories: true)
        try! FileManager.default.createDirectory(atPath: songData, withIntermediateDirectories: true)
    }

    /// Writes a log file (no trailing newline, like eventsim's).
    @discardableResult
    func writeLog(_ name: String, _ lines: [String], separator: String = "\n") -> String {
        write(logData + "/" + name, Data(lines.joined(separator: separator).utf8))
    }

    @discardableResult
    func writeSong(_ name: String, _ json: String) -> String {
        write(songData + "/" + name, Data(json.utf8))
    }

    @discardableResult
    func write(_ path: String, _ data: Data) -> String {
        try! FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent,
            withIntermediateDirectories: true)
        precondition(FileManager.default.createFile(atPath: path, contents: data), "could not write \(path)")
        return path
    }

    /// One eventsim log line. Values are raw JSON; those not given take a logged-in default.
    static func event(_ values: [String: String]) -> String {
        let defaults: [(String, String)] = [
            ("artist", "null"), ("auth", "\"Logged In\""), ("firstName", "\"Ann\""), ("gender", "\"F\""),
            ("itemInSession", "0"), ("lastName", "\"Lee\""), ("length", "null"), ("level", "\"free\""),
            ("location", "\"Tampa, FL\""), ("method", "\"GET\""), ("page", "\"Home\""),
            ("registration", "1540919166796.0"), ("sessionId", "1"), ("song", "null"), ("status", "200"),
            ("ts", "1541903636796"), ("userAgent", "\"Mozilla\\/5.0\""), ("userId", "\"10\""),
        ]
        return "{" + defaults.map { key, value in "\"\(key)\":\(values[key] ?? value)" }.joined(separator: ",") + "}"
    }

    /// A NextSong event for `song` by `artist`.
    static func play(
        _ song: String, by artist: String, length: String, ts: Int64, session: Int, item: Int,
        user: String = "\"10\"", level: String = "\"free\""
    ) -> String {
        event([
            "page": "\"NextSong\"", "song": song, "artist": artist, "length": length, "ts": String(ts),
            "sessionId": String(session), "itemInSession": String(item), "userId": user, "level": level,
            "method": "\"PUT\"",
        ])
    }

    static func song(
        id: String, title: String, artist: String, artistID: String, duration: String,
        year: Int = 2004, location: String = "\"\"", latitude: String = "null", longitude: String = "null"
    ) -> String {
        """
        {"num_songs": 1, "artist_id": "\(artistID)", "artist_latitude": \(latitude), "artist_longitude": \(longitude), \
        "artist_location": \(location), "artist_name": \(artist), "song_id": "\(id)", "title": \(title), \
        "duration": \(duration), "year": \(year)}
        """
    }
}

/// Runs load steps against a database of the test's own.
struct LoadHarness {
    let connection: Connection
    let runner: LoadRunner

    init(_ label: String, sources: LoadSources?, maxErrors: Int = 0) throws {
        // A warehouse session, as the commands open them: unqualified table names work.
        connection = try Connection.warehouse(try TestServer.freshDatabase(label))
        runner = LoadRunner(
            connection: connection, plan: LoadPlan(dialect: PostgresDialect(), maxErrors: maxErrors),
            sources: sources)
    }

    /// The same database, loaded from other sources (`addSource`: as `--add-source` asks).
    init(sharing other: LoadHarness, sources: LoadSources, addSource: Bool = false) {
        connection = other.connection
        runner = LoadRunner(connection: connection, plan: other.runner.plan, sources: sources, addSource: addSource)
    }

    /// An incremental load as `etl --steps copy,insert` runs it: the sources checked against
    /// what staging holds before any step.
    @discardableResult
    func runIncremental() throws -> [StepOutcome] {
        try runner.checkSources(incremental: true)
        return try run([.copy, .insert])
    }

    @discardableResult
    func run(_ phases: Set<LoadStep.Phase>) throws -> [StepOutcome] {
        try LoadStep.steps(in: phases).map { try runner.run($0) }
    }

    func count(_ sql: String) throws -> Int { Int(try connection.execute(sql).scalar ?? "") ?? -1 }

    func rows(_ sql: String) throws -> [[String?]] { try connection.execute(sql).rows }

    func execute(_ sql: String) throws { try connection.execute(sql) }
}
