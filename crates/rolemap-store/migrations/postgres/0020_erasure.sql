-- The one path through the append-only rules (SQLite's 0020): erasing a person and purging old
-- assessments. `audit_rewriting` lists entries about others that quote the person being erased,
-- for the erasure's transaction; `assessments_purging` holds the purge's time during a purge.
CREATE TABLE audit_rewriting (entry_id BIGINT PRIMARY KEY);
CREATE TABLE assessments_purging (before TEXT COLLATE "C" NOT NULL);

CREATE OR REPLACE FUNCTION assessments_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND (
        EXISTS (SELECT 1 FROM audit_erasing WHERE person_id = OLD.person_id)
        OR EXISTS (SELECT 1 FROM assessments_purging WHERE OLD.at < before)
    ) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'assessments are append-only';
END;
$$;

CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM audit_erasing WHERE person_id = OLD.person_id)
        OR (TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM audit_rewriting WHERE entry_id = OLD.id))
    THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; ELSE RETURN NEW; END IF;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only';
END;
$$;
