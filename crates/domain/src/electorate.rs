//! Units, voting members and the electorate of one decision (rules.md §1).
//!
//! A unit (专有部分) belongs to one voting member, named by its owner identity (`voter`). Units
//! sharing an identity are one head; the developer's unsold units share one identity and so are
//! one head too (SPC interpretation on distinct ownership, art. 9). The electorate is frozen when
//! voting opens: later roster changes build new electorates, never alter this one.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::area::{Area, UnitArea};
use crate::error::DomainError;
use crate::weight::Weight;

/// One exclusive part, as the roster holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    /// The unit's number, e.g. `1-1-101`; unique in an electorate.
    pub id: String,
    pub building: String,
    pub stairwell: String,
    /// Empty when the estate has no zones.
    pub zone: String,
    pub area: UnitArea,
    /// The voting member's identity (owner id).
    pub voter: String,
}

/// A voting member's place in one electorate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MemberId(u32);

impl MemberId {
    pub fn index(self) -> usize {
        self.0 as usize
    }

    pub(crate) fn from_index(index: usize) -> MemberId {
        // Electorates are built with at most u32::MAX members (see `ElectorateBuilder::push`).
        MemberId(u32::try_from(index).unwrap_or(u32::MAX))
    }
}

/// A voting member (表决权人): one head, with the area and units they hold in this electorate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub voter: String,
    pub weight: Weight,
}

/// How an electorate is split for concurrent majorities and breakdowns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupBy {
    Zone,
    Building,
    /// A stairwell of a building (`3-1`: building 3, stairwell 1), for figures only: the bundle
    /// names no concurrent majority by stairwell.
    Stairwell,
}

impl GroupBy {
    pub fn name(self) -> &'static str {
        match self {
            GroupBy::Zone => "zone",
            GroupBy::Building => "building",
            GroupBy::Stairwell => "stairwell",
        }
    }

    pub fn from_name(name: &str) -> Option<GroupBy> {
        match name {
            "zone" => Some(GroupBy::Zone),
            "building" => Some(GroupBy::Building),
            _ => None,
        }
    }

    pub fn key(self, unit: &Unit) -> std::borrow::Cow<'_, str> {
        match self {
            GroupBy::Zone => std::borrow::Cow::Borrowed(&unit.zone),
            GroupBy::Building => std::borrow::Cow::Borrowed(&unit.building),
            GroupBy::Stairwell => {
                std::borrow::Cow::Owned(format!("{}-{}", unit.building, unit.stairwell))
            }
        }
    }
}

/// Which units of the roster a decision concerns (rules.md §1): the whole estate, or the units
/// of some zones, buildings or stairwells (e.g. the owners of one stairwell for its elevator).
/// Stored with each item as JSON: `{"kind": "buildings", "buildings": ["3"]}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Scope {
    Estate,
    Zones { zones: Vec<String> },
    Buildings { buildings: Vec<String> },
    Stairwells { stairwells: Vec<Stairwell> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stairwell {
    pub building: String,
    pub stairwell: String,
}

impl Scope {
    pub fn contains(&self, unit: &Unit) -> bool {
        self.includes(&unit.zone, &unit.building, &unit.stairwell)
    }

    /// Whether a unit at this place is in scope.
    pub fn includes(&self, zone: &str, building: &str, stairwell: &str) -> bool {
        match self {
            Scope::Estate => true,
            Scope::Zones { zones } => zones.iter().any(|z| z == zone),
            Scope::Buildings { buildings } => buildings.iter().any(|b| b == building),
            Scope::Stairwells { stairwells } => stairwells
                .iter()
                .any(|s| s.building == building && s.stairwell == stairwell),
        }
    }
}

/// The frozen set of units and members entitled to vote on one decision.
#[derive(Debug, Clone, Default)]
pub struct Electorate {
    units: Vec<Unit>,
    /// For each unit, its member.
    unit_members: Vec<MemberId>,
    members: Vec<Member>,
    by_voter: HashMap<String, MemberId>,
    totals: Weight,
}

impl Electorate {
    /// Builds an electorate from units, checking them one by one.
    pub fn new(units: impl IntoIterator<Item = Unit>) -> Result<Electorate, DomainError> {
        let mut builder = ElectorateBuilder::default();
        for unit in units {
            builder.push(unit)?;
        }
        builder.finish()
    }

    /// Freezes the electorate of a decision: the roster's units inside `scope`.
    pub fn freeze(
        roster: impl IntoIterator<Item = Unit>,
        scope: &Scope,
    ) -> Result<Electorate, DomainError> {
        Electorate::new(roster.into_iter().filter(|unit| scope.contains(unit)))
    }

    pub fn units(&self) -> &[Unit] {
        &self.units
    }

    pub fn members(&self) -> &[Member] {
        &self.members
    }

    pub fn member(&self, id: MemberId) -> Option<&Member> {
        self.members.get(id.index())
    }

    /// The member a unit (by its position in [`Electorate::units`]) belongs to.
    pub fn member_of_unit(&self, unit_index: usize) -> Option<MemberId> {
        self.unit_members.get(unit_index).copied()
    }

    pub fn member_by_voter(&self, voter: &str) -> Option<MemberId> {
        self.by_voter.get(voter).copied()
    }

    pub fn member_ids(&self) -> impl Iterator<Item = MemberId> + '_ {
        (0..self.members.len()).map(MemberId::from_index)
    }

    /// Total area, heads and units of the electorate.
    pub fn totals(&self) -> Weight {
        self.totals
    }

    /// Each member with their weight in the whole electorate.
    pub fn weighted_members(&self) -> impl Iterator<Item = (MemberId, Weight)> + '_ {
        self.members
            .iter()
            .enumerate()
            .map(|(i, m)| (MemberId::from_index(i), m.weight))
    }

    /// Splits the electorate into groups (zones or buildings), each counted as an electorate of
    /// its own, in code-point order of the group key. A member with units in two groups is one
    /// head in each, with the area they hold there (rules.md §3, concurrent majorities).
    pub fn split_by(&self, group_by: GroupBy) -> Vec<Group> {
        let mut position: HashMap<std::borrow::Cow<'_, str>, usize> = HashMap::new();
        let mut groups: Vec<Group> = Vec::new();
        // Where a member holding several units already has a share in a group.
        let mut shares: HashMap<(MemberId, usize), usize> = HashMap::new();
        for (unit, &member) in self.units.iter().zip(&self.unit_members) {
            let key = group_by.key(unit);
            let owned = key.to_string();
            let g = *position.entry(key).or_insert_with(|| {
                groups.push(Group {
                    key: owned,
                    totals: Weight::default(),
                    members: Vec::new(),
                });
                groups.len() - 1
            });
            let Some(group) = groups.get_mut(g) else {
                continue;
            };
            let area = unit.area.area();
            group.totals.area += area;
            group.totals.units += 1;
            let holds_several = self.member(member).is_some_and(|m| m.weight.units > 1);
            let existing = if holds_several {
                shares.get(&(member, g)).copied()
            } else {
                None
            };
            match existing.and_then(|i| group.members.get_mut(i)) {
                Some((_, weight)) => {
                    weight.area += area;
                    weight.units += 1;
                }
                None => {
                    if holds_several {
                        shares.insert((member, g), group.members.len());
                    }
                    group.members.push((
                        member,
                        Weight {
                            area,
                            heads: 1,
                            units: 1,
                        },
                    ));
                    group.totals.heads += 1;
                }
            }
        }
        groups.sort_unstable_by(|a, b| a.key.cmp(&b.key));
        groups
    }
}

/// One zone or building of an electorate: its totals and each of its members' weight inside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub key: String,
    pub totals: Weight,
    /// Members of the whole electorate with units in this group, with the weight they hold here.
    pub members: Vec<(MemberId, Weight)>,
}

/// Builds an electorate unit by unit, so that a caller learns which unit is wrong.
#[derive(Debug, Default)]
pub struct ElectorateBuilder {
    units: Vec<Unit>,
    unit_members: Vec<MemberId>,
    members: Vec<Member>,
    by_voter: HashMap<String, MemberId>,
    unit_ids: HashSet<String>,
    totals: Weight,
}

impl ElectorateBuilder {
    pub fn with_capacity(units: usize) -> ElectorateBuilder {
        ElectorateBuilder {
            units: Vec::with_capacity(units),
            unit_members: Vec::with_capacity(units),
            unit_ids: HashSet::with_capacity(units),
            ..ElectorateBuilder::default()
        }
    }

    /// Adds a unit; refuses an empty id or voter and a unit id seen before.
    pub fn push(&mut self, unit: Unit) -> Result<(), DomainError> {
        for (field, value) in [("unit", &unit.id), ("voter", &unit.voter)] {
            if value.is_empty() {
                return Err(DomainError::EmptyUnitField { field });
            }
        }
        if !self.unit_ids.insert(unit.id.clone()) {
            return Err(DomainError::DuplicateUnit { unit: unit.id });
        }
        let area: Area = unit.area.area();
        let member_id = match self.by_voter.get(&unit.voter) {
            Some(&member) => member,
            None => {
                let member = MemberId::from_index(self.members.len());
                self.by_voter.insert(unit.voter.clone(), member);
                self.members.push(Member {
                    voter: unit.voter.clone(),
                    weight: Weight {
                        area: Area::ZERO,
                        heads: 1,
                        units: 0,
                    },
                });
                self.totals.heads += 1;
                member
            }
        };
        if let Some(member) = self.members.get_mut(member_id.index()) {
            member.weight.area += area;
            member.weight.units += 1;
        }
        self.totals.area += area;
        self.totals.units += 1;
        self.unit_members.push(member_id);
        self.units.push(unit);
        Ok(())
    }

    pub fn finish(self) -> Result<Electorate, DomainError> {
        if self.units.is_empty() {
            return Err(DomainError::EmptyElectorate);
        }
        Ok(Electorate {
            units: self.units,
            unit_members: self.unit_members,
            members: self.members,
            by_voter: self.by_voter,
            totals: self.totals,
        })
    }
}

#[cfg(test)]
#[allow(clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn unit(id: &str, building: &str, zone: &str, area: &str, voter: &str) -> Unit {
        Unit {
            id: id.into(),
            building: building.into(),
            stairwell: "1".into(),
            zone: zone.into(),
            area: UnitArea::parse(area).unwrap_or_else(|e| panic!("{e}")),
            voter: voter.into(),
        }
    }

    #[test]
    fn one_head_per_owner_and_one_for_the_developer() {
        let e = Electorate::new([
            unit("1", "1", "", "90", "P1"),
            unit("2", "1", "", "90", "P1"),
            unit("3", "1", "", "80", "DEVELOPER"),
            unit("4", "1", "", "80", "DEVELOPER"),
            unit("5", "1", "", "70", "P3"),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            e.totals(),
            Weight {
                area: Area::from_cents(41_000),
                heads: 3,
                units: 5
            }
        );
        let p1 = e
            .member_by_voter("P1")
            .and_then(|m| e.member(m))
            .map(|m| m.weight);
        assert_eq!(
            p1,
            Some(Weight {
                area: Area::from_cents(18_000),
                heads: 1,
                units: 2
            })
        );
    }

    #[test]
    fn refuses_duplicate_units_and_empty_identities() {
        let err = Electorate::new([
            unit("1", "1", "", "90", "P1"),
            unit("1", "2", "", "80", "P2"),
        ])
        .err();
        assert_eq!(err, Some(DomainError::DuplicateUnit { unit: "1".into() }));
        let err = Electorate::new([unit("1", "1", "", "90", "")]).err();
        assert_eq!(err, Some(DomainError::EmptyUnitField { field: "voter" }));
        assert_eq!(
            Electorate::new([]).err(),
            Some(DomainError::EmptyElectorate)
        );
    }

    #[test]
    fn scope_selects_zones_buildings_and_stairwells() {
        let mut roster = vec![
            unit("1-1-101", "1", "villa", "100", "A"),
            unit("2-1-101", "2", "high", "90", "B"),
        ];
        roster.push(Unit {
            stairwell: "2".into(),
            ..unit("2-2-101", "2", "high", "90", "C")
        });
        let only = |scope: Scope| -> Vec<String> {
            Electorate::freeze(roster.clone(), &scope)
                .map(|e| e.units().iter().map(|u| u.id.clone()).collect())
                .unwrap_or_default()
        };
        assert_eq!(only(Scope::Estate).len(), 3);
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(
            only(Scope::Zones {
                zones: strings(&["villa"])
            }),
            vec!["1-1-101"]
        );
        assert_eq!(
            only(Scope::Buildings {
                buildings: strings(&["2"])
            }),
            vec!["2-1-101", "2-2-101"]
        );
        let stairwell = Stairwell {
            building: "2".into(),
            stairwell: "2".into(),
        };
        assert_eq!(
            only(Scope::Stairwells {
                stairwells: vec![stairwell]
            }),
            vec!["2-2-101"]
        );
    }

    #[test]
    fn a_member_in_two_groups_is_a_head_in_each_with_the_area_held_there() {
        let e = Electorate::new([
            unit("a", "1", "villa", "200", "P1"),
            unit("b", "2", "high", "90", "P1"),
            unit("c", "2", "high", "90", "P2"),
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        let groups = e.split_by(GroupBy::Zone);
        let keys: Vec<&str> = groups.iter().map(|g| g.key.as_str()).collect();
        assert_eq!(keys, vec!["high", "villa"], "code-point order");
        let high = &groups[0];
        assert_eq!(
            high.totals,
            Weight {
                area: Area::from_cents(18_000),
                heads: 2,
                units: 2
            }
        );
        let member = |voter: &str| e.member_by_voter(voter).unwrap_or(MemberId(99));
        let one = |cents| Weight {
            area: Area::from_cents(cents),
            heads: 1,
            units: 1,
        };
        assert_eq!(
            high.members,
            vec![(member("P1"), one(9_000)), (member("P2"), one(9_000))]
        );
        assert_eq!(
            groups[1].totals,
            Weight {
                area: Area::from_cents(20_000),
                heads: 1,
                units: 1
            }
        );
        assert_eq!(groups[1].members, vec![(member("P1"), one(20_000))]);
    }
}
