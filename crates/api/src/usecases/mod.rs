//! The service's use cases: its rules and workflows, one module per workflow.
//!
//! Each use case takes a [`Caller`] (who, with which role, for which estate) and a plain typed
//! request, calls the store and the domain, and returns a typed result or a [`UseCaseError`].
//! It knows nothing of HTTP: the JSON routes (`routes/`) and the pages (`web/`) are
//! thin adapters that read a request, call a use case and render its answer, so the API and
//! the pages cannot differ on a rule. Use cases are synchronous, as the store is; the adapters
//! run them on the blocking pool (`crate::blocking::db`). `tests/layering.rs` keeps the web framework out of here.

pub mod ballots;
pub mod caller;
pub mod candidates;
pub mod codes;
pub mod dashboard;
pub mod documents;
pub mod error;
pub mod estates;
pub mod exports;
pub mod extension;
pub mod lifecycle;
pub mod listing;
pub mod log;
pub mod notices;
pub mod paper;
pub mod proxies;
pub mod publication;
pub mod results;
pub mod roster;
pub mod rounds;
pub mod scope;
pub mod sessions;
pub mod setup;
pub mod sms;
pub mod volunteers;
pub mod voting;

pub use caller::{Caller, OwnerCaller, StaffCaller};
pub use error::UseCaseError;
