//! Re-issuing a member's voting code, as a paper ballot is entered: one staff member asks
//! (`request_code_reissue`), which changes nothing; a different one confirms
//! (`confirm_code_reissue`), and only then is the old code revoked and a new one issued, with
//! its invitation queued in the same transaction. A `CHECK` refuses a confirmation by the
//! person who asked even for a hand-written `UPDATE`; a partial unique index keeps at most one
//! request per member pending.

use diesel::prelude::*;
use serde::Serialize;

use crate::assemblies::load_assembly;
use crate::audit::{ChainHeads, NewAuditEntry};
use crate::codes::{Chunk, CodeIssue, VotingCode, new_code, store_codes};
use crate::db::{new_id, now};
use crate::outbox::NewEmail;
use crate::schema::{code_reissues, outbox, voting_codes};
use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = code_reissues)]
pub struct CodeReissue {
    pub id: String,
    pub assembly_id: String,
    pub voter: String,
    pub reason: String,
    pub requested_by: String,
    pub requested_at: String,
    pub confirmed_by: Option<String>,
    pub confirmed_at: Option<String>,
    /// The code issued by the confirmation.
    pub code_id: Option<String>,
}

impl CodeReissue {
    pub fn pending(&self) -> bool {
        self.confirmed_at.is_none()
    }
}

fn load(conn: &mut crate::db::AnyConnection, id: &str) -> Result<CodeReissue, StoreError> {
    code_reissues::table
        .find(id)
        .select(CodeReissue::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("code re-issue {id}")))
}

impl Store {
    /// Records a request to re-issue `voter`'s code (they must have had one for the assembly).
    /// Nothing else changes: their code keeps working until another staff member confirms.
    pub fn request_code_reissue(
        &self,
        assembly_id: &str,
        voter: &str,
        reason: &str,
        requested_by: &str,
    ) -> Result<CodeReissue, StoreError> {
        let estate_id = self.assembly(assembly_id)?.estate_id;
        let reissue = CodeReissue {
            id: new_id(),
            assembly_id: assembly_id.to_owned(),
            voter: voter.to_owned(),
            reason: reason.to_owned(),
            requested_by: requested_by.to_owned(),
            requested_at: now(),
            confirmed_by: None,
            confirmed_at: None,
            code_id: None,
        };
        self.write(|conn| {
            let mut chains = ChainHeads::lock(conn, &[estate_id.as_str()])?;
            load_assembly(conn, assembly_id)?;
            let had: i64 = voting_codes::table
                .filter(voting_codes::assembly_id.eq(assembly_id))
                .filter(voting_codes::voter.eq(voter))
                .count()
                .get_result(conn)?;
            if had == 0 {
                return Err(StoreError::Invalid(format!(
                    "{voter} has no code for this assembly yet: issue one, nothing to re-issue"
                )));
            }
            let pending: i64 = code_reissues::table
                .filter(code_reissues::assembly_id.eq(assembly_id))
                .filter(code_reissues::voter.eq(voter))
                .filter(code_reissues::confirmed_at.is_null())
                .count()
                .get_result(conn)?;
            if pending > 0 {
                return Err(StoreError::Conflict(format!(
                    "a re-issue of {voter}'s code is already waiting for confirmation"
                )));
            }
            diesel::insert_into(code_reissues::table)
                .values(&reissue)
                .execute(conn)?;
            chains.chain(NewAuditEntry {
                chain: estate_id.clone(),
                actor: requested_by.to_owned(),
                action: "code.reissue_requested".into(),
                subject: reissue.id.clone(),
                detail: serde_json::json!({ "assembly": assembly_id, "voter": voter, "reason": reason }),
            })?;
            chains.store(conn)?;
            Ok(())
        })?;
        Ok(reissue)
    }

    /// A re-issue request and the estate it belongs to.
    pub fn code_reissue(&self, id: &str) -> Result<(CodeReissue, String), StoreError> {
        let mut conn = self.conn()?;
        let reissue = load(&mut conn, id)?;
        drop(conn);
        let estate = self.assembly(&reissue.assembly_id)?.estate_id;
        Ok((reissue, estate))
    }

    /// The assembly's re-issues waiting for confirmation, oldest first.
    pub fn pending_code_reissues(&self, assembly_id: &str) -> Result<Vec<CodeReissue>, StoreError> {
        let mut conn = self.conn()?;
        Ok(code_reissues::table
            .filter(code_reissues::assembly_id.eq(assembly_id))
            .filter(code_reissues::confirmed_at.is_null())
            .order((code_reissues::requested_at.asc(), code_reissues::id.asc()))
            .select(CodeReissue::as_select())
            .load(&mut *conn)?)
    }

    /// Every re-issue of the member's code in the assembly (pending and confirmed), oldest first.
    pub fn member_code_reissues(
        &self,
        assembly_id: &str,
        voter: &str,
    ) -> Result<Vec<CodeReissue>, StoreError> {
        let mut conn = self.conn()?;
        Ok(code_reissues::table
            .filter(code_reissues::assembly_id.eq(assembly_id))
            .filter(code_reissues::voter.eq(voter))
            .order((code_reissues::requested_at.asc(), code_reissues::id.asc()))
            .select(CodeReissue::as_select())
            .load(&mut *conn)?)
    }

    /// The status of the newest invitation queued for `voter` in the assembly (`pending`,
    /// `sent`, `failed`), if any: a re-issue after a given-up invitation goes on paper.
    pub fn latest_invitation_status(
        &self,
        assembly_id: &str,
        voter: &str,
    ) -> Result<Option<String>, StoreError> {
        let mut conn = self.conn()?;
        Ok(outbox::table
            .filter(outbox::assembly_id.eq(assembly_id))
            .filter(outbox::voter.eq(voter))
            .filter(outbox::kind.eq("invitation"))
            .filter(outbox::channel.eq(crate::outbox::EMAIL))
            .order((outbox::created_at.desc(), outbox::id.desc()))
            .select(outbox::status)
            .first::<String>(&mut *conn)
            .optional()?)
    }

    /// Confirms a pending re-issue as `confirmed_by` (never the person who asked): revokes the
    /// member's active code (and so every session opened with it), issues the new one (hash
    /// `code_hash`), queues its invitation if the member has an address (`invitation`), and
    /// records `code.reissue_confirmed` with `code.issued` (and `code.printed` for a code shown
    /// to the confirming staff member), all in one transaction. A request confirmed meanwhile
    /// by someone else is `Conflict`.
    pub fn confirm_code_reissue(
        &self,
        id: &str,
        confirmed_by: &str,
        code_hash: &str,
        invitation: Vec<NewEmail>,
    ) -> Result<(CodeReissue, VotingCode), StoreError> {
        let (reissue, estate_id) = self.code_reissue(id)?;
        let at = now();
        self.write(|conn| {
            let mut chains = ChainHeads::lock(conn, &[estate_id.as_str()])?;
            load_assembly(conn, &reissue.assembly_id)?;
            let current = load(conn, id)?;
            if !current.pending() {
                return Err(StoreError::Conflict(
                    "this re-issue is confirmed already".into(),
                ));
            }
            if current.requested_by == confirmed_by {
                return Err(StoreError::Conflict(
                    "the person who asked for a re-issue cannot confirm it".into(),
                ));
            }
            let issue = CodeIssue {
                voter: current.voter.clone(),
                code_hash: code_hash.to_owned(),
                invitation: None,
            };
            let emailed = crate::codes::carries_code(&invitation);
            let mut chunk = Chunk::default();
            chunk.codes.push(new_code(
                &current.assembly_id,
                &issue,
                Some(confirmed_by),
                &at,
                emailed,
            ));
            chunk.invitations.push(invitation);
            let mut issued = Vec::with_capacity(1);
            store_codes(
                conn,
                &mut chains,
                &estate_id,
                &current.assembly_id,
                Some(confirmed_by),
                &at,
                &mut chunk,
                &mut issued,
            )?;
            let code = issued
                .pop()
                .ok_or_else(|| StoreError::Invalid("no code was issued".into()))?;
            let updated = diesel::update(
                code_reissues::table
                    .find(id)
                    .filter(code_reissues::confirmed_at.is_null()),
            )
            .set((
                code_reissues::confirmed_by.eq(confirmed_by),
                code_reissues::confirmed_at.eq(&at),
                code_reissues::code_id.eq(&code.id),
            ))
            .execute(conn)?;
            if updated != 1 {
                return Err(StoreError::Conflict(
                    "this re-issue is confirmed already".into(),
                ));
            }
            chains.chain(NewAuditEntry {
                chain: estate_id.clone(),
                actor: confirmed_by.to_owned(),
                action: "code.reissue_confirmed".into(),
                subject: id.to_owned(),
                detail: serde_json::json!({
                    "assembly": current.assembly_id, "voter": current.voter,
                    "requested_by": current.requested_by, "code": code.id, "invited": emailed,
                }),
            })?;
            chains.store(conn)?;
            let confirmed = CodeReissue {
                confirmed_by: Some(confirmed_by.to_owned()),
                confirmed_at: Some(at.clone()),
                code_id: Some(code.id.clone()),
                ..current
            };
            Ok((confirmed, code))
        })
    }
}
