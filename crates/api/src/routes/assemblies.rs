//! Assemblies (业主大会会议): created as a draft with a timetable, filled with items, announced,
//! opened (every item's electorate is frozen), closed. Voting codes, proxies and transfers of a
//! voting right are recorded here too.

use actix_web::{HttpResponse, delete, get, post, put, web};
use gongjue_store::assemblies::AssemblyState;

use crate::auth::Caller;
use crate::blocking::{db, run};
use crate::body::Body;
use crate::error::ApiError;
use crate::i18n::Msg;
use crate::items::NewItemRequest;
use crate::state::AppState;
use crate::usecases::UseCaseError;
use crate::usecases::codes::{self, IssueCodesRequest, IssuedCode};
use crate::usecases::extension::{self, ExtendOut, ExtendRequest, ExtensionsOut};
use crate::usecases::lifecycle::{self, CancelOut, CancelRequest, CloseRequest};
use crate::usecases::proxies::{self, ProxyOut, ProxyRequest, TransferOut, TransferRequest};
use crate::usecases::rounds::{self, ConsultationRound, NextRoundRequest};
use crate::usecases::setup::{
    self, AssemblyOut, ItemOut, NewAssemblyRequest, assembly_out, item_out,
};

/// A body that may be left out: empty means the defaults; anything else must be valid JSON.
fn optional_json<T: Default + serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(bytes).map_err(|e| {
        if e.is_data() {
            UseCaseError::invalid("(body)", e.to_string()).into()
        } else {
            ApiError::Body {
                msg: Msg::MalformedBody,
                detail: e.to_string(),
            }
        }
    })
}

/// Announces, opens or closes an assembly and answers with it.
async fn transition(
    state: &web::Data<AppState>,
    caller: Caller,
    id: String,
    next: AssemblyState,
    reason: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let (assembly, items) = run(state, move |app| {
        lifecycle::move_with_checkpoints(app, &staff, &id, next, reason)
    })
    .await?;
    Ok(HttpResponse::Ok().json(assembly_out(assembly, items)))
}

/// Creates a draft assembly with its timetable.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path, description = "estate id")), request_body = NewAssemblyRequest,
    security(("staff" = [])), responses((status = 201, body = AssemblyOut), (status = 422, body = crate::routes::ErrorBody)))]
#[post("/estates/{id}/assemblies")]
pub async fn create_assembly(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<NewAssemblyRequest>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let (estate_id, body) = (path.into_inner(), body.into_inner());
    let assembly = db(&state, move |store| {
        setup::create_assembly(store, &staff, &estate_id, body)
    })
    .await?;
    Ok(HttpResponse::Created().json(assembly_out(assembly, vec![])))
}

/// An assembly with its items (staff of its estate, or an owner signed in for it).
#[utoipa::path(tag = "assemblies", params(("id" = String, Path)), security(("staff" = []), ("owner" = [])),
    responses((status = 200, body = AssemblyOut), (status = 403, body = crate::routes::ErrorBody)))]
#[get("/assemblies/{id}")]
pub async fn get_assembly(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let (assembly, items) = db(&state, move |store| {
        setup::readable_assembly(store, &caller, &id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(assembly_out(assembly, items)))
}

/// Adds an item to a draft assembly. After announcing, the sheet is fixed.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path)), request_body = NewItemRequest, security(("staff" = [])),
    responses((status = 201, body = ItemOut), (status = 409, body = crate::routes::ErrorBody, description = "The assembly is no longer a draft (`items_only_in_draft`)"), (status = 422, body = crate::routes::ErrorBody)))]
#[post("/assemblies/{id}/items")]
pub async fn add_item(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<NewItemRequest>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let (id, body) = (path.into_inner(), body.into_inner());
    let item = db(&state, move |store| {
        setup::add_item(store, &staff, &id, body)
    })
    .await?;
    Ok(HttpResponse::Created().json(item_out(item)))
}

/// Sets up the next round of a consultation whose voting has closed, as a new consultation in a
/// draft assembly of the same estate: its questions, title, text and scope copied unless given
/// (a narrower scope must lie within the previous round's electorate). Each round is counted and
/// exported on its own; the export names the previous round's export.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path, description = "the previous round's item")), request_body = NextRoundRequest, security(("staff" = [])),
    responses((status = 201, body = ItemOut),
        (status = 409, body = crate::routes::ErrorBody, description = "Not a consultation, its voting not closed, a next round already set up, or the assembly no longer a draft"),
        (status = 422, body = crate::routes::ErrorBody)))]
#[post("/items/{id}/next-round")]
pub async fn next_round(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<NextRoundRequest>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let (id, body) = (path.into_inner(), body.into_inner());
    let item = db(&state, move |store| {
        rounds::next_round(store, &staff, &id, body)
    })
    .await?;
    Ok(HttpResponse::Created().json(item_out(item)))
}

/// The rounds of the consultation chain the item belongs to, first to last, each with its
/// result once closed and its export's SHA-256 once final. Staff of the estate; owners of any
/// of the rounds' assemblies.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path, description = "item id")), security(("staff" = []), ("owner" = [])),
    responses((status = 200, body = Vec<ConsultationRound>), (status = 403, body = crate::routes::ErrorBody)))]
#[get("/items/{id}/rounds")]
pub async fn list_rounds(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let out = db(&state, move |store| rounds::rounds(store, &caller, &id)).await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Announces the assembly (公告): the notice period before opening must be respected.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path)), security(("staff" = [])),
    responses((status = 200, body = AssemblyOut), (status = 409, body = crate::routes::ErrorBody), (status = 422, body = crate::routes::ErrorBody)))]
#[post("/assemblies/{id}/announce")]
pub async fn announce(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    transition(
        &state,
        caller,
        path.into_inner(),
        AssemblyState::Announced,
        None,
    )
    .await
}

/// Opens voting (not before `opens_at`) and freezes every item's electorate.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path)), security(("staff" = [])),
    responses((status = 200, body = AssemblyOut), (status = 409, body = crate::routes::ErrorBody)))]
#[post("/assemblies/{id}/open")]
pub async fn open(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    transition(&state, caller, path.into_inner(), AssemblyState::Open, None).await
}

/// Closes voting. Before the scheduled time only with a reason.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path)), request_body(content = Option<CloseRequest>), security(("staff" = [])),
    responses((status = 200, body = AssemblyOut), (status = 409, body = crate::routes::ErrorBody)))]
#[post("/assemblies/{id}/close")]
pub async fn close(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let reason = optional_json::<CloseRequest>(&body)?.reason;
    transition(
        &state,
        caller,
        path.into_inner(),
        AssemblyState::Closed,
        reason,
    )
    .await
}

/// Issues voting codes, returned once. Before opening, to every owner of the current roster;
/// once open, to the members of the frozen electorates.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path)), request_body(content = Option<IssueCodesRequest>), security(("staff" = [])),
    responses((status = 201, body = Vec<IssuedCode>), (status = 409, body = crate::routes::ErrorBody)))]
#[post("/assemblies/{id}/codes")]
pub async fn issue_codes(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let wanted = optional_json::<IssueCodesRequest>(&body)?.voters;
    let staff = caller.staff()?;
    let id = path.into_inner();
    let issued = run(&state, move |app| {
        codes::issue_codes(app, &staff, &id, wanted)
    })
    .await?;
    Ok(HttpResponse::Created().json(issued))
}

/// Records a written proxy. The member's own ballot always supersedes the proxy's.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path)), request_body = ProxyRequest, security(("staff" = [])),
    responses((status = 201, body = ProxyOut), (status = 409, body = crate::routes::ErrorBody), (status = 422, body = crate::routes::ErrorBody)))]
#[post("/assemblies/{id}/proxies")]
pub async fn record_proxy(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<ProxyRequest>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let (id, body) = (path.into_inner(), body.into_inner());
    let proxy = db(&state, move |store| {
        proxies::record_proxy(store, &staff, &id, body)
    })
    .await?;
    Ok(HttpResponse::Created().json(proxy))
}

/// Records the transfer of a unit's voting right to its new owner (sold while voting is
/// open), with the deed's reference. It is *pending* until a second staff member confirms it
/// (`POST /transfers/{id}/confirm`): until then nothing changes and the seller may still vote.
/// The seller is told by e-mail (audited `transfer.recorded`).
#[utoipa::path(tag = "assemblies", params(("id" = String, Path)), request_body = TransferRequest, security(("staff" = [])),
    responses((status = 201, body = TransferOut), (status = 409, body = crate::routes::ErrorBody), (status = 422, body = crate::routes::ErrorBody)))]
#[post("/assemblies/{id}/transfers")]
pub async fn transfer(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<TransferRequest>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let (id, body) = (path.into_inner(), body.into_inner());
    let public_url = state.public_url.clone();
    let transfer = db(&state, move |store| {
        proxies::record_transfer(store, &staff, &id, body, &public_url)
    })
    .await?;
    Ok(HttpResponse::Created().json(transfer))
}

/// Confirms a pending transfer; only a staff user other than the one who recorded it may, and
/// only before the seller voted. The unit then votes with its new owner; the seller is told
/// (audited `electorate.transferred`).
#[utoipa::path(tag = "assemblies", params(("id" = String, Path, description = "the transfer's id")), security(("staff" = [])),
    responses((status = 200, body = TransferOut), (status = 409, body = crate::routes::ErrorBody)))]
#[post("/transfers/{id}/confirm")]
pub async fn confirm_transfer(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let id = path.into_inner();
    let public_url = state.public_url.clone();
    let confirmed = db(&state, move |store| {
        proxies::confirm_transfer(store, &staff, &id, &public_url)
    })
    .await?;
    Ok(HttpResponse::Ok().json(confirmed))
}

/// The assembly's items, in their order on the ballot sheet (staff of its estate, or an owner
/// signed in for it).
#[utoipa::path(tag = "assemblies", params(("id" = String, Path, description = "assembly id")), security(("staff" = []), ("owner" = [])),
    responses((status = 200, body = Vec<ItemOut>), (status = 403, body = crate::routes::ErrorBody)))]
#[get("/assemblies/{id}/items")]
pub async fn list_items(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let (_, items) = db(&state, move |store| {
        setup::readable_assembly(store, &caller, &id)
    })
    .await?;
    let out: Vec<ItemOut> = items.into_iter().map(item_out).collect();
    Ok(HttpResponse::Ok().json(out))
}

/// One item (staff of its estate, or an owner signed in for its assembly).
#[utoipa::path(tag = "assemblies", params(("id" = String, Path, description = "item id")), security(("staff" = []), ("owner" = [])),
    responses((status = 200, body = ItemOut), (status = 403, body = crate::routes::ErrorBody)))]
#[get("/items/{id}")]
pub async fn get_item(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let (_, item) = db(&state, move |store| {
        setup::readable_item(store, &caller, &id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(item_out(item)))
}

/// Replaces an item of a draft assembly (same body as adding one); it keeps its id and place.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path, description = "item id")), request_body = NewItemRequest, security(("staff" = [])),
    responses((status = 200, body = ItemOut), (status = 403, body = crate::routes::ErrorBody),
        (status = 409, body = crate::routes::ErrorBody, description = "The assembly is no longer a draft (`items_fixed`; `detail` names its state)"),
        (status = 422, body = crate::routes::ErrorBody)))]
#[put("/items/{id}")]
pub async fn update_item(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<NewItemRequest>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let (id, body) = (path.into_inner(), body.into_inner());
    let item = db(&state, move |store| {
        setup::update_item(store, &staff, &id, body)
    })
    .await?;
    Ok(HttpResponse::Ok().json(item_out(item)))
}

/// Deletes an item of a draft assembly; the items after it move up one place.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path, description = "item id")), security(("staff" = [])),
    responses((status = 204, description = "Deleted"), (status = 403, body = crate::routes::ErrorBody),
        (status = 409, body = crate::routes::ErrorBody, description = "The assembly is no longer a draft (`items_fixed`; `detail` names its state), or a proxy names the item (`item_named_by_proxy`)")))]
#[delete("/items/{id}")]
pub async fn delete_item(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let id = path.into_inner();
    db(&state, move |store| setup::delete_item(store, &staff, &id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Extends the voting period of an open assembly (participation short of 2/3 as closing
/// nears): the new closing time, after the current one and within the estate's
/// `max_extension_days` of the original one, and a reason. Every member is told (e-mails queued
/// with it; `paper_round` lists those without an address); ballots already cast stand; audited
/// as `assembly.extended`. Secretaries and admins of the estate.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path)), request_body = ExtendRequest, security(("staff" = [])),
    responses((status = 201, body = ExtendOut),
        (status = 409, body = crate::routes::ErrorBody, description = "Voting is not open (`extend_only_while_open`; `detail` names the state), or another extension or the close came first"),
        (status = 422, body = crate::routes::ErrorBody, description = "No `reason`; `closes_at` not later than now and the current closing time (`extension_not_later`) or past the estate's limit (`extension_too_long`)")))]
#[post("/assemblies/{id}/extensions")]
pub async fn extend_voting(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: Body<ExtendRequest>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let id = path.into_inner();
    let request = body.into_inner();
    let public_url = state.public_url.clone();
    let out = db(&state, move |store| {
        extension::extend(store, &staff, &id, request, &public_url)
    })
    .await?;
    Ok(HttpResponse::Created().json(out))
}

/// The assembly's closing times: the original one, the current one, the latest the estate's
/// rules of procedure allow, and every extension with its reason. Staff of the estate and
/// owners signed in for the assembly.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path)), security(("staff" = []), ("owner" = [])),
    responses((status = 200, body = ExtensionsOut), (status = 403, body = crate::routes::ErrorBody)))]
#[get("/assemblies/{id}/extensions")]
pub async fn list_extensions(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let out = db(&state, move |store| {
        extension::extensions(store, &caller, &id)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// Cancels an assembly: a draft, an announced one or one whose voting is open (ballots cast
/// are kept, never counted); not once closed, when its result is published. If owners may
/// have heard of it (announced, codes issued or a notice queued), every owner is told: by
/// e-mail (queued with the cancellation) or, without an address, in the paper round returned.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path)), request_body(content = Option<CancelRequest>), security(("staff" = [])),
    responses((status = 200, body = CancelOut),
        (status = 409, body = crate::routes::ErrorBody, description = "Closed or cancelled already (`cancel_not_allowed`; `detail` names the state)"),
        (status = 422, body = crate::routes::ErrorBody, description = "No `reason` for an assembly owners were told of")))]
#[post("/assemblies/{id}/cancel")]
pub async fn cancel(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let reason = optional_json::<CancelRequest>(&body)?.reason;
    let staff = caller.staff()?;
    let id = path.into_inner();
    let public_url = state.public_url.clone();
    let out = db(&state, move |store| {
        lifecycle::cancel(store, &staff, &id, reason, &public_url)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}
