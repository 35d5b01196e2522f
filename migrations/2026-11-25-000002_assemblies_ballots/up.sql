-- One meeting (or consultation round) of an estate, with several items on one ballot sheet.
CREATE TABLE assemblies (
    id                  TEXT PRIMARY KEY,
    estate_id           TEXT NOT NULL REFERENCES estates (id),
    title               TEXT NOT NULL,
    state               TEXT NOT NULL DEFAULT 'draft'
                        CHECK (state IN ('draft', 'announced', 'open', 'closed', 'cancelled')),
    announced_at        TEXT,
    opens_at            TEXT NOT NULL,
    closes_at           TEXT NOT NULL,
    ballots_changeable  BOOLEAN NOT NULL DEFAULT TRUE,
    -- Further procedural options (JSON object), e.g. the objection period.
    options             TEXT NOT NULL DEFAULT '{}',
    created_at          TEXT NOT NULL,
    CHECK (opens_at < closes_at)
);

-- A decision: motion, election or consultation. rule/scope/definition are JSON texts
-- (rule in the gongjue-tally/1 format; definition = seats+candidates or questions).
CREATE TABLE items (
    id                    TEXT PRIMARY KEY,
    assembly_id           TEXT NOT NULL REFERENCES assemblies (id),
    position              INTEGER NOT NULL,
    kind                  TEXT NOT NULL CHECK (kind IN ('motion', 'election', 'consultation')),
    title                 TEXT NOT NULL,
    body                  TEXT NOT NULL,
    matter                INTEGER CHECK (matter BETWEEN 1 AND 9),
    rule                  TEXT NOT NULL,
    scope                 TEXT NOT NULL,
    definition            TEXT NOT NULL DEFAULT '{}',
    state                 TEXT NOT NULL DEFAULT 'draft'
                          CHECK (state IN ('draft', 'open', 'closed', 'withdrawn')),
    roster_version_id     TEXT REFERENCES roster_versions (id),
    electorate_frozen_at  TEXT,
    created_at            TEXT NOT NULL,
    UNIQUE (assembly_id, position),
    -- A binding motion names its Civil Code art. 278 matter; other kinds may not.
    CHECK ((kind = 'motion') = (matter IS NOT NULL)),
    CHECK ((roster_version_id IS NULL) = (electorate_frozen_at IS NULL))
);

-- The frozen electorate: a copy of the in-scope units, taken when voting opens.
CREATE TABLE electorate_units (
    item_id      TEXT NOT NULL REFERENCES items (id),
    unit_number  TEXT NOT NULL,
    zone         TEXT NOT NULL,
    building     TEXT NOT NULL,
    stairwell    TEXT NOT NULL,
    floor        INTEGER,
    area_cents   BIGINT NOT NULL CHECK (area_cents > 0),
    voter        TEXT NOT NULL,
    PRIMARY KEY (item_id, unit_number)
);
CREATE INDEX electorate_units_voter ON electorate_units (item_id, voter);

-- Voting codes: only a hash is stored; re-issuing revokes the old code.
CREATE TABLE voting_codes (
    id           TEXT PRIMARY KEY,
    assembly_id  TEXT NOT NULL REFERENCES assemblies (id),
    voter        TEXT NOT NULL,
    code_hash    TEXT NOT NULL UNIQUE,
    issued_at    TEXT NOT NULL,
    issued_by    TEXT REFERENCES users (id),
    revoked_at   TEXT
);
CREATE UNIQUE INDEX voting_codes_one_active ON voting_codes (assembly_id, voter) WHERE revoked_at IS NULL;

-- A written authorization: holder votes for member on some items or the whole assembly.
CREATE TABLE proxies (
    id               TEXT PRIMARY KEY,
    assembly_id      TEXT NOT NULL REFERENCES assemblies (id),
    member           TEXT NOT NULL,
    holder           TEXT NOT NULL,
    whole_assembly   BOOLEAN NOT NULL,
    document_ref     TEXT NOT NULL CHECK (document_ref <> ''),
    recorded_by      TEXT NOT NULL REFERENCES users (id),
    recorded_at      TEXT NOT NULL,
    revoked_at       TEXT,
    CHECK (member <> holder)
);
CREATE TABLE proxy_items (
    proxy_id  TEXT NOT NULL REFERENCES proxies (id),
    item_id   TEXT NOT NULL REFERENCES items (id),
    PRIMARY KEY (proxy_id, item_id)
);

-- A unit sold while voting is open: its voting right moves only by a recorded transfer.
CREATE TABLE voting_transfers (
    id             TEXT PRIMARY KEY,
    assembly_id    TEXT NOT NULL REFERENCES assemblies (id),
    unit_number    TEXT NOT NULL,
    from_voter     TEXT NOT NULL,
    to_voter       TEXT NOT NULL,
    deed_ref       TEXT NOT NULL CHECK (deed_ref <> ''),
    recorded_by    TEXT NOT NULL REFERENCES users (id),
    recorded_at    TEXT NOT NULL,
    CHECK (from_voter <> to_voter)
);

-- Every version of every ballot, never updated except to record a paper confirmation.
-- A paper ballot counts only once confirmed by a second user.
CREATE TABLE ballot_versions (
    id               TEXT PRIMARY KEY,
    item_id          TEXT NOT NULL REFERENCES items (id),
    voter            TEXT NOT NULL,
    seq              BIGINT NOT NULL CHECK (seq >= 1),
    channel          TEXT NOT NULL CHECK (channel IN ('web', 'paper', 'proxy')),
    choice           TEXT NOT NULL,
    cast_at          TEXT NOT NULL,
    recorded_at      TEXT NOT NULL,
    proxy_id         TEXT REFERENCES proxies (id),
    idempotency_key  TEXT NOT NULL UNIQUE,
    request_sha256   TEXT NOT NULL,
    entered_by       TEXT REFERENCES users (id),
    confirmed_by     TEXT REFERENCES users (id),
    confirmed_at     TEXT,
    UNIQUE (item_id, voter, seq),
    CHECK (channel <> 'paper' OR entered_by IS NOT NULL),
    CHECK (channel <> 'proxy' OR proxy_id IS NOT NULL),
    CHECK ((confirmed_by IS NULL) = (confirmed_at IS NULL)),
    CHECK (confirmed_by IS NULL OR (channel = 'paper' AND confirmed_by <> entered_by))
);

-- The current ballot: exactly one per voter and item, pointing at its latest version.
CREATE TABLE ballots (
    item_id       TEXT NOT NULL REFERENCES items (id),
    voter         TEXT NOT NULL,
    version_id    TEXT NOT NULL UNIQUE REFERENCES ballot_versions (id),
    seq           BIGINT NOT NULL,
    channel       TEXT NOT NULL CHECK (channel IN ('web', 'paper', 'proxy')),
    choice        TEXT NOT NULL,
    cast_at       TEXT NOT NULL,
    proxy_id      TEXT REFERENCES proxies (id),
    entered_by    TEXT REFERENCES users (id),
    confirmed_by  TEXT REFERENCES users (id),
    confirmed_at  TEXT,
    PRIMARY KEY (item_id, voter),
    CHECK (channel <> 'paper' OR entered_by IS NOT NULL),
    CHECK ((confirmed_by IS NULL) = (confirmed_at IS NULL)),
    CHECK (confirmed_by IS NULL OR (channel = 'paper' AND confirmed_by <> entered_by))
);
