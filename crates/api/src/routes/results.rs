//! Live turnout (participation only: choices stay secret until closing) and results.

use actix_web::{HttpResponse, get, web};
use gongjue_store::assemblies::AssemblyState;

use crate::auth::Caller;
use crate::count::{self, ItemTurnout};
use crate::error::ApiError;
use crate::i18n::Msg;
use crate::state::{AppState, db};

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
    let out = db(&state, move |store| {
        let assembly = store.assembly(&id)?;
        staff.reads(&assembly.estate_id)?;
        store
            .items(&id)?
            .iter()
            .filter(|i| i.electorate_frozen_at.is_some())
            .map(|item| count::turnout_of(store, item))
            .collect::<Result<Vec<_>, _>>()
    })
    .await?;
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
        let item = store.item(&id)?;
        let assembly = store.assembly(&item.assembly_id)?;
        match &caller {
            Caller::Staff(staff) => staff.reads(&assembly.estate_id)?,
            // Owners see the results of their own assembly, once published at closing.
            Caller::Owner(owner) => {
                owner.of_assembly(&assembly.id)?;
                if !store.code_is_active(&owner.code)? {
                    return Err(ApiError::BadToken);
                }
            }
        }
        if AssemblyState::parse(&assembly.state)? != AssemblyState::Closed {
            return Err(ApiError::Rule(Msg::ResultBeforeClosing));
        }
        let tally = count::tally_of(store, &item)?;
        Ok(tally.result())
    })
    .await?;
    Ok(HttpResponse::Ok().json(result))
}
