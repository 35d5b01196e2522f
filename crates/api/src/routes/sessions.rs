//! Signing in. Staff: login and password → a token for one estate and role. Owners: the voting
//! code printed on their notice → a token for one assembly. Failures are rate-limited per
//! client address (and per assembly for codes) and written to the audit log.

use actix_web::{HttpRequest, HttpResponse, post, web};
use gongjue_store::audit::{NewAuditEntry, SYSTEM_CHAIN};
use gongjue_store::users::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::client_addr::limit_scope;
use crate::auth::jwt::Subject;
use crate::auth::{codes, password, ratelimit};
use crate::body::Body;
use crate::error::ApiError;
use crate::state::{AppState, db};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    pub login: String,
    pub password: String,
    /// Needed only when the user holds roles in several estates.
    #[serde(default)]
    pub estate_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionResponse {
    /// Send as `Authorization: Bearer TOKEN`.
    pub token: String,
    pub expires_in: u64,
    pub estate_id: String,
    /// `secretary`, `auditor`, `admin`, or `owner`.
    pub role: String,
    /// Owner sessions: the assembly and the voter (owner id) the code belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assembly_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voter: Option<String>,
}

/// The client's address: the peer, or what a trusted reverse proxy says it forwarded.
fn client_ip(state: &AppState, req: &HttpRequest) -> String {
    state.trusted_proxies.client_of(req)
}

/// The strongest role wins when a user holds several in one estate.
fn rank(role: Role) -> u8 {
    match role {
        Role::Admin => 3,
        Role::Secretary => 2,
        Role::Auditor => 1,
    }
}

/// Staff sign-in.
#[utoipa::path(tag = "sessions", request_body = LoginRequest, responses(
    (status = 200, body = SessionResponse),
    (status = 401, body = crate::routes::ErrorBody, description = "Wrong login or password"),
    (status = 429, body = crate::routes::ErrorBody, description = "Too many failed attempts from this address"),
))]
#[post("/sessions")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: Body<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(staff_sign_in(&state, &req, body.into_inner()).await?))
}

/// Staff sign-in, shared by the JSON route and the staff web pages: rate-limited per client
/// address, failures audited.
pub async fn staff_sign_in(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    request: LoginRequest,
) -> Result<SessionResponse, ApiError> {
    let ip = client_ip(state, req);
    let limits = [(
        format!("login-ip:{}", limit_scope(&ip)),
        state.limits.login_failures_per_ip,
    )];
    ratelimit::refuse_if_exhausted(state, &limits).await?;
    let outcome = check_staff(state, ip, request).await;
    if matches!(outcome, Err(ApiError::BadCredentials)) {
        ratelimit::count_failure(state, &limits).await?;
    }
    outcome
}

async fn check_staff(
    state: &web::Data<AppState>,
    ip: String,
    request: LoginRequest,
) -> Result<SessionResponse, ApiError> {
    let LoginRequest {
        login: login_name,
        password: typed,
        estate_id,
    } = request;
    let found = db(state, {
        let login_name = login_name.clone();
        move |store| match store.user_by_login(&login_name) {
            Ok(user) => {
                let roles = store.all_roles(&user.id)?;
                Ok(Some((user, roles)))
            }
            Err(gongjue_store::StoreError::NotFound(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    })
    .await?;
    let verified = web::block({
        let phc = found.as_ref().map_or_else(
            || password::dummy_hash().to_owned(),
            |(u, _)| u.password_hash.clone(),
        );
        move || password::verify(&typed, &phc)
    })
    .await?;
    let Some((user, roles)) = found.filter(|(u, _)| verified && !u.disabled) else {
        let detail = serde_json::json!({ "login": login_name, "ip": ip });
        db(state, move |store| {
            store.append_audit(NewAuditEntry {
                chain: SYSTEM_CHAIN.into(),
                actor: "anonymous".into(),
                action: "session.failed".into(),
                subject: "login".into(),
                detail,
            })?;
            Ok(())
        })
        .await?;
        return Err(ApiError::BadCredentials);
    };
    let mut estates: Vec<&String> = roles.iter().map(|(e, _)| e).collect();
    estates.dedup();
    let estate = match (estate_id, estates.as_slice()) {
        (Some(wanted), _) if estates.contains(&&wanted) => wanted,
        (Some(_), _) => return Err(ApiError::Forbidden(crate::i18n::Msg::OtherEstate)),
        (None, [only]) => (*only).clone(),
        (None, []) => return Err(ApiError::Forbidden(crate::i18n::Msg::Forbidden)),
        (None, _) => {
            return Err(ApiError::Invalid {
                msg: crate::i18n::Msg::EstateChoiceNeeded,
                field: "estate_id".into(),
                detail: String::new(),
            });
        }
    };
    let role = roles
        .iter()
        .filter(|(e, _)| *e == estate)
        .map(|(_, r)| *r)
        .max_by_key(|r| rank(*r))
        .ok_or_else(|| ApiError::Internal("role vanished".into()))?;
    let token = state.jwt.issue(Subject::Staff {
        user: user.id,
        login: user.login,
        estate: estate.clone(),
        role: role.as_str().into(),
        generation: user.token_generation,
    })?;
    Ok(SessionResponse {
        token,
        expires_in: state.jwt.ttl().as_secs(),
        estate_id: estate,
        role: role.as_str().into(),
        assembly_id: None,
        voter: None,
    })
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OwnerLoginRequest {
    /// As printed, e.g. `ABCD-EFGH-JKMN`; case, spaces and dashes do not matter.
    pub code: String,
    /// The assembly on the notice. When given, failures also count against the assembly's limit
    /// and are audited in its estate's log.
    #[serde(default)]
    pub assembly_id: Option<String>,
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
    Ok(HttpResponse::Ok().json(owner_sign_in(&state, &req, body.into_inner()).await?))
}

/// Owner sign-in with a voting code, shared by the JSON route and the owners' web form (code
/// typed on `/vote` or read from the QR code's `/v/{code}`): the same limits and audit.
pub async fn owner_sign_in(
    state: &web::Data<AppState>,
    req: &HttpRequest,
    request: OwnerLoginRequest,
) -> Result<SessionResponse, ApiError> {
    let ip = client_ip(state, req);
    let mut limits = vec![(
        format!("code-ip:{}", limit_scope(&ip)),
        state.limits.code_failures_per_ip,
    )];
    if let Some(assembly) = &request.assembly_id {
        limits.push((
            format!("code-assembly:{assembly}"),
            state.limits.code_failures_per_assembly,
        ));
    }
    // While blocked, even a right code is refused: otherwise the limit would not slow guessing.
    ratelimit::refuse_if_exhausted(state, &limits).await?;
    let outcome = check_code(state, ip, request).await;
    if matches!(outcome, Err(ApiError::BadCode)) {
        ratelimit::count_failure(state, &limits).await?;
    }
    outcome
}

async fn check_code(
    state: &web::Data<AppState>,
    ip: String,
    request: OwnerLoginRequest,
) -> Result<SessionResponse, ApiError> {
    let OwnerLoginRequest { code, assembly_id } = request;
    let hash = codes::hash(&state.code_key, &code);
    let found = db(state, move |store| {
        let Some(code) = store.active_voting_code(&hash)? else {
            return Ok(None);
        };
        let assembly = store.assembly(&code.assembly_id)?;
        Ok(Some((code, assembly)))
    })
    .await?;
    let matched = found.filter(|(_, assembly)| {
        assembly_id
            .as_ref()
            .is_none_or(|wanted| *wanted == assembly.id)
    });
    let Some((code, assembly)) = matched else {
        db(state, move |store| {
            // Audited in the estate's log when the assembly is known, else in the system log.
            let chain = match &assembly_id {
                Some(id) => store
                    .assembly(id)
                    .map(|a| a.estate_id)
                    .unwrap_or_else(|_| SYSTEM_CHAIN.into()),
                None => SYSTEM_CHAIN.into(),
            };
            store.append_audit(NewAuditEntry {
                chain,
                actor: "anonymous".into(),
                action: "code.failed".into(),
                subject: assembly_id.unwrap_or_default(),
                detail: serde_json::json!({ "ip": ip }),
            })?;
            Ok(())
        })
        .await?;
        return Err(ApiError::BadCode);
    };
    let token = state.jwt.issue(Subject::Owner {
        voter: code.voter.clone(),
        assembly: assembly.id.clone(),
        estate: assembly.estate_id.clone(),
        code: code.id.clone(),
    })?;
    Ok(SessionResponse {
        token,
        expires_in: state.jwt.ttl().as_secs(),
        estate_id: assembly.estate_id,
        role: "owner".into(),
        assembly_id: Some(assembly.id),
        voter: Some(code.voter),
    })
}
