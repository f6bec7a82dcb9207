import Foundation

/// Where a PostgreSQL load reads its files: the log folder (with an optional jsonpaths file
/// that maps log keys to columns) and the song folder. Each may be a local folder or an
/// `s3://bucket/prefix`; `s3` says how to reach S3 when any is.
public struct LoadSources: Sendable {
    public var logData: String
    public var logJSONPaths: String?
    public var songData: String
    public var s3: S3Access?
    /// True when `logJSONPaths` is only where a dataset prefix would keep one: absent, the log
    /// keys map by name, as for a folder without the file.
    public var logJSONPathsOptional = false

    public init(logData: String, logJSONPaths: String?, songData: String, s3: S3Access? = nil) {
        self.logData = logData
        self.logJSONPaths = logJSONPaths
        self.songData = songData
        self.s3 = s3
    }

    public var readsS3: Bool { [logData, songData, logJSONPaths ?? ""].contains(where: S3Location.isS3) }

    /// A dataset under an S3 prefix in the real layout (`log_data/`, `song_data/`, and
    /// `log_json_path.json` when the prefix holds one). Nothing is fetched yet: whether the
    /// jsonpaths object exists is asked when the keys are needed, so a dry run stays offline.
    public init(s3Folder location: S3Location, access: S3Access) {
        self.init(
            logData: location.appending(DatasetLayout.logData).description,
            logJSONPaths: location.appending(DatasetLayout.jsonPaths).description,
            songData: location.appending(DatasetLayout.songData).description, s3: access)
        logJSONPathsOptional = true
    }

    /// A dataset folder in the real layout: `log_data/`, `song_data/` and, when present,
    /// `log_json_path.json` beside them.
    public init(folder: String) {
        let paths = folder as NSString
        let jsonPaths = paths.appendingPathComponent(DatasetLayout.jsonPaths)
        self.init(
            logData: paths.appendingPathComponent(DatasetLayout.logData),
            logJSONPaths: FileManager.default.fileExists(atPath: jsonPaths) ? jsonPaths : nil,
            songData: paths.appendingPathComponent(DatasetLayout.songData))
    }

    /// The `[S3]` keys of a config (local folders, file:// or s3:// addresses). Nil when the
    /// config names none.
    public init?(config: DwhConfig) throws {
        guard let logData = config.logData, let songData = config.songData else {
            if config.logData != nil || config.songData != nil {
                throw ConfigError(
                    path: config.path, line: nil, key: config.logData == nil ? "[S3] LOG_DATA" : "[S3] SONG_DATA",
                    problem: "missing: a load needs both LOG_DATA and SONG_DATA")
            }
            return nil
        }
        for (key, value) in [("LOG_DATA", logData), ("SONG_DATA", songData), ("LOG_JSONPATH", config.logJSONPath ?? "")] {
            do { _ = try S3Location(value) } catch {
                throw ConfigError(path: config.path, line: nil, key: "[S3] \(key)", problem: "names no bucket (expected s3://bucket/prefix)")
            }
        }
        self.init(
            logData: Self.localPath(logData), logJSONPaths: config.logJSONPath.map(Self.localPath),
            songData: Self.localPath(songData))
        if readsS3 { s3 = try S3Access.resolve(config: config) }
    }

    private static func localPath(_ value: String) -> String {
        value.hasPrefix("file://") ? String(value.dropFirst("file://".count)) : value
    }

    /// Source keys in column order: from the jsonpaths file, else the eventsim keys by name.
    private func eventKeys() throws -> [String] {
        guard let path = logJSONPaths else { return StarSchema.eventSourceKeys }
        if logJSONPathsOptional, let location = try S3Location(path) {
            guard
                let bytes = try S3Client(access: s3 ?? S3Access.resolve(config: nil))
                    .getIfPresent(bucket: location.bucket, key: location.prefix)
            else { return StarSchema.eventSourceKeys }
            return try JSONPaths.keys(data: Data(bytes), name: path, for: StarSchema.stagingEvents)
        }
        return try JSONPaths.keys(file: path, for: StarSchema.stagingEvents, s3: s3)
    }

    /// The folder (or prefix) one staging table is copied from.
    func folder(for table: Table) -> String {
        table == StarSchema.stagingEvents ? logData : songData
    }

    /// The folder and key mapping for one staging table.
    func source(for table: Table) throws -> (folder: String, keys: [String]) {
        switch table {
        case StarSchema.stagingEvents:
            return (logData, try eventKeys())
        case StarSchema.stagingSongs:
            return (songData, StarSchema.songSourceKeys)
        default:
            preconditionFailure("\(table.qualifiedName) is not loaded from files")
        }
    }
}

/// The names inside a dataset folder or prefix, as the Udacity data and `sparkify generate`
/// lay it out.
enum DatasetLayout {
    static let logData = "log_data"
    static let songData = "song_data"
    static let jsonPaths = "log_json_path.json"

    /// Song files (the Million Song Dataset's) hold one JSON object each, sometimes
    /// pretty-printed over many lines; log files hold one event a line.
    static func oneObjectPerFile(_ table: Table) -> Bool { table == StarSchema.stagingSongs }
}
