//! SMS use cases (issue 20): the estate's SMS setting and budget, the owner's choice of
//! channel, one-time sign-in codes sent by SMS, the provider's delivery receipts, and the
//! delivery record of each owner.
//!
//! Sign-in by SMS code: the owner types the number; a 6-digit code goes only to a number the
//! roster the assembly was frozen from gives for one member holding an active voting code.
//! The answer is the same whether or not the number is on the roster, and every request
//! counts against limits per number, per client address and per estate, so the form can
//! neither tell who is on the roster nor be used to flood phones. A code lives a few minutes,
//! is spent after a few wrong tries, and opens the same owner session as the printed code.

use chrono::Utc;
use gongjue_store::Store;
use gongjue_store::audit::NewAuditEntry;
use gongjue_store::outbox::NewEmail;
use gongjue_store::sms::{Delivery, SignInCode, SmsSettings};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::client_addr::limit_scope;
use crate::auth::codes as voting_codes;
use crate::auth::jwt::Subject;
use crate::auth::ratelimit;
use crate::i18n::{Lang, Msg};
use crate::state::AppState;
use crate::usecases::UseCaseError;
use crate::usecases::caller::{OwnerCaller, StaffCaller};
use crate::usecases::sessions::SessionResponse;
use crate::usecases::setup::staff_assembly;

/// The estate's SMS notices and budget.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SmsSettingsRequest {
    /// Send notices by SMS too (the estate pays for them).
    pub on: bool,
    /// SMS per owner and assembly (ballot alerts and sign-in codes are not counted), 1 to 50.
    pub per_owner: i64,
    /// SMS per day (Beijing time) for the estate (the same aside), 1 to 1,000,000.
    pub per_day: i64,
}

/// A secretary (or admin) of the estate sets its SMS notices and budget; audited.
pub fn set_estate_sms(
    store: &Store,
    staff: &StaffCaller,
    estate_id: &str,
    request: SmsSettingsRequest,
) -> Result<SmsSettingsRequest, UseCaseError> {
    staff.writes(estate_id)?;
    if !(1..=50).contains(&request.per_owner) {
        return Err(UseCaseError::invalid("per_owner", "must be 1 to 50"));
    }
    if !(1..=1_000_000).contains(&request.per_day) {
        return Err(UseCaseError::invalid("per_day", "must be 1 to 1000000"));
    }
    store.set_sms_notices(
        estate_id,
        &SmsSettings {
            on: request.on,
            per_owner: request.per_owner,
            per_day: request.per_day,
        },
        &staff.actor(),
    )?;
    Ok(request)
}

/// The owner's choice of channel.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChannelsRequest {
    /// `email`, `sms` or `both`. Ballot alerts go by every channel whatever the choice.
    pub channels: String,
}

/// The signed-in owner chooses how notices reach them; only the owner can (audited under
/// their name): a secretary who could switch an owner's channel could also silence it.
pub fn set_own_channels(
    store: &Store,
    owner: &OwnerCaller,
    request: ChannelsRequest,
) -> Result<ChannelsRequest, UseCaseError> {
    let channels = request.channels.trim();
    if !["email", "sms", "both"].contains(&channels) {
        return Err(UseCaseError::invalid(
            "channels",
            format!("`{channels}` is not email, sms or both"),
        ));
    }
    store.set_notice_channels(&owner.estate, &owner.voter, channels)?;
    Ok(ChannelsRequest {
        channels: channels.to_owned(),
    })
}

/// The notices sent to the signed-in owner in their assembly: which, by which channel, when
/// sent, when delivered.
pub fn own_deliveries(store: &Store, owner: &OwnerCaller) -> Result<Vec<Delivery>, UseCaseError> {
    Ok(store.deliveries(&owner.assembly, &owner.voter)?)
}

/// One member's delivery record, for staff and auditors of the estate.
pub fn member_deliveries(
    store: &Store,
    staff: &StaffCaller,
    assembly_id: &str,
    voter: &str,
) -> Result<Vec<Delivery>, UseCaseError> {
    let assembly = staff_assembly(store, staff, assembly_id, false)?;
    Ok(store.deliveries(&assembly.id, voter)?)
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SmsCodeRequest {
    #[schema(format = Uuid)]
    pub assembly_id: String,
    /// As the owner types it: `13800138000`, `138 0013 8000`, `+86 138…`.
    pub phone: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SmsCodeSent {
    /// Always the same answer: a code was sent if the number is on the roster for a member.
    pub sent_if_on_roster: bool,
    /// Seconds a code is valid.
    pub expires_in: u64,
}

/// The keyed hash of a number (E.164): numbers are never stored beside their codes.
fn phone_hash(state: &AppState, e164: &str) -> String {
    voting_codes::hash(&state.code_key, &format!("sms-phone:{e164}"))
}

/// The keyed hash of a code sent to a number.
fn sms_code_hash(state: &AppState, e164: &str, code: &str) -> String {
    voting_codes::hash(&state.code_key, &format!("sms-code:{e164}:{code}"))
}

/// The number typed, in E.164, or an error naming the field.
fn typed_number(phone: &str) -> Result<String, UseCaseError> {
    crate::sms::text::e164(phone)
        .ok_or_else(|| UseCaseError::invalid("phone", "not a mobile number (e.g. 13800138000)"))
}

/// Sends a sign-in code to `phone` if the roster gives it for one member of the assembly.
pub fn request_sign_in_code(
    state: &AppState,
    ip: &str,
    request: SmsCodeRequest,
) -> Result<SmsCodeSent, UseCaseError> {
    let store = &state.store;
    let limits = state.sms.sign_in;
    let number = typed_number(&request.phone)?;
    let assembly = store
        .assembly(&request.assembly_id)
        .map_err(|_| UseCaseError::invalid("assembly_id", "no such assembly"))?;
    if assembly.state != "open" {
        return Err(UseCaseError::Rule(Msg::SmsSignInOnlyWhileOpen));
    }
    let estate = store.estate(&assembly.estate_id)?;
    if !estate.sms_notices {
        return Err(UseCaseError::Rule(Msg::SmsNotOffered));
    }
    let hash = phone_hash(state, &number);
    // Counted before anything is looked up, for numbers on the roster or not alike.
    let window = state.attempt_window;
    ratelimit::count_write(
        store,
        window,
        format!("sms-ip:{}", limit_scope(ip)),
        limits.per_address,
    )?;
    ratelimit::count_write(
        store,
        window,
        format!("sms-number:{hash}"),
        limits.per_number,
    )?;
    ratelimit::count_write(
        store,
        window,
        format!("sms-estate:{}", estate.id),
        limits.per_estate,
    )?;
    let answer = SmsCodeSent {
        sent_if_on_roster: true,
        expires_in: limits.code_ttl.as_secs(),
    };
    let mut owners: Vec<String> = store
        .member_phones(&assembly.id)?
        .into_iter()
        .filter(|(_, written)| crate::sms::text::e164(written).as_deref() == Some(&number))
        .map(|(owner, _)| owner)
        .collect();
    owners.sort();
    owners.dedup();
    // A number the roster gives for several members identifies none of them.
    let [voter] = owners.as_slice() else {
        return Ok(answer);
    };
    if store.active_code_of(&assembly.id, voter)?.is_none() {
        return Ok(answer);
    }
    let code = six_digits()?;
    let now = Utc::now();
    let ttl = chrono::Duration::from_std(limits.code_ttl).unwrap_or(chrono::Duration::minutes(5));
    let row = SignInCode {
        id: uuid::Uuid::now_v7().to_string(),
        assembly_id: assembly.id.clone(),
        phone_hash: hash,
        voter: voter.clone(),
        code_hash: sms_code_hash(state, &number, &code),
        created_at: gongjue_store::timestamp(now),
        expires_at: gongjue_store::timestamp(now + ttl),
        failures: 0,
        used_at: None,
    };
    let lang = store
        .owner_contacts_of(&assembly.estate_id, std::slice::from_ref(voter))?
        .remove(voter)
        .and_then(|c| c.language)
        .as_deref()
        .and_then(Lang::from_tag)
        .unwrap_or(Lang::ZhCn);
    let minutes = (limits.code_ttl.as_secs() / 60).max(1).to_string();
    let (text, params) = crate::sms::text::render(
        "sign_in_code",
        lang,
        &[("code", code.clone()), ("minutes", minutes)],
    )
    .ok_or_else(|| UseCaseError::Internal("no sign-in code SMS".into()))?;
    let sms = NewEmail {
        estate_id: Some(assembly.estate_id.clone()),
        dedupe_key: format!("sign_in_code:{}", row.id),
        recipient: number,
        subject: "sign_in_code".into(),
        body_text: text,
        body_html: None,
        kind: "sign_in_code".into(),
        assembly_id: Some(assembly.id.clone()),
        voter: Some(voter.clone()),
        sms: Some(params),
    };
    store.store_sign_in_code(&assembly.estate_id, &row, &sms)?;
    Ok(answer)
}

/// A random 6-digit code (uniform: rejection of the biased top of the range).
fn six_digits() -> Result<String, UseCaseError> {
    loop {
        let mut bytes = [0u8; 4];
        getrandom::fill(&mut bytes).map_err(|e| UseCaseError::Internal(e.to_string()))?;
        let n = u32::from_le_bytes(bytes);
        if n < 4_294_000_000 {
            return Ok(format!("{:06}", n % 1_000_000));
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SmsSignInRequest {
    #[schema(format = Uuid)]
    pub assembly_id: String,
    pub phone: String,
    /// The 6 digits of the SMS.
    pub code: String,
}

/// Signs in with the code sent to `phone`: the owner session of the printed code. A wrong,
/// expired or spent code is [`UseCaseError::BadCode`] (audited as `code.failed`, via `sms`),
/// counted against the address's and the number's limits.
pub fn sms_sign_in(
    state: &AppState,
    ip: &str,
    request: SmsSignInRequest,
) -> Result<SessionResponse, UseCaseError> {
    let store = &state.store;
    let number = typed_number(&request.phone)?;
    let hash = phone_hash(state, &number);
    let limits = [
        (
            format!("sms-code-ip:{}", limit_scope(ip)),
            state.limits.code_failures_per_ip,
        ),
        (
            format!("sms-code-number:{hash}"),
            state.sms.sign_in.per_number * 5,
        ),
    ];
    ratelimit::refuse_if_exhausted(store, state.attempt_window, &limits)?;
    let typed: String = request.code.chars().filter(char::is_ascii_digit).collect();
    let found = store.latest_sign_in_code(&request.assembly_id, &hash)?;
    let now = gongjue_store::timestamp(Utc::now());
    let usable = found.filter(|c| {
        c.used_at.is_none() && c.expires_at > now && c.failures < state.sms.sign_in.tries_per_code
    });
    let matched = usable.as_ref().is_some_and(|c| {
        typed.len() == 6
            && constant_time_eq(
                c.code_hash.as_bytes(),
                sms_code_hash(state, &number, &typed).as_bytes(),
            )
    });
    let assembly = store.assembly(&request.assembly_id).ok();
    let refuse = |code: Option<&SignInCode>| -> Result<SessionResponse, UseCaseError> {
        if let Some(code) = code {
            store.count_sign_in_failure(&code.id)?;
        }
        if let Some(assembly) = &assembly {
            store.append_audit(NewAuditEntry {
                chain: assembly.estate_id.clone(),
                actor: "anonymous".into(),
                action: "code.failed".into(),
                subject: assembly.id.clone(),
                detail: serde_json::json!({ "ip": ip, "via": "sms" }),
            })?;
        }
        ratelimit::count_failure(store, state.attempt_window, &limits)?;
        Err(UseCaseError::BadCode)
    };
    let (Some(code), true, Some(assembly)) = (usable.as_ref(), matched, assembly.as_ref()) else {
        return refuse(usable.as_ref());
    };
    if assembly.state != "open" {
        return Err(UseCaseError::Rule(Msg::SmsSignInOnlyWhileOpen));
    }
    let Some(voting_code) = store.active_code_of(&assembly.id, &code.voter)? else {
        return refuse(Some(code));
    };
    if !store.use_sign_in_code(&assembly.estate_id, code, ip)? {
        return refuse(None);
    }
    let token = state.jwt.issue(Subject::Owner {
        voter: code.voter.clone(),
        assembly: assembly.id.clone(),
        estate: assembly.estate_id.clone(),
        code: voting_code.id,
    })?;
    Ok(SessionResponse {
        token,
        expires_in: state.jwt.ttl().as_secs(),
        estate_id: assembly.estate_id.clone(),
        role: "owner".into(),
        assembly_id: Some(assembly.id.clone()),
        voter: Some(code.voter.clone()),
    })
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Records the provider's delivery receipts posted to `/sms/receipts/{token}`. Returns how many
/// named a message of ours. A wrong token is refused as not found (nothing to learn from it).
pub fn record_receipts(state: &AppState, token: &str, body: &[u8]) -> Result<usize, UseCaseError> {
    let expected = state.sms.receipt_token.as_ref().ok_or_else(|| {
        UseCaseError::Store(gongjue_store::StoreError::NotFound("receipts".into()))
    })?;
    if !constant_time_eq(expected.0.as_bytes(), token.as_bytes()) {
        return Err(UseCaseError::Store(gongjue_store::StoreError::NotFound(
            "receipts".into(),
        )));
    }
    let receipts =
        crate::sms::tencent::parse_receipts(body).map_err(|e| UseCaseError::invalid("body", e))?;
    let mut recorded = 0;
    for receipt in receipts {
        if state
            .store
            .record_receipt(
                &receipt.provider_id,
                receipt.delivered,
                receipt.at.as_deref(),
                &receipt.detail,
            )?
            .is_some()
        {
            recorded += 1;
        }
    }
    Ok(recorded)
}
