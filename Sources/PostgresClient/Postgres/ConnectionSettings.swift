import Foundation

/// What libpq needs to reach a server. Anything left nil falls through to libpq's own defaults,
/// so `PGHOST`, `PGUSER`, `PGPASSWORD`, `~/.pgpass` and friends keep working.
public struct ConnectionSettings: Equatable, Sendable {
    /// A host name, an IP address, or an absolute path to a socket directory.
    public var host: String?
    public var port: Int?
    public var database: String?
    public var user: String?
    public var password: Secret?
    public var sslMode: String?
    /// Seconds; libpq treats 0 or nil as wait forever, so we always set one.
    public var connectTimeout: Int
    public var applicationName: String
    /// The Redshift rehearsal: a PostgreSQL database that the connection speaks Redshift to
    /// (`RedshiftRehearsal`), reported as Redshift so every front end takes the Redshift plan.
    public var rehearsal = false

    public init(
        host: String? = nil, port: Int? = nil, database: String? = nil, user: String? = nil,
        password: Secret? = nil, sslMode: String? = nil, connectTimeout: Int = 10,
        applicationName: String = "sparkify"
    ) {
        self.host = host
        self.port = port
        self.database = database
        self.user = user
        self.password = password
        self.sslMode = sslMode
        self.connectTimeout = connectTimeout
        self.applicationName = applicationName
    }

    /// The keyword/value pairs for `PQconnectdbParams`, password included: never print these.
    var libpqParameters: [(String, String)] {
        var pairs: [(String, String)] = []
        if let host { pairs.append(("host", host)) }
        if let port { pairs.append(("port", String(port))) }
        if let database { pairs.append(("dbname", database)) }
        if let user { pairs.append(("user", user)) }
        if let password { pairs.append(("password", password.revealed)) }
        if let sslMode { pairs.append(("sslmode", sslMode)) }
        pairs.append(("connect_timeout", String(connectTimeout)))
        pairs.append(("application_name", applicationName))
        return pairs
    }

    /// Hands libpq's NULL-terminated keyword and value arrays to `body`, freeing them after.
    func withLibpqArrays<T>(_ body: (UnsafePointer<UnsafePointer<CChar>?>, UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
        let parameters = libpqParameters
        let keywords = parameters.map { strdup($0.0) }
        let values = parameters.map { strdup($0.1) }
        defer {
            keywords.forEach { free($0) }
            values.forEach { free($0) }
        }
        let keywordArray: [UnsafePointer<CChar>?] = keywords.map { UnsafePointer($0) } + [nil]
        let valueArray: [UnsafePointer<CChar>?] = values.map { UnsafePointer($0) } + [nil]
        return body(keywordArray, valueArray)
    }

    /// Where this goes, for messages: `user@host:port/database`, never the password.
    public var displayName: String {
        let place = host ?? "(libpq default host)"
        let portText = port.map { ":\($0)" } ?? ""
        let userText = user.map { "\($0)@" } ?? ""
        let databaseText = database.map { "/\($0)" } ?? ""
        return "\(userText)\(place)\(portText)\(databaseText)"
    }
}

/// A value that must never reach the screen, a log or a history file. Printing it shows a mask;
/// only the code that hands it to libpq reads it.
public struct Secret: Equatable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    private let value: String
    public init(_ value: String) { self.value = value }
    package var revealed: String { value }
    public var isEmpty: Bool { value.isEmpty }
    public var description: String { "********" }
    public var debugDescription: String { "Secret(********)" }
}
