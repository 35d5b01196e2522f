//! Consultations (征询): non-binding questions with options, single or multiple choice, each
//! optionally carrying a decision rule of its own (rules.md §5).

use serde::Serialize;

use crate::ballot_box::BallotBox;
use crate::electorate::{Electorate, MemberId};
use crate::error::DomainError;
use crate::participation::Participation;
use crate::threshold::{Threshold, all_hold};
use crate::weight::Weight;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    id: String,
    options: Vec<String>,
    max_choices: u32,
    /// Thresholds every option must meet to be adopted; `participating` means the members who
    /// answered this question.
    decide: Option<Vec<Threshold>>,
}

impl Question {
    pub fn new(
        id: String,
        options: Vec<String>,
        max_choices: u32,
        decide: Option<Vec<Threshold>>,
    ) -> Result<Question, DomainError> {
        if max_choices == 0 {
            return Err(DomainError::InvalidAnswer(format!(
                "question {id:?} must allow at least one choice"
            )));
        }
        if let Some(repeated) = first_repeated(&options) {
            return Err(DomainError::DuplicateId {
                what: "option",
                id: repeated.clone(),
            });
        }
        Ok(Question {
            id,
            options,
            max_choices,
            decide,
        })
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    pub fn options(&self) -> &[String] {
        &self.options
    }

    /// The thresholds an option must meet to be adopted, if the question decides anything.
    pub fn decide(&self) -> Option<&[Threshold]> {
        self.decide.as_deref()
    }
}

fn first_repeated(ids: &[String]) -> Option<&String> {
    ids.iter()
        .enumerate()
        .find(|(i, id)| ids.iter().take(*i).any(|earlier| earlier == *id))
        .map(|(_, id)| id)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Consultation {
    questions: Vec<Question>,
    /// Thresholds the members who returned a ballot must meet for the consultation to be valid.
    quorum: Vec<Threshold>,
}

impl Consultation {
    pub fn new(
        questions: Vec<Question>,
        quorum: Vec<Threshold>,
    ) -> Result<Consultation, DomainError> {
        let ids: Vec<String> = questions.iter().map(|q| q.id.clone()).collect();
        if let Some(repeated) = first_repeated(&ids) {
            return Err(DomainError::DuplicateId {
                what: "question",
                id: repeated.clone(),
            });
        }
        Ok(Consultation { questions, quorum })
    }

    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    /// The thresholds the returned ballots must meet for the consultation to be valid.
    pub fn quorum(&self) -> &[Threshold] {
        &self.quorum
    }

    /// A ballot that answers no question yet (it still counts as returned).
    pub fn empty_ballot(&self) -> ConsultationBallot {
        ConsultationBallot {
            answers: vec![None; self.questions.len()],
        }
    }

    /// Records one answer on a ballot. An empty answer, more options than allowed, an unknown or
    /// repeated option, or an unknown or already answered question is refused.
    pub fn answer<S: AsRef<str>>(
        &self,
        ballot: &mut ConsultationBallot,
        question: &str,
        chosen: &[S],
    ) -> Result<(), DomainError> {
        let refuse = |why: String| Err(DomainError::InvalidAnswer(why));
        let Some(q) = self.questions.iter().position(|q| q.id == question) else {
            return refuse(format!("there is no question {question:?}"));
        };
        let (Some(spec), Some(slot)) = (self.questions.get(q), ballot.answers.get_mut(q)) else {
            return refuse(format!("there is no question {question:?}"));
        };
        if slot.is_some() {
            return refuse(format!("question {question:?} is answered twice"));
        }
        if chosen.is_empty() {
            return refuse(
                "an answer chooses at least one option; leave the question out to skip it".into(),
            );
        }
        if chosen.len() > spec.max_choices as usize {
            return refuse(format!(
                "{} options chosen where at most {} are allowed",
                chosen.len(),
                spec.max_choices
            ));
        }
        let mut options = Vec::with_capacity(chosen.len());
        for option in chosen {
            let option = option.as_ref();
            match spec.options.iter().position(|o| o == option) {
                Some(i) if options.contains(&i) => {
                    return refuse(format!("option {option:?} is chosen twice"));
                }
                Some(i) => options.push(i),
                None => return refuse(format!("question {question:?} has no option {option:?}")),
            }
        }
        *slot = Some(options);
        Ok(())
    }
}

/// A member's answers: per question, the chosen options' indices, or `None` if skipped.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ConsultationBallot {
    answers: Vec<Option<Vec<usize>>>,
}

/// The figures of one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuestionFigures {
    pub respondents: Weight,
    /// Members who chose each option, in the question's order.
    pub options: Vec<Weight>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsultationFigures {
    pub totals: Weight,
    pub participation: Weight,
    pub questions: Vec<QuestionFigures>,
}

/// Figures of the members given with their weights (the whole electorate, or one group of it).
pub fn figures(
    consultation: &Consultation,
    totals: Weight,
    members: impl IntoIterator<Item = (MemberId, Weight)>,
    ballots: &BallotBox<ConsultationBallot>,
) -> ConsultationFigures {
    let mut questions: Vec<QuestionFigures> = consultation
        .questions
        .iter()
        .map(|q| QuestionFigures {
            respondents: Weight::default(),
            options: vec![Weight::default(); q.options.len()],
        })
        .collect();
    let mut participation = Weight::default();
    for (member, weight) in members {
        let Some(ballot) = ballots.get(member) else {
            continue;
        };
        participation.add(weight);
        for (figures, answer) in questions.iter_mut().zip(&ballot.answers) {
            let Some(chosen) = answer else { continue };
            figures.respondents.add(weight);
            for &option in chosen {
                if let Some(option) = figures.options.get_mut(option) {
                    option.add(weight);
                }
            }
        }
    }
    ConsultationFigures {
        totals,
        participation,
        questions,
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OptionResult {
    pub id: String,
    #[serde(flatten)]
    pub weight: Weight,
    /// Present only when the question has a decision rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adopted: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuestionResult {
    pub id: String,
    pub respondents: Weight,
    pub options: Vec<OptionResult>,
}

/// The result of a consultation, in the `gongjue-tally/1` result format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ConsultationResult {
    pub totals: Weight,
    pub participation: Participation,
    pub questions: Vec<QuestionResult>,
}

/// Counts a consultation. An option is adopted only if its question's thresholds hold and the
/// consultation's quorum (if any) is met.
pub fn count(
    consultation: &Consultation,
    electorate: &Electorate,
    ballots: &BallotBox<ConsultationBallot>,
) -> ConsultationResult {
    let ConsultationFigures {
        totals,
        participation,
        questions,
    } = figures(
        consultation,
        electorate.totals(),
        electorate.weighted_members(),
        ballots,
    );
    let met = all_hold(
        &consultation.quorum,
        &participation,
        &participation,
        &totals,
    );
    let questions = consultation
        .questions
        .iter()
        .zip(questions)
        .map(|(question, figures)| QuestionResult {
            id: question.id.clone(),
            respondents: figures.respondents,
            options: question
                .options
                .iter()
                .zip(&figures.options)
                .map(|(id, weight)| OptionResult {
                    id: id.clone(),
                    weight: *weight,
                    adopted: question.decide.as_ref().map(|decide| {
                        met && all_hold(decide, weight, &figures.respondents, &totals)
                    }),
                })
                .collect(),
        })
        .collect();
    ConsultationResult {
        totals,
        participation: Participation {
            weight: participation,
            met,
        },
        questions,
    }
}
