/// What a correct load of the generated data must contain, counted while the data is written
/// (never by running SQL over it). The semantics are the load's: one songplay per NextSong,
/// users by their latest event, time rows per distinct start_time.
public struct GroundTruth: Equatable, Sendable {
    public var stagingEvents = 0
    public var stagingSongs = 0
    public var songplays = 0
    public var matchedSongplays = 0
    public var users = 0
    public var freeUsers = 0
    public var paidUsers = 0
    public var songs = 0
    public var artists = 0
    public var timeRows = 0
    public var paidPlays = 0
    /// The UTC hour with the most plays (the earliest hour on a tie), and its play count.
    public var busiestHour = 0
    public var busiestHourPlays = 0
    /// Plays of the most played song that matched the catalog.
    public var topSongPlays = 0
    public var topSongID: String?

    /// The suite `sparkify validate` runs: each check's expected value is a figure above.
    public func suite(seed: UInt64, arguments: String) -> String {
        func check(_ name: String, _ value: Int, _ sql: String) -> String {
            "-- check: \(name)\n-- expect: \(value)\n\(sql)\n\n"
        }
        var text = """
            -- Expected results of the dataset sparkify generated with: \(arguments)
            -- The values come from the generator's own bookkeeping while it wrote the files.
            -- Run: sparkify validate expected.sql


            """
        text += check("staging events", stagingEvents, "SELECT count(*) FROM staging.events;")
        text += check("staging songs", stagingSongs, "SELECT count(*) FROM staging.songs;")
        text += check("songplays", songplays, "SELECT count(*) FROM analytics.songplays;")
        text += check("matched songplays", matchedSongplays, "SELECT count(*) FROM analytics.songplays WHERE song_id IS NOT NULL;")
        text += check("users", users, "SELECT count(*) FROM analytics.users;")
        text += "-- check: users by level\n-- expect set:\n"
        for (level, count) in [("free", freeUsers), ("paid", paidUsers)] where count > 0 {
            text += "--   \(level) | \(count)\n"
        }
        text += "SELECT level, count(*) FROM analytics.users GROUP BY level;\n\n"

        text += check("songs", songs, "SELECT count(*) FROM analytics.songs;")
        text += check("artists", artists, "SELECT count(*) FROM analytics.artists;")
        text += check("time rows", timeRows, "SELECT count(*) FROM analytics.time;")
        text += check("plays by paid users", paidPlays, "SELECT count(*) FROM analytics.songplays WHERE level = 'paid';")
        if songplays > 0 {
            text += """
                -- check: busiest hour
                -- expect rows:
                --   \(busiestHour) | \(busiestHourPlays)
                SELECT hour, count(*) FROM analytics.songplays JOIN analytics.time USING (start_time)
                GROUP BY hour ORDER BY count(*) DESC, hour LIMIT 1;


                """
        }
        text += check(
            "plays of the most played matched song", topSongPlays,
            """
            SELECT COALESCE(MAX(plays), 0) FROM (
                SELECT count(*) AS plays FROM analytics.songplays WHERE song_id IS NOT NULL GROUP BY song_id) counted;
            """)
        return text
    }
}
