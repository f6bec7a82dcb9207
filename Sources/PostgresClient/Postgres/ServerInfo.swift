import CLibPQ

/// Which engine is on the other end. Redshift speaks the PostgreSQL protocol and reports a
/// PostgreSQL 8.0 version number, so only `version()` tells them apart.
public enum Engine: String, Sendable {
    case postgres = "PostgreSQL"
    case redshift = "Redshift"
}

public struct ServerInfo: Equatable, Sendable {
    public var engine: Engine
    /// The full `version()` text.
    public var versionText: String
    /// libpq's number, e.g. 150018 for 15.18.
    public var versionNumber: Int
    public var sslInUse: Bool
    /// Redshift only: compute nodes and slices, as `stv_slices` reports them.
    public var nodes: Int?
    public var slices: Int?

    static let unknown = ServerInfo(engine: .postgres, versionText: "", versionNumber: 0, sslInUse: false)

    /// "PostgreSQL 15.18" or "Redshift 1.0.12345": short enough for a status pane.
    public var shortVersion: String {
        let words = versionText.split(separator: " ")
        if engine == .redshift, let index = words.firstIndex(of: "Redshift"), index + 1 < words.count {
            return "Redshift \(words[index + 1])"
        }
        if words.count >= 2 { return "\(words[0]) \(words[1])".replacingOccurrences(of: ",", with: "") }
        return versionText
    }

    static func detect(on connection: Connection) throws -> ServerInfo {
        var version = try connection.execute("select version()").scalar ?? ""
        // The rehearsal is PostgreSQL speaking Redshift: the Redshift plan runs on it.
        if connection.settings.rehearsal { version = "Redshift rehearsal (sparkify) on " + version }
        var info = ServerInfo(
            engine: version.contains("Redshift") ? .redshift : .postgres,
            versionText: version,
            versionNumber: Int(PQserverVersion(connection.handle)),
            sslInUse: PQsslInUse(connection.handle) == 1
        )
        // The cluster's shape, when the user may read it (Serverless has no stv_slices: then
        // the pane shows what dwh.cfg asked for, if anything).
        if info.engine == .redshift, let row = try? connection.execute(Self.redshiftShape).rows.first {
            info.nodes = row[0].flatMap { Int($0) }
            info.slices = row[1].flatMap { Int($0) }
        }
        return info
    }

    static let redshiftShape = "SELECT COUNT(DISTINCT node), COUNT(*) FROM stv_slices;"
}
