//! Ballots: an owner's sheet and their votes (in person or as a proxy holder), paper ballots
//! entered by one staff user and confirmed by another.

use actix_web::{HttpRequest, HttpResponse, get, post, put, web};

use crate::auth::Caller;
use crate::auth::caller::TokenCaller;
use crate::blocking::db;
use crate::body::Body;
use crate::error::ApiError;
use crate::state::AppState;
use crate::usecases::paper::{self, ConfirmSheetRequest, PaperBallotOut, PaperBallotRequest};
use crate::usecases::voting::{self, CastReceipt, CastRequest, Sheet};

/// The request's `Idempotency-Key`, or a fresh one (the request is then not retried safely).
fn idempotency_key(req: &HttpRequest) -> String {
    req.headers()
        .get("idempotency-key")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128)
        .map_or_else(|| uuid::Uuid::now_v7().to_string(), str::to_owned)
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
    let sheet = db(&state, move |store| {
        voting::owner_sheet(store, caller, &assembly_id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(sheet))
}

/// Casts or changes the owner's ballot on one or more items. Every vote is checked before any
/// is stored. Send an `Idempotency-Key` header to make retries safe.
#[utoipa::path(tag = "ballots", params(("id" = String, Path), ("Idempotency-Key" = Option<String>, Header)), request_body = CastRequest,
    security(("owner" = [])), responses((status = 200, body = Vec<CastReceipt>), (status = 403, body = crate::routes::ErrorBody),
        (status = 409, body = crate::routes::ErrorBody), (status = 422, body = crate::routes::ErrorBody)))]
#[put("/assemblies/{id}/ballot")]
pub async fn cast(
    req: HttpRequest,
    // The session's standing is read by the use case with the sheet.
    TokenCaller(caller): TokenCaller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<CastRequest>,
) -> Result<HttpResponse, ApiError> {
    let assembly_id = path.into_inner();
    let key = idempotency_key(&req);
    let votes = body.into_inner().votes;
    let public_url = state.public_url.clone();
    let receipts = db(&state, move |store| {
        voting::cast(store, caller, &assembly_id, &key, votes, &public_url)
    })
    .await?;
    Ok(HttpResponse::Ok().json(receipts))
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
    let out = db(&state, move |store| {
        paper::enter_paper_ballot(store, &staff, &assembly_id, &key, body)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
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
        paper::confirm_paper_ballot(store, &staff, &version_id, &public_url)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Confirms the paper ballots of one sheet (one member's, in one assembly) in one action: all of
/// them, or with an error none. Only a staff user other than the one who entered them may; the
/// member gets one notice listing every item with its receipt.
#[utoipa::path(tag = "ballots", request_body = ConfirmSheetRequest, security(("staff" = [])),
    responses((status = 200, body = Vec<PaperBallotOut>), (status = 403, body = crate::routes::ErrorBody), (status = 404, body = crate::routes::ErrorBody),
        (status = 409, body = crate::routes::ErrorBody), (status = 422, body = crate::routes::ErrorBody)))]
#[post("/paper-sheets/confirm")]
pub async fn confirm_paper_sheet(
    caller: Caller,
    state: web::Data<AppState>,
    body: Body<ConfirmSheetRequest>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let public_url = state.public_url.clone();
    let ids = body.into_inner().ballots;
    let out = db(&state, move |store| {
        paper::confirm_paper_sheet(store, &staff, &ids, &public_url)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}
