//! Motions (议案): yes, no or abstain, counted under a rule of art. 278 or a stricter one.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ballot_box::BallotBox;
use crate::electorate::{Electorate, GroupBy, MemberId};
use crate::participation::{Met, Participation};
use crate::rule::Rule;
use crate::weight::Weight;

/// A member's choice on a motion. `Invalid` is a ballot the tellers could not read (废票).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MotionChoice {
    Yes,
    No,
    Abstain,
    Invalid,
}

impl MotionChoice {
    pub fn name(self) -> &'static str {
        match self {
            MotionChoice::Yes => "yes",
            MotionChoice::No => "no",
            MotionChoice::Abstain => "abstain",
            MotionChoice::Invalid => "invalid",
        }
    }

    pub fn from_name(name: &str) -> Option<MotionChoice> {
        match name {
            "yes" => Some(MotionChoice::Yes),
            "no" => Some(MotionChoice::No),
            "abstain" => Some(MotionChoice::Abstain),
            "invalid" => Some(MotionChoice::Invalid),
            _ => None,
        }
    }
}

/// How a motion is counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Motion {
    pub rule: Rule,
    /// Whether invalid ballots count toward participation (rules.md §2; default yes).
    pub invalid_counts_as_participation: bool,
    /// Concurrent majorities: the motion must also pass inside each zone or building.
    pub concurrent: Option<GroupBy>,
}

impl Motion {
    pub fn new(rule: Rule) -> Motion {
        Motion {
            rule,
            invalid_counts_as_participation: true,
            concurrent: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MotionOutcome {
    Passed,
    Rejected,
    NoQuorum,
}

/// What members chose, by area, heads and units.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MotionChoices {
    pub yes: Weight,
    pub no: Weight,
    pub abstain: Weight,
    pub invalid: Weight,
}

impl MotionChoices {
    fn slot(&mut self, choice: MotionChoice) -> &mut Weight {
        match choice {
            MotionChoice::Yes => &mut self.yes,
            MotionChoice::No => &mut self.no,
            MotionChoice::Abstain => &mut self.abstain,
            MotionChoice::Invalid => &mut self.invalid,
        }
    }
}

/// The figures of a motion before any rule is applied: what a turnout board shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct MotionFigures {
    pub totals: Weight,
    pub participation: Weight,
    pub choices: MotionChoices,
}

/// Figures of the members given with their weights (the whole electorate, or one group of it).
pub fn figures(
    totals: Weight,
    members: impl IntoIterator<Item = (MemberId, Weight)>,
    ballots: &BallotBox<MotionChoice>,
    invalid_counts_as_participation: bool,
) -> MotionFigures {
    let mut choices = MotionChoices::default();
    for (member, weight) in members {
        if let Some(&choice) = ballots.get(member) {
            choices.slot(choice).add(weight);
        }
    }
    let mut participation = choices.yes;
    participation.add(choices.no);
    participation.add(choices.abstain);
    if invalid_counts_as_participation {
        participation.add(choices.invalid);
    }
    MotionFigures {
        totals,
        participation,
        choices,
    }
}

/// The result of a motion, in the `gongjue-tally/1` result format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MotionResult {
    pub outcome: MotionOutcome,
    pub totals: Weight,
    pub participation: Participation,
    pub choices: MotionChoices,
    pub approval: Met,
    /// With concurrent majorities: `{"zone": {"villa": {...}}}`, keys in code-point order.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groups: Option<BTreeMap<&'static str, BTreeMap<String, MotionResult>>>,
}

/// Counts a motion: quorum on totals, approval (only `yes`) on participation.
pub fn count(
    motion: &Motion,
    electorate: &Electorate,
    ballots: &BallotBox<MotionChoice>,
) -> MotionResult {
    let mut result = count_alone(
        motion,
        figures(
            electorate.totals(),
            electorate.weighted_members(),
            ballots,
            motion.invalid_counts_as_participation,
        ),
    );
    if let Some(group_by) = motion.concurrent {
        let mut groups = BTreeMap::new();
        let mut every_group_passes = true;
        for group in electorate.split_by(group_by) {
            let counted = count_alone(
                motion,
                figures(
                    group.totals,
                    group.members.iter().copied(),
                    ballots,
                    motion.invalid_counts_as_participation,
                ),
            );
            every_group_passes &= counted.outcome == MotionOutcome::Passed;
            groups.insert(group.key, counted);
        }
        // A group's no_quorum or rejection vetoes an estate-wide pass; otherwise the estate-wide
        // outcome stands (tally-bundle.md, settled questions).
        if result.outcome == MotionOutcome::Passed && !every_group_passes {
            result.outcome = MotionOutcome::Rejected;
        }
        result.groups = Some(BTreeMap::from([(group_by.name(), groups)]));
    }
    result
}

fn count_alone(
    motion: &Motion,
    MotionFigures {
        totals,
        participation,
        choices,
    }: MotionFigures,
) -> MotionResult {
    let quorum = motion.rule.participation_met(&participation, &totals);
    let approval = motion
        .rule
        .approval_met(&choices.yes, &participation, &totals);
    let outcome = match (quorum, approval) {
        (false, _) => MotionOutcome::NoQuorum,
        (true, true) => MotionOutcome::Passed,
        (true, false) => MotionOutcome::Rejected,
    };
    MotionResult {
        outcome,
        totals,
        participation: Participation {
            weight: participation,
            met: quorum,
        },
        choices,
        approval: Met { met: approval },
        groups: None,
    }
}
