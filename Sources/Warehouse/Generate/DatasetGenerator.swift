import Foundation

/// Writes a Sparkify dataset in the real layout: eventsim-like daily logs, MSD-like song files
/// and a jsonpaths file, plus `expected.sql`, the suite its ground truth makes.
///
/// Events are simulated as one stream in time order (sessions interleave, as on a real
/// service), which keeps the bookkeeping to counters: distinct play times are counted as the
/// clock moves, and only per-user and per-song counters are kept, never the events.
public struct DatasetGenerator {
    public struct Options: Sendable {
        public var events = 8_000
        public var songs = 15_000
        public var days = 30
        /// Midnight UTC of the first day, in epoch milliseconds.
        public var startMilliseconds: Int64 = 1_541_030_400_000  // 2018-11-01
        public var seed: UInt64 = 1

        public init() {}

        /// How the dataset was made, for the suite's header and for making it again.
        public var arguments: String {
            "sparkify generate --events \(events) --songs \(songs) --days \(days) --start \(Self.dateText(startMilliseconds)) --seed \(seed)"
        }

        static func dateText(_ milliseconds: Int64) -> String {
            var seconds = time_t(milliseconds / 1000)
            var parts = tm()
            gmtime_r(&seconds, &parts)
            return String(format: "%04d-%02d-%02d", parts.tm_year + 1900, parts.tm_mon + 1, parts.tm_mday)
        }
    }

    /// How far the writing has got, for a progress line.
    public struct Progress: Sendable {
        public var songsWritten: Int
        public var eventsWritten: Int
        public var bytesWritten: Int
    }

    public let options: Options
    public let directory: String

    public init(directory: String, options: Options) {
        self.directory = directory
        self.options = options
    }

    /// Writes everything and returns the ground truth (also written as `expected.sql`).
    @discardableResult
    public func run(progress: (Progress) -> Void = { _ in }) throws -> GroundTruth {
        let output = try DatasetOutput(root: directory)
        var truth = GroundTruth()
        let catalog = Catalog(seed: options.seed, songs: options.songs)
        try writeSongs(catalog, output: output, truth: &truth, progress: progress)
        var simulator = EventSimulator(options: options, catalog: catalog)
        try simulator.run(output: output, truth: &truth) { events in
            progress(Progress(songsWritten: options.songs, eventsWritten: events, bytesWritten: output.bytesWritten))
        }
        try output.writeFile(DatasetLayout.jsonPaths, Data(Self.jsonPaths.utf8))
        try output.writeFile("expected.sql", Data(truth.suite(seed: options.seed, arguments: options.arguments).utf8))
        return truth
    }

    /// The jsonpaths file Redshift's COPY takes, and our loader honours.
    static var jsonPaths: String {
        "{\n    \"jsonpaths\": [\n" + StarSchema.eventSourceKeys.map { "        \"$['\($0)']\"" }.joined(separator: ",\n") + "\n    ]\n}"
    }

    private func writeSongs(
        _ catalog: Catalog, output: DatasetOutput, truth: inout GroundTruth,
        progress: (Progress) -> Void
    ) throws {
        var artistsSeen = 0
        var lastArtist = -1
        var text = JSONText(capacity: 512)
        for index in 0..<catalog.songs {
            let song = catalog.song(index)
            let artist = catalog.artist(song.artist)
            // Artists own consecutive songs, so counting changes counts artists.
            if song.artist != lastArtist {
                artistsSeen += 1
                lastArtist = song.artist
            }
            text.bytes.removeAll(keepingCapacity: true)
            text.raw("{")
            text.songKey("num_songs", first: true)
            text.integer(1)
            text.songKey("artist_id")
            text.string(artist.artistID)
            text.songKey("artist_latitude")
            if let lat = artist.latitude { text.fixed(lat, places: 5) } else { text.null() }
            text.songKey("artist_longitude")
            if let lon = artist.longitude { text.fixed(lon, places: 5) } else { text.null() }
            text.songKey("artist_location")
            text.string(artist.location, escapeSlash: false)
            text.songKey("artist_name")
            text.string(artist.name, escapeSlash: false)
            text.songKey("song_id")
            text.string(song.songID)
            text.songKey("title")
            text.string(song.title, escapeSlash: false)
            text.songKey("duration")
            text.fixed(song.duration, places: 5)
            text.songKey("year")
            text.integer(Int64(song.year))
            text.raw("}")
            let id = Array(song.trackID.utf8)
            let folder =
                "\(DatasetLayout.songData)/\(Character(Unicode.Scalar(id[2])))/\(Character(Unicode.Scalar(id[3])))/\(Character(Unicode.Scalar(id[4])))"
            try output.writeSmallFile(folder: folder, name: song.trackID + ".json", text.bytes)
            if index % 4096 == 0 { progress(Progress(songsWritten: index, eventsWritten: 0, bytesWritten: output.bytesWritten)) }
        }
        truth.stagingSongs = catalog.songs
        truth.songs = catalog.songs
        truth.artists = artistsSeen
    }
}
