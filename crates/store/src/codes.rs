//! Owners' voting codes: only a hash is stored (the API hashes; a deterministic keyed hash so
//! a code can be looked up). Issuing a code for a member revokes their previous one.
//!
//! Each code records how it reached its owner (`delivery`): `email` (only in the invitation,
//! never shown to staff) or `paper` (shown once to the staff member who issued it, to print the
//! owner's sheet: audited `code.printed`). A member who had a code gets another only through a
//! re-issue confirmed by a second staff member (`reissues.rs`); [`Store::issue_first_codes`]
//! refuses anyone who had one.

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
    /// `email` or `paper` (see the module); `None` for codes issued before it was recorded.
    pub delivery: Option<String>,
}

/// How a code reached its owner.
pub const DELIVERY_EMAIL: &str = "email";
pub const DELIVERY_PAPER: &str = "paper";

/// One member's new code (its keyed hash) and the invitation that carries it, if they have an
/// e-mail address.
#[derive(Debug, Clone)]
pub struct CodeIssue {
    pub voter: String,
    pub code_hash: String,
    /// Boxed: most issues carry none, and a run of 96,000 would otherwise hold 240 bytes of
    /// empty e-mail each.
    pub invitation: Option<Box<NewEmail>>,
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
            invitation: invitation.cloned().map(Box::new),
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
            Ok(issue.invitation.iter().map(|m| (**m).clone()).collect())
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
        invite: impl FnMut(usize, &CodeIssue) -> Result<Vec<NewEmail>, StoreError>,
    ) -> Result<Vec<VotingCode>, StoreError> {
        let mut kept = Vec::new();
        self.store_issues(assembly_id, issues, issued_by, false, invite, |codes| {
            kept.append(codes);
        })?;
        Ok(kept)
    }

    /// [`Store::issue_voting_codes_inviting`] for members who never had a code for the
    /// assembly: if one of them had one (a re-issue, which needs a second person's
    /// confirmation), nothing is issued and the answer is `Conflict`. Checked inside the
    /// transaction, under the estate's lock, so two concurrent runs cannot replace each other's
    /// codes. Returns how many codes were stored.
    pub fn issue_first_codes(
        &self,
        assembly_id: &str,
        issues: &[CodeIssue],
        issued_by: Option<&str>,
        invite: impl FnMut(usize, &CodeIssue) -> Result<Vec<NewEmail>, StoreError>,
    ) -> Result<usize, StoreError> {
        // How many, not the codes: a mega-estate's 96,000 stored rows are not kept (issue 22).
        let mut stored = 0;
        self.store_issues(assembly_id, issues, issued_by, true, invite, |codes| {
            stored += codes.len();
            codes.clear();
        })?;
        Ok(stored)
    }

    fn store_issues(
        &self,
        assembly_id: &str,
        issues: &[CodeIssue],
        issued_by: Option<&str>,
        first_only: bool,
        mut invite: impl FnMut(usize, &CodeIssue) -> Result<Vec<NewEmail>, StoreError>,
        mut stored: impl FnMut(&mut Vec<VotingCode>),
    ) -> Result<(), StoreError> {
        let estate_id = self.assembly(assembly_id)?.estate_id;
        let at = now();
        self.write(|conn| {
            let mut chains = ChainHeads::lock(conn, &[estate_id.as_str()])?;
            load_assembly(conn, assembly_id)?;
            let mut issued = Vec::new();
            // A chunk is stored with a few statements; it ends early where a member comes twice,
            // so that their second code revokes the first one as it would one by one.
            let mut chunk = Chunk::default();
            let mut in_chunk: HashSet<&str> = HashSet::new();
            for (index, issue) in issues.iter().enumerate() {
                if chunk.codes.len() >= INSERT_CHUNK || in_chunk.contains(issue.voter.as_str()) {
                    if first_only {
                        refuse_earlier_codes(conn, assembly_id, &chunk)?;
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
                    stored(&mut issued);
                    in_chunk.clear();
                }
                let invitation = invite(index, issue)?;
                in_chunk.insert(issue.voter.as_str());
                chunk.codes.push(new_code(
                    assembly_id,
                    issue,
                    issued_by,
                    &at,
                    carries_code(&invitation),
                ));
                chunk.invitations.push(invitation);
            }
            if first_only {
                refuse_earlier_codes(conn, assembly_id, &chunk)?;
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
            stored(&mut issued);
            chains.store(conn)?;
            Ok(())
        })
    }

    /// Every code the member was given for the assembly, revoked ones too, oldest first.
    pub fn member_codes(
        &self,
        assembly_id: &str,
        voter: &str,
    ) -> Result<Vec<VotingCode>, StoreError> {
        let mut conn = self.conn()?;
        Ok(voting_codes::table
            .filter(voting_codes::assembly_id.eq(assembly_id))
            .filter(voting_codes::voter.eq(voter))
            .order((voting_codes::issued_at.asc(), voting_codes::id.asc()))
            .select(VotingCode::as_select())
            .load(&mut *conn)?)
    }

    /// The members who were ever given a code for the assembly (a new code for them is a
    /// re-issue).
    pub fn members_with_codes(&self, assembly_id: &str) -> Result<HashSet<String>, StoreError> {
        let mut conn = self.conn()?;
        Ok(voting_codes::table
            .filter(voting_codes::assembly_id.eq(assembly_id))
            .select(voting_codes::voter)
            .distinct()
            .load::<String>(&mut *conn)?
            .into_iter()
            .collect())
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

/// A new code row for `issue`: e-mailed if it has an invitation, else handed over on paper.
pub(crate) fn new_code(
    assembly_id: &str,
    issue: &CodeIssue,
    issued_by: Option<&str>,
    at: &str,
    emailed: bool,
) -> VotingCode {
    VotingCode {
        id: new_id(),
        assembly_id: assembly_id.to_owned(),
        voter: issue.voter.clone(),
        code_hash: issue.code_hash.clone(),
        issued_at: at.to_owned(),
        issued_by: issued_by.map(str::to_owned),
        revoked_at: None,
        delivery: Some(
            if emailed {
                DELIVERY_EMAIL
            } else {
                DELIVERY_PAPER
            }
            .to_owned(),
        ),
    }
}

/// `Conflict` if a member of the chunk was ever given a code for the assembly.
fn refuse_earlier_codes(
    conn: &mut AnyConnection,
    assembly_id: &str,
    chunk: &Chunk,
) -> Result<(), StoreError> {
    let voters: Vec<&str> = chunk.codes.iter().map(|code| code.voter.as_str()).collect();
    if voters.is_empty() {
        return Ok(());
    }
    let had: Option<String> = voting_codes::table
        .filter(voting_codes::assembly_id.eq(assembly_id))
        .filter(voting_codes::voter.eq_any(voters))
        .select(voting_codes::voter)
        .first(conn)
        .optional()?;
    match had {
        Some(voter) => Err(StoreError::Conflict(format!(
            "{voter} already had a code for this assembly: a new one is a re-issue, confirmed by a second staff member"
        ))),
        None => Ok(()),
    }
}

/// Codes not stored yet, each with its invitation (same index).
#[derive(Default)]
pub(crate) struct Chunk {
    pub(crate) codes: Vec<VotingCode>,
    /// The member's invitations: the e-mail (which carries the code) and the SMS (which never
    /// does: it tells the owner to sign in with their number), either or both or none.
    pub(crate) invitations: Vec<Vec<NewEmail>>,
}

/// Whether `invitations` hand the code over: only an e-mail carries it.
pub(crate) fn carries_code(invitations: &[NewEmail]) -> bool {
    invitations.iter().any(|m| m.sms.is_none())
}

/// Stores a chunk of new codes (members all different): revokes their active codes with one
/// UPDATE, inserts the codes, chains one audit entry per code and queues the invitations, with
/// a few multi-row statements instead of ~10 round trips per code. Empties `chunk` into `issued`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn store_codes(
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
            detail: serde_json::json!({ "assembly": assembly_id, "voter": code.voter, "revoked_previous": revoked.contains(&code.voter), "invited": carries_code(invitation) }),
        })?;
        // A code that is not e-mailed is shown to the staff member who issued it, to be
        // printed on the owner's sheet: one entry per member, which the owner's own record
        // shows them too.
        if !carries_code(invitation) {
            chains.chain(NewAuditEntry {
                chain: estate_id.to_owned(),
                actor: issued_by.unwrap_or("system").to_owned(),
                action: "code.printed".into(),
                subject: code.id.clone(),
                detail: serde_json::json!({ "assembly": assembly_id, "voter": code.voter, "shown_to": issued_by }),
            })?;
        }
    }
    chains.flush(conn)?;
    let invitations: Vec<&NewEmail> = chunk.invitations.iter().flatten().collect();
    outbox::enqueue_many(conn, &invitations)?;
    issued.append(&mut chunk.codes);
    chunk.invitations.clear();
    Ok(())
}
