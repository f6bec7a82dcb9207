-- sparkify etl plan for Redshift: drop, create, copy staging.events, copy staging.songs, insert songplays, insert users, insert songs, insert artists, insert time
-- Every session first runs:
SET search_path TO analytics, staging, public;

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
CREATE TABLE staging.events (
    artist VARCHAR(1024),
    auth VARCHAR(32),
    first_name VARCHAR(256),
    gender VARCHAR(8),
    item_in_session INTEGER,
    last_name VARCHAR(256),
    length DOUBLE PRECISION,
    level VARCHAR(16),
    location VARCHAR(1024),
    method VARCHAR(16),
    page VARCHAR(64),
    registration DOUBLE PRECISION,
    session_id INTEGER,
    song VARCHAR(1024),
    status SMALLINT,
    ts BIGINT,
    user_agent VARCHAR(1024),
    user_id INTEGER,
    source_file INTEGER
)
DISTSTYLE EVEN;
CREATE TABLE staging.songs (
    num_songs INTEGER,
    artist_id VARCHAR(32),
    artist_latitude DOUBLE PRECISION,
    artist_longitude DOUBLE PRECISION,
    artist_location VARCHAR(1024),
    artist_name VARCHAR(1024),
    song_id VARCHAR(32),
    title VARCHAR(1024),
    duration DOUBLE PRECISION,
    year SMALLINT,
    source_file INTEGER
)
DISTSTYLE EVEN;
CREATE TABLE staging.load_errors (
    loaded_at TIMESTAMP NOT NULL,
    target_table VARCHAR(128) NOT NULL,
    file VARCHAR(1024) NOT NULL,
    line BIGINT NOT NULL,
    reason VARCHAR(1024) NOT NULL,
    raw_record VARCHAR(1024)
)
DISTSTYLE EVEN;
CREATE TABLE staging.load_manifest (
    target_table VARCHAR(128) NOT NULL,
    source VARCHAR(1024) NOT NULL,
    file VARCHAR(1024) NOT NULL,
    file_number INTEGER NOT NULL,
    bytes BIGINT NOT NULL,
    etag VARCHAR(128),
    modified_ns BIGINT,
    loaded_at TIMESTAMP NOT NULL,
    rows_loaded BIGINT,
    PRIMARY KEY (target_table, source, file)
)
DISTSTYLE EVEN;
CREATE TABLE analytics_build.songplays (
    songplay_id BIGINT IDENTITY(0, 1) NOT NULL,
    start_time TIMESTAMP NOT NULL,
    user_id INTEGER,
    level VARCHAR(16),
    song_id VARCHAR(32),
    artist_id VARCHAR(32),
    session_id INTEGER NOT NULL,
    item_in_session INTEGER NOT NULL,
    location VARCHAR(1024),
    user_agent VARCHAR(1024),
    PRIMARY KEY (songplay_id),
    UNIQUE (session_id, item_in_session, start_time)
)
DISTSTYLE KEY DISTKEY (start_time) SORTKEY (start_time);
CREATE TABLE analytics_build.users (
    user_id INTEGER NOT NULL,
    first_name VARCHAR(256),
    last_name VARCHAR(256),
    gender VARCHAR(8),
    level VARCHAR(16),
    PRIMARY KEY (user_id)
)
DISTSTYLE ALL SORTKEY (user_id);
CREATE TABLE analytics_build.songs (
    song_id VARCHAR(32) NOT NULL,
    title VARCHAR(1024),
    artist_id VARCHAR(32),
    year SMALLINT,
    duration DOUBLE PRECISION,
    PRIMARY KEY (song_id)
)
DISTSTYLE KEY DISTKEY (song_id) SORTKEY (song_id);
CREATE TABLE analytics_build.artists (
    artist_id VARCHAR(32) NOT NULL,
    name VARCHAR(1024),
    location VARCHAR(1024),
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    PRIMARY KEY (artist_id)
)
DISTSTYLE ALL SORTKEY (artist_id);
CREATE TABLE analytics_build.time (
    start_time TIMESTAMP NOT NULL,
    hour SMALLINT NOT NULL,
    day SMALLINT NOT NULL,
    week SMALLINT NOT NULL,
    month SMALLINT NOT NULL,
    year SMALLINT NOT NULL,
    weekday SMALLINT NOT NULL,
    PRIMARY KEY (start_time)
)
DISTSTYLE KEY DISTKEY (start_time) SORTKEY (start_time);
COMMIT;

-- step: copy staging.events
-- progress: a second session reads stv_load_state while the COPY runs
-- rejects: stl_load_errors rows of pg_last_copy_id() are kept in staging.load_errors (up to MAXERROR)
BEGIN;
DELETE FROM staging.events;
COPY staging.events (artist, auth, first_name, gender, item_in_session, last_name, length, level, location, method, page, registration, session_id, song, status, ts, user_agent, user_id)
FROM 's3://udacity-dend/log_data'
IAM_ROLE 'arn:aws:iam::123456789012:role/dwhRole'
REGION 'us-west-2'
FORMAT AS JSON 's3://udacity-dend/log_json_path.json'
TIMEFORMAT AS 'epochmillisecs'
BLANKSASNULL EMPTYASNULL TRUNCATECOLUMNS
COMPUPDATE OFF STATUPDATE OFF
MAXERROR 5;
-- on a session of its own, $1 = pg_last_copy_id() after the COPY, every page; STL_LOAD_ERRORS gives the raw lines where a cluster has it, and where SYS is missing; a failed read is said, never fails the step
SELECT TRIM(file_name), line_number, TRIM(column_name), error_code, TRIM(error_message)
FROM sys_load_error_detail WHERE query_id = $1
ORDER BY file_name, line_number, column_name LIMIT 1000 OFFSET $2;
-- only when the COPY rejected records
INSERT INTO staging.load_errors (loaded_at, target_table, file, line, reason, raw_record) VALUES (…);
-- when files were replaced (on Redshift, whose COPY replaces staging whole: always), the inserts that follow rebuild analytics aside
CREATE SCHEMA IF NOT EXISTS analytics_build;
CREATE TABLE IF NOT EXISTS analytics_build.songplays (
    songplay_id BIGINT IDENTITY(0, 1) NOT NULL,
    start_time TIMESTAMP NOT NULL,
    user_id INTEGER,
    level VARCHAR(16),
    song_id VARCHAR(32),
    artist_id VARCHAR(32),
    session_id INTEGER NOT NULL,
    item_in_session INTEGER NOT NULL,
    location VARCHAR(1024),
    user_agent VARCHAR(1024),
    PRIMARY KEY (songplay_id),
    UNIQUE (session_id, item_in_session, start_time)
)
DISTSTYLE KEY DISTKEY (start_time) SORTKEY (start_time);
CREATE TABLE IF NOT EXISTS analytics_build.users (
    user_id INTEGER NOT NULL,
    first_name VARCHAR(256),
    last_name VARCHAR(256),
    gender VARCHAR(8),
    level VARCHAR(16),
    PRIMARY KEY (user_id)
)
DISTSTYLE ALL SORTKEY (user_id);
CREATE TABLE IF NOT EXISTS analytics_build.songs (
    song_id VARCHAR(32) NOT NULL,
    title VARCHAR(1024),
    artist_id VARCHAR(32),
    year SMALLINT,
    duration DOUBLE PRECISION,
    PRIMARY KEY (song_id)
)
DISTSTYLE KEY DISTKEY (song_id) SORTKEY (song_id);
CREATE TABLE IF NOT EXISTS analytics_build.artists (
    artist_id VARCHAR(32) NOT NULL,
    name VARCHAR(1024),
    location VARCHAR(1024),
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    PRIMARY KEY (artist_id)
)
DISTSTYLE ALL SORTKEY (artist_id);
CREATE TABLE IF NOT EXISTS analytics_build.time (
    start_time TIMESTAMP NOT NULL,
    hour SMALLINT NOT NULL,
    day SMALLINT NOT NULL,
    week SMALLINT NOT NULL,
    month SMALLINT NOT NULL,
    year SMALLINT NOT NULL,
    weekday SMALLINT NOT NULL,
    PRIMARY KEY (start_time)
)
DISTSTYLE KEY DISTKEY (start_time) SORTKEY (start_time);
COMMIT;

-- step: copy staging.songs
-- progress: a second session reads stv_load_state while the COPY runs
-- rejects: stl_load_errors rows of pg_last_copy_id() are kept in staging.load_errors (up to MAXERROR)
BEGIN;
DELETE FROM staging.songs;
COPY staging.songs (num_songs, artist_id, artist_latitude, artist_longitude, artist_location, artist_name, song_id, title, duration, year)
FROM 's3://udacity-dend/song_data'
IAM_ROLE 'arn:aws:iam::123456789012:role/dwhRole'
REGION 'us-west-2'
FORMAT AS JSON 'auto'
TIMEFORMAT AS 'epochmillisecs'
BLANKSASNULL EMPTYASNULL TRUNCATECOLUMNS
COMPUPDATE OFF STATUPDATE OFF
MAXERROR 5;
-- on a session of its own, $1 = pg_last_copy_id() after the COPY, every page; STL_LOAD_ERRORS gives the raw lines where a cluster has it, and where SYS is missing; a failed read is said, never fails the step
SELECT TRIM(file_name), line_number, TRIM(column_name), error_code, TRIM(error_message)
FROM sys_load_error_detail WHERE query_id = $1
ORDER BY file_name, line_number, column_name LIMIT 1000 OFFSET $2;
-- only when the COPY rejected records
INSERT INTO staging.load_errors (loaded_at, target_table, file, line, reason, raw_record) VALUES (…);
-- when files were replaced (on Redshift, whose COPY replaces staging whole: always), the inserts that follow rebuild analytics aside
CREATE SCHEMA IF NOT EXISTS analytics_build;
CREATE TABLE IF NOT EXISTS analytics_build.songplays (
    songplay_id BIGINT IDENTITY(0, 1) NOT NULL,
    start_time TIMESTAMP NOT NULL,
    user_id INTEGER,
    level VARCHAR(16),
    song_id VARCHAR(32),
    artist_id VARCHAR(32),
    session_id INTEGER NOT NULL,
    item_in_session INTEGER NOT NULL,
    location VARCHAR(1024),
    user_agent VARCHAR(1024),
    PRIMARY KEY (songplay_id),
    UNIQUE (session_id, item_in_session, start_time)
)
DISTSTYLE KEY DISTKEY (start_time) SORTKEY (start_time);
CREATE TABLE IF NOT EXISTS analytics_build.users (
    user_id INTEGER NOT NULL,
    first_name VARCHAR(256),
    last_name VARCHAR(256),
    gender VARCHAR(8),
    level VARCHAR(16),
    PRIMARY KEY (user_id)
)
DISTSTYLE ALL SORTKEY (user_id);
CREATE TABLE IF NOT EXISTS analytics_build.songs (
    song_id VARCHAR(32) NOT NULL,
    title VARCHAR(1024),
    artist_id VARCHAR(32),
    year SMALLINT,
    duration DOUBLE PRECISION,
    PRIMARY KEY (song_id)
)
DISTSTYLE KEY DISTKEY (song_id) SORTKEY (song_id);
CREATE TABLE IF NOT EXISTS analytics_build.artists (
    artist_id VARCHAR(32) NOT NULL,
    name VARCHAR(1024),
    location VARCHAR(1024),
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    PRIMARY KEY (artist_id)
)
DISTSTYLE ALL SORTKEY (artist_id);
CREATE TABLE IF NOT EXISTS analytics_build.time (
    start_time TIMESTAMP NOT NULL,
    hour SMALLINT NOT NULL,
    day SMALLINT NOT NULL,
    week SMALLINT NOT NULL,
    month SMALLINT NOT NULL,
    year SMALLINT NOT NULL,
    weekday SMALLINT NOT NULL,
    PRIMARY KEY (start_time)
)
DISTSTYLE KEY DISTKEY (start_time) SORTKEY (start_time);
COMMIT;

-- step: insert songplays
BEGIN;
-- a rebuild is under way when create made analytics_build and no insert has swapped it in yet
SELECT count(*) FROM pg_namespace WHERE nspname = 'analytics_build';
-- outside a rebuild (an incremental load): into the live tables
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
-- during a rebuild: into analytics_build, aside
INSERT INTO analytics_build.songplays (start_time, user_id, level, song_id, artist_id, session_id, item_in_session, location, user_agent)
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
    SELECT 1 FROM analytics_build.songplays p
    WHERE p.session_id = candidates.session_id
      AND p.item_in_session = candidates.item_in_session
      AND p.start_time = candidates.start_time);
COMMIT;

-- step: insert users
BEGIN;
-- a rebuild is under way when create made analytics_build and no insert has swapped it in yet
SELECT count(*) FROM pg_namespace WHERE nspname = 'analytics_build';
-- outside a rebuild (an incremental load): into the live tables
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
-- during a rebuild: into analytics_build, aside
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
DELETE FROM analytics_build.users USING users_merge WHERE analytics_build.users.user_id = users_merge.user_id;
INSERT INTO analytics_build.users (user_id, first_name, last_name, gender, level) SELECT user_id, first_name, last_name, gender, level FROM users_merge;
DROP TABLE users_merge;
COMMIT;

-- step: insert songs
BEGIN;
-- a rebuild is under way when create made analytics_build and no insert has swapped it in yet
SELECT count(*) FROM pg_namespace WHERE nspname = 'analytics_build';
-- outside a rebuild (an incremental load): into the live tables
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
-- during a rebuild: into analytics_build, aside
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
INSERT INTO analytics_build.songs (song_id, title, artist_id, year, duration) SELECT song_id, title, artist_id, year, duration FROM songs_merge
WHERE NOT EXISTS (SELECT 1 FROM analytics_build.songs WHERE analytics_build.songs.song_id = songs_merge.song_id);
DROP TABLE songs_merge;
COMMIT;

-- step: insert artists
BEGIN;
-- a rebuild is under way when create made analytics_build and no insert has swapped it in yet
SELECT count(*) FROM pg_namespace WHERE nspname = 'analytics_build';
-- outside a rebuild (an incremental load): into the live tables
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
-- during a rebuild: into analytics_build, aside
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
DELETE FROM analytics_build.artists USING artists_merge WHERE analytics_build.artists.artist_id = artists_merge.artist_id;
INSERT INTO analytics_build.artists (artist_id, name, location, latitude, longitude) SELECT artist_id, name, location, latitude, longitude FROM artists_merge;
DROP TABLE artists_merge;
COMMIT;

-- step: insert time
BEGIN;
-- a rebuild is under way when create made analytics_build and no insert has swapped it in yet
SELECT count(*) FROM pg_namespace WHERE nspname = 'analytics_build';
-- outside a rebuild (an incremental load): into the live tables
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
-- during a rebuild: into analytics_build, aside
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
