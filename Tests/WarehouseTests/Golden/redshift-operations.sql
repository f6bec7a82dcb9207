-- statement: search path
SET search_path TO analytics, staging, public;

-- statement: copy staging.events 1
DELETE FROM staging.events;

-- statement: copy staging.events 2
COPY staging.events (artist, auth, first_name, gender, item_in_session, last_name, length, level, location, method, page, registration, session_id, song, status, ts, user_agent, user_id)
FROM 's3://udacity-dend/log_data'
IAM_ROLE 'arn:aws:iam::123456789012:role/dwhRole'
REGION 'us-west-2'
FORMAT AS JSON 's3://udacity-dend/log_json_path.json'
TIMEFORMAT AS 'epochmillisecs'
BLANKSASNULL EMPTYASNULL TRUNCATECOLUMNS
COMPUPDATE OFF STATUPDATE OFF
MAXERROR 10;

-- statement: copy staging.songs 1
DELETE FROM staging.songs;

-- statement: copy staging.songs 2
COPY staging.songs (num_songs, artist_id, artist_latitude, artist_longitude, artist_location, artist_name, song_id, title, duration, year)
FROM 's3://udacity-dend/song_data'
IAM_ROLE 'arn:aws:iam::123456789012:role/dwhRole'
REGION 'us-west-2'
FORMAT AS JSON 'auto'
TIMEFORMAT AS 'epochmillisecs'
BLANKSASNULL EMPTYASNULL TRUNCATECOLUMNS
COMPUPDATE OFF STATUPDATE OFF
MAXERROR 10;

-- statement: row counts
SELECT "schema" || '.' || "table", estimated_visible_rows FROM svv_table_info
WHERE "schema" IN ('staging', 'analytics');

-- statement: cluster shape
SELECT COUNT(DISTINCT node), COUNT(*) FROM stv_slices;

-- statement: copy progress
SELECT SUM(bytes_loaded), SUM(bytes_to_load), SUM(lines), SUM(num_files), SUM(num_files_complete),
       MAX(TRIM(current_file))
FROM stv_load_state WHERE session = 12345;

-- statement: load errors
SELECT TRIM(file_name), line_number, TRIM(column_name), error_code, TRIM(error_message)
FROM sys_load_error_detail WHERE query_id = $1
ORDER BY file_name, line_number, column_name LIMIT 1000 OFFSET $2;

-- statement: load errors from stl
SELECT TRIM(filename), line_number, TRIM(colname), err_code, TRIM(err_reason), TRIM(raw_field_value), TRIM(raw_line)
FROM stl_load_errors WHERE query = $1
ORDER BY filename, line_number, colname LIMIT 1000 OFFSET $2;

-- statement: last copy
SELECT pg_last_copy_id();

-- statement: failed copy
SELECT MAX(query_id) FROM sys_load_history WHERE session_id = pg_backend_pid() AND query_id > $1;

-- statement: failed copy from stl
SELECT MAX(query) FROM stl_load_errors WHERE session = pg_backend_pid() AND query > $1;

-- statement: load errors kept
INSERT INTO staging.load_errors (loaded_at, target_table, file, line, reason, raw_record) VALUES
('2026-11-21 10:00:00', 'staging.events', 's3://udacity-dend/log_data/2018/11/2018-11-30-events.json', 12, 'column user_id: Invalid digit, Value ''x'', Pos 0, Type: Integer (value ''x'')', '{"artist":"Beyonc\\u00e9","userId":"x","song":"Halo''s"}'),
('2026-11-21 10:00:00', 'staging.events', 's3://udacity-dend/song_data/A/A/A/TRAAAAK128F9318786.json', 1, 'String length exceeds DDL length', '{}');
