DELETE FROM unit_contacts WHERE unit_id IN (
    SELECT units.id FROM units JOIN roster_versions ON roster_versions.id = units.roster_version_id
    WHERE roster_versions.pending);
DELETE FROM units WHERE roster_version_id IN (SELECT id FROM roster_versions WHERE pending);
DELETE FROM roster_versions WHERE pending;
ALTER TABLE roster_versions DROP COLUMN pending;
