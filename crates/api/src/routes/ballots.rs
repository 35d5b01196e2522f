//! Ballots: an owner's sheet and their votes (in person or as a proxy holder), paper ballots
//! entered by one staff user and confirmed by another.

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use chrono::Utc;
use gongjue_store::assemblies::{Assembly, AssemblyState, Item};
use gongjue_store::ballots::{CastBallot, Channel, CurrentBallot, PaperNote};
use gongjue_store::{Store, timestamp};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::auth::{Caller, OwnerCaller, StaffCaller};
use crate::body::Body;
use crate::error::ApiError;
use crate::i18n::Msg;
use crate::items::{Entry, check_choice};
use crate::mail::compose::Context;
use crate::routes::assemblies::{ItemOut, item_out};
use crate::state::{AppState, db};
use crate::timetable;

/// An owner's token is valid for its assembly only, and only while its code is not revoked.
pub async fn owner_session(
    state: &web::Data<AppState>,
    caller: Caller,
    assembly_id: &str,
) -> Result<OwnerCaller, ApiError> {
    let owner = caller.owner()?;
    owner.of_assembly(assembly_id)?;
    let code = owner.code.clone();
    if !db(state, move |store| Ok(store.code_is_active(&code)?)).await? {
        return Err(ApiError::BadToken);
    }
    Ok(owner)
}

/// Ballots are taken only while the assembly is open (state) and inside its window (time).
fn check_voting_open(assembly: &Assembly) -> Result<(), ApiError> {
    match AssemblyState::parse(&assembly.state)? {
        AssemblyState::Open => {}
        AssemblyState::Draft | AssemblyState::Announced => {
            return Err(ApiError::Rule(Msg::VotingNotYetOpen));
        }
        AssemblyState::Closed | AssemblyState::Cancelled => {
            return Err(ApiError::Rule(Msg::VotingClosed));
        }
    }
    timetable::check_casting(
        Utc::now(),
        timetable::stored(&assembly.opens_at)?,
        timetable::stored(&assembly.closes_at)?,
    )
}

/// The rules about replacing a member's current ballot, before the store is asked.
fn check_replacing(
    assembly: &Assembly,
    current: Option<&CurrentBallot>,
    channel: Channel,
    correction: bool,
) -> Result<(), ApiError> {
    let Some(current) = current else {
        return Ok(());
    };
    if current.channel == Channel::Paper.as_str()
        && current.confirmed_at.is_some()
        && !(channel == Channel::Paper && correction)
    {
        return Err(ApiError::Rule(Msg::ConfirmedBallot));
    }
    let current_by_proxy = current.channel == Channel::Proxy.as_str();
    if channel == Channel::Proxy && !current_by_proxy {
        return Err(ApiError::Rule(Msg::OwnBallotSupersedes));
    }
    // The member's own ballot supersedes their proxy's even where ballots cannot be changed.
    let own_over_proxy = channel != Channel::Proxy && current_by_proxy;
    if !own_over_proxy && !assembly.ballots_changeable {
        return Err(ApiError::Rule(Msg::BallotNotChangeable));
    }
    Ok(())
}

/// An item named in a request body: it must be on this assembly's sheet (422 otherwise).
fn item_of(store: &Store, item_id: &str, assembly_id: &str) -> Result<Item, ApiError> {
    match store.item(item_id) {
        Ok(item) if item.assembly_id == assembly_id => Ok(item),
        Ok(_) | Err(gongjue_store::StoreError::NotFound(_)) => Err(ApiError::invalid(
            "item",
            format!("no item {item_id} in this assembly"),
        )),
        Err(other) => Err(other.into()),
    }
}

/// Whether the assembly's result is published as preliminary (objections may still correct it).
fn in_objection_stage(store: &Store, assembly_id: &str) -> Result<bool, ApiError> {
    Ok(store
        .publication(assembly_id)?
        .is_some_and(|p| !p.is_final()))
}

/// The store's idempotency key of one ballot of a request: one request may hold several.
fn cast_key(request_key: &str, item: &str, voter: &str) -> String {
    format!("{request_key}:{item}:{voter}")
}

/// Whether the member's current ballot was stored by this very request (a client's retry):
/// the store then answers with what it stored, and the rules about replacing do not apply.
fn is_retry(store: &Store, current: Option<&CurrentBallot>, key: &str) -> Result<bool, ApiError> {
    let Some(current) = current else {
        return Ok(false);
    };
    Ok(store.ballot_version(&current.version_id)?.0.idempotency_key == key)
}

fn idempotency_key(req: &HttpRequest) -> String {
    req.headers()
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128)
        .map_or_else(|| uuid::Uuid::now_v7().to_string(), str::to_owned)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CurrentChoice {
    /// In the tally bundle's ballot format: `"yes"`, `["c1", "c3"]`, `{"q1": ["a"]}`.
    #[schema(schema_with = crate::routes::openapi::refs::choice)]
    pub choice: Value,
    #[schema(schema_with = crate::routes::openapi::refs::channel)]
    pub channel: String,
    #[schema(format = DateTime)]
    pub cast_at: String,
    /// Counts now (a paper ballot only once confirmed).
    pub counted: bool,
    /// A hash of the recorded ballot, to find it in the published list later.
    pub receipt: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SheetEntry {
    pub item: ItemOut,
    /// The member this entry is voted for: the owner, or a member whose proxy they hold.
    pub voter: String,
    pub on_behalf: bool,
    /// The current ballot, if any. A proxy holder does not see a ballot the member cast themselves.
    pub current: Option<CurrentChoice>,
    /// For a proxy holder: the member has voted in person, so the proxy cannot vote.
    pub member_voted: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Sheet {
    #[schema(format = Uuid)]
    pub assembly_id: String,
    pub title: String,
    #[schema(schema_with = crate::routes::openapi::refs::assembly_state)]
    pub state: String,
    #[schema(format = DateTime)]
    pub opens_at: String,
    #[schema(format = DateTime)]
    pub closes_at: String,
    pub ballots_changeable: bool,
    pub voter: String,
    pub entries: Vec<SheetEntry>,
}

fn current_choice(store: &Store, current: &CurrentBallot) -> Result<CurrentChoice, ApiError> {
    let (version, _) = store.ballot_version(&current.version_id)?;
    Ok(CurrentChoice {
        choice: serde_json::from_str(&current.choice)
            .map_err(|e| ApiError::Internal(e.to_string()))?,
        channel: current.channel.clone(),
        cast_at: current.cast_at.clone(),
        counted: version.counts(),
        receipt: version.receipt(),
    })
}

/// The items this owner may vote on (their own, and those of members whose proxy they hold),
/// with their current choices.
#[utoipa::path(tag = "ballots", params(("id" = String, Path)), security(("owner" = [])),
    responses((status = 200, body = Sheet), (status = 403, body = crate::routes::ErrorBody)))]
#[get("/assemblies/{id}/ballot")]
pub async fn my_ballot(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let assembly_id = path.into_inner();
    let owner = owner_session(&state, caller, &assembly_id).await?;
    let sheet = db(&state, move |store| sheet_of(store, &owner)).await?;
    Ok(HttpResponse::Ok().json(sheet))
}

/// An owner's ballot sheet: what the JSON route returns and the web form shows.
pub fn sheet_of(store: &Store, owner: &OwnerCaller) -> Result<Sheet, ApiError> {
    let assembly_id = owner.assembly.clone();
    let assembly = store.assembly(&assembly_id)?;
    let items = store.items(&assembly_id)?;
    let held = store.proxies_held(&assembly_id, &owner.voter)?;
    let mut entries = Vec::new();
    for item in items
        .into_iter()
        .filter(|i| i.electorate_frozen_at.is_some())
    {
        if store.in_electorate(&item.id, &owner.voter)? {
            let current = store
                .current_ballot(&item.id, &owner.voter)?
                .map(|c| current_choice(store, &c))
                .transpose()?;
            entries.push(SheetEntry {
                item: item_out(item.clone()),
                voter: owner.voter.clone(),
                on_behalf: false,
                current,
                member_voted: false,
            });
        }
        for (proxy, covered) in &held {
            if (covered.is_empty() || covered.contains(&item.id))
                && store.in_electorate(&item.id, &proxy.member)?
            {
                let current = store.current_ballot(&item.id, &proxy.member)?;
                let member_voted = current
                    .as_ref()
                    .is_some_and(|c| c.channel != Channel::Proxy.as_str());
                let current = current
                    .filter(|c| c.channel == Channel::Proxy.as_str())
                    .map(|c| current_choice(store, &c))
                    .transpose()?;
                entries.push(SheetEntry {
                    item: item_out(item.clone()),
                    voter: proxy.member.clone(),
                    on_behalf: true,
                    current,
                    member_voted,
                });
            }
        }
    }
    Ok(Sheet {
        assembly_id: assembly.id,
        title: assembly.title,
        state: assembly.state,
        opens_at: assembly.opens_at,
        closes_at: assembly.closes_at,
        ballots_changeable: assembly.ballots_changeable,
        voter: owner.voter.clone(),
        entries,
    })
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Vote {
    #[schema(format = Uuid)]
    pub item: String,
    /// Motion: `"yes"`, `"no"`, `"abstain"`. Election: a list of at most `seats` candidates, or
    /// `"abstain"`. Consultation: `{"question id": ["option", …]}`, questions may be left out.
    #[schema(schema_with = crate::routes::openapi::refs::choice)]
    pub choice: Value,
    /// Vote as proxy holder for this member (owner id).
    #[serde(default)]
    pub on_behalf_of: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CastRequest {
    pub votes: Vec<Vote>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CastReceipt {
    #[schema(format = Uuid)]
    pub item: String,
    pub voter: String,
    /// 1 for the first ballot, then 2, 3, … for changes.
    #[schema(minimum = 1)]
    pub seq: i64,
    #[schema(schema_with = crate::routes::openapi::refs::channel)]
    pub channel: String,
    pub receipt: String,
    /// True when this request was a retry (same `Idempotency-Key`) and nothing new was stored.
    pub replayed: bool,
}

struct Checked {
    item: Item,
    voter: String,
    choice: Value,
    proxy_id: Option<String>,
}

/// Casts or changes the owner's ballot on one or more items. Every vote is checked before any
/// is stored. Send an `Idempotency-Key` header to make retries safe.
#[utoipa::path(tag = "ballots", params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)), request_body = CastRequest,
    security(("owner" = [])), responses((status = 200, body = Vec<CastReceipt>), (status = 403, body = crate::routes::ErrorBody),
        (status = 409, body = crate::routes::ErrorBody), (status = 422, body = crate::routes::ErrorBody)))]
#[put("/assemblies/{id}/ballot")]
pub async fn cast(
    req: HttpRequest,
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<CastRequest>,
) -> Result<HttpResponse, ApiError> {
    let assembly_id = path.into_inner();
    let owner = owner_session(&state, caller, &assembly_id).await?;
    let key = idempotency_key(&req);
    let votes = body.into_inner().votes;
    if votes.is_empty() {
        return Err(ApiError::invalid("votes", "no vote given"));
    }
    let public_url = state.public_url.clone();
    let receipts = db(&state, move |store| {
        cast_votes(store, &owner, &key, votes, &public_url)
    })
    .await?;
    Ok(HttpResponse::Ok().json(receipts))
}

/// Casts an owner's votes (their own and as proxy holder), checked first, stored together in
/// one transaction. The one way a ballot sheet is cast: the JSON route and the web form call it.
/// `key` is the request's idempotency key (a retry with the same key stores nothing new).
pub fn cast_votes(
    store: &Store,
    owner: &OwnerCaller,
    key: &str,
    votes: Vec<Vote>,
    public_url: &str,
) -> Result<Vec<CastReceipt>, ApiError> {
    let assembly_id = owner.assembly.clone();
    // Everything the checks read, with one pool checkout.
    let sheet = {
        let wanted: Vec<(&str, &str)> = votes
            .iter()
            .map(|v| {
                (
                    v.item.as_str(),
                    v.on_behalf_of.as_deref().unwrap_or(owner.voter.as_str()),
                )
            })
            .collect();
        store.ballot_sheet(&assembly_id, &owner.voter, &wanted)?
    };
    let (assembly, held) = (sheet.assembly, sheet.proxies_held);
    check_voting_open(&assembly)?;
    let mut checked = Vec::with_capacity(votes.len());
    for (vote, found) in votes.into_iter().zip(sheet.votes) {
        // Whom the vote is for, and under which proxy; refused below, after the item's checks.
        let (voter, proxy) = match vote.on_behalf_of {
            Some(member) if member != owner.voter => {
                let proxy = held.iter().find(|(p, covered)| {
                    p.member == member && (covered.is_empty() || covered.contains(&vote.item))
                });
                (member, Some(proxy.map(|p| p.0.id.clone())))
            }
            _ => (owner.voter.clone(), None),
        };
        // The item, the membership and the current ballot, read above with the sheet.
        let found = match found {
            Ok(found) if found.item.assembly_id == assembly_id => found,
            Ok(_) | Err(gongjue_store::StoreError::NotFound(_)) => {
                return Err(ApiError::invalid(
                    "item",
                    format!("no item {} in this assembly", vote.item),
                ));
            }
            Err(other) => return Err(other.into()),
        };
        let item = found.item;
        if checked
            .iter()
            .any(|c: &Checked| c.item.id == item.id && c.voter == voter)
        {
            return Err(ApiError::invalid("votes", "one vote per item and member"));
        }
        let proxy_id = match proxy {
            Some(found) => Some(found.ok_or(ApiError::Forbidden(Msg::NoProxyForItem))?),
            None => None,
        };
        if !found.in_electorate {
            return Err(ApiError::Forbidden(Msg::NotInElectorate));
        }
        let channel = if proxy_id.is_some() {
            Channel::Proxy
        } else {
            Channel::Web
        };
        let current = found.current;
        // A client's retry of this very request: the store answers with what it stored.
        if found.current_key.as_deref() != Some(cast_key(key, &item.id, &voter).as_str()) {
            check_replacing(&assembly, current.as_ref(), channel, false)?;
        }
        check_choice(&item, &vote.choice, Entry::Online)?;
        checked.push(Checked {
            item,
            voter,
            choice: vote.choice,
            proxy_id,
        });
    }
    let casts: Vec<CastBallot> = checked
        .into_iter()
        .map(|c| CastBallot {
            idempotency_key: cast_key(key, &c.item.id, &c.voter),
            item_id: c.item.id,
            voter: c.voter,
            channel: if c.proxy_id.is_some() {
                Channel::Proxy
            } else {
                Channel::Web
            },
            choice: c.choice,
            cast_at: None,
            proxy_id: c.proxy_id,
            entered_by: None,
            actor: owner.actor(),
        })
        .collect();
    // A member for whom a proxy voted is told (an early warning against a forged proxy),
    // in the same transaction; the key follows the request, so a retry tells them once.
    let mut notices = Vec::new();
    let mut proxied: std::collections::BTreeMap<&str, Vec<String>> =
        std::collections::BTreeMap::new();
    for sheet_cast in casts.iter().filter(|c| c.proxy_id.is_some()) {
        proxied
            .entry(sheet_cast.voter.as_str())
            .or_default()
            .push(sheet_cast.item_id.clone());
    }
    if !proxied.is_empty() {
        let context = Context::load(store, &assembly_id, public_url)?;
        for (member, items) in &proxied {
            let first = items.first().map_or("", String::as_str);
            let notice_key = format!("ballot_recorded:{}", cast_key(key, first, member));
            notices.extend(context.ballot_recorded(
                member,
                items,
                Msg::ChannelProxy,
                Utc::now(),
                notice_key,
            )?);
        }
    }
    // The whole sheet in one transaction: every vote is stored, or none.
    let outcomes = store.cast_estate_ballots(&assembly.estate_id, &casts, &notices)?;
    Ok(outcomes
        .into_iter()
        .map(|outcome| CastReceipt {
            item: outcome.version.item_id.clone(),
            voter: outcome.version.voter.clone(),
            seq: outcome.version.seq,
            channel: outcome.version.channel.clone(),
            receipt: outcome.version.receipt(),
            replayed: outcome.replayed,
        })
        .collect::<Vec<_>>())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaperBallotRequest {
    #[schema(format = Uuid)]
    pub item: String,
    /// The member (owner id); or give `unit` and the member holding it is used.
    #[serde(default)]
    pub voter: Option<String>,
    #[serde(default)]
    pub unit: Option<String>,
    /// As read by the tellers; `"invalid"` for a spoilt ballot (废票).
    #[schema(schema_with = crate::routes::openapi::refs::choice)]
    pub choice: Value,
    /// When the ballot was received (RFC 3339); must lie inside the voting window.
    #[schema(format = DateTime)]
    pub received_at: String,
    /// Where the scan or the paper is filed.
    #[serde(default)]
    pub scan_ref: Option<String>,
    /// Required to replace a confirmed paper ballot; written to the audit log.
    #[serde(default)]
    pub correction_reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PaperBallotOut {
    /// The id to confirm with `POST /paper-ballots/{id}/confirm`.
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub item: String,
    pub voter: String,
    #[schema(minimum = 1)]
    pub seq: i64,
    pub confirmed: bool,
    /// The staff user who confirmed it.
    #[schema(format = Uuid)]
    pub confirmed_by: Option<String>,
    pub receipt: String,
}

/// Enters a paper ballot. It counts only after a different staff user confirms it.
#[utoipa::path(tag = "ballots", params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)), request_body = PaperBallotRequest,
    security(("staff" = [])), responses((status = 201, body = PaperBallotOut), (status = 409, body = crate::routes::ErrorBody),
        (status = 422, body = crate::routes::ErrorBody)))]
#[post("/assemblies/{id}/paper-ballots")]
pub async fn enter_paper(
    req: HttpRequest,
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<PaperBallotRequest>,
) -> Result<HttpResponse, ApiError> {
    let assembly_id = path.into_inner();
    let staff = caller.staff()?;
    let key = idempotency_key(&req);
    let body = body.into_inner();
    let received = timetable::parse("received_at", &body.received_at)?;
    let out = db(&state, move |store| {
        enter_paper_ballot(store, &staff, &assembly_id, &key, body, received)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// Enters one paper ballot, checked as every ballot is (window, electorate, replacing, choice);
/// the JSON route and the secretaries' entry page call it. `key` makes a retry store nothing new.
pub fn enter_paper_ballot(
    store: &Store,
    staff: &StaffCaller,
    assembly_id: &str,
    key: &str,
    body: PaperBallotRequest,
    received: chrono::DateTime<Utc>,
) -> Result<PaperBallotOut, ApiError> {
    let checked = check_paper_ballot(store, staff, assembly_id, key, &body, received)?;
    store_paper_ballot(store, staff, key, body, received, checked)
}

/// A paper ballot that passed every check, ready to be stored.
#[derive(Debug)]
pub struct CheckedPaper {
    estate_id: String,
    item_id: String,
    voter: String,
    correction: bool,
}

/// Every check of [`enter_paper_ballot`], storing nothing: a sheet of several items is checked
/// whole before any of its ballots is stored.
pub fn check_paper_ballot(
    store: &Store,
    staff: &StaffCaller,
    assembly_id: &str,
    key: &str,
    body: &PaperBallotRequest,
    received: chrono::DateTime<Utc>,
) -> Result<CheckedPaper, ApiError> {
    let assembly = store.assembly(assembly_id)?;
    staff.writes(&assembly.estate_id)?;
    let correction = body
        .correction_reason
        .as_deref()
        .is_some_and(|r| !r.trim().is_empty());
    match AssemblyState::parse(&assembly.state)? {
        AssemblyState::Open => {}
        // During the objection period a paper ballot received in time may still be
        // recorded, as a correction with its reason (resolving an owner's objection).
        AssemblyState::Closed if correction && in_objection_stage(store, &assembly.id)? => {}
        AssemblyState::Draft | AssemblyState::Announced => {
            return Err(ApiError::Rule(Msg::VotingNotYetOpen));
        }
        AssemblyState::Closed | AssemblyState::Cancelled => {
            return Err(ApiError::Rule(Msg::VotingClosed));
        }
    }
    timetable::check_receipt(
        Utc::now(),
        received,
        timetable::stored(&assembly.opens_at)?,
        timetable::stored(&assembly.closes_at)?,
    )?;
    let item = item_of(store, &body.item, &assembly.id)?;
    let voter = match (&body.voter, &body.unit) {
        (Some(voter), _) => voter.clone(),
        (None, Some(unit)) => store.voter_of_unit(&item.id, unit)?.ok_or_else(|| {
            ApiError::invalid(
                "unit",
                format!("unit {unit} is not in this item's electorate"),
            )
        })?,
        (None, None) => return Err(ApiError::invalid("voter", "give the voter or the unit")),
    };
    if !store.in_electorate(&item.id, &voter)? {
        return Err(ApiError::invalid(
            "voter",
            format!("{voter} is not in this item's electorate"),
        ));
    }
    let current = store.current_ballot(&item.id, &voter)?;
    if !is_retry(store, current.as_ref(), &cast_key(key, &item.id, &voter))? {
        check_replacing(&assembly, current.as_ref(), Channel::Paper, correction)?;
    }
    check_choice(&item, &body.choice, Entry::Paper)?;
    Ok(CheckedPaper {
        estate_id: assembly.estate_id,
        item_id: item.id,
        voter,
        correction,
    })
}

/// Stores a checked paper ballot, with the audit entry of its filing or correction.
pub fn store_paper_ballot(
    store: &Store,
    staff: &StaffCaller,
    key: &str,
    body: PaperBallotRequest,
    received: chrono::DateTime<Utc>,
    checked: CheckedPaper,
) -> Result<PaperBallotOut, ApiError> {
    store_paper_sheet(store, staff, key, vec![(body, checked)], received)?
        .pop()
        .ok_or_else(|| ApiError::Internal("a stored paper ballot vanished".into()))
}

/// Stores the checked paper ballots of one sheet (one estate) in one transaction, each with
/// the audit entry of its filing or correction: the whole sheet or, with an error, nothing.
pub fn store_paper_sheet(
    store: &Store,
    staff: &StaffCaller,
    key: &str,
    sheet: Vec<(PaperBallotRequest, CheckedPaper)>,
    received: chrono::DateTime<Utc>,
) -> Result<Vec<PaperBallotOut>, ApiError> {
    let Some(estate_id) = sheet.first().map(|(_, c)| c.estate_id.clone()) else {
        return Ok(Vec::new());
    };
    if sheet.iter().any(|(_, c)| c.estate_id != estate_id) {
        return Err(ApiError::Internal("a paper sheet spans two estates".into()));
    }
    let mut casts = Vec::with_capacity(sheet.len());
    let mut notes = Vec::with_capacity(sheet.len());
    for (body, checked) in sheet {
        let CheckedPaper {
            item_id,
            voter,
            correction,
            ..
        } = checked;
        notes.push((correction || body.scan_ref.is_some()).then(|| PaperNote {
            action: if correction { "ballot.corrected".into() } else { "ballot.paper_filed".into() },
            detail: serde_json::json!({ "item": item_id, "voter": voter, "reason": body.correction_reason, "scan_ref": body.scan_ref }),
        }));
        casts.push(CastBallot {
            idempotency_key: cast_key(key, &item_id, &voter),
            item_id,
            voter,
            channel: Channel::Paper,
            choice: body.choice,
            cast_at: Some(timestamp(received)),
            proxy_id: None,
            entered_by: Some(staff.user.clone()),
            actor: staff.actor(),
        });
    }
    let outcomes = store.enter_paper_sheet(&estate_id, &casts, &notes)?;
    Ok(outcomes
        .into_iter()
        .map(|outcome| {
            let v = outcome.version;
            PaperBallotOut {
                receipt: v.receipt(),
                id: v.id,
                item: v.item_id,
                voter: v.voter,
                seq: v.seq,
                confirmed: v.confirmed_at.is_some(),
                confirmed_by: v.confirmed_by,
            }
        })
        .collect())
}

/// Confirms a paper ballot; only a staff user other than the one who entered it may.
#[utoipa::path(tag = "ballots", params(("id" = String, Path, description = "the paper ballot's id")), security(("staff" = [])),
    responses((status = 200, body = PaperBallotOut), (status = 403, body = crate::routes::ErrorBody), (status = 409, body = crate::routes::ErrorBody)))]
#[post("/paper-ballots/{id}/confirm")]
pub async fn confirm_paper(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let version_id = path.into_inner();
    let staff = caller.staff()?;
    let public_url = state.public_url.clone();
    let out = db(&state, move |store| {
        confirm_paper_ballot(store, &staff, &version_id, &public_url)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Confirms a paper ballot entered by someone else (the JSON route and the confirmation queue).
pub fn confirm_paper_ballot(
    store: &Store,
    staff: &StaffCaller,
    version_id: &str,
    public_url: &str,
) -> Result<PaperBallotOut, ApiError> {
    let (version, estate) = store.ballot_version(version_id)?;
    staff.writes(&estate)?;
    if version.entered_by.as_deref() == Some(staff.user.as_str()) {
        return Err(ApiError::Rule(Msg::SamePersonConfirms));
    }
    // A confirmation changes the count: not after the count is closed, except for a
    // correction during the objection period.
    let item = store.item(&version.item_id)?;
    if item.state != "open" && !in_objection_stage(store, &item.assembly_id)? {
        return Err(ApiError::Rule(Msg::VotingClosed));
    }
    // The member is told that a paper ballot now counts for them, in the same transaction.
    let context = Context::load(store, &item.assembly_id, public_url)?;
    let notice = context.ballot_recorded(
        &version.voter,
        std::slice::from_ref(&version.item_id),
        Msg::ChannelPaper,
        Utc::now(),
        format!("ballot_recorded:{}", version.id),
    )?;
    let v = store.confirm_paper_ballot_with_notice(version_id, &staff.user, notice.as_ref())?;
    Ok(PaperBallotOut {
        receipt: v.receipt(),
        id: v.id,
        item: v.item_id,
        voter: v.voter,
        seq: v.seq,
        confirmed: v.confirmed_at.is_some(),
        confirmed_by: v.confirmed_by,
    })
}
