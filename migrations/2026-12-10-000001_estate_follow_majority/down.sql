ALTER TABLE estates DROP COLUMN follow_majority_basis;
ALTER TABLE estates DROP COLUMN follow_majority;
