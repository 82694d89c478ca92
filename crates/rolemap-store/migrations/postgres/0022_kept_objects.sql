-- Files of a standard format kept whole beside the framework made of them (SQLite's 0022).
CREATE TABLE kept_objects (
    framework_id BIGINT NOT NULL REFERENCES frameworks (id) ON DELETE CASCADE,
    format       TEXT COLLATE "C" NOT NULL,
    position     BIGINT NOT NULL,
    kind         TEXT COLLATE "C" NOT NULL,
    identifier   TEXT COLLATE "C" NOT NULL,
    json         TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (framework_id, format, position)
);
