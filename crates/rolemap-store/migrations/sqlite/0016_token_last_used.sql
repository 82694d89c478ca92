-- When each API token was last used, so that its owner can tell a live integration from a
-- forgotten one before revoking it. Written at most once a minute per token.
ALTER TABLE api_tokens ADD COLUMN last_used_at TEXT;
