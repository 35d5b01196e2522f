//! Staff account upkeep beside `users.rs`: password resets and the roles a user holds anywhere.

use diesel::prelude::*;

use crate::audit::{self, NewAuditEntry};
use crate::schema::{user_roles, users};
use crate::users::Role;
use crate::{Store, StoreError};

fn parse_role(text: &str) -> Result<Role, StoreError> {
    match text {
        "secretary" => Ok(Role::Secretary),
        "auditor" => Ok(Role::Auditor),
        "admin" => Ok(Role::Admin),
        other => Err(StoreError::Corrupt(format!("unknown role {other:?}"))),
    }
}

impl Store {
    /// Replaces a user's password hash (a PHC string the API computed).
    pub fn set_password(&self, login: &str, password_hash: &str, actor: &str) -> Result<(), StoreError> {
        self.write(|conn| {
            let id: String = users::table
                .filter(users::login.eq(login))
                .select(users::id)
                .first(conn)
                .optional()?
                .ok_or_else(|| StoreError::NotFound(format!("user {login}")))?;
            diesel::update(users::table.find(&id)).set(users::password_hash.eq(password_hash)).execute(conn)?;
            audit::append(conn, NewAuditEntry {
                chain: audit::SYSTEM_CHAIN.into(),
                actor: actor.to_owned(),
                action: "user.password_reset".into(),
                subject: id,
                detail: serde_json::json!({ "login": login }),
            })?;
            Ok(())
        })
    }

    /// Every (estate, role) a user holds, ordered by estate then role.
    pub fn all_roles(&self, user_id: &str) -> Result<Vec<(String, Role)>, StoreError> {
        let mut conn = self.conn()?;
        let rows: Vec<(String, String)> = user_roles::table
            .filter(user_roles::user_id.eq(user_id))
            .order((user_roles::estate_id.asc(), user_roles::role.asc()))
            .select((user_roles::estate_id, user_roles::role))
            .load(&mut *conn)?;
        rows.into_iter().map(|(estate, role)| Ok((estate, parse_role(&role)?))).collect()
    }
}
