-- An estate's own settings, fixed when it is created:
-- trial: a practice estate (shortened periods, every page and paper marked 试用/TRIAL), so that
--   a secretary can try the whole cycle without it ever passing for a real vote;
-- min_notice_days: the notice its rules of procedure require before voting on binding items
--   (rules.md §6, 15 days unless they say otherwise).
ALTER TABLE estates ADD COLUMN trial BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE estates ADD COLUMN min_notice_days BIGINT NOT NULL DEFAULT 15 CHECK (min_notice_days BETWEEN 1 AND 365);
