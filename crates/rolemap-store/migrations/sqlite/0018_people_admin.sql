-- People kept in the web application: an email address (what a CSV import matches people by
-- when it gives no key) and the time a person was archived. Archived people leave lists, team
-- pages and team matrices but keep their history; NULL means active.
ALTER TABLE people ADD COLUMN email TEXT;
ALTER TABLE people ADD COLUMN archived_at TEXT;

-- One person per email address, compared without regard to case, as imports match them.
CREATE UNIQUE INDEX people_email ON people (lower(email)) WHERE email IS NOT NULL;
