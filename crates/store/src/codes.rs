//! Owners' voting codes: only a hash is stored (the API hashes; a deterministic keyed hash so
//! a code can be looked up). Issuing a code for a member revokes their previous one.

use diesel::prelude::*;
use serde::Serialize;

use crate::assemblies::load_assembly;
use crate::audit::{self, NewAuditEntry};
use crate::db::{new_id, now};
use crate::outbox::{self, NewEmail};
use crate::schema::voting_codes;
use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = voting_codes)]
pub struct VotingCode {
    pub id: String,
    pub assembly_id: String,
    pub voter: String,
    #[serde(skip)]
    pub code_hash: String,
    pub issued_at: String,
    pub issued_by: Option<String>,
    pub revoked_at: Option<String>,
}

/// One member's new code (its keyed hash) and the invitation that carries it, if they have an
/// e-mail address.
#[derive(Debug, Clone)]
pub struct CodeIssue {
    pub voter: String,
    pub code_hash: String,
    pub invitation: Option<NewEmail>,
}

impl Store {
    pub fn issue_voting_code(&self, assembly_id: &str, voter: &str, code_hash: &str, issued_by: Option<&str>) -> Result<VotingCode, StoreError> {
        self.issue_voting_code_with_notice(assembly_id, voter, code_hash, issued_by, None)
    }

    /// [`Store::issue_voting_code`], queuing the owner's invitation (which carries the code,
    /// shown nowhere else) in the same transaction.
    pub fn issue_voting_code_with_notice(
        &self,
        assembly_id: &str,
        voter: &str,
        code_hash: &str,
        issued_by: Option<&str>,
        invitation: Option<&NewEmail>,
    ) -> Result<VotingCode, StoreError> {
        let issue = CodeIssue { voter: voter.to_owned(), code_hash: code_hash.to_owned(), invitation: invitation.cloned() };
        let mut issued = self.issue_voting_codes(assembly_id, std::slice::from_ref(&issue), issued_by)?;
        issued.pop().ok_or_else(|| StoreError::Invalid("no code given".into()))
    }

    /// Issues the codes of several members, each with its invitation, in ONE transaction: on
    /// any failure no code is issued (or revoked) and no invitation is queued, so a run that
    /// fails half-way leaves nothing to explain to the owners.
    pub fn issue_voting_codes(&self, assembly_id: &str, issues: &[CodeIssue], issued_by: Option<&str>) -> Result<Vec<VotingCode>, StoreError> {
        self.issue_voting_codes_inviting(assembly_id, issues, issued_by, |_, issue| Ok(issue.invitation.clone()))
    }

    /// [`Store::issue_voting_codes`] with each invitation made by `invite(index, issue)` when
    /// its code is stored, and queued at once: a mega-estate's 60,000 rendered invitations are
    /// never all held in memory together (they were most of the server's peak at setup).
    pub fn issue_voting_codes_inviting(
        &self,
        assembly_id: &str,
        issues: &[CodeIssue],
        issued_by: Option<&str>,
        mut invite: impl FnMut(usize, &CodeIssue) -> Result<Option<NewEmail>, StoreError>,
    ) -> Result<Vec<VotingCode>, StoreError> {
        let estate_id = self.assembly(assembly_id)?.estate_id;
        let at = now();
        self.write(|conn| {
            audit::lock_chain(conn, &estate_id)?;
            load_assembly(conn, assembly_id)?;
            let mut issued = Vec::with_capacity(issues.len());
            for (index, issue) in issues.iter().enumerate() {
                let invitation = invite(index, issue)?;
                let code = VotingCode {
                    id: new_id(),
                    assembly_id: assembly_id.to_owned(),
                    voter: issue.voter.clone(),
                    code_hash: issue.code_hash.clone(),
                    issued_at: at.clone(),
                    issued_by: issued_by.map(str::to_owned),
                    revoked_at: None,
                };
                let revoked = diesel::update(
                    voting_codes::table
                        .filter(voting_codes::assembly_id.eq(assembly_id))
                        .filter(voting_codes::voter.eq(&issue.voter))
                        .filter(voting_codes::revoked_at.is_null()),
                )
                .set(voting_codes::revoked_at.eq(&at))
                .execute(conn)?;
                diesel::insert_into(voting_codes::table).values(&code).execute(conn)?;
                audit::append(conn, NewAuditEntry {
                    chain: estate_id.clone(),
                    actor: issued_by.unwrap_or("system").to_owned(),
                    action: "code.issued".into(),
                    subject: code.id.clone(),
                    detail: serde_json::json!({ "assembly": assembly_id, "voter": issue.voter, "revoked_previous": revoked > 0, "invited": invitation.is_some() }),
                })?;
                if let Some(invitation) = &invitation {
                    outbox::enqueue(conn, invitation)?;
                }
                issued.push(code);
            }
            Ok(issued)
        })
    }

    /// The active (not revoked) code with this hash, if any.
    pub fn active_voting_code(&self, code_hash: &str) -> Result<Option<VotingCode>, StoreError> {
        let mut conn = self.conn()?;
        Ok(voting_codes::table
            .filter(voting_codes::code_hash.eq(code_hash))
            .filter(voting_codes::revoked_at.is_null())
            .select(VotingCode::as_select())
            .first(&mut *conn)
            .optional()?)
    }
}
