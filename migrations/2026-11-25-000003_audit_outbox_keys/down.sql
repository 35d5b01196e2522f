DROP INDEX signing_keys_one_active;
DROP TABLE signing_keys;
DROP TABLE outbox;
DROP TABLE audit_log;
DROP TABLE audit_chains;
