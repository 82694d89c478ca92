-- Suggested mappings a reviewer rejected on the crosswalk page. An accepted suggestion is the
-- mapping itself (`mappings`); a rejection is kept so the suggestion shows as reviewed and the
-- reviewed CSV says "reject" for it. A pair is either mapped or rejected, never both: deciding
-- one way removes the other.
CREATE TABLE mapping_rejections (
    from_skill  INTEGER NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    to_skill    INTEGER NOT NULL REFERENCES skills (id) ON DELETE CASCADE,
    rejected_at TEXT NOT NULL,
    PRIMARY KEY (from_skill, to_skill),
    CHECK (from_skill <> to_skill)
);
