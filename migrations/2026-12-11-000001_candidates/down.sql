DROP TABLE candidates;
ALTER TABLE estates DROP COLUMN candidate_declarations;
