-- Server-side end of sessions. A session token (HS256) is otherwise valid until it expires,
-- so signing out, and ending all of a user's sessions, must be something the server checks.

-- A signed-out (or refreshed) session: its token id (`jti`), kept until the token would have
-- expired anyway (`expires_at`, Unix seconds, the token's `exp`); older rows are pruned.
CREATE TABLE revoked_sessions (
    jti         TEXT PRIMARY KEY,
    expires_at  BIGINT NOT NULL,
    revoked_at  TEXT NOT NULL
);
CREATE INDEX revoked_sessions_expiry ON revoked_sessions (expires_at);

-- A staff user's session generation: a staff token carries the generation it was issued
-- under, and only the current one is accepted. Raising it ends every session of the user at
-- once (sign-out everywhere, a password reset, a disabled account). No row: generation 0.
CREATE TABLE user_sessions (
    user_id     TEXT PRIMARY KEY REFERENCES users (id),
    generation  BIGINT NOT NULL CHECK (generation >= 0),
    changed_at  TEXT NOT NULL
);
