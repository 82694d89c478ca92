-- When each API token was last used, so that its owner can tell a live integration from a
-- forgotten one before revoking it. Written at most once a minute per token.
ALTER TABLE api_tokens ADD COLUMN last_used_at TEXT;

-- Bumped by every write to people or assessments, so that people, their assessments and the
-- gaps worked out from them can be kept in memory and never served stale.
INSERT INTO meta (key, value) VALUES ('people_generation', 0);
