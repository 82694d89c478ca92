-- Files of a standard format kept whole beside the framework rolemap made of them (OSMT Rich
-- Skill Descriptors first): rolemap's model holds a skill's name, statement and categories, while
-- an RSD also holds keywords, authors, standards, alignments, occupations with their codes and
-- more. Each object of the file is one row holding its JSON as read, in file order, so that an
-- export gives every field back. `format` names the format (`rsd`), `kind` the object's kind
-- within it (`collection`, `list`, `skill`).
CREATE TABLE kept_objects (
    framework_id INTEGER NOT NULL REFERENCES frameworks (id) ON DELETE CASCADE,
    format       TEXT NOT NULL,
    position     INTEGER NOT NULL,
    kind         TEXT NOT NULL,
    identifier   TEXT NOT NULL,
    json         TEXT NOT NULL,
    PRIMARY KEY (framework_id, format, position)
);
