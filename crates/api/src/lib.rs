//! The Gongjue service: HTTP API, configuration, authentication, and the `gongjue` CLI.
//!
//! Requests flow one way: HTTP (`routes`, parse and authorize) → store (transaction) → domain
//! (count). Rules of the law live in `gongjue_domain`; SQL lives in `gongjue_store`.

pub mod app;
pub mod auth;
pub mod blocking;
pub mod body;
pub mod cli;
pub mod config;
pub mod count;
pub mod countable;
pub mod csv_out;
pub mod downloads;
pub mod edge;
pub mod error;
pub mod export;
pub mod files;
pub mod i18n;
pub mod items;
pub mod mail;
pub mod memory;
pub mod paging;
pub mod publication;
pub mod retention;
pub mod routes;
pub mod schema_refs;
pub mod security_headers;
pub mod sms;
pub mod state;
pub mod timetable;
pub mod tlog;
pub mod usecases;
pub mod web;
