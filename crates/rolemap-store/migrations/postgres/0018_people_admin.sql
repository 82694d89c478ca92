-- People kept in the web application (SQLite's 0018): an email address and the time a person
-- was archived (NULL: active).
ALTER TABLE people ADD COLUMN email TEXT COLLATE "C";
ALTER TABLE people ADD COLUMN archived_at TEXT COLLATE "C";

-- One person per email address, compared without regard to case, as imports match them.
CREATE UNIQUE INDEX people_email ON people (lower(email)) WHERE email IS NOT NULL;
