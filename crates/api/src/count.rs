//! Counting an item: its frozen electorate and final ballots written as a `gongjue-tally/1`
//! bundle and read back by the domain crate, so that the service counts exactly what an auditor
//! recounts offline with `gongjue tally` (and the signed export of a later issue is this bundle).

use gongjue_domain::area::Area;
use gongjue_domain::breakdown::{Breakdown, GroupFigures};
use gongjue_domain::bundle::{self, StoredBallot, StoredUnit};
use gongjue_domain::error::DomainError;
use gongjue_domain::tally::Tally;
use gongjue_domain::weight::Weight;
use gongjue_store::Store;
use gongjue_store::assemblies::Item;
use gongjue_store::ballots::CountedBallot;
use gongjue_store::electorate::{ElectorateUnit, TallyInput};
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use utoipa::ToSchema;

use crate::usecases::UseCaseError;

/// An item's frozen electorate and counted ballots (read in one snapshot so that they match),
/// written out as its `gongjue-tally/1` bundle straight from the stored rows. No JSON tree is
/// built: at 100,000 units the tree alone cost over a second and most of a gigabyte.
pub struct BundleSource {
    input: TallyInput,
    rule: Value,
    definition: Map<String, Value>,
}

impl BundleSource {
    pub fn load(store: &Store, item: &Item) -> Result<BundleSource, UseCaseError> {
        BundleSource::of_input(store.tally_input(&item.id)?)
    }

    /// An item over a given electorate with no ballot yet: counting it tells whether the item
    /// can be counted at all over these units (the setup checks of `countable`).
    pub fn without_ballots(
        item: Item,
        electorate: Vec<ElectorateUnit>,
    ) -> Result<BundleSource, UseCaseError> {
        BundleSource::of_input(TallyInput {
            item,
            electorate,
            ballots: Vec::new(),
        })
    }

    fn of_input(input: TallyInput) -> Result<BundleSource, UseCaseError> {
        let item = &input.item;
        let corrupt = |what: &str, e: &dyn std::fmt::Display| {
            UseCaseError::Internal(format!("{what} of item {}: {e}", item.id))
        };
        let rule: Value =
            serde_json::from_str(&input.item.rule).map_err(|e| corrupt("rule", &e))?;
        let definition = match serde_json::from_str(&input.item.definition)
            .map_err(|e| corrupt("definition", &e))?
        {
            Value::Object(fields) => fields,
            _ => Map::new(),
        };
        Ok(BundleSource {
            input,
            rule,
            definition,
        })
    }

    /// Replaces every `voter` of the electorate and of the ballots (e.g. by pseudonyms).
    pub fn rename_voters(&mut self, rename: impl Fn(&str) -> String) {
        for unit in &mut self.input.electorate {
            unit.voter = rename(&unit.voter);
        }
        for ballot in &mut self.input.ballots {
            ballot.voter = rename(&ballot.voter);
        }
    }

    /// Marks a trial estate's bundle in its `title`, the one free-text member every reader of
    /// the format shows and every recount accepts (tally-bundle.md has no other top-level slot).
    pub fn mark_trial(&mut self) {
        self.input.item.title = trial_title(&self.input.item.title);
    }

    /// The bundle's bytes, with a `result` member when given; pretty-printed or compact.
    pub fn to_json(&self, result: Option<&Value>, pretty: bool) -> Result<Vec<u8>, UseCaseError> {
        let mut bytes = Vec::new();
        write_doc(
            &mut bytes,
            &BundleDoc {
                source: self,
                units: UnitsFrom::Input,
                result,
                with_parts: true,
            },
            pretty,
        )?;
        Ok(bytes)
    }

    /// The pretty-printed bundle of a source whose units went to `tally` ([`BundleSource::count`]),
    /// with its `result`, written to `out`: the units are written from the domain's electorate.
    pub fn write_counted(
        &self,
        out: impl std::io::Write,
        tally: &Tally,
        result: &Value,
    ) -> Result<(), UseCaseError> {
        write_doc(
            out,
            &BundleDoc {
                source: self,
                units: UnitsFrom::Tally(tally.electorate.units()),
                result: Some(result),
                with_parts: true,
            },
            true,
        )
    }

    /// Counts the item, its units moved into the domain's electorate (write the bundle with
    /// [`BundleSource::write_counted`] then): at 100,000 units a copy of them was a fifth of an
    /// export's memory (issue 22). The ballots stay, only borrowed.
    pub fn count(&mut self) -> Result<Tally, UseCaseError> {
        let units = std::mem::take(&mut self.input.electorate)
            .into_iter()
            .map(stored_unit);
        self.read_units(units)?.map_err(|e| {
            UseCaseError::Internal(format!("item {} does not count: {e}", self.input.item.id))
        })
    }

    /// The item ready to count. A stored item that the domain refuses is a bug, not the client's.
    ///
    /// The domain reads the parts as they are, with the checks of `bundle::read`, so the result
    /// is what `gongjue tally` recounts from this item's bundle (a test compares them); only the
    /// header (rule, definition) goes through JSON, not the 100,000 units and ballots.
    pub fn into_tally(self) -> Result<Tally, UseCaseError> {
        let item_id = self.input.item.id.clone();
        self.read()?
            .map_err(|e| UseCaseError::Internal(format!("item {item_id} does not count: {e}")))
    }

    /// The domain's reading of the item: its input errors as the domain names them (outer
    /// error: the header could not be written, a bug).
    pub fn read(mut self) -> Result<Result<Tally, DomainError>, UseCaseError> {
        let units = std::mem::take(&mut self.input.electorate)
            .into_iter()
            .map(stored_unit);
        self.read_units(units)
    }

    /// The domain's reading of the header and ballots of `self` over `units`.
    /// The units are converted one at a time as the domain reads them (issue 22).
    fn read_units(
        &self,
        units: impl ExactSizeIterator<Item = StoredUnit>,
    ) -> Result<Result<Tally, DomainError>, UseCaseError> {
        let header = serde_json::to_vec(&BundleDoc {
            source: self,
            units: UnitsFrom::Input,
            result: None,
            with_parts: false,
        })
        .map_err(|e| UseCaseError::Internal(e.to_string()))?;
        let stored: Vec<StoredBallot<'_>> = self
            .input
            .ballots
            .iter()
            .map(|b| StoredBallot {
                voter: &b.voter,
                choice: &b.choice,
            })
            .collect();
        Ok(bundle::read_parts(&header, units, &stored))
    }
}

/// A frozen unit as the domain reads it.
fn stored_unit(u: ElectorateUnit) -> StoredUnit {
    StoredUnit {
        area: Area::from_cents(u64::try_from(u.area_cents).unwrap_or(0)).to_string(),
        unit: u.unit_number,
        building: u.building,
        stairwell: u.stairwell,
        zone: u.zone,
        voter: u.voter,
    }
}

/// The title of a trial estate's exported decision: `[试用/TRIAL] 续聘物业服务企业`.
pub fn trial_title(title: &str) -> String {
    format!("{TRIAL_TITLE_PREFIX}{title}")
}

/// What a trial export's title starts with (both languages: it is read by anyone).
pub const TRIAL_TITLE_PREFIX: &str = "[试用/TRIAL] ";

/// Writes `doc`, pretty-printed or compact; a failing `out` (a full disk) is not a bug.
fn write_doc(
    out: impl std::io::Write,
    doc: &BundleDoc<'_>,
    pretty: bool,
) -> Result<(), UseCaseError> {
    let written = if pretty {
        serde_json::to_writer_pretty(out, doc)
    } else {
        serde_json::to_writer(out, doc)
    };
    written.map_err(|e| {
        if e.is_io() {
            UseCaseError::Store(gongjue_store::StoreError::Unavailable(format!(
                "writing a bundle: {e}"
            )))
        } else {
            UseCaseError::Internal(e.to_string())
        }
    })
}

/// Where a bundle's units are written from: the stored rows, or the domain's electorate once
/// they were moved there to be counted.
enum UnitsFrom<'a> {
    Input,
    Tally(&'a [gongjue_domain::electorate::Unit]),
}

/// The bundle's members in the order of the spec.
struct BundleDoc<'a> {
    source: &'a BundleSource,
    units: UnitsFrom<'a>,
    result: Option<&'a Value>,
    /// Whether the electorate and the ballots are written (not for the header alone).
    with_parts: bool,
}

impl Serialize for BundleDoc<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let item = &self.source.input.item;
        let consultation = item.kind == "consultation";
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("format", bundle::FORMAT)?;
        map.serialize_entry("kind", &item.kind)?;
        map.serialize_entry("title", &item.title)?;
        // The art. 278 matter, so that a recount also checks the statutory floor of the rule
        // (an election of the owners' committee is always matter 3).
        match item.kind.as_str() {
            "motion" => {
                if let Some(matter) = item.matter {
                    map.serialize_entry("matter", &matter)?;
                }
            }
            "election" => map.serialize_entry("matter", &3)?,
            _ => {}
        }
        if !consultation {
            map.serialize_entry("rule", &self.source.rule)?;
        }
        for (key, value) in &self.source.definition {
            map.serialize_entry(key, value)?;
        }
        if self.with_parts {
            match self.units {
                UnitsFrom::Input => {
                    map.serialize_entry("electorate", &Units(&self.source.input.electorate))?
                }
                UnitsFrom::Tally(units) => map.serialize_entry("electorate", &Units(units))?,
            }
            map.serialize_entry(
                "ballots",
                &Ballots {
                    ballots: &self.source.input.ballots,
                    answers_key: if consultation { "answers" } else { "choice" },
                },
            )?;
        }
        if let Some(result) = self.result {
            map.serialize_entry("result", result)?;
        }
        map.end()
    }
}

/// A unit as the bundle writes it, from a stored row or from the domain's electorate.
trait BundleUnit {
    fn number(&self) -> &str;
    fn building(&self) -> &str;
    fn stairwell(&self) -> &str;
    fn zone(&self) -> &str;
    fn area(&self) -> Area;
    fn voter(&self) -> &str;
}

impl BundleUnit for ElectorateUnit {
    fn number(&self) -> &str {
        &self.unit_number
    }
    fn building(&self) -> &str {
        &self.building
    }
    fn stairwell(&self) -> &str {
        &self.stairwell
    }
    fn zone(&self) -> &str {
        &self.zone
    }
    fn area(&self) -> Area {
        Area::from_cents(u64::try_from(self.area_cents).unwrap_or(0))
    }
    fn voter(&self) -> &str {
        &self.voter
    }
}

impl BundleUnit for gongjue_domain::electorate::Unit {
    fn number(&self) -> &str {
        &self.id
    }
    fn building(&self) -> &str {
        &self.building
    }
    fn stairwell(&self) -> &str {
        &self.stairwell
    }
    fn zone(&self) -> &str {
        &self.zone
    }
    fn area(&self) -> Area {
        self.area.area()
    }
    fn voter(&self) -> &str {
        &self.voter
    }
}

struct Units<'a, U>(&'a [U]);

impl<U: BundleUnit> Serialize for Units<'_, U> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        struct One<'a, U>(&'a U);
        impl<U: BundleUnit> Serialize for One<'_, U> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let u = self.0;
                let mut map = serializer.serialize_map(Some(6))?;
                map.serialize_entry("unit", u.number())?;
                map.serialize_entry("building", u.building())?;
                map.serialize_entry("stairwell", u.stairwell())?;
                map.serialize_entry("zone", u.zone())?;
                map.serialize_entry("area", &AreaText(u.area()))?;
                map.serialize_entry("voter", u.voter())?;
                map.end()
            }
        }
        let mut seq = serializer.serialize_seq(Some(self.0.len()))?;
        for unit in self.0 {
            seq.serialize_element(&One(unit))?;
        }
        seq.end()
    }
}

/// An area as the bundle writes it, `"89.50"`, without an intermediate string.
struct AreaText(Area);

impl Serialize for AreaText {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(&self.0)
    }
}

struct Ballots<'a> {
    ballots: &'a [CountedBallot],
    answers_key: &'static str,
}

impl Serialize for Ballots<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        struct One<'a>(&'a CountedBallot, &'static str);
        impl Serialize for One<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let b = self.0;
                let mut map = serializer.serialize_map(None)?;
                map.serialize_entry("voter", &b.voter)?;
                map.serialize_entry(self.1, &b.choice)?;
                map.serialize_entry("channel", &b.channel)?;
                map.serialize_entry("cast_at", &b.cast_at)?;
                if let Some(proxy) = &b.proxy {
                    map.serialize_entry("proxy", proxy)?;
                }
                map.end()
            }
        }
        let mut seq = serializer.serialize_seq(Some(self.ballots.len()))?;
        for ballot in self.ballots {
            seq.serialize_element(&One(ballot, self.answers_key))?;
        }
        seq.end()
    }
}

/// The bundle of an item from what the store holds, as a JSON value.
pub fn bundle_of(store: &Store, item: &Item) -> Result<Value, UseCaseError> {
    let bytes = BundleSource::load(store, item)?.to_json(None, false)?;
    serde_json::from_slice(&bytes).map_err(|e| UseCaseError::Internal(e.to_string()))
}

/// The item ready to count. A stored item that the domain refuses is a bug, not the client's.
pub fn tally_of(store: &Store, item: &Item) -> Result<Tally, UseCaseError> {
    BundleSource::load(store, item)?.into_tally()
}

/// Turnout of one group: how much of it has returned a ballot. No choices: those stay
/// secret until closing.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupTurnout {
    #[schema(schema_with = crate::schema_refs::weight)]
    pub totals: Weight,
    #[schema(schema_with = crate::schema_refs::weight)]
    pub participation: Weight,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ItemTurnout {
    #[schema(format = Uuid)]
    pub item: String,
    pub title: String,
    #[schema(schema_with = crate::schema_refs::item_state)]
    pub state: String,
    /// The electorate's area, heads and units.
    #[schema(schema_with = crate::schema_refs::weight)]
    pub totals: Value,
    /// Who returned a ballot, and whether that meets the quorum.
    #[schema(schema_with = crate::schema_refs::participation)]
    pub participation: Value,
    pub by_building: BTreeMap<String, GroupTurnout>,
    pub by_zone: BTreeMap<String, GroupTurnout>,
    /// By stairwell (`3-1`: building 3, stairwell 1), when the roster names stairwells.
    pub by_stairwell: BTreeMap<String, GroupTurnout>,
}

fn groups(figures: BTreeMap<String, GroupFigures>) -> BTreeMap<String, GroupTurnout> {
    figures
        .into_iter()
        .map(|(key, f)| {
            (
                key,
                GroupTurnout {
                    totals: f.totals,
                    participation: f.participation,
                },
            )
        })
        .collect()
}

pub fn turnout_of(store: &Store, item: &Item) -> Result<ItemTurnout, UseCaseError> {
    let tally = tally_of(store, item)?;
    let result =
        serde_json::to_value(tally.result()).map_err(|e| UseCaseError::Internal(e.to_string()))?;
    let Breakdown {
        building,
        zone,
        stairwell,
    } = tally.breakdown();
    Ok(ItemTurnout {
        item: item.id.clone(),
        title: item.title.clone(),
        state: item.state.clone(),
        totals: result.get("totals").cloned().unwrap_or(Value::Null),
        participation: result.get("participation").cloned().unwrap_or(Value::Null),
        by_building: groups(building),
        by_zone: groups(zone),
        by_stairwell: groups(stairwell),
    })
}
