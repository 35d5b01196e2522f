//! Roster versions: an already parsed roster stored all-or-nothing as a new version, with a
//! report of what changed since the previous one. Parsing lives in `roster/`.

use std::collections::{BTreeMap, HashSet};

use diesel::connection::DefaultLoadingMode;
use diesel::prelude::*;
use gongjue_domain::area::{Area, UnitArea};
use serde::Serialize;

use crate::audit::{self, NewAuditEntry, sha256_hex};
use crate::db::{AnyConnection, new_id, now, timestamp};
use crate::roster::{
    ParsedRoster, RosterDiff, RosterIssue, RosterUnit, UnitFacts, diff_against, parse_roster,
};
use crate::schema::{roster_versions, unit_contacts, units};
use crate::{Store, StoreError};

/// Rows per multi-row INSERT: well under SQLite's and PostgreSQL's bind-parameter limits.
const INSERT_CHUNK: usize = 500;

/// Units stored per transaction of an import on SQLite, where each holds the only writer: 2,000
/// units (and their contacts) took 50–330 ms on a busy 2-core machine, 1,000 up to 300 ms into
/// a large re-import, every estate's ballots waiting meanwhile (issue 22).
const SQLITE_STAGE_CHUNK: usize = 250;

/// The same on PostgreSQL, where other estates' ballots do not wait for an import's
/// transactions: larger, since each costs round trips and a durable commit (a 100,000-unit
/// import took 43 s beside an intake in chunks of 250, 29 s in chunks of 1,000).
const POSTGRES_STAGE_CHUNK: usize = 1_000;

/// How often an import works out its changes again when other imports of the estate keep
/// becoming current first.
const MAKE_CURRENT_TRIES: usize = 5;

/// A pending version this old belongs to an import that will never finish.
const ABANDONED_AFTER: chrono::TimeDelta = chrono::TimeDelta::hours(1);

/// A pending version's number until it is made current: above any real one (they count from 1),
/// drawn from the version's random id so that imports staged side by side do not collide.
fn placeholder_number(version_id: &str) -> i64 {
    let random = uuid::Uuid::parse_str(version_id).map_or(0, |id| id.as_u64_pair().1);
    i64::try_from((random >> 2) | (1 << 62)).unwrap_or(i64::MAX)
}

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

/// A stored unit's area, which the roster's check made strictly positive.
fn unit_area(unit_number: &str, area_cents: i64) -> Result<UnitArea, StoreError> {
    u64::try_from(area_cents)
        .ok()
        .and_then(|cents| UnitArea::new(Area::from_cents(cents)).ok())
        .ok_or_else(|| {
            StoreError::Corrupt(format!(
                "unit {unit_number} has area {area_cents} hundredths of m²"
            ))
        })
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

/// How many contacts of the estate's roster versions other than `current` (and imports still
/// being staged) are left to erase.
fn superseded_contacts(
    conn: &mut AnyConnection,
    estate_id: &str,
    current: &str,
) -> Result<usize, StoreError> {
    let earlier = roster_versions::table
        .filter(roster_versions::estate_id.eq(estate_id))
        .filter(roster_versions::id.ne(current))
        .filter(roster_versions::pending.eq(false))
        .select(roster_versions::id);
    let count: i64 = unit_contacts::table
        .inner_join(units::table)
        .filter(units::roster_version_id.eq_any(earlier))
        .count()
        .get_result(conn)?;
    Ok(usize::try_from(count).unwrap_or(usize::MAX))
}

pub(crate) fn latest_version(
    conn: &mut AnyConnection,
    estate_id: &str,
) -> Result<Option<RosterVersion>, StoreError> {
    Ok(roster_versions::table
        .filter(roster_versions::estate_id.eq(estate_id))
        .filter(roster_versions::pending.eq(false))
        .order(roster_versions::version.desc())
        .select(RosterVersion::as_select())
        .first(conn)
        .optional()?)
}

/// What a re-import compares of each unit of a version, by unit number, read row by row: the
/// whole units of a 200,000-unit version, twice over, were most of a large import's memory
/// (issue 22).
fn version_facts(
    conn: &mut AnyConnection,
    roster_version_id: &str,
) -> Result<BTreeMap<String, UnitFacts>, StoreError> {
    let rows = units::table
        .filter(units::roster_version_id.eq(roster_version_id))
        .select((
            units::unit_number,
            units::area_cents,
            units::owner_id,
            units::zone,
            units::floor,
        ))
        .load_iter::<(String, i64, String, String, Option<i32>), DefaultLoadingMode>(conn)?;
    let mut facts = BTreeMap::new();
    for row in rows {
        let (unit_number, area_cents, owner_id, zone, floor) = row?;
        let area = unit_area(&unit_number, area_cents)?;
        facts.insert(
            unit_number,
            UnitFacts {
                area,
                owner_id,
                zone,
                floor,
            },
        );
    }
    Ok(facts)
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

    /// Stores `roster` as the estate's next roster version: either every unit and contact is
    /// stored with its audit entry, or nothing is visible. The units go in under a pending version
    /// in short transactions of their own ([`Store::stage_chunk`] units each), so a large roster never
    /// holds the writer (on SQLite, every estate's) for long; one brief transaction then numbers
    /// the version, makes it current and audits it. The contacts of earlier versions are erased
    /// right after, in short transactions too (counted in the audit entry).
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
        let mut numbers = HashSet::with_capacity(roster.units.len());
        let mut total_area = Area::ZERO;
        for unit in &roster.units {
            if !numbers.insert(unit.unit_number()) {
                return Err(StoreError::Invalid("the roster names a unit twice".into()));
            }
            total_area += unit.area.area();
        }
        drop(numbers);
        let units_count = i64::try_from(roster.units.len())
            .map_err(|_| StoreError::Invalid("too many units".into()))?;
        let mut version = RosterVersion {
            id: new_id(),
            estate_id: estate_id.to_owned(),
            version: 0,
            imported_at: now(),
            imported_by: Some(actor.to_owned()),
            source_name: source_name.to_owned(),
            source_sha256: sha256_hex(source_bytes),
            units_count,
            total_area_cents: cents(total_area)?,
        };
        version.version = placeholder_number(&version.id);

        self.erase_abandoned_imports(estate_id)?;
        self.write(|conn| {
            self.estate_in(conn, estate_id)?;
            diesel::insert_into(roster_versions::table)
                .values((&version, roster_versions::pending.eq(true)))
                .execute(conn)?;
            Ok(())
        })?;
        let staged = roster
            .units
            .chunks(self.stage_chunk())
            .try_for_each(|chunk| self.stage_units(&version.id, chunk));
        let made_current = staged.and_then(|()| self.make_current(&mut version, roster, actor));
        let (changes, contacts_superseded) = match made_current {
            Ok(done) => done,
            Err(e) => {
                // Best effort: what is left is never read, and the next import erases it.
                let _ = self.erase_staged(&version.id);
                return Err(e);
            }
        };
        if contacts_superseded > 0 {
            self.erase_superseded_contacts(estate_id, &version.id)?;
        }
        Ok(ImportReport {
            roster_version: version,
            total_area,
            changes,
            skipped: roster.skipped.clone(),
            warnings: roster.warnings.clone(),
        })
    }

    /// Stores one chunk of a pending version's units and their contacts in a transaction of its
    /// own.
    fn stage_units(&self, version_id: &str, chunk: &[RosterUnit]) -> Result<(), StoreError> {
        let mut rows = Vec::with_capacity(chunk.len());
        let mut contacts = Vec::new();
        for unit in chunk {
            let id = new_id();
            rows.push(StoredUnit {
                id: id.clone(),
                roster_version_id: version_id.to_owned(),
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
        self.write(|conn| insert_chunked(conn, &rows, &contacts))
    }

    /// Numbers the staged version after the current one, makes it current and audits it, in one
    /// brief transaction. What changed is worked out before, outside the writer, against the
    /// version that was current then; should another import have become current meanwhile, it
    /// is worked out again against that one. Returns the changes and how many contacts of
    /// earlier versions are now to be erased.
    fn make_current(
        &self,
        version: &mut RosterVersion,
        roster: &ParsedRoster,
        actor: &str,
    ) -> Result<(RosterDiff, usize), StoreError> {
        let estate_id = version.estate_id.clone();
        for _ in 0..MAKE_CURRENT_TRIES {
            let (base, changes, contacts_superseded) = self.read(|conn| {
                let base = latest_version(conn, &estate_id)?;
                let before = match &base {
                    Some(v) => version_facts(conn, &v.id)?,
                    None => BTreeMap::new(),
                };
                // Counted here, outside the writer: on SQLite a count over 100,000 contacts
                // would hold every estate's ballots for a noticeable moment.
                let superseded = superseded_contacts(conn, &estate_id, &version.id)?;
                Ok((
                    base.map(|v| (v.id, v.version)),
                    diff_against(before, &roster.units),
                    superseded,
                ))
            })?;
            let done = self.write(|conn| {
                // The chain lock also serialises imports, so version numbers never collide.
                audit::lock_chain(conn, &estate_id)?;
                let current = latest_version(conn, &estate_id)?.map(|v| (v.id, v.version));
                if current != base {
                    return Ok(None);
                }
                version.version = base.as_ref().map_or(1, |(_, number)| number + 1);
                version.imported_at = now();
                let updated = diesel::update(
                    roster_versions::table
                        .find(&version.id)
                        .filter(roster_versions::pending.eq(true)),
                )
                .set((
                    roster_versions::version.eq(version.version),
                    roster_versions::imported_at.eq(&version.imported_at),
                    roster_versions::pending.eq(false),
                ))
                .execute(conn)?;
                if updated != 1 {
                    return Err(StoreError::Conflict(
                        "the import was abandoned before it finished; import the file again".into(),
                    ));
                }
                audit::append(
                    conn,
                    NewAuditEntry {
                        chain: estate_id.clone(),
                        actor: actor.to_owned(),
                        action: "roster.imported".into(),
                        subject: version.id.clone(),
                        detail: serde_json::json!({
                            "version": version.version,
                            "source": version.source_name,
                            "source_sha256": version.source_sha256,
                            "units": version.units_count,
                            "total_area": Area::from_cents(
                                u64::try_from(version.total_area_cents).unwrap_or(0)
                            )
                            .to_string(),
                            "added": changes.added.len(),
                            "removed": changes.removed.len(),
                            "changed": changes.changed.len(),
                            "contacts_erased": contacts_superseded,
                        }),
                    },
                )?;
                Ok(Some(contacts_superseded))
            })?;
            if let Some(contacts_superseded) = done {
                return Ok((changes, contacts_superseded));
            }
        }
        Err(StoreError::Conflict(
            "other imports of this estate's roster kept finishing first; import the file again"
                .into(),
        ))
    }

    /// Erases the contacts of every roster version of the estate but `current` (and imports
    /// still being staged): only the current roster's are ever read (for notices), and a unit
    /// no longer on it, or sold since, must not keep its owner's phone and address. In short
    /// transactions of [`Store::stage_chunk`] rows, like the staging.
    fn erase_superseded_contacts(&self, estate_id: &str, current: &str) -> Result<(), StoreError> {
        let earlier: Vec<String> = self.read(|conn| {
            Ok(roster_versions::table
                .filter(roster_versions::estate_id.eq(estate_id))
                .filter(roster_versions::id.ne(current))
                .filter(roster_versions::pending.eq(false))
                .select(roster_versions::id)
                .load(conn)?)
        })?;
        for version in &earlier {
            let has_contacts: bool = self.read(|conn| {
                Ok(diesel::select(diesel::dsl::exists(
                    unit_contacts::table
                        .inner_join(units::table)
                        .filter(units::roster_version_id.eq(version)),
                ))
                .get_result(conn)?)
            })?;
            if !has_contacts {
                continue; // erased at an earlier import
            }
            // Through the version's units in number order (an index), a chunk at a time: the
            // ids are read outside the writer, only their deletion takes it.
            let mut after = String::new();
            loop {
                let chunk: Vec<(String, String)> = self.read(|conn| {
                    Ok(units::table
                        .filter(units::roster_version_id.eq(version))
                        .filter(units::unit_number.gt(&after))
                        .order(units::unit_number.asc())
                        .select((units::unit_number, units::id))
                        .limit(self.stage_chunk() as i64)
                        .load(conn)?)
                })?;
                let Some((last, _)) = chunk.last() else {
                    break;
                };
                after = last.clone();
                let ids: Vec<&str> = chunk.iter().map(|(_, id)| id.as_str()).collect();
                self.write(|conn| {
                    diesel::delete(
                        unit_contacts::table.filter(unit_contacts::unit_id.eq_any(&ids)),
                    )
                    .execute(conn)?;
                    Ok(())
                })?;
            }
        }
        Ok(())
    }

    /// Removes a pending version with its units and contacts, in short transactions.
    fn erase_staged(&self, version_id: &str) -> Result<(), StoreError> {
        loop {
            let erased = self.write(|conn| {
                let batch: Vec<String> = units::table
                    .filter(units::roster_version_id.eq(version_id))
                    .select(units::id)
                    .limit(self.stage_chunk() as i64)
                    .load(conn)?;
                diesel::delete(unit_contacts::table.filter(unit_contacts::unit_id.eq_any(&batch)))
                    .execute(conn)?;
                Ok(diesel::delete(units::table.filter(units::id.eq_any(&batch))).execute(conn)?)
            })?;
            if erased == 0 {
                break;
            }
        }
        self.write(|conn| {
            diesel::delete(
                roster_versions::table
                    .find(version_id)
                    .filter(roster_versions::pending.eq(true)),
            )
            .execute(conn)?;
            Ok(())
        })
    }

    /// Removes what imports of the estate that never finished (the server stopped or crashed
    /// while staging) left behind: pending versions older than [`ABANDONED_AFTER`].
    fn erase_abandoned_imports(&self, estate_id: &str) -> Result<(), StoreError> {
        let before = timestamp(chrono::Utc::now() - ABANDONED_AFTER);
        let abandoned: Vec<String> = self.read(|conn| {
            Ok(roster_versions::table
                .filter(roster_versions::estate_id.eq(estate_id))
                .filter(roster_versions::pending.eq(true))
                .filter(roster_versions::imported_at.lt(&before))
                .select(roster_versions::id)
                .load(conn)?)
        })?;
        abandoned.iter().try_for_each(|id| self.erase_staged(id))
    }

    /// Rows per transaction of an import's staging and erasing, by backend.
    fn stage_chunk(&self) -> usize {
        match self.backend() {
            crate::Backend::Sqlite => SQLITE_STAGE_CHUNK,
            crate::Backend::Postgres => POSTGRES_STAGE_CHUNK,
        }
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
            .filter(roster_versions::pending.eq(false))
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
