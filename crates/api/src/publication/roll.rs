//! What is published about a closed assembly: per item the result and the per-unit roll
//! (each unit's recorded ballot by its receipt; the choice and the owner's masked name only
//! where the assembly's rules make the roll public), and an owner's own record.

use std::collections::BTreeMap;

use gongjue_store::Store;
use gongjue_store::assemblies::{Assembly, Item};
use gongjue_store::ballots::BallotVersion;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::count;
use crate::export::bundle::public_roll;
use crate::publication::mask::mask_name;
use crate::usecases::UseCaseError;

/// One unit of an item's electorate and what was recorded for it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RollEntry {
    pub unit: String,
    pub building: String,
    /// The owner's name masked (张*明), only with a public roll.
    pub owner: Option<String>,
    /// Whether a ballot counts for this unit.
    pub voted: bool,
    #[schema(schema_with = crate::schema_refs::channel_or_null)]
    pub channel: Option<String>,
    #[schema(format = DateTime)]
    pub cast_at: Option<String>,
    /// The receipt the owner got when voting (a hash of the recorded ballot).
    pub receipt: Option<String>,
    /// The recorded choice, only with a public roll.
    #[schema(schema_with = crate::schema_refs::choice_or_null)]
    pub choice: Option<Value>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct PublishedItem {
    #[schema(format = Uuid)]
    pub item: String,
    pub title: String,
    #[schema(schema_with = crate::schema_refs::item_kind)]
    pub kind: String,
    /// The domain's result (as `gongjue tally` prints it), counted now.
    #[schema(schema_with = crate::schema_refs::tally_result)]
    pub result: Value,
    /// The units of the roll from `roll_offset` on (the JSON route pages it: `roll_limit`).
    pub roll: Vec<RollEntry>,
    /// Units of the item's roll in all.
    pub roll_total: usize,
}

/// What the roll shows of a member's counted ballot version.
struct Recorded {
    seq: i64,
    channel: String,
    cast_at: String,
    receipt: String,
    /// Only with a public roll.
    choice: Option<Value>,
}

/// The counted ballot version of each member: their latest that counts (an unconfirmed paper
/// ballot leaves the earlier one counted), as the store's count takes it. Only what the roll
/// shows is kept of each version, read one at a time (issue 22).
fn counted_versions(
    store: &Store,
    item: &Item,
    public: bool,
) -> Result<BTreeMap<String, Recorded>, UseCaseError> {
    let mut latest: BTreeMap<String, Recorded> = BTreeMap::new();
    store.visit_ballot_versions(&item.id, |version| {
        if !version.counts()
            || latest
                .get(&version.voter)
                .is_some_and(|held| held.seq >= version.seq)
        {
            return;
        }
        let recorded = Recorded {
            seq: version.seq,
            receipt: version.receipt(),
            choice: public.then(|| choice_of(&version)),
            channel: version.channel,
            cast_at: version.cast_at,
        };
        latest.insert(version.voter, recorded);
    })?;
    Ok(latest)
}

fn choice_of(version: &BallotVersion) -> Value {
    serde_json::from_str(&version.choice).unwrap_or(Value::Null)
}

/// Which units of each item's roll to write out (`roll_total` counts them all).
#[derive(Debug, Clone, Copy)]
pub struct RollWindow {
    pub offset: usize,
    pub limit: usize,
}

impl RollWindow {
    /// Every unit (the announcement lists them all).
    pub const ALL: RollWindow = RollWindow {
        offset: 0,
        limit: usize::MAX,
    };
}

/// Every item of the assembly with its result and the roll's units in `window`. The result is
/// counted before the roll is read, and only the window's entries are made: a page of the roll
/// of a 100,000-unit item no longer builds the other 99,950 (issue 22).
pub fn published_items(
    store: &Store,
    assembly: &Assembly,
    window: RollWindow,
) -> Result<Vec<PublishedItem>, UseCaseError> {
    let public = public_roll(assembly);
    let names = if public {
        store.owner_names(&assembly.estate_id)?
    } else {
        BTreeMap::new()
    };
    let mut out = Vec::new();
    for item in store
        .items(&assembly.id)?
        .into_iter()
        .filter(|i| i.electorate_frozen_at.is_some())
    {
        let result = serde_json::to_value(count::tally_of(store, &item)?.result())
            .map_err(|e| UseCaseError::Internal(e.to_string()))?;
        let versions = counted_versions(store, &item, public)?;
        let electorate = store.electorate(&item.id)?;
        let roll_total = electorate.len();
        let roll = electorate
            .into_iter()
            .skip(window.offset)
            .take(window.limit)
            .map(|unit| {
                let version = versions.get(&unit.voter);
                RollEntry {
                    owner: public
                        .then(|| names.get(&unit.voter).map(|n| mask_name(n)))
                        .flatten(),
                    voted: version.is_some(),
                    channel: version.map(|v| v.channel.clone()),
                    cast_at: version.map(|v| v.cast_at.clone()),
                    receipt: version.map(|v| v.receipt.clone()),
                    choice: version.and_then(|v| v.choice.clone()),
                    unit: unit.unit_number,
                    building: unit.building,
                }
            })
            .collect::<Vec<_>>();
        out.push(PublishedItem {
            item: item.id,
            title: item.title,
            kind: item.kind,
            result,
            roll_total,
            roll,
        });
    }
    Ok(out)
}

/// What was recorded for one owner's units, choice included (it is theirs).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OwnRecord {
    #[schema(format = Uuid)]
    pub item: String,
    pub title: String,
    pub units: Vec<String>,
    pub voted: bool,
    #[schema(schema_with = crate::schema_refs::channel_or_null)]
    pub channel: Option<String>,
    #[schema(format = DateTime)]
    pub cast_at: Option<String>,
    pub receipt: Option<String>,
    #[schema(schema_with = crate::schema_refs::choice_or_null)]
    pub choice: Option<Value>,
    /// A paper ballot entered but not (yet) confirmed does not count.
    pub counted: bool,
}

pub fn own_record(
    store: &Store,
    assembly: &Assembly,
    voter: &str,
) -> Result<Vec<OwnRecord>, UseCaseError> {
    let mut out = Vec::new();
    for item in store
        .items(&assembly.id)?
        .into_iter()
        .filter(|i| i.electorate_frozen_at.is_some())
    {
        let units: Vec<String> = store
            .electorate(&item.id)?
            .into_iter()
            .filter(|u| u.voter == voter)
            .map(|u| u.unit_number)
            .collect();
        if units.is_empty() {
            continue;
        }
        let latest = store
            .ballot_history(&item.id, voter)?
            .into_iter()
            .max_by_key(|v| v.seq);
        out.push(OwnRecord {
            item: item.id,
            title: item.title,
            units,
            voted: latest.is_some(),
            channel: latest.as_ref().map(|v| v.channel.clone()),
            cast_at: latest.as_ref().map(|v| v.cast_at.clone()),
            receipt: latest.as_ref().map(BallotVersion::receipt),
            choice: latest.as_ref().map(choice_of),
            counted: latest.as_ref().is_some_and(BallotVersion::counts),
        });
    }
    Ok(out)
}
