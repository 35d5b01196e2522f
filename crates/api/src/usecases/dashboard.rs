//! The secretary's dashboard (issue 21, point 12): turnout of every item of an assembly against
//! its quorum, compared exactly; what is still missing to reach it; members by building for the
//! door-to-door round; and the list of members who have not voted yet. Turnout only (who
//! returned a ballot): choices are never read here, so the figures may be shown while voting is
//! open.
//!
//! Heads are counted as the law counts them (rules.md §2): one head per owner, whatever the
//! number of their units and buildings. A building's figures count an owner in that building;
//! an owner with units in two buildings is one head in each building and one head overall, so
//! building rows may add up to more than the total.

use std::collections::{BTreeMap, BTreeSet};

use gongjue_domain::fraction::Comparison;
use gongjue_domain::rule::Rule;
use gongjue_domain::tally::{Counted, Tally, TallyResult};
use gongjue_domain::threshold::{Base, Threshold};
use gongjue_domain::weight::{Measure, Weight};
use gongjue_store::Store;
use gongjue_store::assemblies::{Assembly, Item};

use crate::count;
use crate::items::rule_of_json;
use crate::usecases::{StaffCaller, UseCaseError};

/// One item's turnout against its quorum.
#[derive(Debug, Clone)]
pub struct ItemBoard {
    pub id: String,
    pub title: String,
    pub kind: String,
    /// The rule the item is counted with (a consultation's is only a reference).
    pub rule: Option<Rule>,
    /// The electorate's totals: heads are distinct owners.
    pub totals: Weight,
    pub participation: Weight,
    /// The participation thresholds on the electorate's totals (e.g. area >= 2/3, heads >= 2/3).
    pub quorum: Vec<Threshold>,
    /// Whether every quorum threshold holds, decided exactly (`q·part >= p·total`).
    pub met: bool,
    /// For each threshold not met yet: its measure and the least further amount that meets it
    /// (heads, units, or area in hundredths of m²).
    pub missing: Vec<(Measure, u64)>,
    /// A consultation decides nothing: the statutory 2/3 is shown for reference only.
    pub reference_only: bool,
}

/// Members of one building (owners with at least one unit there), and how many have not voted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BuildingRow {
    pub building: String,
    pub members: u64,
    pub not_voted: u64,
}

#[derive(Debug, Clone)]
pub struct Board {
    pub assembly: Assembly,
    pub items: Vec<ItemBoard>,
    pub buildings: Vec<BuildingRow>,
    /// Distinct members of the assembly (of any item's electorate): each owner once.
    pub members: u64,
    /// Distinct members with no ballot yet on at least one item they may vote on.
    pub not_voted: u64,
}

/// A member who has not voted yet on at least one item: where to find them. Nothing about any
/// ballot (nor which items are missing): only that the round should call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotVoted {
    /// The building of the member's first unit (by unit number).
    pub building: String,
    pub owner_id: String,
    pub name: Option<String>,
    pub units: Vec<String>,
}

/// The least further amount that makes `part OP p/q × whole` hold (0 when it holds already):
/// for "at least" `ceil(p·whole / q) - part`, for "more than" `floor(p·whole / q) + 1 - part`.
/// Exact, in 128-bit integers.
pub fn missing_for(threshold: &Threshold, part: u64, whole: u64) -> u64 {
    let p = u128::from(threshold.fraction.numerator());
    let q = u128::from(threshold.fraction.denominator());
    let product = p * u128::from(whole);
    let needed = match threshold.comparison {
        Comparison::AtLeast => product.div_ceil(q),
        Comparison::MoreThan => product / q + 1,
    };
    let missing = needed.saturating_sub(u128::from(part));
    u64::try_from(missing).unwrap_or(u64::MAX)
}

fn weights(result: &TallyResult) -> (Weight, Weight) {
    match result {
        TallyResult::Motion(r) => (r.totals, r.participation.weight),
        TallyResult::Election(r) => (r.totals, r.participation.weight),
        TallyResult::Consultation(r) => (r.totals, r.participation.weight),
    }
}

fn item_board(item: &Item, tally: &Tally) -> ItemBoard {
    let (totals, participation) = weights(&tally.result());
    let stored_rule = serde_json::from_str(&item.rule)
        .ok()
        .and_then(|r| rule_of_json(&r).ok());
    // A motion is counted with its binding rule (the statutory one and the estate's additions).
    let (rule, reference_only) = match &tally.counted {
        Counted::Motion(m, _) => (Some(m.rule.clone()), false),
        Counted::Election(..) => (stored_rule, false),
        Counted::Consultation(..) => (Some(Rule::ordinary()), true),
    };
    let quorum: Vec<Threshold> = rule
        .as_ref()
        .map(|r| {
            r.participation
                .iter()
                .filter(|t| t.of == Base::Total)
                .copied()
                .collect()
        })
        .unwrap_or_default();
    let mut missing = Vec::new();
    for t in &quorum {
        let lacking = missing_for(
            t,
            participation.measure(t.measure),
            totals.measure(t.measure),
        );
        if lacking > 0 {
            match missing.iter_mut().find(|(m, _)| *m == t.measure) {
                Some((_, amount)) if *amount < lacking => *amount = lacking,
                Some(_) => {}
                None => missing.push((t.measure, lacking)),
            }
        }
    }
    let met = quorum
        .iter()
        .all(|t| t.holds(&participation, &participation, &totals));
    ItemBoard {
        id: item.id.clone(),
        title: item.title.clone(),
        kind: item.kind.clone(),
        rule: if reference_only { None } else { rule },
        totals,
        participation,
        quorum,
        met,
        missing,
        reference_only,
    }
}

/// Every frozen item of the assembly with its tally (for turnout only).
pub(crate) fn tallies(
    store: &Store,
    assembly_id: &str,
) -> Result<Vec<(Item, Tally)>, UseCaseError> {
    store
        .items(assembly_id)?
        .into_iter()
        .filter(|i| i.electorate_frozen_at.is_some())
        .map(|item| {
            let tally = count::tally_of(store, &item)?;
            Ok((item, tally))
        })
        .collect()
}

/// Each member of any item's electorate with their units (unit number → building), once.
fn members_of(tallies: &[(Item, Tally)]) -> BTreeMap<String, BTreeMap<String, String>> {
    let mut members: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for (_, tally) in tallies {
        for unit in tally.electorate.units() {
            members
                .entry(unit.voter.clone())
                .or_default()
                .insert(unit.id.clone(), unit.building.clone());
        }
    }
    members
}

/// The dashboard of an assembly, for staff of its estate.
pub fn board(store: &Store, staff: &StaffCaller, assembly_id: &str) -> Result<Board, UseCaseError> {
    let assembly = store.assembly(assembly_id)?;
    staff.reads(&assembly.estate_id)?;
    let tallies = tallies(store, assembly_id)?;
    let items = tallies
        .iter()
        .map(|(item, tally)| item_board(item, tally))
        .collect();
    let members = members_of(&tallies);
    let yet = store.members_yet_to_vote(assembly_id)?;
    let mut by_building: BTreeMap<String, BuildingRow> = BTreeMap::new();
    for (voter, units) in &members {
        let buildings: BTreeSet<&String> = units.values().collect();
        for building in buildings {
            let row = by_building
                .entry(building.clone())
                .or_insert_with(|| BuildingRow {
                    building: building.clone(),
                    members: 0,
                    not_voted: 0,
                });
            row.members += 1;
            if yet.contains(voter) {
                row.not_voted += 1;
            }
        }
    }
    let count = |n: usize| u64::try_from(n).unwrap_or(u64::MAX);
    Ok(Board {
        assembly,
        items,
        buildings: by_building.into_values().collect(),
        members: count(members.len()),
        not_voted: count(members.keys().filter(|m| yet.contains(*m)).count()),
    })
}

/// The members who have not voted yet on at least one item they may vote on, by building and
/// unit, with the name the roster gives (for staff of the estate; the door-to-door round).
pub fn not_voted(
    store: &Store,
    staff: &StaffCaller,
    assembly_id: &str,
) -> Result<(Assembly, Vec<NotVoted>), UseCaseError> {
    let assembly = store.assembly(assembly_id)?;
    staff.reads(&assembly.estate_id)?;
    let list = members_not_voted(store, &assembly)?;
    Ok((assembly, list))
}

/// The members of `assembly` who have not voted yet on at least one item they may vote on, by
/// building and unit; for callers already authorized (staff of the estate, a volunteer whose
/// caller filters it to their buildings).
pub(crate) fn members_not_voted(
    store: &Store,
    assembly: &Assembly,
) -> Result<Vec<NotVoted>, UseCaseError> {
    let assembly_id = assembly.id.as_str();
    let tallies = tallies(store, assembly_id)?;
    let members = members_of(&tallies);
    let yet = store.members_yet_to_vote(assembly_id)?;
    let wanted: Vec<String> = yet.iter().cloned().collect();
    let contacts = store.owner_contacts_of(&assembly.estate_id, &wanted)?;
    let mut list: Vec<NotVoted> = yet
        .iter()
        .map(|owner_id| {
            let units = members.get(owner_id).cloned().unwrap_or_default();
            NotVoted {
                building: units.values().next().cloned().unwrap_or_default(),
                owner_id: owner_id.clone(),
                name: contacts.get(owner_id).and_then(|c| c.name.clone()),
                units: units.into_keys().collect(),
            }
        })
        .collect();
    list.sort_by(|a, b| {
        (a.building.as_str(), a.units.first(), a.owner_id.as_str()).cmp(&(
            b.building.as_str(),
            b.units.first(),
            b.owner_id.as_str(),
        ))
    });
    Ok(list)
}

#[cfg(test)]
mod tests {
    use gongjue_domain::fraction::Fraction;

    use super::*;

    fn at_least(f: Fraction) -> Threshold {
        Threshold::new(Measure::Heads, Comparison::AtLeast, f, Base::Total)
    }

    #[test]
    fn the_missing_amount_is_the_least_that_meets_the_threshold_exactly() {
        let two_thirds = at_least(Fraction::TWO_THIRDS);
        // 2/3 of 315 heads is exactly 210.
        assert_eq!(missing_for(&two_thirds, 198, 315), 12);
        assert_eq!(missing_for(&two_thirds, 209, 315), 1);
        assert_eq!(missing_for(&two_thirds, 210, 315), 0);
        assert_eq!(missing_for(&two_thirds, 211, 315), 0);
        // 2/3 of 100 is 66.67: 67 heads are needed, 66 (66.0%) are not enough.
        assert_eq!(missing_for(&two_thirds, 66, 100), 1);
        assert_eq!(missing_for(&two_thirds, 67, 100), 0);
        // Area in hundredths of m²: 2/3 of 3,000.01 m² is 2,000.006̅ m², so 2,000.01 m².
        assert_eq!(missing_for(&two_thirds, 200_000, 300_001), 1);
        assert_eq!(missing_for(&two_thirds, 96_551, 300_001), 103_450);
        let more_than_half = Threshold::new(
            Measure::Area,
            Comparison::MoreThan,
            Fraction::HALF,
            Base::Total,
        );
        assert_eq!(missing_for(&more_than_half, 50, 100), 1);
        assert_eq!(missing_for(&more_than_half, 51, 100), 0);
        assert_eq!(missing_for(&more_than_half, 0, 0), 1);
        // Never more than the holds() test says, at every point around the boundary.
        for whole in [1_u64, 2, 3, 7, 100, 301, 315, 322] {
            for part in 0..=whole {
                let lacking = missing_for(&two_thirds, part, whole);
                let w = |heads| Weight {
                    heads,
                    ..Weight::default()
                };
                let total = w(whole);
                assert_eq!(
                    lacking == 0,
                    two_thirds.holds(&w(part), &w(part), &total),
                    "{part}/{whole}"
                );
                if lacking > 0 {
                    let enough = w(part + lacking);
                    let short = w(part + lacking - 1);
                    assert!(two_thirds.holds(&enough, &enough, &total));
                    assert!(!two_thirds.holds(&short, &short, &total));
                }
            }
        }
    }
}
