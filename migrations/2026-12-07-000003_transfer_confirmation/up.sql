-- Issue 17: a transfer of a unit's voting right takes effect only once a second staff member
-- confirms it. Until then it is pending: the frozen electorate is unchanged and the seller may
-- still vote (and if they do, the transfer can no longer be confirmed).
ALTER TABLE voting_transfers ADD COLUMN state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'confirmed'));
-- Transfers recorded before this migration took effect when they were recorded.
UPDATE voting_transfers SET state = 'confirmed';
-- Who confirmed it and when; never the person who recorded it.
ALTER TABLE voting_transfers ADD COLUMN confirmed_by TEXT REFERENCES users (id) CHECK (confirmed_by IS NULL OR confirmed_by <> recorded_by);
ALTER TABLE voting_transfers ADD COLUMN confirmed_at TEXT;
-- The new owner was already a member of the assembly (the request said so explicitly): the
-- two members' units are then voted by one person, and the heads of the count drop by one.
ALTER TABLE voting_transfers ADD COLUMN buyer_is_member BOOLEAN NOT NULL DEFAULT FALSE;
