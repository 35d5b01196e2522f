//! Assemblies (业主大会会议): created as a draft with a timetable, filled with items, announced,
//! opened (every item's electorate is frozen), closed. Voting codes, proxies and transfers of a
//! voting right are recorded here too.

use std::collections::BTreeSet;

use actix_web::{HttpResponse, delete, get, post, put, web};
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
use crate::countable;
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
    #[schema(format = DateTime)]
    pub opens_at: String,
    #[schema(format = DateTime)]
    pub closes_at: String,
    /// Whether an owner may change their ballot until closing (default yes).
    #[serde(default = "yes")]
    pub ballots_changeable: bool,
    /// Days between announcing and opening, 0 to 365 (default: the estate's minimum, 15 unless
    /// its rules say otherwise). With a motion or an election it must be at least that minimum,
    /// except on a trial estate.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 365)]
    pub notice_days: Option<u32>,
    /// Days of the objection period (询异公示) after closing, 0 to 60 (default 7). Fixed at
    /// creation: nobody can shorten it once owners rely on it.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 60)]
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
    #[schema(format = Uuid)]
    pub id: String,
    pub position: i32,
    #[schema(schema_with = crate::routes::openapi::refs::item_kind)]
    pub kind: String,
    pub title: String,
    pub body: String,
    /// A motion's matter of Civil Code art. 278.
    #[schema(minimum = 1, maximum = 9)]
    pub matter: Option<i32>,
    /// The rule it is counted with, as in the tally bundle (`"ordinary"`, `"special"` or thresholds).
    #[schema(schema_with = crate::routes::openapi::refs::rule)]
    pub rule: Value,
    #[schema(schema_with = crate::routes::openapi::refs::scope)]
    pub scope: Value,
    /// Seats and candidates, or questions, as in the tally bundle.
    #[schema(schema_with = crate::routes::openapi::refs::definition)]
    pub definition: Value,
    #[schema(schema_with = crate::routes::openapi::refs::item_state)]
    pub state: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssemblyOut {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub estate_id: String,
    pub title: String,
    #[schema(schema_with = crate::routes::openapi::refs::assembly_state)]
    pub state: String,
    #[schema(format = DateTime)]
    pub announced_at: Option<String>,
    #[schema(format = DateTime)]
    pub opens_at: String,
    #[schema(format = DateTime)]
    pub closes_at: String,
    pub ballots_changeable: bool,
    pub notice_days: i64,
    /// Days of the objection period after closing (fixed at creation).
    pub objection_days: i64,
    /// Whether the vote roll is public (exports carry owner ids, the announcement masked names).
    pub public_roll: bool,
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

pub(crate) fn assembly_out(assembly: Assembly, items: Vec<Item>) -> AssemblyOut {
    AssemblyOut {
        notice_days: notice_days(&assembly),
        objection_days: gongjue_store::publications::objection_days(&assembly),
        public_roll: crate::export::bundle::public_roll(&assembly),
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
    security(("staff" = [])), responses((status = 201, body = AssemblyOut), (status = 422, body = crate::routes::ErrorBody)))]
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
    let notice = match body.notice_days {
        Some(days) => ApiError::bounded(
            "notice_days",
            i64::from(days),
            0,
            timetable::MAX_NOTICE_DAYS,
        )?,
        None => estate.min_notice_days,
    };
    let objection_days = match body.objection_days {
        Some(days) => ApiError::bounded(
            "objection_days",
            i64::from(days),
            0,
            gongjue_store::publications::MAX_OBJECTION_DAYS,
        )?,
        None => gongjue_store::publications::DEFAULT_OBJECTION_DAYS,
    };
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
#[utoipa::path(tag = "assemblies", params(("id" = String, Path)), security(("staff" = []), ("owner" = [])),
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
#[utoipa::path(tag = "assemblies", params(("id" = String, Path)), request_body = NewItemRequest, security(("staff" = [])),
    responses((status = 201, body = ItemOut), (status = 409, body = crate::routes::ErrorBody, description = "The assembly is no longer a draft (`items_only_in_draft`)"), (status = 422, body = crate::routes::ErrorBody)))]
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
        // Refused now rather than at opening or, worse, at the first count.
        let roster = store.current_units(&assembly.estate_id)?;
        let item = countable::as_item(&new)?;
        countable::check(
            &item,
            countable::in_scope(&item.id, &new.scope, &roster),
            "",
        )?;
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
            // Owners would be told of an assembly that can never open.
            if items.is_empty() {
                return Err(ApiError::Rule(Msg::NoItemsToAnnounce));
            }
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
        // The roster may have changed since the items were added: an item that could not be
        // counted over today's roster is refused before owners are told about it. (An assembly
        // with no items is refused above, and the store refuses to open one.)
        if next == AssemblyState::Announced {
            let roster = store.current_units(&assembly.estate_id)?;
            for (i, item) in store.items(&assembly.id)?.iter().enumerate() {
                let scope = serde_json::from_str(&item.scope)
                    .map_err(|e| ApiError::Internal(format!("scope of item {}: {e}", item.id)))?;
                countable::check(
                    item,
                    countable::in_scope(&item.id, &scope, &roster),
                    &format!("items[{i}]."),
                )?;
            }
        }
        // Announcing tells every owner with an address, in the transaction that announces.
        let notices = if next == AssemblyState::Announced {
            Context::load(store, &assembly.id, &public_url)?
                .announcements()?
                .mails
        } else {
            Vec::new()
        };
        // Opening checks each item again over the very units it freezes, in the transaction
        // that freezes them (a roster imported after announcing cannot slip in between).
        let refused = std::cell::RefCell::new(None);
        let moved = store.transition_assembly_checked(
            &assembly.id,
            next,
            &staff.actor(),
            &notices,
            |index, item, units| {
                countable::check(item, units.to_vec(), &format!("items[{index}].")).map_err(
                    |error| {
                        let text = error.to_string();
                        *refused.borrow_mut() = Some(error);
                        gongjue_store::StoreError::Invalid(text)
                    },
                )
            },
        );
        if let Some(error) = refused.into_inner() {
            return Err(error); // nothing moved: the transaction rolled back
        }
        let moved = moved?;
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
#[utoipa::path(tag = "assemblies", params(("id" = String, Path)), security(("staff" = [])),
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
#[utoipa::path(tag = "assemblies", params(("id" = String, Path)), security(("staff" = [])),
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
#[utoipa::path(tag = "assemblies", params(("id" = String, Path)), request_body(content = Option<CloseRequest>), security(("staff" = [])),
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
#[utoipa::path(tag = "assemblies", params(("id" = String, Path)), request_body(content = Option<IssueCodesRequest>), security(("staff" = [])),
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
    #[schema(format = Uuid)]
    pub id: String,
    pub member: String,
    pub holder: String,
    pub whole_assembly: bool,
    pub document_ref: String,
    #[schema(format = DateTime)]
    pub recorded_at: String,
}

/// Records a written proxy. The member's own ballot always supersedes the proxy's.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path)), request_body = ProxyRequest, security(("staff" = [])),
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
    #[schema(format = Uuid)]
    pub id: String,
    pub unit: String,
    pub from_voter: String,
    pub to_voter: String,
    pub deed_ref: String,
    #[schema(format = DateTime)]
    pub recorded_at: String,
}

/// Moves a unit's voting right to its new owner, only before the old owner voted (audited).
#[utoipa::path(tag = "assemblies", params(("id" = String, Path)), request_body = TransferRequest, security(("staff" = [])),
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

/// The assembly's items, in their order on the ballot sheet (staff of its estate, or an owner
/// signed in for it).
#[utoipa::path(tag = "assemblies", params(("id" = String, Path, description = "assembly id")), security(("staff" = []), ("owner" = [])),
    responses((status = 200, body = Vec<ItemOut>), (status = 403, body = crate::routes::ErrorBody)))]
#[get("/assemblies/{id}/items")]
pub async fn list_items(
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
    let out: Vec<ItemOut> = items.into_iter().map(item_out).collect();
    Ok(HttpResponse::Ok().json(out))
}

/// An item and its assembly, if the caller may read them (staff of the estate, or an owner
/// signed in for the assembly).
async fn readable_item(
    state: &web::Data<AppState>,
    caller: &Caller,
    id: String,
) -> Result<(Assembly, Item), ApiError> {
    let (assembly, item) = db(state, move |store| {
        let item = store.item(&id)?;
        Ok((store.assembly(&item.assembly_id)?, item))
    })
    .await?;
    match caller {
        Caller::Staff(staff) => staff.reads(&assembly.estate_id)?,
        Caller::Owner(owner) => owner.of_assembly(&assembly.id)?,
    }
    Ok((assembly, item))
}

/// One item (staff of its estate, or an owner signed in for its assembly).
#[utoipa::path(tag = "assemblies", params(("id" = String, Path, description = "item id")), security(("staff" = []), ("owner" = [])),
    responses((status = 200, body = ItemOut), (status = 403, body = crate::routes::ErrorBody)))]
#[get("/items/{id}")]
pub async fn get_item(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (_, item) = readable_item(&state, &caller, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(item_out(item)))
}

/// The item of a change, checked for a staff caller who writes its estate, while its assembly
/// is a draft (409 `items_fixed` naming the state otherwise).
async fn draft_item(
    state: &web::Data<AppState>,
    caller: Caller,
    id: String,
) -> Result<(StaffCaller, Item), ApiError> {
    let staff = caller.staff()?;
    let (assembly, item) = readable_item(state, &Caller::Staff(staff.clone()), id).await?;
    staff.writes(&assembly.estate_id)?;
    if assembly.state != AssemblyState::Draft.as_str() {
        return Err(ApiError::RuleInState {
            msg: Msg::ItemsFixed,
            state: assembly.state,
        });
    }
    Ok((staff, item))
}

/// The store's refusal of a change to the sheet, as the API names it: the assembly left the
/// draft state meanwhile, or a proxy names the item.
fn sheet_refusal(error: gongjue_store::StoreError) -> ApiError {
    match error {
        gongjue_store::StoreError::Conflict(why) if why.contains("a proxy names") => {
            ApiError::Rule(Msg::ItemNamedByProxy)
        }
        gongjue_store::StoreError::Conflict(why) if why.starts_with("assembly is ") => {
            let state = why
                .trim_start_matches("assembly is ")
                .split(':')
                .next()
                .unwrap_or_default()
                .to_owned();
            ApiError::RuleInState {
                msg: Msg::ItemsFixed,
                state,
            }
        }
        other => other.into(),
    }
}

/// Replaces an item of a draft assembly (same body as adding one); it keeps its id and place.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path, description = "item id")), request_body = NewItemRequest, security(("staff" = [])),
    responses((status = 200, body = ItemOut), (status = 403, body = crate::routes::ErrorBody),
        (status = 409, body = crate::routes::ErrorBody, description = "The assembly is no longer a draft (`items_fixed`; `detail` names its state)"),
        (status = 422, body = crate::routes::ErrorBody)))]
#[put("/items/{id}")]
pub async fn update_item(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<NewItemRequest>,
) -> Result<HttpResponse, ApiError> {
    let (staff, item) = draft_item(&state, caller, path.into_inner()).await?;
    let new = body.into_inner().into_new_item()?;
    let item = db(&state, move |store| {
        store
            .update_item(&item.id, new, &staff.actor())
            .map_err(sheet_refusal)
    })
    .await?;
    Ok(HttpResponse::Ok().json(item_out(item)))
}

/// Deletes an item of a draft assembly; the items after it move up one place.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path, description = "item id")), security(("staff" = [])),
    responses((status = 204, description = "Deleted"), (status = 403, body = crate::routes::ErrorBody),
        (status = 409, body = crate::routes::ErrorBody, description = "The assembly is no longer a draft (`items_fixed`; `detail` names its state), or a proxy names the item (`item_named_by_proxy`)")))]
#[delete("/items/{id}")]
pub async fn delete_item(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (staff, item) = draft_item(&state, caller, path.into_inner()).await?;
    db(&state, move |store| {
        store
            .delete_item(&item.id, &staff.actor())
            .map_err(sheet_refusal)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelRequest {
    /// Why; required once the assembly was announced (owners are told it), written to the
    /// audit log.
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CancelOut {
    pub assembly: AssemblyOut,
    /// Cancellation notices newly queued by e-mail.
    pub queued: usize,
    /// Owners who heard of the assembly but have no e-mail address: tell them on paper.
    pub paper_round: Vec<crate::mail::compose::PaperOwner>,
}

/// Cancels an assembly: a draft, an announced one or one whose voting is open (ballots cast
/// are kept, never counted); not once closed, when its result is published. If owners may
/// have heard of it (announced, codes issued or a notice queued), every owner is told: by
/// e-mail (queued with the cancellation) or, without an address, in the paper round returned.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path)), request_body(content = Option<CancelRequest>), security(("staff" = [])),
    responses((status = 200, body = CancelOut),
        (status = 409, body = crate::routes::ErrorBody, description = "Closed or cancelled already (`cancel_not_allowed`; `detail` names the state)"),
        (status = 422, body = crate::routes::ErrorBody, description = "No `reason` for an assembly owners were told of")))]
#[post("/assemblies/{id}/cancel")]
pub async fn cancel(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let reason = optional_json::<CancelRequest>(&body)?
        .reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    let (staff, assembly) = staff_assembly(&state, caller, path.into_inner(), true).await?;
    match AssemblyState::parse(&assembly.state)? {
        AssemblyState::Draft | AssemblyState::Announced | AssemblyState::Open => {}
        AssemblyState::Closed | AssemblyState::Cancelled => {
            return Err(ApiError::RuleInState {
                msg: Msg::CancelNotAllowed,
                state: assembly.state,
            });
        }
    }
    let public_url = state.public_url.clone();
    let out = db(&state, move |store| {
        let told =
            assembly.announced_at.is_some() || store.assembly_reached_owners(&assembly.id)?;
        if told && reason.is_none() {
            return Err(ApiError::invalid(
                "reason",
                "owners were told of this assembly: say why it is cancelled",
            ));
        }
        let batch = if told {
            let context = Context::load(store, &assembly.id, &public_url)?;
            context.cancellations(store, reason.as_deref().unwrap_or_default())?
        } else {
            crate::mail::compose::Batch::default()
        };
        let moved = store
            .cancel_assembly(
                &assembly.id,
                reason.as_deref().unwrap_or_default(),
                &staff.actor(),
                &batch.mails,
            )
            .map_err(|e| match e {
                gongjue_store::StoreError::Conflict(_) => ApiError::Rule(Msg::CancelNotAllowed),
                other => other.into(),
            })?;
        let items = store.items(&moved.id)?;
        Ok(CancelOut {
            assembly: assembly_out(moved, items),
            queued: batch.mails.len(),
            paper_round: batch.paper,
        })
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}
