-- Reviewed mappings between skills of two frameworks (`rolemap map apply`): exact, close or
-- related, with the confidence suggested. One row per (from, to) pair: applying a file again
-- restates the type and confidence rather than adding a row.
CREATE TABLE mappings (
    from_skill  INTEGER NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    to_skill    INTEGER NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    type        TEXT NOT NULL CHECK (type IN ('exact', 'close', 'related')),
    confidence  REAL NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    source      TEXT NOT NULL,
    applied_at  TEXT NOT NULL,
    PRIMARY KEY (from_skill, to_skill),
    CHECK (from_skill <> to_skill)
);
CREATE INDEX mappings_to ON mappings (to_skill);
