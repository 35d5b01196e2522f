-- Staff session tokens carry the generation of their user at sign-in; every authenticated
-- request compares it with this column, so that a password reset, disabling the user or
-- revoking a role (each adds one) ends every session issued before, at once.
ALTER TABLE users ADD COLUMN token_generation BIGINT NOT NULL DEFAULT 0;
