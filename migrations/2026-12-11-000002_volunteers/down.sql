DROP TABLE door_visits;
DROP TABLE volunteer_areas;
DELETE FROM user_roles WHERE role = 'volunteer';
CREATE TABLE user_roles_prev (
    user_id    TEXT NOT NULL REFERENCES users (id),
    estate_id  TEXT NOT NULL REFERENCES estates (id),
    role       TEXT NOT NULL CHECK (role IN ('secretary', 'auditor', 'admin')),
    granted_at TEXT NOT NULL,
    PRIMARY KEY (user_id, estate_id, role)
);
INSERT INTO user_roles_prev (user_id, estate_id, role, granted_at)
    SELECT user_id, estate_id, role, granted_at FROM user_roles;
DROP TABLE user_roles;
ALTER TABLE user_roles_prev RENAME TO user_roles;
