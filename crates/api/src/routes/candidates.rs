//! The candidate register of an election (issue 19): entries, the second person's review, and the
//! estate's eligibility declarations. The rules are the use cases' (`crate::usecases::candidates`).

use actix_web::{HttpResponse, get, post, put, web};

use crate::auth::Caller;
use crate::blocking::db;
use crate::body::Body;
use crate::error::ApiError;
use crate::state::AppState;
use crate::usecases::candidates::{
    self, CandidateOut, CandidateRegister, DeclarationsRequest, RegisterCandidate, ReviewCandidate,
};

/// Registers a candidate the election lists (or replaces the entry of that name, whose review
/// starts again) while the assembly is a draft; audited (`candidate.registered`).
#[utoipa::path(tag = "assemblies", params(("id" = String, Path, description = "election item id")), request_body = RegisterCandidate, security(("staff" = [])),
    responses((status = 201, body = CandidateOut), (status = 403, body = crate::routes::ErrorBody), (status = 409, body = crate::routes::ErrorBody), (status = 422, body = crate::routes::ErrorBody)))]
#[post("/items/{id}/candidates")]
pub async fn register_candidate(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<RegisterCandidate>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let item = path.into_inner();
    let body = body.into_inner();
    let out = db(&state, move |store| {
        candidates::register(store, &staff, &item, body)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// An election's candidate register: the names listed, the estate's declarations, the entries
/// with their reviews. Staff of the estate and owners of the assembly.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path, description = "election item id")), security(("staff" = []), ("owner" = [])),
    responses((status = 200, body = CandidateRegister), (status = 403, body = crate::routes::ErrorBody), (status = 409, body = crate::routes::ErrorBody)))]
#[get("/items/{id}/candidates")]
pub async fn list_candidates(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let item = path.into_inner();
    let out = db(&state, move |store| {
        candidates::register_of(store, &caller, &item)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The committee's review of an entry, recorded by a staff member other than its registrant
/// (409 `candidate_review_same_person`); a rejection needs a reason. Audited.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path, description = "candidate id")), request_body = ReviewCandidate, security(("staff" = [])),
    responses((status = 200, body = CandidateOut), (status = 403, body = crate::routes::ErrorBody), (status = 409, body = crate::routes::ErrorBody), (status = 422, body = crate::routes::ErrorBody)))]
#[post("/candidates/{id}/review")]
pub async fn review_candidate(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<ReviewCandidate>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let id = path.into_inner();
    let body = body.into_inner();
    let out = db(&state, move |store| {
        candidates::review(store, &staff, &id, body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The eligibility declarations the estate asks of candidates (e.g. 无违法搭建), audited.
/// Secretaries and admins.
#[utoipa::path(tag = "estates", params(("id" = String, Path, description = "estate id")), request_body = DeclarationsRequest, security(("staff" = [])),
    responses((status = 200, body = Vec<String>), (status = 403, body = crate::routes::ErrorBody), (status = 422, body = crate::routes::ErrorBody)))]
#[put("/estates/{id}/candidate-declarations")]
pub async fn set_candidate_declarations(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<DeclarationsRequest>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let estate = path.into_inner();
    let body = body.into_inner();
    let out = db(&state, move |store| {
        candidates::set_declarations(store, &staff, &estate, body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}
