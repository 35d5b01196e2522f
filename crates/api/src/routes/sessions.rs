//! Signing in. Staff: login and password → a token for one estate and role. Owners: the voting
//! code printed on their notice → a token for one assembly. Failures are rate-limited per
//! client address (and per assembly for codes) and written to the audit log.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use serde::Deserialize;

use crate::auth::Caller;
use crate::blocking::{db, run};
use crate::body::Body;
use crate::error::ApiError;
use crate::state::AppState;
use crate::usecases::sessions::{self, LoginRequest, OwnerLoginRequest, SessionResponse, WhoAmI};

/// Staff sign-in.
#[utoipa::path(tag = "sessions", request_body = LoginRequest, responses(
    (status = 200, body = SessionResponse),
    (status = 401, body = crate::routes::ErrorBody, description = "Wrong login or password"),
    (status = 403, body = crate::routes::ErrorBody, description = "The user holds no role (in the estate asked for)"),
    (status = 429, body = crate::routes::ErrorBody, description = "Too many failed attempts from this address"),
))]
#[post("/sessions")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Body<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let ip = state.trusted_proxies.client_of(&req);
    let request = body.into_inner();
    let session = run(&state, move |app| {
        sessions::staff_sign_in(app, &ip, request)
    })
    .await?;
    Ok(HttpResponse::Ok().json(session))
}

/// Owner sign-in with a voting code.
#[utoipa::path(tag = "sessions", request_body = OwnerLoginRequest, responses(
    (status = 200, body = SessionResponse),
    (status = 401, body = crate::routes::ErrorBody, description = "Unknown or revoked code"),
    (status = 429, body = crate::routes::ErrorBody, description = "Too many failed attempts from this address or on this assembly"),
))]
#[post("/owner-sessions")]
pub async fn owner_login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Body<OwnerLoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let ip = state.trusted_proxies.client_of(&req);
    let request = body.into_inner();
    let session = run(&state, move |app| {
        sessions::owner_sign_in(app, &ip, request)
    })
    .await?;
    Ok(HttpResponse::Ok().json(session))
}

/// The caller of the session: staff user and role, or owner and assembly, with the session's
/// times and, for staff, the estates they may sign in to.
#[utoipa::path(tag = "sessions", security(("staff" = []), ("owner" = [])), responses(
    (status = 200, body = WhoAmI),
    (status = 401, body = crate::routes::ErrorBody, description = "No token, or an invalid, expired or ended one"),
))]
#[get("/sessions/current")]
pub async fn whoami(caller: Caller, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let out = db(&state, move |store| sessions::whoami(store, caller)).await?;
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct SignOutQuery {
    /// Staff only: end every session of the user (all devices, every estate), not only this one.
    #[serde(default)]
    pub everywhere: bool,
}

/// Signs out: the token stops working at once (on every server of the database). With
/// `everywhere=true` (staff), every token of the user does.
#[utoipa::path(tag = "sessions", params(SignOutQuery), security(("staff" = []), ("owner" = [])), responses(
    (status = 204, description = "Signed out; the token is refused from now on"),
    (status = 401, body = crate::routes::ErrorBody, description = "No token, or an invalid, expired or ended one"),
    (status = 403, body = crate::routes::ErrorBody, description = "`everywhere` asked by an owner"),
))]
#[delete("/sessions/current")]
pub async fn sign_out(
    caller: Caller,
    state: web::Data<AppState>,
    query: web::Query<SignOutQuery>,
) -> Result<HttpResponse, ApiError> {
    let everywhere = query.everywhere;
    db(&state, move |store| {
        sessions::sign_out(store, &caller, everywhere)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A new token for the caller's session, valid for the full lifetime again; the token sent is
/// ended. Refused once the session is older than the longest session (sign in again then), and
/// for a staff user who no longer holds a role in the estate.
#[utoipa::path(tag = "sessions", security(("staff" = []), ("owner" = [])), responses(
    (status = 200, body = SessionResponse),
    (status = 401, body = crate::routes::ErrorBody, description = "No token, an invalid, expired or ended one, or a session too old to refresh (`session_too_old`)"),
))]
#[post("/sessions/current/refresh")]
pub async fn refresh(caller: Caller, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let session = run(&state, move |app| sessions::refresh(app, &caller)).await?;
    Ok(HttpResponse::Ok().json(session))
}
