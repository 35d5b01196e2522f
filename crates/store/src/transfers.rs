//! A unit sold while voting is open keeps its frozen voter, unless its voting right is
//! transferred (with the deed's reference) before the old owner voted. The one audited
//! exception to a frozen electorate, and never one person's act alone: a staff member records
//! the transfer, which stays *pending* (nothing changes, the seller may still vote); a second
//! staff member confirms it, and only then does the unit vote with its new owner. The seller is
//! told at both steps, in the same transaction as the step.

use diesel::prelude::*;
use serde::Serialize;

use crate::assemblies::load_assembly;
use crate::audit::{self, NewAuditEntry};
use crate::db::{AnyConnection, new_id, now};
use crate::outbox::{self, NewEmail};
use crate::schema::{assemblies, ballots, electorate_units, items, voting_transfers};
use crate::{Store, StoreError};

/// Recorded, waiting for a second person's confirmation: the electorate is unchanged.
pub const PENDING: &str = "pending";
/// Confirmed by a second person: the unit votes with its new owner.
pub const CONFIRMED: &str = "confirmed";

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = voting_transfers)]
pub struct VotingTransfer {
    pub id: String,
    pub assembly_id: String,
    pub unit_number: String,
    pub from_voter: String,
    pub to_voter: String,
    pub deed_ref: String,
    pub recorded_by: String,
    pub recorded_at: String,
    /// [`PENDING`] or [`CONFIRMED`].
    pub state: String,
    pub confirmed_by: Option<String>,
    pub confirmed_at: Option<String>,
    /// The new owner was already a member of the assembly, as the request said explicitly.
    pub buyer_is_member: bool,
}

impl VotingTransfer {
    pub fn is_pending(&self) -> bool {
        self.state == PENDING
    }
}

#[derive(Debug, Clone)]
pub struct NewTransfer {
    pub assembly_id: String,
    pub unit_number: String,
    pub from_voter: String,
    pub to_voter: String,
    pub deed_ref: String,
    pub recorded_by: String,
    pub buyer_is_member: bool,
}

/// Why a transfer cannot be recorded or confirmed now (the rules; the store checks them in
/// the transaction that writes, so two staff members racing cannot both pass).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TransferRefusal {
    /// The seller already voted on an item that holds the unit: its vote stays with them.
    SellerVoted,
    /// Confirmed already.
    NotPending,
    /// The unit no longer votes with the transfer's seller (another transfer moved it).
    UnitMoved,
    /// The person who recorded the transfer may not confirm it.
    SamePerson,
    /// Voting is not open (any more).
    NotOpen,
}

/// The items of the assembly whose frozen electorate holds `unit` with `voter`.
fn affected_items(
    conn: &mut AnyConnection,
    assembly_id: &str,
    unit: &str,
    voter: &str,
) -> Result<Vec<String>, StoreError> {
    Ok(electorate_units::table
        .inner_join(items::table.on(items::id.eq(electorate_units::item_id)))
        .filter(items::assembly_id.eq(assembly_id))
        .filter(electorate_units::unit_number.eq(unit))
        .filter(electorate_units::voter.eq(voter))
        .select(electorate_units::item_id)
        .load(conn)?)
}

/// Whether `voter` has a current ballot (any channel, a proxy's included) on one of `items`.
fn voted_on(conn: &mut AnyConnection, items: &[String], voter: &str) -> Result<bool, StoreError> {
    let voted: i64 = ballots::table
        .filter(ballots::item_id.eq_any(items))
        .filter(ballots::voter.eq(voter))
        .count()
        .get_result(conn)?;
    Ok(voted > 0)
}

impl Store {
    /// Records a *pending* transfer of the unit's vote from `from_voter` to `to_voter`: nothing
    /// of the electorate changes until a second person confirms it
    /// ([`Store::confirm_transfer`]). Refused if the seller already voted on an item holding
    /// the unit. Audited (`transfer.recorded`); `notice` (to the seller) is queued in the same
    /// transaction.
    pub fn record_transfer(
        &self,
        new: NewTransfer,
        notices: &[NewEmail],
    ) -> Result<Result<VotingTransfer, TransferRefusal>, StoreError> {
        // A frozen electorate never holds an empty voter: the tally refuses one, so every count
        // of the assembly would fail from then on.
        if new.to_voter.trim().is_empty() {
            return Err(StoreError::Invalid(
                "a transfer needs the new owner's id".into(),
            ));
        }
        let estate_id = self.assembly(&new.assembly_id)?.estate_id;
        let transfer = VotingTransfer {
            id: new_id(),
            assembly_id: new.assembly_id,
            unit_number: new.unit_number,
            from_voter: new.from_voter,
            to_voter: new.to_voter,
            deed_ref: new.deed_ref,
            recorded_by: new.recorded_by,
            recorded_at: now(),
            state: PENDING.into(),
            confirmed_by: None,
            confirmed_at: None,
            buyer_is_member: new.buyer_is_member,
        };
        self.write(|conn| {
            audit::lock_chain(conn, &estate_id)?;
            if load_assembly(conn, &transfer.assembly_id)?.state != "open" {
                return Ok(Err(TransferRefusal::NotOpen));
            }
            let affected = affected_items(
                conn,
                &transfer.assembly_id,
                &transfer.unit_number,
                &transfer.from_voter,
            )?;
            if affected.is_empty() {
                return Err(StoreError::NotFound(format!(
                    "unit {} of voter {} in a frozen electorate of this assembly",
                    transfer.unit_number, transfer.from_voter
                )));
            }
            if voted_on(conn, &affected, &transfer.from_voter)? {
                return Ok(Err(TransferRefusal::SellerVoted));
            }
            diesel::insert_into(voting_transfers::table)
                .values(&transfer)
                .execute(conn)?;
            audit::append(
                conn,
                NewAuditEntry {
                    chain: estate_id.clone(),
                    actor: transfer.recorded_by.clone(),
                    action: "transfer.recorded".into(),
                    subject: transfer.id.clone(),
                    detail: serde_json::json!({
                        "unit": transfer.unit_number, "from": transfer.from_voter,
                        "to": transfer.to_voter, "deed_ref": transfer.deed_ref,
                        "buyer_is_member": transfer.buyer_is_member, "items": affected,
                        "seller_notified": !notices.is_empty(),
                    }),
                },
            )?;
            for notice in notices {
                outbox::enqueue(conn, notice)?;
            }
            Ok(Ok(transfer.clone()))
        })
    }

    /// A transfer with the id of its estate.
    pub fn transfer(&self, id: &str) -> Result<(VotingTransfer, String), StoreError> {
        self.read(|conn| {
            let transfer: VotingTransfer = voting_transfers::table
                .find(id)
                .select(VotingTransfer::as_select())
                .first(conn)
                .optional()?
                .ok_or_else(|| StoreError::NotFound(format!("transfer {id}")))?;
            let estate: String = assemblies::table
                .find(&transfer.assembly_id)
                .select(assemblies::estate_id)
                .first(conn)?;
            Ok((transfer, estate))
        })
    }

    /// Confirms a pending transfer by `confirmed_by`, who must not be who recorded it: the unit
    /// now votes with the new owner in every frozen electorate of the assembly that holds it.
    /// Refused if the seller voted meanwhile (the unit's vote then stays with them), if the
    /// unit no longer votes with the seller, or once voting is not open. Audited
    /// (`electorate.transferred`, naming both staff members); `notice` (to the seller) is
    /// queued in the same transaction.
    pub fn confirm_transfer(
        &self,
        id: &str,
        confirmed_by: &str,
        notices: &[NewEmail],
    ) -> Result<Result<VotingTransfer, TransferRefusal>, StoreError> {
        let (_, estate_id) = self.transfer(id)?;
        self.write(|conn| {
            audit::lock_chain(conn, &estate_id)?;
            let mut transfer: VotingTransfer = voting_transfers::table
                .find(id)
                .select(VotingTransfer::as_select())
                .first(conn)?;
            if !transfer.is_pending() {
                return Ok(Err(TransferRefusal::NotPending));
            }
            if transfer.recorded_by == confirmed_by {
                return Ok(Err(TransferRefusal::SamePerson));
            }
            if load_assembly(conn, &transfer.assembly_id)?.state != "open" {
                return Ok(Err(TransferRefusal::NotOpen));
            }
            let affected = affected_items(
                conn,
                &transfer.assembly_id,
                &transfer.unit_number,
                &transfer.from_voter,
            )?;
            if affected.is_empty() {
                return Ok(Err(TransferRefusal::UnitMoved));
            }
            if voted_on(conn, &affected, &transfer.from_voter)? {
                return Ok(Err(TransferRefusal::SellerVoted));
            }
            diesel::update(
                electorate_units::table
                    .filter(electorate_units::item_id.eq_any(&affected))
                    .filter(electorate_units::unit_number.eq(&transfer.unit_number)),
            )
            .set(electorate_units::voter.eq(&transfer.to_voter))
            .execute(conn)?;
            let at = now();
            diesel::update(voting_transfers::table.find(id))
                .set((
                    voting_transfers::state.eq(CONFIRMED),
                    voting_transfers::confirmed_by.eq(confirmed_by),
                    voting_transfers::confirmed_at.eq(&at),
                ))
                .execute(conn)?;
            transfer.state = CONFIRMED.into();
            transfer.confirmed_by = Some(confirmed_by.to_owned());
            transfer.confirmed_at = Some(at);
            audit::append(
                conn,
                NewAuditEntry {
                    chain: estate_id.clone(),
                    actor: confirmed_by.to_owned(),
                    action: "electorate.transferred".into(),
                    subject: transfer.id.clone(),
                    detail: serde_json::json!({
                        "unit": transfer.unit_number, "from": transfer.from_voter,
                        "to": transfer.to_voter, "deed_ref": transfer.deed_ref,
                        "recorded_by": transfer.recorded_by,
                        "buyer_is_member": transfer.buyer_is_member, "items": affected,
                        "seller_notified": !notices.is_empty(),
                    }),
                },
            )?;
            for notice in notices {
                outbox::enqueue(conn, notice)?;
            }
            Ok(Ok(transfer))
        })
    }
}
