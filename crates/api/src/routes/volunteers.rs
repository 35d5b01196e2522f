//! Building volunteers (楼组长, issue 19): created by a secretary for buildings or stairwells; their
//! round of an open assembly (turnout of their buildings, who has not voted) and door visits.
//! The rules are the use cases' (`crate::usecases::volunteers`).

use actix_web::{HttpResponse, get, post, web};

use crate::auth::Caller;
use crate::blocking::db;
use crate::body::Body;
use crate::error::ApiError;
use crate::state::AppState;
use crate::usecases::volunteers::{
    self, CreateVolunteer, Round, VisitOut, VisitRequest, VolunteerCreated, VolunteerOut,
};

/// Creates a building volunteer for buildings or stairwells of the current roster, with a
/// generated password shown once; audited (`volunteer.created`). Secretaries and admins.
#[utoipa::path(tag = "estates", params(("id" = String, Path, description = "estate id")), request_body = CreateVolunteer, security(("staff" = [])),
    responses((status = 201, body = VolunteerCreated), (status = 403, body = crate::routes::ErrorBody), (status = 422, body = crate::routes::ErrorBody)))]
#[post("/estates/{id}/volunteers")]
pub async fn create_volunteer(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<CreateVolunteer>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let estate = path.into_inner();
    let body = body.into_inner();
    let out = db(&state, move |store| {
        volunteers::create(store, &staff, &estate, body)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// The estate's building volunteers and their areas. Staff of the estate.
#[utoipa::path(tag = "estates", params(("id" = String, Path, description = "estate id")), security(("staff" = [])),
    responses((status = 200, body = Vec<VolunteerOut>), (status = 403, body = crate::routes::ErrorBody)))]
#[get("/estates/{id}/volunteers")]
pub async fn list_volunteers(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let estate = path.into_inner();
    let out = db(&state, move |store| {
        volunteers::list(store, &staff, &estate)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// A volunteer's round of an open assembly: their buildings' turnout against the 2/3 lines and
/// the members there who have not voted yet, with the latest visit. No choices. Volunteers only.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path, description = "assembly id")), security(("staff" = [])),
    responses((status = 200, body = Round), (status = 403, body = crate::routes::ErrorBody), (status = 409, body = crate::routes::ErrorBody)))]
#[get("/assemblies/{id}/round")]
pub async fn round(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let assembly = path.into_inner();
    let out = db(&state, move |store| {
        volunteers::round(store, &staff, &assembly)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Records a door visit of the volunteer's round (a member of their buildings), audited
/// (`door_visit.recorded`). Volunteers only, while voting is open.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path, description = "assembly id")), request_body = VisitRequest, security(("staff" = [])),
    responses((status = 201, body = VisitOut), (status = 403, body = crate::routes::ErrorBody), (status = 409, body = crate::routes::ErrorBody), (status = 422, body = crate::routes::ErrorBody)))]
#[post("/assemblies/{id}/visits")]
pub async fn record_visit(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<VisitRequest>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let assembly = path.into_inner();
    let body = body.into_inner();
    let out = db(&state, move |store| {
        volunteers::record_visit(store, &staff, &assembly, body)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}
