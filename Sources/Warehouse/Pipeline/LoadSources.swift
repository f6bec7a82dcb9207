import Foundation

/// Where a PostgreSQL load reads its files: the log folder (with an optional jsonpaths file
/// that maps log keys to columns) and the song folder. Each may be a local folder or an
/// `s3://bucket/prefix`; `s3` says how to reach S3 when any is.
public struct LoadSources: Sendable {
    public var logData: String
    public var logJSONPaths: String?
    public var songData: String
    public var s3: S3Access?

    public init(logData: String, logJSONPaths: String?, songData: String, s3: S3Access? = nil) {
        self.logData = logData
        self.logJSONPaths = logJSONPaths
        self.songData = songData
        self.s3 = s3
    }

    public var readsS3: Bool { [logData, songData, logJSONPaths ?? ""].contains(where: S3Location.isS3) }

    /// A dataset under an S3 prefix in the real layout (`log_data/`, `song_data/`, and
    /// `log_json_path.json` when the prefix holds one).
    public init(s3Folder location: S3Location, access: S3Access) throws {
        let jsonPaths = location.appending("log_json_path.json")
        let present = try S3Client(access: access).getIfPresent(bucket: jsonPaths.bucket, key: jsonPaths.prefix) != nil
        self.init(logData: location.appending("log_data").description,
                  logJSONPaths: present ? jsonPaths.description : nil,
                  songData: location.appending("song_data").description, s3: access)
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

    /// The `[S3]` keys of a config (local folders, file:// or s3:// addresses). Nil when the
    /// config names none.
    public init?(config: DwhConfig) throws {
        guard let logData = config.logData, let songData = config.songData else {
            if config.logData != nil || config.songData != nil {
                throw ConfigError(path: config.path, line: nil, key: config.logData == nil ? "[S3] LOG_DATA" : "[S3] SONG_DATA",
                                  problem: "missing: a load needs both LOG_DATA and SONG_DATA")
            }
            return nil
        }
        for (key, value) in [("LOG_DATA", logData), ("SONG_DATA", songData), ("LOG_JSONPATH", config.logJSONPath ?? "")] {
            do { _ = try S3Location(value) } catch {
                throw ConfigError(path: config.path, line: nil, key: "[S3] \(key)", problem: "names no bucket (expected s3://bucket/prefix)")
            }
        }
        self.init(logData: Self.localPath(logData), logJSONPaths: config.logJSONPath.map(Self.localPath),
                  songData: Self.localPath(songData))
        if readsS3 { s3 = try S3Access.resolve(config: config) }
    }

    private static func localPath(_ value: String) -> String {
        value.hasPrefix("file://") ? String(value.dropFirst("file://".count)) : value
    }

    /// The folder and key mapping for one staging table.
    func source(for table: Table) throws -> (folder: String, keys: [String]) {
        switch table {
        case StarSchema.stagingEvents:
            let keys = try logJSONPaths.map { try JSONPaths.keys(file: $0, for: table, s3: s3) } ?? StarSchema.eventSourceKeys
            return (logData, keys)
        case StarSchema.stagingSongs:
            return (songData, StarSchema.songSourceKeys)
        default:
            preconditionFailure("\(table.qualifiedName) is not loaded from files")
        }
    }
}
