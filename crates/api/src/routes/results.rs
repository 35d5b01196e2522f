//! Live turnout (participation only: choices stay secret until closing) and results.

use actix_web::{HttpResponse, get, web};

use crate::auth::Caller;
use crate::blocking::db;
use crate::count::ItemTurnout;
use crate::error::ApiError;
use crate::state::AppState;
use crate::usecases::results;

/// Turnout of every item whose electorate is frozen, overall and by building and zone.
#[utoipa::path(tag = "results", params(("id" = String, Path)), security(("staff" = [])),
    responses((status = 200, body = Vec<ItemTurnout>), (status = 403, body = crate::routes::ErrorBody)))]
#[get("/assemblies/{id}/turnout")]
pub async fn turnout(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let staff = caller.staff()?;
    let out = db(&state, move |store| results::turnout(store, &staff, &id)).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// The result of an item, exactly as `gongjue tally` prints it for the same ballots
/// (format `gongjue-tally/1`), once voting has closed.
#[utoipa::path(tag = "results", params(("id" = String, Path, description = "item id")), security(("staff" = []), ("owner" = [])),
    responses((status = 200, description = "The domain's result JSON (see docs/tally-bundle.md)", body = Object),
        (status = 403, body = crate::routes::ErrorBody), (status = 409, body = crate::routes::ErrorBody)))]
#[get("/items/{id}/result")]
pub async fn result(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let result = db(&state, move |store| {
        Ok(results::item_tally(store, &caller, &id)?.result())
    })
    .await?;
    Ok(HttpResponse::Ok().json(result))
}
