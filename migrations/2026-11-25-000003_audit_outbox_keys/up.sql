-- The head of each audit hash chain. Writers lock this row, so a chain never forks.
-- chain = an estate id, or 'system' for events that belong to no estate.
CREATE TABLE audit_chains (
    chain      TEXT PRIMARY KEY,
    last_seq   BIGINT NOT NULL,
    head_hash  TEXT NOT NULL
);

-- Append-only: entry_hash = sha256(prev_hash || canonical entry bytes), see crates/store/src/audit.rs.
CREATE TABLE audit_log (
    chain       TEXT NOT NULL REFERENCES audit_chains (chain),
    seq         BIGINT NOT NULL CHECK (seq >= 1),
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    action      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    detail      TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    entry_hash  TEXT NOT NULL UNIQUE,
    PRIMARY KEY (chain, seq)
);

CREATE TABLE outbox (
    id               TEXT PRIMARY KEY,
    estate_id        TEXT REFERENCES estates (id),
    dedupe_key       TEXT NOT NULL UNIQUE,
    recipient        TEXT NOT NULL,
    subject          TEXT NOT NULL,
    body_text        TEXT NOT NULL,
    body_html        TEXT,
    status           TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    last_error       TEXT,
    created_at       TEXT NOT NULL,
    sent_at          TEXT,
    CHECK ((status = 'sent') = (sent_at IS NOT NULL))
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);

-- Ed25519 keys per estate; retired keys stay so old exports still verify.
CREATE TABLE signing_keys (
    id           TEXT PRIMARY KEY,
    estate_id    TEXT NOT NULL REFERENCES estates (id),
    kid          TEXT NOT NULL UNIQUE,
    private_pem  TEXT NOT NULL,
    public_pem   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    retired_at   TEXT
);
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (estate_id) WHERE retired_at IS NULL;
