//! Proxies (委托) and transfers: who votes for a member, and a unit sold while voting is open.

use gongjue_store::Store;
use gongjue_store::assemblies::AssemblyState;
use gongjue_store::proxies::{NewProxy, Proxy};
use gongjue_store::transfers::{NewTransfer, VotingTransfer};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::i18n::Msg;
use crate::usecases::setup::staff_assembly;
use crate::usecases::{StaffCaller, UseCaseError};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProxyRequest {
    /// The member who authorizes (owner id).
    pub member: String,
    /// The member who will vote for them (owner id; they sign in with their own code).
    pub holder: String,
    /// Items covered; absent or empty: the whole assembly.
    #[serde(default)]
    pub items: Vec<String>,
    /// Reference of the written authorization (委托书).
    pub document_ref: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProxyOut {
    #[schema(format = Uuid)]
    pub id: String,
    pub member: String,
    pub holder: String,
    pub whole_assembly: bool,
    pub document_ref: String,
    #[schema(format = DateTime)]
    pub recorded_at: String,
}

/// Records a written proxy. The member's own ballot always supersedes the proxy's.
pub fn record_proxy(
    store: &Store,
    staff: &StaffCaller,
    id: &str,
    body: ProxyRequest,
) -> Result<ProxyOut, UseCaseError> {
    let assembly = staff_assembly(store, staff, id, true)?;
    if body.document_ref.trim().is_empty() {
        return Err(UseCaseError::invalid(
            "document_ref",
            "a proxy needs the reference of its written authorization",
        ));
    }
    if body.member == body.holder {
        return Err(UseCaseError::invalid(
            "holder",
            "a member cannot be their own proxy",
        ));
    }
    if assembly.state == AssemblyState::Closed.as_str()
        || assembly.state == AssemblyState::Cancelled.as_str()
    {
        return Err(UseCaseError::Rule(Msg::VotingClosed));
    }
    // Both must be owners of the assembly: a proxy for an unknown id (a typo) would stand
    // recorded and never be usable.
    for (field, voter) in [("member", &body.member), ("holder", &body.holder)] {
        if !store.is_assembly_voter(&assembly.id, voter)? {
            return Err(UseCaseError::invalid(
                field,
                format!(
                    "{voter} is not an owner on the roster or in an electorate of this assembly"
                ),
            ));
        }
    }
    let new = NewProxy {
        assembly_id: assembly.id,
        member: body.member,
        holder: body.holder,
        items: if body.items.is_empty() {
            None
        } else {
            Some(body.items)
        },
        document_ref: body.document_ref.trim().to_owned(),
        recorded_by: staff.user.clone(),
    };
    Ok(store.record_proxy(new)?.into())
}

impl From<Proxy> for ProxyOut {
    fn from(proxy: Proxy) -> Self {
        ProxyOut {
            id: proxy.id,
            member: proxy.member,
            holder: proxy.holder,
            whole_assembly: proxy.whole_assembly,
            document_ref: proxy.document_ref,
            recorded_at: proxy.recorded_at,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferRequest {
    /// The unit sold while voting is open, e.g. `3-1-502`.
    pub unit: String,
    /// The new owner's id; they need a voting code of their own.
    pub to_voter: String,
    /// Reference of the deed (不动产权证书 / 合同).
    pub deed_ref: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TransferOut {
    #[schema(format = Uuid)]
    pub id: String,
    pub unit: String,
    pub from_voter: String,
    pub to_voter: String,
    pub deed_ref: String,
    #[schema(format = DateTime)]
    pub recorded_at: String,
}

impl From<VotingTransfer> for TransferOut {
    fn from(t: VotingTransfer) -> Self {
        TransferOut {
            id: t.id,
            unit: t.unit_number,
            from_voter: t.from_voter,
            to_voter: t.to_voter,
            deed_ref: t.deed_ref,
            recorded_at: t.recorded_at,
        }
    }
}

/// Moves a unit's voting right to its new owner, only while voting is open and before the old
/// owner voted (the store refuses then), with the deed's reference (audited).
pub fn record_transfer(
    store: &Store,
    staff: &StaffCaller,
    id: &str,
    body: TransferRequest,
) -> Result<TransferOut, UseCaseError> {
    let assembly = staff_assembly(store, staff, id, true)?;
    if body.deed_ref.trim().is_empty() {
        return Err(UseCaseError::invalid(
            "deed_ref",
            "a transfer needs the reference of the deed",
        ));
    }
    // The new voter becomes a member of frozen electorates, which the tally refuses with an
    // empty voter: every count of the assembly would fail from then on.
    let to_voter = body.to_voter.trim().to_owned();
    if to_voter.is_empty() {
        return Err(UseCaseError::invalid(
            "to_voter",
            "a transfer needs the new owner's id",
        ));
    }
    // Only while voting is open: before, the next roster import is the way; after, it is too late.
    if assembly.state != AssemblyState::Open.as_str() {
        return Err(UseCaseError::Rule(Msg::Conflict));
    }
    // The unit's voter as frozen in this assembly's electorates.
    let mut from_voter = None;
    for item in store.items(&assembly.id)? {
        if let Some(voter) = store.voter_of_unit(&item.id, &body.unit)? {
            from_voter = Some(voter);
            break;
        }
    }
    let from_voter = from_voter.ok_or_else(|| {
        UseCaseError::invalid(
            "unit",
            format!("unit {} is in no electorate of this assembly", body.unit),
        )
    })?;
    if from_voter == to_voter {
        return Err(UseCaseError::invalid(
            "to_voter",
            "the unit already votes with this voter",
        ));
    }
    let t = store.record_transfer(NewTransfer {
        assembly_id: assembly.id,
        unit_number: body.unit,
        from_voter,
        to_voter,
        deed_ref: body.deed_ref.trim().to_owned(),
        recorded_by: staff.user.clone(),
    })?;
    Ok(t.into())
}
