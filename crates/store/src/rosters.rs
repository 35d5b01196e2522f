//! Roster versions: an already parsed roster stored all-or-nothing as a new version, with a
//! report of what changed since the previous one. Parsing lives in `roster/`.

use std::collections::BTreeMap;

use diesel::prelude::*;
use gongjue_domain::area::Area;
use serde::Serialize;

use crate::audit::{self, NewAuditEntry, sha256_hex};
use crate::db::{AnyConnection, new_id, now};
use crate::roster::{ParsedRoster, RosterIssue};
use crate::schema::{roster_versions, unit_contacts, units};
use crate::{Store, StoreError};

/// Rows per multi-row INSERT: well under SQLite's and PostgreSQL's bind-parameter limits.
const INSERT_CHUNK: usize = 500;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = roster_versions)]
pub struct RosterVersion {
    pub id: String,
    pub estate_id: String,
    pub version: i64,
    pub imported_at: String,
    pub imported_by: Option<String>,
    pub source_name: String,
    pub source_sha256: String,
    pub units_count: i64,
    pub total_area_cents: i64,
}

/// A unit of a stored roster version (voting data only; contacts are read separately).
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = units)]
pub struct StoredUnit {
    pub id: String,
    pub roster_version_id: String,
    pub unit_number: String,
    pub zone: String,
    pub building: String,
    pub stairwell: String,
    pub room: String,
    pub floor: Option<i32>,
    pub area_cents: i64,
    pub owner_id: String,
    pub source_line: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = unit_contacts)]
pub struct UnitContact {
    pub unit_id: String,
    pub owner_name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// What an import stored, and how it differs from the previous version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportReport {
    pub roster_version: RosterVersion,
    pub total_area: Area,
    /// Unit numbers, sorted.
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// Units whose voting data (place, floor, area or owner) changed.
    pub changed: Vec<String>,
    /// Passed through from the parser: rows that were not units, and warnings.
    pub skipped: Vec<RosterIssue>,
    pub warnings: Vec<RosterIssue>,
}

/// The voting data compared between versions.
type UnitKey = (String, String, String, String, Option<i32>, i64, String);

fn unit_key(unit: &StoredUnit) -> UnitKey {
    (
        unit.zone.clone(),
        unit.building.clone(),
        unit.stairwell.clone(),
        unit.room.clone(),
        unit.floor,
        unit.area_cents,
        unit.owner_id.clone(),
    )
}

fn cents(area: Area) -> Result<i64, StoreError> {
    i64::try_from(area.cents()).map_err(|_| StoreError::Invalid(format!("area {area} is too large")))
}

fn insert_chunked(conn: &mut AnyConnection, units_rows: &[StoredUnit], contacts: &[UnitContact]) -> Result<(), StoreError> {
    // Multi-row inserts do not compile through MultiConnection: use the inner connection.
    for chunk in units_rows.chunks(INSERT_CHUNK) {
        match conn {
            AnyConnection::Pg(c) => diesel::insert_into(units::table).values(chunk).execute(c)?,
            AnyConnection::Sqlite(c) => diesel::insert_into(units::table).values(chunk).execute(c)?,
        };
    }
    for chunk in contacts.chunks(INSERT_CHUNK) {
        match conn {
            AnyConnection::Pg(c) => diesel::insert_into(unit_contacts::table).values(chunk).execute(c)?,
            AnyConnection::Sqlite(c) => diesel::insert_into(unit_contacts::table).values(chunk).execute(c)?,
        };
    }
    Ok(())
}

pub(crate) fn latest_version(conn: &mut AnyConnection, estate_id: &str) -> Result<Option<RosterVersion>, StoreError> {
    Ok(roster_versions::table
        .filter(roster_versions::estate_id.eq(estate_id))
        .order(roster_versions::version.desc())
        .select(RosterVersion::as_select())
        .first(conn)
        .optional()?)
}

pub(crate) fn version_units(conn: &mut AnyConnection, roster_version_id: &str) -> Result<Vec<StoredUnit>, StoreError> {
    Ok(units::table
        .filter(units::roster_version_id.eq(roster_version_id))
        .order(units::unit_number.asc())
        .select(StoredUnit::as_select())
        .load(conn)?)
}

impl Store {
    /// Stores `roster` as the estate's next roster version, in one transaction: either every
    /// unit and contact is stored with its audit entry, or nothing is.
    pub fn import_roster(
        &self,
        estate_id: &str,
        roster: &ParsedRoster,
        source_name: &str,
        source_bytes: &[u8],
        actor: &str,
    ) -> Result<ImportReport, StoreError> {
        if roster.units.is_empty() {
            return Err(StoreError::Invalid("the roster has no units".into()));
        }
        let version_id = new_id();
        let mut rows = Vec::with_capacity(roster.units.len());
        let mut contacts = Vec::new();
        let mut total_area = Area::ZERO;
        for unit in &roster.units {
            let id = new_id();
            total_area += unit.area.area();
            rows.push(StoredUnit {
                id: id.clone(),
                roster_version_id: version_id.clone(),
                unit_number: unit.unit_number(),
                zone: unit.zone.clone(),
                building: unit.building.clone(),
                stairwell: unit.stairwell.clone(),
                room: unit.room.clone(),
                floor: unit.floor,
                area_cents: cents(unit.area.area())?,
                owner_id: unit.owner_id.clone(),
                source_line: i64::try_from(unit.line).unwrap_or(i64::MAX),
            });
            let c = &unit.contact;
            if c.owner_name.is_some() || c.phone.is_some() || c.email.is_some() {
                contacts.push(UnitContact { unit_id: id, owner_name: c.owner_name.clone(), phone: c.phone.clone(), email: c.email.clone() });
            }
        }
        let new_keys: BTreeMap<&str, UnitKey> = rows.iter().map(|u| (u.unit_number.as_str(), unit_key(u))).collect();
        if new_keys.len() != rows.len() {
            return Err(StoreError::Invalid("the roster names a unit twice".into()));
        }
        let source_sha256 = sha256_hex(source_bytes);
        let units_count = i64::try_from(rows.len()).map_err(|_| StoreError::Invalid("too many units".into()))?;
        let total_area_cents = cents(total_area)?;

        self.write(|conn| {
            // The chain lock also serialises imports, so version numbers never collide.
            audit::lock_chain(conn, estate_id)?;
            self.estate_in(conn, estate_id)?;
            let previous = latest_version(conn, estate_id)?;
            let old_units = match &previous {
                Some(v) => version_units(conn, &v.id)?,
                None => Vec::new(),
            };
            let version = RosterVersion {
                id: version_id.clone(),
                estate_id: estate_id.to_owned(),
                version: previous.as_ref().map_or(1, |v| v.version + 1),
                imported_at: now(),
                imported_by: Some(actor.to_owned()),
                source_name: source_name.to_owned(),
                source_sha256: source_sha256.clone(),
                units_count,
                total_area_cents,
            };
            diesel::insert_into(roster_versions::table).values(&version).execute(conn)?;
            insert_chunked(conn, &rows, &contacts)?;

            let old_keys: BTreeMap<&str, UnitKey> = old_units.iter().map(|u| (u.unit_number.as_str(), unit_key(u))).collect();
            let added: Vec<String> = new_keys.keys().filter(|k| !old_keys.contains_key(*k)).map(|k| (*k).to_owned()).collect();
            let removed: Vec<String> = old_keys.keys().filter(|k| !new_keys.contains_key(*k)).map(|k| (*k).to_owned()).collect();
            let changed: Vec<String> = new_keys
                .iter()
                .filter(|(k, v)| old_keys.get(*k).is_some_and(|old| old != *v))
                .map(|(k, _)| (*k).to_owned())
                .collect();
            audit::append(conn, NewAuditEntry {
                chain: estate_id.to_owned(),
                actor: actor.to_owned(),
                action: "roster.imported".into(),
                subject: version.id.clone(),
                detail: serde_json::json!({
                    "version": version.version,
                    "source": source_name,
                    "source_sha256": source_sha256,
                    "units": units_count,
                    "total_area": total_area.to_string(),
                    "added": added.len(),
                    "removed": removed.len(),
                    "changed": changed.len(),
                }),
            })?;
            Ok(ImportReport {
                roster_version: version,
                total_area,
                added,
                removed,
                changed,
                skipped: roster.skipped.clone(),
                warnings: roster.warnings.clone(),
            })
        })
    }

    fn estate_in(&self, conn: &mut AnyConnection, estate_id: &str) -> Result<(), StoreError> {
        use crate::schema::estates;
        let found: i64 = estates::table.find(estate_id).count().get_result(conn)?;
        if found == 0 { Err(StoreError::NotFound(format!("estate {estate_id}"))) } else { Ok(()) }
    }

    /// The estate's roster versions, oldest first.
    pub fn roster_versions(&self, estate_id: &str) -> Result<Vec<RosterVersion>, StoreError> {
        let mut conn = self.conn()?;
        Ok(roster_versions::table
            .filter(roster_versions::estate_id.eq(estate_id))
            .order(roster_versions::version.asc())
            .select(RosterVersion::as_select())
            .load(&mut *conn)?)
    }

    /// The units of the estate's latest roster version (empty if none was imported), by unit number.
    pub fn current_units(&self, estate_id: &str) -> Result<Vec<StoredUnit>, StoreError> {
        self.read(|conn| match latest_version(conn, estate_id)? {
            Some(version) => version_units(conn, &version.id),
            None => Ok(Vec::new()),
        })
    }

    /// The units of one roster version, by unit number.
    pub fn roster_units(&self, roster_version_id: &str) -> Result<Vec<StoredUnit>, StoreError> {
        let mut conn = self.conn()?;
        version_units(&mut conn, roster_version_id)
    }

    /// Contact data of one stored unit, if the roster gave any.
    pub fn unit_contact(&self, unit_id: &str) -> Result<Option<UnitContact>, StoreError> {
        let mut conn = self.conn()?;
        Ok(unit_contacts::table.find(unit_id).select(UnitContact::as_select()).first(&mut *conn).optional()?)
    }
}
