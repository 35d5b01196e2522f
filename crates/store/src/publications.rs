//! Two-stage publication of a closed assembly (询异公示): at closing a preliminary stage opens
//! for objections until `objections_until` (the assembly's `objection_days` option, default
//! 7); owners file objections about an item, staff resolve each (rejected, or corrected through
//! a confirmed paper-ballot correction); then the final stage freezes the count. Every step is
//! an audit entry. The timing rules are the API's; the store keeps the states consistent.

use diesel::prelude::*;
use serde::Serialize;

use crate::assemblies::Assembly;
use crate::audit::{self, AuditEntry, NewAuditEntry};
use crate::db::{AnyConnection, new_id, now, timestamp};
use crate::exports::{NewExport, StoredExport};
use crate::schema::{audit_log, objections, publications};
use crate::{Store, StoreError};

/// Objections one member may file about one item over the whole objection period (resolved
/// ones included): an answered objection may be disputed again, but not without end. Besides,
/// only one per member and item may be open at a time.
pub const MAX_OBJECTIONS_PER_ITEM: usize = 5;

/// The objection period when the assembly's options do not set `objection_days`.
pub const DEFAULT_OBJECTION_DAYS: i64 = 7;
/// The longest objection period an assembly may set.
pub const MAX_OBJECTION_DAYS: i64 = 60;
/// The longest objection period in minutes (trial estates), one day.
pub const MAX_OBJECTION_MINUTES: i64 = 24 * 60;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = publications)]
pub struct Publication {
    pub assembly_id: String,
    pub estate_id: String,
    /// `preliminary` or `final`.
    pub stage: String,
    pub preliminary_at: String,
    pub objections_until: String,
    pub final_at: Option<String>,
    pub final_by: Option<String>,
}

impl Publication {
    pub fn is_final(&self) -> bool {
        self.stage == "final"
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = objections)]
pub struct Objection {
    pub id: String,
    pub assembly_id: String,
    pub item_id: String,
    pub voter: String,
    pub body: String,
    pub filed_at: String,
    /// `open`, `rejected` or `corrected`.
    pub status: String,
    pub reason: Option<String>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<String>,
    pub ballot_version_id: Option<String>,
}

/// How an objection was resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolution {
    Rejected,
    /// The record was corrected by this (confirmed paper) ballot version.
    Corrected {
        ballot_version_id: String,
    },
}

/// The objection period in days the assembly was created with (a trial's minutes aside).
pub fn objection_days(assembly: &Assembly) -> i64 {
    serde_json::from_str::<serde_json::Value>(&assembly.options)
        .ok()
        .and_then(|o| o.get("objection_days").and_then(serde_json::Value::as_i64))
        .unwrap_or(DEFAULT_OBJECTION_DAYS)
}

/// The objection period of an assembly, from its options: `objection_minutes` (trial estates
/// only, checked by the API) or else `objection_days`. A value no period can hold (a hand-edited
/// option) falls back to the default rather than overflow.
pub fn objection_period(assembly: &Assembly) -> chrono::Duration {
    let options = serde_json::from_str::<serde_json::Value>(&assembly.options).ok();
    let option = |name: &str| {
        options
            .as_ref()
            .and_then(|o| o.get(name).and_then(serde_json::Value::as_i64))
    };
    let default = chrono::Duration::days(DEFAULT_OBJECTION_DAYS);
    match (option("objection_minutes"), option("objection_days")) {
        (Some(minutes @ 0..=MAX_OBJECTION_MINUTES), _) => chrono::Duration::minutes(minutes),
        (None, Some(days @ 0..=MAX_OBJECTION_DAYS)) => chrono::Duration::days(days),
        _ => default,
    }
}

/// Opens the preliminary stage; called in the transaction that closes the assembly.
pub(crate) fn begin(
    conn: &mut AnyConnection,
    assembly: &Assembly,
    actor: &str,
) -> Result<Publication, StoreError> {
    let start = chrono::Utc::now();
    let until = start + objection_period(assembly);
    let publication = Publication {
        assembly_id: assembly.id.clone(),
        estate_id: assembly.estate_id.clone(),
        stage: "preliminary".into(),
        preliminary_at: timestamp(start),
        objections_until: timestamp(until),
        final_at: None,
        final_by: None,
    };
    diesel::insert_into(publications::table)
        .values(&publication)
        .execute(conn)?;
    audit::append(
        conn,
        NewAuditEntry {
            chain: assembly.estate_id.clone(),
            actor: actor.to_owned(),
            action: "publication.preliminary".into(),
            subject: assembly.id.clone(),
            detail: serde_json::json!({ "objections_until": publication.objections_until }),
        },
    )?;
    Ok(publication)
}

pub(crate) fn find(
    conn: &mut AnyConnection,
    assembly_id: &str,
) -> Result<Option<Publication>, StoreError> {
    Ok(publications::table
        .find(assembly_id)
        .select(Publication::as_select())
        .first(conn)
        .optional()?)
}

/// Whether the member has an open objection about the item (filed by `at` at the latest, when
/// given): what a correction after closing must answer.
pub(crate) fn has_open_objection(
    conn: &mut AnyConnection,
    item_id: &str,
    voter: &str,
    at: Option<&str>,
) -> Result<bool, StoreError> {
    let mut query = objections::table
        .filter(objections::item_id.eq(item_id))
        .filter(objections::voter.eq(voter))
        .filter(objections::status.eq("open"))
        .into_boxed();
    if let Some(at) = at {
        query = query.filter(objections::filed_at.le(at.to_owned()));
    }
    Ok(query.count().get_result::<i64>(conn)? > 0)
}

fn load(conn: &mut AnyConnection, assembly_id: &str) -> Result<Publication, StoreError> {
    find(conn, assembly_id)?
        .ok_or_else(|| StoreError::NotFound(format!("publication of assembly {assembly_id}")))
}

fn load_objection(conn: &mut AnyConnection, id: &str) -> Result<Objection, StoreError> {
    objections::table
        .find(id)
        .select(Objection::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("objection {id}")))
}

impl Store {
    /// The publication of an assembly, once it has closed. An assembly closed before
    /// publications existed (an older database) gets its preliminary stage now, so that its
    /// owners still have their objection period before the result can be made final.
    pub fn publication(&self, assembly_id: &str) -> Result<Option<Publication>, StoreError> {
        let assembly = self.assembly(assembly_id)?;
        if assembly.state != crate::assemblies::AssemblyState::Closed.as_str() {
            return self.read(|conn| find(conn, assembly_id));
        }
        if let Some(found) = self.read(|conn| find(conn, assembly_id))? {
            return Ok(Some(found));
        }
        self.write(|conn| {
            audit::lock_chain(conn, &assembly.estate_id)?;
            match find(conn, assembly_id)? {
                Some(found) => Ok(Some(found)),
                None => Ok(Some(begin(conn, &assembly, "system:upgrade")?)),
            }
        })
    }

    /// Files an owner's objection about an item, while the publication is preliminary.
    pub fn file_objection(
        &self,
        assembly_id: &str,
        item_id: &str,
        voter: &str,
        body: &str,
        actor: &str,
    ) -> Result<Objection, StoreError> {
        let estate_id = self.assembly(assembly_id)?.estate_id;
        self.write(|conn| {
            audit::lock_chain(conn, &estate_id)?;
            if load(conn, assembly_id)?.is_final() {
                return Err(StoreError::Conflict("the result is final".into()));
            }
            // Under the chain's lock, so two filings at once cannot both pass.
            let earlier: Vec<String> = objections::table
                .filter(objections::item_id.eq(item_id))
                .filter(objections::voter.eq(voter))
                .select(objections::status)
                .load(conn)?;
            if earlier.iter().any(|status| status == "open") {
                return Err(StoreError::Conflict(
                    "an objection of this member about this item is still open".into(),
                ));
            }
            if earlier.len() >= MAX_OBJECTIONS_PER_ITEM {
                return Err(StoreError::Conflict(format!(
                    "at most {MAX_OBJECTIONS_PER_ITEM} objections per member and item"
                )));
            }
            let objection = Objection {
                id: new_id(),
                assembly_id: assembly_id.to_owned(),
                item_id: item_id.to_owned(),
                voter: voter.to_owned(),
                body: body.to_owned(),
                filed_at: now(),
                status: "open".into(),
                reason: None,
                resolved_by: None,
                resolved_at: None,
                ballot_version_id: None,
            };
            diesel::insert_into(objections::table).values(&objection).execute(conn)?;
            audit::append(conn, NewAuditEntry {
                chain: estate_id.clone(),
                actor: actor.to_owned(),
                action: "objection.filed".into(),
                subject: objection.id.clone(),
                detail: serde_json::json!({ "assembly": assembly_id, "item": item_id, "voter": voter, "body": body }),
            })?;
            Ok(objection)
        })
    }

    /// Objections of an assembly in filing order; only one voter's with `voter`.
    pub fn objections(
        &self,
        assembly_id: &str,
        voter: Option<&str>,
    ) -> Result<Vec<Objection>, StoreError> {
        self.read(|conn| {
            let mut query = objections::table
                .filter(objections::assembly_id.eq(assembly_id))
                .into_boxed();
            if let Some(voter) = voter {
                query = query.filter(objections::voter.eq(voter.to_owned()));
            }
            Ok(query
                .order(objections::id.asc())
                .select(Objection::as_select())
                .load(conn)?)
        })
    }

    pub fn objection(&self, id: &str) -> Result<Objection, StoreError> {
        self.read(|conn| load_objection(conn, id))
    }

    /// Resolves an open objection with a reason, before the result is final.
    pub fn resolve_objection(
        &self,
        id: &str,
        resolution: &Resolution,
        reason: &str,
        resolved_by: &str,
        actor: &str,
    ) -> Result<Objection, StoreError> {
        let assembly_id = self.objection(id)?.assembly_id;
        let estate_id = self.assembly(&assembly_id)?.estate_id;
        self.write(|conn| {
            audit::lock_chain(conn, &estate_id)?;
            if load(conn, &assembly_id)?.is_final() {
                return Err(StoreError::Conflict("the result is final".into()));
            }
            let mut objection = load_objection(conn, id)?;
            if objection.status != "open" {
                return Err(StoreError::Conflict(format!("objection {id} is already {}", objection.status)));
            }
            let (status, version) = match resolution {
                Resolution::Rejected => ("rejected", None),
                Resolution::Corrected { ballot_version_id } => ("corrected", Some(ballot_version_id.clone())),
            };
            let at = now();
            diesel::update(objections::table.find(id))
                .set((
                    objections::status.eq(status),
                    objections::reason.eq(reason),
                    objections::resolved_by.eq(resolved_by),
                    objections::resolved_at.eq(&at),
                    objections::ballot_version_id.eq(&version),
                ))
                .execute(conn)?;
            audit::append(conn, NewAuditEntry {
                chain: estate_id.clone(),
                actor: actor.to_owned(),
                action: "objection.resolved".into(),
                subject: id.to_owned(),
                detail: serde_json::json!({ "status": status, "reason": reason, "ballot": version }),
            })?;
            objection.status = status.into();
            objection.reason = Some(reason.to_owned());
            objection.resolved_by = Some(resolved_by.to_owned());
            objection.resolved_at = Some(at);
            objection.ballot_version_id = version;
            Ok(objection)
        })
    }

    /// Publishes the final result: refused while an objection is open. The timing (objection
    /// period over) is checked by the caller.
    pub fn publish_final(
        &self,
        assembly_id: &str,
        final_by: &str,
        actor: &str,
    ) -> Result<Publication, StoreError> {
        let published =
            self.publish_final_with_exports(assembly_id, final_by, actor, None, |_| Ok(None))?;
        published
            .map(|(publication, _)| publication)
            .ok_or_else(|| StoreError::Conflict("the audit chain moved".into()))
    }

    /// Publishes the final result and stores the exports `sign` makes, all in one transaction:
    /// the stage is final only together with every export, so a crash or an error leaves the
    /// result preliminary with no export. `sign` is given the `publication.final` audit entry
    /// (the exports' claims name it) and answers the next export, until `None`; each is stored
    /// before the next is asked for, so that one 30 MB bundle at a time is in memory (issue 22).
    /// It should only sign: the bundles are built beforehand,
    /// outside the estate's lock, while the estate's audit chain stood at `built_at_seq`.
    /// If anything was written to the estate since (`None` is returned, nothing is stored),
    /// the bundles may be stale and the caller builds them again.
    pub fn publish_final_with_exports(
        &self,
        assembly_id: &str,
        final_by: &str,
        actor: &str,
        built_at_seq: Option<i64>,
        mut sign: impl FnMut(&AuditEntry) -> Result<Option<NewExport>, StoreError>,
    ) -> Result<Option<(Publication, Vec<StoredExport>)>, StoreError> {
        let estate_id = self.assembly(assembly_id)?.estate_id;
        self.write(|conn| {
            audit::lock_chain(conn, &estate_id)?;
            if let Some(seq) = built_at_seq
                && audit::head(conn, &estate_id)?.0 != seq
                && audit::moved_beyond(conn, &estate_id, seq, audit::EXPORT_NEUTRAL)?
            {
                return Ok(None);
            }
            let mut publication = load(conn, assembly_id)?;
            if publication.is_final() {
                return Err(StoreError::Conflict("the result is already final".into()));
            }
            let all: Vec<Objection> = objections::table
                .filter(objections::assembly_id.eq(assembly_id))
                .select(Objection::as_select())
                .load(conn)?;
            let open = all.iter().filter(|o| o.status == "open").count();
            if open > 0 {
                return Err(StoreError::Conflict(format!(
                    "{open} objections are unresolved"
                )));
            }
            let at = now();
            diesel::update(publications::table.find(assembly_id))
                .set((
                    publications::stage.eq("final"),
                    publications::final_at.eq(&at),
                    publications::final_by.eq(final_by),
                ))
                .execute(conn)?;
            let corrected = all.iter().filter(|o| o.status == "corrected").count();
            let entry = audit::append(
                conn,
                NewAuditEntry {
                    chain: estate_id.clone(),
                    actor: actor.to_owned(),
                    action: "publication.final".into(),
                    subject: assembly_id.to_owned(),
                    detail: serde_json::json!({ "objections": all.len(), "corrected": corrected }),
                },
            )?;
            let mut stored = Vec::new();
            while let Some(export) = sign(&entry)? {
                let kept = crate::exports::keep(conn, export, actor)?;
                stored.push(StoredExport::from(&kept));
            }
            publication.stage = "final".into();
            publication.final_at = Some(at);
            publication.final_by = Some(final_by.to_owned());
            Ok(Some((publication, stored)))
        })
    }

    /// The audit entry that made the assembly's result final: exports sign its hash, so a
    /// later rewrite of the log up to it is evident.
    pub fn final_publication_entry(
        &self,
        estate_id: &str,
        assembly_id: &str,
    ) -> Result<Option<AuditEntry>, StoreError> {
        self.read(|conn| {
            Ok(audit_log::table
                .filter(audit_log::chain.eq(estate_id))
                .filter(audit_log::action.eq("publication.final"))
                .filter(audit_log::subject.eq(assembly_id))
                .order(audit_log::seq.desc())
                .select(AuditEntry::as_select())
                .first(conn)
                .optional()?)
        })
    }
}

impl Store {
    /// Owner id → name, from the estate's current roster (for masked names in announcements).
    pub fn owner_names(
        &self,
        estate_id: &str,
    ) -> Result<std::collections::BTreeMap<String, String>, StoreError> {
        use crate::schema::unit_contacts;
        let units = self.current_units(estate_id)?;
        let ids: Vec<String> = units.iter().map(|u| u.id.clone()).collect();
        let contacts: Vec<(String, Option<String>)> = self.read(|conn| {
            Ok(unit_contacts::table
                .filter(unit_contacts::unit_id.eq_any(&ids))
                .select((unit_contacts::unit_id, unit_contacts::owner_name))
                .load(conn)?)
        })?;
        let by_unit: std::collections::BTreeMap<String, String> = contacts
            .into_iter()
            .filter_map(|(u, n)| n.map(|n| (u, n)))
            .collect();
        Ok(units
            .into_iter()
            .filter_map(|u| by_unit.get(&u.id).map(|n| (u.owner_id, n.clone())))
            .collect())
    }
}
