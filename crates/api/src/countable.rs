//! Whether an item can be counted over the units it would be frozen with. Checked when the item
//! is created (over the current roster), again when the assembly is announced (the roster may
//! have changed since) and last when it opens, inside the transaction that freezes the
//! electorate: a count that fails after voting leaves turnout, results, the publication, the
//! announcement and the exports without an answer, for staff and owners alike.
//!
//! The last check is the count itself: the item's bundle with no ballot goes through the
//! domain's reader, so whatever the reader refuses is refused here, naming the item's field.

use gongjue_domain::DomainError;
use gongjue_domain::electorate::GroupBy;
use gongjue_store::assemblies::{Item, NewItem};
use gongjue_store::electorate::{ElectorateUnit, Scope};
use gongjue_store::rosters::StoredUnit;
use serde_json::Value;

use crate::count::BundleSource;
use crate::i18n::Msg;
use crate::usecases::UseCaseError;

fn refuse(msg: Msg, prefix: &str, field: &str, detail: impl Into<String>) -> UseCaseError {
    UseCaseError::Invalid {
        msg,
        field: format!("{prefix}{field}"),
        detail: detail.into(),
    }
}

/// The units of `roster` an item of `scope` would freeze, as the electorate holds them.
pub fn in_scope(item_id: &str, scope: &Scope, roster: &[StoredUnit]) -> Vec<ElectorateUnit> {
    roster
        .iter()
        .filter(|u| scope.includes(&u.zone, &u.building, &u.stairwell))
        .map(|u| ElectorateUnit {
            item_id: item_id.to_owned(),
            unit_number: u.unit_number.clone(),
            zone: u.zone.clone(),
            building: u.building.clone(),
            stairwell: u.stairwell.clone(),
            floor: u.floor,
            area_cents: u.area_cents,
            voter: u.owner_id.clone(),
        })
        .collect()
}

/// A new item as it will be stored, so that it is checked exactly as the stored one will be.
pub fn as_item(new: &NewItem) -> Result<Item, UseCaseError> {
    let text = |v: &Value| v.to_string();
    Ok(Item {
        id: "(new)".into(),
        assembly_id: String::new(),
        position: 0,
        kind: new.kind.as_str().to_owned(),
        title: new.title.clone(),
        body: new.body.clone(),
        matter: new.matter,
        rule: text(&new.rule),
        scope: serde_json::to_string(&new.scope)
            .map_err(|e| UseCaseError::Internal(e.to_string()))?,
        definition: text(&new.definition),
        state: "draft".into(),
        roster_version_id: None,
        electorate_frozen_at: None,
        created_at: String::new(),
    })
}

/// Checks that `item` counts over `electorate` (its in-scope units). Field names get `prefix`
/// (`items[2].` when a whole assembly is checked).
pub fn check(
    item: &Item,
    electorate: Vec<ElectorateUnit>,
    prefix: &str,
) -> Result<(), UseCaseError> {
    let scope: Scope = serde_json::from_str(&item.scope)
        .map_err(|e| UseCaseError::Internal(format!("scope of item {}: {e}", item.id)))?;
    // Every place the scope names must hold a unit: a misspelt building would otherwise
    // silently leave its owners out of the vote.
    let unknown = |field: String, name: String| {
        refuse(
            Msg::ScopeUnknown,
            prefix,
            &field,
            format!("{name} is not on the roster"),
        )
    };
    match &scope {
        Scope::Estate => {}
        Scope::Zones { zones } => {
            if let Some((i, z)) = zones
                .iter()
                .enumerate()
                .find(|(_, z)| !electorate.iter().any(|u| &u.zone == *z))
            {
                return Err(unknown(format!("scope.zones[{i}]"), format!("zone {z:?}")));
            }
        }
        Scope::Buildings { buildings } => {
            if let Some((i, b)) = buildings
                .iter()
                .enumerate()
                .find(|(_, b)| !electorate.iter().any(|u| &u.building == *b))
            {
                return Err(unknown(
                    format!("scope.buildings[{i}]"),
                    format!("building {b:?}"),
                ));
            }
        }
        Scope::Stairwells { stairwells } => {
            if let Some((i, s)) = stairwells.iter().enumerate().find(|(_, s)| {
                !electorate
                    .iter()
                    .any(|u| u.building == s.building && u.stairwell == s.stairwell)
            }) {
                return Err(unknown(
                    format!("scope.stairwells[{i}]"),
                    format!("stairwell {:?} of building {:?}", s.stairwell, s.building),
                ));
            }
        }
    }
    if electorate.is_empty() {
        return Err(refuse(
            Msg::EmptyElectorate,
            prefix,
            "scope",
            "no unit of the roster is in scope (is a roster imported?)",
        ));
    }
    let definition: Value = serde_json::from_str(&item.definition).unwrap_or(Value::Null);
    if let Some(group_by) = definition
        .get("concurrent")
        .and_then(Value::as_str)
        .and_then(GroupBy::from_name)
    {
        let name = group_by.name();
        if let Some(unit) = electorate.iter().find(|u| {
            match group_by {
                GroupBy::Zone => &u.zone,
                GroupBy::Building => &u.building,
                GroupBy::Stairwell => &u.stairwell,
            }
            .is_empty()
        }) {
            return Err(refuse(
                Msg::ConcurrentWithoutGroups,
                prefix,
                "concurrent",
                format!(
                    "unit {} has no {name}: majorities by {name} need every unit's {name}",
                    unit.unit_number
                ),
            ));
        }
    }
    match BundleSource::without_ballots(item.clone(), electorate)?.read()? {
        Ok(_) => Ok(()),
        Err(DomainError::InvalidBundle(errors)) => {
            let first = errors.first();
            let path = first.map_or("", |e| e.path.as_str());
            Err(refuse(
                Msg::CannotCount,
                prefix,
                field_of(path, &item.kind),
                first.map_or_else(String::new, ToString::to_string),
            ))
        }
        Err(other) => Err(refuse(Msg::CannotCount, prefix, "", other.to_string())),
    }
}

/// The item's field behind a path of its bundle.
fn field_of<'a>(path: &'a str, kind: &str) -> &'a str {
    if path.starts_with("electorate[") && (path.ends_with(".zone") || path.ends_with(".building")) {
        "concurrent"
    } else if path.starts_with("electorate") {
        "scope"
    } else if path.starts_with("rule") {
        if kind == "consultation" {
            "quorum"
        } else {
            "additional_rule"
        }
    } else {
        path
    }
}
