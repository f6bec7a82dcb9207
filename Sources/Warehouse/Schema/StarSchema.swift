/// Every table of the Sparkify warehouse, written down once. DDL, COPY and INSERT statements
/// for each engine are rendered from these declarations by a `Dialect`.
public enum StarSchema {
    public static let stagingSchema = "staging"
    public static let analyticsSchema = "analytics"
    /// A full rebuild (drop, create, copy, insert) fills the star schema here, aside, and the
    /// last insert step swaps it in: analysts query `analytics` as it was until then, and a
    /// failed or cancelled rebuild leaves it as it was.
    public static let buildSchema = "analytics_build"
    /// Where the replaced tables go for the moment of the swap (dropped in the same transaction).
    public static let retiredSchema = "analytics_previous"

    /// The 18 eventsim log keys in jsonpaths order, renamed to snake case.
    public static let stagingEvents = Table(
        schema: stagingSchema, name: "events",
        columns: [
            TableColumn("artist", .text(maxBytes: 1024)),
            TableColumn("auth", .text(maxBytes: 32)),
            TableColumn("first_name", .text(maxBytes: 256)),
            TableColumn("gender", .text(maxBytes: 8)),
            TableColumn("item_in_session", .integer),
            TableColumn("last_name", .text(maxBytes: 256)),
            TableColumn("length", .double),
            TableColumn("level", .text(maxBytes: 16)),
            TableColumn("location", .text(maxBytes: 1024)),
            TableColumn("method", .text(maxBytes: 16)),
            TableColumn("page", .text(maxBytes: 64)),
            // The logs write it as a float (`1540919166796.0`). Redshift's COPY converts the text
            // to the column's type, and an integer column rejects the '.' (load error 1207,
            // "Invalid digit"; "Data conversion parameters - Amazon Redshift",
            // https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-conversion.html):
            // a BIGINT failed the first real load. A double holds every such value exactly (< 2^53).
            TableColumn("registration", .double),
            TableColumn("session_id", .integer),
            TableColumn("song", .text(maxBytes: 1024)),
            TableColumn("status", .smallint),
            TableColumn("ts", .bigint, range: TableColumn.epochMilliseconds, rangeWords: "a time in epoch milliseconds (years 1 to 9999)"),
            TableColumn("user_agent", .text(maxBytes: 1024)),
            TableColumn("user_id", .integer),
        ],
        isStaging: true, distribution: .even,
        recordRule: RecordRule(when: "page", equals: "NextSong", required: ["ts", "session_id", "item_in_session"]),
        fileNumberColumn: fileNumberColumn)

    /// The Million Song Dataset keys, as the song files name them.
    public static let stagingSongs = Table(
        schema: stagingSchema, name: "songs",
        columns: [
            TableColumn("num_songs", .integer),
            TableColumn("artist_id", .text(maxBytes: 32)),
            TableColumn("artist_latitude", .double),
            TableColumn("artist_longitude", .double),
            TableColumn("artist_location", .text(maxBytes: 1024)),
            TableColumn("artist_name", .text(maxBytes: 1024)),
            TableColumn("song_id", .text(maxBytes: 32)),
            TableColumn("title", .text(maxBytes: 1024)),
            TableColumn("duration", .double),
            TableColumn("year", .smallint),
        ],
        isStaging: true, distribution: .even, fileNumberColumn: fileNumberColumn)

    /// Which manifest file a staging row came from (NULL after a Redshift COPY, which reads a
    /// prefix whole and replaces staging whole).
    public static let fileNumberColumn = "source_file"

    /// One row per NextSong event; (session_id, item_in_session, user_id, start_time) is the
    /// event's natural key, which keeps re-runs from adding rows.
    public static let songplays = Table(
        schema: analyticsSchema, name: "songplays",
        columns: [
            TableColumn("songplay_id", .serial, nullable: false),
            TableColumn("start_time", .timestamp, nullable: false),
            TableColumn("user_id", .integer),
            TableColumn("level", .text(maxBytes: 16)),
            TableColumn("song_id", .text(maxBytes: 32)),
            TableColumn("artist_id", .text(maxBytes: 32)),
            TableColumn("session_id", .integer, nullable: false),
            TableColumn("item_in_session", .integer, nullable: false),
            TableColumn("location", .text(maxBytes: 1024)),
            TableColumn("user_agent", .text(maxBytes: 1024)),
        ],
        primaryKey: ["songplay_id"],
        uniqueKeys: [["session_id", "item_in_session", "start_time"]],
        // Not song_id: in the real logs almost no play matches a song (1 of 6,820 in the public
        // sample), and every NULL hashes to one slice. start_time is never NULL and nearly unique,
        // so plays spread evenly, and the join to time (keyed alike) stays on each slice.
        distribution: .key("start_time"), sortKey: ["start_time"])

    public static let users = Table(
        schema: analyticsSchema, name: "users",
        columns: [
            TableColumn("user_id", .integer, nullable: false),
            TableColumn("first_name", .text(maxBytes: 256)),
            TableColumn("last_name", .text(maxBytes: 256)),
            TableColumn("gender", .text(maxBytes: 8)),
            TableColumn("level", .text(maxBytes: 16)),
        ],
        primaryKey: ["user_id"], distribution: .all, sortKey: ["user_id"])

    public static let songs = Table(
        schema: analyticsSchema, name: "songs",
        columns: [
            TableColumn("song_id", .text(maxBytes: 32), nullable: false),
            TableColumn("title", .text(maxBytes: 1024)),
            TableColumn("artist_id", .text(maxBytes: 32)),
            TableColumn("year", .smallint),
            TableColumn("duration", .double),
        ],
        primaryKey: ["song_id"], distribution: .key("song_id"), sortKey: ["song_id"])

    public static let artists = Table(
        schema: analyticsSchema, name: "artists",
        columns: [
            TableColumn("artist_id", .text(maxBytes: 32), nullable: false),
            TableColumn("name", .text(maxBytes: 1024)),
            TableColumn("location", .text(maxBytes: 1024)),
            TableColumn("latitude", .double),
            TableColumn("longitude", .double),
        ],
        primaryKey: ["artist_id"], distribution: .all, sortKey: ["artist_id"])

    public static let time = Table(
        schema: analyticsSchema, name: "time",
        columns: [
            TableColumn("start_time", .timestamp, nullable: false),
            TableColumn("hour", .smallint, nullable: false),
            TableColumn("day", .smallint, nullable: false),
            TableColumn("week", .smallint, nullable: false),
            TableColumn("month", .smallint, nullable: false),
            TableColumn("year", .smallint, nullable: false),
            TableColumn("weekday", .smallint, nullable: false),
        ],
        // Not ALL: time grows with the fact table, one row per play's moment, and a copy on every
        // node would cost as much as songplays itself. Keyed like songplays, its join is local.
        primaryKey: ["start_time"], distribution: .key("start_time"), sortKey: ["start_time"])

    /// Records a load step rejected, kept where the user can look at them.
    public static let loadErrors = Table(
        schema: stagingSchema, name: "load_errors",
        columns: [
            TableColumn("loaded_at", .timestamp, nullable: false),
            TableColumn("target_table", .text(maxBytes: 128), nullable: false),
            TableColumn("file", .text(maxBytes: 1024), nullable: false),
            TableColumn("line", .bigint, nullable: false),
            TableColumn("reason", .text(maxBytes: 1024), nullable: false),
            TableColumn("raw_record", .text(maxBytes: 1024)),
        ])

    /// Source files already loaded, so an incremental load takes only new ones. A file is
    /// known by where it came from and what it held: its source (the folder's real path, or
    /// `s3://bucket/prefix`) and its path below it, and its size with S3's ETag or the local
    /// file's modification time to the nanosecond. A file whose content changed is replaced:
    /// the staging rows carrying its `file_number` go, its new rows come in.
    public static let loadManifest = Table(
        schema: stagingSchema, name: "load_manifest",
        columns: [
            TableColumn("target_table", .text(maxBytes: 128), nullable: false),
            TableColumn("source", .text(maxBytes: 1024), nullable: false),
            TableColumn("file", .text(maxBytes: 1024), nullable: false),
            TableColumn("file_number", .integer, nullable: false),
            TableColumn("bytes", .bigint, nullable: false),
            TableColumn("etag", .text(maxBytes: 128)),
            TableColumn("modified_ns", .bigint),
            TableColumn("loaded_at", .timestamp, nullable: false),
            // The rows the file put in staging: their sum must be what staging holds, or
            // staging lost rows the manifest still claims (a crash empties UNLOGGED tables).
            TableColumn("rows_loaded", .bigint),
        ],
        primaryKey: ["target_table", "source", "file"])

    /// How the fact joins its dimensions: each by a column of the same name in both.
    public static let factJoins: [(dimension: Table, column: String)] = [
        (users, "user_id"), (songs, "song_id"), (artists, "artist_id"), (time, "start_time"),
    ]

    public static let stagingTables = [stagingEvents, stagingSongs]
    public static let analyticsTables = [songplays, users, songs, artists, time]
    public static let bookkeepingTables = [loadErrors, loadManifest]
    public static let allTables = stagingTables + analyticsTables + bookkeepingTables
}
