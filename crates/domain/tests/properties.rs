//! Invariants of the count, checked on random electorates and ballots.

#![allow(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)]

use gongjue_domain::bundle;
use proptest::prelude::*;
use serde_json::{Value, json};

#[derive(Debug, Clone)]
struct Case {
    /// (area in cents, voter, building, zone)
    units: Vec<(u64, usize, u8, u8)>,
    /// Ballot of each voter of the pool, by index: None = no ballot; 0..4 = yes/no/abstain/invalid.
    choices: Vec<Option<u8>>,
    special: bool,
    invalid_counts: bool,
}

const ZONES: [&str; 2] = ["east", "west"];
const MOTION_CHOICES: [&str; 4] = ["yes", "no", "abstain", "invalid"];

fn case() -> impl Strategy<Value = Case> {
    (1usize..12).prop_flat_map(|voters| {
        (
            prop::collection::vec((1u64..50_000, 0..voters, 1u8..4, 0u8..2), 1..24),
            prop::collection::vec(prop::option::weighted(0.8, 0u8..4), voters),
            any::<bool>(),
            any::<bool>(),
        )
            .prop_map(|(units, choices, special, invalid_counts)| Case {
                units,
                choices,
                special,
                invalid_counts,
            })
    })
}

fn area_text(cents: u64, short: bool) -> String {
    // "89.50" in full; with `short`, the same area as "89.5" or "89".
    match (short, cents % 100) {
        (true, 0) => format!("{}", cents / 100),
        (true, c) if c % 10 == 0 => format!("{}.{}", cents / 100, c / 10),
        _ => format!("{}.{:02}", cents / 100, cents % 100),
    }
}

impl Case {
    fn voters_present(&self) -> Vec<usize> {
        let mut v: Vec<usize> = self.units.iter().map(|u| u.1).collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    fn electorate(&self, short: bool) -> Vec<Value> {
        self.units
            .iter()
            .enumerate()
            .map(|(i, (cents, voter, building, zone))| {
                json!({"unit": format!("u{i}"), "building": building.to_string(), "stairwell": "1",
                       "zone": ZONES[*zone as usize], "area": area_text(*cents, short), "voter": format!("v{voter}")})
            })
            .collect()
    }

    /// Ballots of the voters present in the electorate, in voter order.
    fn motion_ballots(&self) -> Vec<Value> {
        self.voters_present()
            .into_iter()
            .filter_map(|v| {
                self.choices.get(v).copied().flatten().map(
                    |c| json!({"voter": format!("v{v}"), "choice": (MOTION_CHOICES[c as usize])}),
                )
            })
            .collect()
    }

    fn motion(&self, ballots: Vec<Value>, short: bool, concurrent: bool) -> Value {
        let mut bundle = json!({"format": "gongjue-tally/1", "kind": "motion", "rule": if self.special { "special" } else { "ordinary" },
            "invalid_counts_as_participation": self.invalid_counts, "electorate": self.electorate(short), "ballots": ballots});
        if concurrent {
            bundle["concurrent"] = json!("zone");
        }
        count(&bundle)
    }

    fn election(&self, ballots: Vec<Value>) -> Value {
        count(
            &json!({"format": "gongjue-tally/1", "kind": "election", "seats": 2, "candidates": ["c0", "c1", "c2"],
            "invalid_counts_as_participation": self.invalid_counts, "electorate": self.electorate(false), "ballots": ballots}),
        )
    }

    /// Election ballots derived from the same random choices: a few different mark patterns.
    fn election_ballots(&self) -> Vec<Value> {
        let marks = [
            json!(["c0"]),
            json!(["c1", "c2"]),
            json!("abstain"),
            json!(["c0", "c1", "c2"]),
        ];
        self.voters_present()
            .into_iter()
            .filter_map(|v| {
                self.choices
                    .get(v)
                    .copied()
                    .flatten()
                    .map(|c| json!({"voter": format!("v{v}"), "choice": (marks[c as usize])}))
            })
            .collect()
    }
}

fn count(bundle: &Value) -> Value {
    let tally =
        bundle::read(bundle.to_string().as_bytes()).unwrap_or_else(|e| panic!("{e}\n{bundle}"));
    serde_json::to_value(tally.result()).unwrap_or_default()
}

fn cents(v: &Value) -> u64 {
    let s = v.as_str().unwrap_or_else(|| panic!("{v} is not an area"));
    gongjue_domain::area::Area::parse(s)
        .map(|a| a.cents())
        .unwrap_or_else(|e| panic!("{e}"))
}

fn le(part: &Value, whole: &Value) -> bool {
    cents(&part["area"]) <= cents(&whole["area"])
        && part["heads"].as_u64() <= whole["heads"].as_u64()
        && part["units"].as_u64() <= whole["units"].as_u64()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn ballot_order_does_not_matter(case in case(), seed in any::<u64>()) {
        let ballots = case.motion_ballots();
        let mut shuffled = ballots.clone();
        // A deterministic permutation from the seed.
        let n = shuffled.len();
        for i in (1..n).rev() {
            shuffled.swap(i, (seed.rotate_left(i as u32) as usize) % (i + 1));
        }
        prop_assert_eq!(case.motion(ballots, false, true), case.motion(shuffled, false, true));
        let mut election = case.election_ballots();
        let before = case.election(election.clone());
        election.reverse();
        prop_assert_eq!(before, case.election(election));
    }

    #[test]
    fn the_choices_add_up_to_the_ballots(case in case()) {
        let ballots = case.motion_ballots();
        let result = case.motion(ballots.clone(), false, false);
        let choices = &result["choices"];
        let heads: u64 = MOTION_CHOICES.iter().map(|c| choices[c]["heads"].as_u64().unwrap_or(0)).sum();
        prop_assert_eq!(heads, ballots.len() as u64);
        let area: u64 = MOTION_CHOICES.iter().map(|c| cents(&choices[c]["area"])).sum();
        let voted: Vec<String> = ballots.iter().map(|b| b["voter"].as_str().unwrap_or("").to_owned()).collect();
        let expected: u64 = case.units.iter().filter(|u| voted.contains(&format!("v{}", u.1))).map(|u| u.0).sum();
        prop_assert_eq!(area, expected);
    }

    #[test]
    fn participation_never_exceeds_totals(case in case()) {
        for result in [case.motion(case.motion_ballots(), false, true), case.election(case.election_ballots())] {
            prop_assert!(le(&result["participation"], &result["totals"]), "{}", result);
        }
        if let Some(groups) = case.motion(case.motion_ballots(), false, true)["groups"]["zone"].as_object() {
            for group in groups.values() {
                prop_assert!(le(&group["participation"], &group["totals"]));
            }
        }
    }

    #[test]
    fn adding_a_yes_ballot_never_turns_passed_into_rejected(case in case(), concurrent in any::<bool>()) {
        let ballots = case.motion_ballots();
        let before = case.motion(ballots.clone(), false, concurrent);
        let voted: Vec<Value> = ballots.iter().map(|b| b["voter"].clone()).collect();
        for v in case.voters_present() {
            let voter = json!(format!("v{v}"));
            if voted.contains(&voter) { continue; }
            let mut more = ballots.clone();
            more.push(json!({"voter": voter, "choice": "yes"}));
            let after = case.motion(more, false, concurrent);
            if before["outcome"] == "passed" {
                prop_assert_eq!(&after["outcome"], "passed");
            }
        }
    }

    #[test]
    fn splitting_a_unit_between_two_units_of_the_same_owner_changes_nothing(case in case(), which in any::<prop::sample::Index>(), at in 1u64..100) {
        let i = which.index(case.units.len());
        let (cents_total, voter, building, zone) = case.units[i];
        prop_assume!(cents_total >= 2);
        let first = 1 + (cents_total - 1) * at / 100;
        prop_assume!(first < cents_total);
        let mut split = case.clone();
        split.units[i].0 = first;
        split.units.push((cents_total - first, voter, building, zone));
        let strip_units = |mut v: Value| { strip(&mut v); v };
        prop_assert_eq!(strip_units(case.motion(case.motion_ballots(), false, true)), strip_units(split.motion(split.motion_ballots(), false, true)));
        prop_assert_eq!(strip_units(case.election(case.election_ballots())), strip_units(split.election(split.election_ballots())));
    }

    #[test]
    fn areas_written_89_5_or_89_50_give_the_same_result(case in case()) {
        prop_assert_eq!(case.motion(case.motion_ballots(), false, true), case.motion(case.motion_ballots(), true, true));
    }
}

/// Removes every `units` count (a split adds a unit; nothing else may change).
fn strip(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.remove("units");
            map.values_mut().for_each(strip);
        }
        Value::Array(items) => items.iter_mut().for_each(strip),
        _ => {}
    }
}
