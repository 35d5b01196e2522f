-- Issue 17: export signing keys are stored wrapped (ChaCha20-Poly1305 under a key derived from
-- the server's secret file, which is not in the database), never as plaintext PEM. Rows written
-- by earlier versions still hold a PEM here until the next `gongjue serve` (or any command
-- given the secret file) wraps them, in one transaction; see crates/api/src/export/wrap.rs.
ALTER TABLE signing_keys RENAME COLUMN private_pem TO private_wrapped;
