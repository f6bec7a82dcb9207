import Foundation

/// Where a PostgreSQL load reads its files: the log folder (with an optional jsonpaths file
/// that maps log keys to columns) and the song folder.
public struct LoadSources: Sendable {
    public var logData: String
    public var logJSONPaths: String?
    public var songData: String

    public init(logData: String, logJSONPaths: String?, songData: String) {
        self.logData = logData
        self.logJSONPaths = logJSONPaths
        self.songData = songData
    }

    /// A dataset folder in the real layout: `log_data/`, `song_data/` and, when present,
    /// `log_json_path.json` beside them.
    public init(folder: String) {
        let paths = folder as NSString
        let jsonPaths = paths.appendingPathComponent("log_json_path.json")
        self.init(logData: paths.appendingPathComponent("log_data"),
                  logJSONPaths: FileManager.default.fileExists(atPath: jsonPaths) ? jsonPaths : nil,
                  songData: paths.appendingPathComponent("song_data"))
    }

    /// The `[S3]` keys of a config when they name local folders. Nil when the config names
    /// none; an error when it names S3, which a PostgreSQL target cannot read yet.
    public init?(config: DwhConfig) throws {
        guard let logData = config.logData, let songData = config.songData else {
            if config.logData != nil || config.songData != nil {
                throw ConfigError(path: config.path, line: nil, key: config.logData == nil ? "[S3] LOG_DATA" : "[S3] SONG_DATA",
                                  problem: "missing: a load needs both LOG_DATA and SONG_DATA")
            }
            return nil
        }
        for (key, value) in [("LOG_DATA", logData), ("SONG_DATA", songData), ("LOG_JSONPATH", config.logJSONPath ?? "")]
        where value.lowercased().hasPrefix("s3://") {
            throw ConfigError(path: config.path, line: nil, key: "[S3] \(key)",
                              problem: "is an S3 address; a PostgreSQL target loads from local folders for now: give --source DIR")
        }
        self.init(logData: Self.localPath(logData), logJSONPaths: config.logJSONPath.map(Self.localPath),
                  songData: Self.localPath(songData))
    }

    private static func localPath(_ value: String) -> String {
        value.hasPrefix("file://") ? String(value.dropFirst("file://".count)) : value
    }

    /// The folder and key mapping for one staging table.
    func source(for table: Table) throws -> (folder: String, keys: [String]) {
        switch table {
        case StarSchema.stagingEvents:
            let keys = try logJSONPaths.map { try JSONPaths.keys(file: $0, for: table) } ?? StarSchema.eventSourceKeys
            return (logData, keys)
        case StarSchema.stagingSongs:
            return (songData, StarSchema.songSourceKeys)
        default:
            preconditionFailure("\(table.qualifiedName) is not loaded from files")
        }
    }
}
