DROP INDEX code_reissues_member;
DROP INDEX code_reissues_one_pending;
DROP TABLE code_reissues;
DROP INDEX voting_codes_member;
ALTER TABLE voting_codes DROP COLUMN delivery;
