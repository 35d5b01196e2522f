//! The store's one error type. The API crate maps it to HTTP, once, at the edge.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

use crate::roster::RosterIssue;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The roster file has errors; nothing was stored. Every error is listed with its line.
    #[error("the roster has {} error(s); nothing was stored", .0.len())]
    RosterInvalid(Vec<RosterIssue>),
    /// The thing asked for does not exist (404).
    #[error("{0} not found")]
    NotFound(String),
    /// The request clashes with what is stored: a duplicate, a state that no longer allows it,
    /// an idempotency key reused for a different request (409).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The request breaks a constraint of the data itself, e.g. an empty electorate (422).
    #[error("invalid: {0}")]
    Invalid(String),
    /// The database cannot be reached now or is busy; the request may be retried (503).
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Stored data does not decode: a bug or a hand-edited database (500).
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
    /// Applying the embedded migrations failed at start-up.
    #[error("migrating the database failed: {0}")]
    Migration(String),
    /// Any other database error (500).
    #[error("database error: {0}")]
    Database(DieselError),
}

impl From<DieselError> for StoreError {
    fn from(error: DieselError) -> Self {
        match error {
            DieselError::NotFound => StoreError::NotFound("record".into()),
            DieselError::DatabaseError(kind, info) => {
                let message = info.message().to_owned();
                match kind {
                    DatabaseErrorKind::UniqueViolation => StoreError::Conflict(message),
                    DatabaseErrorKind::ForeignKeyViolation | DatabaseErrorKind::CheckViolation | DatabaseErrorKind::NotNullViolation => {
                        StoreError::Invalid(message)
                    }
                    DatabaseErrorKind::SerializationFailure | DatabaseErrorKind::ClosedConnection => StoreError::Unavailable(message),
                    // SQLite reports a held write lock past busy_timeout only as text.
                    _ if message.contains("database is locked") || message.contains("database is busy") => {
                        StoreError::Unavailable(message)
                    }
                    _ => StoreError::Database(DieselError::DatabaseError(kind, info)),
                }
            }
            DieselError::BrokenTransactionManager => StoreError::Unavailable("broken transaction".into()),
            other => StoreError::Database(other),
        }
    }
}

impl From<diesel::r2d2::PoolError> for StoreError {
    fn from(error: diesel::r2d2::PoolError) -> Self {
        StoreError::Unavailable(error.to_string())
    }
}
