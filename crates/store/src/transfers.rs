//! A unit sold while voting is open keeps its frozen voter, unless the secretary records a
//! transfer of its voting right (with the deed's reference) before the old owner voted.
//! The one audited exception to a frozen electorate.

use diesel::prelude::*;
use serde::Serialize;

use crate::assemblies::load_assembly;
use crate::audit::{self, NewAuditEntry};
use crate::db::{new_id, now};
use crate::schema::{ballots, electorate_units, items, voting_transfers};
use crate::{Store, StoreError};

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
}

#[derive(Debug, Clone)]
pub struct NewTransfer {
    pub assembly_id: String,
    pub unit_number: String,
    pub from_voter: String,
    pub to_voter: String,
    pub deed_ref: String,
    pub recorded_by: String,
}

impl Store {
    /// Moves the unit's vote from `from_voter` to `to_voter` in every frozen electorate of the
    /// assembly that holds it. Refused if `from_voter` already voted on one of those items.
    pub fn record_transfer(&self, new: NewTransfer) -> Result<VotingTransfer, StoreError> {
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
        };
        self.write(|conn| {
            audit::lock_chain(conn, &estate_id)?;
            load_assembly(conn, &transfer.assembly_id)?;
            let affected: Vec<String> = electorate_units::table
                .inner_join(items::table.on(items::id.eq(electorate_units::item_id)))
                .filter(items::assembly_id.eq(&transfer.assembly_id))
                .filter(electorate_units::unit_number.eq(&transfer.unit_number))
                .filter(electorate_units::voter.eq(&transfer.from_voter))
                .select(electorate_units::item_id)
                .load(conn)?;
            if affected.is_empty() {
                return Err(StoreError::NotFound(format!(
                    "unit {} of voter {} in a frozen electorate of this assembly",
                    transfer.unit_number, transfer.from_voter
                )));
            }
            let voted: i64 = ballots::table
                .filter(ballots::item_id.eq_any(&affected))
                .filter(ballots::voter.eq(&transfer.from_voter))
                .count()
                .get_result(conn)?;
            if voted > 0 {
                return Err(StoreError::Conflict(format!("{} has already voted: the unit's vote stays with them", transfer.from_voter)));
            }
            diesel::update(
                electorate_units::table
                    .filter(electorate_units::item_id.eq_any(&affected))
                    .filter(electorate_units::unit_number.eq(&transfer.unit_number)),
            )
            .set(electorate_units::voter.eq(&transfer.to_voter))
            .execute(conn)?;
            diesel::insert_into(voting_transfers::table).values(&transfer).execute(conn)?;
            audit::append(conn, NewAuditEntry {
                chain: estate_id.clone(),
                actor: transfer.recorded_by.clone(),
                action: "electorate.transferred".into(),
                subject: transfer.id.clone(),
                detail: serde_json::json!({
                    "unit": transfer.unit_number, "from": transfer.from_voter, "to": transfer.to_voter,
                    "deed_ref": transfer.deed_ref, "items": affected,
                }),
            })?;
            Ok(())
        })?;
        Ok(transfer)
    }
}
