//! Ending staff sessions at once. A staff token names its user's `token_generation` at sign-in;
//! each authenticated request asks [`Store::staff_session`] whether the user is still enabled,
//! still holds the token's role in its estate and is still at that generation. A password reset,
//! disabling the user and revoking a role each add one to the generation, in the transaction
//! that makes the change, so every token issued before stops working with the next request.

use diesel::prelude::*;

use crate::audit::{self, NewAuditEntry};
use crate::schema::{user_roles, users};
use crate::users::Role;
use crate::{Store, StoreError};

/// Ends every session of the user: the next request with one of its tokens is refused.
fn next_generation(conn: &mut crate::db::AnyConnection, user_id: &str) -> Result<(), StoreError> {
    let n = diesel::update(users::table.find(user_id))
        .set(users::token_generation.eq(users::token_generation + 1))
        .execute(conn)?;
    if n == 0 {
        return Err(StoreError::NotFound(format!("user {user_id}")));
    }
    Ok(())
}

impl Store {
    /// The user's current token generation if a staff token for `role` in `estate_id` may still
    /// be used: the user exists, is not disabled and holds the role there. `None` otherwise.
    pub fn staff_session(
        &self,
        user_id: &str,
        estate_id: &str,
        role: Role,
    ) -> Result<Option<i64>, StoreError> {
        let mut conn = self.conn()?;
        let found: Option<(bool, i64)> = users::table
            .find(user_id)
            .select((users::disabled, users::token_generation))
            .first(&mut *conn)
            .optional()?;
        let Some((false, generation)) = found else {
            return Ok(None);
        };
        let holds: i64 = user_roles::table
            .filter(user_roles::user_id.eq(user_id))
            .filter(user_roles::estate_id.eq(estate_id))
            .filter(user_roles::role.eq(role.as_str()))
            .count()
            .get_result(&mut *conn)?;
        Ok((holds > 0).then_some(generation))
    }

    /// Disables a user: no sign-in, and every session ends at once. Audited.
    pub fn disable_user(&self, user_id: &str, actor: &str) -> Result<(), StoreError> {
        self.write(|conn| {
            next_generation(conn, user_id)?;
            diesel::update(users::table.find(user_id))
                .set(users::disabled.eq(true))
                .execute(conn)?;
            audit::append(
                conn,
                NewAuditEntry {
                    chain: audit::SYSTEM_CHAIN.into(),
                    actor: actor.to_owned(),
                    action: "user.disabled".into(),
                    subject: user_id.to_owned(),
                    detail: serde_json::json!({}),
                },
            )?;
            Ok(())
        })
    }

    /// Takes a role in an estate from a user; every session of the user ends at once (a
    /// session with another role signs in again). `NotFound` if the user did not hold it.
    pub fn revoke_role(
        &self,
        user_id: &str,
        estate_id: &str,
        role: Role,
        actor: &str,
    ) -> Result<(), StoreError> {
        self.write(|conn| {
            let n = diesel::delete(
                user_roles::table
                    .filter(user_roles::user_id.eq(user_id))
                    .filter(user_roles::estate_id.eq(estate_id))
                    .filter(user_roles::role.eq(role.as_str())),
            )
            .execute(conn)?;
            if n == 0 {
                return Err(StoreError::NotFound(format!(
                    "role {} of user {user_id} in estate {estate_id}",
                    role.as_str()
                )));
            }
            next_generation(conn, user_id)?;
            audit::append(
                conn,
                NewAuditEntry {
                    chain: estate_id.to_owned(),
                    actor: actor.to_owned(),
                    action: "user.role_revoked".into(),
                    subject: user_id.to_owned(),
                    detail: serde_json::json!({ "role": role.as_str() }),
                },
            )?;
            Ok(())
        })
    }
}
