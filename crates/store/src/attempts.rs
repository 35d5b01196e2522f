//! Attempt counters behind the sign-in limits (voting codes, staff logins), kept in the database
//! so that every server on it enforces one limit: two servers must not allow twice the guesses.
//!
//! An attempt is reserved before the code or password is checked and released when it turns out
//! right, so a failure is counted before anyone learns it failed and concurrent guesses cannot
//! slip past the limit between a check and a count. Counts live in buckets (a fifteenth of the
//! window), summed over the buckets that overlap the window.

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

/// The attempts taken by [`Store::reserve_attempts`]; give them back with
/// [`Store::release_attempts`] when the attempt succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reservation {
    keys: Vec<String>,
    bucket: i64,
}

/// Length of one bucket for a window, in seconds (at least one).
fn bucket_seconds(window_seconds: i64) -> i64 {
    (window_seconds / 15).max(1)
}

impl Store {
    /// Takes one attempt under every limit, or none when any of them is used up (`None`).
    /// `now` is Unix seconds. Buckets that left the window are deleted on the way.
    pub fn reserve_attempts(&self, limits: &[AttemptLimit], window_seconds: i64, now: i64) -> Result<Option<Reservation>, StoreError> {
        let step = bucket_seconds(window_seconds);
        let bucket = now - now.rem_euclid(step);
        // A bucket counts while any part of it is inside the window.
        let oldest_live = now - window_seconds - step;
        let mut limits: Vec<&AttemptLimit> = limits.iter().collect();
        // One lock order for every caller, so two sign-ins with the same two keys cannot deadlock.
        limits.sort_by(|a, b| a.key.cmp(&b.key));
        limits.dedup_by(|a, b| a.key == b.key);
        self.write(|conn| {
            diesel::delete(ac::attempt_counters.filter(ac::bucket.le(oldest_live))).execute(conn)?;
            for limit in &limits {
                lock_key(conn, &limit.key)?;
                let used: Option<i64> =
                    ac::attempt_counters.filter(ac::limit_key.eq(&limit.key)).filter(ac::bucket.gt(oldest_live)).select(sum(ac::attempts)).first(conn)?;
                if used.unwrap_or(0) >= i64::from(limit.max) {
                    return Ok(None);
                }
            }
            for limit in &limits {
                count_one(conn, &limit.key, bucket)?;
            }
            Ok(Some(Reservation { keys: limits.iter().map(|l| l.key.clone()).collect(), bucket }))
        })
    }

    /// Gives back the attempts of a reservation whose attempt succeeded (or never happened).
    pub fn release_attempts(&self, reservation: &Reservation) -> Result<(), StoreError> {
        self.write(|conn| {
            for key in &reservation.keys {
                diesel::update(ac::attempt_counters.filter(ac::limit_key.eq(key)).filter(ac::bucket.eq(reservation.bucket)).filter(ac::attempts.gt(0)))
                    .set(ac::attempts.eq(ac::attempts - 1))
                    .execute(conn)?;
            }
            Ok(())
        })
    }

    /// Attempts counted under `key` in the stored buckets (for tests and operators).
    pub fn attempts_counted(&self, key: &str) -> Result<i64, StoreError> {
        let mut conn = self.conn()?;
        let used: Option<i64> = ac::attempt_counters.filter(ac::limit_key.eq(key)).select(sum(ac::attempts)).first(&mut *conn)?;
        Ok(used.unwrap_or(0))
    }
}

/// PostgreSQL: serialises the sign-ins of one key until the transaction ends, so that two
/// servers cannot both read "one attempt left". (SQLite's `BEGIN IMMEDIATE` already serialises.)
fn lock_key(conn: &mut AnyConnection, key: &str) -> Result<(), StoreError> {
    if let AnyConnection::Pg(pg) = conn {
        // The class id keeps these locks apart from the audit chain's.
        diesel::sql_query("SELECT pg_advisory_xact_lock(1734, hashtext($1))").bind::<diesel::sql_types::Text, _>(key).execute(pg)?;
    }
    Ok(())
}

/// Adds one attempt to `key`'s bucket: one atomic upsert on either backend.
fn count_one(conn: &mut AnyConnection, key: &str, bucket: i64) -> Result<(), StoreError> {
    let row = (ac::limit_key.eq(key), ac::bucket.eq(bucket), ac::attempts.eq(1));
    let upsert = diesel::insert_into(ac::attempt_counters).values(row).on_conflict((ac::limit_key, ac::bucket)).do_update().set(ac::attempts.eq(ac::attempts + 1));
    match conn {
        AnyConnection::Pg(pg) => upsert.execute(pg)?,
        AnyConnection::Sqlite(sqlite) => upsert.execute(sqlite)?,
    };
    Ok(())
}
