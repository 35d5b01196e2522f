ALTER TABLE exports ADD COLUMN bundle TEXT NOT NULL DEFAULT '';
UPDATE exports SET bundle = COALESCE(
    (SELECT string_agg(part, '' ORDER BY seq) FROM export_parts WHERE export_parts.item_id = exports.item_id),
    '');
ALTER TABLE exports DROP COLUMN bundle_bytes;
DROP TABLE export_parts;
