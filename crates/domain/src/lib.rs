//! The rules of an owners' assembly (业主大会), as pure functions over plain values.
//!
//! No I/O, no database, no HTTP: the store and the API call in, this crate never calls out.
//! `../shared/spec/rules.md` is the reference; `docs/rules.md` states each rule with its legal
//! source. One file per concept:
//!
//! - [`area`]: exact areas in 0.01 m²; [`fraction`]: p/q and the `>=` / `>` comparisons;
//! - [`weight`]: area, heads and units of a set of members; [`threshold`] and [`rule`]: art. 278;
//! - [`electorate`]: units, members (one head per owner), scopes and groups;
//! - [`ballot_box`], [`participation`], [`motion`], [`election`], [`consultation`], [`breakdown`];
//! - [`tally`]: one decision ready to count; [`bundle`]: the `gongjue-tally/1` file format.

pub mod area;
pub mod ballot_box;
pub mod breakdown;
pub mod bundle;
pub mod consultation;
pub mod election;
pub mod electorate;
pub mod error;
pub mod fraction;
pub mod motion;
pub mod participation;
pub mod rule;
pub mod tally;
pub mod text;
pub mod threshold;
pub mod weight;

pub use error::DomainError;
