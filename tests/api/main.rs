//! End-to-end tests: the real server, started in-process on a free port with a fresh database,
//! driven over HTTP. Each test runs on SQLite, and on PostgreSQL when
//! `GONGJUE_TEST_DATABASE_URL` is set (`GONGJUE_REQUIRE_POSTGRES=1` makes a missing server fail).

mod helpers;

mod authorization;
mod errors;
mod rules;
mod scenario;
