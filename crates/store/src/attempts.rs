//! Attempt counters behind the sign-in limits (voting codes, staff logins), kept in the database
//! so that every server on it enforces one limit: two servers must not allow twice the guesses.
//!
//! Only failures are counted. A sign-in first asks whether any of its limits is used up (a read:
//! a right code then writes nothing, and any number of owners behind one address may sign in at
//! once); a wrong secret is then counted under a per-key lock that re-checks the limit, so the
//! failures answered as such never exceed it, however requests interleave. Counts live in
//! buckets (a fifteenth of the window), summed over the buckets that overlap the window.

use diesel::dsl::sum;
use diesel::prelude::*;

use crate::db::AnyConnection;
use crate::schema::attempt_counters::dsl as ac;
use crate::{Store, StoreError};

/// One limit to respect: at most `max` failures under `key` within the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttemptLimit {
    pub key: String,
    pub max: u32,
}

/// Length of one bucket for a window, in seconds (at least one).
fn bucket_seconds(window_seconds: i64) -> i64 {
    (window_seconds / 15).max(1)
}

/// The oldest bucket that still counts at `now`: a bucket counts while any part of it is inside
/// the window.
fn oldest_live(window_seconds: i64, now: i64) -> i64 {
    now - window_seconds - bucket_seconds(window_seconds)
}

fn used(conn: &mut AnyConnection, key: &str, oldest_live: i64) -> Result<i64, StoreError> {
    let used: Option<i64> = ac::attempt_counters
        .filter(ac::limit_key.eq(key))
        .filter(ac::bucket.gt(oldest_live))
        .select(sum(ac::attempts))
        .first(conn)?;
    Ok(used.unwrap_or(0))
}

impl Store {
    /// Whether any of the limits is used up at `now` (Unix seconds). A read only.
    pub fn attempts_exhausted(
        &self,
        limits: &[AttemptLimit],
        window_seconds: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        let oldest = oldest_live(window_seconds, now);
        let mut conn = self.conn()?;
        for limit in limits {
            if used(&mut conn, &limit.key, oldest)? >= i64::from(limit.max) {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// Counts one failure under every limit, or none when any of them is already used up
    /// (`false`: the caller answers "too many attempts", not "wrong secret"). Buckets that left
    /// the window are deleted on the way.
    pub fn count_failure(
        &self,
        limits: &[AttemptLimit],
        window_seconds: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        let bucket = now - now.rem_euclid(bucket_seconds(window_seconds));
        let oldest = oldest_live(window_seconds, now);
        let mut limits: Vec<&AttemptLimit> = limits.iter().collect();
        // One lock order for every caller, so two sign-ins with the same two keys cannot deadlock.
        limits.sort_by(|a, b| a.key.cmp(&b.key));
        limits.dedup_by(|a, b| a.key == b.key);
        self.write(|conn| {
            diesel::delete(ac::attempt_counters.filter(ac::bucket.le(oldest))).execute(conn)?;
            for limit in &limits {
                lock_key(conn, &limit.key)?;
                if used(conn, &limit.key, oldest)? >= i64::from(limit.max) {
                    return Ok(false);
                }
            }
            for limit in &limits {
                count_one(conn, &limit.key, bucket)?;
            }
            Ok(true)
        })
    }

    /// Attempts counted under `key` in the stored buckets (for tests and operators).
    pub fn attempts_counted(&self, key: &str) -> Result<i64, StoreError> {
        let mut conn = self.conn()?;
        let used: Option<i64> = ac::attempt_counters
            .filter(ac::limit_key.eq(key))
            .select(sum(ac::attempts))
            .first(&mut *conn)?;
        Ok(used.unwrap_or(0))
    }
}

/// PostgreSQL: serialises the sign-ins of one key until the transaction ends, so that two
/// servers cannot both read "one attempt left". (SQLite's `BEGIN IMMEDIATE` already serialises.)
fn lock_key(conn: &mut AnyConnection, key: &str) -> Result<(), StoreError> {
    if let AnyConnection::Pg(pg) = conn {
        // The class id keeps these locks apart from the audit chain's.
        diesel::sql_query("SELECT pg_advisory_xact_lock(1734, hashtext($1))")
            .bind::<diesel::sql_types::Text, _>(key)
            .execute(pg)?;
    }
    Ok(())
}

/// Adds one attempt to `key`'s bucket: one atomic upsert on either backend.
fn count_one(conn: &mut AnyConnection, key: &str, bucket: i64) -> Result<(), StoreError> {
    let row = (
        ac::limit_key.eq(key),
        ac::bucket.eq(bucket),
        ac::attempts.eq(1),
    );
    let upsert = diesel::insert_into(ac::attempt_counters)
        .values(row)
        .on_conflict((ac::limit_key, ac::bucket))
        .do_update()
        .set(ac::attempts.eq(ac::attempts + 1));
    match conn {
        AnyConnection::Pg(pg) => upsert.execute(pg)?,
        AnyConnection::Sqlite(sqlite) => upsert.execute(sqlite)?,
    };
    Ok(())
}
