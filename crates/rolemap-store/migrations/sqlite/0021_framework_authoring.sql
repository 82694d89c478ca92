-- Framework authoring: which document states each link, and drafts of framework versions.

-- The framework version whose document states the link, so that a version can be written back
-- as its document (a document may link two roles of other frameworks). Links stored before
-- this was kept are given the framework of their first role, which is where most documents
-- write them; links an ESCO release brings stay NULL.
ALTER TABLE role_links ADD COLUMN framework_id INTEGER REFERENCES frameworks (id) ON DELETE CASCADE;
UPDATE role_links SET framework_id = (SELECT r.framework_id FROM roles r WHERE r.id = role_links.from_role);
CREATE INDEX role_links_framework ON role_links (framework_id);

-- A framework version being written in the browser: the framework document (TOML, as
-- `write_framework` writes it), always one the framework reader accepts, since every edit is
-- checked before it is kept. Publishing imports it as a new, immutable version.
CREATE TABLE framework_drafts (
    id            INTEGER PRIMARY KEY,
    -- The framework key and version the document states, kept beside it for listings.
    framework_key TEXT NOT NULL,
    version       TEXT NOT NULL,
    -- What it was started from ('odp 2024', 'roles of esco v1.1.1'), empty for a new framework.
    based_on      TEXT NOT NULL,
    document      TEXT NOT NULL,
    created_by    INTEGER REFERENCES users (id),
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    -- Set once published; a published draft is kept (read-only) as the record of what went in.
    published_at  TEXT
);
CREATE INDEX framework_drafts_key ON framework_drafts (framework_key);
