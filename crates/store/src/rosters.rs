//! Roster versions: an already parsed roster stored all-or-nothing as a new version, with a
//! report of what changed since the previous one. Parsing lives in `roster/`.

use std::collections::HashSet;

use diesel::prelude::*;
use gongjue_domain::area::{Area, UnitArea};
use serde::Serialize;

use crate::audit::{self, NewAuditEntry, sha256_hex};
use crate::db::{AnyConnection, new_id, now};
use crate::roster::{
    Contact, ParsedRoster, RosterDiff, RosterIssue, RosterUnit, diff, parse_roster,
};
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
    /// Units added, removed and changed (area, owner, zone or floor) since the previous version.
    pub changes: RosterDiff,
    /// Passed through from the parser: rows that were not units, and warnings.
    pub skipped: Vec<RosterIssue>,
    pub warnings: Vec<RosterIssue>,
}

/// The figures of a roster version a secretary checks after an import: units, members (each
/// owner id once), the developer's unsold units, and how many members can be reached by
/// e-mail or phone.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RosterCounts {
    pub version: i64,
    pub units: u64,
    pub total_area: Area,
    /// Distinct owner ids: the heads of an estate-wide decision.
    pub members: u64,
    pub developer_units: u64,
    pub members_with_email: u64,
    pub members_with_phone: u64,
}

/// Whether a roster row is one of the developer's unsold units: the shared owner id
/// `DEVELOPER` (as the fixtures and the spec write it) or an owner named 开发商….
pub fn is_developer(owner_id: &str, owner_name: Option<&str>) -> bool {
    owner_id.trim().eq_ignore_ascii_case("developer")
        || owner_id.contains("开发商")
        || owner_name.is_some_and(|n| n.contains("开发商"))
}

impl StoredUnit {
    /// The unit as the roster parser gives it, for comparing versions (contacts left out).
    fn to_roster_unit(&self) -> Result<RosterUnit, StoreError> {
        let area = u64::try_from(self.area_cents)
            .ok()
            .and_then(|cents| UnitArea::new(Area::from_cents(cents)).ok())
            .ok_or_else(|| {
                StoreError::Corrupt(format!(
                    "unit {} has area {} hundredths of m²",
                    self.unit_number, self.area_cents
                ))
            })?;
        Ok(RosterUnit {
            line: usize::try_from(self.source_line).unwrap_or(0),
            zone: self.zone.clone(),
            building: self.building.clone(),
            stairwell: self.stairwell.clone(),
            room: self.room.clone(),
            floor: self.floor,
            area,
            owner_id: self.owner_id.clone(),
            contact: Contact::default(),
        })
    }
}

fn cents(area: Area) -> Result<i64, StoreError> {
    i64::try_from(area.cents())
        .map_err(|_| StoreError::Invalid(format!("area {area} is too large")))
}

fn insert_chunked(
    conn: &mut AnyConnection,
    units_rows: &[StoredUnit],
    contacts: &[UnitContact],
) -> Result<(), StoreError> {
    // Multi-row inserts do not compile through MultiConnection: use the inner connection.
    for chunk in units_rows.chunks(INSERT_CHUNK) {
        match conn {
            AnyConnection::Pg(c) => diesel::insert_into(units::table).values(chunk).execute(c)?,
            AnyConnection::Sqlite(c) => {
                diesel::insert_into(units::table).values(chunk).execute(c)?
            }
        };
    }
    for chunk in contacts.chunks(INSERT_CHUNK) {
        match conn {
            AnyConnection::Pg(c) => diesel::insert_into(unit_contacts::table)
                .values(chunk)
                .execute(c)?,
            AnyConnection::Sqlite(c) => diesel::insert_into(unit_contacts::table)
                .values(chunk)
                .execute(c)?,
        };
    }
    Ok(())
}

/// Erases the contacts of every roster version of the estate but `current`: only the current
/// roster's are ever read (for notices), and a unit no longer on it, or sold since, must not keep
/// its owner's phone and address. Returns how many contact rows were erased.
fn erase_superseded_contacts(
    conn: &mut AnyConnection,
    estate_id: &str,
    current: &str,
) -> Result<usize, StoreError> {
    let earlier = roster_versions::table
        .filter(roster_versions::estate_id.eq(estate_id))
        .filter(roster_versions::id.ne(current))
        .select(roster_versions::id);
    let earlier_units = units::table
        .filter(units::roster_version_id.eq_any(earlier))
        .select(units::id);
    Ok(
        diesel::delete(unit_contacts::table.filter(unit_contacts::unit_id.eq_any(earlier_units)))
            .execute(conn)?,
    )
}

pub(crate) fn latest_version(
    conn: &mut AnyConnection,
    estate_id: &str,
) -> Result<Option<RosterVersion>, StoreError> {
    Ok(roster_versions::table
        .filter(roster_versions::estate_id.eq(estate_id))
        .order(roster_versions::version.desc())
        .select(RosterVersion::as_select())
        .first(conn)
        .optional()?)
}

pub(crate) fn version_units(
    conn: &mut AnyConnection,
    roster_version_id: &str,
) -> Result<Vec<StoredUnit>, StoreError> {
    Ok(units::table
        .filter(units::roster_version_id.eq(roster_version_id))
        .order(units::unit_number.asc())
        .select(StoredUnit::as_select())
        .load(conn)?)
}

impl Store {
    /// Reads a roster file (CSV or XLSX, UTF-8 or GBK) and stores it as the estate's next roster
    /// version. A file with any error stores nothing and returns every error with its line.
    pub fn import_roster_file(
        &self,
        estate_id: &str,
        source_name: &str,
        bytes: &[u8],
        actor: &str,
    ) -> Result<ImportReport, StoreError> {
        let roster = parse_roster(bytes)?;
        self.import_roster(estate_id, &roster, source_name, bytes, actor)
    }

    /// Stores `roster` as the estate's next roster version, in one transaction: either every
    /// unit and contact is stored with its audit entry, or nothing is. The contacts of earlier
    /// versions are erased in the same transaction (counted in the audit entry).
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
                contacts.push(UnitContact {
                    unit_id: id,
                    owner_name: c.owner_name.clone(),
                    phone: c.phone.clone(),
                    email: c.email.clone(),
                });
            }
        }
        let numbers: HashSet<&str> = rows.iter().map(|u| u.unit_number.as_str()).collect();
        if numbers.len() != rows.len() {
            return Err(StoreError::Invalid("the roster names a unit twice".into()));
        }
        let source_sha256 = sha256_hex(source_bytes);
        let units_count =
            i64::try_from(rows.len()).map_err(|_| StoreError::Invalid("too many units".into()))?;
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
            diesel::insert_into(roster_versions::table)
                .values(&version)
                .execute(conn)?;
            insert_chunked(conn, &rows, &contacts)?;
            let contacts_erased = erase_superseded_contacts(conn, estate_id, &version.id)?;

            let old_units = old_units
                .iter()
                .map(StoredUnit::to_roster_unit)
                .collect::<Result<Vec<_>, _>>()?;
            let changes = diff(&old_units, &roster.units);
            audit::append(
                conn,
                NewAuditEntry {
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
                        "added": changes.added.len(),
                        "removed": changes.removed.len(),
                        "changed": changes.changed.len(),
                        "contacts_erased": contacts_erased,
                    }),
                },
            )?;
            Ok(ImportReport {
                roster_version: version,
                total_area,
                changes,
                skipped: roster.skipped.clone(),
                warnings: roster.warnings.clone(),
            })
        })
    }

    fn estate_in(&self, conn: &mut AnyConnection, estate_id: &str) -> Result<(), StoreError> {
        use crate::schema::estates;
        let found: i64 = estates::table.find(estate_id).count().get_result(conn)?;
        if found == 0 {
            Err(StoreError::NotFound(format!("estate {estate_id}")))
        } else {
            Ok(())
        }
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

    /// The figures of the estate's current roster version (none before any import).
    pub fn current_roster_counts(
        &self,
        estate_id: &str,
    ) -> Result<Option<RosterCounts>, StoreError> {
        self.read(|conn| {
            let Some(version) = latest_version(conn, estate_id)? else {
                return Ok(None);
            };
            type Row = (String, i64, Option<String>, Option<String>, Option<String>);
            let rows: Vec<Row> = units::table
                .left_join(unit_contacts::table)
                .filter(units::roster_version_id.eq(&version.id))
                .select((
                    units::owner_id,
                    units::area_cents,
                    unit_contacts::owner_name.nullable(),
                    unit_contacts::phone.nullable(),
                    unit_contacts::email.nullable(),
                ))
                .load(conn)?;
            let filled = |v: &Option<String>| v.as_deref().is_some_and(|t| !t.trim().is_empty());
            let mut members = HashSet::new();
            let mut with_email = HashSet::new();
            let mut with_phone = HashSet::new();
            let mut counts = RosterCounts {
                version: version.version,
                ..RosterCounts::default()
            };
            for (owner, cents, name, phone, email) in &rows {
                counts.units += 1;
                counts.total_area += Area::from_cents(u64::try_from(*cents).unwrap_or(0));
                if is_developer(owner, name.as_deref()) {
                    counts.developer_units += 1;
                }
                if filled(email) {
                    with_email.insert(owner.as_str());
                }
                if filled(phone) {
                    with_phone.insert(owner.as_str());
                }
                members.insert(owner.as_str());
            }
            let n = |set: &HashSet<&str>| u64::try_from(set.len()).unwrap_or(u64::MAX);
            counts.members = n(&members);
            counts.members_with_email = n(&with_email);
            counts.members_with_phone = n(&with_phone);
            Ok(Some(counts))
        })
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
        Ok(unit_contacts::table
            .find(unit_id)
            .select(UnitContact::as_select())
            .first(&mut *conn)
            .optional()?)
    }
}
