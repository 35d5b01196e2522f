-- A signed export's bundle (30 MB at a mega-estate) kept in parts of about 1 MiB, so that
-- storing it and serving it never hold the whole file in memory (issue 22). Its size is kept
-- with the export, for the download's Content-Length.
CREATE TABLE export_parts (
    item_id  TEXT NOT NULL REFERENCES exports (item_id),
    seq      INTEGER NOT NULL,
    part     TEXT NOT NULL,
    PRIMARY KEY (item_id, seq)
);
INSERT INTO export_parts (item_id, seq, part) SELECT item_id, 0, bundle FROM exports;
ALTER TABLE exports ADD COLUMN bundle_bytes BIGINT NOT NULL DEFAULT 0;
UPDATE exports SET bundle_bytes = octet_length(bundle);
ALTER TABLE exports DROP COLUMN bundle;
