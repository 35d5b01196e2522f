//! Notices by e-mail, for the secretary: preview a message, send a reminder round, publish
//! the results, list the paper round and read the outbox. Staff of the estate only; the
//! events that send notices of their own (announcing, issuing codes, paper and proxy ballots)
//! queue them in their own routes.

use actix_web::{HttpResponse, get, post, put, web};
use chrono::{FixedOffset, Utc};
use gongjue_store::assemblies::AssemblyState;
use gongjue_store::audit::NewAuditEntry;
use gongjue_store::outbox::{OutboxEmail, OutboxFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Caller, StaffCaller};
use crate::body::Body;
use crate::error::ApiError;
use crate::i18n::{Lang, Msg};
use crate::mail::compose::{Batch, Context, PaperOwner};
use crate::mail::render::{Kind, Rendered};
use crate::routes::assemblies::staff_assembly_of;
use crate::state::{AppState, db};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PreviewQuery {
    /// `announcement`, `invitation`, `reminder`, `result` or `ballot_recorded`.
    pub kind: Kind,
    /// The owner (owner id) it would be addressed to.
    pub member: String,
    /// `zh-CN` or `en`; default: the owner's language, else the estate's.
    #[param(schema_with = crate::routes::openapi::refs::language)]
    pub lang: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewOut {
    pub kind: Kind,
    pub member: String,
    #[schema(schema_with = crate::routes::openapi::refs::language)]
    pub language: String,
    /// The owner's address, or none: they are served on paper.
    pub recipient: Option<String>,
    #[serde(flatten)]
    pub message: Rendered,
}

/// A notice exactly as one owner would receive it; nothing is queued. The invitation shows a
/// sample code; the result needs the assembly closed.
#[utoipa::path(tag = "notices", params(("id" = String, Path), PreviewQuery), security(("staff" = [])),
    responses((status = 200, body = PreviewOut), (status = 409, body = crate::routes::ErrorBody), (status = 422, body = crate::routes::ErrorBody)))]
#[get("/assemblies/{id}/notices/preview")]
pub async fn preview(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<PreviewQuery>,
) -> Result<HttpResponse, ApiError> {
    let out = preview_for(
        &state,
        caller.staff()?,
        path.into_inner(),
        query.into_inner(),
    )
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// A notice as one owner would receive it (the JSON route and the notices page).
pub async fn preview_for(
    state: &web::Data<AppState>,
    staff: StaffCaller,
    id: String,
    query: PreviewQuery,
) -> Result<PreviewOut, ApiError> {
    let (_, assembly) = staff_assembly_of(state, staff, id, false).await?;
    let lang = match &query.lang {
        Some(tag) => Some(
            Lang::from_tag(tag)
                .ok_or_else(|| ApiError::invalid("lang", format!("`{tag}` is not zh-CN or en")))?,
        ),
        None => None,
    };
    if query.kind == Kind::Result && assembly.state != AssemblyState::Closed.as_str() {
        return Err(ApiError::Rule(Msg::ResultBeforeClosing));
    }
    let public_url = state.public_url.clone();
    db(state, move |store| {
        let context = Context::load(store, &assembly.id, &public_url)?;
        if !context.members(store)?.contains(&query.member) {
            return Err(ApiError::invalid(
                "member",
                format!("{} is not an owner of this assembly", query.member),
            ));
        }
        let message = context.preview(store, query.kind, &query.member, lang)?;
        Ok(PreviewOut {
            kind: query.kind,
            language: lang
                .unwrap_or_else(|| context.language(&query.member))
                .tag()
                .into(),
            recipient: context
                .contacts
                .get(&query.member)
                .and_then(|c| c.email.clone()),
            member: query.member,
            message,
        })
    })
    .await
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoundOut {
    /// E-mails newly queued by this request.
    pub queued: usize,
    /// Owners with an address this round concerns (queued now or by an earlier request of the
    /// same round).
    pub emailed: usize,
    /// Owners this round concerns who have no e-mail address: serve them on paper.
    pub paper_round: Vec<PaperOwner>,
}

async fn record_round(
    state: &web::Data<AppState>,
    staff: StaffCaller,
    id: String,
    action: &'static str,
    compose: fn(&Context, &gongjue_store::Store, &str) -> Result<Batch, ApiError>,
    round: String,
) -> Result<RoundOut, ApiError> {
    let (staff, assembly) = staff_assembly_of(state, staff, id, true).await?;
    let public_url = state.public_url.clone();
    db(state, move |store| {
        let context = Context::load(store, &assembly.id, &public_url)?;
        let batch = compose(&context, store, &round)?;
        let event = NewAuditEntry {
            chain: assembly.estate_id.clone(),
            actor: staff.actor(),
            action: action.into(),
            subject: assembly.id.clone(),
            detail: serde_json::json!({ "round": round, "emailed": batch.mails.len(), "paper": batch.paper.len() }),
        };
        let queued = store.record_notices(event, &batch.mails)?;
        Ok(RoundOut { queued, emailed: batch.mails.len(), paper_round: batch.paper })
    })
    .await
}

/// Reminds the members who have not voted on every item yet, while voting is open. One round
/// per day (China Standard Time): asking again the same day queues nothing new.
#[utoipa::path(tag = "notices", params(("id" = String, Path)), security(("staff" = [])),
    responses((status = 200, body = RoundOut), (status = 409, body = crate::routes::ErrorBody)))]
#[post("/assemblies/{id}/reminders")]
pub async fn remind(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let out = remind_for(&state, caller.staff()?, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Today's reminder round (the JSON route and the notices page).
pub async fn remind_for(
    state: &web::Data<AppState>,
    staff: StaffCaller,
    id: String,
) -> Result<RoundOut, ApiError> {
    let assembly = db(state, {
        let id = id.clone();
        move |store| Ok(store.assembly(&id)?)
    })
    .await?;
    if assembly.state != AssemblyState::Open.as_str() {
        // Authorization first: an outsider learns nothing about the state.
        staff_assembly_of(state, staff, id, true).await?;
        return Err(ApiError::Rule(Msg::RemindersOnlyWhileOpen));
    }
    let day = FixedOffset::east_opt(8 * 3600).map_or_else(
        || Utc::now().date_naive(),
        |cst| Utc::now().with_timezone(&cst).date_naive(),
    );
    record_round(
        state,
        staff,
        id,
        "notices.reminder",
        |c, store, round| c.reminders(store, round),
        day.to_string(),
    )
    .await
}

/// Publishes the results after closing: every member receives each item's outcome. Publishing
/// again queues nothing new.
#[utoipa::path(tag = "notices", params(("id" = String, Path)), security(("staff" = [])),
    responses((status = 200, body = RoundOut), (status = 409, body = crate::routes::ErrorBody)))]
#[post("/assemblies/{id}/results/publish")]
pub async fn publish_results(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let out = publish_results_for(&state, caller.staff()?, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The result notices (the JSON route and the notices page).
pub async fn publish_results_for(
    state: &web::Data<AppState>,
    staff: StaffCaller,
    id: String,
) -> Result<RoundOut, ApiError> {
    let assembly = db(state, {
        let id = id.clone();
        move |store| Ok(store.assembly(&id)?)
    })
    .await?;
    if assembly.state != AssemblyState::Closed.as_str() {
        staff_assembly_of(state, staff, id, true).await?;
        return Err(ApiError::Rule(Msg::ResultBeforeClosing));
    }
    record_round(
        state,
        staff,
        id,
        "assembly.results_published",
        |c, store, _| c.results(store),
        String::new(),
    )
    .await
}

/// The members of the assembly (the frozen electorates once open, else the roster's owners)
/// who have no e-mail address: they receive every notice on paper.
#[utoipa::path(tag = "notices", params(("id" = String, Path)), security(("staff" = [])),
    responses((status = 200, body = Vec<PaperOwner>), (status = 403, body = crate::routes::ErrorBody)))]
#[get("/assemblies/{id}/paper-round")]
pub async fn paper_round(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let out = paper_round_for(&state, caller.staff()?, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The members served on paper (the JSON route and the notices page).
pub async fn paper_round_for(
    state: &web::Data<AppState>,
    staff: StaffCaller,
    id: String,
) -> Result<Vec<PaperOwner>, ApiError> {
    let (_, assembly) = staff_assembly_of(state, staff, id, false).await?;
    let public_url = state.public_url.clone();
    db(state, move |store| {
        let context = Context::load(store, &assembly.id, &public_url)?;
        Ok(context.without_email(&context.members(store)?))
    })
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct OutboxQuery {
    /// `pending`, `sent` or `failed`.
    #[param(schema_with = crate::routes::openapi::refs::outbox_status)]
    pub status: Option<String>,
    /// Only the notices of this assembly.
    #[param(format = Uuid)]
    pub assembly: Option<String>,
    /// At most this many messages, 1 to 1000 (default 500); see `X-Total-Count`, `X-Next-Offset`.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000)]
    #[serde(default)]
    pub limit: Option<String>,
    /// Skip this many messages first (default 0).
    #[param(value_type = Option<i64>, minimum = 0)]
    #[serde(default)]
    pub offset: Option<String>,
}

/// One message of the outbox. Bodies are not listed (an invitation holds a voting code).
#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxItem {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(schema_with = crate::routes::openapi::refs::notice_kind)]
    pub kind: String,
    #[schema(format = Uuid)]
    pub assembly_id: Option<String>,
    pub member: Option<String>,
    pub recipient: String,
    pub subject: String,
    /// `pending` (waiting, or being retried), `sent` (the relay accepted it) or `failed`
    /// (given up: serve this owner on paper).
    #[schema(schema_with = crate::routes::openapi::refs::outbox_status)]
    pub status: String,
    /// Attempts so far.
    pub attempts: i32,
    /// The relay's last answer when it failed.
    pub last_error: Option<String>,
    /// When a pending message is tried next.
    #[schema(format = DateTime)]
    pub next_attempt_at: Option<String>,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub sent_at: Option<String>,
}

fn outbox_item(e: OutboxEmail) -> OutboxItem {
    OutboxItem {
        next_attempt_at: (e.status == "pending").then_some(e.next_attempt_at),
        id: e.id,
        kind: e.kind,
        assembly_id: e.assembly_id,
        member: e.voter,
        recipient: e.recipient,
        subject: e.subject,
        status: e.status,
        attempts: e.attempts,
        last_error: e.last_error,
        created_at: e.created_at,
        sent_at: e.sent_at,
    }
}

/// The estate's outbox, oldest first, with the status of every message, one page at a time.
#[utoipa::path(tag = "notices", params(("id" = String, Path, description = "estate id"), OutboxQuery), security(("staff" = [])),
    responses((status = 200, body = Vec<OutboxItem>, headers(
            ("X-Total-Count" = i64, description = "Messages in all (with the filters)"),
            ("X-Next-Offset" = i64, description = "The `offset` of the next page; absent on the last page"))),
        (status = 403, body = crate::routes::ErrorBody), (status = 422, body = crate::routes::ErrorBody)))]
#[get("/estates/{id}/outbox")]
pub async fn outbox(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<OutboxQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let window = crate::paging::window(
        query.limit.as_deref(),
        query.offset.as_deref(),
        crate::paging::OUTBOX,
        ("limit", "offset"),
    )?;
    let filter = outbox_filter(&caller.staff()?, path.into_inner(), query)?;
    let page = db(&state, move |store| Ok(store.outbox_page(&filter, window)?)).await?;
    let mut response = HttpResponse::Ok();
    crate::paging::headers(&mut response, window, page.rows.len(), page.total);
    let out: Vec<OutboxItem> = page.rows.into_iter().map(outbox_item).collect();
    Ok(response.json(out))
}

/// What part of the outbox a staff caller asks for, checked (estate, status).
fn outbox_filter(
    staff: &StaffCaller,
    estate_id: String,
    query: OutboxQuery,
) -> Result<OutboxFilter, ApiError> {
    staff.reads(&estate_id)?;
    if let Some(status) = query
        .status
        .as_ref()
        .filter(|s| !["pending", "sent", "failed"].contains(&s.as_str()))
    {
        return Err(ApiError::invalid(
            "status",
            format!("`{status}` is not pending, sent or failed"),
        ));
    }
    Ok(OutboxFilter {
        estate_id: Some(estate_id),
        assembly_id: query.assembly,
        status: query.status,
    })
}

/// The estate's whole outbox (the outbox page).
pub async fn outbox_for(
    state: &web::Data<AppState>,
    staff: StaffCaller,
    estate_id: String,
    query: OutboxQuery,
) -> Result<Vec<OutboxItem>, ApiError> {
    let filter = outbox_filter(&staff, estate_id, query)?;
    db(state, move |store| {
        Ok(store
            .outbox(&filter)?
            .into_iter()
            .map(outbox_item)
            .collect::<Vec<_>>())
    })
    .await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticeLanguageRequest {
    /// The owner whose preference this is; absent: the estate's default for every owner
    /// without one.
    #[serde(default)]
    pub owner_id: Option<String>,
    #[schema(schema_with = crate::routes::openapi::refs::language)]
    pub language: String,
}

/// Sets the language of notices for one owner, or the estate's default (zh-CN unless set).
#[utoipa::path(tag = "notices", params(("id" = String, Path, description = "estate id")), request_body = NoticeLanguageRequest, security(("staff" = [])),
    responses((status = 204), (status = 403, body = crate::routes::ErrorBody), (status = 422, body = crate::routes::ErrorBody)))]
#[put("/estates/{id}/notice-language")]
pub async fn set_notice_language(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<NoticeLanguageRequest>,
) -> Result<HttpResponse, ApiError> {
    let estate_id = path.into_inner();
    let staff = caller.staff()?;
    staff.writes(&estate_id)?;
    let body = body.into_inner();
    let lang = Lang::from_tag(&body.language).ok_or_else(|| {
        ApiError::invalid(
            "language",
            format!("`{}` is not zh-CN or en", body.language),
        )
    })?;
    db(&state, move |store| {
        let owners = store.owner_contacts(&estate_id)?;
        if let Some(owner) = body.owner_id.as_ref().filter(|o| !owners.contains_key(*o)) {
            return Err(ApiError::invalid(
                "owner_id",
                format!("{owner} is not an owner of the current roster"),
            ));
        }
        Ok(store.set_notice_language(&estate_id, body.owner_id.as_deref(), lang.tag())?)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
