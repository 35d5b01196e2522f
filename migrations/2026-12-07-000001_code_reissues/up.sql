-- Issue 17: no secretary alone can read or replace an owner's voting code.

-- How each code reached its owner: 'email' (only in the invitation to the owner's address,
-- never shown to staff) or 'paper' (shown once to the staff member who issued it, `issued_by`,
-- to print the owner's sheet). Codes issued before this column: NULL.
ALTER TABLE voting_codes ADD COLUMN delivery TEXT CHECK (delivery IN ('email', 'paper'));
-- Every code a member was ever given for an assembly: whether they "had a code" (then a new
-- one is a re-issue), and the owner's own record of their codes.
CREATE INDEX voting_codes_member ON voting_codes (assembly_id, voter);

-- A re-issue of a member's code, as a paper ballot: requested by one staff member, it changes
-- nothing until a different one confirms it; then the old code is revoked and `code_id` names
-- the new one. At most one request per member is pending.
CREATE TABLE code_reissues (
    id            TEXT PRIMARY KEY,
    assembly_id   TEXT NOT NULL REFERENCES assemblies (id),
    voter         TEXT NOT NULL,
    reason        TEXT NOT NULL CHECK (reason <> ''),
    requested_by  TEXT NOT NULL REFERENCES users (id),
    requested_at  TEXT NOT NULL,
    confirmed_by  TEXT REFERENCES users (id),
    confirmed_at  TEXT,
    code_id       TEXT REFERENCES voting_codes (id),
    CHECK (confirmed_by IS NULL OR confirmed_by <> requested_by),
    CHECK ((confirmed_by IS NULL AND confirmed_at IS NULL AND code_id IS NULL)
        OR (confirmed_by IS NOT NULL AND confirmed_at IS NOT NULL AND code_id IS NOT NULL))
);
CREATE UNIQUE INDEX code_reissues_one_pending ON code_reissues (assembly_id, voter)
    WHERE confirmed_at IS NULL;
CREATE INDEX code_reissues_member ON code_reissues (assembly_id, voter, requested_at);
