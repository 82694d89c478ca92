-- rolemap schema, version 1: frameworks, their concepts, people and assessments.

CREATE TABLE frameworks (
    id          INTEGER PRIMARY KEY,
    key         TEXT NOT NULL,
    name        TEXT NOT NULL,
    version     TEXT NOT NULL,
    source      TEXT NOT NULL,
    licence     TEXT NOT NULL,
    attribution TEXT NOT NULL,
    description TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    UNIQUE (key, version)
);

CREATE TABLE scales (
    id           INTEGER PRIMARY KEY,
    framework_id INTEGER NOT NULL REFERENCES frameworks (id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    name         TEXT NOT NULL,
    UNIQUE (framework_id, key)
);

CREATE TABLE scale_levels (
    scale_id   INTEGER NOT NULL REFERENCES scales (id) ON DELETE CASCADE,
    rank       INTEGER NOT NULL,
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    descriptor TEXT NOT NULL,
    PRIMARY KEY (scale_id, rank)
);

CREATE TABLE grade_ladders (
    id           INTEGER PRIMARY KEY,
    framework_id INTEGER NOT NULL REFERENCES frameworks (id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    name         TEXT NOT NULL,
    UNIQUE (framework_id, key)
);

CREATE TABLE grades (
    ladder_id INTEGER NOT NULL REFERENCES grade_ladders (id) ON DELETE CASCADE,
    position  INTEGER NOT NULL,
    code      TEXT NOT NULL,
    name      TEXT NOT NULL,
    PRIMARY KEY (ladder_id, position)
);

CREATE TABLE families (
    id           INTEGER PRIMARY KEY,
    framework_id INTEGER NOT NULL REFERENCES frameworks (id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL,
    UNIQUE (framework_id, key)
);

CREATE TABLE skills (
    id           INTEGER PRIMARY KEY,
    framework_id INTEGER NOT NULL REFERENCES frameworks (id) ON DELETE CASCADE,
    key          TEXT NOT NULL,
    label        TEXT NOT NULL,
    description  TEXT NOT NULL,
    kind         TEXT NOT NULL,
    reuse        TEXT,
    scale_id     INTEGER REFERENCES scales (id),
    UNIQUE (framework_id, key)
);
CREATE INDEX skills_label ON skills (lower(label));

-- Alternative (and, for ESCO, hidden) labels.
CREATE TABLE skill_labels (
    skill_id INTEGER NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind     TEXT NOT NULL,
    label    TEXT NOT NULL,
    PRIMARY KEY (skill_id, position)
);

CREATE TABLE skill_tags (
    skill_id INTEGER NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    tag      TEXT NOT NULL,
    PRIMARY KEY (skill_id, tag)
);

CREATE TABLE roles (
    id                  INTEGER PRIMARY KEY,
    framework_id        INTEGER NOT NULL REFERENCES frameworks (id) ON DELETE CASCADE,
    key                 TEXT NOT NULL,
    title               TEXT NOT NULL,
    summary             TEXT NOT NULL,
    description         TEXT NOT NULL,
    family_id           INTEGER REFERENCES families (id),
    level               INTEGER,
    ladder_id           INTEGER REFERENCES grade_ladders (id),
    routes_in           TEXT NOT NULL,
    transferable_skills TEXT NOT NULL,
    typical_employers   TEXT NOT NULL,
    duration            TEXT NOT NULL,
    UNIQUE (framework_id, key)
);
CREATE INDEX roles_title ON roles (lower(title));

-- Alternative titles and typical job titles.
CREATE TABLE role_titles (
    role_id  INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind     TEXT NOT NULL,
    title    TEXT NOT NULL,
    PRIMARY KEY (role_id, position)
);

CREATE TABLE role_grades (
    role_id  INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    grade    TEXT NOT NULL,
    PRIMARY KEY (role_id, position)
);

CREATE TABLE role_codes (
    role_id  INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    scheme   TEXT NOT NULL,
    value    TEXT NOT NULL,
    PRIMARY KEY (role_id, position)
);

CREATE TABLE role_texts (
    role_id  INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    kind     TEXT NOT NULL, -- 'duty' or 'responsibility'
    position INTEGER NOT NULL,
    text     TEXT NOT NULL,
    PRIMARY KEY (role_id, kind, position)
);

CREATE TABLE role_dimensions (
    role_id  INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    key      TEXT NOT NULL,
    name     TEXT NOT NULL,
    text     TEXT NOT NULL,
    PRIMARY KEY (role_id, position)
);

CREATE TABLE requirements (
    id         INTEGER PRIMARY KEY,
    role_id    INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    skill_id   INTEGER NOT NULL REFERENCES skills (id),
    position   INTEGER NOT NULL,
    importance TEXT NOT NULL,
    emphasis   INTEGER NOT NULL,
    level_code TEXT, -- for roles without grades; NULL: not specified
    note       TEXT NOT NULL,
    UNIQUE (role_id, skill_id)
);
CREATE INDEX requirements_skill ON requirements (skill_id);

-- One row per grade of the role; level_code NULL where the source leaves the cell blank.
CREATE TABLE requirement_levels (
    requirement_id INTEGER NOT NULL REFERENCES requirements (id) ON DELETE CASCADE,
    position       INTEGER NOT NULL,
    grade          TEXT NOT NULL,
    level_code     TEXT,
    PRIMARY KEY (requirement_id, position)
);

CREATE TABLE role_links (
    id        INTEGER PRIMARY KEY,
    from_role INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    to_role   INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    kind      TEXT NOT NULL,
    note      TEXT NOT NULL,
    UNIQUE (from_role, to_role, kind)
);
CREATE INDEX role_links_to ON role_links (to_role);

CREATE TABLE people (
    id         INTEGER PRIMARY KEY,
    key        TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    role_id    INTEGER REFERENCES roles (id),
    grade      TEXT,
    manager_id INTEGER REFERENCES people (id),
    team       TEXT NOT NULL,
    demo       INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX people_manager ON people (manager_id);

-- Append-only: history is kept, never overwritten.
CREATE TABLE assessments (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES people (id),
    skill_id   INTEGER NOT NULL REFERENCES skills (id),
    level_code TEXT NOT NULL,
    source     TEXT NOT NULL,
    at         TEXT NOT NULL,
    note       TEXT NOT NULL
);
CREATE INDEX assessments_person ON assessments (person_id, skill_id);

CREATE TRIGGER assessments_no_update BEFORE UPDATE ON assessments
BEGIN
    SELECT RAISE(ABORT, 'assessments are append-only');
END;

CREATE TRIGGER assessments_no_delete BEFORE DELETE ON assessments
BEGIN
    SELECT RAISE(ABORT, 'assessments are append-only');
END;
