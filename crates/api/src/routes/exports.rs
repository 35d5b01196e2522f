//! Downloads of signed exports (staff of the estate), the public keys, and the audit check.

use actix_web::{HttpResponse, get, web};

use crate::auth::Caller;
use crate::blocking::{db, run};
use crate::downloads::{bundle_download, signature_download};
use crate::error::ApiError;
use crate::state::AppState;
use crate::usecases::exports;

/// The item's bundle `NAME.json`, byte for byte the file the signature covers.
#[utoipa::path(tag = "results", params(("id" = String, Path, description = "item id")), security(("staff" = [])),
    responses((status = 200, description = "The item's gongjue-tally/1 bundle with its result, byte for byte what the signature covers"), (status = 403, body = crate::routes::ErrorBody), (status = 409, body = crate::routes::ErrorBody)))]
#[get("/items/{id}/export")]
pub async fn bundle(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let export = run(&state, move |app| exports::stored(app, caller, &id)).await?;
    Ok(bundle_download(state.store.clone(), export))
}

/// The compact JWS `NAME.json.jws` over the bundle's SHA-256.
#[utoipa::path(tag = "results", params(("id" = String, Path, description = "item id")), security(("staff" = [])),
    responses((status = 200, description = "compact JWS, alg EdDSA"), (status = 403, body = crate::routes::ErrorBody),
        (status = 409, body = crate::routes::ErrorBody, description = "Voting has not closed yet")))]
#[get("/items/{id}/export.jws")]
pub async fn signature(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let export = run(&state, move |app| exports::stored(app, caller, &id)).await?;
    Ok(signature_download(export))
}

/// Every estate's public keys, active and retired (public, no sign-in).
#[utoipa::path(tag = "results", responses((status = 200, description = "Every estate's public keys (JWKS), active and retired")))]
#[get("/.well-known/jwks.json")]
pub async fn jwks(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let set = db(&state, exports::public_keys).await?;
    Ok(HttpResponse::Ok().json(set))
}

/// Walks the estate's audit chain and checks every ballot against its receipt.
#[utoipa::path(tag = "estates", params(("id" = String, Path)), security(("staff" = [])), responses((status = 200, description = "The audit chain's and the ballots' check")))]
#[get("/estates/{id}/audit/verify")]
pub async fn audit_verify(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let estate = path.into_inner();
    let report = db(&state, move |store| {
        exports::verify_audit(store, caller, &estate)
    })
    .await?;
    Ok(HttpResponse::Ok().json(report))
}
