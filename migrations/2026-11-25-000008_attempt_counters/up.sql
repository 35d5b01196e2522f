-- Failed sign-in attempts (voting codes, staff logins), counted per limit key (a client
-- address or an assembly) in short time buckets, so that every server on one database enforces
-- one limit. A bucket is its start in Unix seconds; buckets older than the window are pruned.
CREATE TABLE attempt_counters (
    limit_key  TEXT NOT NULL,
    bucket     BIGINT NOT NULL,
    attempts   INTEGER NOT NULL CHECK (attempts >= 0),
    PRIMARY KEY (limit_key, bucket)
);

CREATE INDEX attempt_counters_bucket ON attempt_counters (bucket);
