DROP TABLE assembly_extensions;
ALTER TABLE estates DROP COLUMN max_extension_days;
