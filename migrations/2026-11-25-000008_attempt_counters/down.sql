DROP INDEX attempt_counters_bucket;
DROP TABLE attempt_counters;
