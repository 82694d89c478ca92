-- Skills' alternative labels and roles' alternative titles are found by their primary key alone,
-- so they are kept in it (WITHOUT ROWID): one B-tree each instead of a table and an index beside
-- it, which for ESCO's 130,000 labels and titles is one insert a row rather than two.

CREATE TABLE skill_labels_new (
    skill_id INTEGER NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind     TEXT NOT NULL,
    label    TEXT NOT NULL,
    PRIMARY KEY (skill_id, position)
) WITHOUT ROWID;
INSERT INTO skill_labels_new (skill_id, position, kind, label)
SELECT skill_id, position, kind, label FROM skill_labels;
DROP TABLE skill_labels;
ALTER TABLE skill_labels_new RENAME TO skill_labels;

CREATE TABLE role_titles_new (
    role_id  INTEGER NOT NULL REFERENCES roles (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind     TEXT NOT NULL,
    title    TEXT NOT NULL,
    PRIMARY KEY (role_id, position)
) WITHOUT ROWID;
INSERT INTO role_titles_new (role_id, position, kind, title)
SELECT role_id, position, kind, title FROM role_titles;
DROP TABLE role_titles;
ALTER TABLE role_titles_new RENAME TO role_titles;
