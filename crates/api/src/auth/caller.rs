//! The bearer token of a request, read into who is calling (`crate::usecases::caller`).

use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpRequest, web};

use crate::auth::jwt::Subject;
use crate::error::ApiError;
use crate::state::AppState;
use crate::usecases::UseCaseError;
pub use crate::usecases::caller::{Caller, OwnerCaller, StaffCaller, parse_role};

/// The bearer token of a request.
fn bearer(req: &HttpRequest) -> Result<String, ApiError> {
    let header = req
        .headers()
        .get(AUTHORIZATION)
        .ok_or(ApiError::Unauthenticated)?;
    header
        .to_str()
        .ok()
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(|t| t.trim().to_owned())
        .ok_or(ApiError::BadToken)
}

/// Who a session token names, from its signature and claims alone; the bearer header and the
/// web pages' session cookies carry the same tokens. Whether the session was ended since is
/// [`crate::auth::revocation::current`]'s question: use [`caller_of_session`] to ask both.
pub fn caller_of_token(state: &AppState, token: &str) -> Result<Caller, ApiError> {
    let verified = state.jwt.verify(token)?;
    let session = verified.session;
    Ok(match verified.subject {
        Subject::Staff {
            user,
            login,
            estate,
            role,
            generation,
        } => Caller::Staff(StaffCaller {
            user,
            login,
            estate,
            role: parse_role(&role).ok_or(ApiError::BadToken)?,
            generation,
            session,
        }),
        Subject::Owner {
            voter,
            assembly,
            estate,
            code,
        } => Caller::Owner(OwnerCaller {
            voter,
            assembly,
            estate,
            code,
            session,
        }),
    })
}

/// Who a session token names, if its session is still current (not signed out, not ended by a
/// new generation, the owner's code not revoked): what every request's caller is.
pub async fn caller_of_session(
    state: &web::Data<AppState>,
    token: &str,
) -> Result<Caller, ApiError> {
    let caller = caller_of_token(state, token)?;
    crate::auth::revocation::current(state, &caller).await?;
    Ok(caller)
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = futures_util::future::LocalBoxFuture<'static, Result<Caller, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| UseCaseError::Internal("no app state".into()))?;
            caller_of_session(&state, &token?).await
        })
    }
}

/// A caller named by a signed, unexpired token whose session's standing (signed out, code
/// revoked) is NOT checked here: for a use case that checks it itself, in the same read as the
/// rest of its request (casting a ballot: `usecases::voting::cast`), one round trip less per
/// request. Any other route takes [`Caller`].
pub struct TokenCaller(pub Caller);

impl FromRequest for TokenCaller {
    type Error = ApiError;
    type Future = std::future::Ready<Result<TokenCaller, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let caller = req
            .app_data::<web::Data<AppState>>()
            .ok_or_else(|| UseCaseError::Internal("no app state".into()).into())
            .and_then(|state| caller_of_token(state, &bearer(req)?));
        std::future::ready(caller.map(TokenCaller))
    }
}
