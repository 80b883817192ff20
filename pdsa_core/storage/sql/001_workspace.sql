-- pdsa workspace on PostgreSQL, schema version 1.
--
-- A workspace is one database (schema "pdsa"): documents of the workspace's tables as JSON
-- keyed by (table, id), a one-row header with the revision counter, a change log that says
-- who changed what, and access grants enforced by row-level security. pdsa applies this
-- file itself ('pdsa server init URL'); it is plain SQL so a region's IT can read and apply it.
-- Run as a superuser or a role with CREATEROLE that owns the database: the owner of these
-- objects is the workspace administrator and bypasses row-level security.

-- Roles belong to the cluster, not the database: two workspaces created at the same moment
-- may both find the role missing, so the loser of that race is not an error.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'pdsa_user') THEN
        CREATE ROLE pdsa_user NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END
$$;

-- The header: format, schema of the documents, and the revision every commit increments.
CREATE TABLE pdsa.meta (
    singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    format text NOT NULL,
    workspace_schema integer NOT NULL,
    revision bigint NOT NULL DEFAULT 0,
    access_epoch bigint NOT NULL DEFAULT 0,
    created_at text NOT NULL,
    updated_at text NOT NULL,
    info json NOT NULL DEFAULT '{}'
);

-- Which team a document belongs to (NULL: the whole workspace, e.g. its settings).
CREATE FUNCTION pdsa.team_of(tbl text, id text, doc json) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN tbl = 'teams' THEN id
        WHEN tbl = 'settings' THEN CASE WHEN id LIKE 'team:%' THEN substr(id, 6) END
        ELSE doc ->> 'team_id'
    END
$$;

-- The documents. "json" (not "jsonb") keeps each document exactly as written, key order
-- included, so a workspace copied to the server and back exports identically; cast to jsonb
-- in queries that need its operators. team_id is computed by the database, so a client cannot
-- label a document with another team than the one it belongs to.
CREATE TABLE pdsa.documents (
    tbl text NOT NULL,
    id text NOT NULL,
    doc json NOT NULL,
    team_id text GENERATED ALWAYS AS (pdsa.team_of(tbl, id, doc)) STORED,
    revision bigint NOT NULL DEFAULT 0,
    updated_by name NOT NULL DEFAULT session_user,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tbl, id)
);
CREATE INDEX documents_team ON pdsa.documents (team_id);
CREATE INDEX documents_revision ON pdsa.documents (revision);

-- Who changed what: one row per document written or deleted, with the commit's revision.
CREATE TABLE pdsa.change_log (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    revision bigint NOT NULL,
    at timestamptz NOT NULL DEFAULT now(),
    actor name NOT NULL DEFAULT session_user,
    backend_pid integer NOT NULL DEFAULT pg_backend_pid(),
    tbl text NOT NULL,
    doc_id text NOT NULL,
    team_id text,
    op text NOT NULL CHECK (op IN ('put', 'delete', 'restore'))
);
CREATE INDEX change_log_revision ON pdsa.change_log (revision);

-- Access: a database login may work on a team ('team:<id>') or on every team of a region
-- ('region:<Region Nordjylland>') as tovholder, member or data consultant, or on the whole
-- workspace ('all') as secretariat (reads everything, edits nothing) or admin.
CREATE TABLE pdsa.grants (
    username name NOT NULL,
    scope text NOT NULL,
    role text NOT NULL,
    granted_by name NOT NULL DEFAULT session_user,
    granted_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (username, scope),
    CHECK (role IN ('tovholder', 'member', 'data consultant', 'secretariat', 'admin')),
    CHECK ((scope = 'all') = (role IN ('secretariat', 'admin'))),
    CHECK (scope = 'all' OR scope LIKE 'team:_%' OR scope LIKE 'region:_%')
);

-- Lookups used by the policies. They run with the owner's rights (they must read grants and
-- team documents without recursing into the policies), so each one answers only about the
-- role the session is acting as.
CREATE FUNCTION pdsa.may_ask(who name) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT who = session_user OR pg_has_role(session_user, who, 'MEMBER')
$$;

CREATE FUNCTION pdsa.is_admin(who name) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pdsa AS $$
    SELECT pdsa.may_ask(who) AND (
        EXISTS (SELECT 1 FROM pg_roles r WHERE r.rolname = who AND (r.rolsuper OR r.rolbypassrls))
        OR pg_has_role(who, (SELECT c.relowner FROM pg_class c WHERE c.oid = 'pdsa.documents'::regclass), 'USAGE')
        OR EXISTS (SELECT 1 FROM pdsa.grants g WHERE g.username = who AND g.role = 'admin')
    )
$$;

CREATE FUNCTION pdsa.reads_all(who name) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pdsa AS $$
    SELECT pdsa.is_admin(who) OR (
        pdsa.may_ask(who)
        AND EXISTS (SELECT 1 FROM pdsa.grants g WHERE g.username = who AND g.role = 'secretariat')
    )
$$;

CREATE FUNCTION pdsa.has_access(who name) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pdsa AS $$
    SELECT pdsa.is_admin(who) OR (
        pdsa.may_ask(who) AND EXISTS (SELECT 1 FROM pdsa.grants g WHERE g.username = who)
    )
$$;

CREATE FUNCTION pdsa.team_ids(who name) RETURNS text[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pdsa AS $$
    SELECT coalesce(array_agg(DISTINCT x.team_id), '{}')
    FROM (
        SELECT substr(g.scope, 6) AS team_id
        FROM pdsa.grants g
        WHERE g.username = who AND g.scope LIKE 'team:%'
        UNION
        SELECT d.id
        FROM pdsa.grants g
        JOIN pdsa.documents d ON d.tbl = 'teams' AND d.doc ->> 'region' = substr(g.scope, 8)
        WHERE g.username = who AND g.scope LIKE 'region:%'
    ) x
    WHERE pdsa.may_ask(who)
$$;

-- The strongest team role of `who` on `team` (NULL: none).
CREATE FUNCTION pdsa.role_for(who name, team text) RETURNS text
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pdsa AS $$
    SELECT g.role
    FROM pdsa.grants g
    WHERE pdsa.may_ask(who) AND g.username = who AND (
        g.scope = 'team:' || team
        OR (g.scope LIKE 'region:%' AND substr(g.scope, 8) = (
            SELECT d.doc ->> 'region' FROM pdsa.documents d WHERE d.tbl = 'teams' AND d.id = team))
    )
    ORDER BY CASE g.role WHEN 'tovholder' THEN 1 WHEN 'member' THEN 2 ELSE 3 END
    LIMIT 1
$$;

-- May `who` write a document of table `tbl` that belongs to `team`?
-- tovholder and member: everything of their team; data consultant: values, annotations and
-- team settings (imports); secretariat: nothing; admin: everything, also the workspace.
CREATE FUNCTION pdsa.can_write(who name, tbl text, team text) RETURNS boolean
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pdsa AS $$
    SELECT pdsa.is_admin(who) OR (
        team IS NOT NULL AND coalesce(
            CASE pdsa.role_for(who, team)
                WHEN 'tovholder' THEN true
                WHEN 'member' THEN true
                WHEN 'data consultant' THEN tbl IN ('measurements', 'annotations', 'settings')
                ELSE false
            END, false)
    )
$$;

-- The revision of the running transaction: the first write of a transaction increments the
-- header's counter (holding its row lock until commit, so revisions follow commit order) and
-- announces it on the channel "pdsa_changes"; later writes of the same transaction reuse it.
CREATE FUNCTION pdsa.tx_revision() RETURNS bigint
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

CREATE FUNCTION pdsa.documents_stamp() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pdsa AS $$
BEGIN
    NEW.revision := pdsa.tx_revision();
    NEW.updated_by := session_user;
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

CREATE FUNCTION pdsa.documents_log() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pdsa AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        INSERT INTO pdsa.change_log (revision, actor, tbl, doc_id, team_id, op)
        VALUES (pdsa.tx_revision(), session_user, OLD.tbl, OLD.id, OLD.team_id, 'delete');
        RETURN OLD;
    END IF;
    IF TG_OP = 'UPDATE' AND OLD.team_id IS DISTINCT FROM NEW.team_id THEN
        INSERT INTO pdsa.change_log (revision, actor, tbl, doc_id, team_id, op)
        VALUES (NEW.revision, session_user, OLD.tbl, OLD.id, OLD.team_id, 'delete');
    END IF;
    IF TG_OP = 'UPDATE' AND NEW.tbl = 'teams'
        AND (OLD.doc ->> 'region') IS DISTINCT FROM (NEW.doc ->> 'region') THEN
        UPDATE pdsa.meta SET access_epoch = access_epoch + 1;  -- region grants now cover other teams
    END IF;
    INSERT INTO pdsa.change_log (revision, actor, tbl, doc_id, team_id, op)
    VALUES (NEW.revision, session_user, NEW.tbl, NEW.id, NEW.team_id, 'put');
    RETURN NEW;
END
$$;

CREATE TRIGGER documents_stamp BEFORE INSERT OR UPDATE ON pdsa.documents
    FOR EACH ROW EXECUTE FUNCTION pdsa.documents_stamp();
CREATE TRIGGER documents_log AFTER INSERT OR UPDATE OR DELETE ON pdsa.documents
    FOR EACH ROW EXECUTE FUNCTION pdsa.documents_log();

CREATE FUNCTION pdsa.grants_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pdsa AS $$
BEGIN
    UPDATE pdsa.meta SET access_epoch = access_epoch + 1;
    PERFORM pg_notify('pdsa_changes', 'access');
    RETURN NULL;
END
$$;

CREATE TRIGGER grants_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON pdsa.grants
    FOR EACH STATEMENT EXECUTE FUNCTION pdsa.grants_changed();

-- Row-level security: what a login may read and write (owners and superusers bypass it).
ALTER TABLE pdsa.documents ENABLE ROW LEVEL SECURITY;
ALTER TABLE pdsa.change_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE pdsa.grants ENABLE ROW LEVEL SECURITY;

CREATE POLICY documents_read ON pdsa.documents FOR SELECT USING (
    (SELECT pdsa.reads_all(current_user))
    OR (team_id IS NULL AND (SELECT pdsa.has_access(current_user)))
    OR team_id = ANY ((SELECT pdsa.team_ids(current_user))::text[])
);
CREATE POLICY documents_insert ON pdsa.documents FOR INSERT
    WITH CHECK (pdsa.can_write(current_user, tbl, team_id));
CREATE POLICY documents_update ON pdsa.documents FOR UPDATE
    USING (pdsa.can_write(current_user, tbl, team_id))
    WITH CHECK (pdsa.can_write(current_user, tbl, team_id));
CREATE POLICY documents_delete ON pdsa.documents FOR DELETE
    USING (pdsa.can_write(current_user, tbl, team_id));

CREATE POLICY change_log_read ON pdsa.change_log FOR SELECT USING (
    (SELECT pdsa.reads_all(current_user))
    OR (team_id IS NULL AND (SELECT pdsa.has_access(current_user)))
    OR team_id = ANY ((SELECT pdsa.team_ids(current_user))::text[])
);

CREATE POLICY grants_own ON pdsa.grants FOR SELECT USING (username = current_user);

-- Privileges: logins get them through the group role pdsa_user; rows are filtered above.
REVOKE ALL ON SCHEMA pdsa FROM PUBLIC;
GRANT USAGE ON SCHEMA pdsa TO pdsa_user;
GRANT SELECT ON pdsa.meta, pdsa.schema_version TO pdsa_user;
GRANT SELECT, INSERT, UPDATE, DELETE ON pdsa.documents TO pdsa_user;
GRANT SELECT ON pdsa.change_log, pdsa.grants TO pdsa_user;
REVOKE EXECUTE ON ALL FUNCTIONS IN SCHEMA pdsa FROM PUBLIC;
GRANT EXECUTE ON FUNCTION
    pdsa.team_of(text, text, json), pdsa.may_ask(name), pdsa.is_admin(name), pdsa.reads_all(name),
    pdsa.has_access(name), pdsa.team_ids(name), pdsa.role_for(name, text),
    pdsa.can_write(name, text, text), pdsa.tx_revision()
TO pdsa_user;
