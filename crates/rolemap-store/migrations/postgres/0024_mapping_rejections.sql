-- Suggested mappings a reviewer rejected on the crosswalk page (SQLite's 0024).
CREATE TABLE mapping_rejections (
    from_skill  BIGINT NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    to_skill    BIGINT NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    rejected_at TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (from_skill, to_skill),
    CHECK (from_skill <> to_skill)
);
