//! Signing in. Staff: login and password → a token for one estate and role. Owners: the voting
//! code printed on their notice → a token for one assembly. Failures are rate-limited per
//! client address (and per assembly for codes) and written to the audit log.

use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use gongjue_store::audit::{NewAuditEntry, SYSTEM_CHAIN};
use gongjue_store::users::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::auth::client_addr::limit_scope;
use crate::auth::jwt::Subject;
use crate::auth::{codes, password, ratelimit, revocation};
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
    #[schema(format = Uuid)]
    pub estate_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SessionResponse {
    /// Send as `Authorization: Bearer TOKEN`.
    pub token: String,
    /// Seconds the token is valid.
    pub expires_in: u64,
    #[schema(format = Uuid)]
    pub estate_id: String,
    #[schema(schema_with = crate::routes::openapi::refs::role)]
    pub role: String,
    /// Owner sessions: the assembly and the voter (owner id) the code belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = Uuid)]
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
    (status = 403, body = crate::routes::ErrorBody, description = "The user holds no role (in the estate asked for)"),
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
                let generation = store.session_generation(&user.id)?;
                Ok(Some((user, roles, generation)))
            }
            Err(gongjue_store::StoreError::NotFound(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    })
    .await?;
    let verified = web::block({
        let phc = found.as_ref().map_or_else(
            || password::dummy_hash().to_owned(),
            |(u, _, _)| u.password_hash.clone(),
        );
        move || password::verify(&typed, &phc)
    })
    .await?;
    let Some((user, roles, generation)) = found.filter(|(u, _, _)| verified && !u.disabled) else {
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
        generation,
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
    #[schema(format = Uuid)]
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

/// How long a session may be kept alive by refreshing before its holder must sign in again.
pub const MAX_SESSION_SECONDS: u64 = 12 * 3600;

#[derive(Debug, Serialize, ToSchema)]
pub struct EstateRole {
    pub estate_id: String,
    pub name: String,
    /// `secretary`, `auditor` or `admin`.
    pub roles: Vec<String>,
}

/// Who the caller is (whoami).
#[derive(Debug, Serialize, ToSchema)]
pub struct WhoAmI {
    /// `staff` or `owner`.
    pub kind: String,
    /// The estate the session is for.
    pub estate_id: String,
    pub estate_name: String,
    /// `secretary`, `auditor`, `admin`, or `owner`.
    pub role: String,
    /// Staff: the user id, login and name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub login: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    /// Owners: the assembly the code is for and the voter (owner id).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assembly_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voter: Option<String>,
    /// When this token expires and when the session began (RFC 3339, UTC).
    pub expires_at: String,
    pub signed_in_at: String,
    /// Latest time a refresh is accepted; sign in again after it.
    pub refresh_until: String,
    /// Staff: every estate the user holds a role in (sign in with `estate_id` to switch).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub estates: Option<Vec<EstateRole>>,
}

fn rfc3339(unix: u64) -> String {
    chrono::DateTime::from_timestamp(i64::try_from(unix).unwrap_or(i64::MAX), 0)
        .map(gongjue_store::timestamp)
        .unwrap_or_default()
}

/// The caller of the session: staff user and role, or owner and assembly, with the session's
/// times and, for staff, the estates they may sign in to.
#[utoipa::path(tag = "sessions", security(("staff" = []), ("owner" = [])), responses(
    (status = 200, body = WhoAmI),
    (status = 401, body = crate::routes::ErrorBody, description = "No token, or an invalid, expired or ended one"),
))]
#[get("/sessions/current")]
pub async fn whoami(caller: Caller, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let session = caller.session().clone();
    let times = |out: &mut WhoAmI| {
        out.expires_at = rfc3339(session.exp);
        out.signed_in_at = rfc3339(session.auth_time);
        out.refresh_until = rfc3339(session.auth_time + MAX_SESSION_SECONDS);
    };
    let mut out = db(&state, move |store| {
        let estate_name = store.estate(caller.estate())?.name;
        Ok(match caller {
            Caller::Staff(staff) => {
                let user = store.user_by_id(&staff.user)?;
                let mut estates: Vec<EstateRole> = Vec::new();
                for (estate_id, role) in store.all_roles(&staff.user)? {
                    match estates.last_mut() {
                        Some(last) if last.estate_id == estate_id => {
                            last.roles.push(role.as_str().into())
                        }
                        _ => estates.push(EstateRole {
                            name: store.estate(&estate_id)?.name,
                            estate_id,
                            roles: vec![role.as_str().into()],
                        }),
                    }
                }
                WhoAmI {
                    kind: "staff".into(),
                    estate_id: staff.estate,
                    estate_name,
                    role: staff.role.as_str().into(),
                    user_id: Some(user.id),
                    login: Some(user.login),
                    display_name: Some(user.display_name),
                    assembly_id: None,
                    voter: None,
                    expires_at: String::new(),
                    signed_in_at: String::new(),
                    refresh_until: String::new(),
                    estates: Some(estates),
                }
            }
            Caller::Owner(owner) => WhoAmI {
                kind: "owner".into(),
                estate_id: owner.estate,
                estate_name,
                role: "owner".into(),
                user_id: None,
                login: None,
                display_name: None,
                assembly_id: Some(owner.assembly),
                voter: Some(owner.voter),
                expires_at: String::new(),
                signed_in_at: String::new(),
                refresh_until: String::new(),
                estates: None,
            },
        })
    })
    .await?;
    times(&mut out);
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
    sign_out_of(&state, &caller, query.everywhere).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Ends the caller's session, or with `everywhere` every session of a staff user (the JSON
/// route and the pages' sign-out).
pub async fn sign_out_of(
    state: &web::Data<AppState>,
    caller: &Caller,
    everywhere: bool,
) -> Result<(), ApiError> {
    match (caller, everywhere) {
        (_, false) => revocation::end_session(state, caller, "session.signed_out").await,
        (Caller::Staff(staff), true) => {
            revocation::end_user_sessions(state, &staff.user, "sign_out_everywhere", &staff.actor())
                .await
        }
        (Caller::Owner(_), true) => Err(ApiError::Forbidden(crate::i18n::Msg::StaffOnly)),
    }
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
    let auth_time = caller.session().auth_time;
    if jsonwebtoken::get_current_timestamp() > auth_time.saturating_add(MAX_SESSION_SECONDS) {
        return Err(ApiError::SessionTooOld);
    }
    let response = match &caller {
        Caller::Staff(staff) => {
            // The role may have been taken away since the sign-in: the new token names the
            // strongest role the user holds in the estate now.
            let (user, estate) = (staff.user.clone(), staff.estate.clone());
            let roles = db(&state, move |store| Ok(store.roles(&user, &estate)?)).await?;
            let role = roles
                .into_iter()
                .max_by_key(|r| rank(*r))
                .ok_or(ApiError::Forbidden(crate::i18n::Msg::Forbidden))?;
            let token = state.jwt.issue_since(
                Subject::Staff {
                    user: staff.user.clone(),
                    login: staff.login.clone(),
                    estate: staff.estate.clone(),
                    role: role.as_str().into(),
                    generation: staff.generation,
                },
                auth_time,
            )?;
            SessionResponse {
                token,
                expires_in: state.jwt.ttl().as_secs(),
                estate_id: staff.estate.clone(),
                role: role.as_str().into(),
                assembly_id: None,
                voter: None,
            }
        }
        Caller::Owner(owner) => {
            let token = state.jwt.issue_since(
                Subject::Owner {
                    voter: owner.voter.clone(),
                    assembly: owner.assembly.clone(),
                    estate: owner.estate.clone(),
                    code: owner.code.clone(),
                },
                auth_time,
            )?;
            SessionResponse {
                token,
                expires_in: state.jwt.ttl().as_secs(),
                estate_id: owner.estate.clone(),
                role: "owner".into(),
                assembly_id: Some(owner.assembly.clone()),
                voter: Some(owner.voter.clone()),
            }
        }
    };
    // One live token per session: the one just used stops working.
    revocation::end_session(&state, &caller, "session.refreshed").await?;
    Ok(HttpResponse::Ok().json(response))
}
