//! Sessions. Staff sign in with login and password for one estate and role; owners with the
//! voting code on their notice, for one assembly. Failures are rate-limited per client address
//! (and per assembly for codes) and written to the audit log. A session ends on sign-out, on a
//! refresh (its old token), or everywhere at once for a staff user.

use gongjue_store::Store;
use gongjue_store::assemblies::Assembly;
use gongjue_store::audit::{NewAuditEntry, SYSTEM_CHAIN};
use gongjue_store::codes::VotingCode;
use gongjue_store::sessions::EndSession;
use gongjue_store::users::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::client_addr::limit_scope;
use crate::auth::jwt::Subject;
use crate::auth::{codes, password, ratelimit};
use crate::i18n::Msg;
use crate::state::AppState;
use crate::usecases::{Caller, UseCaseError};

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
    #[schema(schema_with = crate::schema_refs::role)]
    pub role: String,
    /// Owner sessions: the assembly and the voter (owner id) the code belongs to.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(format = Uuid)]
    pub assembly_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub voter: Option<String>,
}

/// The strongest role wins when a user holds several in one estate.
fn rank(role: Role) -> u8 {
    match role {
        Role::Admin => 3,
        Role::Secretary => 2,
        Role::Auditor => 1,
        Role::Volunteer => 0,
    }
}

/// Staff sign-in from the client address `ip`: rate-limited per address, failures audited.
pub fn staff_sign_in(
    state: &AppState,
    ip: &str,
    request: LoginRequest,
) -> Result<SessionResponse, UseCaseError> {
    let store = &state.store;
    let limits = [(
        format!("login-ip:{}", limit_scope(ip)),
        state.limits.login_failures_per_ip,
    )];
    ratelimit::refuse_if_exhausted(store, state.attempt_window, &limits)?;
    let outcome = check_staff(state, ip, request);
    if matches!(outcome, Err(UseCaseError::BadCredentials)) {
        ratelimit::count_failure(store, state.attempt_window, &limits)?;
    }
    outcome
}

fn check_staff(
    state: &AppState,
    ip: &str,
    request: LoginRequest,
) -> Result<SessionResponse, UseCaseError> {
    let store = &state.store;
    let LoginRequest {
        login: login_name,
        password: typed,
        estate_id,
    } = request;
    let found = match store.user_by_login(&login_name) {
        Ok(user) => {
            let roles = store.all_roles(&user.id)?;
            let generation = store.session_generation(&user.id)?;
            Some((user, roles, generation))
        }
        Err(gongjue_store::StoreError::NotFound(_)) => None,
        Err(e) => return Err(e.into()),
    };
    // An unknown login costs a hash too, so that logins cannot be told apart by time.
    let phc = found.as_ref().map_or_else(
        || password::dummy_hash().to_owned(),
        |(u, _, _)| u.password_hash.clone(),
    );
    let verified = password::verify(&typed, &phc);
    let Some((user, roles, generation)) = found.filter(|(u, _, _)| verified && !u.disabled) else {
        store.append_audit(NewAuditEntry {
            chain: SYSTEM_CHAIN.into(),
            actor: "anonymous".into(),
            action: "session.failed".into(),
            subject: "login".into(),
            detail: serde_json::json!({ "login": login_name, "ip": ip }),
        })?;
        return Err(UseCaseError::BadCredentials);
    };
    let mut estates: Vec<&String> = roles.iter().map(|(e, _)| e).collect();
    estates.dedup();
    let estate = match (estate_id, estates.as_slice()) {
        (Some(wanted), _) if estates.contains(&&wanted) => wanted,
        (Some(_), _) => return Err(UseCaseError::Forbidden(Msg::OtherEstate)),
        (None, [only]) => (*only).clone(),
        (None, []) => return Err(UseCaseError::Forbidden(Msg::Forbidden)),
        (None, _) => {
            return Err(UseCaseError::Invalid {
                msg: Msg::EstateChoiceNeeded,
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
        .ok_or_else(|| UseCaseError::Internal("role vanished".into()))?;
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

/// The limits of code attempts from `ip` (and, when named, on the assembly).
fn code_limits(state: &AppState, ip: &str, assembly_id: Option<&String>) -> Vec<(String, u32)> {
    let mut limits = vec![(
        format!("code-ip:{}", limit_scope(ip)),
        state.limits.code_failures_per_ip,
    )];
    if let Some(assembly) = assembly_id {
        limits.push((
            format!("code-assembly:{assembly}"),
            state.limits.code_failures_per_assembly,
        ));
    }
    limits
}

/// Owner sign-in with a voting code from the client address `ip`: limited per address and, when
/// the assembly is named, per assembly; failures audited.
pub fn owner_sign_in(
    state: &AppState,
    ip: &str,
    request: OwnerLoginRequest,
) -> Result<SessionResponse, UseCaseError> {
    let limits = code_limits(state, ip, request.assembly_id.as_ref());
    let (code, assembly) = limited(state, &limits, || check_code(state, ip, request, "sign_in"))?;
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

/// Runs a code check under `limits`: refused while one is used up (even a right code, so that a
/// blocked guesser cannot tell a hit), a wrong code counted.
fn limited<T>(
    state: &AppState,
    limits: &[(String, u32)],
    check: impl FnOnce() -> Result<T, UseCaseError>,
) -> Result<T, UseCaseError> {
    ratelimit::refuse_if_exhausted(&state.store, state.attempt_window, limits)?;
    let outcome = check();
    if matches!(outcome, Err(UseCaseError::BadCode)) {
        ratelimit::count_failure(&state.store, state.attempt_window, limits)?;
    }
    outcome
}

/// Who a voting code is for, as the voting link's page names them before anyone signs in:
/// the units the code votes for and the owner's name masked as on the public roll.
#[derive(Debug, Clone)]
pub struct CodeHolder {
    pub assembly_id: String,
    pub assembly_title: String,
    pub voter: String,
    pub units: Vec<String>,
    /// Masked (张*明); `None` when the roster has no name.
    pub name: Option<String>,
}

/// The units `voter` votes for in `assembly_id` and their masked name.
pub fn holder_of(
    store: &Store,
    assembly_id: &str,
    voter: &str,
) -> Result<CodeHolder, UseCaseError> {
    let assembly = store.assembly(assembly_id)?;
    let units = store.voter_units(assembly_id, voter)?;
    let name = store
        .owner_contacts(&assembly.estate_id)?
        .remove(voter)
        .and_then(|c| c.name)
        .map(|n| crate::publication::mask::mask_name(&n))
        .filter(|n| !n.is_empty());
    Ok(CodeHolder {
        assembly_id: assembly.id,
        assembly_title: assembly.title,
        voter: voter.to_owned(),
        units,
        name,
    })
}

/// Which units a code votes for, checked as a sign-in is (the sign-in limits; a wrong code
/// counted and audited) but without signing in: the voting link's form (a POST with the page's
/// CSRF token) shows them and asks the owner to confirm.
pub fn code_holder(state: &AppState, ip: &str, code: &str) -> Result<CodeHolder, UseCaseError> {
    let limits = code_limits(state, ip, None);
    let request = OwnerLoginRequest {
        code: code.to_owned(),
        assembly_id: None,
    };
    let (code, assembly) = limited(state, &limits, || {
        check_code(state, ip, request, "link_form")
    })?;
    holder_of(&state.store, &assembly.id, &code.voter)
}

/// The look-up behind a plain visit of the voting link (`GET /v/{code}`): which units the code
/// votes for, without signing in. It is counted under a limit of its own per address
/// (`code-link-ip:`), apart from the sign-in limit: any web page can make a visitor's browser
/// open links with wrong codes, and that must not use up the visitor's sign-ins. When the
/// look-up limit is used up the code is not checked at all (`Ok(None)`): the page then offers a
/// button, and the POST checks the code under the sign-in limits ([`code_holder`]). A guesser
/// thus gets at most the look-up limit on top of the sign-in limit per address and window.
pub fn preview_code(
    state: &AppState,
    ip: &str,
    code: &str,
) -> Result<Option<CodeHolder>, UseCaseError> {
    let limits = [(
        format!("code-link-ip:{}", limit_scope(ip)),
        state.limits.code_failures_per_ip,
    )];
    let request = OwnerLoginRequest {
        code: code.to_owned(),
        assembly_id: None,
    };
    match limited(state, &limits, || check_code(state, ip, request, "link")) {
        Ok((code, assembly)) => Ok(Some(holder_of(&state.store, &assembly.id, &code.voter)?)),
        Err(UseCaseError::TooManyAttempts) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The active code and its assembly; a wrong one audited (`code.failed`, with the address and
/// `via`: which door was tried) and refused as [`UseCaseError::BadCode`].
fn check_code(
    state: &AppState,
    ip: &str,
    request: OwnerLoginRequest,
    via: &str,
) -> Result<(VotingCode, Assembly), UseCaseError> {
    let store = &state.store;
    let OwnerLoginRequest { code, assembly_id } = request;
    let hash = codes::hash(&state.code_key, &code);
    let found = match store.active_voting_code(&hash)? {
        Some(code) => {
            let assembly = store.assembly(&code.assembly_id)?;
            Some((code, assembly))
        }
        None => None,
    };
    let matched = found.filter(|(_, assembly)| {
        assembly_id
            .as_ref()
            .is_none_or(|wanted| *wanted == assembly.id)
    });
    let Some((code, assembly)) = matched else {
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
            detail: serde_json::json!({ "ip": ip, "via": via }),
        })?;
        return Err(UseCaseError::BadCode);
    };
    Ok((code, assembly))
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

/// The estates a staff user holds a role in, with the roles.
pub fn estates_of(store: &Store, user: &str) -> Result<Vec<EstateRole>, UseCaseError> {
    let mut estates: Vec<EstateRole> = Vec::new();
    for (estate_id, role) in store.all_roles(user)? {
        match estates.last_mut() {
            Some(last) if last.estate_id == estate_id => last.roles.push(role.as_str().into()),
            _ => estates.push(EstateRole {
                name: store.estate(&estate_id)?.name,
                estate_id,
                roles: vec![role.as_str().into()],
            }),
        }
    }
    Ok(estates)
}

/// Who the caller is: staff user and role, or owner and assembly, with the session's times and,
/// for staff, the estates they may sign in to.
pub fn whoami(store: &Store, caller: Caller) -> Result<WhoAmI, UseCaseError> {
    let session = caller.session().clone();
    let times = |out: &mut WhoAmI| {
        out.expires_at = rfc3339(session.exp);
        out.signed_in_at = rfc3339(session.auth_time);
        out.refresh_until = rfc3339(session.auth_time + MAX_SESSION_SECONDS);
    };
    let mut out = {
        let estate_name = store.estate(caller.estate())?.name;
        match caller {
            Caller::Staff(staff) => {
                let user = store.user_by_id(&staff.user)?;
                let estates = estates_of(store, &staff.user)?;
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
        }
    };
    times(&mut out);
    Ok(out)
}

/// Ends the caller's own session; `action` says why in the audit log (`session.signed_out`,
/// `session.refreshed`). Its token id is refused until the token would have expired anyway.
fn end_session(store: &Store, caller: &Caller, action: &str) -> Result<(), UseCaseError> {
    let session = caller.session();
    let end = EndSession {
        jti: session.jti.clone(),
        expires_at: i64::try_from(session.exp).unwrap_or(i64::MAX),
        chain: caller.estate().to_owned(),
        actor: caller.actor(),
        action: action.to_owned(),
    };
    Ok(store.end_session(&end)?)
}

/// Ends the caller's session, or with `everywhere` every session of a staff user (all their
/// tokens, in every estate, by raising the user's session generation).
pub fn sign_out(store: &Store, caller: &Caller, everywhere: bool) -> Result<(), UseCaseError> {
    match (caller, everywhere) {
        (_, false) => end_session(store, caller, "session.signed_out"),
        (Caller::Staff(staff), true) => {
            store.end_user_sessions(&staff.user, "sign_out_everywhere", &staff.actor())?;
            Ok(())
        }
        (Caller::Owner(_), true) => Err(UseCaseError::Forbidden(Msg::StaffOnly)),
    }
}

/// A new token for the caller's session, valid for the full lifetime again; the token sent is
/// ended. Refused once the session is older than the longest session (sign in again then), and
/// for a staff user who no longer holds a role in the estate.
pub fn refresh(state: &AppState, caller: &Caller) -> Result<SessionResponse, UseCaseError> {
    let auth_time = caller.session().auth_time;
    if jsonwebtoken::get_current_timestamp() > auth_time.saturating_add(MAX_SESSION_SECONDS) {
        return Err(UseCaseError::SessionTooOld);
    }
    let response = match caller {
        Caller::Staff(staff) => {
            // The role may have been taken away since the sign-in: the new token names the
            // strongest role the user holds in the estate now.
            let roles = state.store.roles(&staff.user, &staff.estate)?;
            let role = roles
                .into_iter()
                .max_by_key(|r| rank(*r))
                .ok_or(UseCaseError::Forbidden(Msg::Forbidden))?;
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
    end_session(&state.store, caller, "session.refreshed")?;
    Ok(response)
}
