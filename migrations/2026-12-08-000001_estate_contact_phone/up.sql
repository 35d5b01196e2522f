-- The telephone number owners call for help, set by the secretary and shown on every owner page
-- (issue 21). NULL: none given yet; the pages then say to ask the committee.
ALTER TABLE estates ADD COLUMN contact_phone TEXT;
