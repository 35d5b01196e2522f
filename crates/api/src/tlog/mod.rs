//! The transparency log's arithmetic, signatures and files (issue 18), free of the store and of
//! HTTP so that the server, `gongjue verify` and `gongjue witness` share one reading:
//! `tree` (RFC 6962 via `tlog_tiles`), `note` (C2SP signed notes via `signed_note`) and
//! `proof` (the inclusion and consistency files owners and witnesses keep).

pub mod note;
pub mod proof;
pub mod tree;

/// Why a log, a checkpoint or a proof was refused.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("the log is too large")]
    TooLarge,
    #[error("malformed {0}")]
    Malformed(&'static str),
    #[error("key name {0:?} is not a valid note key name (no spaces or '+')")]
    BadName(String),
    #[error("unusable key: {0}")]
    BadKey(String),
    #[error("signed note: {0}")]
    Note(#[from] signed_note::NoteError),
    #[error("tree: {0}")]
    Tree(#[from] tlog_tiles::tlog::Error),
    #[error("the entry is not included in the checkpoint's tree")]
    NotIncluded,
    #[error(
        "the later checkpoint does not extend the earlier one: the log's history was rewritten"
    )]
    Inconsistent,
    #[error("{0}")]
    Mismatch(String),
}
