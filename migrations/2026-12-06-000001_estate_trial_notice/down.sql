ALTER TABLE estates DROP COLUMN min_notice_days;
ALTER TABLE estates DROP COLUMN trial;
