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
    /// The disk holding the database (or a file being written) is full: SQLite's SQLITE_FULL,
    /// PostgreSQL's `disk_full` (SQLSTATE 53100). Nothing was written; retry once space is freed.
    #[error("storage full: {0}")]
    StorageFull(String),
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

/// Messages of SQLite (SQLITE_FULL) and PostgreSQL (SQLSTATE 53100 `disk_full`, whose text
/// names the OS error ENOSPC) that mean the disk is full. Diesel keeps no SQLSTATE, so text.
const FULL_TEXTS: &[&str] = &[
    "database or disk is full",
    "No space left on device",
    "could not extend file",
];

/// Messages of SQLite and PostgreSQL that mean "not now, retry", not "wrong request" or "bug".
const UNAVAILABLE_TEXTS: &[&str] = &[
    "database is locked",
    "database is busy",
    "terminating connection",
    "the database system is starting up",
    "the database system is shutting down",
    "the database system is in recovery mode",
    "too many clients already",
    "server closed the connection unexpectedly",
    "no connection to the server",
    "could not connect to server",
    "canceling statement due to conflict with recovery",
];

impl From<DieselError> for StoreError {
    fn from(error: DieselError) -> Self {
        let error = StoreError::from_diesel(error);
        if matches!(error, StoreError::Unavailable(_)) {
            crate::db::note_failure();
        }
        error
    }
}

impl StoreError {
    fn from_diesel(error: DieselError) -> Self {
        match error {
            DieselError::NotFound => StoreError::NotFound("record".into()),
            DieselError::DatabaseError(kind, info) => {
                let message = info.message().to_owned();
                match kind {
                    DatabaseErrorKind::UniqueViolation => StoreError::Conflict(message),
                    DatabaseErrorKind::ForeignKeyViolation
                    | DatabaseErrorKind::CheckViolation
                    | DatabaseErrorKind::NotNullViolation => StoreError::Invalid(message),
                    DatabaseErrorKind::SerializationFailure
                    | DatabaseErrorKind::ClosedConnection => StoreError::Unavailable(message),
                    _ if FULL_TEXTS.iter().any(|text| message.contains(text)) => {
                        StoreError::StorageFull(message)
                    }
                    // PostgreSQL keeps no NUL in text (SQLSTATE 22021); the edge refuses one in
                    // a JSON body, a form or an address, so this is the last line for any other
                    // text: the request's fault, not a bug. Nothing was written.
                    _ if message.contains("invalid byte sequence") && message.contains("0x00") => {
                        StoreError::Invalid(
                            "text may not contain the NUL character (U+0000)".into(),
                        )
                    }
                    // SQLite reports a held write lock past busy_timeout only as text; so does
                    // PostgreSQL a server shutting down or restarting, a backend terminated by an
                    // administrator, or no connection slot left (diesel keeps no SQLSTATE).
                    _ if UNAVAILABLE_TEXTS.iter().any(|text| message.contains(text)) => {
                        StoreError::Unavailable(message)
                    }
                    _ => StoreError::Database(DieselError::DatabaseError(kind, info)),
                }
            }
            DieselError::BrokenTransactionManager => {
                StoreError::Unavailable("broken transaction".into())
            }
            other => StoreError::Database(other),
        }
    }
}

impl StoreError {
    /// A file-system error, with ENOSPC (and a disk quota) recognised as a full disk.
    pub fn from_io(what: &str, error: &std::io::Error) -> StoreError {
        match error.kind() {
            std::io::ErrorKind::StorageFull | std::io::ErrorKind::QuotaExceeded => {
                StoreError::StorageFull(format!("{what}: {error}"))
            }
            _ => StoreError::Unavailable(format!("{what}: {error}")),
        }
    }
}

impl From<diesel::r2d2::PoolError> for StoreError {
    fn from(error: diesel::r2d2::PoolError) -> Self {
        crate::db::note_failure();
        StoreError::Unavailable(error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database_error(kind: DatabaseErrorKind, message: &str) -> StoreError {
        StoreError::from(DieselError::DatabaseError(
            kind,
            Box::new(message.to_owned()),
        ))
    }

    #[test]
    fn a_busy_or_vanishing_database_is_unavailable_not_a_bug() {
        for message in [
            "database is locked",
            "terminating connection due to administrator command",
            "FATAL:  the database system is shutting down",
            "FATAL:  sorry, too many clients already",
            "server closed the connection unexpectedly\n\tThis probably means the server terminated abnormally",
        ] {
            assert!(
                matches!(
                    database_error(DatabaseErrorKind::Unknown, message),
                    StoreError::Unavailable(_)
                ),
                "{message}"
            );
        }
        assert!(matches!(
            database_error(DatabaseErrorKind::ClosedConnection, "gone"),
            StoreError::Unavailable(_)
        ));
        assert!(matches!(
            database_error(
                DatabaseErrorKind::Unknown,
                "syntax error at or near \"SELEC\""
            ),
            StoreError::Database(_)
        ));
        assert!(matches!(
            database_error(DatabaseErrorKind::UniqueViolation, "duplicate key"),
            StoreError::Conflict(_)
        ));
    }

    #[test]
    fn a_nul_in_text_is_the_requests_fault() {
        let error = database_error(
            DatabaseErrorKind::Unknown,
            "invalid byte sequence for encoding \"UTF8\": 0x00",
        );
        assert!(matches!(error, StoreError::Invalid(_)), "{error:?}");
    }

    #[test]
    fn a_full_disk_is_storage_full_on_both_backends() {
        for message in [
            "database or disk is full",
            "could not extend file \"base/16384/2619\": No space left on device",
            "could not write to file \"pg_wal/xlogtemp.123\": No space left on device",
        ] {
            assert!(
                matches!(
                    database_error(DatabaseErrorKind::Unknown, message),
                    StoreError::StorageFull(_)
                ),
                "{message}"
            );
        }
        let enospc = std::io::Error::from(std::io::ErrorKind::StorageFull);
        assert!(matches!(
            StoreError::from_io("writing", &enospc),
            StoreError::StorageFull(_)
        ));
        let other = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert!(matches!(
            StoreError::from_io("writing", &other),
            StoreError::Unavailable(_)
        ));
    }
}
