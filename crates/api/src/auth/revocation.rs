//! Ending sessions before their tokens expire. A token's signature and expiry are checked
//! without the database (`jwt.rs`); this module adds the server-side part, asked on every
//! request (one read, `Store::session_is_current`):
//!
//! - [`end_session`]: one session ends (sign-out, and the old token of a refresh): its token id
//!   is put on the revocation list until the token would have expired anyway;
//! - [`end_user_sessions`]: every session of a staff user ends at once, by raising the user's
//!   session generation, which staff tokens carry. Sign-out everywhere uses it; `gongjue admin
//!   reset-password`, `disable-user` and `revoke-role` move the generation in their own
//!   transaction (a disabled account is refused here in any case);
//! - owners' sessions also end when the voting code they were opened with is revoked (re-issued).

use actix_web::web;
use gongjue_store::sessions::{EndSession, Holder};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::{AppState, db};

/// Refuses (401 `bad_token`) a caller whose session was ended since the token was issued.
pub async fn current(state: &web::Data<AppState>, caller: &Caller) -> Result<(), ApiError> {
    let jti = caller.session().jti.clone();
    let holder = match caller {
        Caller::Staff(staff) => Holder::Staff {
            user: staff.user.clone(),
            generation: staff.generation,
        },
        Caller::Owner(owner) => Holder::Owner {
            code: owner.code.clone(),
        },
    };
    if db(state, move |store| {
        Ok(store.session_is_current(&jti, &holder)?)
    })
    .await?
    {
        Ok(())
    } else {
        Err(ApiError::BadToken)
    }
}

/// Ends the caller's own session; `action` says why in the audit log (`session.signed_out`,
/// `session.refreshed`).
pub async fn end_session(
    state: &web::Data<AppState>,
    caller: &Caller,
    action: &str,
) -> Result<(), ApiError> {
    let session = caller.session();
    let end = EndSession {
        jti: session.jti.clone(),
        expires_at: i64::try_from(session.exp).unwrap_or(i64::MAX),
        chain: caller.estate().to_owned(),
        actor: caller.actor(),
        action: action.to_owned(),
    };
    db(state, move |store| Ok(store.end_session(&end)?)).await
}

/// Ends every session of a staff user (all their tokens, in every estate). `reason` is kept in
/// the audit entry.
pub async fn end_user_sessions(
    state: &web::Data<AppState>,
    user: &str,
    reason: &str,
    actor: &str,
) -> Result<(), ApiError> {
    let (user, reason, actor) = (user.to_owned(), reason.to_owned(), actor.to_owned());
    db(state, move |store| {
        store.end_user_sessions(&user, &reason, &actor)?;
        Ok(())
    })
    .await
}
