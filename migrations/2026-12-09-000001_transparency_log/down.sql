DROP TABLE log_witness_reports;
DROP TABLE log_witnesses;
DROP TABLE log_checkpoints;
