//! Extensions of an open assembly's voting period (issue 19): when participation falls short of
//! 2/3 as the closing time nears, the rules of procedure may let voting run longer, up to a limit
//! counted from the original closing time. Each extension is a row (from, to, why), an audit
//! entry, and notices to every member queued in the same transaction.

use diesel::prelude::*;
use serde::Serialize;

use crate::assemblies::{Assembly, AssemblyState, load_assembly};
use crate::audit::{self, NewAuditEntry};
use crate::db::{new_id, now};
use crate::outbox::{NoticeSource, enqueue_from};
use crate::schema::{assemblies, assembly_extensions};
use crate::{Store, StoreError};

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = assembly_extensions)]
pub struct Extension {
    pub id: String,
    pub assembly_id: String,
    pub from_closes_at: String,
    pub to_closes_at: String,
    pub reason: String,
    pub extended_by: String,
    pub extended_at: String,
}

/// An extension asked for: the new closing time (a stored timestamp) and why. `latest` is the
/// latest closing time the estate's limit allows, checked again inside the transaction.
#[derive(Debug, Clone)]
pub struct NewExtension<'a> {
    pub to_closes_at: &'a str,
    pub reason: &'a str,
    pub latest: &'a str,
}

impl Store {
    /// The assembly's extensions, oldest first.
    pub fn extensions(&self, assembly_id: &str) -> Result<Vec<Extension>, StoreError> {
        let mut conn = self.conn()?;
        Ok(assembly_extensions::table
            .filter(assembly_extensions::assembly_id.eq(assembly_id))
            .order((
                assembly_extensions::extended_at.asc(),
                assembly_extensions::id.asc(),
            ))
            .select(Extension::as_select())
            .load(&mut *conn)?)
    }

    /// Moves an open assembly's closing time later, audited, queuing `notices` in the same
    /// transaction. Refused (`Conflict`) unless voting is open and the new time is after the
    /// current one and no later than `latest`: a close or another extension in between is seen.
    pub fn extend_assembly(
        &self,
        assembly_id: &str,
        new: &NewExtension<'_>,
        actor: &str,
        notices: &mut dyn NoticeSource,
    ) -> Result<(Assembly, Extension), StoreError> {
        let estate_id = self.assembly(assembly_id)?.estate_id;
        self.write(|conn| {
            audit::lock_chain(conn, &estate_id)?;
            let mut assembly = load_assembly(conn, assembly_id)?;
            if assembly.state != AssemblyState::Open.as_str() {
                return Err(StoreError::Conflict(format!(
                    "assembly is {}: only an open assembly's voting can be extended",
                    assembly.state
                )));
            }
            if new.to_closes_at <= assembly.closes_at.as_str() || new.to_closes_at > new.latest {
                return Err(StoreError::Conflict(format!(
                    "the closing time is now {}: the extension to {} no longer applies",
                    assembly.closes_at, new.to_closes_at
                )));
            }
            let extension = Extension {
                id: new_id(),
                assembly_id: assembly.id.clone(),
                from_closes_at: assembly.closes_at.clone(),
                to_closes_at: new.to_closes_at.to_owned(),
                reason: new.reason.to_owned(),
                extended_by: actor.to_owned(),
                extended_at: now(),
            };
            diesel::insert_into(assembly_extensions::table)
                .values(&extension)
                .execute(conn)?;
            diesel::update(assemblies::table.find(assembly_id))
                .set(assemblies::closes_at.eq(new.to_closes_at))
                .execute(conn)?;
            audit::append(
                conn,
                NewAuditEntry {
                    chain: estate_id.clone(),
                    actor: actor.to_owned(),
                    action: "assembly.extended".into(),
                    subject: assembly.id.clone(),
                    detail: serde_json::json!({
                        "from": extension.from_closes_at,
                        "to": extension.to_closes_at,
                        "reason": extension.reason,
                    }),
                },
            )?;
            enqueue_from(conn, notices)?;
            assembly.closes_at = new.to_closes_at.to_owned();
            Ok((assembly, extension))
        })
    }
}
