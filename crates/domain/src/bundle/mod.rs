//! The `gongjue-tally/1` bundle (`../shared/spec/tally-bundle.md`): one JSON document with the
//! rule, the frozen electorate and the final ballots of one decision.
//!
//! [`read`] checks the whole document and names every input error by its JSON path
//! (`electorate[3].area: area must be positive`), then hands back a [`Tally`] ready to count.

mod raw;

use crate::area::UnitArea;
use crate::ballot_box::BallotBox;
use crate::consultation::{Consultation, Question};
use crate::election::{Election, ElectionBallot};
use crate::electorate::{ElectorateBuilder, GroupBy, Unit};
use crate::error::{DomainError, InputError};
use crate::fraction::{Comparison, Fraction};
use crate::motion::{Motion, MotionChoice};
use crate::rule::{Matter, Rule};
use crate::tally::{Counted, Tally};
use crate::threshold::{Base, Threshold};
use crate::weight::Measure;

use raw::{
    RawBallot, RawBundle, RawChoice, RawCustomRule, RawQuestion, RawThreshold, RawUnit, Text,
};

pub const FORMAT: &str = "gongjue-tally/1";

/// Reads and checks a bundle. On input errors returns [`DomainError::InvalidBundle`] listing them.
pub fn read(json: &[u8]) -> Result<Tally, DomainError> {
    // Editors on Windows save UTF-8 with a byte-order mark; it is not part of the document.
    let json = json.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(json);
    // Tracking the path of every value costs a third of the reading time, so the path is only
    // tracked on a second pass over a document that failed.
    let mut raw: RawBundle<'_> = match serde_json::from_slice(json) {
        Ok(raw) => raw,
        Err(_) => return Err(structural_error(json)),
    };
    let units = raw.electorate.take().map(Vec::into_iter);
    let mut reader = Reader::default();
    let tally = reader.tally(raw, units);
    match tally {
        Some(tally) if reader.errors.is_empty() => Ok(tally),
        _ => Err(DomainError::InvalidBundle(reader.errors)),
    }
}

/// A unit of the electorate as a service holds it: the members of the bundle's `electorate[i]`.
#[derive(Debug, Clone)]
pub struct StoredUnit {
    pub unit: String,
    pub building: String,
    pub stairwell: String,
    pub zone: String,
    /// As the bundle writes it, e.g. `"89.50"`.
    pub area: String,
    pub voter: String,
}

/// A final ballot as a service holds it: its voter, and its `choice` (or a consultation's
/// `answers`) as the bundle writes it.
#[derive(Debug, Clone, Copy)]
pub struct StoredBallot<'a> {
    pub voter: &'a str,
    pub choice: &'a serde_json::Value,
}

/// Reads a decision from its parts as a service holds them, with the checks and the outcome of
/// [`read`] on the bundle the parts make, without writing and parsing that document: `header`
/// is the bundle's JSON without its `electorate` and `ballots` (members there are ignored).
///
/// The units are taken one at a time as the electorate is built: at 100,000 units a vector of
/// them in each intermediate shape was most of a count's memory (issue 22).
pub fn read_parts<'a, U>(
    header: &'a [u8],
    electorate: U,
    ballots: &[StoredBallot<'a>],
) -> Result<Tally, DomainError>
where
    U: IntoIterator<Item = StoredUnit>,
    U::IntoIter: ExactSizeIterator,
{
    use serde::Deserialize as _;
    use std::borrow::Cow;
    let mut raw: RawBundle<'a> =
        serde_json::from_slice(header).map_err(|_| structural_error(header))?;
    let consultation = raw.kind.as_ref().map(Text::as_str) == Some("consultation");
    let owned = |text: String| Some(Text(Cow::Owned(text)));
    let units = electorate.into_iter().map(|u| RawUnit {
        unit: owned(u.unit),
        building: owned(u.building),
        stairwell: owned(u.stairwell),
        zone: owned(u.zone),
        area: owned(u.area),
        voter: owned(u.voter),
    });
    let mut raw_ballots = Vec::with_capacity(ballots.len());
    for (i, ballot) in ballots.iter().enumerate() {
        let mut one = RawBallot {
            voter: Some(Text(Cow::Borrowed(ballot.voter))),
            choice: None,
            answers: None,
        };
        let parsed = if consultation {
            Option::deserialize(ballot.choice).map(|answers| one.answers = answers)
        } else {
            Option::deserialize(ballot.choice).map(|choice| one.choice = choice)
        };
        if let Err(e) = parsed {
            return Err(invalid(
                format!(
                    "ballots[{i}].{}",
                    if consultation { "answers" } else { "choice" }
                ),
                e.to_string(),
            ));
        }
        raw_ballots.push(one);
    }
    raw.ballots = Some(raw_ballots);
    let mut reader = Reader::default();
    let tally = reader.tally(raw, Some(units));
    match tally {
        Some(tally) if reader.errors.is_empty() => Ok(tally),
        _ => Err(DomainError::InvalidBundle(reader.errors)),
    }
}

/// The first structural error (not JSON, a wrong type) of a document, with its JSON path.
fn structural_error(json: &[u8]) -> DomainError {
    let mut deserializer = serde_json::Deserializer::from_slice(json);
    let parsed = serde_path_to_error::deserialize::<_, RawBundle<'_>>(&mut deserializer)
        .map_err(|e| {
            let path = e.path().to_string();
            (
                if path == "." {
                    "(document)".into()
                } else {
                    path
                },
                e.into_inner().to_string(),
            )
        })
        .and_then(|_| {
            deserializer
                .end()
                .map_err(|e| ("(document)".to_owned(), e.to_string()))
        });
    let (path, message) = parsed
        .err()
        .unwrap_or_else(|| ("(document)".into(), "cannot be read".into()));
    invalid(path, message)
}

fn invalid(path: String, message: String) -> DomainError {
    DomainError::InvalidBundle(vec![InputError { path, message }])
}

enum Kind {
    Motion(Motion),
    Election(Election),
    Consultation(Consultation),
}

/// Collects input errors while turning the raw document into domain values.
#[derive(Default)]
struct Reader {
    errors: Vec<InputError>,
}

impl Reader {
    fn error(&mut self, path: impl Into<String>, message: impl ToString) {
        self.errors.push(InputError {
            path: path.into(),
            message: message.to_string(),
        });
    }

    /// A required member, or an error naming it.
    fn required<T>(&mut self, value: Option<T>, path: &str) -> Option<T> {
        self.required_at(value, || path.to_owned())
    }

    /// Like `required`, formatting the path only if the member is missing.
    fn required_at<T>(&mut self, value: Option<T>, path: impl FnOnce() -> String) -> Option<T> {
        if value.is_none() {
            self.error(path(), "missing");
        }
        value
    }

    /// The tally of `raw`, whose electorate is `units` (taken out of it by the caller).
    fn tally<'a>(
        &mut self,
        raw: RawBundle<'a>,
        units: Option<impl ExactSizeIterator<Item = RawUnit<'a>>>,
    ) -> Option<Tally> {
        match raw.format.as_ref().map(Text::as_str) {
            Some(FORMAT) => {}
            Some(other) => self.error(
                "format",
                format!("unknown format {other:?}, expected {FORMAT:?}"),
            ),
            None => self.error("format", format!("missing, expected {FORMAT:?}")),
        }
        let concurrent = self.concurrent(&raw);
        let kind = self.kind(&raw, concurrent);
        let electorate = self.electorate(units, concurrent);
        let ballots = self.required(raw.ballots, "ballots");
        // Ballots are only checked against a sound electorate and decision, so that one wrong
        // unit does not also report every ballot of its owner.
        let (kind, electorate, ballots) = (kind?, electorate?, ballots?);
        if !self.errors.is_empty() {
            return None;
        }
        let counted = match kind {
            Kind::Motion(motion) => {
                let follow = motion.follow_majority;
                let ballots = self.ballots(&electorate, ballots, |b| motion_choice(b, follow));
                Counted::Motion(motion, ballots)
            }
            Kind::Election(election) => {
                let ballots = self.ballots(&electorate, ballots, |b| election_ballot(&election, b));
                Counted::Election(election, ballots)
            }
            Kind::Consultation(consultation) => {
                let ballots = self.ballots(&electorate, ballots, |b| {
                    consultation_ballot(&consultation, b)
                });
                Counted::Consultation(consultation, ballots)
            }
        };
        Some(Tally {
            electorate,
            counted,
        })
    }

    fn concurrent(&mut self, raw: &RawBundle<'_>) -> Option<GroupBy> {
        let name = raw.concurrent.as_ref()?;
        let group_by = GroupBy::from_name(name.as_str());
        if group_by.is_none() {
            self.error(
                "concurrent",
                format!("{:?} is neither \"zone\" nor \"building\"", name.as_str()),
            );
        }
        if raw.kind.as_ref().map(Text::as_str) != Some("motion") {
            self.error("concurrent", "concurrent majorities apply to motions only");
        }
        group_by
    }

    fn kind(&mut self, raw: &RawBundle<'_>, concurrent: Option<GroupBy>) -> Option<Kind> {
        let invalid_counts = raw.invalid_counts_as_participation.unwrap_or(true);
        let kind = raw.kind.as_ref().map(Text::as_str);
        let matter = self.matter(raw.matter.as_ref(), kind);
        let follow_majority = self.follow_majority(raw.follow_majority.as_ref(), kind);
        match kind {
            Some("motion") => {
                let rule = self.rule(raw.rule.as_ref())?;
                let matter = matter?;
                self.floor(matter, &rule);
                Some(Kind::Motion(Motion {
                    rule,
                    invalid_counts_as_participation: invalid_counts,
                    concurrent,
                    follow_majority: follow_majority?,
                }))
            }
            Some("election") => self
                .election(raw, invalid_counts, matter?)
                .map(Kind::Election),
            Some("consultation") => self.consultation(raw).map(Kind::Consultation),
            Some(other) => {
                self.error("kind", format!("unknown kind {other:?}, expected \"motion\", \"election\" or \"consultation\""));
                None
            }
            None => {
                self.error("kind", "missing");
                None
            }
        }
    }

    /// The art. 278 matter: `Some(None)` without one, `None` after an error at `matter`.
    fn matter(
        &mut self,
        value: Option<&serde_json::Value>,
        kind: Option<&str>,
    ) -> Option<Option<Matter>> {
        let Some(value) = value else {
            return Some(None);
        };
        match kind {
            Some("motion" | "election") => {}
            Some("consultation") => {
                self.error(
                    "matter",
                    "a consultation is not binding and has no matter of Civil Code art. 278",
                );
                return None;
            }
            // An unknown kind is reported at `kind`.
            _ => return Some(None),
        }
        // Only a JSON integer: `3.0` and `"3"` are not matters.
        let matter = value
            .as_u64()
            .and_then(|n| u8::try_from(n).ok())
            .and_then(|n| Matter::from_number(n).ok());
        match matter {
            None => {
                self.error(
                    "matter",
                    format!(
                        "{value} is not a matter of Civil Code art. 278: a JSON integer 1 to 9"
                    ),
                );
                None
            }
            Some(m) if kind == Some("election") && m != Matter::OwnersCommittee => {
                self.error(
                    "matter",
                    format!(
                        "an election of the owners' committee is matter 3 of Civil Code art. 278, not {}",
                        m.number()
                    ),
                );
                None
            }
            Some(m) => Some(Some(m)),
        }
    }

    /// Whether the motion offers 从众: `true` or `false` on a motion only; `None` after an error.
    fn follow_majority(
        &mut self,
        value: Option<&serde_json::Value>,
        kind: Option<&str>,
    ) -> Option<bool> {
        let Some(value) = value else {
            return Some(false);
        };
        match (kind, value) {
            (Some("motion"), serde_json::Value::Bool(offered)) => Some(*offered),
            (Some("motion"), other) => {
                self.error(
                    "follow_majority",
                    format!("{other} is neither true nor false"),
                );
                None
            }
            (Some("election" | "consultation"), _) => {
                self.error(
                    "follow_majority",
                    "从众 (follow) is a choice on motions only, not on elections or consultations",
                );
                None
            }
            _ => Some(false),
        }
    }

    /// "A floor, not a ceiling": with a matter, the rule must hold its statutory thresholds
    /// or stricter ones; a weaker rule is an error at `rule`.
    fn floor(&mut self, matter: Option<Matter>, rule: &Rule) {
        if let Some(Err(message)) = matter.map(|m| m.check_floor(rule)) {
            self.error("rule", message);
        }
    }

    fn rule(&mut self, rule: Option<&serde_json::Value>) -> Option<Rule> {
        match rule {
            None | Some(serde_json::Value::Null) => Some(Rule::ordinary()),
            Some(serde_json::Value::String(name)) => match name.as_str() {
                "ordinary" => Some(Rule::ordinary()),
                "special" => Some(Rule::special()),
                other => {
                    self.error("rule", format!("unknown rule {other:?}: \"ordinary\", \"special\" or a custom rule object"));
                    None
                }
            },
            Some(value) => match serde_path_to_error::deserialize::<_, RawCustomRule>(value) {
                Ok(custom) => {
                    let participation = self.required(custom.participation, "rule.participation");
                    let approval = self.required(custom.approval, "rule.approval");
                    let participation = self.thresholds(participation?, "rule.participation")?;
                    let approval = self.thresholds(approval?, "rule.approval")?;
                    Some(Rule {
                        participation,
                        approval,
                    })
                }
                Err(e) => {
                    self.error(
                        format!("rule.{}", e.path()).trim_end_matches('.'),
                        e.into_inner(),
                    );
                    None
                }
            },
        }
    }

    fn thresholds(&mut self, raw: Vec<RawThreshold>, path: &str) -> Option<Vec<Threshold>> {
        let before = self.errors.len();
        let thresholds: Vec<Threshold> = raw
            .into_iter()
            .enumerate()
            .filter_map(|(i, t)| self.threshold(t, &format!("{path}[{i}]")))
            .collect();
        (self.errors.len() == before).then_some(thresholds)
    }

    fn threshold(&mut self, raw: RawThreshold, path: &str) -> Option<Threshold> {
        let measure = self.required(raw.measure, &format!("{path}.measure"));
        let op = self.required(raw.op, &format!("{path}.op"));
        let fraction = self.required(raw.fraction, &format!("{path}.fraction"));
        let of = self.required(raw.of, &format!("{path}.of"));
        let (measure, op, fraction, of) = (measure?, op?, fraction?, of?);
        let measure = Measure::from_name(&measure).or_else(|| {
            self.parse_error(
                &format!("{path}.measure"),
                &measure,
                "\"area\", \"heads\" or \"units\"",
            )
        });
        let comparison = Comparison::from_symbol(&op)
            .or_else(|| self.parse_error(&format!("{path}.op"), &op, "\">=\" or \">\""));
        let fraction = Fraction::parse(&fraction)
            .map_err(|e| self.error(format!("{path}.fraction"), e))
            .ok();
        let of = Base::from_name(&of).or_else(|| {
            self.parse_error(&format!("{path}.of"), &of, "\"total\" or \"participating\"")
        });
        Some(Threshold::new(measure?, comparison?, fraction?, of?))
    }

    fn parse_error<T>(&mut self, path: &str, found: &str, expected: &str) -> Option<T> {
        self.error(path, format!("{found:?} is not one of {expected}"));
        None
    }

    fn election(
        &mut self,
        raw: &RawBundle<'_>,
        invalid_counts: bool,
        matter: Option<Matter>,
    ) -> Option<Election> {
        let rule = self.rule(raw.rule.as_ref());
        if let Some(rule) = &rule {
            self.floor(matter, rule);
        }
        let seats = match raw.seats {
            Some(0) => {
                self.error("seats", DomainError::NoSeats);
                None
            }
            seats => self.required(seats, "seats"),
        };
        let candidates = self.required(raw.candidates.clone(), "candidates");
        if let Some(candidates) = &candidates {
            self.no_repeats(candidates, "candidates", "");
        }
        let rank_by = match &raw.rank_by {
            None => Some(vec![Measure::Heads, Measure::Area]),
            Some(names) if names.is_empty() => {
                self.error("rank_by", "name at least one measure to rank by");
                None
            }
            Some(names) => {
                let measures: Vec<Option<Measure>> = names
                    .iter()
                    .enumerate()
                    .map(|(i, n)| {
                        Measure::from_name(n).or_else(|| {
                            self.parse_error(
                                &format!("rank_by[{i}]"),
                                n,
                                "\"heads\", \"area\" or \"units\"",
                            )
                        })
                    })
                    .collect();
                measures.into_iter().collect()
            }
        };
        let election = Election::new(seats?, candidates?, rule?)
            .map_err(|e| self.error("candidates", e))
            .ok()?;
        Some(
            election
                .rank_by(rank_by?)
                .invalid_counts_as_participation(invalid_counts),
        )
    }

    fn consultation(&mut self, raw: &RawBundle<'_>) -> Option<Consultation> {
        let quorum = match &raw.quorum {
            None => Some(Vec::new()),
            Some(quorum) => self.thresholds(clone_thresholds(quorum), "quorum"),
        };
        let questions = self.required(raw.questions.as_ref(), "questions")?;
        let ids: Vec<String> = questions
            .iter()
            .map(|q| q.id.clone().unwrap_or_default())
            .collect();
        self.no_repeats(&ids, "questions", ".id");
        let questions: Vec<Option<Question>> = questions
            .iter()
            .enumerate()
            .map(|(i, q)| self.question(q, &format!("questions[{i}]")))
            .collect();
        let questions: Option<Vec<Question>> = questions.into_iter().collect();
        Consultation::new(questions?, quorum?)
            .map_err(|e| self.error("questions", e))
            .ok()
    }

    fn question(&mut self, raw: &RawQuestion, path: &str) -> Option<Question> {
        let id = self.required(raw.id.clone(), &format!("{path}.id"));
        let options = self.required(raw.options.clone(), &format!("{path}.options"));
        if let Some(options) = &options {
            self.no_repeats(options, &format!("{path}.options"), "");
        }
        let max_choices = raw.max_choices.unwrap_or(1);
        if max_choices == 0 {
            self.error(format!("{path}.max_choices"), "must be at least 1");
        }
        let decide = match &raw.decide {
            None => Some(None),
            Some(decide) => self
                .thresholds(clone_thresholds(decide), &format!("{path}.decide"))
                .map(Some),
        };
        Question::new(id?, options?, max_choices, decide?)
            .map_err(|e| self.error(path, e))
            .ok()
    }

    /// Reports the second occurrence of any id listed twice, as `path[i]suffix`.
    fn no_repeats(&mut self, ids: &[String], path: &str, suffix: &str) {
        for (i, id) in ids.iter().enumerate() {
            if ids.iter().take(i).any(|earlier| earlier == id) {
                self.error(
                    format!("{path}[{i}]{suffix}"),
                    format!("{id:?} is listed twice"),
                );
            }
        }
    }

    fn electorate<'a>(
        &mut self,
        raw: Option<impl ExactSizeIterator<Item = RawUnit<'a>>>,
        concurrent: Option<GroupBy>,
    ) -> Option<crate::electorate::Electorate> {
        let raw = self.required(raw, "electorate")?;
        let mut builder = ElectorateBuilder::with_capacity(raw.len());
        for (i, unit) in raw.enumerate() {
            let Some(unit) = self.unit(unit, i, concurrent) else {
                continue;
            };
            if let Err(e) = builder.push(unit) {
                let field = match &e {
                    DomainError::EmptyUnitField { field } => field,
                    _ => "unit",
                };
                self.error(format!("electorate[{i}].{field}"), e);
            }
        }
        builder
            .finish()
            .map_err(|e| self.error("electorate", e))
            .ok()
    }

    fn unit(&mut self, raw: RawUnit<'_>, i: usize, concurrent: Option<GroupBy>) -> Option<Unit> {
        // Paths are formatted only on error: a bundle may hold 100,000 units.
        let path = |field: &str| format!("electorate[{i}].{field}");
        let id = self.required_at(raw.unit, || path("unit"));
        let area = self.required_at(raw.area, || path("area"));
        let voter = self.required_at(raw.voter, || path("voter"));
        let area = area.and_then(|a| {
            UnitArea::parse(a.as_str())
                .map_err(|e| self.error(path("area"), e))
                .ok()
        });
        let text = |t: Option<Text<'_>>| t.map(|t| t.0.into_owned()).unwrap_or_default();
        let unit = Unit {
            id: id?.0.into_owned(),
            building: text(raw.building),
            stairwell: text(raw.stairwell),
            zone: text(raw.zone),
            area: area?,
            voter: voter?.0.into_owned(),
        };
        if let Some(group_by) = concurrent.filter(|g| g.key(&unit).is_empty()) {
            let name = group_by.name();
            self.error(
                path(name),
                format!("concurrent majorities by {name} need every unit's {name}"),
            );
            return None;
        }
        Some(unit)
    }

    fn ballots<C>(
        &mut self,
        electorate: &crate::electorate::Electorate,
        raw: Vec<RawBallot<'_>>,
        mut choice: impl FnMut(&RawBallot<'_>) -> Result<C, (String, String)>,
    ) -> BallotBox<C> {
        let mut ballots = BallotBox::new(electorate);
        for (i, ballot) in raw.iter().enumerate() {
            let path = |field: &str| format!("ballots[{i}].{field}");
            let Some(voter) = ballot.voter.as_ref() else {
                self.error(path("voter"), "missing");
                continue;
            };
            match choice(ballot) {
                Ok(choice) => {
                    if let Err(e) = ballots.cast(electorate, voter.as_str(), choice) {
                        self.error(path("voter"), e);
                    }
                }
                Err((field, message)) => {
                    if electorate.member_by_voter(voter.as_str()).is_none() {
                        self.error(
                            path("voter"),
                            DomainError::UnknownVoter(voter.as_str().to_owned()),
                        );
                    }
                    self.error(path(&field), message);
                }
            }
        }
        ballots
    }
}

fn clone_thresholds(raw: &[RawThreshold]) -> Vec<RawThreshold> {
    raw.iter()
        .map(|t| RawThreshold {
            measure: t.measure.clone(),
            op: t.op.clone(),
            fraction: t.fraction.clone(),
            of: t.of.clone(),
        })
        .collect()
}

type ChoiceError = (String, String);

fn missing(field: &str) -> ChoiceError {
    (field.to_owned(), "missing".to_owned())
}

fn motion_choice(
    ballot: &RawBallot<'_>,
    follow_majority: bool,
) -> Result<MotionChoice, ChoiceError> {
    let choices = if follow_majority {
        "\"yes\", \"no\", \"abstain\", \"invalid\" or \"follow\""
    } else {
        "\"yes\", \"no\", \"abstain\" or \"invalid\""
    };
    match &ballot.choice {
        Some(RawChoice::One(name)) => match MotionChoice::from_name(name.as_str()) {
            Some(MotionChoice::Follow) if !follow_majority => Err((
                "choice".into(),
                "\"follow\" (从众) is a choice only on a motion that offers it (\"follow_majority\": true)".into(),
            )),
            Some(choice) => Ok(choice),
            None => Err((
                "choice".into(),
                format!("{:?} is not a motion choice: {choices}", name.as_str()),
            )),
        },
        Some(RawChoice::Many(_)) => Err((
            "choice".into(),
            format!("a motion ballot is one of {choices}"),
        )),
        None => Err(no_choice(ballot)),
    }
}

/// A ballot without a choice; one that carries consultation answers instead is named as such.
fn no_choice(ballot: &RawBallot<'_>) -> ChoiceError {
    if ballot.answers.is_some() {
        (
            "answers".into(),
            "this decision is not a consultation: the ballot needs a `choice`, not `answers`"
                .into(),
        )
    } else {
        missing("choice")
    }
}

fn election_ballot(
    election: &Election,
    ballot: &RawBallot<'_>,
) -> Result<ElectionBallot, ChoiceError> {
    match &ballot.choice {
        Some(RawChoice::Many(marks)) => Ok(election.ballot(marks)),
        Some(RawChoice::One(word)) => match word.as_str() {
            "abstain" => Ok(ElectionBallot::Abstain),
            "invalid" => Ok(ElectionBallot::Invalid),
            other => Err((
                "choice".into(),
                format!(
                    "{other:?} is not an election choice: a list of candidates, \"abstain\" or \"invalid\""
                ),
            )),
        },
        None => Err(no_choice(ballot)),
    }
}

impl AsRef<str> for Text<'_> {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

fn consultation_ballot(
    consultation: &Consultation,
    ballot: &RawBallot<'_>,
) -> Result<crate::consultation::ConsultationBallot, ChoiceError> {
    let answers = match (&ballot.answers, &ballot.choice) {
        (Some(answers), _) => answers,
        // A motion-style ballot in a consultation: say so where the stray member is.
        (None, Some(_)) => {
            return Err((
                "choice".into(),
                "a consultation ballot has `answers`, not a `choice`".into(),
            ));
        }
        (None, None) => return Err(missing("answers")),
    };
    let mut counted = consultation.empty_ballot();
    for (question, chosen) in answers {
        consultation
            .answer(&mut counted, question.as_str(), chosen)
            .map_err(|e| (format!("answers.{}", question.as_str()), e.to_string()))?;
    }
    Ok(counted)
}
