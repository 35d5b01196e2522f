//! Failed-attempt limits for voting codes and logins: at most `max` failures per key within a
//! window. Keys are a client address (see `client_addr`) or an assembly, so that neither one
//! client nor many clients together can walk through the code space.
//!
//! The counts live in the database (`gongjue_store::attempts`), so every server on one database
//! enforces one limit and a restart forgets nothing. Only failures are counted: a sign-in is
//! refused while a limit is used up ([`refuse_if_exhausted`], a read, so right codes cost no
//! write and owners behind one address can sign in together), and a wrong secret is then counted
//! under a lock that re-checks the limit ([`count_failure`]), so no more failures than the limit
//! are ever answered as such.

use std::time::Duration;

use actix_web::web;
use gongjue_store::attempts::AttemptLimit;

use crate::error::ApiError;
use crate::state::{AppState, db};

/// The window of every attempt limit.
#[derive(Debug, Clone, Copy)]
pub struct AttemptWindow(pub Duration);

fn window_and_now(state: &AppState) -> (i64, i64) {
    let window = i64::try_from(state.attempt_window.0.as_secs())
        .unwrap_or(i64::MAX)
        .max(1);
    (window, chrono::Utc::now().timestamp())
}

fn as_limits(limits: &[(String, u32)]) -> Vec<AttemptLimit> {
    limits
        .iter()
        .map(|(key, max)| AttemptLimit {
            key: key.clone(),
            max: *max,
        })
        .collect()
}

/// [`ApiError::TooManyAttempts`] while any of the limits is used up: then even a right secret is
/// refused, so a blocked guesser cannot tell a hit.
pub async fn refuse_if_exhausted(
    state: &web::Data<AppState>,
    limits: &[(String, u32)],
) -> Result<(), ApiError> {
    let (window, now) = window_and_now(state);
    let limits = as_limits(limits);
    let exhausted = db(state, move |store| {
        Ok(store.attempts_exhausted(&limits, window, now)?)
    })
    .await?;
    if exhausted {
        Err(ApiError::TooManyAttempts)
    } else {
        Ok(())
    }
}

/// Counts a wrong secret; [`ApiError::TooManyAttempts`] instead when another request used up a
/// limit in the meantime (that failure is then not answered as a wrong secret).
pub async fn count_failure(
    state: &web::Data<AppState>,
    limits: &[(String, u32)],
) -> Result<(), ApiError> {
    let (window, now) = window_and_now(state);
    let limits = as_limits(limits);
    let counted = db(state, move |store| {
        Ok(store.count_failure(&limits, window, now)?)
    })
    .await?;
    if counted {
        Ok(())
    } else {
        Err(ApiError::TooManyAttempts)
    }
}

/// Counts one write under `key` (e.g. an owner's objections) and refuses it with
/// [`ApiError::TooFrequent`] once `max` were counted within the attempt window; `Retry-After` is
/// the window, by when every counted write has left it. The same counters and window as the
/// sign-in limits, so the limit holds across servers.
pub async fn count_write(
    state: &web::Data<AppState>,
    key: String,
    max: u32,
) -> Result<(), ApiError> {
    let (window, now) = window_and_now(state);
    let limits = [AttemptLimit { key, max }];
    let counted = db(state, move |store| {
        Ok(store.count_failure(&limits, window, now)?)
    })
    .await?;
    if counted {
        Ok(())
    } else {
        Err(ApiError::TooFrequent {
            retry_after: window.unsigned_abs(),
        })
    }
}
