-- The audit log: every write, who made it (a user, or the operator at the command line), when,
-- from which address, what it changed and the fields that matter before and after (JSON). It is
-- written in the same transaction as the write it records, so neither is kept without the other.
-- Append-only: rows are neither updated nor deleted, except while a person is being erased
-- (`audit_erasing` names them for the length of that transaction), when the rows about them lose
-- their personal fields.
CREATE TABLE audit_log (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,
    user_id   INTEGER REFERENCES users (id),
    -- Kept as it was when the write was made, so the entry reads the same after a rename.
    username  TEXT,
    address   TEXT,
    via       TEXT NOT NULL CHECK (via IN ('cli', 'web', 'api')),
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    person_id INTEGER,
    before    TEXT,
    after     TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_person ON audit_log (person_id, at);
CREATE INDEX audit_log_user ON audit_log (user_id, at);

-- The people being erased in the current transaction; empty at every commit.
CREATE TABLE audit_erasing (person_id INTEGER PRIMARY KEY);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT EXISTS (SELECT 1 FROM audit_erasing WHERE person_id = OLD.person_id)
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN NOT EXISTS (SELECT 1 FROM audit_erasing WHERE person_id = OLD.person_id)
BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
