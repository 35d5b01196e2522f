//! Who took part in a decision, and whether that meets the quorum (rules.md §2).

use serde::Serialize;

use crate::ballot_box::BallotBox;
use crate::electorate::Electorate;
use crate::weight::Weight;

/// Area, heads and units of the participating members, and whether the quorum is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Participation {
    #[serde(flatten)]
    pub weight: Weight,
    pub met: bool,
}

/// Whether a list of thresholds holds, reported as `{"met": true}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Met {
    pub met: bool,
}

/// The summed weight of the members whose ballot satisfies `counts`.
pub fn weight_of<C>(electorate: &Electorate, ballots: &BallotBox<C>, mut counts: impl FnMut(&C) -> bool) -> Weight {
    let mut weight = Weight::default();
    for (member, choice) in ballots.iter() {
        if counts(choice) {
            if let Some(member) = electorate.member(member) {
                weight.add(member.weight);
            }
        }
    }
    weight
}
