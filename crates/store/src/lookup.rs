//! Small reads the API needs for authorization and service rules before it writes:
//! which estate a ballot version belongs to, whether a voter is in an item's electorate,
//! whether a voting code is still active, which proxies a holder holds.

use diesel::prelude::*;

use crate::assemblies::{load_assembly, load_item};
use crate::ballots::BallotVersion;
use crate::db::AnyConnection;
use crate::electorate::is_member;
use crate::proxies::Proxy;
use crate::rosters::latest_version;
use crate::schema::{
    ballot_versions, electorate_units, items, proxies, proxy_items, units, voting_codes,
};
use crate::{Store, StoreError};

impl Store {
    /// A ballot version with the id of its estate.
    pub fn ballot_version(&self, version_id: &str) -> Result<(BallotVersion, String), StoreError> {
        self.read(|conn| {
            let version: BallotVersion = ballot_versions::table
                .find(version_id)
                .select(BallotVersion::as_select())
                .first(conn)
                .optional()?
                .ok_or_else(|| StoreError::NotFound(format!("ballot {version_id}")))?;
            let item = load_item(conn, &version.item_id)?;
            let estate = load_assembly(conn, &item.assembly_id)?.estate_id;
            Ok((version, estate))
        })
    }

    /// Whether the voter is in the item's frozen electorate.
    pub fn in_electorate(&self, item_id: &str, voter: &str) -> Result<bool, StoreError> {
        let mut conn = self.conn()?;
        is_member(&mut conn, item_id, voter)
    }

    /// Whether `voter` is someone of the assembly: a member of one of its frozen electorates (a
    /// transfer's new owner included) or an owner on its estate's current roster (before the
    /// electorates are frozen). A proxy names two such people; anyone else is a typo.
    pub fn is_assembly_voter(&self, assembly_id: &str, voter: &str) -> Result<bool, StoreError> {
        self.read(|conn| {
            let estate_id = load_assembly(conn, assembly_id)?.estate_id;
            let frozen: i64 = electorate_units::table
                .inner_join(items::table.on(items::id.eq(electorate_units::item_id)))
                .filter(items::assembly_id.eq(assembly_id))
                .filter(electorate_units::voter.eq(voter))
                .count()
                .get_result(conn)?;
            if frozen > 0 {
                return Ok(true);
            }
            let Some(roster) = latest_version(conn, &estate_id)? else {
                return Ok(false);
            };
            let on_roster: i64 = units::table
                .filter(units::roster_version_id.eq(&roster.id))
                .filter(units::owner_id.eq(voter))
                .count()
                .get_result(conn)?;
            Ok(on_roster > 0)
        })
    }

    /// The units `voter` votes for in the assembly: those of its frozen electorates (a
    /// confirmed transfer's included), or before they are frozen those of the estate's current
    /// roster. Sorted, each once.
    pub fn voter_units(&self, assembly_id: &str, voter: &str) -> Result<Vec<String>, StoreError> {
        self.read(|conn| {
            let estate_id = load_assembly(conn, assembly_id)?.estate_id;
            let frozen: Vec<String> = electorate_units::table
                .inner_join(items::table.on(items::id.eq(electorate_units::item_id)))
                .filter(items::assembly_id.eq(assembly_id))
                .filter(electorate_units::voter.eq(voter))
                .select(electorate_units::unit_number)
                .distinct()
                .order(electorate_units::unit_number.asc())
                .load(conn)?;
            if !frozen.is_empty() {
                return Ok(frozen);
            }
            let Some(roster) = latest_version(conn, &estate_id)? else {
                return Ok(Vec::new());
            };
            Ok(units::table
                .filter(units::roster_version_id.eq(&roster.id))
                .filter(units::owner_id.eq(voter))
                .select(units::unit_number)
                .order(units::unit_number.asc())
                .load(conn)?)
        })
    }

    /// The voter holding a unit in the item's frozen electorate.
    pub fn voter_of_unit(
        &self,
        item_id: &str,
        unit_number: &str,
    ) -> Result<Option<String>, StoreError> {
        let mut conn = self.conn()?;
        Ok(electorate_units::table
            .filter(electorate_units::item_id.eq(item_id))
            .filter(electorate_units::unit_number.eq(unit_number))
            .select(electorate_units::voter)
            .first(&mut *conn)
            .optional()?)
    }

    /// The distinct voters of the item's frozen electorate.
    pub fn electorate_voters(&self, item_id: &str) -> Result<Vec<String>, StoreError> {
        let mut conn = self.conn()?;
        Ok(electorate_units::table
            .filter(electorate_units::item_id.eq(item_id))
            .select(electorate_units::voter)
            .distinct()
            .order(electorate_units::voter.asc())
            .load(&mut *conn)?)
    }

    /// Whether the code with this id is still active (an owner session dies with its code).
    pub fn code_is_active(&self, code_id: &str) -> Result<bool, StoreError> {
        let mut conn = self.conn()?;
        let found: i64 = voting_codes::table
            .filter(voting_codes::id.eq(code_id))
            .filter(voting_codes::revoked_at.is_null())
            .count()
            .get_result(&mut *conn)?;
        Ok(found > 0)
    }

    /// The active proxies a holder holds in an assembly, each with the items it covers
    /// (empty = every item).
    pub fn proxies_held(
        &self,
        assembly_id: &str,
        holder: &str,
    ) -> Result<Vec<(Proxy, Vec<String>)>, StoreError> {
        self.read(|conn| proxies_held(conn, assembly_id, holder))
    }
}

/// [`Store::proxies_held`] on the caller's connection (in the caller's snapshot).
pub(crate) fn proxies_held(
    conn: &mut AnyConnection,
    assembly_id: &str,
    holder: &str,
) -> Result<Vec<(Proxy, Vec<String>)>, StoreError> {
    {
        {
            let held: Vec<Proxy> = proxies::table
                .filter(proxies::assembly_id.eq(assembly_id))
                .filter(proxies::holder.eq(holder))
                .filter(proxies::revoked_at.is_null())
                .order(proxies::id.asc())
                .select(Proxy::as_select())
                .load(conn)?;
            held.into_iter()
                .map(|proxy| {
                    let covered: Vec<String> = proxy_items::table
                        .filter(proxy_items::proxy_id.eq(&proxy.id))
                        .select(proxy_items::item_id)
                        .load(conn)?;
                    Ok((proxy, covered))
                })
                .collect()
        }
    }
}
