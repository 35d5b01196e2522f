//! Proxies (委托) and transfers: who votes for a member, and a unit sold while voting is open.

use chrono::Utc;
use gongjue_store::Store;
use gongjue_store::assemblies::AssemblyState;
use gongjue_store::proxies::{NewProxy, Proxy};
use gongjue_store::transfers::{NewTransfer, TransferRefusal, VotingTransfer};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::i18n::Msg;
use crate::mail::compose::Context;
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
    /// Reference of the deed (不动产权证书 / 合同): its number, at least 6 characters with digits.
    pub deed_ref: String,
    /// The new owner is already an owner of this assembly (on the roster or in an electorate):
    /// their units and this one will then vote as one person, one head fewer in the count. Must
    /// be said explicitly (`true`), so that a mistyped or borrowed id never merges two members;
    /// a new owner's id (`false`, the default) must be one the assembly does not know yet.
    #[serde(default)]
    pub buyer_is_member: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TransferOut {
    /// The id to confirm with `POST /transfers/{id}/confirm`.
    #[schema(format = Uuid)]
    pub id: String,
    pub unit: String,
    pub from_voter: String,
    pub to_voter: String,
    pub deed_ref: String,
    /// `pending`: recorded, waiting for a second staff member; nothing changed yet and the
    /// seller may still vote. `confirmed`: in effect, the unit votes with `to_voter`.
    #[schema(schema_with = crate::schema_refs::transfer_state)]
    pub state: String,
    /// The new owner was already an owner of the assembly (said so when recorded).
    pub buyer_is_member: bool,
    /// The staff user who recorded it: someone else must confirm it.
    pub recorded_by: String,
    #[schema(format = DateTime)]
    pub recorded_at: String,
    pub confirmed_by: Option<String>,
    #[schema(format = DateTime)]
    pub confirmed_at: Option<String>,
}

impl From<VotingTransfer> for TransferOut {
    fn from(t: VotingTransfer) -> Self {
        TransferOut {
            id: t.id,
            unit: t.unit_number,
            from_voter: t.from_voter,
            to_voter: t.to_voter,
            deed_ref: t.deed_ref,
            state: t.state,
            buyer_is_member: t.buyer_is_member,
            recorded_by: t.recorded_by,
            recorded_at: t.recorded_at,
            confirmed_by: t.confirmed_by,
            confirmed_at: t.confirmed_at,
        }
    }
}

/// The shortest deed reference taken (after trimming), in characters.
pub const DEED_REF_MIN_CHARS: usize = 6;

/// A deed reference is the number of a title deed (不动产权证书) or a sale contract: at least
/// [`DEED_REF_MIN_CHARS`] characters after trimming, with at least one digit, and not one
/// character repeated ("随便写", "无", "xxxxxx" and "000000" are refused).
pub fn check_deed_ref(deed_ref: &str) -> Result<String, UseCaseError> {
    let trimmed = deed_ref.trim();
    let chars: Vec<char> = trimmed.chars().filter(|c| !c.is_whitespace()).collect();
    let digits = chars
        .iter()
        .filter(|c| c.is_ascii_digit() || ('０'..='９').contains(*c))
        .count();
    let one_repeated = chars.first().is_some_and(|c| chars.iter().all(|d| d == c));
    if chars.len() < DEED_REF_MIN_CHARS || digits == 0 || one_repeated {
        return Err(UseCaseError::Invalid {
            msg: Msg::DeedRefUnclear,
            field: "deed_ref".into(),
            detail: format!(
                "the number of the deed or the sale contract: at least {DEED_REF_MIN_CHARS} characters with digits"
            ),
        });
    }
    Ok(trimmed.to_owned())
}

fn refused(refusal: TransferRefusal) -> UseCaseError {
    UseCaseError::Rule(match refusal {
        TransferRefusal::SellerVoted => Msg::SellerVoted,
        TransferRefusal::NotPending => Msg::TransferNotPending,
        TransferRefusal::UnitMoved => Msg::TransferUnitMoved,
        TransferRefusal::SamePerson => Msg::TransferSamePerson,
        TransferRefusal::NotOpen => Msg::VotingClosed,
    })
}

/// Records the transfer of a unit's voting right to its new owner, only while voting is open
/// and before the old owner voted, with the deed's reference. It stays *pending*: the unit
/// votes with the seller until a second staff member confirms it ([`confirm_transfer`]). The
/// seller is told through their own contact, in the same transaction (audited
/// `transfer.recorded`).
///
/// The new owner's id must be new to the assembly unless `buyer_is_member` says that an owner
/// of the assembly bought the unit: a second transfer to an existing owner's id would merge two
/// members into one (one head fewer in every count).
pub fn record_transfer(
    store: &Store,
    staff: &StaffCaller,
    id: &str,
    body: TransferRequest,
    public_url: &str,
) -> Result<TransferOut, UseCaseError> {
    let assembly = staff_assembly(store, staff, id, true)?;
    if body.deed_ref.trim().is_empty() {
        return Err(UseCaseError::invalid(
            "deed_ref",
            "a transfer needs the reference of the deed",
        ));
    }
    let deed_ref = check_deed_ref(&body.deed_ref)?;
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
    let known = store.is_assembly_voter(&assembly.id, &to_voter)?;
    match (known, body.buyer_is_member) {
        (true, false) => {
            return Err(UseCaseError::Invalid {
                msg: Msg::TransferMergesMembers,
                field: "to_voter".into(),
                detail: format!(
                    "{to_voter} is already an owner of this assembly; if they bought the unit, say buyer_is_member: true"
                ),
            });
        }
        (false, true) => {
            return Err(UseCaseError::invalid(
                "to_voter",
                format!("{to_voter} is not an owner of this assembly (buyer_is_member is true)"),
            ));
        }
        _ => {}
    }
    let context = Context::load(store, &assembly.id, public_url)?;
    let notice = context.transfer(
        &from_voter,
        &body.unit,
        &deed_ref,
        false,
        Utc::now(),
        format!("transfer_pending:{}", uuid::Uuid::now_v7()),
    )?;
    let t = store
        .record_transfer(
            NewTransfer {
                assembly_id: assembly.id,
                unit_number: body.unit,
                from_voter,
                to_voter,
                deed_ref,
                recorded_by: staff.user.clone(),
                buyer_is_member: body.buyer_is_member,
            },
            &notice,
        )?
        .map_err(refused)?;
    Ok(t.into())
}

/// Confirms a pending transfer: a staff member of the estate other than the one who recorded
/// it, while voting is open and the seller has not voted (if they voted meanwhile, the unit's
/// vote stays with them and the confirmation is refused). The unit then votes with its new
/// owner; the seller is told in the same transaction (audited `electorate.transferred`).
pub fn confirm_transfer(
    store: &Store,
    staff: &StaffCaller,
    transfer_id: &str,
    public_url: &str,
) -> Result<TransferOut, UseCaseError> {
    let (transfer, estate) = store.transfer(transfer_id)?;
    staff.writes(&estate)?;
    if transfer.recorded_by == staff.user {
        return Err(UseCaseError::Rule(Msg::TransferSamePerson));
    }
    if !transfer.is_pending() {
        return Err(UseCaseError::Rule(Msg::TransferNotPending));
    }
    let context = Context::load(store, &transfer.assembly_id, public_url)?;
    let notice = context.transfer(
        &transfer.from_voter,
        &transfer.unit_number,
        &transfer.deed_ref,
        true,
        Utc::now(),
        format!("transfer_confirmed:{}", transfer.id),
    )?;
    let t = store
        .confirm_transfer(transfer_id, &staff.user, &notice)?
        .map_err(refused)?;
    Ok(t.into())
}

#[cfg(test)]
mod tests {
    use super::check_deed_ref;

    #[test]
    fn a_deed_reference_is_a_number() {
        for taken in [
            "沪(2026)浦字第012345号",
            "不动产权证书 L-2",
            "YS2026-001234",
            "  京（２０２６）朝阳区不动产权第0012345号 ",
        ] {
            assert_eq!(
                check_deed_ref(taken).ok().as_deref(),
                Some(taken.trim()),
                "{taken:?}"
            );
        }
        for refused in [
            "",
            "   ",
            "随便写",
            "无",
            "000000",
            "xxxxxxxx",
            "合同见附件",
            "12345",
            "1 1 1 1 1 1",
        ] {
            assert!(check_deed_ref(refused).is_err(), "{refused:?}");
        }
    }
}
