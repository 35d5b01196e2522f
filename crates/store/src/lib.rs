//! Persistence of estates, rosters, decisions and ballots (diesel, SQLite and PostgreSQL).

pub mod error;
pub mod roster;

pub use error::StoreError;
