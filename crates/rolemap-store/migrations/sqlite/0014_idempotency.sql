-- Answers kept for retried writes: a POST carrying an Idempotency-Key that was answered before
-- (by the same user, or by no user) gets the same answer back and adds nothing. `user_id` is 0
-- for requests made without a user. `request_hash` is the SHA-256 of the method, path and body,
-- so the same key with another request is told apart. Rows older than 24 hours are deleted when
-- new ones are kept.
CREATE TABLE idempotency_keys (
    key TEXT NOT NULL,
    user_id INTEGER NOT NULL,
    request_hash BLOB NOT NULL,
    status INTEGER NOT NULL,
    content_type TEXT NOT NULL,
    body BLOB NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (key, user_id)
) WITHOUT ROWID;

CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);
