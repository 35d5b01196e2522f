//! Staff accounts and their roles per estate. Password hashing (argon2) is the API's job:
//! the store keeps the PHC string it is given.

use diesel::prelude::*;
use serde::Serialize;

use crate::audit::{self, NewAuditEntry};
use crate::db::{new_id, now};
use crate::schema::{user_roles, users};
use crate::{Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Secretary,
    Auditor,
    Admin,
    /// A building volunteer (楼组长): their buildings' round only (`volunteers`).
    Volunteer,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Secretary => "secretary",
            Role::Auditor => "auditor",
            Role::Admin => "admin",
            Role::Volunteer => "volunteer",
        }
    }

    /// The role a stored name stands for (an unknown one is a corrupt row).
    pub fn parse(text: &str) -> Result<Role, StoreError> {
        match text {
            "secretary" => Ok(Role::Secretary),
            "auditor" => Ok(Role::Auditor),
            "admin" => Ok(Role::Admin),
            "volunteer" => Ok(Role::Volunteer),
            other => Err(StoreError::Corrupt(format!("unknown role {other:?}"))),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: String,
    pub login: String,
    pub display_name: String,
    pub password_hash: String,
    pub disabled: bool,
    pub created_at: String,
}

impl Store {
    pub fn create_user(
        &self,
        login: &str,
        display_name: &str,
        password_hash: &str,
    ) -> Result<User, StoreError> {
        let user = User {
            id: new_id(),
            login: login.trim().to_owned(),
            display_name: display_name.to_owned(),
            password_hash: password_hash.to_owned(),
            disabled: false,
            created_at: now(),
        };
        if user.login.is_empty() {
            return Err(StoreError::Invalid("a user needs a login".into()));
        }
        self.write(|conn| {
            diesel::insert_into(users::table)
                .values(&user)
                .execute(conn)?;
            audit::append(
                conn,
                NewAuditEntry {
                    chain: audit::SYSTEM_CHAIN.into(),
                    actor: "system".into(),
                    action: "user.created".into(),
                    subject: user.id.clone(),
                    detail: serde_json::json!({ "login": user.login }),
                },
            )?;
            Ok(())
        })?;
        Ok(user)
    }

    pub fn user_by_login(&self, login: &str) -> Result<User, StoreError> {
        let mut conn = self.conn()?;
        users::table
            .filter(users::login.eq(login))
            .select(User::as_select())
            .first(&mut *conn)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("user {login}")))
    }

    pub fn user_by_id(&self, id: &str) -> Result<User, StoreError> {
        let mut conn = self.conn()?;
        users::table
            .find(id)
            .select(User::as_select())
            .first(&mut *conn)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("user {id}")))
    }

    /// Replaces a user's password hash (the admin's reset); audited without the hash. Every
    /// session of the user ends with it (the generation moves on): whoever had the old password
    /// may have signed in with it.
    pub fn set_password_hash(
        &self,
        user_id: &str,
        password_hash: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        self.write(|conn| {
            let n = diesel::update(users::table.find(user_id))
                .set(users::password_hash.eq(password_hash))
                .execute(conn)?;
            if n == 0 {
                return Err(StoreError::NotFound(format!("user {user_id}")));
            }
            crate::sessions::next_generation(conn, user_id)?;
            audit::append(
                conn,
                NewAuditEntry {
                    chain: audit::SYSTEM_CHAIN.into(),
                    actor: actor.to_owned(),
                    action: "user.password_reset".into(),
                    subject: user_id.to_owned(),
                    detail: serde_json::json!({}),
                },
            )?;
            Ok(())
        })
    }

    pub fn grant_role(
        &self,
        user_id: &str,
        estate_id: &str,
        role: Role,
        actor: &str,
    ) -> Result<(), StoreError> {
        self.write(|conn| {
            diesel::insert_into(user_roles::table)
                .values((
                    user_roles::user_id.eq(user_id),
                    user_roles::estate_id.eq(estate_id),
                    user_roles::role.eq(role.as_str()),
                    user_roles::granted_at.eq(now()),
                ))
                .execute(conn)?;
            audit::append(
                conn,
                NewAuditEntry {
                    chain: estate_id.to_owned(),
                    actor: actor.to_owned(),
                    action: "user.role_granted".into(),
                    subject: user_id.to_owned(),
                    detail: serde_json::json!({ "role": role.as_str() }),
                },
            )?;
            Ok(())
        })
    }

    /// The roles a user holds in one estate (empty: no access to it).
    pub fn roles(&self, user_id: &str, estate_id: &str) -> Result<Vec<Role>, StoreError> {
        let mut conn = self.conn()?;
        let names: Vec<String> = user_roles::table
            .filter(user_roles::user_id.eq(user_id))
            .filter(user_roles::estate_id.eq(estate_id))
            .select(user_roles::role)
            .order(user_roles::role.asc())
            .load(&mut *conn)?;
        names.iter().map(|name| Role::parse(name)).collect()
    }
}
