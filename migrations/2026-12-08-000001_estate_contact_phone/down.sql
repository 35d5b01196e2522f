ALTER TABLE estates DROP COLUMN contact_phone;
