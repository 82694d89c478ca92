-- Each role's nearest roles in the latest version of a framework, as similarity computed them for
-- one frameworks generation, so that `similar`, progression maps and routes read them instead of
-- comparing every role again. A cache: a list stands only while the frameworks generation equals
-- its own, and is computed again (and kept again) whenever it does not.
CREATE TABLE neighbour_lists (
    framework_id INTEGER PRIMARY KEY REFERENCES frameworks (id) ON DELETE CASCADE,
    generation   INTEGER NOT NULL,
    data         BLOB NOT NULL
);
