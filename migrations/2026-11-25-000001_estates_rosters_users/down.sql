DROP TABLE user_roles;
DROP TABLE users;
DROP TABLE unit_contacts;
DROP TABLE units;
DROP TABLE roster_versions;
DROP TABLE estates;
