//! Re-issuing a voting code, as a paper ballot is entered: one staff member asks, which
//! changes nothing; a different one confirms, and only then is the old code revoked and a new
//! one issued (by e-mail to the owner's address, never shown to staff; on paper for an owner
//! without one, shown once to the confirming staff member). The rules are the use case's
//! (`crate::usecases::codes`).

use actix_web::{HttpResponse, get, post, web};

use crate::auth::Caller;
use crate::blocking::{db, run};
use crate::body::Body;
use crate::error::ApiError;
use crate::state::AppState;
use crate::usecases::codes::{self, CodeReissueOut, CodeReissueRequest};

/// Asks for a new code for a member who had one. Nothing changes until a different staff
/// member confirms: the member's code keeps working.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path, description = "assembly id")), request_body = CodeReissueRequest,
    security(("staff" = [])), responses((status = 201, body = CodeReissueOut), (status = 403, body = crate::routes::ErrorBody),
        (status = 409, body = crate::routes::ErrorBody), (status = 422, body = crate::routes::ErrorBody)))]
#[post("/assemblies/{id}/code-reissues")]
pub async fn request_reissue(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<CodeReissueRequest>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let (id, body) = (path.into_inner(), body.into_inner());
    let out = db(&state, move |store| {
        codes::request_reissue(store, &staff, &id, body)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// The assembly's code re-issues waiting for confirmation by a second person, oldest first.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path, description = "assembly id")), security(("staff" = [])),
    responses((status = 200, body = Vec<CodeReissueOut>), (status = 403, body = crate::routes::ErrorBody)))]
#[get("/assemblies/{id}/code-reissues")]
pub async fn pending_reissues(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let id = path.into_inner();
    let out = db(&state, move |store| {
        codes::pending_reissues(store, &staff, &id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Confirms a re-issue asked for by another staff member: the old code stops working (and
/// every session opened with it) and a new one is issued. It is e-mailed to the owner with a
/// notice that it replaces the old one; only for an owner without an address is `code` given,
/// this once, to print.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path, description = "the re-issue's id")), security(("staff" = [])),
    responses((status = 200, body = CodeReissueOut), (status = 403, body = crate::routes::ErrorBody), (status = 409, body = crate::routes::ErrorBody)))]
#[post("/code-reissues/{id}/confirm")]
pub async fn confirm_reissue(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let id = path.into_inner();
    let out = run(&state, move |app| codes::confirm_reissue(app, &staff, &id)).await?;
    Ok(HttpResponse::Ok().json(out))
}
