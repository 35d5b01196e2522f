-- Two-stage publication of a closed assembly's result (询异公示): a preliminary stage from
-- closing until `objections_until`, during which owners file objections and the secretary
-- resolves each; then the final stage, after which the count is frozen and exports are signed.
CREATE TABLE publications (
    assembly_id       TEXT PRIMARY KEY REFERENCES assemblies (id),
    estate_id         TEXT NOT NULL REFERENCES estates (id),
    stage             TEXT NOT NULL CHECK (stage IN ('preliminary', 'final')),
    preliminary_at    TEXT NOT NULL,
    objections_until  TEXT NOT NULL,
    final_at          TEXT,
    final_by          TEXT,
    CHECK ((stage = 'final') = (final_at IS NOT NULL))
);

CREATE TABLE objections (
    id            TEXT PRIMARY KEY,
    assembly_id   TEXT NOT NULL REFERENCES publications (assembly_id),
    item_id       TEXT NOT NULL REFERENCES items (id),
    -- The owner (voting member) who filed it.
    voter         TEXT NOT NULL,
    body          TEXT NOT NULL,
    filed_at      TEXT NOT NULL,
    status        TEXT NOT NULL CHECK (status IN ('open', 'rejected', 'corrected')),
    reason        TEXT,
    resolved_by   TEXT,
    resolved_at   TEXT,
    -- For a correction: the confirmed paper ballot version that corrected the record.
    ballot_version_id  TEXT REFERENCES ballot_versions (id),
    CHECK ((status = 'open') = (resolved_at IS NULL))
);
CREATE INDEX objections_assembly ON objections (assembly_id, status);
