//! Finding things again: the lists a client needs to come back to its work — the caller's
//! estates, an estate's assemblies and roster versions, an assembly's proxies, transfers and
//! the paper ballots waiting for a second person. Staff of the estate read them (every role);
//! owners and other estates' staff do not.

use actix_web::{HttpResponse, get, web};
use gongjue_domain::area::Area;
use gongjue_store::assemblies::Assembly;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::routes::assemblies::{ProxyOut, TransferOut, staff_assembly};
use crate::routes::sessions::EstateRole;
use crate::state::{AppState, db};

/// The estates the signed-in staff user holds a role in, with the roles.
#[utoipa::path(tag = "estates", security(("staff" = [])),
    responses((status = 200, body = Vec<EstateRole>), (status = 403, body = crate::routes::ErrorBody, description = "Owners")))]
#[get("/estates")]
pub async fn my_estates(
    caller: Caller,
    state: web::Data<AppState>,
) -> Result<HttpResponse, ApiError> {
    let staff = caller.staff()?;
    let out = db(&state, move |store| {
        let mut estates: Vec<EstateRole> = Vec::new();
        for (estate_id, role) in store.all_roles(&staff.user)? {
            match estates.last_mut() {
                Some(last) if last.estate_id == estate_id => last.roles.push(role.as_str().into()),
                _ => estates.push(EstateRole {
                    name: store.estate(&estate_id)?.name,
                    estate_id,
                    roles: vec![role.as_str().into()],
                }),
            }
        }
        Ok(estates)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

/// An assembly in a list: what it is and where it stands, without its items.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssemblySummary {
    pub id: String,
    pub title: String,
    /// `draft`, `announced`, `open`, `closed` or `cancelled`.
    pub state: String,
    pub announced_at: Option<String>,
    pub opens_at: String,
    pub closes_at: String,
    pub created_at: String,
    /// Items on its ballot sheet.
    pub items: usize,
}

fn summary(assembly: Assembly, items: usize) -> AssemblySummary {
    AssemblySummary {
        id: assembly.id,
        title: assembly.title,
        state: assembly.state,
        announced_at: assembly.announced_at,
        opens_at: assembly.opens_at,
        closes_at: assembly.closes_at,
        created_at: assembly.created_at,
        items,
    }
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
    let estate_id = path.into_inner();
    caller.staff()?.reads(&estate_id)?;
    let out = db(&state, move |store| {
        store.estate(&estate_id)?;
        let mut out = Vec::new();
        for assembly in store.estate_assemblies(&estate_id)? {
            let items = store.items(&assembly.id)?.len();
            out.push(summary(assembly, items));
        }
        Ok(out)
    })
    .await?;
    Ok(HttpResponse::Ok().json(out))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RosterVersionOut {
    pub id: String,
    /// 1, 2, 3… in the order of import; the highest is the current roster.
    pub version: i64,
    pub imported_at: String,
    /// The staff user who imported it (none for a command-line import).
    pub imported_by: Option<String>,
    /// The file's name as uploaded.
    pub source_name: String,
    /// SHA-256 of the uploaded bytes (hex), to match a file kept elsewhere.
    pub source_sha256: String,
    pub units: i64,
    /// Total area of the units in m², e.g. `10234.56`.
    pub total_area: String,
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
    let estate_id = path.into_inner();
    caller.staff()?.reads(&estate_id)?;
    let versions = db(&state, move |store| {
        store.estate(&estate_id)?;
        Ok(store.roster_versions(&estate_id)?)
    })
    .await?;
    let out: Vec<RosterVersionOut> = versions
        .into_iter()
        .map(|v| RosterVersionOut {
            id: v.id,
            version: v.version,
            imported_at: v.imported_at,
            imported_by: v.imported_by,
            source_name: v.source_name,
            source_sha256: v.source_sha256,
            units: v.units_count,
            total_area: Area::from_cents(u64::try_from(v.total_area_cents).unwrap_or(0))
                .to_string(),
        })
        .collect();
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
    let (_, assembly) = staff_assembly(&state, caller, path.into_inner(), false).await?;
    let proxies = db(&state, move |store| {
        Ok(store.assembly_proxies(&assembly.id)?)
    })
    .await?;
    let out: Vec<ProxyOut> = proxies
        .into_iter()
        .map(|p| ProxyOut {
            id: p.id,
            member: p.member,
            holder: p.holder,
            whole_assembly: p.whole_assembly,
            document_ref: p.document_ref,
            recorded_at: p.recorded_at,
        })
        .collect();
    Ok(HttpResponse::Ok().json(out))
}

/// The assembly's recorded transfers of a voting right, in the order they were recorded.
#[utoipa::path(tag = "assemblies", params(("id" = String, Path, description = "assembly id")), security(("staff" = [])),
    responses((status = 200, body = Vec<TransferOut>), (status = 403, body = crate::routes::ErrorBody)))]
#[get("/assemblies/{id}/transfers")]
pub async fn transfers(
    caller: Caller,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (_, assembly) = staff_assembly(&state, caller, path.into_inner(), false).await?;
    let transfers = db(&state, move |store| {
        Ok(store.assembly_transfers(&assembly.id)?)
    })
    .await?;
    let out: Vec<TransferOut> = transfers
        .into_iter()
        .map(|t| TransferOut {
            id: t.id,
            unit: t.unit_number,
            from_voter: t.from_voter,
            to_voter: t.to_voter,
            deed_ref: t.deed_ref,
            recorded_at: t.recorded_at,
        })
        .collect();
    Ok(HttpResponse::Ok().json(out))
}

/// A paper ballot waiting for a second person's confirmation.
#[derive(Debug, Serialize, ToSchema)]
pub struct PendingPaperBallot {
    /// The id to confirm with `POST /paper-ballots/{id}/confirm`.
    pub id: String,
    pub item: String,
    pub voter: String,
    pub seq: i64,
    /// As read by the tellers, in the tally bundle's ballot format.
    #[schema(value_type = Value)]
    pub choice: Value,
    /// When the ballot was received.
    pub received_at: String,
    /// The staff user who entered it: someone else must confirm it.
    pub entered_by: Option<String>,
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
    let (_, assembly) = staff_assembly(&state, caller, path.into_inner(), false).await?;
    let pending = db(&state, move |store| {
        Ok(store.pending_paper_ballots(&assembly.id)?)
    })
    .await?;
    let out: Vec<PendingPaperBallot> = pending
        .into_iter()
        .map(|b| PendingPaperBallot {
            id: b.version_id,
            item: b.item_id,
            voter: b.voter,
            seq: b.seq,
            choice: serde_json::from_str(&b.choice).unwrap_or(Value::Null),
            received_at: b.cast_at,
            entered_by: b.entered_by,
        })
        .collect();
    Ok(HttpResponse::Ok().json(out))
}
