-- Portable SQL: this one folder serves SQLite and PostgreSQL.
-- Ids are UUIDv7 strings; timestamps are RFC 3339 UTC strings of fixed width
-- (YYYY-MM-DDTHH:MM:SS.ffffffZ), so they sort as text on both backends.
-- Areas are BIGINT hundredths of a square metre (0.01 m²), never floating point.

CREATE TABLE estates (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

-- One import of the roster = one version; a version is never edited after it is stored.
CREATE TABLE roster_versions (
    id                TEXT PRIMARY KEY,
    estate_id         TEXT NOT NULL REFERENCES estates (id),
    version           BIGINT NOT NULL CHECK (version >= 1),
    imported_at       TEXT NOT NULL,
    imported_by       TEXT,
    source_name       TEXT NOT NULL,
    source_sha256     TEXT NOT NULL,
    units_count       BIGINT NOT NULL CHECK (units_count >= 0),
    total_area_cents  BIGINT NOT NULL CHECK (total_area_cents >= 0),
    UNIQUE (estate_id, version)
);

-- Voting data only: contact data lives in unit_contacts.
CREATE TABLE units (
    id                 TEXT PRIMARY KEY,
    roster_version_id  TEXT NOT NULL REFERENCES roster_versions (id),
    unit_number        TEXT NOT NULL,
    zone               TEXT NOT NULL,
    building           TEXT NOT NULL,
    stairwell          TEXT NOT NULL,
    room               TEXT NOT NULL,
    floor              INTEGER,
    area_cents         BIGINT NOT NULL CHECK (area_cents > 0),
    owner_id           TEXT NOT NULL CHECK (owner_id <> ''),
    source_line        BIGINT NOT NULL,
    UNIQUE (roster_version_id, unit_number)
);
CREATE INDEX units_scope ON units (roster_version_id, building, stairwell);

CREATE TABLE unit_contacts (
    unit_id     TEXT PRIMARY KEY REFERENCES units (id),
    owner_name  TEXT,
    phone       TEXT,
    email       TEXT
);

CREATE TABLE users (
    id             TEXT PRIMARY KEY,
    login          TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    -- argon2 PHC string; hashing is the API's job.
    password_hash  TEXT NOT NULL,
    disabled       BOOLEAN NOT NULL DEFAULT FALSE,
    created_at     TEXT NOT NULL
);

CREATE TABLE user_roles (
    user_id    TEXT NOT NULL REFERENCES users (id),
    estate_id  TEXT NOT NULL REFERENCES estates (id),
    role       TEXT NOT NULL CHECK (role IN ('secretary', 'auditor', 'admin')),
    granted_at TEXT NOT NULL,
    PRIMARY KEY (user_id, estate_id, role)
);
