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

use gongjue_store::attempts::AttemptLimit;

use crate::usecases::UseCaseError;
use gongjue_store::Store;

/// The window of every attempt limit.
#[derive(Debug, Clone, Copy)]
pub struct AttemptWindow(pub Duration);

fn window_and_now(window: AttemptWindow) -> (i64, i64) {
    let window = i64::try_from(window.0.as_secs()).unwrap_or(i64::MAX).max(1);
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

/// [`UseCaseError::TooManyAttempts`] while any of the limits is used up: then even a right secret is
/// refused, so a blocked guesser cannot tell a hit.
pub fn refuse_if_exhausted(
    store: &Store,
    window: AttemptWindow,
    limits: &[(String, u32)],
) -> Result<(), UseCaseError> {
    let (window, now) = window_and_now(window);
    let limits = as_limits(limits);
    let exhausted = store.attempts_exhausted(&limits, window, now)?;
    if exhausted {
        Err(UseCaseError::TooManyAttempts)
    } else {
        Ok(())
    }
}

/// Counts a wrong secret; [`UseCaseError::TooManyAttempts`] instead when another request used up a
/// limit in the meantime (that failure is then not answered as a wrong secret).
pub fn count_failure(
    store: &Store,
    window: AttemptWindow,
    limits: &[(String, u32)],
) -> Result<(), UseCaseError> {
    let (window, now) = window_and_now(window);
    let limits = as_limits(limits);
    let counted = store.count_failure(&limits, window, now)?;
    if counted {
        Ok(())
    } else {
        Err(UseCaseError::TooManyAttempts)
    }
}

/// Counts one write under `key` (e.g. an owner's objections) and refuses it with
/// [`UseCaseError::TooFrequent`] once `max` were counted within the attempt window; `Retry-After` is
/// the window, by when every counted write has left it. The same counters and window as the
/// sign-in limits, so the limit holds across servers.
pub fn count_write(
    store: &Store,
    window: AttemptWindow,
    key: String,
    max: u32,
) -> Result<(), UseCaseError> {
    let (window, now) = window_and_now(window);
    let limits = [AttemptLimit { key, max }];
    let counted = store.count_failure(&limits, window, now)?;
    if counted {
        Ok(())
    } else {
        Err(UseCaseError::TooFrequent {
            retry_after: window.unsigned_abs(),
        })
    }
}
