//! Estates, their roster and units, and their audit log.

use actix_web::{HttpResponse, get, post, put, web};
use futures_util::StreamExt;
use gongjue_domain::area::Area;
use gongjue_store::users::Role;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::app::BodyLimits;
use crate::auth::Caller;
use crate::body::Body;
use crate::error::ApiError;
use crate::i18n::{self, Lang};
use crate::state::{AppState, db};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEstate {
    pub name: String,
    /// A trial estate, to practise the whole cycle: notice and objection periods may be short
    /// (minutes), and every page, notice, sheet, announcement and export says 试用/TRIAL.
    /// Fixed at creation (default false).
    #[serde(default)]
    pub trial: bool,
    /// The notice (days) the estate's rules of procedure require before voting on binding
    /// items, 1 to 365 (default 15). Fixed at creation.
    #[serde(default)]
    pub min_notice_days: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EstateOut {
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    pub trial: bool,
    pub min_notice_days: i64,
}

impl NewEstate {
    fn settings(&self) -> Result<gongjue_store::estates::NewEstate, ApiError> {
        let min_notice_days = self
            .min_notice_days
            .map_or(gongjue_store::estates::DEFAULT_MIN_NOTICE_DAYS, i64::from);
        let range = gongjue_store::estates::MIN_NOTICE_DAYS_RANGE;
        if !range.contains(&min_notice_days) {
            return Err(ApiError::invalid(
                "min_notice_days",
                format!("{} to {} days", range.start(), range.end()),
            ));
        }
        if self.name.trim().is_empty() {
            return Err(ApiError::invalid("name", "an estate needs a name"));
        }
        Ok(gongjue_store::estates::NewEstate {
            name: self.name.clone(),
            trial: self.trial,
            min_notice_days,
        })
    }
}

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
    staff.administers()?;
    let new = body.settings()?;
    let estate = db(&state, move |store| {
        let estate = store.create_estate_with(&new, &staff.actor())?;
        store.grant_role(&staff.user, &estate.id, Role::Admin, &staff.actor())?;
        Ok(estate)
    })
    .await?;
    Ok(HttpResponse::Created().json(EstateOut {
        id: estate.id,
        name: estate.name,
        created_at: estate.created_at,
        trial: estate.trial,
        min_notice_days: estate.min_notice_days,
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct RosterQuery {
    /// The file's name, kept with the roster version.
    pub name: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Note {
    pub line: usize,
    pub column: Option<String>,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReportOut {
    pub roster_version: i64,
    pub units: i64,
    pub total_area: String,
    /// Unit numbers added and removed since the previous version.
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<UnitChangeOut>,
    pub skipped: Vec<Note>,
    pub warnings: Vec<Note>,
}

/// A unit whose voting data changed since the previous roster version.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitChangeOut {
    pub unit: String,
    #[schema(schema_with = crate::routes::openapi::refs::changed_fields)]
    pub fields: Vec<&'static str>,
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
    let lang = crate::edge::lang_of(&request);
    let staff = caller.staff()?;
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
        Ok(store.import_roster_file(&estate_id, &name, &bytes, &staff.actor())?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(report_out(&report, lang)))
}

/// An import's report in the reader's language (the JSON route and the roster page show it).
pub fn report_out(report: &gongjue_store::rosters::ImportReport, lang: Lang) -> ImportReportOut {
    let notes = |issues: &[gongjue_store::roster::RosterIssue]| {
        issues
            .iter()
            .map(|i| Note {
                line: i.line,
                column: i.column.clone(),
                message: i18n::roster_issue(&i.kind, lang),
            })
            .collect()
    };
    ImportReportOut {
        roster_version: report.roster_version.version,
        units: report.roster_version.units_count,
        total_area: report.total_area.to_string(),
        skipped: notes(&report.skipped),
        warnings: notes(&report.warnings),
        added: report
            .changes
            .added
            .iter()
            .map(|u| u.unit_number())
            .collect(),
        removed: report
            .changes
            .removed
            .iter()
            .map(|u| u.unit_number())
            .collect(),
        changed: report
            .changes
            .changed
            .iter()
            .map(|c| UnitChangeOut {
                unit: c.unit_number.clone(),
                fields: c.fields.iter().map(|f| f.name()).collect(),
            })
            .collect(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnitOut {
    pub unit: String,
    pub zone: String,
    pub building: String,
    pub stairwell: String,
    pub room: String,
    pub floor: Option<i32>,
    pub area: String,
    /// The voting member's identity (业主编号). Names and contacts are not exposed here.
    pub owner_id: String,
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
    caller.staff()?.reads(&estate_id)?;
    let window = crate::paging::window(
        query.limit.as_deref(),
        query.offset.as_deref(),
        crate::paging::UNITS,
        ("limit", "offset"),
    )?;
    let (page, version) = db(&state, move |store| {
        Ok(store.units_page(&estate_id, window)?)
    })
    .await?;
    let mut response = HttpResponse::Ok();
    crate::paging::headers(&mut response, window, page.rows.len(), page.total);
    if let Some(version) = version {
        response.insert_header(("X-Roster-Version", version.version.to_string()));
    }
    let out: Vec<UnitOut> = page
        .rows
        .into_iter()
        .map(|u| UnitOut {
            unit: u.unit_number,
            zone: u.zone,
            building: u.building,
            stairwell: u.stairwell,
            room: u.room,
            floor: u.floor,
            area: Area::from_cents(u64::try_from(u.area_cents).unwrap_or(0)).to_string(),
            owner_id: u.owner_id,
        })
        .collect();
    Ok(response.json(out))
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

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryOut {
    #[schema(minimum = 1)]
    pub seq: i64,
    #[schema(format = DateTime)]
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    #[schema(schema_with = crate::routes::openapi::refs::audit_detail)]
    pub detail: serde_json::Value,
    pub prev_hash: String,
    pub entry_hash: String,
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
    caller.staff()?.reads(&estate_id)?;
    let after = ApiError::bounded("after", query.after.unwrap_or(0), 0, i64::MAX)?;
    let limit = ApiError::bounded("limit", query.limit.unwrap_or(1000), 1, 1000)?;
    let entries = db(&state, move |store| {
        Ok(store.audit_entries(&estate_id, after, limit)?)
    })
    .await?;
    let out: Vec<AuditEntryOut> = entries
        .into_iter()
        .map(|e| AuditEntryOut {
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            action: e.action,
            subject: e.subject,
            detail: serde_json::from_str(&e.detail).unwrap_or(serde_json::Value::String(e.detail)),
            prev_hash: e.prev_hash,
            entry_hash: e.entry_hash,
        })
        .collect();
    Ok(HttpResponse::Ok().json(out))
}
