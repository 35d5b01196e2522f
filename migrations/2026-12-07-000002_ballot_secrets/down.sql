ALTER TABLE ballot_versions DROP COLUMN receipt_secret;
