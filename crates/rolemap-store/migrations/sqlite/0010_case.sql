-- CASE 1.0 packages kept whole beside the framework rolemap made of them. rolemap's model has no
-- place for most of CASE (association types, sequence numbers and groupings, definitions, rubric
-- criteria, links to nodes outside the package), so each object of the package (the CFDocument,
-- every CFItem, CFAssociation and CFRubric, and the CFDefinitions object) is one row holding its
-- JSON as read, in package order, and `rolemap export case` writes them back.
CREATE TABLE case_objects (
    framework_id INTEGER NOT NULL REFERENCES frameworks (id) ON DELETE CASCADE,
    section      TEXT NOT NULL CHECK (section IN
                     ('CFDocument', 'CFItems', 'CFAssociations', 'CFDefinitions', 'CFRubrics')),
    position     INTEGER NOT NULL,
    identifier   TEXT NOT NULL,
    json         TEXT NOT NULL,
    PRIMARY KEY (framework_id, section, position)
);
