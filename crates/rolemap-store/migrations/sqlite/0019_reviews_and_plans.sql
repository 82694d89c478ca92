-- A manager's review of a self-rating: which self-rating it answers and the manager rating it
-- recorded (at the same level when agreed; at another, with the manager's note on that rating,
-- when changed). One review per self-rating, so "reviewed" is a fact, not a guess by time.
CREATE TABLE reviews (
    id             INTEGER PRIMARY KEY,
    person_id      INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    self_rating    INTEGER NOT NULL UNIQUE REFERENCES assessments (id) ON DELETE CASCADE,
    manager_rating INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    outcome        TEXT NOT NULL CHECK (outcome IN ('agreed', 'changed')),
    reviewed_by    INTEGER REFERENCES users (id),
    at             TEXT NOT NULL
);
CREATE INDEX reviews_person ON reviews (person_id);

-- Review cycles: a named date range and who is in it (everyone, everyone below a manager, or
-- the people listed in review_cycle_people).
CREATE TABLE review_cycles (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    starts     TEXT NOT NULL,
    ends       TEXT NOT NULL,
    scope      TEXT NOT NULL CHECK (scope IN ('everyone', 'team', 'list')),
    manager_id INTEGER REFERENCES people (id) ON DELETE CASCADE,
    opened_by  INTEGER REFERENCES users (id),
    opened_at  TEXT NOT NULL,
    closed_at  TEXT,
    CHECK (starts <= ends),
    CHECK ((scope = 'team') = (manager_id IS NOT NULL))
);

CREATE TABLE review_cycle_people (
    cycle_id  INTEGER NOT NULL REFERENCES review_cycles (id) ON DELETE CASCADE,
    person_id INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    PRIMARY KEY (cycle_id, person_id)
) WITHOUT ROWID;

-- Development goals: a skill to bring to a level by a date, picked from a gap by the person or
-- their manager. Progress is read from the assessment history, not stored.
CREATE TABLE goals (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    skill_id     INTEGER NOT NULL REFERENCES skills (id),
    target_level TEXT NOT NULL,
    due          TEXT NOT NULL,
    note         TEXT NOT NULL,
    dropped      INTEGER NOT NULL DEFAULT 0 CHECK (dropped IN (0, 1)),
    created_by   INTEGER REFERENCES users (id),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX goals_person ON goals (person_id);
