//! The frozen electorate: when voting opens, the in-scope units of the current roster version
//! are copied per item. A sale or correction imported later changes later decisions only.

use diesel::prelude::*;
use gongjue_domain::area::Area;
use serde::Serialize;

use crate::assemblies::{Item, load_item};
use crate::db::AnyConnection;
use crate::rosters::{latest_version, version_units};
use crate::schema::{electorate_units, items};
use crate::{Store, StoreError};

const INSERT_CHUNK: usize = 500;

/// Scopes are a rule of the domain; the store keeps them as JSON with each item.
pub use gongjue_domain::electorate::{Scope, Stairwell};

/// One unit of a frozen electorate, named as the tally bundle names it.
#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = electorate_units)]
pub struct ElectorateUnit {
    pub item_id: String,
    pub unit_number: String,
    pub zone: String,
    pub building: String,
    pub stairwell: String,
    pub floor: Option<i32>,
    pub area_cents: i64,
    /// The owner identity (`owner_id`) at freezing time.
    pub voter: String,
}

/// What was frozen for one item, recorded in the audit entry of the opening.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FrozenElectorate {
    pub item_id: String,
    pub roster_version: i64,
    pub units: usize,
    pub total_area: Area,
    /// [`units_hash`] of the frozen units: what `audit verify` compares the table with later.
    pub units_hash: String,
}

/// SHA-256 (hex) of a frozen electorate's units and areas, in unit order. Owners are left out:
/// a confirmed transfer changes them later, and is logged on its own.
pub fn units_hash(rows: &[ElectorateUnit]) -> String {
    use sha2::Digest;
    // The canonical JSON `["gongjue-electorate/1",[[unit,zone,building,stairwell,floor,area],…]]`
    // (compact, units in unit order), hashed as it is written: at 100,000 units the document
    // built first as a `serde_json::Value` took tens of MB.
    struct Hashing(sha2::Sha256);
    impl std::io::Write for Hashing {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.update(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut ordered: Vec<&ElectorateUnit> = rows.iter().collect();
    ordered.sort_by(|a, b| a.unit_number.cmp(&b.unit_number));
    let mut out = Hashing(sha2::Sha256::new());
    out.0.update(br#"["gongjue-electorate/1",["#);
    for (i, u) in ordered.iter().enumerate() {
        if i > 0 {
            out.0.update(b",");
        }
        let unit = (
            &u.unit_number,
            &u.zone,
            &u.building,
            &u.stairwell,
            u.floor,
            u.area_cents,
        );
        // Writing strings and numbers into a hasher cannot fail.
        let _ = serde_json::to_writer(&mut out, &unit);
    }
    out.0.update(b"]]");
    format!("{:x}", out.0.finalize())
}

/// Copies the in-scope units of the estate's latest roster version into the item's electorate
/// and marks the item open. Inside the caller's write transaction.
pub(crate) fn freeze(
    conn: &mut AnyConnection,
    estate_id: &str,
    item: &Item,
    at: &str,
    check: impl FnOnce(&[ElectorateUnit]) -> Result<(), StoreError>,
) -> Result<FrozenElectorate, StoreError> {
    if item.electorate_frozen_at.is_some() {
        return Err(StoreError::Conflict(format!(
            "the electorate of item {} is already frozen",
            item.id
        )));
    }
    let scope: Scope = serde_json::from_str(&item.scope)
        .map_err(|e| StoreError::Corrupt(format!("scope of item {}: {e}", item.id)))?;
    let version = latest_version(conn, estate_id)?
        .ok_or_else(|| StoreError::Invalid("no roster has been imported for this estate".into()))?;
    let rows: Vec<ElectorateUnit> = version_units(conn, &version.id)?
        .into_iter()
        .filter(|u| scope.includes(&u.zone, &u.building, &u.stairwell))
        .map(|u| ElectorateUnit {
            item_id: item.id.clone(),
            unit_number: u.unit_number,
            zone: u.zone,
            building: u.building,
            stairwell: u.stairwell,
            floor: u.floor,
            area_cents: u.area_cents,
            voter: u.owner_id,
        })
        .collect();
    check(&rows)?;
    if rows.is_empty() {
        return Err(StoreError::Invalid(format!(
            "the scope of item {} contains no unit",
            item.id
        )));
    }
    let total_area = rows
        .iter()
        .map(|u| Area::from_cents(u64::try_from(u.area_cents).unwrap_or(0)))
        .sum();
    for chunk in rows.chunks(INSERT_CHUNK) {
        // Multi-row inserts do not compile through MultiConnection: use the inner connection.
        match conn {
            AnyConnection::Pg(c) => diesel::insert_into(electorate_units::table)
                .values(chunk)
                .execute(c)?,
            AnyConnection::Sqlite(c) => diesel::insert_into(electorate_units::table)
                .values(chunk)
                .execute(c)?,
        };
    }
    diesel::update(items::table.find(&item.id))
        .set((
            items::state.eq("open"),
            items::roster_version_id.eq(&version.id),
            items::electorate_frozen_at.eq(at),
        ))
        .execute(conn)?;
    Ok(FrozenElectorate {
        item_id: item.id.clone(),
        roster_version: version.version,
        units: rows.len(),
        total_area,
        units_hash: units_hash(&rows),
    })
}

pub(crate) fn is_member(
    conn: &mut AnyConnection,
    item_id: &str,
    voter: &str,
) -> Result<bool, StoreError> {
    let found: i64 = electorate_units::table
        .filter(electorate_units::item_id.eq(item_id))
        .filter(electorate_units::voter.eq(voter))
        .count()
        .get_result(conn)?;
    Ok(found > 0)
}

pub(crate) fn frozen(
    conn: &mut AnyConnection,
    item_id: &str,
) -> Result<Vec<ElectorateUnit>, StoreError> {
    Ok(electorate_units::table
        .filter(electorate_units::item_id.eq(item_id))
        .order(electorate_units::unit_number.asc())
        .select(ElectorateUnit::as_select())
        .load(conn)?)
}

/// Everything the domain's tally needs for one item, read in one snapshot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TallyInput {
    pub item: Item,
    pub electorate: Vec<ElectorateUnit>,
    pub ballots: Vec<crate::ballots::CountedBallot>,
}

impl Store {
    /// The item's frozen electorate by unit number (empty before voting opens).
    pub fn electorate(&self, item_id: &str) -> Result<Vec<ElectorateUnit>, StoreError> {
        self.read(|conn| {
            load_item(conn, item_id)?;
            frozen(conn, item_id)
        })
    }

    /// The item, its frozen electorate and its counted ballots, consistent with each other.
    pub fn tally_input(&self, item_id: &str) -> Result<TallyInput, StoreError> {
        self.read(|conn| {
            let item = load_item(conn, item_id)?;
            let electorate = frozen(conn, item_id)?;
            let ballots = crate::ballots::counted(conn, item_id)?;
            Ok(TallyInput {
                item,
                electorate,
                ballots,
            })
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn unit(number: &str, floor: Option<i32>, cents: i64) -> ElectorateUnit {
        ElectorateUnit {
            item_id: "i".into(),
            unit_number: number.into(),
            zone: "北区".into(),
            building: "1".into(),
            stairwell: "\"2\"".into(),
            floor,
            area_cents: cents,
            voter: "P1".into(),
        }
    }

    /// The hash written as it streams is the one of the whole document built first (as the
    /// audit entries of assemblies opened by earlier versions recorded it).
    #[test]
    fn the_streamed_hash_is_the_documents() {
        let rows = vec![
            unit("1-1-102", Some(1), 8950),
            unit("1-1-101", None, 10_000),
            unit("10-2-1701", Some(-1), 1),
        ];
        let mut units: Vec<_> = rows
            .iter()
            .map(|u| {
                serde_json::json!([
                    u.unit_number,
                    u.zone,
                    u.building,
                    u.stairwell,
                    u.floor,
                    u.area_cents
                ])
            })
            .collect();
        units.sort_by_key(|u| u.get(0).and_then(|n| n.as_str()).map(str::to_owned));
        let canonical = serde_json::json!(["gongjue-electorate/1", units]);
        assert_eq!(
            units_hash(&rows),
            crate::audit::sha256_hex(canonical.to_string().as_bytes())
        );
        assert_ne!(units_hash(&rows), units_hash(&rows[..2]));
    }
}
