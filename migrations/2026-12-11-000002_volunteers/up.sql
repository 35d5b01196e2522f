-- Issue 19: building volunteers (楼组长). A volunteer is a staff account with the role
-- `volunteer`, scoped to buildings or stairwells of one estate; they see who in their buildings
-- has not voted (never what anyone chose), record door visits, and enter the paper ballots they
-- collect, which count only once a secretary confirms them.
-- The role's CHECK gains `volunteer`: the table is rebuilt (SQLite cannot alter a CHECK), with
-- the same columns and key, in SQL both databases run.
CREATE TABLE user_roles_next (
    user_id    TEXT NOT NULL REFERENCES users (id),
    estate_id  TEXT NOT NULL REFERENCES estates (id),
    role       TEXT NOT NULL CHECK (role IN ('secretary', 'auditor', 'admin', 'volunteer')),
    granted_at TEXT NOT NULL,
    PRIMARY KEY (user_id, estate_id, role)
);
INSERT INTO user_roles_next (user_id, estate_id, role, granted_at)
    SELECT user_id, estate_id, role, granted_at FROM user_roles;
DROP TABLE user_roles;
ALTER TABLE user_roles_next RENAME TO user_roles;

-- A volunteer's buildings, or stairwells of a building (stairwell '' is the whole building),
-- and who created the volunteer (the actor): that person never confirms the volunteer's paper
-- ballots, or a secretary could confirm what they entered under an account they made.
CREATE TABLE volunteer_areas (
    user_id    TEXT NOT NULL REFERENCES users (id),
    estate_id  TEXT NOT NULL REFERENCES estates (id),
    building   TEXT NOT NULL,
    stairwell  TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    PRIMARY KEY (user_id, estate_id, building, stairwell)
);

-- A door visit of an assembly's round: who was visited, what came of it, when.
CREATE TABLE door_visits (
    id          TEXT PRIMARY KEY,
    assembly_id TEXT NOT NULL REFERENCES assemblies (id),
    voter       TEXT NOT NULL,
    outcome     TEXT NOT NULL CHECK (outcome IN ('not_home', 'will_vote_online', 'paper_collected', 'refused')),
    note        TEXT NOT NULL DEFAULT '',
    visited_at  TEXT NOT NULL,
    recorded_by TEXT NOT NULL,
    recorded_at TEXT NOT NULL
);
CREATE INDEX door_visits_by_assembly ON door_visits (assembly_id, voter, visited_at);
