//! The figures of a result in plain words, for owners: how many took part and what each choice,
//! candidate or option got, each set against the threshold of the item's own rule
//! ("参与表决面积占总面积 71.2%，需达到三分之二以上：已达到"). One struct and one partial
//! (`templates/web/figures.html`), included by the owner's ballot page and the publication page.
//!
//! Every share is computed from the tally's exact integers; a verdict comes from the same exact
//! comparison the domain counts with (`Fraction::compare`), never from the rounded percentage.
//! A percentage is shown with one decimal, with more only where one decimal would put it on the
//! wrong side of its threshold (66.665% rather than 66.7% against two thirds).

use gongjue_domain::consultation::ConsultationResult;
use gongjue_domain::election::ElectionResult;
use gongjue_domain::fraction::{Comparison, Fraction};
use gongjue_domain::motion::{Joined, MotionOutcome, MotionResult};
use gongjue_domain::rule::Rule;
use gongjue_domain::tally::{Counted, Tally, TallyResult};
use gongjue_domain::threshold::{Base, Threshold};
use gongjue_domain::weight::{Measure, Weight};

use gongjue_store::Store;

use crate::i18n::{Lang, Msg};
use crate::usecases::{Caller, UseCaseError, results};
use crate::web::words::{area_words, fraction_word};

/// One figure, checked against a threshold when the rule sets one.
#[derive(Clone)]
pub struct Check {
    pub text: String,
    /// `None`: a figure without a threshold (a consultation without a quorum).
    pub met: Option<bool>,
}

/// One line of a figures table: a choice, candidate or option, its area and its heads.
#[derive(Clone)]
pub struct Row {
    pub label: String,
    pub area: String,
    pub area_share: String,
    pub heads: String,
    pub heads_share: String,
}

/// A table of choices (a motion's, an election's candidates, or one question's options) with
/// the checks of its thresholds.
#[derive(Clone)]
pub struct Part {
    /// The question of a consultation; empty otherwise.
    pub title: String,
    /// The header of the first column: 选项 or 候选人.
    pub column: &'static str,
    pub rows: Vec<Row>,
    pub checks: Vec<Check>,
}

/// An item's result as owners read it.
#[derive(Clone)]
pub struct Figures {
    /// The item's title where a page lists several results; empty where the page has it.
    pub title: String,
    pub outcome: String,
    pub passed: bool,
    /// Participation against the quorum.
    pub participation: Vec<Check>,
    pub parts: Vec<Part>,
    /// Words for the partial (the template has no catalogue of its own).
    pub labels: Labels,
}

#[derive(Clone)]
pub struct Labels {
    pub outcome: &'static str,
    pub area: &'static str,
    pub heads: &'static str,
    pub met: &'static str,
    pub not_met: &'static str,
    /// Between a figure and its verdict: "：" or ": ".
    pub sep: &'static str,
}

fn measure_word(measure: Measure, lang: Lang) -> &'static str {
    match measure {
        Measure::Area => Msg::FigArea,
        Measure::Heads => Msg::FigHeads,
        Measure::Units => Msg::FigUnits,
    }
    .text(lang)
}

/// `part / whole` in percent with `decimals` decimals, rounded half up, as an integer.
fn scaled(part: u64, whole: u64, decimals: u32) -> u128 {
    let scale = 100 * 10u128.pow(decimals);
    let (part, whole) = (u128::from(part), u128::from(whole));
    (part * scale * 2 + whole) / (whole * 2)
}

fn written(value: u128, decimals: u32) -> String {
    if decimals == 0 {
        return format!("{value}%");
    }
    let unit = 10u128.pow(decimals);
    format!(
        "{}.{:0width$}%",
        value / unit,
        value % unit,
        width = decimals as usize
    )
}

/// `part / whole` as a percentage for people: one decimal, or more where the rounded figure
/// would read as meeting `against` when the exact one does not (or the reverse).
pub fn share(part: u64, whole: u64, against: Option<Fraction>) -> String {
    if whole == 0 {
        return "—".to_owned();
    }
    let Some(f) = against else {
        return written(scaled(part, whole, 1), 1);
    };
    // Sign of `part/whole - p/q`, exactly.
    let exact = (u128::from(part) * u128::from(f.denominator()))
        .cmp(&(u128::from(f.numerator()) * u128::from(whole)));
    if exact == std::cmp::Ordering::Equal {
        // Exactly on the threshold: no rounding can mislead (the verdict says which side).
        return written(scaled(part, whole, 1), 1);
    }
    for decimals in 1..=6 {
        let value = scaled(part, whole, decimals);
        // Sign of `value / (100·10^d) - p/q`.
        let shown = (value * u128::from(f.denominator()))
            .cmp(&(u128::from(f.numerator()) * 100 * 10u128.pow(decimals)));
        if shown == exact {
            return written(value, decimals);
        }
    }
    written(scaled(part, whole, 6), 6)
}

/// "需达到三分之二以上" / "需超过半数".
fn need(t: &Threshold, lang: Lang) -> String {
    let fraction = if t.fraction == Fraction::HALF {
        Msg::FigHalf.text(lang).to_owned()
    } else {
        fraction_word(t.fraction, lang)
    };
    let msg = match t.comparison {
        Comparison::AtLeast => Msg::FigNeedAtLeast,
        Comparison::MoreThan => Msg::FigNeedMoreThan,
    };
    msg.text_with(lang, &[("fraction", (&fraction).into())])
}

/// Who is counted: the participants, a choice, a candidate's supporters or an option's.
#[derive(Clone, Copy)]
enum Subject<'a> {
    Participating,
    Choice(&'a str),
    Candidate(&'a str),
    Option(&'a str),
}

fn subject_words(subject: Subject<'_>, measure: &str, lang: Lang) -> String {
    let (msg, name) = match subject {
        Subject::Participating => (Msg::FigSubjectParticipating, ""),
        Subject::Choice(n) => (Msg::FigSubjectChoice, n),
        Subject::Candidate(n) => (Msg::FigSubjectCandidate, n),
        Subject::Option(n) => (Msg::FigSubjectOption, n),
    };
    msg.text_with(lang, &[("name", name.into()), ("measure", measure.into())])
}

/// What a share is of: all owners, those taking part, or those who answered a question.
#[derive(Clone, Copy)]
enum Of {
    Total,
    Participating,
    Respondents,
}

fn of_words(of: Of, measure: &str, lang: Lang) -> String {
    match of {
        Of::Total => Msg::FigOfTotal,
        Of::Participating => Msg::FigOfParticipating,
        Of::Respondents => Msg::FigOfRespondents,
    }
    .text_with(lang, &[("measure", measure.into())])
}

/// "同意面积占参与面积 55.0%".
fn figure_words(
    subject: Subject<'_>,
    of: Of,
    measure: Measure,
    part: u64,
    whole: u64,
    against: Option<Fraction>,
    lang: Lang,
) -> String {
    let m = measure_word(measure, lang);
    Msg::FigShare.text_with(
        lang,
        &[
            ("subject", (&subject_words(subject, m, lang)).into()),
            ("base", (&of_words(of, m, lang)).into()),
            ("share", (&share(part, whole, against)).into()),
        ],
    )
}

/// One threshold of a rule applied to `subject`, in words, with the exact verdict.
fn check(
    t: &Threshold,
    subject: Subject<'_>,
    weight: &Weight,
    participating: &Weight,
    total: &Weight,
    respondents: bool,
    lang: Lang,
) -> Check {
    let (of, base) = match t.of {
        Base::Total => (Of::Total, total),
        Base::Participating if respondents => (Of::Respondents, participating),
        Base::Participating => (Of::Participating, participating),
    };
    let figure = figure_words(
        subject,
        of,
        t.measure,
        weight.measure(t.measure),
        base.measure(t.measure),
        Some(t.fraction),
        lang,
    );
    Check {
        text: Msg::FigChecked.text_with(
            lang,
            &[
                ("figure", (&figure).into()),
                ("need", (&need(t, lang)).into()),
            ],
        ),
        met: Some(t.holds(weight, participating, total)),
    }
}

/// Participation against the quorum; without one, the plain shares of area and heads.
fn participation(
    quorum: &[Threshold],
    participating: &Weight,
    total: &Weight,
    lang: Lang,
) -> Vec<Check> {
    if quorum.is_empty() {
        return [Measure::Area, Measure::Heads]
            .into_iter()
            .map(|m| Check {
                text: figure_words(
                    Subject::Participating,
                    Of::Total,
                    m,
                    participating.measure(m),
                    total.measure(m),
                    None,
                    lang,
                ),
                met: None,
            })
            .collect();
    }
    quorum
        .iter()
        .map(|t| {
            check(
                t,
                Subject::Participating,
                participating,
                participating,
                total,
                false,
                lang,
            )
        })
        .collect()
}

fn row(label: String, weight: &Weight, whole: &Weight) -> Row {
    Row {
        label,
        area: format!("{} m²", area_words(weight.area.cents())),
        area_share: share(weight.area.cents(), whole.area.cents(), None),
        heads: weight.heads.to_string(),
        heads_share: share(weight.heads, whole.heads, None),
    }
}

fn motion_parts(rule: &Rule, r: &MotionResult, lang: Lang) -> Vec<Part> {
    let p = &r.participation.weight;
    let yes = Msg::WebYes.text(lang);
    let mut rows = vec![
        row(yes.to_owned(), &r.choices.yes, p),
        row(Msg::WebNo.text(lang).to_owned(), &r.choices.no, p),
        row(Msg::WebAbstain.text(lang).to_owned(), &r.choices.abstain, p),
        row(Msg::WebInvalid.text(lang).to_owned(), &r.choices.invalid, p),
    ];
    // 从众: its own row; approval is checked on `yes` plus the 从众 ballots when they joined it.
    let mut approving = r.choices.yes;
    let mut subject = yes.to_owned();
    if let Some(follow) = r.choices.follow {
        let follow_word = Msg::WebFollow.text(lang);
        rows.push(row(follow_word.to_owned(), &follow, p));
        if r.follow_joined == Some(Joined::Yes) {
            approving.add(follow);
            subject = format!("{yes} + {follow_word}");
        }
    }
    let mut checks: Vec<Check> = rule
        .approval
        .iter()
        .map(|t| {
            check(
                t,
                Subject::Choice(&subject),
                &approving,
                p,
                &r.totals,
                false,
                lang,
            )
        })
        .collect();
    if let Some(joined) = r.follow_joined {
        let side = match joined {
            Joined::Yes => Msg::WebYes,
            Joined::No => Msg::WebNo,
        };
        checks.push(Check {
            text: Msg::WebFollowJoined.text_with(lang, &[("side", side.text(lang).into())]),
            met: None,
        });
    }
    // Concurrent majorities: every building (or zone) must pass on its own too.
    for (by, groups) in r.groups.iter().flatten() {
        let msg = if *by == "building" {
            Msg::FigGroupBuilding
        } else {
            Msg::FigGroupZone
        };
        for (name, group) in groups {
            let outcome = match group.outcome {
                MotionOutcome::Passed => Msg::WebPassed,
                MotionOutcome::Rejected => Msg::WebRejected,
                MotionOutcome::NoQuorum => Msg::WebNoQuorum,
            };
            checks.push(Check {
                text: msg.text_with(
                    lang,
                    &[
                        ("group", name.as_str().into()),
                        ("outcome", outcome.text(lang).into()),
                    ],
                ),
                met: Some(group.outcome == MotionOutcome::Passed),
            });
        }
    }
    vec![Part {
        title: String::new(),
        column: Msg::FigChoice.text(lang),
        rows,
        checks,
    }]
}

fn election_parts(rule: &Rule, r: &ElectionResult, lang: Lang) -> Vec<Part> {
    let p = &r.participation.weight;
    let rows = r
        .candidates
        .iter()
        .map(|c| {
            let label = if c.elected {
                Msg::FigElected.text_with(lang, &[("name", c.id.as_str().into())])
            } else if r.tie.contains(&c.id) {
                Msg::FigTied.text_with(lang, &[("name", c.id.as_str().into())])
            } else {
                c.id.clone()
            };
            row(label, &c.weight, p)
        })
        .collect();
    let checks = r
        .candidates
        .iter()
        .flat_map(|c| {
            rule.approval.iter().map(move |t| {
                check(
                    t,
                    Subject::Candidate(&c.id),
                    &c.weight,
                    p,
                    &r.totals,
                    false,
                    lang,
                )
            })
        })
        .collect();
    vec![Part {
        title: String::new(),
        column: Msg::FigCandidate.text(lang),
        rows,
        checks,
    }]
}

fn consultation_parts(
    decides: &[Option<&[Threshold]>],
    r: &ConsultationResult,
    lang: Lang,
) -> Vec<Part> {
    r.questions
        .iter()
        .zip(decides)
        .map(|(q, decide)| {
            let respondents = &q.respondents;
            let rows = q
                .options
                .iter()
                .map(|o| {
                    let label = match o.adopted {
                        Some(true) => {
                            Msg::FigAdopted.text_with(lang, &[("name", o.id.as_str().into())])
                        }
                        _ => o.id.clone(),
                    };
                    row(label, &o.weight, respondents)
                })
                .collect();
            let checks = q
                .options
                .iter()
                .flat_map(|o| {
                    decide.unwrap_or_default().iter().map(move |t| {
                        check(
                            t,
                            Subject::Option(&o.id),
                            &o.weight,
                            respondents,
                            &r.totals,
                            true,
                            lang,
                        )
                    })
                })
                .collect();
            Part {
                title: Msg::FigQuestion.text_with(
                    lang,
                    &[
                        ("question", q.id.as_str().into()),
                        ("heads", q.respondents.heads.into()),
                    ],
                ),
                column: Msg::FigOption.text(lang),
                rows,
                checks,
            }
        })
        .collect()
}

impl Figures {
    /// The figures of a counted item, in the reader's language.
    pub fn of(tally: &Tally, lang: Lang) -> Figures {
        let result = tally.result();
        let (outcome, passed) = crate::web::results::outcome(&result, lang);
        let (quorum, participating, total, parts) = match (&tally.counted, &result) {
            (Counted::Motion(m, _), TallyResult::Motion(r)) => (
                m.rule.participation.clone(),
                r.participation.weight,
                r.totals,
                motion_parts(&m.rule, r, lang),
            ),
            (Counted::Election(e, _), TallyResult::Election(r)) => (
                e.rule().participation.clone(),
                r.participation.weight,
                r.totals,
                election_parts(e.rule(), r, lang),
            ),
            (Counted::Consultation(c, _), TallyResult::Consultation(r)) => {
                let decides: Vec<Option<&[Threshold]>> =
                    c.questions().iter().map(|q| q.decide()).collect();
                (
                    c.quorum().to_vec(),
                    r.participation.weight,
                    r.totals,
                    consultation_parts(&decides, r, lang),
                )
            }
            // A tally's result always has its own kind.
            _ => (Vec::new(), Weight::default(), Weight::default(), Vec::new()),
        };
        Figures {
            title: String::new(),
            outcome,
            passed,
            participation: participation(&quorum, &participating, &total, lang),
            parts,
            labels: Labels {
                outcome: Msg::WebOutcome.text(lang),
                area: Msg::FigAreaColumn.text(lang),
                heads: Msg::FigHeadsColumn.text(lang),
                met: Msg::FigMet.text(lang),
                not_met: Msg::FigNotMet.text(lang),
                sep: Msg::FigSep.text(lang),
            },
        }
    }
}

/// The figures of these items (in this order, each once), counted through the results use
/// case, which lets an owner read the results of their own assembly once voting has closed.
pub fn of_items(
    store: &Store,
    caller: &Caller,
    items: &[(String, String)],
    lang: Lang,
) -> Result<Vec<Figures>, UseCaseError> {
    let mut seen = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (id, title) in items {
        if seen.insert(id.clone()) {
            let tally = results::item_tally(store, caller, id)?;
            out.push(Figures {
                title: title.clone(),
                ..Figures::of(&tally, lang)
            });
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_keep_to_the_side_of_their_threshold() {
        let two_thirds = Some(Fraction::TWO_THIRDS);
        assert_eq!(share(712, 1000, two_thirds), "71.2%");
        assert_eq!(share(2, 3, two_thirds), "66.7%", "exactly two thirds");
        // 66.665% would round to 66.7%, above two thirds: more decimals instead.
        assert_eq!(share(66_665, 100_000, two_thirds), "66.665%");
        // Just over half: 50.0% would read as not more than half.
        assert_eq!(share(5001, 10_000, Some(Fraction::HALF)), "50.01%");
        assert_eq!(share(1, 2, Some(Fraction::HALF)), "50.0%");
        assert_eq!(share(1, 0, None), "—");
        assert_eq!(share(1, 3, None), "33.3%");
    }
}
