//! Who may vote on which item: the one answer used wherever an owner is shown items (the
//! printed sheet, the e-mailed notices, the paper-entry page), so that an item scoped to one
//! building is never shown to, mailed to or printed for an owner of another (issue 21).
//!
//! Once an item's electorate is frozen (voting opened) it is the answer. Before, the units of
//! the current roster that the item's scope selects, exactly as opening would freeze them
//! ([`countable::in_scope`], the domain's `Scope::includes`).

use std::collections::{BTreeMap, BTreeSet};

use gongjue_store::Store;
use gongjue_store::assemblies::Item;
use gongjue_store::electorate::{ElectorateUnit, Scope};
use gongjue_store::rosters::StoredUnit;

use crate::countable;
use crate::usecases::UseCaseError;

/// The units of `item`'s electorate: frozen once voting opened, else the in-scope units of
/// `roster` (the estate's current roster, read by the caller once for all items).
pub fn electorate_of(
    store: &Store,
    item: &Item,
    roster: &[StoredUnit],
) -> Result<Vec<ElectorateUnit>, UseCaseError> {
    if item.electorate_frozen_at.is_some() {
        return Ok(store.electorate(&item.id)?);
    }
    let scope: Scope = serde_json::from_str(&item.scope)
        .map_err(|e| UseCaseError::Internal(format!("scope of item {}: {e}", item.id)))?;
    Ok(countable::in_scope(&item.id, &scope, roster))
}

/// A member's unit as it votes on an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VotingUnit {
    pub unit_number: String,
    pub area_cents: i64,
}

/// Which member may vote on which item of one assembly, and with which units.
#[derive(Debug, Clone, Default)]
pub struct ItemScopes {
    /// Item id → member → their units in the item's electorate.
    by_item: BTreeMap<String, BTreeMap<String, Vec<VotingUnit>>>,
}

impl ItemScopes {
    /// The scopes of `items` (one assembly's), for every member.
    pub fn load(store: &Store, estate_id: &str, items: &[Item]) -> Result<Self, UseCaseError> {
        let roster = if items.iter().any(|i| i.electorate_frozen_at.is_none()) {
            store.current_units(estate_id)?
        } else {
            Vec::new()
        };
        let mut by_item = BTreeMap::new();
        for item in items {
            let mut members: BTreeMap<String, Vec<VotingUnit>> = BTreeMap::new();
            for unit in electorate_of(store, item, &roster)? {
                members.entry(unit.voter).or_default().push(VotingUnit {
                    unit_number: unit.unit_number,
                    area_cents: unit.area_cents,
                });
            }
            by_item.insert(item.id.clone(), members);
        }
        Ok(ItemScopes { by_item })
    }

    /// Whether `voter` may vote on the item `item_id`.
    pub fn covers(&self, item_id: &str, voter: &str) -> bool {
        self.by_item
            .get(item_id)
            .is_some_and(|members| members.contains_key(voter))
    }

    /// The items of `items` that `voter` may vote on, in their order.
    pub fn items_of<'i>(&self, items: &'i [Item], voter: &str) -> Vec<&'i Item> {
        items.iter().filter(|i| self.covers(&i.id, voter)).collect()
    }

    /// The member's units voting on the item (empty if they may not vote on it).
    pub fn units_of(&self, item_id: &str, voter: &str) -> &[VotingUnit] {
        self.by_item
            .get(item_id)
            .and_then(|members| members.get(voter))
            .map_or(&[], Vec::as_slice)
    }

    /// The member's units voting on at least one item, by unit number, without repeats.
    pub fn all_units_of(&self, voter: &str) -> Vec<VotingUnit> {
        let mut seen = BTreeSet::new();
        let mut units: Vec<VotingUnit> = self
            .by_item
            .values()
            .filter_map(|members| members.get(voter))
            .flatten()
            .filter(|u| seen.insert(u.unit_number.clone()))
            .cloned()
            .collect();
        units.sort_by(|a, b| a.unit_number.cmp(&b.unit_number));
        units
    }

    /// The numbers of [`ItemScopes::all_units_of`].
    pub fn unit_numbers_of(&self, voter: &str) -> Vec<String> {
        self.all_units_of(voter)
            .into_iter()
            .map(|u| u.unit_number)
            .collect()
    }

    /// Whether `voter` may vote on at least one item.
    pub fn is_member(&self, voter: &str) -> bool {
        self.by_item
            .values()
            .any(|members| members.contains_key(voter))
    }

    /// The member whose unit `unit_number` votes on at least one item.
    pub fn holder_of(&self, unit_number: &str) -> Option<&str> {
        self.by_item.values().find_map(|members| {
            members
                .iter()
                .find(|(_, units)| units.iter().any(|u| u.unit_number == unit_number))
                .map(|(voter, _)| voter.as_str())
        })
    }

    /// Every member who may vote on at least one item.
    pub fn members(&self) -> BTreeSet<String> {
        self.by_item
            .values()
            .flat_map(|members| members.keys().cloned())
            .collect()
    }
}
