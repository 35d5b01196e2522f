DROP TABLE notice_languages;
DROP INDEX outbox_assembly;
ALTER TABLE outbox DROP COLUMN voter;
ALTER TABLE outbox DROP COLUMN assembly_id;
ALTER TABLE outbox DROP COLUMN kind;
