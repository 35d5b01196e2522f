//! Owners' voting codes: only a hash is stored (the API hashes; a deterministic keyed hash so
//! a code can be looked up). Issuing a code for a member revokes their previous one.

use diesel::prelude::*;
use serde::Serialize;

use crate::assemblies::load_assembly;
use std::collections::HashSet;

use crate::audit::{ChainHeads, NewAuditEntry};
use crate::db::{AnyConnection, INSERT_CHUNK, insert_rows, new_id, now};
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
    pub fn issue_voting_code(
        &self,
        assembly_id: &str,
        voter: &str,
        code_hash: &str,
        issued_by: Option<&str>,
    ) -> Result<VotingCode, StoreError> {
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
        let issue = CodeIssue {
            voter: voter.to_owned(),
            code_hash: code_hash.to_owned(),
            invitation: invitation.cloned(),
        };
        let mut issued =
            self.issue_voting_codes(assembly_id, std::slice::from_ref(&issue), issued_by)?;
        issued
            .pop()
            .ok_or_else(|| StoreError::Invalid("no code given".into()))
    }

    /// Issues the codes of several members, each with its invitation, in ONE transaction: on
    /// any failure no code is issued (or revoked) and no invitation is queued, so a run that
    /// fails half-way leaves nothing to explain to the owners.
    pub fn issue_voting_codes(
        &self,
        assembly_id: &str,
        issues: &[CodeIssue],
        issued_by: Option<&str>,
    ) -> Result<Vec<VotingCode>, StoreError> {
        self.issue_voting_codes_inviting(assembly_id, issues, issued_by, |_, issue| {
            Ok(issue.invitation.clone())
        })
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
            let mut chains = ChainHeads::lock(conn, &[estate_id.as_str()])?;
            load_assembly(conn, assembly_id)?;
            let mut issued = Vec::with_capacity(issues.len());
            // A chunk is stored with a few statements; it ends early where a member comes twice,
            // so that their second code revokes the first one as it would one by one.
            let mut chunk = Chunk::default();
            let mut in_chunk: HashSet<&str> = HashSet::new();
            for (index, issue) in issues.iter().enumerate() {
                if chunk.codes.len() >= INSERT_CHUNK || in_chunk.contains(issue.voter.as_str()) {
                    store_codes(
                        conn,
                        &mut chains,
                        &estate_id,
                        assembly_id,
                        issued_by,
                        &at,
                        &mut chunk,
                        &mut issued,
                    )?;
                    in_chunk.clear();
                }
                let invitation = invite(index, issue)?;
                in_chunk.insert(issue.voter.as_str());
                chunk.invitations.push(invitation);
                chunk.codes.push(VotingCode {
                    id: new_id(),
                    assembly_id: assembly_id.to_owned(),
                    voter: issue.voter.clone(),
                    code_hash: issue.code_hash.clone(),
                    issued_at: at.clone(),
                    issued_by: issued_by.map(str::to_owned),
                    revoked_at: None,
                });
            }
            store_codes(
                conn,
                &mut chains,
                &estate_id,
                assembly_id,
                issued_by,
                &at,
                &mut chunk,
                &mut issued,
            )?;
            chains.store(conn)?;
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

/// Codes not stored yet, each with its invitation (same index).
#[derive(Default)]
struct Chunk {
    codes: Vec<VotingCode>,
    invitations: Vec<Option<NewEmail>>,
}

/// Stores a chunk of new codes (members all different): revokes their active codes with one
/// UPDATE, inserts the codes, chains one audit entry per code and queues the invitations, with
/// a few multi-row statements instead of ~10 round trips per code. Empties `chunk` into `issued`.
#[allow(clippy::too_many_arguments)]
fn store_codes(
    conn: &mut AnyConnection,
    chains: &mut ChainHeads,
    estate_id: &str,
    assembly_id: &str,
    issued_by: Option<&str>,
    at: &str,
    chunk: &mut Chunk,
    issued: &mut Vec<VotingCode>,
) -> Result<(), StoreError> {
    if chunk.codes.is_empty() {
        return Ok(());
    }
    let voters: Vec<&str> = chunk.codes.iter().map(|code| code.voter.as_str()).collect();
    let active = || {
        voting_codes::table
            .filter(voting_codes::assembly_id.eq(assembly_id))
            .filter(voting_codes::voter.eq_any(voters.clone()))
            .filter(voting_codes::revoked_at.is_null())
    };
    let revoked: HashSet<String> = active()
        .select(voting_codes::voter)
        .load::<String>(conn)?
        .into_iter()
        .collect();
    if !revoked.is_empty() {
        diesel::update(active())
            .set(voting_codes::revoked_at.eq(at))
            .execute(conn)?;
    }
    insert_rows(conn, &chunk.codes, |conn, rows| match conn {
        AnyConnection::Pg(c) => diesel::insert_into(voting_codes::table)
            .values(rows)
            .execute(c),
        AnyConnection::Sqlite(c) => diesel::insert_into(voting_codes::table)
            .values(rows)
            .execute(c),
    })?;
    for (code, invitation) in chunk.codes.iter().zip(&chunk.invitations) {
        chains.chain(NewAuditEntry {
            chain: estate_id.to_owned(),
            actor: issued_by.unwrap_or("system").to_owned(),
            action: "code.issued".into(),
            subject: code.id.clone(),
            detail: serde_json::json!({ "assembly": assembly_id, "voter": code.voter, "revoked_previous": revoked.contains(&code.voter), "invited": invitation.is_some() }),
        })?;
    }
    chains.flush(conn)?;
    let invitations: Vec<&NewEmail> = chunk.invitations.iter().flatten().collect();
    outbox::enqueue_many(conn, &invitations)?;
    issued.append(&mut chunk.codes);
    chunk.invitations.clear();
    Ok(())
}
