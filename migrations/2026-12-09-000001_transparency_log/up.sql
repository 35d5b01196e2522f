-- The transparency log (issue 18): each estate's audit chain is also the leaf sequence of an
-- RFC 6962 Merkle tree (leaf i = the entry with seq i+1). A checkpoint is the tree's size and
-- root, signed as a C2SP signed note; witnesses (the residents' committee, the street office)
-- check that each checkpoint extends the last one they cosigned, and cosign it or dissent.
CREATE TABLE log_checkpoints (
    chain TEXT NOT NULL,
    size BIGINT NOT NULL,
    -- Base64 of the 32-byte root, as in the note's third line.
    root_hash TEXT NOT NULL,
    -- The whole signed note (text and the server's signature line).
    note TEXT NOT NULL,
    -- Why it was made: announced, opened, daily, closed, preliminary, final, requested, …
    reason TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (chain, size)
);

CREATE TABLE log_witnesses (
    chain TEXT NOT NULL,
    name TEXT NOT NULL,
    -- The witness's note verifier key (name+keyid+base64 key).
    vkey TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (chain, name)
);

CREATE TABLE log_witness_reports (
    chain TEXT NOT NULL,
    witness TEXT NOT NULL,
    size BIGINT NOT NULL,
    -- 'cosigned' (signature holds the witness's signature line over the checkpoint) or
    -- 'dissent' (signature holds the witness's signed dissent note).
    verdict TEXT NOT NULL,
    signature TEXT NOT NULL,
    reason TEXT,
    received_at TEXT NOT NULL,
    PRIMARY KEY (chain, witness, size)
);
