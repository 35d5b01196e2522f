//! Staff sessions end at once when the account changes: a staff token carries its user's token
//! generation at sign-in, and every authenticated staff request (JSON routes through the
//! [`Caller`](crate::auth::Caller) extractor, pages through `web::staff::staff_of`) asks the
//! store whether that user is still enabled, still holds the token's role in its estate and is
//! still at that generation. `gongjue admin reset-password`, `disable-user` and `revoke-role`
//! move the generation on (`gongjue_store::revocation`), so every older token is refused
//! (401 `bad_token`; the pages go back to the sign-in form) from the next request on.
//!
//! The price is one indexed read per staff request; owners' sessions are tied to their voting
//! code instead, which re-issuing revokes.

use actix_web::web;

use crate::auth::StaffCaller;
use crate::error::ApiError;
use crate::state::{AppState, db};

/// `Ok` while the staff token may still be used; [`ApiError::BadToken`] once it was revoked.
pub async fn check(state: &web::Data<AppState>, staff: &StaffCaller) -> Result<(), ApiError> {
    let (user, estate, role) = (staff.user.clone(), staff.estate.clone(), staff.role);
    let current = db(state, move |store| {
        Ok(store.staff_session(&user, &estate, role)?)
    })
    .await?;
    if current == Some(staff.generation) {
        Ok(())
    } else {
        Err(ApiError::BadToken)
    }
}
