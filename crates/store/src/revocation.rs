//! Changes to a staff account that end its sessions at once: disabling the user and revoking a
//! role. Each moves the user's session generation on (`sessions::next_generation`) in the
//! transaction that makes the change, so every token issued before stops working with the next
//! request; a password reset does the same (`users::set_password_hash`).

use diesel::prelude::*;

use crate::audit::{self, NewAuditEntry};
use crate::schema::{user_roles, users};
use crate::users::Role;
use crate::{Store, StoreError};

impl Store {
    /// Disables a user: no sign-in, and every session ends at once. Audited.
    pub fn disable_user(&self, user_id: &str, actor: &str) -> Result<(), StoreError> {
        self.write(|conn| {
            crate::sessions::next_generation(conn, user_id)?;
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
            crate::sessions::next_generation(conn, user_id)?;
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
