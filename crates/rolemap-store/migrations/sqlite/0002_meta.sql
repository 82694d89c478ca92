-- Counters readers use to know when what they cached has changed.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
);
-- Bumped by every import that adds a framework, so cached roles are never served stale.
INSERT INTO meta (key, value) VALUES ('frameworks_generation', 0);
