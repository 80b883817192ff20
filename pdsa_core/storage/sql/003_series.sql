-- pdsa workspace on PostgreSQL, schema version 3: the values of each series kept together for reading.
--
-- Opening a workspace reads every value the login may see: 180,000 rows on a national
-- workspace, most of the time spent on rows, not on data. pdsa.series holds, per series
-- (team|indicator), its values as one JSON object text ({"team|code|month": record, ...}, the
-- records exactly as stored, ids in order), so opening reads 1,500 rows instead.
--
-- The database keeps it: statement triggers on pdsa.documents rebuild the series a statement
-- touched, in the same transaction, so a reader's snapshot always sees both agree. Nobody
-- writes it directly (logins may only read it); row-level security shows a login the series of
-- the teams it may read, as for pdsa.documents. Two transactions changing values of one series
-- rebuild it one after the other, the second from the first's committed values: writers are
-- serialised by the revision counter from their first write to their commit, and a rebuild
-- also takes a lock per series first, so this holds even without that.
--
-- Safe to run again: every statement replaces or checks before it creates.

-- The series of a value's id ("team|code|month" -> "team|code").
CREATE OR REPLACE FUNCTION pdsa.series_of(id text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT left(id, length(id) - strpos(reverse(id), '|'))
$$;

CREATE TABLE IF NOT EXISTS pdsa.series (
    id text PRIMARY KEY,
    team_id text NOT NULL,
    n integer NOT NULL,
    docs text NOT NULL
);

CREATE INDEX IF NOT EXISTS documents_series ON pdsa.documents (pdsa.series_of(id))
    WHERE tbl = 'measurements';

-- Rebuild the given series from pdsa.documents (with the owner's rights: every value counts).
CREATE OR REPLACE FUNCTION pdsa.series_refresh(ids text[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pdsa AS $$
DECLARE
    sid text;
BEGIN
    IF ids IS NULL OR cardinality(ids) = 0 THEN
        RETURN;
    END IF;
    -- one writer per series at a time; the statements below see what the previous one committed
    FOR sid IN SELECT DISTINCT x FROM unnest(ids) AS x ORDER BY x LOOP
        PERFORM pg_advisory_xact_lock(hashtextextended('pdsa.series|' || sid, 0));
    END LOOP;
    INSERT INTO pdsa.series AS s (id, team_id, n, docs)
    SELECT pdsa.series_of(d.id), coalesce(min(d.team_id), ''), count(*),
           '{' || string_agg(to_json(d.id)::text || ':' || d.doc::text, ',' ORDER BY d.id) || '}'
    FROM pdsa.documents d
    WHERE d.tbl = 'measurements' AND pdsa.series_of(d.id) = ANY (ids)
    GROUP BY 1
    ON CONFLICT (id) DO UPDATE SET team_id = EXCLUDED.team_id, n = EXCLUDED.n, docs = EXCLUDED.docs;
    DELETE FROM pdsa.series s
    WHERE s.id = ANY (ids)
      AND NOT EXISTS (
          SELECT 1 FROM pdsa.documents d WHERE d.tbl = 'measurements' AND pdsa.series_of(d.id) = s.id
      );
END
$$;

-- Every series again (after a bulk load that bypassed the triggers, and by this migration).
CREATE OR REPLACE FUNCTION pdsa.series_rebuild() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pdsa AS $$
BEGIN
    LOCK TABLE pdsa.series IN EXCLUSIVE MODE;
    DELETE FROM pdsa.series;
    INSERT INTO pdsa.series (id, team_id, n, docs)
    SELECT pdsa.series_of(d.id), coalesce(min(d.team_id), ''), count(*),
           '{' || string_agg(to_json(d.id)::text || ':' || d.doc::text, ',' ORDER BY d.id) || '}'
    FROM pdsa.documents d
    WHERE d.tbl = 'measurements'
    GROUP BY 1;
END
$$;

CREATE OR REPLACE FUNCTION pdsa.documents_series() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pdsa AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pdsa.series_refresh(
            ARRAY(SELECT DISTINCT pdsa.series_of(id) FROM old_rows WHERE tbl = 'measurements'));
    ELSE
        PERFORM pdsa.series_refresh(
            ARRAY(SELECT DISTINCT pdsa.series_of(id) FROM new_rows WHERE tbl = 'measurements'));
    END IF;
    RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS documents_series_insert ON pdsa.documents;
DROP TRIGGER IF EXISTS documents_series_update ON pdsa.documents;
DROP TRIGGER IF EXISTS documents_series_delete ON pdsa.documents;
CREATE TRIGGER documents_series_insert AFTER INSERT ON pdsa.documents
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pdsa.documents_series();
CREATE TRIGGER documents_series_update AFTER UPDATE ON pdsa.documents
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION pdsa.documents_series();
CREATE TRIGGER documents_series_delete AFTER DELETE ON pdsa.documents
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION pdsa.documents_series();

ALTER TABLE pdsa.series ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS series_read ON pdsa.series;
CREATE POLICY series_read ON pdsa.series FOR SELECT USING (
    (SELECT pdsa.reads_all(current_user))
    OR team_id = ANY ((SELECT pdsa.team_ids(current_user))::text[])
);
REVOKE ALL ON pdsa.series FROM PUBLIC;
GRANT SELECT ON pdsa.series TO pdsa_user;
REVOKE EXECUTE ON FUNCTION pdsa.series_refresh(text[]), pdsa.series_rebuild(), pdsa.documents_series()
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pdsa.series_of(text) TO pdsa_user;

SELECT pdsa.series_rebuild();
