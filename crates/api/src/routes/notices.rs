//! Notices by e-mail, for the secretary: preview a message, send a reminder round, publish
//! the results, list the paper round and read the outbox. The rules are the use cases'
//! (`crate::usecases::notices`); these handlers read the request and write the answer.

use actix_web::{HttpResponse, get, post, put, web};

use crate::auth::Caller;
use crate::blocking::db;
use crate::body::Body;
use crate::error::ApiError;
use crate::mail::compose::PaperOwner;
use crate::state::AppState;
use crate::usecases::notices::{
    self, NoticeLanguageRequest, OutboxItem, OutboxQuery, PreviewOut, PreviewQuery, RoundOut,
};

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
    let staff = caller.staff()?;
    let id = path.into_inner();
    let query = query.into_inner();
    let public_url = state.public_url.clone();
    let out = db(&state, move |store| {
        notices::preview_notice(store, &staff, &id, query, &public_url)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
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
    let staff = caller.staff()?;
    let id = path.into_inner();
    let public_url = state.public_url.clone();
    let out = db(&state, move |store| {
        notices::reminder_round(store, &staff, &id, &public_url)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
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
    let staff = caller.staff()?;
    let id = path.into_inner();
    let public_url = state.public_url.clone();
    let out = db(&state, move |store| {
        notices::results_round(store, &staff, &id, &public_url)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
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
    let staff = caller.staff()?;
    let id = path.into_inner();
    let public_url = state.public_url.clone();
    let out = db(&state, move |store| {
        notices::paper_round(store, &staff, &id, &public_url)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
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
    let staff = caller.staff()?;
    let estate_id = path.into_inner();
    let page = db(&state, move |store| {
        notices::outbox_page(store, &staff, &estate_id, query, window)
    })
    .await?;
    let mut response = HttpResponse::Ok();
    crate::paging::headers(&mut response, window, page.rows.len(), page.total);
    Ok(response.json(page.rows))
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
    let body = body.into_inner();
    db(&state, move |store| {
        notices::set_notice_language(store, &staff, &estate_id, body)
    })
    .await?;
    Ok(HttpResponse::NoContent().finish())
}
