//! The store's one error type. The API crate maps it to HTTP, once, at the edge.

use crate::roster::RosterIssue;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The roster file has errors; nothing was stored. Every error is listed with its line.
    #[error("the roster has {} error(s); nothing was stored", .0.len())]
    RosterInvalid(Vec<RosterIssue>),
}
