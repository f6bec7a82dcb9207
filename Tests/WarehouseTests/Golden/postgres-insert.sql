-- insert analytics.songplays
SELECT NOT EXISTS (SELECT 1 FROM analytics.songplays);
ALTER TABLE analytics.songplays DROP CONSTRAINT songplays_pkey, DROP CONSTRAINT songplays_session_id_item_in_session_start_time_key;
INSERT INTO analytics.songplays (start_time, user_id, level, song_id, artist_id, session_id, item_in_session, location, user_agent)
SELECT start_time, user_id, level, song_id, artist_id, session_id, item_in_session, location, user_agent
FROM (
    SELECT DISTINCT ON (e.session_id, e.item_in_session, e.ts)
           TIMESTAMP 'epoch' + e.ts * INTERVAL '1 millisecond' AS start_time,
           e.user_id,
           NULLIF(e.level, '') AS level,
           s.song_id,
           s.artist_id,
           e.session_id,
           e.item_in_session,
           NULLIF(e.location, '') AS location,
           NULLIF(e.user_agent, '') AS user_agent
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
    ORDER BY e.session_id, e.item_in_session, e.ts, s.song_id
) candidates;
INSERT INTO analytics.songplays (start_time, user_id, level, song_id, artist_id, session_id, item_in_session, location, user_agent)
SELECT start_time, user_id, level, song_id, artist_id, session_id, item_in_session, location, user_agent
FROM (
    SELECT DISTINCT ON (e.session_id, e.item_in_session, e.ts)
           TIMESTAMP 'epoch' + e.ts * INTERVAL '1 millisecond' AS start_time,
           e.user_id,
           NULLIF(e.level, '') AS level,
           s.song_id,
           s.artist_id,
           e.session_id,
           e.item_in_session,
           NULLIF(e.location, '') AS location,
           NULLIF(e.user_agent, '') AS user_agent
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
    ORDER BY e.session_id, e.item_in_session, e.ts, s.song_id
) candidates
WHERE NOT EXISTS (
    SELECT 1 FROM analytics.songplays p
    WHERE p.session_id = candidates.session_id
      AND p.item_in_session = candidates.item_in_session
      AND p.start_time = candidates.start_time);
ALTER TABLE analytics.songplays ADD CONSTRAINT songplays_pkey PRIMARY KEY (songplay_id), ADD CONSTRAINT songplays_session_id_item_in_session_start_time_key UNIQUE (session_id, item_in_session, start_time);

-- insert analytics.users
SELECT NOT EXISTS (SELECT 1 FROM analytics.users);
ALTER TABLE analytics.users DROP CONSTRAINT users_pkey;
INSERT INTO analytics.users (user_id, first_name, last_name, gender, level)
SELECT DISTINCT ON (e.user_id)
       e.user_id,
       NULLIF(e.first_name, '') AS first_name,
       NULLIF(e.last_name, '') AS last_name,
       NULLIF(e.gender, '') AS gender,
       NULLIF(e.level, '') AS level
FROM staging.events e
WHERE e.user_id IS NOT NULL
ORDER BY e.user_id, e.ts DESC NULLS LAST, e.item_in_session DESC NULLS LAST;
INSERT INTO analytics.users (user_id, first_name, last_name, gender, level)
SELECT DISTINCT ON (e.user_id)
       e.user_id,
       NULLIF(e.first_name, '') AS first_name,
       NULLIF(e.last_name, '') AS last_name,
       NULLIF(e.gender, '') AS gender,
       NULLIF(e.level, '') AS level
FROM staging.events e
WHERE e.user_id IS NOT NULL
ORDER BY e.user_id, e.ts DESC NULLS LAST, e.item_in_session DESC NULLS LAST
ON CONFLICT (user_id) DO UPDATE SET first_name = EXCLUDED.first_name, last_name = EXCLUDED.last_name, gender = EXCLUDED.gender, level = EXCLUDED.level
    WHERE (analytics.users.first_name, analytics.users.last_name, analytics.users.gender, analytics.users.level) IS DISTINCT FROM (EXCLUDED.first_name, EXCLUDED.last_name, EXCLUDED.gender, EXCLUDED.level);
ALTER TABLE analytics.users ADD CONSTRAINT users_pkey PRIMARY KEY (user_id);

-- insert analytics.songs
SELECT NOT EXISTS (SELECT 1 FROM analytics.songs);
ALTER TABLE analytics.songs DROP CONSTRAINT songs_pkey;
INSERT INTO analytics.songs (song_id, title, artist_id, year, duration)
SELECT DISTINCT ON (s.song_id)
       s.song_id,
       NULLIF(s.title, '') AS title,
       NULLIF(s.artist_id, '') AS artist_id,
       NULLIF(s.year, 0) AS year,
       s.duration
FROM staging.songs s
WHERE s.song_id IS NOT NULL AND s.song_id <> ''
ORDER BY s.song_id, s.title, s.artist_id, s.duration;
INSERT INTO analytics.songs (song_id, title, artist_id, year, duration)
SELECT DISTINCT ON (s.song_id)
       s.song_id,
       NULLIF(s.title, '') AS title,
       NULLIF(s.artist_id, '') AS artist_id,
       NULLIF(s.year, 0) AS year,
       s.duration
FROM staging.songs s
WHERE s.song_id IS NOT NULL AND s.song_id <> ''
ORDER BY s.song_id, s.title, s.artist_id, s.duration
ON CONFLICT (song_id) DO NOTHING;
ALTER TABLE analytics.songs ADD CONSTRAINT songs_pkey PRIMARY KEY (song_id);

-- insert analytics.artists
SELECT NOT EXISTS (SELECT 1 FROM analytics.artists);
ALTER TABLE analytics.artists DROP CONSTRAINT artists_pkey;
INSERT INTO analytics.artists (artist_id, name, location, latitude, longitude)
SELECT DISTINCT ON (s.artist_id)
       s.artist_id,
       NULLIF(s.artist_name, '') AS name,
       NULLIF(s.artist_location, '') AS location,
       s.artist_latitude AS latitude,
       s.artist_longitude AS longitude
FROM staging.songs s
WHERE s.artist_id IS NOT NULL AND s.artist_id <> ''
ORDER BY s.artist_id, s.song_id;
INSERT INTO analytics.artists (artist_id, name, location, latitude, longitude)
SELECT DISTINCT ON (s.artist_id)
       s.artist_id,
       NULLIF(s.artist_name, '') AS name,
       NULLIF(s.artist_location, '') AS location,
       s.artist_latitude AS latitude,
       s.artist_longitude AS longitude
FROM staging.songs s
WHERE s.artist_id IS NOT NULL AND s.artist_id <> ''
ORDER BY s.artist_id, s.song_id
ON CONFLICT (artist_id) DO UPDATE SET name = EXCLUDED.name, location = EXCLUDED.location, latitude = EXCLUDED.latitude, longitude = EXCLUDED.longitude
    WHERE (analytics.artists.name, analytics.artists.location, analytics.artists.latitude, analytics.artists.longitude) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.location, EXCLUDED.latitude, EXCLUDED.longitude);
ALTER TABLE analytics.artists ADD CONSTRAINT artists_pkey PRIMARY KEY (artist_id);

-- insert analytics.time
SELECT NOT EXISTS (SELECT 1 FROM analytics.time);
ALTER TABLE analytics.time DROP CONSTRAINT time_pkey;
INSERT INTO analytics.time (start_time, hour, day, week, month, year, weekday)
SELECT start_time,
       EXTRACT(hour FROM start_time),
       EXTRACT(day FROM start_time),
       EXTRACT(week FROM start_time),
       EXTRACT(month FROM start_time),
       EXTRACT(year FROM start_time),
       EXTRACT(dow FROM start_time)
FROM (SELECT DISTINCT p.start_time FROM analytics.songplays p) plays;
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
ALTER TABLE analytics.time ADD CONSTRAINT time_pkey PRIMARY KEY (start_time);
