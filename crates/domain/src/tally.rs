//! One decision ready to count: its frozen electorate, how it is counted, and its final ballots.

use serde::Serialize;

use crate::ballot_box::BallotBox;
use crate::consultation::{self, Consultation, ConsultationBallot, ConsultationResult};
use crate::election::{self, Election, ElectionBallot, ElectionResult};
use crate::electorate::Electorate;
use crate::motion::{self, Motion, MotionChoice, MotionResult};

/// What is decided and the ballots cast on it; the ballots' type follows the decision's kind.
#[derive(Debug, Clone)]
pub enum Counted {
    Motion(Motion, BallotBox<MotionChoice>),
    Election(Election, BallotBox<ElectionBallot>),
    Consultation(Consultation, BallotBox<ConsultationBallot>),
}

#[derive(Debug, Clone)]
pub struct Tally {
    pub electorate: Electorate,
    pub counted: Counted,
}

/// The result of any kind of decision, serialised exactly as `gongjue-tally/1` specifies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum TallyResult {
    Motion(MotionResult),
    Election(ElectionResult),
    Consultation(ConsultationResult),
}

impl Tally {
    pub fn result(&self) -> TallyResult {
        match &self.counted {
            Counted::Motion(m, ballots) => {
                TallyResult::Motion(motion::count(m, &self.electorate, ballots))
            }
            Counted::Election(e, ballots) => {
                TallyResult::Election(election::count(e, &self.electorate, ballots))
            }
            Counted::Consultation(c, ballots) => {
                TallyResult::Consultation(consultation::count(c, &self.electorate, ballots))
            }
        }
    }
}
