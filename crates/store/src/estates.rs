//! Estates (小区): the unit of tenancy. Each estate has its own audit chain.

use diesel::prelude::*;
use serde::Serialize;

use crate::audit::{self, NewAuditEntry};
use crate::db::{new_id, now};
use crate::schema::estates;
use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = estates)]
pub struct Estate {
    pub id: String,
    pub name: String,
    pub created_at: String,
}

impl Store {
    pub fn create_estate(&self, name: &str, actor: &str) -> Result<Estate, StoreError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid("an estate needs a name".into()));
        }
        let estate = Estate {
            id: new_id(),
            name: name.to_owned(),
            created_at: now(),
        };
        self.write(|conn| {
            diesel::insert_into(estates::table)
                .values(&estate)
                .execute(conn)?;
            audit::append(
                conn,
                NewAuditEntry {
                    chain: estate.id.clone(),
                    actor: actor.to_owned(),
                    action: "estate.created".into(),
                    subject: estate.id.clone(),
                    detail: serde_json::json!({ "name": estate.name }),
                },
            )?;
            Ok(())
        })?;
        Ok(estate)
    }

    pub fn estate(&self, id: &str) -> Result<Estate, StoreError> {
        let mut conn = self.conn()?;
        estates::table
            .find(id)
            .select(Estate::as_select())
            .first(&mut *conn)
            .optional()?
            .ok_or_else(|| StoreError::NotFound(format!("estate {id}")))
    }

    pub fn estates(&self) -> Result<Vec<Estate>, StoreError> {
        let mut conn = self.conn()?;
        Ok(estates::table
            .order(estates::id.asc())
            .select(Estate::as_select())
            .load(&mut *conn)?)
    }
}
