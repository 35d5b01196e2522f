//! Motions (议案): yes, no or abstain, counted under a rule of art. 278 or a stricter one; and,
//! where the item offers it, 从众 (`follow`): a member who takes part and joins the side the
//! other participating members decide (tally-bundle.md, settled questions).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::ballot_box::BallotBox;
use crate::electorate::{Electorate, GroupBy, MemberId};
use crate::participation::{Met, Participation};
use crate::rule::Rule;
use crate::weight::Weight;

/// A member's choice on a motion. `Invalid` is a ballot the tellers could not read (废票).
/// `Follow` (从众) is a choice only on a motion with `follow_majority`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MotionChoice {
    Yes,
    No,
    Abstain,
    Invalid,
    Follow,
}

impl MotionChoice {
    pub fn name(self) -> &'static str {
        match self {
            MotionChoice::Yes => "yes",
            MotionChoice::No => "no",
            MotionChoice::Abstain => "abstain",
            MotionChoice::Invalid => "invalid",
            MotionChoice::Follow => "follow",
        }
    }

    pub fn from_name(name: &str) -> Option<MotionChoice> {
        match name {
            "yes" => Some(MotionChoice::Yes),
            "no" => Some(MotionChoice::No),
            "abstain" => Some(MotionChoice::Abstain),
            "invalid" => Some(MotionChoice::Invalid),
            "follow" => Some(MotionChoice::Follow),
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
    /// The item offers the 从众 choice (`follow`); without it a `follow` ballot is refused.
    pub follow_majority: bool,
}

impl Motion {
    pub fn new(rule: Rule) -> Motion {
        Motion {
            rule,
            invalid_counts_as_participation: true,
            concurrent: None,
            follow_majority: false,
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

/// The side the 从众 ballots joined: `"yes"` or `"no"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Joined {
    Yes,
    No,
}

/// What members chose, by area, heads and units. `yes` and `no` keep the ballots marked so;
/// `follow` is present exactly when the motion offers 从众 (`follow_majority`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct MotionChoices {
    pub yes: Weight,
    pub no: Weight,
    pub abstain: Weight,
    pub invalid: Weight,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow: Option<Weight>,
}

impl MotionChoices {
    fn empty(motion: &Motion) -> MotionChoices {
        MotionChoices {
            follow: motion.follow_majority.then(Weight::default),
            ..MotionChoices::default()
        }
    }

    fn add_ballot(&mut self, choice: MotionChoice, weight: Weight) {
        match choice {
            MotionChoice::Yes => self.yes.add(weight),
            MotionChoice::No => self.no.add(weight),
            MotionChoice::Abstain => self.abstain.add(weight),
            MotionChoice::Invalid => self.invalid.add(weight),
            // The reader refuses `follow` on a motion without `follow_majority`; a ballot box
            // built by hand still counts it as taking part.
            MotionChoice::Follow => self.follow.get_or_insert_with(Weight::default).add(weight),
        }
    }

    /// Adds another group's choices (the same motion, so the same members present).
    pub fn add(&mut self, other: &MotionChoices) {
        self.yes.add(other.yes);
        self.no.add(other.no);
        self.abstain.add(other.abstain);
        self.invalid.add(other.invalid);
        if let Some(follow) = other.follow {
            self.follow.get_or_insert_with(Weight::default).add(follow);
        }
    }

    /// The participating members who did not choose `follow`: yes, no, abstain, and invalid
    /// ballots when they count toward participation.
    fn deciding(&self, invalid_counts_as_participation: bool) -> Weight {
        let mut deciding = self.yes;
        deciding.add(self.no);
        deciding.add(self.abstain);
        if invalid_counts_as_participation {
            deciding.add(self.invalid);
        }
        deciding
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
/// A 从众 ballot takes part like any valid ballot.
pub fn figures(
    motion: &Motion,
    totals: Weight,
    members: impl IntoIterator<Item = (MemberId, Weight)>,
    ballots: &BallotBox<MotionChoice>,
) -> MotionFigures {
    let mut choices = MotionChoices::empty(motion);
    for (member, weight) in members {
        if let Some(&choice) = ballots.get(member) {
            choices.add_ballot(choice, weight);
        }
    }
    let mut participation = choices.deciding(motion.invalid_counts_as_participation);
    if let Some(follow) = choices.follow {
        participation.add(follow);
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
    /// With `follow_majority`: the side the 从众 ballots joined.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follow_joined: Option<Joined>,
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
            motion,
            electorate.totals(),
            electorate.weighted_members(),
            ballots,
        ),
    );
    if let Some(group_by) = motion.concurrent {
        let mut groups = BTreeMap::new();
        let mut every_group_passes = true;
        for group in electorate.split_by(group_by) {
            let counted = count_alone(
                motion,
                // Each group decides its own 从众 side from its own ballots.
                figures(motion, group.totals, group.members.iter().copied(), ballots),
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
    let (approval, follow_joined) = match choices.follow {
        None => (
            motion
                .rule
                .approval_met(&choices.yes, &participation, &totals),
            None,
        ),
        Some(follow) => {
            let (approving, joined) = follow_side(motion, &choices, follow, &totals);
            (
                motion
                    .rule
                    .approval_met(&approving, &participation, &totals),
                Some(joined),
            )
        }
    };
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
        follow_joined,
        groups: None,
    }
}

/// The side the 从众 ballots join, and the approving members once they have joined it
/// (tally-bundle.md, settled questions): the approval list with `yes` as subject and, as the
/// participating base, the participating members who did not choose `follow` (the `total` base
/// unchanged); if it holds they join `yes`, else `no`. With no such member they join `no`
/// whatever the rule says: ballots that express no opinion never decide an outcome alone.
fn follow_side(
    motion: &Motion,
    choices: &MotionChoices,
    follow: Weight,
    totals: &Weight,
) -> (Weight, Joined) {
    let deciding = choices.deciding(motion.invalid_counts_as_participation);
    let joins_yes = deciding.heads > 0 && motion.rule.approval_met(&choices.yes, &deciding, totals);
    let mut approving = choices.yes;
    if joins_yes {
        approving.add(follow);
        (approving, Joined::Yes)
    } else {
        (approving, Joined::No)
    }
}
