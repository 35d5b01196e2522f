//! Persistence of estates, rosters, decisions and ballots (diesel, SQLite and PostgreSQL).

pub mod error;
pub mod roster;

mod db;
mod schema;

pub mod assemblies;
pub mod attempts;
pub mod audit;
pub mod backup;
mod ballot_batch;
pub mod ballots;
pub mod candidates;
pub mod codes;
pub mod documents;
pub mod electorate;
pub mod estates;
pub mod exports;
pub mod extensions;
pub mod files;
mod group_commit;
pub mod integrity;
pub mod keys;
pub mod listing;
pub mod lookup;
pub mod notices;
pub mod outbox;
pub mod privacy;
pub mod proxies;
pub mod publications;
pub mod reissues;
pub mod revocation;
pub mod rosters;
pub mod rounds;
pub mod sessions;
pub mod sms;
pub mod staff;
pub mod transfers;
pub mod transparency;
pub mod users;
pub mod volunteers;

pub use db::{AnyConnection, Backend, Store, Waits, new_id, timestamp};
pub use error::StoreError;
