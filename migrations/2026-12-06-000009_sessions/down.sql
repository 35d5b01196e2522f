DROP TABLE user_sessions;
DROP INDEX revoked_sessions_expiry;
DROP TABLE revoked_sessions;
