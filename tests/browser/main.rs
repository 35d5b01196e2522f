//! Browser tests: a real headless Chromium, 360 px wide, against the real server (in-process,
//! SQLite). Screenshots of every main page go to `target/screenshots/` (or
//! `$GONGJUE_SCREENSHOTS`). See `driver.rs` for when they are skipped.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

#[allow(dead_code, unused_imports, unused_macros)]
#[path = "../api/helpers.rs"]
mod helpers;

mod driver;
mod log;
mod owner;
mod pages;
mod publication;
mod results;
mod secretary;
mod sms;
mod workflows;
