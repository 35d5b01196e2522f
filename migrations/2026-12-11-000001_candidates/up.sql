-- Issue 19: the candidate register of an election. Each candidate listed by an election has an
-- entry (units, statement, an optional photo among the item's documents, who nominated them, and
-- the eligibility declarations the estate asks for), and a review by the committee, recorded by
-- a staff member other than the one who registered the entry, before the assembly is announced.
-- The declarations an estate asks candidates for; the secretary may change the list (audited).
ALTER TABLE estates ADD COLUMN candidate_declarations TEXT NOT NULL
    DEFAULT '["本小区业主本人（非仅为物业使用人）","无拖欠物业服务费","无违法搭建"]';
CREATE TABLE candidates (
    id TEXT PRIMARY KEY,
    item_id TEXT NOT NULL REFERENCES items (id),
    name TEXT NOT NULL CHECK (length(name) > 0),
    -- JSON array of unit numbers of the current roster.
    units TEXT NOT NULL,
    statement TEXT NOT NULL,
    -- An image document of the same item; cleared if that document is removed.
    photo_document TEXT,
    nominated_by TEXT NOT NULL CHECK (length(nominated_by) > 0),
    -- JSON object: each declaration the estate asks for, answered true or false.
    declarations TEXT NOT NULL,
    registered_by TEXT NOT NULL,
    registered_at TEXT NOT NULL,
    review TEXT CHECK (review IN ('eligible', 'rejected')),
    review_reason TEXT,
    reviewed_by TEXT,
    reviewed_at TEXT,
    UNIQUE (item_id, name),
    -- The second person: whoever registered an entry never reviews it.
    CHECK (reviewed_by IS NULL OR reviewed_by <> registered_by),
    CHECK (review IS NULL OR reviewed_by IS NOT NULL),
    CHECK (review <> 'rejected' OR length(review_reason) > 0)
);
