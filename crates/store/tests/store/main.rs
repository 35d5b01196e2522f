//! The store's test suite, one binary, every scenario on SQLite and (when configured) PostgreSQL.

mod fixtures;
mod harness;

mod attempts;
mod audit_chain;
mod ballots;
mod crash;
mod electorate;
mod exports;
mod group_commit;
mod integrity;
mod notices;
mod open;
mod outbox_keys;
mod privacy;
mod publications;
mod reissues;
mod representation;
mod rosters;
