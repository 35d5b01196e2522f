-- Issue 19: documents of an item (plans, quotes, budgets, drawings: PDF or images), uploaded by
-- staff while the assembly is a draft and fixed once it is announced. The bytes are kept in the
-- database (every server of a PostgreSQL deployment serves them) with their SHA-256, which the
-- audit log, the export and the printed notice carry. A new version is a new document.
CREATE TABLE item_documents (
    id TEXT PRIMARY KEY,
    item_id TEXT NOT NULL REFERENCES items (id),
    name TEXT NOT NULL CHECK (length(name) > 0),
    content_type TEXT NOT NULL,
    size BIGINT NOT NULL CHECK (size > 0),
    sha256 TEXT NOT NULL,
    bytes BYTEA NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at TEXT NOT NULL
);
CREATE INDEX item_documents_by_item ON item_documents (item_id, uploaded_at);
