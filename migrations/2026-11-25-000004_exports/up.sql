-- Signed exports of closed items. The bytes are stored as first served, so that every later
-- download is byte for byte the file whose SHA-256 the signature covers.
CREATE TABLE exports (
    item_id        TEXT PRIMARY KEY REFERENCES items (id),
    estate_id      TEXT NOT NULL REFERENCES estates (id),
    name           TEXT NOT NULL,
    bundle         TEXT NOT NULL,
    bundle_sha256  TEXT NOT NULL,
    jws            TEXT NOT NULL,
    kid            TEXT NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX exports_estate ON exports (estate_id);
