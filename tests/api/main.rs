//! End-to-end tests: the real server, started in-process on a free port with a fresh database,
//! driven over HTTP. Each test runs on SQLite, and on PostgreSQL when
//! `GONGJUE_TEST_DATABASE_URL` is set (`GONGJUE_REQUIRE_POSTGRES=1` makes a missing server fail).

// Helpers and scenario bodies are not `#[test]` functions, so clippy.toml's test allowances
// do not reach them; a failed expectation here is a failed test, as intended.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

mod helpers;
mod smtp;

mod access_matrix;
mod attempts;
mod authorization;
mod backup;
mod ballots;
mod bounds;
mod candidates;
mod codes;
mod documents;
mod errors;
mod export;
mod extension;
mod follow;
mod hostile;
mod keys_files;
mod listing;
mod notices;
mod outage;
mod owner_pages;
mod paper_sheets;
mod privacy;
mod publication;
mod results_pages;
mod rounds;
mod rules;
mod scenario;
mod security;
mod setup_mistakes;
mod sms;
mod staff_pages;
mod tampering;
mod transfers;
mod transparency;
mod trial;
mod volunteers;
mod voting_link;
mod walkthrough;
mod web_matrix;
mod web_pages;
