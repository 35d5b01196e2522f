//! Failed-attempt limits for voting codes and logins: at most `max` failures per key within a
//! window. Keys are a client address (see `client_addr`) or an assembly, so that neither one
//! client nor many clients together can walk through the code space.
//!
//! The counts live in the database (`gongjue_store::attempts`), so every server on one database
//! enforces one limit and a restart forgets nothing. An attempt is reserved before the secret is
//! checked and given back when it was right: concurrent guesses cannot overtake the count.

use std::time::Duration;

use actix_web::web;
use gongjue_store::attempts::{AttemptLimit, Reservation};

use crate::error::ApiError;
use crate::state::{AppState, db};

/// The window of every attempt limit.
#[derive(Debug, Clone, Copy)]
pub struct AttemptWindow(pub Duration);

/// One attempt under every `(key, max)`, or [`ApiError::TooManyAttempts`] when any is used up.
pub async fn reserve(state: &web::Data<AppState>, limits: Vec<(String, u32)>) -> Result<Reservation, ApiError> {
    let window = i64::try_from(state.attempt_window.0.as_secs()).unwrap_or(i64::MAX).max(1);
    let now = chrono::Utc::now().timestamp();
    let limits: Vec<AttemptLimit> = limits.into_iter().map(|(key, max)| AttemptLimit { key, max }).collect();
    db(state, move |store| Ok(store.reserve_attempts(&limits, window, now)?)).await?.ok_or(ApiError::TooManyAttempts)
}

/// Gives the attempt back (it succeeded, or failed for a reason that is not a wrong secret). A
/// failure to do so only costs the client one attempt, so it is logged, not returned.
pub async fn release(state: &web::Data<AppState>, reservation: Reservation) {
    if let Err(error) = db(state, move |store| Ok(store.release_attempts(&reservation)?)).await {
        tracing::warn!(%error, "an attempt could not be given back");
    }
}
