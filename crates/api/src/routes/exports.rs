//! Downloads of signed exports (staff of the estate), the public keys, and the audit check.

use actix_web::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpResponse, get, web};
use serde_json::json;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::export;
use crate::state::{AppState, db};

pub(crate) async fn stored(
    caller: Caller,
    state: &web::Data<AppState>,
    id: String,
) -> Result<gongjue_store::exports::Export, ApiError> {
    let staff = caller.staff()?;
    let key = state.code_key.clone();
    db(state, move |store| {
        let item = store.item(&id)?;
        let assembly = store.assembly(&item.assembly_id)?;
        staff.reads(&assembly.estate_id)?;
        export::export_of(store, &key, &id, &staff.actor())
    })
    .await
}

/// The item's bundle `NAME.json`, byte for byte the file the signature covers.
#[utoipa::path(tag = "results", params(("id" = String, Path, description = "item id")), security(("staff" = [])),
    responses((status = 200, description = "The item's gongjue-tally/1 bundle with its result, byte for byte what the signature covers"), (status = 403, body = crate::routes::ErrorBody), (status = 409, body = crate::routes::ErrorBody)))]
#[get("/items/{id}/export")]
pub async fn bundle(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    Ok(bundle_download(
        stored(caller, &state, path.into_inner()).await?,
    ))
}

/// The bundle as a download (the JSON route and the results page).
pub(crate) fn bundle_download(e: gongjue_store::exports::Export) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "application/json"))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", e.name),
        ))
        .body(e.bundle)
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
    Ok(signature_download(
        stored(caller, &state, path.into_inner()).await?,
    ))
}

/// The signature as a download (the JSON route and the results page).
pub(crate) fn signature_download(e: gongjue_store::exports::Export) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((CONTENT_TYPE, "application/jose"))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}.jws\"", e.name),
        ))
        .body(e.jws)
}

/// Every estate's public keys, active and retired (public, no sign-in).
#[utoipa::path(tag = "results", responses((status = 200, description = "Every estate's public keys (JWKS), active and retired")))]
#[get("/.well-known/jwks.json")]
pub async fn jwks(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let set = db(&state, |store| {
        export::keys::jwks(&store.all_signing_keys()?)
    })
    .await?;
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
    let staff = caller.staff()?;
    let estate = path.into_inner();
    let report = db(&state, move |store| {
        staff.reads(&estate)?;
        let chain = store.verify_audit_chain(&estate)?;
        let ballots = store.verify_ballots(&estate)?;
        let ok = chain.first_broken.is_none() && ballots.is_empty();
        Ok(json!({ "estate": estate, "ok": ok, "chain": chain, "ballots": ballots }))
    })
    .await?;
    Ok(HttpResponse::Ok().json(report))
}
