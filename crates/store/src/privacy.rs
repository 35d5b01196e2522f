//! Retention of owners' contact data (issue 9, data protection).
//!
//! Phone numbers, e-mail addresses and names come with the roster (`unit_contacts`) and are
//! needed for one thing only: sending notices. They are erased
//! - when a newer roster is imported: the contacts of every earlier version (see
//!   `rosters::erase_superseded_contacts`), since only the current roster's are ever read;
//! - `days` after the estate last needed them: after the final publication of its latest
//!   assembly, or after the import when no assembly has been finalised since. An assembly
//!   announced, open, or closed but not yet final keeps them, whatever their age: its notices
//!   (reminders, results) still go out.
//!
//! The same rule clears the handled (sent or given-up) messages of the estate's outbox, whose
//! recipient and body hold the same address and name. Pending messages are left to be sent.
//! Each erasure is one audit entry that counts what was erased, never what it was.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use crate::audit::{self, NewAuditEntry};
use crate::db::{AnyConnection, timestamp};
use crate::rosters::latest_version;
use crate::schema::{assemblies, outbox, publications, roster_versions, unit_contacts, units};
use crate::{Store, StoreError};

/// What replaces the body of a handled message once its retention period is over.
pub const ERASED_BODY: &str = "(erased at the end of the contact data's retention period)";

/// What the retention rule erased (or, in a dry run, would erase) for one estate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ContactPurge {
    pub estate_id: String,
    /// Contact rows (name, phone, e-mail of a unit) erased.
    pub contacts: usize,
    /// Handled outbox messages whose recipient and body were erased.
    pub messages: usize,
    /// When the estate last needed its contacts: the later of the import and the last final
    /// publication.
    pub needed_until: String,
}

/// Whether an assembly of the estate still sends notices: announced, open, or closed
/// without a final publication.
fn notices_pending(conn: &mut AnyConnection, estate_id: &str) -> Result<bool, StoreError> {
    let running: i64 = assemblies::table
        .filter(assemblies::estate_id.eq(estate_id))
        .filter(assemblies::state.eq_any(["announced", "open"]))
        .count()
        .get_result(conn)?;
    if running > 0 {
        return Ok(true);
    }
    let closed: Vec<String> = assemblies::table
        .filter(assemblies::estate_id.eq(estate_id))
        .filter(assemblies::state.eq("closed"))
        .select(assemblies::id)
        .load(conn)?;
    let finalised: i64 = publications::table
        .filter(publications::assembly_id.eq_any(&closed))
        .filter(publications::stage.eq("final"))
        .count()
        .get_result(conn)?;
    Ok(usize::try_from(finalised).unwrap_or(0) < closed.len())
}

/// Counts, and unless `dry_run` erases, what the rule says is due for one estate.
fn purge_estate(
    conn: &mut AnyConnection,
    estate_id: &str,
    cutoff: &str,
    dry_run: bool,
) -> Result<Option<ContactPurge>, StoreError> {
    let Some(version) = latest_version(conn, estate_id)? else {
        return Ok(None);
    };
    let last_final: Option<String> = publications::table
        .filter(publications::estate_id.eq(estate_id))
        .filter(publications::stage.eq("final"))
        .select(diesel::dsl::max(publications::final_at))
        .first::<Option<String>>(conn)?;
    let needed_until = last_final
        .filter(|f| *f > version.imported_at)
        .unwrap_or(version.imported_at);
    if needed_until.as_str() > cutoff || notices_pending(conn, estate_id)? {
        return Ok(None);
    }
    let version_ids: Vec<String> = roster_versions::table
        .filter(roster_versions::estate_id.eq(estate_id))
        .select(roster_versions::id)
        .load(conn)?;
    let unit_ids = units::table
        .filter(units::roster_version_id.eq_any(version_ids))
        .select(units::id);
    let contacts = unit_contacts::table.filter(unit_contacts::unit_id.eq_any(unit_ids));
    let handled = outbox::table
        .filter(outbox::estate_id.eq(estate_id))
        .filter(outbox::status.eq_any(["sent", "failed"]))
        .filter(
            outbox::recipient
                .ne("")
                .or(outbox::body_text.ne(ERASED_BODY)),
        );
    let count_contacts: i64 = contacts.clone().count().get_result(conn)?;
    let count_messages: i64 = handled.clone().count().get_result(conn)?;
    let purge = ContactPurge {
        estate_id: estate_id.to_owned(),
        contacts: usize::try_from(count_contacts).unwrap_or(0),
        messages: usize::try_from(count_messages).unwrap_or(0),
        needed_until,
    };
    if purge.contacts == 0 && purge.messages == 0 {
        return Ok(None);
    }
    if !dry_run {
        diesel::delete(contacts).execute(conn)?;
        diesel::update(handled)
            .set((
                outbox::recipient.eq(""),
                outbox::body_text.eq(ERASED_BODY),
                outbox::body_html.eq(None::<String>),
                outbox::last_error.eq(None::<String>),
            ))
            .execute(conn)?;
    }
    Ok(Some(purge))
}

impl Store {
    /// Applies the retention rule of contact data as of `now`: for each estate (or only
    /// `estate`) whose contacts were last needed more than `days` days before `now`, erases
    /// them and clears its handled outbox messages, with one audit entry per estate. `days`
    /// 0 keeps contacts until the next roster (nothing is erased here). A `dry_run` reports
    /// the same and changes nothing.
    pub fn purge_contacts(
        &self,
        days: u32,
        now: DateTime<Utc>,
        estate: Option<&str>,
        dry_run: bool,
        actor: &str,
    ) -> Result<Vec<ContactPurge>, StoreError> {
        if days == 0 {
            return Ok(Vec::new());
        }
        let cutoff = chrono::Duration::try_days(i64::from(days))
            .and_then(|d| now.checked_sub_signed(d))
            .map(timestamp)
            .ok_or_else(|| StoreError::Invalid(format!("{days} days is too long for a date")))?;
        let estates: Vec<String> = match estate {
            Some(id) => {
                self.estate(id)?;
                vec![id.to_owned()]
            }
            None => self.estates()?.into_iter().map(|e| e.id).collect(),
        };
        let mut done = Vec::new();
        for estate_id in estates {
            let purged = if dry_run {
                self.read(|conn| purge_estate(conn, &estate_id, &cutoff, true))?
            } else {
                self.write(|conn| {
                    audit::lock_chain(conn, &estate_id)?;
                    let purged = purge_estate(conn, &estate_id, &cutoff, false)?;
                    if let Some(p) = &purged {
                        audit::append(
                            conn,
                            NewAuditEntry {
                                chain: estate_id.clone(),
                                actor: actor.to_owned(),
                                action: "contacts.erased".into(),
                                subject: estate_id.clone(),
                                detail: serde_json::json!({
                                    "reason": "retention",
                                    "retention_days": days,
                                    "needed_until": p.needed_until,
                                    "contacts": p.contacts,
                                    "messages": p.messages,
                                }),
                            },
                        )?;
                    }
                    Ok(purged)
                })?
            };
            done.extend(purged);
        }
        Ok(done)
    }
}
