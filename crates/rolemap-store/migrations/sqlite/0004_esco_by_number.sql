-- ESCO's structure (0003) without the text roles and skills already hold, and its relations by
-- concept number rather than by URI: for ESCO v1.1.1 this is 45 MB -> 30 MB, and an import writes
-- it in less time. The 0003 names stay, with the same columns and rows: `esco_labels`,
-- `esco_hierarchy` and `esco_occupation_tags` are still tables; `esco_concepts`, `esco_broader` and
-- `esco_skill_relations` are views over the tables below.

-- Every concept's fields. `label` and `description` are NULL where they are those of the role or
-- skill the concept became (same framework, key = uri); groups keep their own. The URI leads the
-- unique index so that a lookup by URI alone (the far end of a relation) can use it too.
CREATE TABLE esco_concept_fields (
    id           INTEGER PRIMARY KEY,
    framework_id INTEGER NOT NULL REFERENCES frameworks (id) ON DELETE CASCADE,
    uri          TEXT NOT NULL,
    kind         TEXT NOT NULL, -- 'occupation', 'skill', 'isco-group', 'skill-group'
    code         TEXT NOT NULL,
    label        TEXT,
    description  TEXT,
    definition   TEXT NOT NULL,
    scope_note   TEXT NOT NULL,
    status       TEXT NOT NULL,
    skill_type   TEXT NOT NULL,
    regulated    TEXT NOT NULL,
    modified     TEXT NOT NULL,
    UNIQUE (uri, framework_id)
);

INSERT INTO esco_concept_fields (id, framework_id, uri, kind, code, label, description, definition,
    scope_note, status, skill_type, regulated, modified)
SELECT c.id, c.framework_id, c.uri, c.kind, c.code,
    CASE WHEN c.label = coalesce(r.title, s.label) THEN NULL ELSE c.label END,
    CASE WHEN c.description = coalesce(r.description, s.description) THEN NULL ELSE c.description END,
    c.definition, c.scope_note, c.status, c.skill_type, c.regulated, c.modified
FROM esco_concepts c
LEFT JOIN roles r ON c.kind = 'occupation' AND r.framework_id = c.framework_id AND r.key = c.uri
LEFT JOIN skills s ON c.kind = 'skill' AND s.framework_id = c.framework_id AND s.key = c.uri;

-- Hidden labels (and groups' alternative labels), now pointing at `esco_concept_fields`.
CREATE TABLE esco_labels_0004 (
    concept_id INTEGER NOT NULL REFERENCES esco_concept_fields (id) ON DELETE CASCADE,
    kind       TEXT NOT NULL, -- 'alt' or 'hidden'
    position   INTEGER NOT NULL,
    label      TEXT NOT NULL,
    PRIMARY KEY (concept_id, kind, position)
);
INSERT INTO esco_labels_0004 (concept_id, kind, position, label)
SELECT concept_id, kind, position, label FROM esco_labels;
DROP TABLE esco_labels;
ALTER TABLE esco_labels_0004 RENAME TO esco_labels;

-- Broader relations of both pillars (a DAG), by concept number. Both ends are always concepts:
-- an import refuses relations whose ends no file defines, or leaves them out.
CREATE TABLE esco_broader_links (
    narrower INTEGER NOT NULL REFERENCES esco_concept_fields (id) ON DELETE CASCADE,
    broader  INTEGER NOT NULL REFERENCES esco_concept_fields (id) ON DELETE CASCADE,
    pillar   TEXT NOT NULL, -- 'occupations' or 'skills'
    PRIMARY KEY (narrower, broader)
) WITHOUT ROWID;
CREATE INDEX esco_broader_links_broader ON esco_broader_links (broader);

INSERT INTO esco_broader_links (narrower, broader, pillar)
SELECT n.id, w.id, b.pillar FROM esco_broader b
JOIN esco_concept_fields n ON n.framework_id = b.framework_id AND n.uri = b.narrower
JOIN esco_concept_fields w ON w.framework_id = b.framework_id AND w.uri = b.broader;

-- Skill-skill relations, by concept number.
CREATE TABLE esco_skill_links (
    skill      INTEGER NOT NULL REFERENCES esco_concept_fields (id) ON DELETE CASCADE,
    related    INTEGER NOT NULL REFERENCES esco_concept_fields (id) ON DELETE CASCADE,
    importance TEXT NOT NULL,
    PRIMARY KEY (skill, related)
) WITHOUT ROWID;
CREATE INDEX esco_skill_links_related ON esco_skill_links (related);

INSERT INTO esco_skill_links (skill, related, importance)
SELECT s.id, r.id, x.importance FROM esco_skill_relations x
JOIN esco_concept_fields s ON s.framework_id = x.framework_id AND s.uri = x.skill
JOIN esco_concept_fields r ON r.framework_id = x.framework_id AND r.uri = x.related;

DROP TABLE esco_concepts;
DROP TABLE esco_broader;
DROP TABLE esco_skill_relations;

-- The 0003 tables as views, same columns. `esco_concepts` reads one table (the role's or skill's
-- text through a lookup only where asked for), so it can stand on the right of a LEFT JOIN and
-- still be searched by (framework_id, uri) with the index.
CREATE VIEW esco_concepts (id, framework_id, uri, kind, code, label, description, definition,
    scope_note, status, skill_type, regulated, modified) AS
SELECT c.id, c.framework_id, c.uri, c.kind, c.code,
    coalesce(c.label, CASE c.kind
        WHEN 'occupation' THEN (SELECT r.title FROM roles r
                                WHERE r.framework_id = c.framework_id AND r.key = c.uri)
        WHEN 'skill' THEN (SELECT s.label FROM skills s
                           WHERE s.framework_id = c.framework_id AND s.key = c.uri)
    END),
    coalesce(c.description, CASE c.kind
        WHEN 'occupation' THEN (SELECT r.description FROM roles r
                                WHERE r.framework_id = c.framework_id AND r.key = c.uri)
        WHEN 'skill' THEN (SELECT s.description FROM skills s
                           WHERE s.framework_id = c.framework_id AND s.key = c.uri)
    END),
    c.definition, c.scope_note, c.status, c.skill_type, c.regulated, c.modified
FROM esco_concept_fields c;

CREATE VIEW esco_broader (framework_id, pillar, narrower, broader) AS
SELECT n.framework_id, l.pillar, n.uri, w.uri
FROM esco_broader_links l
JOIN esco_concept_fields n ON n.id = l.narrower
JOIN esco_concept_fields w ON w.id = l.broader;

CREATE VIEW esco_skill_relations (framework_id, skill, related, importance) AS
SELECT s.framework_id, s.uri, r.uri, l.importance
FROM esco_skill_links l
JOIN esco_concept_fields s ON s.id = l.skill
JOIN esco_concept_fields r ON r.id = l.related;
