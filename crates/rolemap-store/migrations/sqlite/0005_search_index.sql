-- The search index as last built (tantivy's files and rolemap's entries), kept so that a new
-- process, a command-line search or a server starting, opens it in milliseconds instead of
-- building it. A cache: it stands only while the frameworks generation equals
-- `search_index_generation`, and is built again from roles and skills whenever it does not.
CREATE TABLE search_index_files (
    name TEXT PRIMARY KEY,
    data BLOB NOT NULL
);
INSERT INTO meta (key, value) VALUES ('search_index_generation', -1);
