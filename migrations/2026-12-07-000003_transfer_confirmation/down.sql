ALTER TABLE voting_transfers DROP COLUMN buyer_is_member;
ALTER TABLE voting_transfers DROP COLUMN confirmed_at;
ALTER TABLE voting_transfers DROP COLUMN confirmed_by;
ALTER TABLE voting_transfers DROP COLUMN state;
