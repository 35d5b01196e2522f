//! Ending sessions before their tokens expire. A token's signature and expiry are checked
//! without the database (`jwt.rs`); this module adds the server-side part, asked on every
//! request (one read, `Store::session_is_current`). Sessions are ended by the use cases of
//! `crate::usecases::sessions`:
//!
//! - one session ends (sign-out, and the old token of a refresh): its token id is put on the
//!   revocation list until the token would have expired anyway;
//! - every session of a staff user ends at once, by raising the user's session generation,
//!   which staff tokens carry. Sign-out everywhere uses it; `gongjue admin
//!   reset-password`, `disable-user` and `revoke-role` move the generation in their own
//!   transaction (a disabled account is refused here in any case);
//! - owners' sessions also end when the voting code they were opened with is revoked (re-issued).

use actix_web::web;
use gongjue_store::sessions::Holder;

use crate::auth::Caller;
use crate::blocking::db;
use crate::error::ApiError;
use crate::state::AppState;
use crate::usecases::UseCaseError;

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
        Err(UseCaseError::BadSession.into())
    }
}
