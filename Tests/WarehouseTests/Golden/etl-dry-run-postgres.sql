-- sparkify etl plan for PostgreSQL: drop, create, copy staging.events, copy staging.songs, insert songplays, insert users, insert songs, insert artists, insert time
-- Every session first runs:
SET search_path TO analytics, staging, public;
-- One load at a time: before the first step (waiting with SELECT pg_advisory_lock(23450707400016196); when another load has it)
SELECT pg_try_advisory_lock(23450707400016196);
-- and after the last:
SELECT pg_advisory_unlock(23450707400016196);

-- step: drop
BEGIN;
DROP SCHEMA IF EXISTS analytics_build CASCADE;
DROP TABLE IF EXISTS staging.load_manifest;
DROP TABLE IF EXISTS staging.load_errors;
DROP TABLE IF EXISTS staging.songs;
DROP TABLE IF EXISTS staging.events;
COMMIT;

-- step: create
BEGIN;
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS analytics;
CREATE SCHEMA IF NOT EXISTS analytics_build;
CREATE UNLOGGED TABLE staging.events (
    artist TEXT,
    auth TEXT,
    first_name TEXT,
    gender TEXT,
    item_in_session INTEGER,
    last_name TEXT,
    length DOUBLE PRECISION,
    level TEXT,
    location TEXT,
    method TEXT,
    page TEXT,
    registration DOUBLE PRECISION,
    session_id INTEGER,
    song TEXT,
    status SMALLINT,
    ts BIGINT,
    user_agent TEXT,
    user_id INTEGER,
    source_file INTEGER
);
CREATE UNLOGGED TABLE staging.songs (
    num_songs INTEGER,
    artist_id TEXT,
    artist_latitude DOUBLE PRECISION,
    artist_longitude DOUBLE PRECISION,
    artist_location TEXT,
    artist_name TEXT,
    song_id TEXT,
    title TEXT,
    duration DOUBLE PRECISION,
    year SMALLINT,
    source_file INTEGER
);
CREATE TABLE staging.load_errors (
    loaded_at TIMESTAMP NOT NULL,
    target_table TEXT NOT NULL,
    file TEXT NOT NULL,
    line BIGINT NOT NULL,
    reason TEXT NOT NULL,
    raw_record TEXT
);
CREATE TABLE staging.load_manifest (
    target_table TEXT NOT NULL,
    source TEXT NOT NULL,
    file TEXT NOT NULL,
    file_number INTEGER NOT NULL,
    bytes BIGINT NOT NULL,
    etag TEXT,
    modified_ns BIGINT,
    loaded_at TIMESTAMP NOT NULL,
    rows_loaded BIGINT,
    PRIMARY KEY (target_table, source, file)
);
CREATE TABLE analytics_build.songplays (
    songplay_id BIGINT GENERATED ALWAYS AS IDENTITY NOT NULL,
    start_time TIMESTAMP NOT NULL,
    user_id INTEGER,
    level TEXT,
    song_id TEXT,
    artist_id TEXT,
    session_id INTEGER NOT NULL,
    item_in_session INTEGER NOT NULL,
    location TEXT,
    user_agent TEXT,
    PRIMARY KEY (songplay_id),
    UNIQUE (session_id, item_in_session, start_time)
);
CREATE TABLE analytics_build.users (
    user_id INTEGER NOT NULL,
    first_name TEXT,
    last_name TEXT,
    gender TEXT,
    level TEXT,
    PRIMARY KEY (user_id)
);
CREATE TABLE analytics_build.songs (
    song_id TEXT NOT NULL,
    title TEXT,
    artist_id TEXT,
    year SMALLINT,
    duration DOUBLE PRECISION,
    PRIMARY KEY (song_id)
);
CREATE TABLE analytics_build.artists (
    artist_id TEXT NOT NULL,
    name TEXT,
    location TEXT,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    PRIMARY KEY (artist_id)
);
CREATE TABLE analytics_build.time (
    start_time TIMESTAMP NOT NULL,
    hour SMALLINT NOT NULL,
    day SMALLINT NOT NULL,
    week SMALLINT NOT NULL,
    month SMALLINT NOT NULL,
    year SMALLINT NOT NULL,
    weekday SMALLINT NOT NULL,
    PRIMARY KEY (start_time)
);
COMMIT;

-- step: copy staging.events
-- rows: no --source given; on the embedded warehouse, the demo dataset sparkify writes once into its data folder
BEGIN;
SELECT source, file, file_number, bytes, etag, modified_ns, rows_loaded
FROM staging.load_manifest WHERE target_table = $1;
-- the manifest's rows must all be in staging: a crash empties UNLOGGED tables
SELECT count(*) FROM staging.events;
-- only when staging lost rows the manifest lists: every file is loaded again
DELETE FROM staging.load_manifest WHERE target_table = $1;
TRUNCATE staging.events;
-- only when files changed since their last load (size, ETag or modification time): their old rows go
DELETE FROM staging.events WHERE source_file = ANY($1::integer[]);
DELETE FROM staging.load_errors WHERE target_table = $1 AND file = ANY($2::text[]);
DELETE FROM staging.load_manifest WHERE target_table = $1 AND file_number = ANY($2::integer[]);
-- fed by sparkify: each record of the new files, checked; bad ones set aside
COPY staging.events (artist, auth, first_name, gender, item_in_session, last_name, length, level, location, method, page, registration, session_id, song, status, ts, user_agent, user_id, source_file) FROM STDIN WITH (FORMAT binary);
-- only when records were rejected (up to the error limit)
COPY staging.load_errors (loaded_at, target_table, file, line, reason, raw_record) FROM STDIN;
-- one row for each file loaded
COPY staging.load_manifest (target_table, source, file, file_number, bytes, etag, modified_ns, loaded_at, rows_loaded) FROM STDIN;
-- when files were replaced (on Redshift, whose COPY replaces staging whole: always), the inserts that follow rebuild analytics aside
SELECT pg_advisory_xact_lock(23450707400016197);
CREATE SCHEMA IF NOT EXISTS analytics_build;
CREATE TABLE IF NOT EXISTS analytics_build.songplays (
    songplay_id BIGINT GENERATED ALWAYS AS IDENTITY NOT NULL,
    start_time TIMESTAMP NOT NULL,
    user_id INTEGER,
    level TEXT,
    song_id TEXT,
    artist_id TEXT,
    session_id INTEGER NOT NULL,
    item_in_session INTEGER NOT NULL,
    location TEXT,
    user_agent TEXT,
    PRIMARY KEY (songplay_id),
    UNIQUE (session_id, item_in_session, start_time)
);
CREATE TABLE IF NOT EXISTS analytics_build.users (
    user_id INTEGER NOT NULL,
    first_name TEXT,
    last_name TEXT,
    gender TEXT,
    level TEXT,
    PRIMARY KEY (user_id)
);
CREATE TABLE IF NOT EXISTS analytics_build.songs (
    song_id TEXT NOT NULL,
    title TEXT,
    artist_id TEXT,
    year SMALLINT,
    duration DOUBLE PRECISION,
    PRIMARY KEY (song_id)
);
CREATE TABLE IF NOT EXISTS analytics_build.artists (
    artist_id TEXT NOT NULL,
    name TEXT,
    location TEXT,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    PRIMARY KEY (artist_id)
);
CREATE TABLE IF NOT EXISTS analytics_build.time (
    start_time TIMESTAMP NOT NULL,
    hour SMALLINT NOT NULL,
    day SMALLINT NOT NULL,
    week SMALLINT NOT NULL,
    month SMALLINT NOT NULL,
    year SMALLINT NOT NULL,
    weekday SMALLINT NOT NULL,
    PRIMARY KEY (start_time)
);
COMMIT;

-- step: copy staging.songs
-- rows: no --source given; on the embedded warehouse, the demo dataset sparkify writes once into its data folder
BEGIN;
SELECT source, file, file_number, bytes, etag, modified_ns, rows_loaded
FROM staging.load_manifest WHERE target_table = $1;
-- the manifest's rows must all be in staging: a crash empties UNLOGGED tables
SELECT count(*) FROM staging.songs;
-- only when staging lost rows the manifest lists: every file is loaded again
DELETE FROM staging.load_manifest WHERE target_table = $1;
TRUNCATE staging.songs;
-- only when files changed since their last load (size, ETag or modification time): their old rows go
DELETE FROM staging.songs WHERE source_file = ANY($1::integer[]);
DELETE FROM staging.load_errors WHERE target_table = $1 AND file = ANY($2::text[]);
DELETE FROM staging.load_manifest WHERE target_table = $1 AND file_number = ANY($2::integer[]);
-- fed by sparkify: each record of the new files, checked; bad ones set aside
COPY staging.songs (num_songs, artist_id, artist_latitude, artist_longitude, artist_location, artist_name, song_id, title, duration, year, source_file) FROM STDIN WITH (FORMAT binary);
-- only when records were rejected (up to the error limit)
COPY staging.load_errors (loaded_at, target_table, file, line, reason, raw_record) FROM STDIN;
-- one row for each file loaded
COPY staging.load_manifest (target_table, source, file, file_number, bytes, etag, modified_ns, loaded_at, rows_loaded) FROM STDIN;
-- when files were replaced (on Redshift, whose COPY replaces staging whole: always), the inserts that follow rebuild analytics aside
SELECT pg_advisory_xact_lock(23450707400016197);
CREATE SCHEMA IF NOT EXISTS analytics_build;
CREATE TABLE IF NOT EXISTS analytics_build.songplays (
    songplay_id BIGINT GENERATED ALWAYS AS IDENTITY NOT NULL,
    start_time TIMESTAMP NOT NULL,
    user_id INTEGER,
    level TEXT,
    song_id TEXT,
    artist_id TEXT,
    session_id INTEGER NOT NULL,
    item_in_session INTEGER NOT NULL,
    location TEXT,
    user_agent TEXT,
    PRIMARY KEY (songplay_id),
    UNIQUE (session_id, item_in_session, start_time)
);
CREATE TABLE IF NOT EXISTS analytics_build.users (
    user_id INTEGER NOT NULL,
    first_name TEXT,
    last_name TEXT,
    gender TEXT,
    level TEXT,
    PRIMARY KEY (user_id)
);
CREATE TABLE IF NOT EXISTS analytics_build.songs (
    song_id TEXT NOT NULL,
    title TEXT,
    artist_id TEXT,
    year SMALLINT,
    duration DOUBLE PRECISION,
    PRIMARY KEY (song_id)
);
CREATE TABLE IF NOT EXISTS analytics_build.artists (
    artist_id TEXT NOT NULL,
    name TEXT,
    location TEXT,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    PRIMARY KEY (artist_id)
);
CREATE TABLE IF NOT EXISTS analytics_build.time (
    start_time TIMESTAMP NOT NULL,
    hour SMALLINT NOT NULL,
    day SMALLINT NOT NULL,
    week SMALLINT NOT NULL,
    month SMALLINT NOT NULL,
    year SMALLINT NOT NULL,
    weekday SMALLINT NOT NULL,
    PRIMARY KEY (start_time)
);
COMMIT;

-- step: insert songplays
BEGIN;
SET LOCAL work_mem = '256MB';
SET LOCAL maintenance_work_mem = '256MB';
-- a rebuild is under way when create made analytics_build and no insert has swapped it in yet
SELECT count(*) FROM pg_namespace WHERE nspname = 'analytics_build';
-- outside a rebuild (an incremental load): into the live tables
-- an empty table gets its keys after its rows: dropped first, built once after the insert
SELECT NOT EXISTS (SELECT 1 FROM analytics.songplays);
-- only when the table was empty
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
-- only when the table held rows: those already there are skipped
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
-- only when the table was empty
ALTER TABLE analytics.songplays ADD CONSTRAINT songplays_pkey PRIMARY KEY (songplay_id), ADD CONSTRAINT songplays_session_id_item_in_session_start_time_key UNIQUE (session_id, item_in_session, start_time);
-- during a rebuild: into analytics_build, aside
-- an empty table gets its keys after its rows: dropped first, built once after the insert
SELECT NOT EXISTS (SELECT 1 FROM analytics_build.songplays);
-- only when the table was empty
ALTER TABLE analytics_build.songplays DROP CONSTRAINT songplays_pkey, DROP CONSTRAINT songplays_session_id_item_in_session_start_time_key;
INSERT INTO analytics_build.songplays (start_time, user_id, level, song_id, artist_id, session_id, item_in_session, location, user_agent)
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
-- only when the table held rows: those already there are skipped
INSERT INTO analytics_build.songplays (start_time, user_id, level, song_id, artist_id, session_id, item_in_session, location, user_agent)
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
    SELECT 1 FROM analytics_build.songplays p
    WHERE p.session_id = candidates.session_id
      AND p.item_in_session = candidates.item_in_session
      AND p.start_time = candidates.start_time);
-- only when the table was empty
ALTER TABLE analytics_build.songplays ADD CONSTRAINT songplays_pkey PRIMARY KEY (songplay_id), ADD CONSTRAINT songplays_session_id_item_in_session_start_time_key UNIQUE (session_id, item_in_session, start_time);
COMMIT;

-- step: insert users
BEGIN;
SET LOCAL work_mem = '256MB';
SET LOCAL maintenance_work_mem = '256MB';
-- a rebuild is under way when create made analytics_build and no insert has swapped it in yet
SELECT count(*) FROM pg_namespace WHERE nspname = 'analytics_build';
-- outside a rebuild (an incremental load): into the live tables
-- an empty table gets its keys after its rows: dropped first, built once after the insert
SELECT NOT EXISTS (SELECT 1 FROM analytics.users);
-- only when the table was empty
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
-- only when the table held rows: those already there are skipped
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
-- only when the table was empty
ALTER TABLE analytics.users ADD CONSTRAINT users_pkey PRIMARY KEY (user_id);
-- during a rebuild: into analytics_build, aside
-- an empty table gets its keys after its rows: dropped first, built once after the insert
SELECT NOT EXISTS (SELECT 1 FROM analytics_build.users);
-- only when the table was empty
ALTER TABLE analytics_build.users DROP CONSTRAINT users_pkey;
INSERT INTO analytics_build.users (user_id, first_name, last_name, gender, level)
SELECT DISTINCT ON (e.user_id)
       e.user_id,
       NULLIF(e.first_name, '') AS first_name,
       NULLIF(e.last_name, '') AS last_name,
       NULLIF(e.gender, '') AS gender,
       NULLIF(e.level, '') AS level
FROM staging.events e
WHERE e.user_id IS NOT NULL
ORDER BY e.user_id, e.ts DESC NULLS LAST, e.item_in_session DESC NULLS LAST;
-- only when the table held rows: those already there are skipped
INSERT INTO analytics_build.users (user_id, first_name, last_name, gender, level)
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
    WHERE (analytics_build.users.first_name, analytics_build.users.last_name, analytics_build.users.gender, analytics_build.users.level) IS DISTINCT FROM (EXCLUDED.first_name, EXCLUDED.last_name, EXCLUDED.gender, EXCLUDED.level);
-- only when the table was empty
ALTER TABLE analytics_build.users ADD CONSTRAINT users_pkey PRIMARY KEY (user_id);
COMMIT;

-- step: insert songs
BEGIN;
SET LOCAL work_mem = '256MB';
SET LOCAL maintenance_work_mem = '256MB';
-- a rebuild is under way when create made analytics_build and no insert has swapped it in yet
SELECT count(*) FROM pg_namespace WHERE nspname = 'analytics_build';
-- outside a rebuild (an incremental load): into the live tables
-- an empty table gets its keys after its rows: dropped first, built once after the insert
SELECT NOT EXISTS (SELECT 1 FROM analytics.songs);
-- only when the table was empty
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
-- only when the table held rows: those already there are skipped
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
-- only when the table was empty
ALTER TABLE analytics.songs ADD CONSTRAINT songs_pkey PRIMARY KEY (song_id);
-- during a rebuild: into analytics_build, aside
-- an empty table gets its keys after its rows: dropped first, built once after the insert
SELECT NOT EXISTS (SELECT 1 FROM analytics_build.songs);
-- only when the table was empty
ALTER TABLE analytics_build.songs DROP CONSTRAINT songs_pkey;
INSERT INTO analytics_build.songs (song_id, title, artist_id, year, duration)
SELECT DISTINCT ON (s.song_id)
       s.song_id,
       NULLIF(s.title, '') AS title,
       NULLIF(s.artist_id, '') AS artist_id,
       NULLIF(s.year, 0) AS year,
       s.duration
FROM staging.songs s
WHERE s.song_id IS NOT NULL AND s.song_id <> ''
ORDER BY s.song_id, s.title, s.artist_id, s.duration;
-- only when the table held rows: those already there are skipped
INSERT INTO analytics_build.songs (song_id, title, artist_id, year, duration)
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
-- only when the table was empty
ALTER TABLE analytics_build.songs ADD CONSTRAINT songs_pkey PRIMARY KEY (song_id);
COMMIT;

-- step: insert artists
BEGIN;
SET LOCAL work_mem = '256MB';
SET LOCAL maintenance_work_mem = '256MB';
-- a rebuild is under way when create made analytics_build and no insert has swapped it in yet
SELECT count(*) FROM pg_namespace WHERE nspname = 'analytics_build';
-- outside a rebuild (an incremental load): into the live tables
-- an empty table gets its keys after its rows: dropped first, built once after the insert
SELECT NOT EXISTS (SELECT 1 FROM analytics.artists);
-- only when the table was empty
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
-- only when the table held rows: those already there are skipped
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
-- only when the table was empty
ALTER TABLE analytics.artists ADD CONSTRAINT artists_pkey PRIMARY KEY (artist_id);
-- during a rebuild: into analytics_build, aside
-- an empty table gets its keys after its rows: dropped first, built once after the insert
SELECT NOT EXISTS (SELECT 1 FROM analytics_build.artists);
-- only when the table was empty
ALTER TABLE analytics_build.artists DROP CONSTRAINT artists_pkey;
INSERT INTO analytics_build.artists (artist_id, name, location, latitude, longitude)
SELECT DISTINCT ON (s.artist_id)
       s.artist_id,
       NULLIF(s.artist_name, '') AS name,
       NULLIF(s.artist_location, '') AS location,
       s.artist_latitude AS latitude,
       s.artist_longitude AS longitude
FROM staging.songs s
WHERE s.artist_id IS NOT NULL AND s.artist_id <> ''
ORDER BY s.artist_id, s.song_id;
-- only when the table held rows: those already there are skipped
INSERT INTO analytics_build.artists (artist_id, name, location, latitude, longitude)
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
    WHERE (analytics_build.artists.name, analytics_build.artists.location, analytics_build.artists.latitude, analytics_build.artists.longitude) IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.location, EXCLUDED.latitude, EXCLUDED.longitude);
-- only when the table was empty
ALTER TABLE analytics_build.artists ADD CONSTRAINT artists_pkey PRIMARY KEY (artist_id);
COMMIT;

-- step: insert time
BEGIN;
SET LOCAL work_mem = '256MB';
SET LOCAL maintenance_work_mem = '256MB';
-- a rebuild is under way when create made analytics_build and no insert has swapped it in yet
SELECT count(*) FROM pg_namespace WHERE nspname = 'analytics_build';
-- outside a rebuild (an incremental load): into the live tables
-- an empty table gets its keys after its rows: dropped first, built once after the insert
SELECT NOT EXISTS (SELECT 1 FROM analytics.time);
-- only when the table was empty
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
-- only when the table held rows: those already there are skipped
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
-- only when the table was empty
ALTER TABLE analytics.time ADD CONSTRAINT time_pkey PRIMARY KEY (start_time);
-- during a rebuild: into analytics_build, aside
-- an empty table gets its keys after its rows: dropped first, built once after the insert
SELECT NOT EXISTS (SELECT 1 FROM analytics_build.time);
-- only when the table was empty
ALTER TABLE analytics_build.time DROP CONSTRAINT time_pkey;
INSERT INTO analytics_build.time (start_time, hour, day, week, month, year, weekday)
SELECT start_time,
       EXTRACT(hour FROM start_time),
       EXTRACT(day FROM start_time),
       EXTRACT(week FROM start_time),
       EXTRACT(month FROM start_time),
       EXTRACT(year FROM start_time),
       EXTRACT(dow FROM start_time)
FROM (SELECT DISTINCT p.start_time FROM analytics_build.songplays p) plays;
-- only when the table held rows: those already there are skipped
INSERT INTO analytics_build.time (start_time, hour, day, week, month, year, weekday)
SELECT start_time,
       EXTRACT(hour FROM start_time),
       EXTRACT(day FROM start_time),
       EXTRACT(week FROM start_time),
       EXTRACT(month FROM start_time),
       EXTRACT(year FROM start_time),
       EXTRACT(dow FROM start_time)
FROM (SELECT DISTINCT p.start_time FROM analytics_build.songplays p) plays
WHERE NOT EXISTS (SELECT 1 FROM analytics_build.time t WHERE t.start_time = plays.start_time);
-- only when the table was empty
ALTER TABLE analytics_build.time ADD CONSTRAINT time_pkey PRIMARY KEY (start_time);
-- before the swap: views on the analytics tables, or other objects in analytics, would be dropped with it: any stops the step
SELECT DISTINCT vn.nspname || '.' || v.relname || ' (a view on ' || t.relname || ')'
FROM pg_depend d
JOIN pg_rewrite r ON r.oid = d.objid
JOIN pg_class v ON v.oid = r.ev_class
JOIN pg_namespace vn ON vn.oid = v.relnamespace
JOIN pg_class t ON t.oid = d.refobjid
JOIN pg_namespace tn ON tn.oid = t.relnamespace
WHERE tn.nspname = 'analytics' AND v.oid <> t.oid
UNION
SELECT n.nspname || '.' || c.relname || ' (not one of the star''s tables)'
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'analytics' AND c.relkind IN ('r', 'v', 'm')
  AND c.relname NOT IN ('songplays', 'users', 'songs', 'artists', 'time')
ORDER BY 1;
-- before the swap: each grant on analytics and its tables, given again on the built ones
SELECT '', n.nspacl::text FROM pg_namespace n WHERE n.nspname = 'analytics'
UNION ALL
SELECT c.relname, c.relacl::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'analytics' AND c.relkind = 'r';
-- the rebuild's last step: the built tables replace the live ones, in this transaction
ALTER SCHEMA analytics RENAME TO analytics_previous;
ALTER SCHEMA analytics_build RENAME TO analytics;
DROP SCHEMA analytics_previous CASCADE;
COMMIT;
