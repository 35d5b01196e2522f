-- Notices by e-mail (issue 6): what each outbox row is about, so the secretary can list the
-- outbox of an assembly, and the language an owner (or the estate) wants notices in.
ALTER TABLE outbox ADD COLUMN kind TEXT NOT NULL DEFAULT 'notice';
ALTER TABLE outbox ADD COLUMN assembly_id TEXT REFERENCES assemblies (id);
ALTER TABLE outbox ADD COLUMN voter TEXT;
CREATE INDEX outbox_assembly ON outbox (assembly_id, created_at);

-- owner_id '' is the estate's default; otherwise one owner's preference.
CREATE TABLE notice_languages (
    estate_id  TEXT NOT NULL REFERENCES estates (id),
    owner_id   TEXT NOT NULL,
    language   TEXT NOT NULL CHECK (language IN ('zh-CN', 'en')),
    PRIMARY KEY (estate_id, owner_id)
);
