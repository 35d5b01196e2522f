//! Finding things again: the lists a client needs to come back to its work — the caller's
//! estates, an estate's assemblies and roster versions, an assembly's proxies, transfers and
//! the paper ballots waiting for a second person. Staff of the estate read them (every role);
//! owners and other estates' staff do not.

use gongjue_domain::area::Area;
use gongjue_store::Store;
use gongjue_store::assemblies::Assembly;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::usecases::proxies::{ProxyOut, TransferOut};
use crate::usecases::sessions::{EstateRole, estates_of};
use crate::usecases::setup::staff_assembly;
use crate::usecases::{StaffCaller, UseCaseError};

/// The estates the signed-in staff user holds a role in, with the roles.
pub fn my_estates(store: &Store, staff: &StaffCaller) -> Result<Vec<EstateRole>, UseCaseError> {
    estates_of(store, &staff.user)
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
pub fn estate_assemblies(
    store: &Store,
    staff: &StaffCaller,
    estate_id: &str,
) -> Result<Vec<AssemblySummary>, UseCaseError> {
    staff.reads(estate_id)?;
    store.estate(estate_id)?;
    let mut out = Vec::new();
    for assembly in store.estate_assemblies(estate_id)? {
        let items = store.items(&assembly.id)?.len();
        out.push(summary(assembly, items));
    }
    Ok(out)
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
pub fn roster_versions(
    store: &Store,
    staff: &StaffCaller,
    estate_id: &str,
) -> Result<Vec<RosterVersionOut>, UseCaseError> {
    staff.reads(estate_id)?;
    store.estate(estate_id)?;
    Ok(store
        .roster_versions(estate_id)?
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
        .collect())
}

/// The assembly's active proxies, in the order they were recorded.
pub fn proxies(
    store: &Store,
    staff: &StaffCaller,
    assembly_id: &str,
) -> Result<Vec<ProxyOut>, UseCaseError> {
    let assembly = staff_assembly(store, staff, assembly_id, false)?;
    Ok(store
        .assembly_proxies(&assembly.id)?
        .into_iter()
        .map(ProxyOut::from)
        .collect())
}

/// The assembly's transfers of a voting right, in the order they were recorded, each `pending`
/// (waiting for a second staff member's confirmation) or `confirmed` (in effect).
pub fn transfers(
    store: &Store,
    staff: &StaffCaller,
    assembly_id: &str,
) -> Result<Vec<TransferOut>, UseCaseError> {
    let assembly = staff_assembly(store, staff, assembly_id, false)?;
    Ok(store
        .assembly_transfers(&assembly.id)?
        .into_iter()
        .map(TransferOut::from)
        .collect())
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
pub fn pending_paper_ballots(
    store: &Store,
    staff: &StaffCaller,
    assembly_id: &str,
) -> Result<Vec<PendingPaperBallot>, UseCaseError> {
    let assembly = staff_assembly(store, staff, assembly_id, false)?;
    Ok(store
        .pending_paper_ballots(&assembly.id)?
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
        .collect())
}
