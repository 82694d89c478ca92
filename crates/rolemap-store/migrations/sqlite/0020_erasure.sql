-- The one path through the append-only rules: erasing a person and purging old assessments.
--
-- While a person is named in `audit_erasing` (only inside the erasure's transaction, which
-- empties it again before it commits), their assessments may be deleted and the audit entries
-- about them rewritten (0017). Entries about others that quote them (a report's manager, the
-- user who made a change) are listed by number in `audit_rewriting` for that transaction, and
-- only those may be rewritten too. While `assessments_purging` holds a time (only inside a
-- retention purge), assessments recorded before it may be deleted. Nothing else may change them.
CREATE TABLE audit_rewriting (entry_id INTEGER PRIMARY KEY);
CREATE TABLE assessments_purging (before TEXT NOT NULL);

DROP TRIGGER assessments_no_delete;
CREATE TRIGGER assessments_no_delete BEFORE DELETE ON assessments
WHEN NOT EXISTS (SELECT 1 FROM audit_erasing WHERE person_id = OLD.person_id)
 AND NOT EXISTS (SELECT 1 FROM assessments_purging WHERE OLD.at < before)
BEGIN
    SELECT RAISE(ABORT, 'assessments are append-only');
END;

DROP TRIGGER audit_log_no_update;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT EXISTS (SELECT 1 FROM audit_erasing WHERE person_id = OLD.person_id)
 AND NOT EXISTS (SELECT 1 FROM audit_rewriting WHERE entry_id = OLD.id)
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
