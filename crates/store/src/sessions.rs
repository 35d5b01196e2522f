//! Server-side state of session tokens: what makes a token that is still signed and unexpired
//! stop working.
//!
//! - one session: its token id (`jti`) is put on the revocation list (sign-out, refresh);
//! - every session of a staff user: the user's generation is raised, and tokens carry the
//!   generation they were issued under ([`Store::end_user_sessions`]; sign-out everywhere, and
//!   meant for a password reset or a disabled account too).
//!
//! Checking costs one read per request; signing in writes nothing.

use diesel::prelude::*;

use crate::audit::{self, NewAuditEntry};
use crate::db::now;
use crate::schema::{revoked_sessions, user_sessions, users, voting_codes};
use crate::{Store, StoreError};

/// Who a token names, as far as its revocation is concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Holder {
    /// A staff user and the generation the token was issued under.
    Staff { user: String, generation: i64 },
    /// An owner session, valid while the voting code it was opened with is not revoked.
    Owner { code: String },
}

/// One session to end: its token id and expiry (Unix seconds), and the audit chain it belongs in.
#[derive(Debug, Clone)]
pub struct EndSession {
    pub jti: String,
    pub expires_at: i64,
    pub chain: String,
    pub actor: String,
    /// Why (`session.signed_out`, `session.refreshed`).
    pub action: String,
}

fn generation_of(conn: &mut crate::AnyConnection, user_id: &str) -> Result<i64, StoreError> {
    Ok(user_sessions::table
        .find(user_id)
        .select(user_sessions::generation)
        .first::<i64>(conn)
        .optional()?
        .unwrap_or(0))
}

/// Moves the user's session generation on, inside the caller's transaction: every token
/// issued before stops working with its next request. Returns the new generation.
pub(crate) fn next_generation(
    conn: &mut crate::AnyConnection,
    user_id: &str,
) -> Result<i64, StoreError> {
    let next = generation_of(conn, user_id)? + 1;
    let updated = diesel::update(user_sessions::table.find(user_id))
        .set((
            user_sessions::generation.eq(next),
            user_sessions::changed_at.eq(now()),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(user_sessions::table)
            .values((
                user_sessions::user_id.eq(user_id),
                user_sessions::generation.eq(next),
                user_sessions::changed_at.eq(now()),
            ))
            .execute(conn)?;
    }
    Ok(next)
}

/// [`Store::session_is_current`] in the caller's snapshot.
pub(crate) fn session_is_current(
    conn: &mut crate::AnyConnection,
    jti: &str,
    holder: &Holder,
) -> Result<bool, StoreError> {
    let revoked: i64 = revoked_sessions::table.find(jti).count().get_result(conn)?;
    if revoked > 0 {
        return Ok(false);
    }
    match holder {
        Holder::Staff { user, generation } => {
            let disabled: Option<bool> = users::table
                .find(user)
                .select(users::disabled)
                .first(conn)
                .optional()?;
            if disabled != Some(false) {
                return Ok(false);
            }
            Ok(generation_of(conn, user)? == *generation)
        }
        Holder::Owner { code } => {
            let active: i64 = voting_codes::table
                .find(code)
                .filter(voting_codes::revoked_at.is_null())
                .count()
                .get_result(conn)?;
            Ok(active > 0)
        }
    }
}

impl Store {
    /// Whether a signed, unexpired token with id `jti` still opens a session: not signed out,
    /// and its holder's standing unchanged (staff: account enabled, same generation; owner: the
    /// code still active).
    pub fn session_is_current(&self, jti: &str, holder: &Holder) -> Result<bool, StoreError> {
        self.read(|conn| session_is_current(conn, jti, holder))
    }

    /// The generation new tokens of a staff user are issued under.
    pub fn session_generation(&self, user_id: &str) -> Result<i64, StoreError> {
        let mut conn = self.conn()?;
        generation_of(&mut conn, user_id)
    }

    /// Ends one session (audited); ending it twice changes nothing. Rows of tokens that have
    /// expired by now are pruned on the way: they cannot be used anyway.
    pub fn end_session(&self, end: &EndSession) -> Result<(), StoreError> {
        let now_secs = chrono::Utc::now().timestamp();
        self.write(|conn| {
            audit::lock_chain(conn, &end.chain)?;
            diesel::delete(
                revoked_sessions::table.filter(revoked_sessions::expires_at.lt(now_secs)),
            )
            .execute(conn)?;
            let known: i64 = revoked_sessions::table
                .find(&end.jti)
                .count()
                .get_result(conn)?;
            if known > 0 {
                return Ok(());
            }
            diesel::insert_into(revoked_sessions::table)
                .values((
                    revoked_sessions::jti.eq(&end.jti),
                    revoked_sessions::expires_at.eq(end.expires_at),
                    revoked_sessions::revoked_at.eq(now()),
                ))
                .execute(conn)?;
            audit::append(
                conn,
                NewAuditEntry {
                    chain: end.chain.clone(),
                    actor: end.actor.clone(),
                    action: end.action.clone(),
                    subject: end.jti.clone(),
                    detail: serde_json::json!({}),
                },
            )?;
            Ok(())
        })
    }

    /// Ends every session of a staff user at once by raising their generation (audited in the
    /// system chain, as accounts are); returns the new generation. `reason` is kept in the
    /// entry (`sign_out_everywhere`, `password_reset`, `disabled`, …).
    pub fn end_user_sessions(
        &self,
        user_id: &str,
        reason: &str,
        actor: &str,
    ) -> Result<i64, StoreError> {
        self.write(|conn| {
            audit::lock_chain(conn, audit::SYSTEM_CHAIN)?;
            let exists: i64 = users::table.find(user_id).count().get_result(conn)?;
            if exists == 0 {
                return Err(StoreError::NotFound(format!("user {user_id}")));
            }
            let next = next_generation(conn, user_id)?;
            audit::append(
                conn,
                NewAuditEntry {
                    chain: audit::SYSTEM_CHAIN.into(),
                    actor: actor.to_owned(),
                    action: "user.sessions_ended".into(),
                    subject: user_id.to_owned(),
                    detail: serde_json::json!({ "reason": reason, "generation": next }),
                },
            )?;
            Ok(next)
        })
    }
}
