/// The analytics team's checks: they hold for any correct load of any data. The judged ones
/// count what must be zero; the last four answer the team's questions and are shown.
public enum DefaultSuite {
    public static let path = "(default suite)"

    public static var suite: ValidationSuite { try! ValidationSuite.parse(path: path, text: text) }

    public static let text = """
        -- check: one songplay per NextSong event
        -- expect: 0
        SELECT (SELECT count(*) FROM analytics.songplays)
             - (SELECT count(*) FROM staging.events WHERE page = 'NextSong');

        -- check: no duplicate user_id
        -- expect: 0
        SELECT count(*) - count(DISTINCT user_id) FROM analytics.users;

        -- check: users = distinct user ids in staging
        -- expect: 0
        SELECT (SELECT count(*) FROM analytics.users)
             - (SELECT count(DISTINCT user_id) FROM staging.events WHERE user_id IS NOT NULL);

        -- check: every songplay's start_time is in time
        -- expect: 0
        SELECT count(*) FROM analytics.songplays p
        WHERE NOT EXISTS (SELECT 1 FROM analytics.time t WHERE t.start_time = p.start_time);

        -- check: every songplay song_id is in songs
        -- expect: 0
        SELECT count(*) FROM analytics.songplays p
        WHERE p.song_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM analytics.songs s WHERE s.song_id = p.song_id);

        -- check: every songplay artist_id is in artists
        -- expect: 0
        SELECT count(*) FROM analytics.songplays p
        WHERE p.artist_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM analytics.artists a WHERE a.artist_id = p.artist_id);

        -- check: no NULL keys in the dimensions
        -- expect: 0
        SELECT (SELECT count(*) FROM analytics.users WHERE user_id IS NULL)
             + (SELECT count(*) FROM analytics.songs WHERE song_id IS NULL)
             + (SELECT count(*) FROM analytics.artists WHERE artist_id IS NULL)
             + (SELECT count(*) FROM analytics.time WHERE start_time IS NULL);

        -- check: top songs
        SELECT s.title, a.name AS artist, count(*) AS plays
        FROM analytics.songplays p
        JOIN analytics.songs s ON s.song_id = p.song_id
        JOIN analytics.artists a ON a.artist_id = p.artist_id
        GROUP BY s.title, a.name ORDER BY plays DESC, s.title LIMIT 5;

        -- check: top users
        SELECT u.user_id, u.first_name, u.last_name, count(*) AS plays
        FROM analytics.songplays p JOIN analytics.users u ON u.user_id = p.user_id
        GROUP BY u.user_id, u.first_name, u.last_name ORDER BY plays DESC, u.user_id LIMIT 5;

        -- check: busiest hours
        SELECT t.hour, count(*) AS plays
        FROM analytics.songplays p JOIN analytics.time t ON t.start_time = p.start_time
        GROUP BY t.hour ORDER BY plays DESC, t.hour LIMIT 5;

        -- check: paid vs free plays
        SELECT level, count(*) AS plays FROM analytics.songplays GROUP BY level ORDER BY level;
        """
}
