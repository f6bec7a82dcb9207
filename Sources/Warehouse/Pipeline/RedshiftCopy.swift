import Foundation

/// The S3 side of a Redshift load: Redshift reads the files itself, so sparkify only writes
/// the COPY statements, from the `[S3]` and `[IAM_ROLE]` keys users already have.
public struct RedshiftCopy: Sendable {
    public var logData: String
    public var logJSONPath: String
    public var songData: String
    public var iamRole: String
    public var region: String

    public init(logData: String, logJSONPath: String, songData: String, iamRole: String, region: String) {
        self.logData = logData
        self.logJSONPath = logJSONPath
        self.songData = songData
        self.iamRole = iamRole
        self.region = region
    }

    /// Every key a Redshift load needs, or an error naming the one that is missing. A
    /// `dataset` prefix (`--source s3://bucket/prefix`) gives the three S3 keys instead.
    public init(config: DwhConfig, dataset: S3Location? = nil) throws {
        func required(_ value: String?, _ key: String) throws -> String {
            guard let value, !value.isEmpty else {
                throw ConfigError(path: config.path, line: nil, key: key, problem: "missing: a Redshift COPY needs it")
            }
            return value
        }
        // The log keys are camelCase and the columns snake_case: 'auto' cannot pair them, so
        // the jsonpaths file is not optional here.
        if let dataset {
            self.init(dataset: dataset, iamRole: try required(config.iamRole, "[IAM_ROLE] ARN"), region: config.region)
            return
        }
        self.init(
            logData: try required(config.logData, "[S3] LOG_DATA"), logJSONPath: try required(config.logJSONPath, "[S3] LOG_JSONPATH"),
            songData: try required(config.songData, "[S3] SONG_DATA"), iamRole: try required(config.iamRole, "[IAM_ROLE] ARN"),
            region: config.region)
    }

    /// A dataset prefix in the real layout (`log_data/`, `log_json_path.json`, `song_data/`).
    public init(dataset location: S3Location, iamRole: String, region: String) {
        self.init(
            logData: location.appending(DatasetLayout.logData).description,
            logJSONPath: location.appending(DatasetLayout.jsonPaths).description,
            songData: location.appending(DatasetLayout.songData).description, iamRole: iamRole, region: region)
    }

    /// For `--dry-run --engine redshift` without a config: the statements with the keys named.
    public static let placeholders = RedshiftCopy(
        logData: "<[S3] LOG_DATA>", logJSONPath: "<[S3] LOG_JSONPATH>", songData: "<[S3] SONG_DATA>",
        iamRole: "<[IAM_ROLE] ARN>", region: "us-west-2")

    /// The statements of one copy step. Staging is emptied first because COPY appends and
    /// every file under the prefix is read again (DELETE, not TRUNCATE: TRUNCATE would commit
    /// the step's transaction on Redshift).
    public func statements(for table: Table, maxErrors: Int) -> [String] {
        let source: String
        let format: String
        switch table {
        case StarSchema.stagingEvents:
            source = logData
            format = Self.literal(logJSONPath)
        default:
            source = songData
            format = "'auto'"
        }
        return [
            "DELETE FROM \(table.qualifiedName);",
            """
            COPY \(table.qualifiedName) (\(table.columnNames.joined(separator: ", ")))
            FROM \(Self.literal(source))
            IAM_ROLE \(Self.literal(iamRole))
            REGION \(Self.literal(region))
            FORMAT AS JSON \(format)
            TIMEFORMAT AS 'epochmillisecs'
            BLANKSASNULL EMPTYASNULL TRUNCATECOLUMNS
            COMPUPDATE OFF STATUPDATE OFF
            MAXERROR \(maxErrors);
            """,
        ]
    }

    /// A string literal as Redshift reads it: quotes doubled, and backslashes too, since
    /// Redshift treats a backslash in a literal as an escape (a raw JSON line is full of them).
    static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''") + "'"
    }
}
