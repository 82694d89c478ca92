-- Observed movements of people between roles (HR records, surveys, learner destinations): they
-- strengthen the links similarity finds. One row per (from, to, source): importing a file again
-- states the counts again rather than adding to them.
CREATE TABLE transitions (
    from_role   INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    to_role     INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    source      TEXT NOT NULL,
    count       INTEGER NOT NULL CHECK (count > 0),
    imported_at TEXT NOT NULL,
    PRIMARY KEY (from_role, to_role, source)
);
CREATE INDEX transitions_to ON transitions (to_role);
