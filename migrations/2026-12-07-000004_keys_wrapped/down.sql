ALTER TABLE signing_keys RENAME COLUMN private_wrapped TO private_pem;
