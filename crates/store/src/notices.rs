//! What the notices need to know about owners, kept apart from the voting data: their e-mail
//! address and name (from the current roster's contacts), the language they want, and who has
//! not voted yet (for a reminder round).

use std::collections::{BTreeMap, BTreeSet};

use diesel::prelude::*;
use serde::Serialize;

use crate::assemblies::Assembly;
use crate::db::AnyConnection;
use crate::rosters::latest_version;
use crate::schema::{
    assemblies, ballots, electorate_units, items, notice_channels, notice_languages, outbox,
    unit_contacts, units,
};
use crate::{Store, StoreError};

/// One owner of the current roster, as the notices address them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OwnerContact {
    pub owner_id: String,
    pub name: Option<String>,
    /// The first address the roster gives for any of the owner's units.
    pub email: Option<String>,
    pub units: Vec<String>,
    /// The owner's own preference, if recorded (`zh-CN` or `en`).
    pub language: Option<String>,
    /// The first number the roster gives for any of the owner's units, as written there.
    pub phone: Option<String>,
    /// The owner's own choice of channel (`email`, `sms`, `both`), if they made one.
    pub channels: Option<String>,
}

/// What the notices of a ballot sheet are composed from, read in one snapshot with the sheet
/// (see `Store::ballot_sheet`): each a round trip to PostgreSQL read on its own before.
#[derive(Debug, Clone)]
pub struct NoticeParts {
    pub contacts: BTreeMap<String, OwnerContact>,
    pub estate: crate::estates::Estate,
    /// The estate's default language for notices, if set.
    pub language: Option<String>,
    pub checkpoint: Option<crate::transparency::Checkpoint>,
    pub items: Vec<crate::assemblies::Item>,
}

/// [`NoticeParts`] of `owners` for an assembly of the estate, in the caller's snapshot.
pub(crate) fn notice_parts(
    conn: &mut AnyConnection,
    estate_id: &str,
    assembly_id: &str,
    owners: &[String],
) -> Result<NoticeParts, StoreError> {
    Ok(NoticeParts {
        contacts: contacts(conn, estate_id, Some(owners))?,
        estate: crate::estates::load(conn, estate_id)?,
        language: estate_language(conn, estate_id)?,
        checkpoint: crate::transparency::latest(conn, estate_id)?,
        items: crate::assemblies::assembly_items(conn, assembly_id)?,
    })
}

/// The estate's default language for notices, if set (`''` is the estate's row).
fn estate_language(
    conn: &mut AnyConnection,
    estate_id: &str,
) -> Result<Option<String>, StoreError> {
    Ok(notice_languages::table
        .find((estate_id, ""))
        .select(notice_languages::language)
        .first(conn)
        .optional()?)
}

/// The contacts of the estate's current roster, of `only` these owners if given.
fn contacts(
    conn: &mut AnyConnection,
    estate_id: &str,
    only: Option<&[String]>,
) -> Result<BTreeMap<String, OwnerContact>, StoreError> {
    let mut owners: BTreeMap<String, OwnerContact> = BTreeMap::new();
    let Some(version) = latest_version(conn, estate_id)? else {
        return Ok(owners);
    };
    let mut query = units::table
        .left_join(unit_contacts::table)
        .filter(units::roster_version_id.eq(&version.id))
        .into_boxed();
    let mut languages = notice_languages::table
        .filter(notice_languages::estate_id.eq(estate_id))
        .filter(notice_languages::owner_id.ne(""))
        .into_boxed();
    if let Some(only) = only {
        query = query.filter(units::owner_id.eq_any(only.to_vec()));
        languages = languages.filter(notice_languages::owner_id.eq_any(only.to_vec()));
    }
    let mut channels = notice_channels::table
        .filter(notice_channels::estate_id.eq(estate_id))
        .into_boxed();
    if let Some(only) = only {
        channels = channels.filter(notice_channels::owner_id.eq_any(only.to_vec()));
    }
    let channels: BTreeMap<String, String> = channels
        .select((notice_channels::owner_id, notice_channels::channels))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    #[allow(clippy::type_complexity)]
    let rows: Vec<(
        String,
        String,
        Option<String>,
        Option<String>,
        Option<String>,
    )> = query
        .select((
            units::owner_id,
            units::unit_number,
            unit_contacts::owner_name.nullable(),
            unit_contacts::email.nullable(),
            unit_contacts::phone.nullable(),
        ))
        .load(conn)?;
    // In unit order, sorted here: an ORDER BY lets SQLite's planner walk the version's units by
    // number (a scan of the whole roster, per ballot) instead of looking up `owners`' units.
    let mut rows = rows;
    rows.sort_by(|a, b| a.1.cmp(&b.1));
    let preferences: BTreeMap<String, String> = languages
        .select((notice_languages::owner_id, notice_languages::language))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    for (owner_id, unit, name, email, phone) in rows {
        let entry = owners
            .entry(owner_id.clone())
            .or_insert_with(|| OwnerContact {
                language: preferences.get(&owner_id).cloned(),
                channels: channels.get(&owner_id).cloned(),
                owner_id,
                name: None,
                email: None,
                units: Vec::new(),
                phone: None,
            });
        if entry.phone.is_none() {
            entry.phone = phone.filter(|p| !p.trim().is_empty());
        }
        entry.units.push(unit);
        if entry.name.is_none() {
            entry.name = name.filter(|n| !n.trim().is_empty());
        }
        if entry.email.is_none() {
            entry.email = email.filter(|e| !e.trim().is_empty());
        }
    }
    Ok(owners)
}

impl Store {
    /// Every owner of the estate's current roster with their contact data, by owner id.
    pub fn owner_contacts(
        &self,
        estate_id: &str,
    ) -> Result<BTreeMap<String, OwnerContact>, StoreError> {
        self.read(|conn| contacts(conn, estate_id, None))
    }

    /// [`Store::owner_contacts`] of the given owners only (those on the current roster): what
    /// the notice of one ballot needs, without reading the whole roster.
    pub fn owner_contacts_of(
        &self,
        estate_id: &str,
        owners: &[String],
    ) -> Result<BTreeMap<String, OwnerContact>, StoreError> {
        self.read(|conn| contacts(conn, estate_id, Some(owners)))
    }

    /// What the notices to `owners` about an assembly of the estate are composed from, in one
    /// snapshot.
    pub fn notice_parts(
        &self,
        estate_id: &str,
        assembly_id: &str,
        owners: &[String],
    ) -> Result<NoticeParts, StoreError> {
        self.read(|conn| notice_parts(conn, estate_id, assembly_id, owners))
    }

    /// The estate's default language for notices, if one was set.
    pub fn notice_language(&self, estate_id: &str) -> Result<Option<String>, StoreError> {
        let mut conn = self.conn()?;
        estate_language(&mut conn, estate_id)
    }

    /// Sets the language of notices for one owner, or the estate's default (`owner_id` `None`).
    pub fn set_notice_language(
        &self,
        estate_id: &str,
        owner_id: Option<&str>,
        language: &str,
    ) -> Result<(), StoreError> {
        let owner = owner_id.unwrap_or("");
        self.write(|conn| {
            diesel::delete(notice_languages::table.find((estate_id, owner))).execute(conn)?;
            diesel::insert_into(notice_languages::table)
                .values((
                    notice_languages::estate_id.eq(estate_id),
                    notice_languages::owner_id.eq(owner),
                    notice_languages::language.eq(language),
                ))
                .execute(conn)?;
            Ok(())
        })
    }

    /// Members of the assembly's frozen electorates who have no ballot yet on at least one item
    /// they may vote on (counted or not: a paper ballot waiting for confirmation is a ballot).
    pub fn members_yet_to_vote(&self, assembly_id: &str) -> Result<BTreeSet<String>, StoreError> {
        self.read(|conn| {
            let item_ids: Vec<String> = items::table
                .filter(items::assembly_id.eq(assembly_id))
                .filter(items::electorate_frozen_at.is_not_null())
                .select(items::id)
                .load(conn)?;
            let mut missing = BTreeSet::new();
            for item in item_ids {
                let electorate: BTreeSet<String> = electorate_units::table
                    .filter(electorate_units::item_id.eq(&item))
                    .select(electorate_units::voter)
                    .distinct()
                    .load::<String>(conn)?
                    .into_iter()
                    .collect();
                let voted: BTreeSet<String> = ballots::table
                    .filter(ballots::item_id.eq(&item))
                    .select(ballots::voter)
                    .load::<String>(conn)?
                    .into_iter()
                    .collect();
                missing.extend(electorate.difference(&voted).cloned());
            }
            Ok(missing)
        })
    }

    /// Every open assembly of every estate (for scheduled reminder rounds).
    pub fn open_assemblies(&self) -> Result<Vec<Assembly>, StoreError> {
        let mut conn = self.conn()?;
        Ok(assemblies::table
            .filter(assemblies::state.eq("open"))
            .order(assemblies::closes_at.asc())
            .select(Assembly::as_select())
            .load(&mut *conn)?)
    }

    /// Which of `keys` are queued already (in any status).
    pub fn queued_keys(&self, keys: &[String]) -> Result<BTreeSet<String>, StoreError> {
        let mut conn = self.conn()?;
        let mut found = BTreeSet::new();
        // In slices, to keep each `IN (...)` list well below the databases' parameter limits.
        for chunk in keys.chunks(500) {
            found.extend(
                outbox::table
                    .filter(outbox::dedupe_key.eq_any(chunk))
                    .select(outbox::dedupe_key)
                    .load::<String>(&mut *conn)?,
            );
        }
        Ok(found)
    }
}
