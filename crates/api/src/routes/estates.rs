//! Estates, their roster and units, and their audit log. The rules are the use cases'
//! (`crate::usecases::estates`, `crate::usecases::roster`); these handlers read the request
//! (the roster upload within its size limit) and write the answer.

use actix_web::{HttpResponse, get, post, put, web};
use futures_util::StreamExt;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::app::BodyLimits;
use crate::auth::Caller;
use crate::blocking::db;
use crate::body::Body;
use crate::edge::lang_of;
use crate::error::ApiError;
use crate::state::AppState;
use crate::usecases::estates::{
    self, AuditEntryOut, ContactPhoneRequest, EstateOut, FollowMajorityRequest, NewEstate,
};
use crate::usecases::roster::{self, ImportReportOut, UnitOut};

/// Creates an estate; the admin who creates it becomes its admin.
#[utoipa::path(tag = "estates", request_body = NewEstate, security(("staff" = [])), responses(
    (status = 201, body = EstateOut), (status = 403, body = crate::routes::ErrorBody)))]
#[post("/estates")]
pub async fn create_estate(
    caller: Caller,
    state: web::Data<AppState>,
    body: Body<NewEstate>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let new = body.into_inner();
    let estate = db(&state, move |store| {
        estates::create_estate(store, &staff, new)
    })
    .await?;
    Ok(HttpResponse::Created().json(estate))
}

/// Sets the telephone number owners call for help, shown on every owner page (empty or null
/// clears it). Secretaries and admins of the estate.
#[utoipa::path(tag = "estates", params(("id" = String, Path, description = "estate id")), request_body = ContactPhoneRequest, security(("staff" = [])),
    responses((status = 200, body = EstateOut), (status = 403, body = crate::routes::ErrorBody), (status = 422, body = crate::routes::ErrorBody)))]
#[put("/estates/{id}/contact-phone")]
pub async fn set_contact_phone(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<ContactPhoneRequest>,
) -> Result<HttpResponse, ApiError> {
    let estate_id = path.into_inner();
    let staff = caller.staff()?;
    let body = body.into_inner();
    let estate = db(&state, move |store| {
        estates::set_contact_phone(store, &staff, &estate_id, body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(estate))
}

/// Records whether the estate's rules of procedure provide for 从众 (`follow`) on motions, and
/// the clause that does (required when enabling), audited. Motions created afterwards may offer
/// it (`follow_majority` on the item); others keep what they offer. Secretaries and admins.
#[utoipa::path(tag = "estates", params(("id" = String, Path, description = "estate id")), request_body = FollowMajorityRequest, security(("staff" = [])),
    responses((status = 200, body = EstateOut), (status = 403, body = crate::routes::ErrorBody), (status = 422, body = crate::routes::ErrorBody)))]
#[put("/estates/{id}/follow-majority")]
pub async fn set_follow_majority(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<FollowMajorityRequest>,
) -> Result<HttpResponse, ApiError> {
    let estate_id = path.into_inner();
    let staff = caller.staff()?;
    let body = body.into_inner();
    let estate = db(&state, move |store| {
        estates::set_follow_majority(store, &staff, &estate_id, body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(estate))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct RosterQuery {
    /// The file's name, kept with the roster version.
    pub name: Option<String>,
}

/// Imports the owner roster (业主名册), CSV (UTF-8, UTF-16, GBK) or XLSX, as the estate's next
/// roster version. Any error: 422 with every error and its line, and nothing stored.
#[utoipa::path(tag = "estates", params(("id" = String, Path), RosterQuery), security(("staff" = [])),
    request_body(content = String, content_type = "text/csv", description = "The roster file: CSV or XLSX bytes"),
    responses((status = 200, body = ImportReportOut), (status = 422, body = crate::routes::ErrorBody, description = "Errors by line"),
        (status = 413, body = crate::routes::ErrorBody)))]
#[put("/estates/{id}/roster")]
pub async fn import_roster(
    caller: Caller,
    state: web::Data<AppState>,
    limits: web::Data<BodyLimits>,
    path: web::Path<String>,
    query: web::Query<RosterQuery>,
    request: actix_web::HttpRequest,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let estate_id = path.into_inner();
    let lang = lang_of(&request);
    let staff = caller.staff()?;
    // Refused before the upload is read: an outsider's upload is not worth receiving (the use
    // case checks again).
    staff.writes(&estate_id)?;
    crate::body::refuse_declared_oversize(&request, limits.upload_bytes, "roster upload")?;
    let mut bytes = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(crate::error::payload_error)?;
        if bytes.len() + chunk.len() > limits.upload_bytes {
            return Err(crate::body::too_large(limits.upload_bytes, "roster upload"));
        }
        bytes.extend_from_slice(&chunk);
    }
    let name = query.into_inner().name.unwrap_or_else(|| "roster".into());
    let report = db(&state, move |store| {
        roster::import_roster(store, &staff, &estate_id, &name, &bytes, lang)
    })
    .await?;
    Ok(HttpResponse::Ok().json(report))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct UnitsQuery {
    /// At most this many units, 1 to 10000 (default 5000); see `X-Total-Count`, `X-Next-Offset`.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 10000)]
    #[serde(default)]
    pub limit: Option<String>,
    /// Skip this many units first (default 0).
    #[param(value_type = Option<i64>, minimum = 0)]
    #[serde(default)]
    pub offset: Option<String>,
}

/// The units of the estate's current roster version (voting data only), by unit number, one
/// page at a time. `X-Roster-Version` names the version read: if it changes between pages, a
/// new roster was imported meanwhile and the list should be read again from the start.
#[utoipa::path(tag = "estates", params(("id" = String, Path), UnitsQuery), security(("staff" = [])),
    responses((status = 200, body = Vec<UnitOut>, headers(
            ("X-Total-Count" = i64, description = "Units of the roster version in all"),
            ("X-Next-Offset" = i64, description = "The `offset` of the next page; absent on the last page"),
            ("X-Roster-Version" = i64, description = "The roster version the units were read from; absent before any import"))),
        (status = 403, body = crate::routes::ErrorBody), (status = 422, body = crate::routes::ErrorBody)))]
#[get("/estates/{id}/units")]
pub async fn units(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<UnitsQuery>,
) -> Result<HttpResponse, ApiError> {
    let estate_id = path.into_inner();
    let staff = caller.staff()?;
    // Authorization before the query's values are judged (the use case checks again).
    staff.reads(&estate_id)?;
    let window = crate::paging::window(
        query.limit.as_deref(),
        query.offset.as_deref(),
        crate::paging::UNITS,
        ("limit", "offset"),
    )?;
    let (page, version) = db(&state, move |store| {
        roster::units_page(store, &staff, &estate_id, window)
    })
    .await?;
    let mut response = HttpResponse::Ok();
    crate::paging::headers(&mut response, window, page.rows.len(), page.total);
    if let Some(version) = version {
        response.insert_header(("X-Roster-Version", version.to_string()));
    }
    Ok(response.json(page.rows))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Entries after this sequence number (default 0: from the start).
    #[param(minimum = 0)]
    pub after: Option<i64>,
    /// At most this many entries, 1 to 1000 (default 1000).
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<i64>,
}

/// The estate's audit log, a hash chain, oldest first.
#[utoipa::path(tag = "estates", params(("id" = String, Path), AuditQuery), security(("staff" = [])),
    responses((status = 200, body = Vec<AuditEntryOut>), (status = 403, body = crate::routes::ErrorBody)))]
#[get("/estates/{id}/audit")]
pub async fn audit(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    let estate_id = path.into_inner();
    let staff = caller.staff()?;
    let AuditQuery { after, limit } = query.into_inner();
    let out = db(&state, move |store| {
        estates::audit_log(store, &staff, &estate_id, after, limit)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}
