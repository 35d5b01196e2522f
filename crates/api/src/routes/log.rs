//! The estate's transparency log (issue 18): checkpoints, proofs and witnesses. Everything but
//! naming a witness is public: checkpoints and proofs exist to leave the server, and a witness
//! proves who it is by its signature, not by a session.

use actix_web::{HttpResponse, get, post, web};
use serde::Deserialize;

use crate::auth::Caller;
use crate::blocking::run;
use crate::body::Body;
use crate::error::ApiError;
use crate::state::AppState;
use crate::tlog::proof::{ConsistencyProof, InclusionProof};
use crate::usecases::log::{self, CheckpointOut, LogOverview, NewWitness, WitnessNote, WitnessOut};

/// The log: its name, verifier keys, every checkpoint (with cosignatures) and the witnesses.
#[utoipa::path(tag = "log", params(("id" = String, Path, description = "estate id")),
    responses((status = 200, body = LogOverview)))]
#[get("/estates/{id}/log")]
pub async fn overview(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let estate = path.into_inner();
    let out = run(&state, move |app| log::overview(app, &estate)).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The newest signed checkpoint, as a C2SP signed note (text), with its witnesses' cosignatures.
#[utoipa::path(tag = "log", params(("id" = String, Path, description = "estate id")),
    responses((status = 200, description = "A signed note: origin, tree size, base64 root hash, a blank line, signature lines", content_type = "text/plain")))]
#[get("/estates/{id}/log/checkpoint")]
pub async fn checkpoint(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let estate = path.into_inner();
    let out: CheckpointOut = run(&state, move |app| log::latest(app, &estate)).await?;
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .insert_header(("Cache-Control", "no-cache"))
        .body(out.note))
}

/// The log's verifier keys, one per line (`name+keyid+base64`), to check checkpoints with.
#[utoipa::path(tag = "log", params(("id" = String, Path, description = "estate id")),
    responses((status = 200, description = "Note verifier keys, one per line", content_type = "text/plain")))]
#[get("/estates/{id}/log/keys")]
pub async fn keys(
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let estate = path.into_inner();
    let keys = run(&state, move |app| log::published_keys(app, &estate)).await?;
    let mut text = keys.join("\n");
    text.push('\n');
    Ok(HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body(text))
}

/// Sizes of the two checkpoints a consistency proof joins.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ConsistencyQuery {
    /// The earlier tree's size (the checkpoint you kept).
    #[param(minimum = 0)]
    pub old: i64,
    /// The later tree's size (at most the log's size now).
    #[param(minimum = 0)]
    pub new: i64,
}

/// The proof that the tree of `new` entries extends the tree of `old` entries.
#[utoipa::path(tag = "log", params(("id" = String, Path, description = "estate id"), ConsistencyQuery),
    responses((status = 200, body = ConsistencyProof)))]
#[get("/estates/{id}/log/consistency")]
pub async fn consistency(
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<ConsistencyQuery>,
) -> Result<HttpResponse, ApiError> {
    let estate = path.into_inner();
    let (old, new) = (query.old, query.new);
    let out = run(&state, move |app| log::consistency(app, &estate, old, new)).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The inclusion proof of the ballot with this receipt in the newest checkpoint: the file an
/// owner keeps with their receipt (`gongjue verify inclusion`).
#[utoipa::path(tag = "log", params(("id" = String, Path, description = "estate id"), ("receipt" = String, Path, description = "the ballot's receipt, 64 hex digits")),
    responses((status = 200, body = InclusionProof)))]
#[get("/estates/{id}/log/receipts/{receipt}/proof")]
pub async fn receipt_proof(
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (estate, receipt) = path.into_inner();
    let out = run(&state, move |app| {
        log::receipt_proof(app, &estate, &receipt)
    })
    .await?;
    Ok(HttpResponse::Ok()
        .insert_header((
            "Content-Disposition",
            "attachment; filename=\"gongjue-inclusion-proof.json\"",
        ))
        .json(out))
}

/// Names a witness of the estate's log (secretary or administrator of the estate); audited.
#[utoipa::path(tag = "log", params(("id" = String, Path, description = "estate id")), request_body = NewWitness, security(("staff" = [])),
    responses((status = 201, body = WitnessOut), (status = 409, body = crate::routes::ErrorBody)))]
#[post("/estates/{id}/log/witnesses")]
pub async fn add_witness(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<NewWitness>,
) -> Result<HttpResponse, ApiError> {
    let estate = path.into_inner();
    let body = body.into_inner();
    let out = run(&state, move |app| {
        log::add_witness(app, caller, &estate, body)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// A witness's cosignature: the checkpoint note with the witness's signature line added.
#[utoipa::path(tag = "log", params(("id" = String, Path, description = "estate id")), request_body = WitnessNote,
    responses((status = 200, body = CheckpointOut), (status = 403, body = crate::routes::ErrorBody), (status = 409, body = crate::routes::ErrorBody)))]
#[post("/estates/{id}/log/cosignatures")]
pub async fn cosign(
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<WitnessNote>,
) -> Result<HttpResponse, ApiError> {
    let estate = path.into_inner();
    let body = body.into_inner();
    let out = run(&state, move |app| log::cosign(app, &estate, body)).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// A witness's dissent: its signed note (`gongjue-dissent/1`, the log's origin, the refused
/// size, then why). Any dissent stops the final publication.
#[utoipa::path(tag = "log", params(("id" = String, Path, description = "estate id")), request_body = WitnessNote,
    responses((status = 204, description = "Recorded"), (status = 403, body = crate::routes::ErrorBody)))]
#[post("/estates/{id}/log/dissents")]
pub async fn dissent(
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<WitnessNote>,
) -> Result<HttpResponse, ApiError> {
    let estate = path.into_inner();
    let body = body.into_inner();
    run(&state, move |app| log::dissent(app, &estate, body)).await?;
    Ok(HttpResponse::NoContent().finish())
}
