//! Transfers of a unit's voting right while voting is open (rules.md §1: a running decision
//! keeps its frozen electorate). A unit sold during the vote stays with its frozen voter unless
//! a secretary records a transfer, with the deed reference, before the old owner voted.

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

impl Store {
    /// Moves `unit_number`'s voting right to `to_voter` in every open item of the assembly whose
    /// frozen electorate holds it. Refused if the old voter has already voted on such an item.
    pub fn transfer_voting_right(
        &self,
        assembly_id: &str,
        unit_number: &str,
        to_voter: &str,
        deed_ref: &str,
        recorded_by: &str,
    ) -> Result<VotingTransfer, StoreError> {
        if deed_ref.trim().is_empty() {
            return Err(StoreError::Invalid("a transfer needs the reference of the deed".into()));
        }
        let estate_id = self.assembly(assembly_id)?.estate_id;
        self.write(|conn| {
            audit::lock_chain(conn, &estate_id)?;
            let assembly = load_assembly(conn, assembly_id)?;
            if assembly.state != "open" {
                return Err(StoreError::Conflict(format!("assembly is {}: transfers are recorded only while voting is open", assembly.state)));
            }
            let open_items: Vec<String> = items::table
                .filter(items::assembly_id.eq(assembly_id))
                .filter(items::state.eq("open"))
                .select(items::id)
                .load(conn)?;
            let held: Vec<(String, String)> = electorate_units::table
                .filter(electorate_units::item_id.eq_any(&open_items))
                .filter(electorate_units::unit_number.eq(unit_number))
                .select((electorate_units::item_id, electorate_units::voter))
                .load(conn)?;
            let Some((_, from_voter)) = held.first().cloned() else {
                return Err(StoreError::NotFound(format!("unit {unit_number} in the electorate of this assembly")));
            };
            if from_voter == to_voter {
                return Err(StoreError::Invalid("the unit already votes with this voter".into()));
            }
            let affected: Vec<String> = held.iter().map(|(item, _)| item.clone()).collect();
            let voted: i64 = ballots::table
                .filter(ballots::item_id.eq_any(&affected))
                .filter(ballots::voter.eq(&from_voter))
                .count()
                .get_result(conn)?;
            if voted > 0 {
                return Err(StoreError::Conflict(format!("{from_voter} has already voted: the unit's vote stays with them")));
            }
            diesel::update(
                electorate_units::table
                    .filter(electorate_units::item_id.eq_any(&affected))
                    .filter(electorate_units::unit_number.eq(unit_number)),
            )
            .set(electorate_units::voter.eq(to_voter))
            .execute(conn)?;
            let transfer = VotingTransfer {
                id: new_id(),
                assembly_id: assembly_id.to_owned(),
                unit_number: unit_number.to_owned(),
                from_voter,
                to_voter: to_voter.to_owned(),
                deed_ref: deed_ref.trim().to_owned(),
                recorded_by: recorded_by.to_owned(),
                recorded_at: now(),
            };
            diesel::insert_into(voting_transfers::table).values(&transfer).execute(conn)?;
            audit::append(conn, NewAuditEntry {
                chain: estate_id.clone(),
                actor: recorded_by.to_owned(),
                action: "voting_right.transferred".into(),
                subject: transfer.id.clone(),
                detail: serde_json::json!({ "assembly": assembly_id, "unit": unit_number, "from": transfer.from_voter, "to": transfer.to_voter, "deed_ref": transfer.deed_ref, "items": affected }),
            })?;
            Ok(transfer)
        })
    }
}
