//! The store's test suite, one binary, every scenario on SQLite and (when configured) PostgreSQL.

mod harness;
mod fixtures;

mod attempts;
mod audit_chain;
mod ballots;
mod crash;
mod electorate;
mod group_commit;
mod integrity;
mod notices;
mod open;
mod outbox_keys;
mod publications;
mod representation;
mod rosters;
