-- ESCO's own structure, kept beside the roles and skills its occupations and skills become:
-- every concept's fields that have no place in a role or skill (hidden labels, definition, scope
-- note, status, ...), the ISCO and skill groups, the broader relations of both pillars (a DAG), the
-- skill-skill relations and the skills hierarchy. Concepts are named by URI, which is also the key
-- of the role or skill an occupation or skill becomes.

CREATE TABLE esco_concepts (
    id           INTEGER PRIMARY KEY,
    framework_id INTEGER NOT NULL REFERENCES frameworks (id) ON DELETE CASCADE,
    uri          TEXT NOT NULL,
    kind         TEXT NOT NULL, -- 'occupation', 'skill', 'isco-group', 'skill-group'
    code         TEXT NOT NULL,
    label        TEXT NOT NULL,
    description  TEXT NOT NULL,
    definition   TEXT NOT NULL,
    scope_note   TEXT NOT NULL,
    status       TEXT NOT NULL,
    skill_type   TEXT NOT NULL,
    regulated    TEXT NOT NULL,
    modified     TEXT NOT NULL,
    UNIQUE (framework_id, uri)
);

CREATE TABLE esco_labels (
    concept_id INTEGER NOT NULL REFERENCES esco_concepts (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL, -- 'alt' or 'hidden'
    position   INTEGER NOT NULL,
    label      TEXT NOT NULL,
    PRIMARY KEY (concept_id, kind, position)
);

CREATE TABLE esco_broader (
    framework_id INTEGER NOT NULL REFERENCES frameworks (id) ON DELETE CASCADE,
    pillar       TEXT NOT NULL, -- 'occupations' or 'skills'
    narrower     TEXT NOT NULL,
    broader      TEXT NOT NULL,
    PRIMARY KEY (framework_id, narrower, broader)
);
CREATE INDEX esco_broader_broader ON esco_broader (framework_id, broader);

CREATE TABLE esco_skill_relations (
    framework_id INTEGER NOT NULL REFERENCES frameworks (id) ON DELETE CASCADE,
    skill        TEXT NOT NULL,
    related      TEXT NOT NULL,
    importance   TEXT NOT NULL,
    PRIMARY KEY (framework_id, skill, related)
);
CREATE INDEX esco_skill_relations_related ON esco_skill_relations (framework_id, related);

-- One row per row of skillsHierarchy_en.csv: a path from a top group down to at most level 3.
CREATE TABLE esco_hierarchy (
    framework_id INTEGER NOT NULL REFERENCES frameworks (id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    level0       TEXT NOT NULL,
    level1       TEXT,
    level2       TEXT,
    level3       TEXT,
    PRIMARY KEY (framework_id, position)
);

-- Members of collections that hold occupations (skills' collections are skill tags).
CREATE TABLE esco_occupation_tags (
    framework_id INTEGER NOT NULL REFERENCES frameworks (id) ON DELETE CASCADE,
    occupation   TEXT NOT NULL,
    tag          TEXT NOT NULL,
    PRIMARY KEY (framework_id, occupation, tag)
);
