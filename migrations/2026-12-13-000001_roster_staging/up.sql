-- A roster import stores its units under a pending version in short transactions of its own,
-- then makes it current in one brief one: a large import never holds the database's writer (on
-- SQLite, every estate's) for long. A pending version is read by nothing but the import that
-- stages it; its number is a placeholder until it is made current.
ALTER TABLE roster_versions ADD COLUMN pending BOOLEAN NOT NULL DEFAULT FALSE;
