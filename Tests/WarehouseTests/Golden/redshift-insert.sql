-- insert analytics.songplays
INSERT INTO analytics.songplays (start_time, user_id, level, song_id, artist_id, session_id, item_in_session, location, user_agent)
SELECT start_time, user_id, level, song_id, artist_id, session_id, item_in_session, location, user_agent
FROM (
    SELECT start_time, user_id, level, song_id, artist_id, session_id, item_in_session, location, user_agent
    FROM (
        SELECT TIMESTAMP 'epoch' + e.ts / 1000.0 * INTERVAL '1 second' AS start_time,
               e.user_id,
               NULLIF(e.level, '') AS level,
               s.song_id,
               s.artist_id,
               e.session_id,
               e.item_in_session,
               NULLIF(e.location, '') AS location,
               NULLIF(e.user_agent, '') AS user_agent,
               ROW_NUMBER() OVER (PARTITION BY e.session_id, e.item_in_session, e.ts
                                  ORDER BY s.song_id) AS pick
        FROM staging.events e
        LEFT JOIN staging.songs s
               ON s.title = e.song
              AND s.artist_name = e.artist
              AND ABS(s.duration - e.length) <= 0.5
        WHERE e.page = 'NextSong'
          -- Staging filled by other means (a Redshift COPY) may hold plays without these,
          -- or a time no timestamp can hold: they cannot be songplays, and must not fail the step.
          AND e.ts BETWEEN -62135596800000 AND 253402300799999
          AND e.session_id IS NOT NULL AND e.item_in_session IS NOT NULL
    ) ranked
    WHERE pick = 1
) candidates
WHERE NOT EXISTS (
    SELECT 1 FROM analytics.songplays p
    WHERE p.session_id = candidates.session_id
      AND p.item_in_session = candidates.item_in_session
      AND p.start_time = candidates.start_time);

-- insert analytics.users
CREATE TEMP TABLE users_merge AS
SELECT user_id, first_name, last_name, gender, level
FROM (
    SELECT e.user_id,
           NULLIF(e.first_name, '') AS first_name,
           NULLIF(e.last_name, '') AS last_name,
           NULLIF(e.gender, '') AS gender,
           NULLIF(e.level, '') AS level,
           ROW_NUMBER() OVER (PARTITION BY e.user_id
                              ORDER BY e.ts DESC NULLS LAST, e.item_in_session DESC NULLS LAST) AS pick
    FROM staging.events e
    WHERE e.user_id IS NOT NULL
) ranked
WHERE pick = 1;
DELETE FROM analytics.users USING users_merge WHERE analytics.users.user_id = users_merge.user_id;
INSERT INTO analytics.users (user_id, first_name, last_name, gender, level) SELECT user_id, first_name, last_name, gender, level FROM users_merge;
DROP TABLE users_merge;

-- insert analytics.songs
CREATE TEMP TABLE songs_merge AS
SELECT song_id, title, artist_id, year, duration
FROM (
    SELECT s.song_id,
           NULLIF(s.title, '') AS title,
           NULLIF(s.artist_id, '') AS artist_id,
           NULLIF(s.year, 0) AS year,
           s.duration,
           ROW_NUMBER() OVER (PARTITION BY s.song_id
                              ORDER BY s.title, s.artist_id, s.duration) AS pick
    FROM staging.songs s
    WHERE s.song_id IS NOT NULL AND s.song_id <> ''
) ranked
WHERE pick = 1;
INSERT INTO analytics.songs (song_id, title, artist_id, year, duration) SELECT song_id, title, artist_id, year, duration FROM songs_merge
WHERE NOT EXISTS (SELECT 1 FROM analytics.songs WHERE analytics.songs.song_id = songs_merge.song_id);
DROP TABLE songs_merge;

-- insert analytics.artists
CREATE TEMP TABLE artists_merge AS
SELECT artist_id, name, location, latitude, longitude
FROM (
    SELECT s.artist_id,
           NULLIF(s.artist_name, '') AS name,
           NULLIF(s.artist_location, '') AS location,
           s.artist_latitude AS latitude,
           s.artist_longitude AS longitude,
           ROW_NUMBER() OVER (PARTITION BY s.artist_id
                              ORDER BY s.song_id) AS pick
    FROM staging.songs s
    WHERE s.artist_id IS NOT NULL AND s.artist_id <> ''
) ranked
WHERE pick = 1;
DELETE FROM analytics.artists USING artists_merge WHERE analytics.artists.artist_id = artists_merge.artist_id;
INSERT INTO analytics.artists (artist_id, name, location, latitude, longitude) SELECT artist_id, name, location, latitude, longitude FROM artists_merge;
DROP TABLE artists_merge;

-- insert analytics.time
INSERT INTO analytics.time (start_time, hour, day, week, month, year, weekday)
SELECT start_time,
       EXTRACT(hour FROM start_time),
       EXTRACT(day FROM start_time),
       EXTRACT(week FROM start_time),
       EXTRACT(month FROM start_time),
       EXTRACT(year FROM start_time),
       EXTRACT(dow FROM start_time)
FROM (SELECT DISTINCT p.start_time FROM analytics.songplays p) plays
WHERE NOT EXISTS (SELECT 1 FROM analytics.time t WHERE t.start_time = plays.start_time);
