-- pdsa workspace on PostgreSQL, schema version 2: the database is the one judge of ownership.
--
-- 1. A record's key and its team agree. Indicators ("team|code"), values ("team|code|month"),
--    a team's driver diagram (key = team id), team settings ("team:<id>") and team records
--    (key = the team's id) carry their team in the key; the record must say the same team
--    (and code, month, id). So no login can create, squat on or rename into another team's
--    keys: such a write is refused like any other refused write (the same error code and
--    text as row-level security, no hint whether the key exists).
-- 2. The required fields of each record kind are checked by the database (pdsa.doc_problem).
-- 3. The revision counter, the clock and the change notifications are driven only through
--    pdsa's write path: team logins may not call pdsa.tx_revision() (the triggers do, with
--    the owner's rights); the 'pdsa.clock' setting is honoured only from an administrator
--    and only when it is a timestamp; listeners ignore a notification that matches no commit.
-- 4. pdsa.documents.team_id is computed from the key where the key names the team.
--
-- Existing records are not rewritten; a reader skips one that breaks these rules with a
-- warning. Safe to run again: every statement replaces or checks before it creates.

-- The team named by a record's key (NULL: the key does not name one).
CREATE OR REPLACE FUNCTION pdsa.key_team(tbl text, id text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN tbl IN ('teams', 'diagrams') THEN id
        WHEN tbl = 'settings' THEN CASE WHEN id LIKE 'team:%' THEN substr(id, 6) END
        WHEN tbl IN ('indicators', 'measurements') THEN split_part(id, '|', 1)
    END
$$;

-- What is wrong with a record (NULL: nothing). Mirrors pdsa_core/storage/checks.py.
CREATE OR REPLACE FUNCTION pdsa.doc_problem(tbl text, id text, doc json) RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    required text[];
    missing text[];
    kt text := pdsa.key_team(tbl, id);
BEGIN
    IF json_typeof(doc) IS DISTINCT FROM 'object' THEN
        RETURN 'the record is not a JSON object';
    END IF;
    required := CASE tbl
        WHEN 'teams' THEN ARRAY['id', 'name']
        WHEN 'indicators' THEN ARRAY['team_id', 'code', 'name_da']
        WHEN 'measurements' THEN ARRAY['team_id', 'indicator', 'period']
        WHEN 'annotations' THEN ARRAY['id', 'team_id', 'date', 'text']
        WHEN 'diagrams' THEN ARRAY['team_id']
        WHEN 'diagram_history' THEN ARRAY['id', 'team_id', 'at', 'who', 'action', 'summary']
        WHEN 'cycles' THEN ARRAY['id', 'team_id', 'title']
        WHEN 'meetings' THEN ARRAY['id', 'team_id', 'date']
        WHEN 'assessments' THEN ARRAY['id', 'team_id', 'instrument', 'instrument_version', 'date']
        WHEN 'settings' THEN ARRAY[]::text[]
    END;
    IF required IS NULL THEN
        RETURN format('%s is not a table of a pdsa workspace', tbl);
    END IF;
    SELECT array_agg(r) INTO missing
    FROM unnest(required) AS r
    WHERE json_typeof(doc -> r) IS NULL OR json_typeof(doc -> r) = 'null';
    IF missing IS NOT NULL THEN
        RETURN format('%s %s lacks %s', tbl, id, array_to_string(missing, ', '));
    END IF;
    IF tbl = 'teams' AND doc ->> 'id' IS DISTINCT FROM id THEN
        RETURN format('team record %s says it is team %s', id, doc ->> 'id');
    END IF;
    IF kt IS NOT NULL AND tbl <> 'teams' AND tbl <> 'settings' AND doc ->> 'team_id' IS DISTINCT FROM kt THEN
        RETURN format('%s %s belongs to team %s by its key but says team %s', tbl, id, kt, doc ->> 'team_id');
    END IF;
    IF tbl = 'indicators' AND id IS DISTINCT FROM (doc ->> 'team_id') || '|' || (doc ->> 'code') THEN
        RETURN format('indicator %s says code %s', id, doc ->> 'code');
    END IF;
    IF tbl = 'measurements' AND id IS DISTINCT FROM
        (doc ->> 'team_id') || '|' || (doc ->> 'indicator') || '|' || (doc ->> 'period') THEN
        RETURN format('value %s says %s %s', id, doc ->> 'indicator', doc ->> 'period');
    END IF;
    IF tbl = 'measurements' AND (doc ->> 'period') !~ '^[0-9]{4}-(0[1-9]|1[0-2])$' THEN
        RETURN format('value %s has the month %s (not YYYY-MM)', id, doc ->> 'period');
    END IF;
    IF tbl = 'measurements' AND json_typeof(doc -> 'value') NOT IN ('number', 'null') THEN
        RETURN format('value %s is not a number', id);
    END IF;
    RETURN NULL;
END
$$;

-- Which team a document belongs to: the key's team where the key names one, else the record's.
-- (team_id is a stored generated column: it is recomputed for every row written from now on.)
CREATE OR REPLACE FUNCTION pdsa.team_of(tbl text, id text, doc json) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN tbl = 'settings' THEN CASE WHEN id LIKE 'team:%' THEN substr(id, 6) END
        ELSE coalesce(pdsa.key_team(tbl, id), doc ->> 'team_id')
    END
$$;

-- Refuse a record that breaks the rules above. A record under a key of a team the login may
-- not write is refused exactly as row-level security refuses it (no hint whether it exists).
CREATE OR REPLACE FUNCTION pdsa.documents_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pdsa AS $$
DECLARE
    problem text;
BEGIN
    -- the team is the key's where the key names one: a foreign key is refused like RLS refuses
    IF NOT pdsa.can_write(session_user, NEW.tbl, pdsa.team_of(NEW.tbl, NEW.id, NEW.doc)) THEN
        RAISE EXCEPTION 'new row violates row-level security policy for table "documents"'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    problem := pdsa.doc_problem(NEW.tbl, NEW.id, NEW.doc);
    IF problem IS NOT NULL THEN
        RAISE EXCEPTION 'pdsa refuses this record: %', problem USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS documents_check ON pdsa.documents;
-- named to run before documents_stamp (triggers fire in name order)
CREATE TRIGGER documents_check BEFORE INSERT OR UPDATE ON pdsa.documents
    FOR EACH ROW EXECUTE FUNCTION pdsa.documents_check();

-- The revision of the running transaction (see 001). The clock setting is honoured only from
-- an administrator (the demo and the tests' fixed clock) and only when it is a timestamp.
CREATE OR REPLACE FUNCTION pdsa.tx_revision() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pdsa AS $$
DECLARE
    rev bigint;
    stamp text := nullif(current_setting('pdsa.clock', true), '');
BEGIN
    SELECT m.revision INTO rev FROM pdsa.meta m WHERE m.xmin = pg_current_xact_id()::xid;
    IF FOUND THEN
        RETURN rev;
    END IF;
    IF NOT pdsa.is_admin(session_user) AND NOT EXISTS (
        SELECT 1 FROM pdsa.grants g
        WHERE g.username = session_user AND g.role IN ('tovholder', 'member', 'data consultant')
    ) THEN
        RAISE EXCEPTION 'user % may not change this workspace', session_user
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF stamp IS NOT NULL AND (
        NOT pdsa.is_admin(session_user)
        OR stamp !~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$'
    ) THEN
        stamp := NULL;
    END IF;
    UPDATE pdsa.meta
    SET revision = revision + 1,
        updated_at = coalesce(stamp, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"'))
    RETURNING revision INTO rev;
    IF rev IS NULL THEN
        RAISE EXCEPTION 'this database has no pdsa workspace header (pdsa.meta is empty)';
    END IF;
    PERFORM pg_notify('pdsa_changes', rev::text);
    RETURN rev;
END
$$;

-- Only pdsa's triggers (running with the owner's rights) move the revision counter.
REVOKE EXECUTE ON FUNCTION pdsa.tx_revision() FROM pdsa_user, PUBLIC;
REVOKE EXECUTE ON FUNCTION pdsa.documents_check() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION pdsa.key_team(text, text), pdsa.doc_problem(text, text, json) TO pdsa_user;
