//! The rules of an owners' assembly (业主大会), as pure functions over plain values.
//!
//! No I/O, no database, no HTTP: the store and the API call in, this crate never calls out.
//! `../shared/spec/rules.md` is the reference; `docs/rules.md` states each rule with its legal source.

pub mod area;
