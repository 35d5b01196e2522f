-- Issue 19: extending the voting period of an open assembly that falls short of 2/3.
-- max_extension_days: how far the estate's rules of procedure let voting be extended in all,
--   counted from the original closing time (e.g. at most 3 months: 90), fixed at creation.
ALTER TABLE estates ADD COLUMN max_extension_days BIGINT NOT NULL DEFAULT 90 CHECK (max_extension_days BETWEEN 0 AND 365);
-- Every extension, in order: the closing time it moved from and to, and why. The first row's
-- from_closes_at is the original closing time. Timestamps are fixed-width UTC text, so text
-- order is time order.
CREATE TABLE assembly_extensions (
    id TEXT PRIMARY KEY,
    assembly_id TEXT NOT NULL REFERENCES assemblies (id),
    from_closes_at TEXT NOT NULL,
    to_closes_at TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (length(reason) > 0),
    extended_by TEXT NOT NULL,
    extended_at TEXT NOT NULL,
    CHECK (to_closes_at > from_closes_at)
);
CREATE INDEX assembly_extensions_by_assembly ON assembly_extensions (assembly_id, extended_at);
