//! Multi-seat elections of the owners' committee (业委会选举, matter 3; rules.md §4).

use std::cmp::Ordering;

use serde::Serialize;

use crate::ballot_box::BallotBox;
use crate::electorate::{Electorate, MemberId};
use crate::error::DomainError;
use crate::participation::Participation;
use crate::rule::Rule;
use crate::weight::{Measure, Weight};

/// How an election is counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Election {
    seats: u32,
    candidates: Vec<String>,
    rank_by: Vec<Measure>,
    rule: Rule,
    invalid_counts_as_participation: bool,
}

impl Election {
    /// An election for `seats` seats among `candidates`, ranked by heads then area, under `rule`.
    pub fn new(seats: u32, candidates: Vec<String>, rule: Rule) -> Result<Election, DomainError> {
        if seats == 0 {
            return Err(DomainError::NoSeats);
        }
        for (i, candidate) in candidates.iter().enumerate() {
            if candidates
                .iter()
                .take(i)
                .any(|earlier| earlier == candidate)
            {
                return Err(DomainError::DuplicateId {
                    what: "candidate",
                    id: candidate.clone(),
                });
            }
        }
        Ok(Election {
            seats,
            candidates,
            rank_by: vec![Measure::Heads, Measure::Area],
            rule,
            invalid_counts_as_participation: true,
        })
    }

    /// Ranks qualified candidates by these measures in turn (default: heads, then area).
    pub fn rank_by(mut self, rank_by: Vec<Measure>) -> Election {
        self.rank_by = rank_by;
        self
    }

    pub fn invalid_counts_as_participation(mut self, counts: bool) -> Election {
        self.invalid_counts_as_participation = counts;
        self
    }

    pub fn seats(&self) -> u32 {
        self.seats
    }

    pub fn candidates(&self) -> &[String] {
        &self.candidates
    }

    /// The rule: its quorum, and the approval a candidate's supporters must reach to qualify.
    pub fn rule(&self) -> &Rule {
        &self.rule
    }

    /// Reads a ballot's marks: none is an abstention; more marks than seats, or an unknown or
    /// repeated candidate, make the ballot invalid (it still counts as returned).
    pub fn ballot<S: AsRef<str>>(&self, marks: &[S]) -> ElectionBallot {
        if marks.is_empty() {
            return ElectionBallot::Abstain;
        }
        if marks.len() > self.seats as usize {
            return ElectionBallot::Invalid;
        }
        let mut chosen: Vec<usize> = Vec::with_capacity(marks.len());
        for mark in marks {
            match self.candidates.iter().position(|c| c == mark.as_ref()) {
                Some(i) if !chosen.contains(&i) => chosen.push(i),
                _ => return ElectionBallot::Invalid,
            }
        }
        ElectionBallot::Marks(chosen)
    }
}

/// A member's ballot in an election.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ElectionBallot {
    /// Indices into the election's candidates, distinct, at most `seats` of them.
    Marks(Vec<usize>),
    Abstain,
    Invalid,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ElectionOutcome {
    Valid,
    NoQuorum,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CandidateResult {
    pub id: String,
    #[serde(flatten)]
    pub weight: Weight,
    pub qualified: bool,
    pub elected: bool,
}

/// The result of an election, in the `gongjue-tally/1` result format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ElectionResult {
    pub outcome: ElectionOutcome,
    pub totals: Weight,
    pub participation: Participation,
    /// In the order of the election's candidates.
    pub candidates: Vec<CandidateResult>,
    /// Elected candidates, in the order of the election's candidates (not by rank).
    pub elected: Vec<String>,
    /// Candidates tied on every ranking key across the last seat, left to a run-off or a lot.
    pub tie: Vec<String>,
    /// Seats no qualified candidate can fill (另行选举); seats left to a tie are not counted here.
    pub unfilled: u32,
}

/// The figures of an election before any rule is applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ElectionFigures {
    pub totals: Weight,
    pub participation: Weight,
    /// Supporters of each candidate, in the election's order.
    pub candidates: Vec<Weight>,
    pub abstain: Weight,
    pub invalid: Weight,
}

/// Figures of the members given with their weights (the whole electorate, or one group of it).
pub fn figures(
    election: &Election,
    totals: Weight,
    members: impl IntoIterator<Item = (MemberId, Weight)>,
    ballots: &BallotBox<ElectionBallot>,
) -> ElectionFigures {
    let mut candidates = vec![Weight::default(); election.candidates.len()];
    let (mut marked, mut abstain, mut invalid) =
        (Weight::default(), Weight::default(), Weight::default());
    for (member, weight) in members {
        match ballots.get(member) {
            Some(ElectionBallot::Marks(chosen)) => {
                marked.add(weight);
                for &i in chosen {
                    if let Some(supporters) = candidates.get_mut(i) {
                        supporters.add(weight);
                    }
                }
            }
            Some(ElectionBallot::Abstain) => abstain.add(weight),
            Some(ElectionBallot::Invalid) => invalid.add(weight),
            None => {}
        }
    }
    let mut participation = marked;
    participation.add(abstain);
    if election.invalid_counts_as_participation {
        participation.add(invalid);
    }
    ElectionFigures {
        totals,
        participation,
        candidates,
        abstain,
        invalid,
    }
}

/// Counts an election: quorum as for a motion; a candidate qualifies with the rule's approval
/// thresholds applied to their supporters; qualified candidates fill the seats by rank.
pub fn count(
    election: &Election,
    electorate: &Electorate,
    ballots: &BallotBox<ElectionBallot>,
) -> ElectionResult {
    let ElectionFigures {
        totals,
        participation,
        candidates,
        ..
    } = figures(
        election,
        electorate.totals(),
        electorate.weighted_members(),
        ballots,
    );
    let quorum = election.rule.participation_met(&participation, &totals);
    let qualified: Vec<bool> = candidates
        .iter()
        .map(|supporters| {
            quorum
                && election
                    .rule
                    .approval_met(supporters, &participation, &totals)
        })
        .collect();

    let rank_key = |i: usize| -> Vec<u64> {
        let weight = candidates.get(i).copied().unwrap_or_default();
        election
            .rank_by
            .iter()
            .map(|&m| weight.measure(m))
            .collect()
    };
    let mut ranked: Vec<usize> = (0..candidates.len())
        .filter(|&i| qualified.get(i) == Some(&true))
        .collect();
    ranked.sort_by_key(|&i| std::cmp::Reverse(rank_key(i)));

    let seats = election.seats as usize;
    let (winners, tied): (Vec<usize>, Vec<usize>) =
        match (ranked.get(seats.wrapping_sub(1)), ranked.get(seats)) {
            (Some(&last), Some(&first_out)) if rank_key(last) == rank_key(first_out) => {
                // A tie on every key straddles the last seat: all candidates tied with the last seat
                // are left to a run-off; those ranked strictly above it are elected.
                let tie_key = rank_key(last);
                let above = ranked
                    .iter()
                    .copied()
                    .filter(|&i| rank_key(i).cmp(&tie_key) == Ordering::Greater)
                    .collect();
                let tied = ranked
                    .iter()
                    .copied()
                    .filter(|&i| rank_key(i) == tie_key)
                    .collect();
                (above, tied)
            }
            _ => (ranked.iter().copied().take(seats).collect(), Vec::new()),
        };
    let unfilled = if tied.is_empty() {
        seats.saturating_sub(winners.len())
    } else {
        0
    };

    let in_input_order = |chosen: &[usize]| -> Vec<String> {
        election
            .candidates
            .iter()
            .enumerate()
            .filter(|(i, _)| chosen.contains(i))
            .map(|(_, id)| id.clone())
            .collect()
    };
    ElectionResult {
        outcome: if quorum {
            ElectionOutcome::Valid
        } else {
            ElectionOutcome::NoQuorum
        },
        totals,
        participation: Participation {
            weight: participation,
            met: quorum,
        },
        candidates: election
            .candidates
            .iter()
            .zip(&candidates)
            .enumerate()
            .map(|(i, (id, &weight))| CandidateResult {
                id: id.clone(),
                weight,
                qualified: qualified.get(i) == Some(&true),
                elected: winners.contains(&i),
            })
            .collect(),
        elected: in_input_order(&winners),
        tie: in_input_order(&tied),
        unfilled: u32::try_from(unfilled).unwrap_or(u32::MAX),
    }
}
