//! Owners' voting codes (投票码). The API generates the codes and hands the store only a keyed
//! hash of each; a code is never stored. Issuing a new code to a voter revokes their old one in
//! the same transaction (the partial unique index allows one active code per voter).

use diesel::prelude::*;
use serde::Serialize;

use crate::assemblies::load_assembly;
use crate::audit::{self, NewAuditEntry};
use crate::db::{new_id, now};
use crate::schema::voting_codes;
use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = voting_codes)]
pub struct VotingCode {
    pub id: String,
    pub assembly_id: String,
    pub voter: String,
    pub code_hash: String,
    pub issued_at: String,
    pub issued_by: Option<String>,
    pub revoked_at: Option<String>,
}

impl Store {
    /// Stores one new code hash per voter, revoking each voter's earlier code of this assembly.
    /// Refused once the assembly is closed or cancelled.
    pub fn issue_codes(&self, assembly_id: &str, hashes: &[(String, String)], issued_by: &str) -> Result<Vec<VotingCode>, StoreError> {
        let estate_id = self.assembly(assembly_id)?.estate_id;
        self.write(|conn| {
            audit::lock_chain(conn, &estate_id)?;
            let assembly = load_assembly(conn, assembly_id)?;
            if assembly.state == "closed" || assembly.state == "cancelled" {
                return Err(StoreError::Conflict(format!("assembly is {}: no codes can be issued", assembly.state)));
            }
            let at = now();
            let mut issued = Vec::with_capacity(hashes.len());
            let mut revoked = 0usize;
            for (voter, code_hash) in hashes {
                revoked += diesel::update(
                    voting_codes::table
                        .filter(voting_codes::assembly_id.eq(assembly_id))
                        .filter(voting_codes::voter.eq(voter))
                        .filter(voting_codes::revoked_at.is_null()),
                )
                .set(voting_codes::revoked_at.eq(&at))
                .execute(conn)?;
                let code = VotingCode {
                    id: new_id(),
                    assembly_id: assembly_id.to_owned(),
                    voter: voter.clone(),
                    code_hash: code_hash.clone(),
                    issued_at: at.clone(),
                    issued_by: Some(issued_by.to_owned()),
                    revoked_at: None,
                };
                diesel::insert_into(voting_codes::table).values(&code).execute(conn)?;
                issued.push(code);
            }
            audit::append(conn, NewAuditEntry {
                chain: estate_id.clone(),
                actor: issued_by.to_owned(),
                action: "codes.issued".into(),
                subject: assembly_id.to_owned(),
                detail: serde_json::json!({ "issued": issued.len(), "revoked": revoked }),
            })?;
            Ok(issued)
        })
    }

    /// The active (not revoked) code with this hash, if any.
    pub fn active_code(&self, code_hash: &str) -> Result<Option<VotingCode>, StoreError> {
        let mut conn = self.conn()?;
        Ok(voting_codes::table
            .filter(voting_codes::code_hash.eq(code_hash))
            .filter(voting_codes::revoked_at.is_null())
            .select(VotingCode::as_select())
            .first(&mut *conn)
            .optional()?)
    }

    /// Whether the code with this id is still active (an owner session dies with its code).
    pub fn code_is_active(&self, code_id: &str) -> Result<bool, StoreError> {
        let mut conn = self.conn()?;
        let found: i64 = voting_codes::table
            .filter(voting_codes::id.eq(code_id))
            .filter(voting_codes::revoked_at.is_null())
            .count()
            .get_result(&mut *conn)?;
        Ok(found > 0)
    }
}
