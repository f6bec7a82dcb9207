import PostgresClient

/// What the Redshift rehearsal adds to its PostgreSQL database so the Redshift plan and
/// sparkify's Redshift reads find what a cluster has: the system views of loads, tables and
/// slices, filled by the emulated COPY, and `pg_last_copy_id()`. Each object follows the AWS
/// page named beside it (quotes in docs/redshift-facts.md). They live in `public`, which the
/// warehouse's search path ends with, as Redshift's own views are reachable without a schema.
enum RehearsalCatalog {
    /// Raised when an object changes, so an older rehearsal database is brought up to date.
    static let version = 3

    /// The statements that make (or remake) every object; run once per database and version.
    static var install: String {
        """
        CREATE TABLE IF NOT EXISTS public.rehearsal_catalog (version integer NOT NULL);
        CREATE SEQUENCE IF NOT EXISTS public.rehearsal_query_ids START 1000;
        -- One row per rejected value: STL_LOAD_ERRORS and SYS_LOAD_ERROR_DETAIL read it. Written
        -- from a session of its own, so the rows stay when the COPY's transaction rolls back, as
        -- a cluster's system tables do.
        CREATE TABLE IF NOT EXISTS public.rehearsal_load_errors (
            query_id bigint NOT NULL, session_id integer NOT NULL, user_id integer NOT NULL DEFAULT 100,
            start_time timestamp NOT NULL, table_id integer, table_name text, file_name text, line_number bigint,
            column_name text, column_type text, column_length text, position integer,
            raw_line text, raw_field_value text, error_code integer, error_message text);
        -- One row per COPY: SYS_LOAD_HISTORY reads it.
        CREATE TABLE IF NOT EXISTS public.rehearsal_load_history (
            query_id bigint PRIMARY KEY, session_id integer NOT NULL, user_id integer NOT NULL DEFAULT 100,
            database_name text, table_name text, status text NOT NULL, start_time timestamp NOT NULL,
            end_time timestamp, data_source text, file_format text, loaded_rows bigint, loaded_bytes bigint,
            source_file_count integer, source_file_bytes bigint, error_count integer);
        -- A table's Redshift layout, recorded when its CREATE TABLE is translated: PostgreSQL
        -- has no place for it, PG_TABLE_DEF and SVV_TABLE_INFO show it.
        CREATE TABLE IF NOT EXISTS public.rehearsal_table_layout (
            table_id oid PRIMARY KEY, diststyle text, distkey text, sortkey text[]);

        -- STL_LOAD_ERRORS (https://docs.aws.amazon.com/redshift/latest/dg/r_STL_LOAD_ERRORS.html):
        -- blank-padded character columns; multibyte characters of raw_line shown as periods.
        CREATE OR REPLACE VIEW public.stl_load_errors AS
        SELECT user_id AS userid, 0 AS slice, table_id AS tbl, start_time AS starttime, session_id AS session,
               query_id::integer AS query, file_name::char(256) AS filename, line_number,
               coalesce(column_name, '')::char(127) AS colname, coalesce(column_type, '')::char(10) AS type,
               coalesce(column_length, '')::char(10) AS col_length, coalesce(position, 0) AS position,
               left(regexp_replace(coalesce(raw_line, ''), '[^\\x01-\\x7F]', '.', 'g'), 1024)::char(1024) AS raw_line,
               left(coalesce(raw_field_value, ''), 1024)::char(1024) AS raw_field_value,
               error_code AS err_code, left(error_message, 100)::char(100) AS err_reason
        FROM public.rehearsal_load_errors;
        -- SYS_LOAD_ERROR_DETAIL (https://docs.aws.amazon.com/redshift/latest/dg/SYS_LOAD_ERROR_DETAIL.html).
        CREATE OR REPLACE VIEW public.sys_load_error_detail AS
        SELECT user_id, query_id, 0::bigint AS transaction_id, session_id, current_database()::char(64) AS database_name,
               table_id, start_time, file_name::char(256) AS file_name, line_number,
               coalesce(column_name, '')::char(127) AS column_name, coalesce(column_type, '')::char(10) AS column_type,
               coalesce(column_length, '')::char(10) AS column_length, coalesce(position, 0) AS position,
               error_code, left(error_message, 512)::char(512) AS error_message
        FROM public.rehearsal_load_errors;
        -- SYS_LOAD_HISTORY (https://docs.aws.amazon.com/redshift/latest/dg/SYS_LOAD_HISTORY.html):
        -- status running, completed or aborted; duration in microseconds.
        CREATE OR REPLACE VIEW public.sys_load_history AS
        SELECT user_id, query_id, 0::bigint AS transaction_id, session_id, database_name::char(64) AS database_name,
               status::char(30) AS status, table_name::char(136) AS table_name, start_time, end_time,
               (extract(epoch FROM (coalesce(end_time, now()::timestamp) - start_time)) * 1000000)::bigint AS duration,
               data_source::char(256) AS data_source, file_format::char(16) AS file_format, loaded_rows, loaded_bytes,
               source_file_count, source_file_bytes, source_file_count AS file_count_scanned,
               source_file_bytes AS file_bytes_scanned, error_count, NULL::bigint AS copy_job_id
        FROM public.rehearsal_load_history;
        -- STV_LOAD_STATE (https://docs.aws.amazon.com/redshift/latest/dg/r_STV_LOAD_STATE.html): "updates
        -- this table after every million records"; the rehearsal's COPY writes none, as a cluster
        -- loading fewer records would show none.
        CREATE TABLE IF NOT EXISTS public.stv_load_state (
            userid integer, session integer, query integer, slice integer, pid integer, recordtime timestamp,
            bytes_to_load bigint, bytes_loaded bigint, bytes_to_load_compressed bigint,
            bytes_loaded_compressed bigint, lines integer, num_files integer, num_files_complete integer,
            current_file char(256), pct_complete integer);
        -- STV_SLICES: one node with two slices.
        CREATE OR REPLACE VIEW public.stv_slices AS
        SELECT 0 AS node, slice, 'data'::char(10) AS type FROM generate_series(0, 1) AS slice;
        -- SVV_TABLE_INFO (https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_TABLE_INFO.html):
        -- tbl_rows "includes rows marked for deletion, but not yet vacuumed"; estimated_visible_rows
        -- does not; empty tables are left out. The rows a query sees, plus the dead tuples
        -- pgstattuple finds (deleted, not yet vacuumed): exact where a cluster's are estimates.
        -- A table locked by a load is skipped, as the view never waits on a cluster.
        CREATE EXTENSION IF NOT EXISTS pgstattuple;
        CREATE OR REPLACE FUNCTION public.rehearsal_table_rows()
        RETURNS TABLE (table_id oid, live bigint, dead bigint) LANGUAGE plpgsql SET lock_timeout = '200ms' AS $$
        DECLARE t record;
        BEGIN
          FOR t IN SELECT c.oid, n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                   WHERE c.relkind = 'r' AND n.nspname NOT IN ('public', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
          LOOP
            BEGIN
              table_id := t.oid;
              EXECUTE format('SELECT count(*) FROM %I.%I', t.nspname, t.relname) INTO live;
              SELECT dead_tuple_count INTO dead FROM pgstattuple(t.oid);
              RETURN NEXT;
            EXCEPTION WHEN lock_not_available THEN
              NULL;
            END;
          END LOOP;
        END $$;
        CREATE OR REPLACE VIEW public.svv_table_info AS
        SELECT current_database()::text AS database, n.nspname::text AS "schema", c.oid::integer AS table_id,
               c.relname::text AS "table",
               coalesce(CASE l.diststyle WHEN 'KEY' THEN 'KEY(' || l.distkey || ')' ELSE l.diststyle END, 'AUTO(EVEN)') AS diststyle,
               l.sortkey[1] AS sortkey1, (r.live + r.dead)::numeric(38, 0) AS tbl_rows,
               r.live::numeric(38, 0) AS estimated_visible_rows
        FROM public.rehearsal_table_rows() r JOIN pg_class c ON c.oid = r.table_id
        JOIN pg_namespace n ON n.oid = c.relnamespace LEFT JOIN public.rehearsal_table_layout l ON l.table_id = c.oid
        WHERE r.live + r.dead > 0;
        -- PG_TABLE_DEF (https://docs.aws.amazon.com/redshift/latest/dg/r_PG_TABLE_DEF.html): only the
        -- schemas on the search path.
        CREATE OR REPLACE VIEW public.pg_table_def AS
        SELECT n.nspname::name AS schemaname, c.relname::name AS tablename, a.attname::name AS "column",
               format_type(a.atttypid, a.atttypmod)::text AS type, 'none'::char(32) AS encoding,
               coalesce(l.distkey = a.attname, false) AS distkey,
               coalesce(array_position(l.sortkey, a.attname::text), 0) AS sortkey, a.attnotnull AS notnull
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
        LEFT JOIN public.rehearsal_table_layout l ON l.table_id = c.oid
        WHERE c.relkind = 'r' AND n.nspname = ANY (current_schemas(false)) AND n.nspname <> 'public';
        -- PG_LAST_COPY_ID (https://docs.aws.amazon.com/redshift/latest/dg/PG_LAST_COPY_ID.html): -1 when
        -- no COPY ran in the session; set in the COPY's transaction, so a rolled-back COPY leaves
        -- it as it was.
        CREATE OR REPLACE FUNCTION public.pg_last_copy_id() RETURNS integer LANGUAGE sql STABLE AS
        $$ SELECT coalesce(nullif(current_setting('rehearsal.last_copy_id', true), '')::integer, -1) $$;
        -- SHOW TABLE (https://docs.aws.amazon.com/redshift/latest/dg/r_SHOW_TABLE.html): the table's
        -- CREATE TABLE, identity, layout and all, as one value.
        CREATE OR REPLACE FUNCTION public.rehearsal_show_table(name text) RETURNS text LANGUAGE plpgsql STABLE AS $$
        DECLARE
          t oid := name::regclass;
          ddl text;
          l record;
        BEGIN
          SELECT 'CREATE TABLE ' || t::regclass::text || E' (\n' || string_agg(
                   '    ' || quote_ident(a.attname) || ' ' || format_type(a.atttypid, a.atttypmod)
                   || CASE WHEN a.attidentity <> '' THEN
                        ' IDENTITY(' || (SELECT s.seqstart || ',' || s.seqincrement FROM pg_sequence s
                                         WHERE s.seqrelid = pg_get_serial_sequence(t::regclass::text, a.attname)::regclass) || ')'
                      ELSE '' END
                   || CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END, E',\n' ORDER BY a.attnum) || E'\n)'
          INTO ddl FROM pg_attribute a WHERE a.attrelid = t AND a.attnum > 0 AND NOT a.attisdropped;
          SELECT * INTO l FROM public.rehearsal_table_layout WHERE table_id = t;
          IF FOUND THEN
            ddl := ddl || E'\nDISTSTYLE ' || l.diststyle || coalesce(' DISTKEY (' || l.distkey || ')', '')
                   || CASE WHEN cardinality(l.sortkey) > 0 THEN ' SORTKEY (' || array_to_string(l.sortkey, ', ') || ')' ELSE '' END;
          END IF;
          RETURN ddl || ';';
        END $$;
        DELETE FROM public.rehearsal_catalog;
        INSERT INTO public.rehearsal_catalog VALUES (\(version));
        """
    }

    /// Whether `connection`'s database has this version's objects.
    static func isCurrent(on connection: Connection) -> Bool {
        (try? connection.execute("SELECT version FROM public.rehearsal_catalog;").scalar) == String(version)
    }
}
