//! The bearer token of a request, read into who is calling, and the authorization checks every
//! route makes with it. Handlers call these before touching the store.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpRequest, web};
use gongjue_store::users::Role;

use crate::auth::jwt::Subject;
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
    /// The token's generation, checked against the user's by `auth::revocation`.
    pub generation: i64,
}

#[derive(Debug, Clone)]
pub struct OwnerCaller {
    pub voter: String,
    pub assembly: String,
    pub estate: String,
    /// The voting code's row: the session is valid only while that code is not revoked.
    pub code: String,
}

pub fn parse_role(text: &str) -> Option<Role> {
    match text {
        "secretary" => Some(Role::Secretary),
        "auditor" => Some(Role::Auditor),
        "admin" => Some(Role::Admin),
        _ => None,
    }
}

fn token_of(req: &HttpRequest) -> Result<(web::Data<AppState>, Caller), ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::Internal("no app state".into()))?;
    let header = req
        .headers()
        .get(AUTHORIZATION)
        .ok_or(ApiError::Unauthenticated)?;
    let token = header
        .to_str()
        .ok()
        .and_then(|h| h.strip_prefix("Bearer "))
        .ok_or(ApiError::BadToken)?;
    Ok((state.clone(), caller_of_token(state, token.trim())?))
}

/// Who a session token names, from the token alone; the bearer header and the web pages'
/// session cookies carry the same tokens. A staff caller is only valid once
/// `auth::revocation::check` agreed ([`Caller`]'s extractor and `web::staff::staff_of` do).
pub fn caller_of_token(state: &AppState, token: &str) -> Result<Caller, ApiError> {
    Ok(match state.jwt.verify(token)? {
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
        }),
    })
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Caller, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let found = token_of(req);
        Box::pin(async move {
            let (state, caller) = found?;
            if let Caller::Staff(staff) = &caller {
                crate::auth::revocation::check(&state, staff).await?;
            }
            Ok(caller)
        })
    }
}

impl Caller {
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
