//! The candidate register of an election (issue 19). Each candidate an election lists has an
//! entry: the units that make them an owner, a statement, an optional photo (an image among the
//! item's documents), who nominated them, and their answers to the estate's eligibility
//! declarations. The committee's review of an entry (eligible, or rejected with a reason) is
//! recorded by a staff member other than the one who registered it; the table's CHECK says so
//! too. Entries change only while the assembly is a draft, and registering a name again replaces
//! its entry and clears its review. Every change is audited.

use diesel::prelude::*;
use serde::Serialize;

use crate::assemblies::{draft_only, load_item};
use crate::audit::{self, NewAuditEntry};
use crate::db::{new_id, now};
use crate::schema::{candidates, items};
use crate::{Store, StoreError};

/// The declarations asked of candidates until the estate sets its own (the migration's default
/// says the same).
pub const DEFAULT_DECLARATIONS: &str =
    r#"["本小区业主本人（非仅为物业使用人）","无拖欠物业服务费","无违法搭建"]"#;

/// The review a candidate's entry received.
pub const ELIGIBLE: &str = "eligible";
pub const REJECTED: &str = "rejected";

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = candidates)]
pub struct Candidate {
    pub id: String,
    pub item_id: String,
    pub name: String,
    /// JSON array of unit numbers.
    pub units: String,
    pub statement: String,
    pub photo_document: Option<String>,
    pub nominated_by: String,
    /// JSON object: declaration → answer.
    pub declarations: String,
    pub registered_by: String,
    pub registered_at: String,
    pub review: Option<String>,
    pub review_reason: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<String>,
}

/// A candidate's entry as the caller checked it.
#[derive(Debug, Clone)]
pub struct NewCandidate<'a> {
    pub item_id: &'a str,
    pub name: &'a str,
    pub units: &'a [String],
    pub statement: &'a str,
    pub photo_document: Option<&'a str>,
    pub nominated_by: &'a str,
    pub declarations: &'a serde_json::Map<String, serde_json::Value>,
}

impl Store {
    /// Registers a candidate of an election of a draft assembly, or replaces the entry of that
    /// name (its review is cleared: the committee reviews what is registered), audited.
    pub fn register_candidate(
        &self,
        new: NewCandidate<'_>,
        actor: &str,
    ) -> Result<Candidate, StoreError> {
        let item = self.item(new.item_id)?;
        let estate_id = self.assembly(&item.assembly_id)?.estate_id;
        let units = serde_json::to_string(new.units)
            .map_err(|e| StoreError::Invalid(format!("units: {e}")))?;
        let declarations = serde_json::to_string(new.declarations)
            .map_err(|e| StoreError::Invalid(format!("declarations: {e}")))?;
        let candidate = Candidate {
            id: new_id(),
            item_id: new.item_id.to_owned(),
            name: new.name.to_owned(),
            units,
            statement: new.statement.to_owned(),
            photo_document: new.photo_document.map(str::to_owned),
            nominated_by: new.nominated_by.to_owned(),
            declarations,
            registered_by: actor.to_owned(),
            registered_at: now(),
            review: None,
            review_reason: None,
            reviewed_by: None,
            reviewed_at: None,
        };
        self.write(|conn| {
            audit::lock_chain(conn, &estate_id)?;
            let item = load_item(conn, new.item_id)?;
            draft_only(conn, &item.assembly_id, "given candidates")?;
            let replaced: Option<String> = candidates::table
                .filter(candidates::item_id.eq(new.item_id))
                .filter(candidates::name.eq(new.name))
                .select(candidates::id)
                .first(conn)
                .optional()?;
            if let Some(old) = &replaced {
                diesel::delete(candidates::table.find(old)).execute(conn)?;
            }
            diesel::insert_into(candidates::table)
                .values(&candidate)
                .execute(conn)?;
            audit::append(
                conn,
                NewAuditEntry {
                    chain: estate_id.clone(),
                    actor: actor.to_owned(),
                    action: "candidate.registered".into(),
                    subject: candidate.id.clone(),
                    detail: serde_json::json!({
                        "item": candidate.item_id,
                        "name": candidate.name,
                        "units": new.units,
                        "statement_sha256": audit::sha256_hex(candidate.statement.as_bytes()),
                        "photo_document": candidate.photo_document,
                        "nominated_by": candidate.nominated_by,
                        "declarations": new.declarations,
                        "replaces": replaced,
                    }),
                },
            )?;
            Ok(())
        })?;
        Ok(candidate)
    }

    /// Records the committee's review of an entry while the assembly is a draft, audited. The
    /// registrant never reviews their own entry (`Conflict` naming the second person).
    pub fn review_candidate(
        &self,
        id: &str,
        eligible: bool,
        reason: Option<&str>,
        actor: &str,
    ) -> Result<Candidate, StoreError> {
        let candidate = self.candidate(id)?;
        let item = self.item(&candidate.item_id)?;
        let estate_id = self.assembly(&item.assembly_id)?.estate_id;
        let review = if eligible { ELIGIBLE } else { REJECTED };
        let at = now();
        self.write(|conn| {
            audit::lock_chain(conn, &estate_id)?;
            draft_only(conn, &item.assembly_id, "given candidates")?;
            // Read again inside the transaction: the entry may have been replaced meanwhile.
            let registered_by: String = candidates::table
                .find(id)
                .select(candidates::registered_by)
                .first(conn)
                .optional()?
                .ok_or_else(|| StoreError::NotFound(format!("candidate {id}")))?;
            if registered_by == actor {
                return Err(StoreError::Conflict(
                    "review by the registrant: a second staff member reviews a candidate".into(),
                ));
            }
            diesel::update(candidates::table.find(id))
                .set((
                    candidates::review.eq(review),
                    candidates::review_reason.eq(reason),
                    candidates::reviewed_by.eq(actor),
                    candidates::reviewed_at.eq(&at),
                ))
                .execute(conn)?;
            audit::append(
                conn,
                NewAuditEntry {
                    chain: estate_id.clone(),
                    actor: actor.to_owned(),
                    action: "candidate.reviewed".into(),
                    subject: id.to_owned(),
                    detail: serde_json::json!({
                        "item": candidate.item_id,
                        "name": candidate.name,
                        "review": review,
                        "reason": reason,
                    }),
                },
            )?;
            Ok(())
        })?;
        self.candidate(id)
    }

    pub fn candidate(&self, id: &str) -> Result<Candidate, StoreError> {
        let mut conn = self.conn()?;
        candidates::table
            .find(id)
            .select(Candidate::as_select())
            .first(&mut *conn)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("candidate {id}")))
    }

    /// An election's entries, by name.
    pub fn candidates(&self, item_id: &str) -> Result<Vec<Candidate>, StoreError> {
        let mut conn = self.conn()?;
        Ok(candidates::table
            .filter(candidates::item_id.eq(item_id))
            .order(candidates::name.asc())
            .select(Candidate::as_select())
            .load(&mut *conn)?)
    }

    /// The entries of every election of an assembly.
    pub fn assembly_candidates(&self, assembly_id: &str) -> Result<Vec<Candidate>, StoreError> {
        let mut conn = self.conn()?;
        Ok(candidates::table
            .inner_join(items::table)
            .filter(items::assembly_id.eq(assembly_id))
            .order((items::position.asc(), candidates::name.asc()))
            .select(Candidate::as_select())
            .load(&mut *conn)?)
    }
}
