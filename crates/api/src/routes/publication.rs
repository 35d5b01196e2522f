//! Two-stage publication of a closed assembly (询异公示): the preliminary result and per-unit
//! roll for the estate's owners, owners' objections, their resolution by staff, the final
//! publication that freezes and signs the exports, and the announcement (公告) as CSV and HTML.
//! The rules are the use cases' (`crate::usecases::publication`); these handlers only read the
//! request and write the answer.

use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;

use crate::auth::Caller;
use crate::blocking::{db, run};
use crate::body::Body;
use crate::downloads::{announcement_csv_download, announcement_html_page};
use crate::error::ApiError;
use crate::i18n::Lang;
use crate::publication::roll::OwnRecord;
use crate::state::AppState;
use crate::usecases::publication::{
    self, FinalOut, ObjectionOut, ObjectionRequest, PublicationOut, ResolveRequest,
};

/// Which part of each item's roll the publication shows (`roll_limit`, `roll_offset`).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PublicationQuery {
    /// At most this many units of each item's roll, 1 to 10000 (default 5000); each item says
    /// `roll_total`.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 10000)]
    #[serde(default)]
    pub roll_limit: Option<String>,
    /// Skip this many units of each item's roll first (default 0).
    #[param(value_type = Option<i64>, minimum = 0)]
    #[serde(default)]
    pub roll_offset: Option<String>,
}

/// The published result and per-unit roll (receipts; choices and masked names only with a
/// public roll). Preliminary during the objection period, then final. Each item's roll comes a
/// page at a time (`roll_limit`, `roll_offset`; `roll_total` says how many units in all).
#[utoipa::path(tag = "publication", params(("id" = String, Path, description = "assembly id"), PublicationQuery), security(("staff" = []), ("owner" = [])),
    responses((status = 200, body = PublicationOut), (status = 403, body = crate::routes::ErrorBody), (status = 409, body = crate::routes::ErrorBody)))]
#[get("/assemblies/{id}/publication")]
pub async fn get_publication(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<PublicationQuery>,
) -> Result<HttpResponse, ApiError> {
    let window = crate::paging::window(
        query.roll_limit.as_deref(),
        query.roll_offset.as_deref(),
        crate::paging::ROLL,
        ("roll_limit", "roll_offset"),
    )?;
    let id = path.into_inner();
    let out = db(&state, move |store| {
        publication::publication(store, caller, &id, window)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// What was recorded for the signed-in owner's units, choice and receipt included.
#[utoipa::path(tag = "publication", params(("id" = String, Path, description = "assembly id")), security(("owner" = [])),
    responses((status = 200, body = Vec<OwnRecord>), (status = 403, body = crate::routes::ErrorBody), (status = 409, body = crate::routes::ErrorBody)))]
#[get("/assemblies/{id}/publication/mine")]
pub async fn my_record(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let out = db(&state, move |store| {
        publication::own_record(store, caller, &id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Files an objection (owner, during the objection period) about an item they vote on.
#[utoipa::path(tag = "publication", params(("id" = String, Path, description = "assembly id")), request_body = ObjectionRequest, security(("owner" = [])),
    responses((status = 201, body = ObjectionOut), (status = 403, body = crate::routes::ErrorBody), (status = 409, body = crate::routes::ErrorBody),
        (status = 422, body = crate::routes::ErrorBody), (status = 429, description = "too many objections in a short time; see Retry-After", body = crate::routes::ErrorBody)))]
#[post("/assemblies/{id}/objections")]
pub async fn file_objection(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<ObjectionRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let body = body.into_inner();
    let out = run(&state, move |app| {
        publication::file_objection(app, caller, &id, body)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ObjectionsQuery {
    /// At most this many objections, 1 to 1000 (default 500); see `X-Total-Count`, `X-Next-Offset`.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000)]
    #[serde(default)]
    pub limit: Option<String>,
    /// Skip this many objections first (default 0).
    #[param(value_type = Option<i64>, minimum = 0)]
    #[serde(default)]
    pub offset: Option<String>,
}

/// Objections of the assembly in filing order: all of them for staff, their own for an owner;
/// one page at a time.
#[utoipa::path(tag = "publication", params(("id" = String, Path, description = "assembly id"), ObjectionsQuery), security(("staff" = []), ("owner" = [])),
    responses((status = 200, body = Vec<ObjectionOut>, headers(
            ("X-Total-Count" = i64, description = "Objections in all (an owner's own)"),
            ("X-Next-Offset" = i64, description = "The `offset` of the next page; absent on the last page"))),
        (status = 403, body = crate::routes::ErrorBody),
        (status = 409, body = crate::routes::ErrorBody, description = "Nothing published yet: voting has not closed"),
        (status = 422, body = crate::routes::ErrorBody)))]
#[get("/assemblies/{id}/objections")]
pub async fn objections(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<ObjectionsQuery>,
) -> Result<HttpResponse, ApiError> {
    let window = crate::paging::window(
        query.limit.as_deref(),
        query.offset.as_deref(),
        crate::paging::OBJECTIONS,
        ("limit", "offset"),
    )?;
    let id = path.into_inner();
    let page = db(&state, move |store| {
        publication::objections(store, caller, &id, window)
    })
    .await?;
    let mut response = HttpResponse::Ok();
    crate::paging::headers(&mut response, window, page.rows.len(), page.total);
    Ok(response.json(page.rows))
}

/// Resolves an objection (secretary or admin) with a reason. A correction goes through the
/// paper-ballot correction path first (enter with a reason, confirm by another person); the
/// count then includes it.
#[utoipa::path(tag = "publication", params(("id" = String, Path, description = "objection id")), request_body = ResolveRequest, security(("staff" = [])),
    responses((status = 200, body = ObjectionOut), (status = 403, body = crate::routes::ErrorBody), (status = 409, body = crate::routes::ErrorBody),
        (status = 422, body = crate::routes::ErrorBody)))]
#[post("/objections/{id}/resolve")]
pub async fn resolve_objection(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<ResolveRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let staff = caller.staff()?;
    let body = body.into_inner();
    let out = db(&state, move |store| {
        publication::resolve_in(store, &staff, &id, body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Publishes the final result (secretary or admin): only after the objection period and with
/// every objection resolved. The count is then frozen and every item's export signed.
#[utoipa::path(tag = "publication", params(("id" = String, Path, description = "assembly id")), security(("staff" = [])),
    responses((status = 200, body = FinalOut), (status = 403, body = crate::routes::ErrorBody), (status = 409, body = crate::routes::ErrorBody)))]
#[post("/assemblies/{id}/publication/final")]
pub async fn publish_final(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let out = run(&state, move |app| {
        publication::publish_final(app, caller, &id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The announcement (公告) as CSV (UTF-8 with BOM, for spreadsheet programs): per item the
/// outcome and figures, then the roll; in the language of `Accept-Language`.
#[utoipa::path(tag = "publication", params(("id" = String, Path, description = "assembly id")), security(("staff" = []), ("owner" = [])),
    responses((status = 200, description = "The announcement as CSV"), (status = 409, body = crate::routes::ErrorBody)))]
#[get("/assemblies/{id}/announcement.csv")]
pub async fn announcement_csv(
    caller: Caller,
    lang: Lang,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let a = db(&state, {
        let id = id.clone();
        move |store| publication::announcement(store, caller, &id, lang)
    })
    .await?;
    announcement_csv_download(&a, &id)
}

/// The announcement (公告) as a printable A4 HTML page.
#[utoipa::path(tag = "publication", params(("id" = String, Path, description = "assembly id")), security(("staff" = []), ("owner" = [])),
    responses((status = 200, description = "The announcement as an HTML page (prints on A4)"), (status = 409, body = crate::routes::ErrorBody)))]
#[get("/assemblies/{id}/announcement.html")]
pub async fn announcement_html(
    caller: Caller,
    lang: Lang,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let a = db(&state, move |store| {
        publication::announcement(store, caller, &id, lang)
    })
    .await?;
    announcement_html_page(&a)
}
