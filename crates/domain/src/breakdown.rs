//! Every result broken down by building, by zone and by stairwell, for turnout boards and announcements
//! (rules.md §5). A breakdown only reports figures; no rule is applied inside a group unless the
//! motion asks for concurrent majorities (see `motion`).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::consultation;
use crate::election;
use crate::electorate::{Group, GroupBy};
use crate::motion::{self, MotionChoices};
use crate::tally::{Counted, Tally};
use crate::weight::Weight;

/// Figures per building, per zone and per stairwell (zones and stairwells only when the roster
/// names them), keys in code-point order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Breakdown {
    pub building: BTreeMap<String, GroupFigures>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub zone: BTreeMap<String, GroupFigures>,
    /// By stairwell (`3-1`), when the roster names stairwells: an elevator decided stairwell by
    /// stairwell is read off these.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub stairwell: BTreeMap<String, GroupFigures>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct GroupFigures {
    pub totals: Weight,
    pub participation: Weight,
    #[serde(flatten)]
    pub detail: Detail,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Detail {
    Motion { choices: MotionChoices },
    Election { candidates: Vec<Named> },
    Consultation { questions: Vec<NamedQuestion> },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Named {
    pub id: String,
    #[serde(flatten)]
    pub weight: Weight,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamedQuestion {
    pub id: String,
    pub respondents: Weight,
    pub options: Vec<Named>,
}

fn named(ids: &[String], weights: Vec<Weight>) -> Vec<Named> {
    ids.iter()
        .zip(weights)
        .map(|(id, weight)| Named {
            id: id.clone(),
            weight,
        })
        .collect()
}

impl Tally {
    pub fn breakdown(&self) -> Breakdown {
        let units = self.electorate.units();
        let has_zones = units.iter().any(|u| !u.zone.is_empty());
        let has_stairwells = units.iter().any(|u| !u.stairwell.is_empty());
        Breakdown {
            building: self.by(GroupBy::Building),
            zone: if has_zones {
                self.by(GroupBy::Zone)
            } else {
                BTreeMap::new()
            },
            stairwell: if has_stairwells {
                self.by(GroupBy::Stairwell)
            } else {
                BTreeMap::new()
            },
        }
    }

    fn by(&self, group_by: GroupBy) -> BTreeMap<String, GroupFigures> {
        self.electorate
            .split_by(group_by)
            .into_iter()
            .map(|group| (group.key.clone(), self.figures_of(&group)))
            .collect()
    }

    fn figures_of(&self, group: &Group) -> GroupFigures {
        let members = group.members.iter().copied();
        match &self.counted {
            Counted::Motion(m, ballots) => {
                let f = motion::figures(m, group.totals, members, ballots);
                GroupFigures {
                    totals: f.totals,
                    participation: f.participation,
                    detail: Detail::Motion { choices: f.choices },
                }
            }
            Counted::Election(e, ballots) => {
                let f = election::figures(e, group.totals, members, ballots);
                let candidates = named(e.candidates(), f.candidates);
                GroupFigures {
                    totals: f.totals,
                    participation: f.participation,
                    detail: Detail::Election { candidates },
                }
            }
            Counted::Consultation(c, ballots) => {
                let f = consultation::figures(c, group.totals, members, ballots);
                let questions = c
                    .questions()
                    .iter()
                    .zip(f.questions)
                    .map(|(q, qf)| NamedQuestion {
                        id: q.id().to_owned(),
                        respondents: qf.respondents,
                        options: named(q.options(), qf.options),
                    })
                    .collect();
                GroupFigures {
                    totals: f.totals,
                    participation: f.participation,
                    detail: Detail::Consultation { questions },
                }
            }
        }
    }
}
