//! The bearer token of a request, read into who is calling, and the authorization checks every
//! route makes with it. Handlers call these before touching the store.

use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpRequest, web};
use gongjue_store::users::Role;

use crate::auth::jwt::{SessionId, Subject};
use crate::error::ApiError;
use crate::i18n::Msg;
use crate::state::AppState;

#[derive(Debug, Clone)]
pub enum Caller {
    Staff(StaffCaller),
    Owner(OwnerCaller),
}

#[derive(Debug, Clone)]
pub struct StaffCaller {
    pub user: String,
    pub login: String,
    pub estate: String,
    pub role: Role,
    /// The user's session generation the token carries.
    pub generation: i64,
    pub session: SessionId,
}

#[derive(Debug, Clone)]
pub struct OwnerCaller {
    pub voter: String,
    pub assembly: String,
    pub estate: String,
    /// The voting code's row: the session is valid only while that code is not revoked.
    pub code: String,
    pub session: SessionId,
}

pub fn parse_role(text: &str) -> Option<Role> {
    match text {
        "secretary" => Some(Role::Secretary),
        "auditor" => Some(Role::Auditor),
        "admin" => Some(Role::Admin),
        _ => None,
    }
}

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
            let state = state.ok_or_else(|| ApiError::Internal("no app state".into()))?;
            caller_of_session(&state, &token?).await
        })
    }
}

impl Caller {
    /// The session the caller's token stands for.
    pub fn session(&self) -> &SessionId {
        match self {
            Caller::Staff(staff) => &staff.session,
            Caller::Owner(owner) => &owner.session,
        }
    }

    /// The estate whose audit chain the caller's own acts are written to.
    pub fn estate(&self) -> &str {
        match self {
            Caller::Staff(staff) => &staff.estate,
            Caller::Owner(owner) => &owner.estate,
        }
    }

    /// The actor string of audit entries.
    pub fn actor(&self) -> String {
        match self {
            Caller::Staff(staff) => staff.actor(),
            Caller::Owner(owner) => owner.actor(),
        }
    }

    pub fn staff(self) -> Result<StaffCaller, ApiError> {
        match self {
            Caller::Staff(staff) => Ok(staff),
            Caller::Owner(_) => Err(ApiError::Forbidden(Msg::StaffOnly)),
        }
    }

    pub fn owner(self) -> Result<OwnerCaller, ApiError> {
        match self {
            Caller::Owner(owner) => Ok(owner),
            Caller::Staff(_) => Err(ApiError::Forbidden(Msg::OwnersOnly)),
        }
    }
}

impl StaffCaller {
    /// Every role reads everything of its own estate and nothing of another.
    pub fn reads(&self, estate: &str) -> Result<(), ApiError> {
        if self.estate == estate {
            Ok(())
        } else {
            Err(ApiError::Forbidden(Msg::OtherEstate))
        }
    }

    /// Secretaries and admins change things; auditors only read.
    pub fn writes(&self, estate: &str) -> Result<(), ApiError> {
        self.reads(estate)?;
        match self.role {
            Role::Secretary | Role::Admin => Ok(()),
            Role::Auditor => Err(ApiError::Forbidden(Msg::ReadOnlyRole)),
        }
    }

    /// Estate-level administration (new estates, accounts).
    pub fn administers(&self) -> Result<(), ApiError> {
        match self.role {
            Role::Admin => Ok(()),
            Role::Secretary | Role::Auditor => Err(ApiError::Forbidden(Msg::Forbidden)),
        }
    }

    /// The actor string of audit entries.
    pub fn actor(&self) -> String {
        format!("user:{}", self.user)
    }
}

impl OwnerCaller {
    pub fn actor(&self) -> String {
        format!("voter:{}", self.voter)
    }

    /// An owner's token is for one assembly only.
    pub fn of_assembly(&self, assembly: &str) -> Result<(), ApiError> {
        if self.assembly == assembly {
            Ok(())
        } else {
            Err(ApiError::Forbidden(Msg::Forbidden))
        }
    }
}
