//! Counting an item: its frozen electorate and final ballots written as a `gongjue-tally/1`
//! bundle and read back by the domain crate, so that the service counts exactly what an auditor
//! recounts offline with `gongjue tally` (and the signed export of a later issue is this bundle).

use gongjue_domain::area::Area;
use gongjue_domain::breakdown::{Breakdown, GroupFigures};
use gongjue_domain::bundle;
use gongjue_domain::tally::Tally;
use gongjue_domain::weight::Weight;
use gongjue_store::Store;
use gongjue_store::assemblies::Item;
use serde::Serialize;
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;
use utoipa::ToSchema;

use crate::error::ApiError;

/// The bundle of an item from what the store holds: the frozen electorate and the counted
/// ballots (confirmed paper ballots only; a member's last ballot, their own over their proxy's),
/// read in one snapshot so that they match.
pub fn bundle_of(store: &Store, item: &Item) -> Result<Value, ApiError> {
    let input = store.tally_input(&item.id)?;
    let item = &input.item;
    let corrupt = |what: &str, e: &dyn std::fmt::Display| ApiError::Internal(format!("{what} of item {}: {e}", item.id));
    let rule: Value = serde_json::from_str(&item.rule).map_err(|e| corrupt("rule", &e))?;
    let definition: Value = serde_json::from_str(&item.definition).map_err(|e| corrupt("definition", &e))?;
    let electorate: Vec<Value> = input
        .electorate
        .iter()
        .map(|u| {
            let area = Area::from_cents(u64::try_from(u.area_cents).unwrap_or(0));
            json!({ "unit": u.unit_number, "building": u.building, "stairwell": u.stairwell, "zone": u.zone, "area": area.to_string(), "voter": u.voter })
        })
        .collect();
    let answers_key = if item.kind == "consultation" { "answers" } else { "choice" };
    let ballots: Vec<Value> = input
        .ballots
        .into_iter()
        .map(|b| {
            let mut ballot = Map::new();
            ballot.insert("voter".into(), Value::from(b.voter));
            ballot.insert(answers_key.into(), b.choice);
            ballot.insert("channel".into(), Value::from(b.channel));
            ballot.insert("cast_at".into(), Value::from(b.cast_at));
            if let Some(proxy) = b.proxy {
                ballot.insert("proxy".into(), Value::from(proxy));
            }
            Value::Object(ballot)
        })
        .collect();
    let mut doc = Map::new();
    doc.insert("format".into(), Value::from(bundle::FORMAT));
    doc.insert("kind".into(), Value::from(item.kind.clone()));
    doc.insert("title".into(), Value::from(item.title.clone()));
    if item.kind != "consultation" {
        doc.insert("rule".into(), rule);
    }
    if let Value::Object(fields) = definition {
        doc.extend(fields);
    }
    doc.insert("electorate".into(), Value::from(electorate));
    doc.insert("ballots".into(), Value::from(ballots));
    Ok(Value::Object(doc))
}

/// The item ready to count. A stored item that the domain refuses is a bug, not the client's.
pub fn tally_of(store: &Store, item: &Item) -> Result<Tally, ApiError> {
    let doc = bundle_of(store, item)?;
    let bytes = serde_json::to_vec(&doc).map_err(|e| ApiError::Internal(e.to_string()))?;
    bundle::read(&bytes).map_err(|e| ApiError::Internal(format!("item {} does not count: {e}", item.id)))
}

/// Turnout of one group: how much of it has returned a ballot. No choices: those stay
/// secret until closing.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupTurnout {
    #[schema(value_type = Object)]
    pub totals: Weight,
    #[schema(value_type = Object)]
    pub participation: Weight,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemTurnout {
    pub item: String,
    pub title: String,
    pub state: String,
    /// `{"area", "heads", "units"}` of the electorate.
    #[schema(value_type = Object)]
    pub totals: Value,
    /// `{"area", "heads", "units", "met"}`: who returned a ballot, and whether that meets the quorum.
    #[schema(value_type = Object)]
    pub participation: Value,
    pub by_building: BTreeMap<String, GroupTurnout>,
    pub by_zone: BTreeMap<String, GroupTurnout>,
}

fn groups(figures: BTreeMap<String, GroupFigures>) -> BTreeMap<String, GroupTurnout> {
    figures.into_iter().map(|(key, f)| (key, GroupTurnout { totals: f.totals, participation: f.participation })).collect()
}

pub fn turnout_of(store: &Store, item: &Item) -> Result<ItemTurnout, ApiError> {
    let tally = tally_of(store, item)?;
    let result = serde_json::to_value(tally.result()).map_err(|e| ApiError::Internal(e.to_string()))?;
    let Breakdown { building, zone } = tally.breakdown();
    Ok(ItemTurnout {
        item: item.id.clone(),
        title: item.title.clone(),
        state: item.state.clone(),
        totals: result.get("totals").cloned().unwrap_or(Value::Null),
        participation: result.get("participation").cloned().unwrap_or(Value::Null),
        by_building: groups(building),
        by_zone: groups(zone),
    })
}
