//! Assemblies (业主大会会议): created as a draft with a timetable, filled with items, announced,
//! opened (every item's electorate is frozen), closed. Voting codes, proxies and transfers of a
//! voting right are recorded here too.

use std::collections::BTreeSet;

use actix_web::{HttpResponse, get, post, web};
use chrono::Utc;
use gongjue_store::assemblies::{Assembly, AssemblyState, Item, ItemKind, NewAssembly};
use gongjue_store::audit::NewAuditEntry;
use gongjue_store::codes::CodeIssue;
use gongjue_store::estates::Estate;
use gongjue_store::proxies::NewProxy;
use gongjue_store::timestamp;
use gongjue_store::transfers::NewTransfer;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::auth::{Caller, StaffCaller, codes};
use crate::body::Body;
use crate::error::ApiError;
use crate::i18n::Msg;
use crate::items::NewItemRequest;
use crate::mail::compose::Context;
use crate::state::{AppState, db};
use crate::timetable;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAssemblyRequest {
    pub title: String,
    /// RFC 3339, e.g. `2026-12-20T09:00:00+08:00`.
    pub opens_at: String,
    pub closes_at: String,
    /// Whether an owner may change their ballot until closing (default yes).
    #[serde(default = "yes")]
    pub ballots_changeable: bool,
    /// Days between announcing and opening, 0 to 365 (default: the estate's minimum, 15 unless
    /// its rules say otherwise). With a motion or an election it must be at least that minimum,
    /// except on a trial estate.
    #[serde(default)]
    pub notice_days: Option<u32>,
    /// Days of the objection period (询异公示) after closing, 0 to 60 (default 7). Fixed at
    /// creation: nobody can shorten it once owners rely on it.
    #[serde(default)]
    pub objection_days: Option<u32>,
    /// Trial estates only: the objection period in minutes, 0 to 1440, instead of days.
    #[serde(default)]
    pub objection_minutes: Option<u32>,
    /// Whether the estate's rules make the vote roll public: then exports carry owner ids and
    /// the announcement lists each unit's choice with the owner's name masked (default no).
    #[serde(default)]
    pub public_roll: bool,
}

/// A body that may be left out: empty means the defaults; anything else must be valid JSON.
fn optional_json<T: Default + serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(bytes).map_err(|e| {
        if e.is_data() {
            ApiError::invalid("(body)", e.to_string())
        } else {
            ApiError::Body {
                msg: Msg::MalformedBody,
                detail: e.to_string(),
            }
        }
    })
}

fn yes() -> bool {
    true
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemOut {
    pub id: String,
    pub position: i32,
    /// `motion`, `election` or `consultation`.
    pub kind: String,
    pub title: String,
    pub body: String,
    pub matter: Option<i32>,
    /// The rule it is counted with, as in the tally bundle (`"ordinary"`, `"special"` or thresholds).
    #[schema(value_type = Value)]
    pub rule: Value,
    #[schema(value_type = Object)]
    pub scope: Value,
    /// Seats and candidates, or questions, as in the tally bundle.
    #[schema(value_type = Object)]
    pub definition: Value,
    pub state: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssemblyOut {
    pub id: String,
    pub estate_id: String,
    pub title: String,
    /// `draft`, `announced`, `open`, `closed` or `cancelled`.
    pub state: String,
    pub announced_at: Option<String>,
    pub opens_at: String,
    pub closes_at: String,
    pub ballots_changeable: bool,
    pub notice_days: i64,
    pub items: Vec<ItemOut>,
}

fn json_text(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

pub fn item_out(item: Item) -> ItemOut {
    ItemOut {
        rule: json_text(&item.rule),
        scope: json_text(&item.scope),
        definition: json_text(&item.definition),
        id: item.id,
        position: item.position,
        kind: item.kind,
        title: item.title,
        body: item.body,
        matter: item.matter,
        state: item.state,
    }
}

fn notice_days(assembly: &Assembly) -> i64 {
    json_text(&assembly.options)
        .get("notice_days")
        .and_then(Value::as_i64)
        .unwrap_or(timetable::DEFAULT_NOTICE_DAYS)
}

fn assembly_out(assembly: Assembly, items: Vec<Item>) -> AssemblyOut {
    AssemblyOut {
        notice_days: notice_days(&assembly),
        id: assembly.id,
        estate_id: assembly.estate_id,
        title: assembly.title,
        state: assembly.state,
        announced_at: assembly.announced_at,
        opens_at: assembly.opens_at,
        closes_at: assembly.closes_at,
        ballots_changeable: assembly.ballots_changeable,
        items: items.into_iter().map(item_out).collect(),
    }
}

/// Loads an assembly and checks that the staff caller may read (or write) its estate.
pub(crate) async fn staff_assembly(
    state: &web::Data<AppState>,
    caller: Caller,
    id: String,
    write: bool,
) -> Result<(StaffCaller, Assembly), ApiError> {
    staff_assembly_of(state, caller.staff()?, id, write).await
}

/// [`staff_assembly`] for a caller already known to be staff (the web pages).
pub async fn staff_assembly_of(
    state: &web::Data<AppState>,
    staff: StaffCaller,
    id: String,
    write: bool,
) -> Result<(StaffCaller, Assembly), ApiError> {
    let assembly = db(state, move |store| Ok(store.assembly(&id)?)).await?;
    if write {
        staff.writes(&assembly.estate_id)?
    } else {
        staff.reads(&assembly.estate_id)?
    }
    Ok((staff, assembly))
}

/// Creates a draft assembly with its timetable.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path, description = "estate id")), request_body = NewAssemblyRequest,
    security(("bearer" = [])), responses((status = 201, body = AssemblyOut), (status = 422, body = crate::routes::ErrorBody)))]
#[post("/estates/{id}/assemblies")]
pub async fn create_assembly(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<NewAssemblyRequest>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let assembly = create_assembly_for(&state, staff, path.into_inner(), body.into_inner()).await?;
    Ok(HttpResponse::Created().json(assembly_out(assembly, vec![])))
}

/// Creates a draft assembly after checking its timetable (the JSON route and the setup page).
pub async fn create_assembly_for(
    state: &web::Data<AppState>,
    staff: StaffCaller,
    estate_id: String,
    body: NewAssemblyRequest,
) -> Result<Assembly, ApiError> {
    staff.writes(&estate_id)?;
    if body.title.trim().is_empty() {
        return Err(ApiError::invalid("title", "an assembly needs a title"));
    }
    let opens_at = timetable::parse("opens_at", &body.opens_at)?;
    let closes_at = timetable::parse("closes_at", &body.closes_at)?;
    timetable::check_window(opens_at, closes_at)?;
    let estate = db(state, {
        let id = estate_id.clone();
        move |store| Ok(store.estate(&id)?)
    })
    .await?;
    let notice = body.notice_days.map_or(estate.min_notice_days, i64::from);
    if notice > timetable::MAX_NOTICE_DAYS {
        return Err(ApiError::invalid(
            "notice_days",
            format!("at most {} days", timetable::MAX_NOTICE_DAYS),
        ));
    }
    let objection_days = body.objection_days.map_or(
        gongjue_store::publications::DEFAULT_OBJECTION_DAYS,
        i64::from,
    );
    if objection_days > gongjue_store::publications::MAX_OBJECTION_DAYS {
        return Err(ApiError::invalid(
            "objection_days",
            "the objection period is 0 to 60 days",
        ));
    }
    let mut options = serde_json::json!({ "notice_days": notice, "objection_days": objection_days, "public_roll": body.public_roll });
    if let Some(minutes) = body.objection_minutes {
        objection_minutes(&estate, minutes, body.objection_days.is_some())?;
        if let Some(map) = options.as_object_mut() {
            map.insert("objection_minutes".into(), minutes.into());
        }
    }
    let new = NewAssembly {
        estate_id,
        title: body.title.trim().to_owned(),
        opens_at: timestamp(opens_at),
        closes_at: timestamp(closes_at),
        ballots_changeable: body.ballots_changeable,
        options,
    };
    db(state, move |store| {
        Ok(store.create_assembly(new, &staff.actor())?)
    })
    .await
}

/// An objection period in minutes: a trial estate's, in place of days, at most a day.
fn objection_minutes(estate: &Estate, minutes: u32, days_given: bool) -> Result<(), ApiError> {
    if !estate.trial {
        return Err(ApiError::Invalid {
            msg: Msg::TrialOnly,
            field: "objection_minutes".into(),
            detail: "this estate is not a trial estate".into(),
        });
    }
    if days_given {
        return Err(ApiError::invalid(
            "objection_minutes",
            "give objection_days or objection_minutes, not both",
        ));
    }
    if i64::from(minutes) > gongjue_store::publications::MAX_OBJECTION_MINUTES {
        return Err(ApiError::invalid(
            "objection_minutes",
            "at most 1440 minutes (a day)",
        ));
    }
    Ok(())
}

/// An assembly with its items (staff of its estate, or an owner signed in for it).
#[utoipa::path(tag = "assemblies", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = AssemblyOut), (status = 403, body = crate::routes::ErrorBody)))]
#[get("/assemblies/{id}")]
pub async fn get_assembly(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let (assembly, items) = db(&state, {
        let id = id.clone();
        move |store| Ok((store.assembly(&id)?, store.items(&id)?))
    })
    .await?;
    match caller {
        Caller::Staff(staff) => staff.reads(&assembly.estate_id)?,
        Caller::Owner(owner) => owner.of_assembly(&id)?,
    }
    Ok(HttpResponse::Ok().json(assembly_out(assembly, items)))
}

/// Adds an item to a draft assembly. After announcing, the sheet is fixed.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path)), request_body = NewItemRequest, security(("bearer" = [])),
    responses((status = 201, body = ItemOut), (status = 409, body = crate::routes::ErrorBody), (status = 422, body = crate::routes::ErrorBody)))]
#[post("/assemblies/{id}/items")]
pub async fn add_item(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<NewItemRequest>,
) -> Result<HttpResponse, ApiError> {
    let item = add_item_for(
        &state,
        caller.staff()?,
        path.into_inner(),
        body.into_inner(),
    )
    .await?;
    Ok(HttpResponse::Created().json(item_out(item)))
}

/// Adds an item to a draft assembly (the JSON route and the setup page).
pub async fn add_item_for(
    state: &web::Data<AppState>,
    staff: StaffCaller,
    assembly_id: String,
    request: NewItemRequest,
) -> Result<Item, ApiError> {
    let (staff, assembly) = staff_assembly_of(state, staff, assembly_id, true).await?;
    if assembly.state != AssemblyState::Draft.as_str() {
        return Err(ApiError::Rule(Msg::ItemsOnlyInDraft));
    }
    let new = request.into_new_item()?;
    db(state, move |store| {
        if new.kind != ItemKind::Consultation {
            let estate = store.estate(&assembly.estate_id)?;
            timetable::check_notice_minimum(&estate, notice_days(&assembly))?;
        }
        Ok(store.add_item(&assembly.id, new, &staff.actor())?)
    })
    .await
}

async fn transition(
    state: &web::Data<AppState>,
    caller: Caller,
    id: String,
    next: AssemblyState,
    reason: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let (assembly, items) = move_assembly(state, caller.staff()?, id, next, reason).await?;
    Ok(HttpResponse::Ok().json(assembly_out(assembly, items)))
}

/// Announces, opens or closes an assembly, with the timetable's checks (the JSON routes and the
/// staff pages).
pub async fn move_assembly(
    state: &web::Data<AppState>,
    staff: StaffCaller,
    id: String,
    next: AssemblyState,
    reason: Option<String>,
) -> Result<(Assembly, Vec<Item>), ApiError> {
    let (staff, assembly) = staff_assembly_of(state, staff, id, true).await?;
    let now = Utc::now();
    let opens_at = timetable::stored(&assembly.opens_at)?;
    let closes_at = timetable::stored(&assembly.closes_at)?;
    // The timetable is checked only for a move the state allows; any other move is left to the
    // store, which refuses it as a conflict (closing a draft is not "closing early").
    let current = AssemblyState::parse(&assembly.state)?;
    match (current, next) {
        (AssemblyState::Draft, AssemblyState::Announced) => {
            let notice = notice_days(&assembly);
            let (estate, items) = db(state, {
                let assembly = assembly.clone();
                move |store| {
                    Ok((
                        store.estate(&assembly.estate_id)?,
                        store.items(&assembly.id)?,
                    ))
                }
            })
            .await?;
            // Checked again here for assemblies set up before the estate's minimum applied.
            if items
                .iter()
                .any(|i| i.kind != ItemKind::Consultation.as_str())
            {
                timetable::check_notice_minimum(&estate, notice)?;
            }
            timetable::check_notice(now, opens_at, notice)?
        }
        (AssemblyState::Announced, AssemblyState::Open) => timetable::check_opening(now, opens_at)?,
        (AssemblyState::Open, AssemblyState::Closed) => {
            timetable::check_closing(now, closes_at, reason.as_deref())?
        }
        _ => {}
    }
    let early = next == AssemblyState::Closed && now < closes_at;
    let public_url = state.public_url.clone();
    db(state, move |store| {
        // Announcing tells every owner with an address, in the transaction that announces.
        let notices = if next == AssemblyState::Announced {
            Context::load(store, &assembly.id, &public_url)?
                .announcements()?
                .mails
        } else {
            Vec::new()
        };
        let moved =
            store.transition_assembly_with_notices(&assembly.id, next, &staff.actor(), &notices)?;
        if early {
            store.append_audit(NewAuditEntry {
                chain: moved.estate_id.clone(),
                actor: staff.actor(),
                action: "assembly.closed_early".into(),
                subject: moved.id.clone(),
                detail: serde_json::json!({ "reason": reason, "scheduled": moved.closes_at }),
            })?;
        }
        let items = store.items(&moved.id)?;
        Ok((moved, items))
    })
    .await
}

/// Announces the assembly (公告): the notice period before opening must be respected.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = AssemblyOut), (status = 409, body = crate::routes::ErrorBody)))]
#[post("/assemblies/{id}/announce")]
pub async fn announce(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    transition(
        &state,
        caller,
        path.into_inner(),
        AssemblyState::Announced,
        None,
    )
    .await
}

/// Opens voting (not before `opens_at`) and freezes every item's electorate.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = AssemblyOut), (status = 409, body = crate::routes::ErrorBody)))]
#[post("/assemblies/{id}/open")]
pub async fn open(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    transition(&state, caller, path.into_inner(), AssemblyState::Open, None).await
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseRequest {
    /// Required to close before `closes_at`; written to the audit log.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Closes voting. Before the scheduled time only with a reason.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path)), request_body(content = Option<CloseRequest>), security(("bearer" = [])),
    responses((status = 200, body = AssemblyOut), (status = 409, body = crate::routes::ErrorBody)))]
#[post("/assemblies/{id}/close")]
pub async fn close(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let reason = optional_json::<CloseRequest>(&body)?.reason;
    transition(
        &state,
        caller,
        path.into_inner(),
        AssemblyState::Closed,
        reason,
    )
    .await
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueCodesRequest {
    /// Owner ids to issue (or re-issue) codes to; absent: every voting member. Re-issuing
    /// revokes the member's earlier code and ends sessions opened with it.
    #[serde(default)]
    pub voters: Option<Vec<String>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedCode {
    pub voter: String,
    /// Shown once: only a keyed hash is stored.
    pub code: String,
    /// The units of the member, for the notice.
    pub units: Vec<String>,
    /// Whether an invitation with the code was queued by e-mail; if not (no address in the
    /// roster), the code must reach the owner on paper.
    pub emailed: bool,
}

/// Issues voting codes, returned once. Before opening, to every owner of the current roster;
/// once open, to the members of the frozen electorates.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path)), request_body(content = Option<IssueCodesRequest>), security(("bearer" = [])),
    responses((status = 201, body = Vec<IssuedCode>), (status = 409, body = crate::routes::ErrorBody)))]
#[post("/assemblies/{id}/codes")]
pub async fn issue_codes(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let wanted = optional_json::<IssueCodesRequest>(&body)?.voters;
    let issued = issue_codes_for(&state, caller.staff()?, path.into_inner(), wanted).await?;
    Ok(HttpResponse::Created().json(issued))
}

/// Issues voting codes (the JSON route and the ballot sheets' print page); see [`issue_codes`].
pub async fn issue_codes_for(
    state: &web::Data<AppState>,
    staff: StaffCaller,
    id: String,
    wanted: Option<Vec<String>>,
) -> Result<Vec<IssuedCode>, ApiError> {
    let (staff, assembly) = staff_assembly_of(state, staff, id, true).await?;
    if assembly.state == AssemblyState::Closed.as_str()
        || assembly.state == AssemblyState::Cancelled.as_str()
    {
        return Err(ApiError::Rule(Msg::VotingClosed));
    }
    let key = state.code_key.clone();
    let public_url = state.public_url.clone();
    db(state, move |store| {
        // Who may vote: the frozen electorates once open, else the current roster's owners.
        let mut units_of: std::collections::BTreeMap<String, BTreeSet<String>> = Default::default();
        if assembly.state == AssemblyState::Open.as_str() {
            for item in store.items(&assembly.id)? {
                for unit in store.electorate(&item.id)? {
                    units_of
                        .entry(unit.voter)
                        .or_default()
                        .insert(unit.unit_number);
                }
            }
        } else {
            for unit in store.current_units(&assembly.estate_id)? {
                units_of
                    .entry(unit.owner_id)
                    .or_default()
                    .insert(unit.unit_number);
            }
        }
        let voters: Vec<String> = match wanted {
            Some(list) => {
                if let Some(unknown) = list.iter().find(|v| !units_of.contains_key(*v)) {
                    return Err(ApiError::invalid(
                        "voters",
                        format!("{unknown} is not a voting member"),
                    ));
                }
                list.into_iter()
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect()
            }
            None => units_of.keys().cloned().collect(),
        };
        let context = Context::load(store, &assembly.id, &public_url)?;
        let mut plain = Vec::with_capacity(voters.len());
        let mut issues = Vec::with_capacity(voters.len());
        for voter in voters {
            let code = codes::generate()?;
            issues.push(CodeIssue {
                voter: voter.clone(),
                code_hash: codes::hash(&key, &code),
                invitation: None,
            });
            plain.push((voter, code));
        }
        // One code per member, each with its invitation, all in one transaction: a failure
        // leaves no member with a half-issued code. Each issue revokes the member's earlier code.
        // Each invitation is rendered when its code is stored and queued at once, not all first.
        let mut emailed = Vec::with_capacity(issues.len());
        let mut failure: Option<ApiError> = None;
        let stored = store.issue_voting_codes_inviting(
            &assembly.id,
            &issues,
            Some(&staff.user),
            |index, issue| {
                let code = plain.get(index).map_or("", |(_, code)| code.as_str());
                match context.invitation(&issue.voter, code) {
                    Ok(invitation) => {
                        emailed.push(invitation.is_some());
                        Ok(invitation)
                    }
                    Err(error) => {
                        let text = error.to_string();
                        failure = Some(error);
                        Err(gongjue_store::StoreError::Invalid(text))
                    }
                }
            },
        );
        if let Some(error) = failure {
            return Err(error); // nothing was issued: the transaction rolled back
        }
        stored?;
        Ok(plain
            .into_iter()
            .zip(emailed)
            .map(|((voter, code), emailed)| {
                let units = units_of
                    .get(&voter)
                    .map(|u| u.iter().cloned().collect())
                    .unwrap_or_default();
                IssuedCode {
                    voter,
                    code,
                    units,
                    emailed,
                }
            })
            .collect::<Vec<_>>())
    })
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProxyRequest {
    /// The member who authorizes (owner id).
    pub member: String,
    /// The member who will vote for them (owner id; they sign in with their own code).
    pub holder: String,
    /// Items covered; absent or empty: the whole assembly.
    #[serde(default)]
    pub items: Vec<String>,
    /// Reference of the written authorization (委托书).
    pub document_ref: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProxyOut {
    pub id: String,
    pub member: String,
    pub holder: String,
    pub whole_assembly: bool,
    pub document_ref: String,
    pub recorded_at: String,
}

/// Records a written proxy. The member's own ballot always supersedes the proxy's.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path)), request_body = ProxyRequest, security(("bearer" = [])),
    responses((status = 201, body = ProxyOut), (status = 409, body = crate::routes::ErrorBody), (status = 422, body = crate::routes::ErrorBody)))]
#[post("/assemblies/{id}/proxies")]
pub async fn record_proxy(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<ProxyRequest>,
) -> Result<HttpResponse, ApiError> {
    let proxy = record_proxy_for(
        &state,
        caller.staff()?,
        path.into_inner(),
        body.into_inner(),
    )
    .await?;
    Ok(HttpResponse::Created().json(proxy))
}

/// Records a written proxy (the JSON route and the proxies page).
pub async fn record_proxy_for(
    state: &web::Data<AppState>,
    staff: StaffCaller,
    id: String,
    body: ProxyRequest,
) -> Result<ProxyOut, ApiError> {
    let (staff, assembly) = staff_assembly_of(state, staff, id, true).await?;
    if body.document_ref.trim().is_empty() {
        return Err(ApiError::invalid(
            "document_ref",
            "a proxy needs the reference of its written authorization",
        ));
    }
    if body.member == body.holder {
        return Err(ApiError::invalid(
            "holder",
            "a member cannot be their own proxy",
        ));
    }
    if assembly.state == AssemblyState::Closed.as_str()
        || assembly.state == AssemblyState::Cancelled.as_str()
    {
        return Err(ApiError::Rule(Msg::VotingClosed));
    }
    // Both must be owners of the assembly: a proxy for an unknown id (a typo) would stand
    // recorded and never be usable.
    let (assembly_id, member, holder) = (
        assembly.id.clone(),
        body.member.clone(),
        body.holder.clone(),
    );
    let unknown = db(state, move |store| {
        for (field, voter) in [("member", member), ("holder", holder)] {
            if !store.is_assembly_voter(&assembly_id, &voter)? {
                return Ok(Some((field, voter)));
            }
        }
        Ok(None)
    })
    .await?;
    if let Some((field, voter)) = unknown {
        return Err(ApiError::invalid(
            field,
            format!("{voter} is not an owner on the roster or in an electorate of this assembly"),
        ));
    }
    let new = NewProxy {
        assembly_id: assembly.id,
        member: body.member,
        holder: body.holder,
        items: if body.items.is_empty() {
            None
        } else {
            Some(body.items)
        },
        document_ref: body.document_ref.trim().to_owned(),
        recorded_by: staff.user,
    };
    let proxy = db(state, move |store| Ok(store.record_proxy(new)?)).await?;
    Ok(ProxyOut {
        id: proxy.id,
        member: proxy.member,
        holder: proxy.holder,
        whole_assembly: proxy.whole_assembly,
        document_ref: proxy.document_ref,
        recorded_at: proxy.recorded_at,
    })
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferRequest {
    /// The unit sold while voting is open, e.g. `3-1-502`.
    pub unit: String,
    /// The new owner's id; they need a voting code of their own.
    pub to_voter: String,
    /// Reference of the deed (不动产权证书 / 合同).
    pub deed_ref: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TransferOut {
    pub id: String,
    pub unit: String,
    pub from_voter: String,
    pub to_voter: String,
    pub deed_ref: String,
    pub recorded_at: String,
}

/// Moves a unit's voting right to its new owner, only before the old owner voted (audited).
#[utoipa::path(tag = "assemblies", params(("id" = String, Path)), request_body = TransferRequest, security(("bearer" = [])),
    responses((status = 201, body = TransferOut), (status = 409, body = crate::routes::ErrorBody)))]
#[post("/assemblies/{id}/transfers")]
pub async fn transfer(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<TransferRequest>,
) -> Result<HttpResponse, ApiError> {
    let (staff, assembly) = staff_assembly(&state, caller, path.into_inner(), true).await?;
    let body = body.into_inner();
    if body.deed_ref.trim().is_empty() {
        return Err(ApiError::invalid(
            "deed_ref",
            "a transfer needs the reference of the deed",
        ));
    }
    // The new voter becomes a member of frozen electorates, which the tally refuses with an
    // empty voter: every count of the assembly would fail from then on.
    let to_voter = body.to_voter.trim().to_owned();
    if to_voter.is_empty() {
        return Err(ApiError::invalid(
            "to_voter",
            "a transfer needs the new owner's id",
        ));
    }
    // Only while voting is open: before, the next roster import is the way; after, it is too late.
    if assembly.state != AssemblyState::Open.as_str() {
        return Err(ApiError::Rule(Msg::Conflict));
    }
    let t = db(&state, move |store| {
        // The unit's voter as frozen in this assembly's electorates.
        let mut from_voter = None;
        for item in store.items(&assembly.id)? {
            if let Some(voter) = store.voter_of_unit(&item.id, &body.unit)? {
                from_voter = Some(voter);
                break;
            }
        }
        let from_voter = from_voter.ok_or_else(|| {
            ApiError::invalid(
                "unit",
                format!("unit {} is in no electorate of this assembly", body.unit),
            )
        })?;
        if from_voter == to_voter {
            return Err(ApiError::invalid(
                "to_voter",
                "the unit already votes with this voter",
            ));
        }
        Ok(store.record_transfer(NewTransfer {
            assembly_id: assembly.id,
            unit_number: body.unit,
            from_voter,
            to_voter,
            deed_ref: body.deed_ref.trim().to_owned(),
            recorded_by: staff.user,
        })?)
    })
    .await?;
    Ok(HttpResponse::Created().json(TransferOut {
        id: t.id,
        unit: t.unit_number,
        from_voter: t.from_voter,
        to_voter: t.to_voter,
        deed_ref: t.deed_ref,
        recorded_at: t.recorded_at,
    }))
}
