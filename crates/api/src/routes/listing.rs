//! Finding things again: the lists a client needs to come back to its work — the caller's
//! estates, an estate's assemblies and roster versions, an assembly's proxies, transfers and
//! the paper ballots waiting for a second person. Staff of the estate read them (every role);
//! owners and other estates' staff do not.

use actix_web::{HttpResponse, get, web};

use crate::auth::Caller;
use crate::blocking::db;
use crate::error::ApiError;
use crate::state::AppState;
use crate::usecases::listing::{self, AssemblySummary, PendingPaperBallot, RosterVersionOut};
use crate::usecases::proxies::{ProxyOut, TransferOut};
use crate::usecases::sessions::EstateRole;

/// The estates the signed-in staff user holds a role in, with the roles.
#[utoipa::path(tag = "estates", security(("staff" = [])),
    responses((status = 200, body = Vec<EstateRole>), (status = 403, body = crate::routes::ErrorBody, description = "Owners")))]
#[get("/estates")]
pub async fn my_estates(
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let out = db(&state, move |store| listing::my_estates(store, &staff)).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The estate's assemblies, newest first (any state, cancelled ones included).
#[utoipa::path(tag = "assemblies", params(("id" = String, Path, description = "estate id")), security(("staff" = [])),
    responses((status = 200, body = Vec<AssemblySummary>), (status = 403, body = crate::routes::ErrorBody)))]
#[get("/estates/{id}/assemblies")]
pub async fn estate_assemblies(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let id = path.into_inner();
    let out = db(&state, move |store| {
        listing::estate_assemblies(store, &staff, &id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The estate's roster versions, oldest first.
#[utoipa::path(tag = "estates", params(("id" = String, Path, description = "estate id")), security(("staff" = [])),
    responses((status = 200, body = Vec<RosterVersionOut>), (status = 403, body = crate::routes::ErrorBody)))]
#[get("/estates/{id}/roster-versions")]
pub async fn roster_versions(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let id = path.into_inner();
    let out = db(&state, move |store| {
        listing::roster_versions(store, &staff, &id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The assembly's active proxies, in the order they were recorded.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path, description = "assembly id")), security(("staff" = [])),
    responses((status = 200, body = Vec<ProxyOut>), (status = 403, body = crate::routes::ErrorBody)))]
#[get("/assemblies/{id}/proxies")]
pub async fn proxies(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let id = path.into_inner();
    let out = db(&state, move |store| listing::proxies(store, &staff, &id)).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The assembly's transfers of a voting right, in the order they were recorded, each `pending`
/// (waiting for a second staff member's confirmation) or `confirmed` (in effect).
#[utoipa::path(tag = "assemblies", params(("id" = String, Path, description = "assembly id")), security(("staff" = [])),
    responses((status = 200, body = Vec<TransferOut>), (status = 403, body = crate::routes::ErrorBody)))]
#[get("/assemblies/{id}/transfers")]
pub async fn transfers(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let id = path.into_inner();
    let out = db(&state, move |store| listing::transfers(store, &staff, &id)).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The assembly's paper ballots waiting for confirmation by a second person, oldest first
/// (the member's current ballot only: a superseded entry is history).
#[utoipa::path(tag = "ballots", params(("id" = String, Path, description = "assembly id")), security(("staff" = [])),
    responses((status = 200, body = Vec<PendingPaperBallot>), (status = 403, body = crate::routes::ErrorBody)))]
#[get("/assemblies/{id}/paper-ballots")]
pub async fn pending_paper_ballots(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let id = path.into_inner();
    let out = db(&state, move |store| {
        listing::pending_paper_ballots(store, &staff, &id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}
