//! Documents of an item (issue 19): upload while the assembly is a draft, list, remove, read.
//! The rules are the use cases' (`crate::usecases::documents`).

use actix_web::{HttpResponse, delete, get, post, web};
use futures_util::StreamExt;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::app::BodyLimits;
use crate::auth::Caller;
use crate::blocking::db;
use crate::error::ApiError;
use crate::state::AppState;
use crate::usecases::documents::{self, DocumentOut, MAX_DOCUMENT_BYTES};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct DocumentQuery {
    /// The document's name as owners see it, 1 to 100 characters (e.g. 电梯更新报价单).
    pub name: String,
}

/// Adds a document (PDF, PNG, JPEG or WebP, recognised from its bytes; at most 10 MiB) to an
/// item while its assembly is a draft; audited (`document.added`) with its SHA-256.
#[utoipa::path(tag = "documents", params(("id" = String, Path, description = "item id"), DocumentQuery), security(("staff" = [])),
    request_body(content = String, content_type = "application/octet-stream", description = "The file's bytes"),
    responses((status = 201, body = DocumentOut), (status = 403, body = crate::routes::ErrorBody),
        (status = 409, body = crate::routes::ErrorBody, description = "The assembly was announced (`documents_fixed`)"),
        (status = 413, body = crate::routes::ErrorBody),
        (status = 422, body = crate::routes::ErrorBody, description = "No name, an empty file, or not a PDF or an image (`document_type`)")))]
#[post("/items/{id}/documents")]
pub async fn add_document(
    caller: Caller,
    state: web::Data<AppState>,
    limits: web::Data<BodyLimits>,
    path: web::Path<String>,
    query: web::Query<DocumentQuery>,
    request: actix_web::HttpRequest,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let item = path.into_inner();
    // One byte more than a document may have: the use case names the field and the limit.
    let limit = limits.upload_bytes.min(MAX_DOCUMENT_BYTES + 1);
    crate::body::refuse_declared_oversize(&request, limits.upload_bytes, "document upload")?;
    let mut bytes = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(crate::error::payload_error)?;
        if bytes.len() + chunk.len() > limit {
            let room = limit.saturating_sub(bytes.len());
            bytes.extend_from_slice(chunk.get(..room).unwrap_or_default());
            break;
        }
        bytes.extend_from_slice(&chunk);
    }
    let name = query.into_inner().name;
    let out = db(&state, move |store| {
        documents::add(store, &staff, &item, &name, &bytes)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// An item's documents. Staff of the estate and owners of the assembly.
#[utoipa::path(tag = "documents", params(("id" = String, Path, description = "item id")), security(("staff" = []), ("owner" = [])),
    responses((status = 200, body = Vec<DocumentOut>), (status = 403, body = crate::routes::ErrorBody)))]
#[get("/items/{id}/documents")]
pub async fn list_documents(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let item = path.into_inner();
    let out = db(&state, move |store| documents::list(store, &caller, &item)).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Removes a document while its assembly is a draft; audited (`document.removed`).
#[utoipa::path(tag = "documents", params(("id" = String, Path, description = "document id")), security(("staff" = [])),
    responses((status = 204), (status = 403, body = crate::routes::ErrorBody),
        (status = 409, body = crate::routes::ErrorBody, description = "The assembly was announced (`documents_fixed`)")))]
#[delete("/documents/{id}")]
pub async fn remove_document(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let id = path.into_inner();
    db(&state, move |store| documents::remove(store, &staff, &id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A document's bytes, with its own type (never HTML). Public once the assembly is announced,
/// as the notice that points to it; before, only the estate's staff (404 for anyone else).
#[utoipa::path(tag = "documents", params(("id" = String, Path, description = "document id")), security((), ("staff" = [])),
    responses((status = 200, description = "The document: PDF, PNG, JPEG or WebP",
            content((String = "application/pdf"), (String = "image/png"), (String = "image/jpeg"), (String = "image/webp"))),
        (status = 404, body = crate::routes::ErrorBody)))]
#[get("/documents/{id}")]
pub async fn document_content(
    caller: Option<Caller>,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let staff = match caller {
        Some(Caller::Staff(staff)) => Some(staff),
        _ => None,
    };
    let id = path.into_inner();
    let (document, bytes) = db(&state, move |store| {
        documents::content(store, staff.as_ref(), &id)
    })
    .await?;
    Ok(crate::downloads::document_response(&document, bytes))
}
