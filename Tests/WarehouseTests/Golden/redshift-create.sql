CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS analytics;
CREATE SCHEMA IF NOT EXISTS analytics_build;
DROP TABLE IF EXISTS staging.load_manifest;
DROP TABLE IF EXISTS staging.load_errors;
DROP TABLE IF EXISTS analytics.time;
DROP TABLE IF EXISTS analytics.artists;
DROP TABLE IF EXISTS analytics.songs;
DROP TABLE IF EXISTS analytics.users;
DROP TABLE IF EXISTS analytics.songplays;
DROP TABLE IF EXISTS staging.songs;
DROP TABLE IF EXISTS staging.events;
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
CREATE TABLE analytics.songplays (
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
CREATE TABLE analytics.users (
    user_id INTEGER NOT NULL,
    first_name VARCHAR(256),
    last_name VARCHAR(256),
    gender VARCHAR(8),
    level VARCHAR(16),
    PRIMARY KEY (user_id)
)
DISTSTYLE ALL SORTKEY (user_id);
CREATE TABLE analytics.songs (
    song_id VARCHAR(32) NOT NULL,
    title VARCHAR(1024),
    artist_id VARCHAR(32),
    year SMALLINT,
    duration DOUBLE PRECISION,
    PRIMARY KEY (song_id)
)
DISTSTYLE KEY DISTKEY (song_id) SORTKEY (song_id);
CREATE TABLE analytics.artists (
    artist_id VARCHAR(32) NOT NULL,
    name VARCHAR(1024),
    location VARCHAR(1024),
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    PRIMARY KEY (artist_id)
)
DISTSTYLE ALL SORTKEY (artist_id);
CREATE TABLE analytics.time (
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
