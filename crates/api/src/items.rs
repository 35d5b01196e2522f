//! Items on the ballot sheet: the request that creates one, turned into what the store keeps
//! (the rule and definition in the `gongjue-tally/1` vocabulary), and the check of a choice
//! against an item. Every rule comes from the domain crate: the statutory rule of a matter and
//! the "floor, not a ceiling" composition (`Matter::binding_rule`), candidates, questions.

use gongjue_domain::consultation::{Consultation, Question};
use gongjue_domain::election::{Election, ElectionBallot};
use gongjue_domain::fraction::{Comparison, Fraction};
use gongjue_domain::motion::MotionChoice;
use gongjue_domain::rule::{Matter, Rule};
use gongjue_domain::threshold::{Base, Threshold};
use gongjue_domain::weight::Measure;
use gongjue_store::assemblies::{Item, ItemKind, NewItem};
use gongjue_store::electorate::{Scope, Stairwell};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use utoipa::ToSchema;

use crate::usecases::UseCaseError;

/// Which units an item concerns (its schema is `Scope` in `routes/openapi.rs`).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ScopeRequest {
    #[default]
    Estate,
    Zones {
        zones: Vec<String>,
    },
    Buildings {
        buildings: Vec<String>,
    },
    Stairwells {
        stairwells: Vec<StairwellRequest>,
    },
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = Stairwell)]
pub struct StairwellRequest {
    pub building: String,
    pub stairwell: String,
}

/// A threshold as in the tally bundle: `{"measure": "area", "op": ">=", "fraction": "2/3", "of": "total"}`.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = Threshold)]
pub struct ThresholdRequest {
    #[schema(schema_with = crate::schema_refs::measure)]
    pub measure: String,
    #[schema(schema_with = crate::schema_refs::comparison)]
    pub op: String,
    /// `p/q`, within (0, 1].
    #[schema(pattern = "^[0-9]+/[0-9]+$")]
    pub fraction: String,
    #[schema(schema_with = crate::schema_refs::base)]
    pub of: String,
}

/// Thresholds the estate's rules of procedure add to the statutory rule; they can only make
/// passing harder.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdditionalRule {
    #[serde(default)]
    pub participation: Vec<ThresholdRequest>,
    #[serde(default)]
    pub approval: Vec<ThresholdRequest>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(as = Question)]
pub struct QuestionRequest {
    pub id: String,
    #[schema(min_items = 1)]
    pub options: Vec<String>,
    /// How many options a member may choose, 1 to the number of options (default 1).
    #[serde(default = "one")]
    #[schema(minimum = 1, maximum = 1000, default = 1)]
    pub max_choices: i64,
    #[serde(default)]
    pub decide: Option<Vec<ThresholdRequest>>,
}

fn one() -> i64 {
    1
}

/// Most seats of an election and most choices of a question (the schema's bound; each is
/// also at most the number of candidates or options). Such numbers, and the matter, are read
/// as `i64` and bounded here: a wider type than the item needs, so that a number out of range
/// is refused naming its field (serde's own refusal inside a tagged item names none).
pub const MAX_CHOICES: i64 = 1000;

/// `value` in `min..=max`, as the narrower type the domain uses.
fn narrow<T: TryFrom<i64>>(field: &str, value: i64, min: i64, max: i64) -> Result<T, UseCaseError> {
    T::try_from(UseCaseError::bounded(field, value, min, max)?)
        .map_err(|_| UseCaseError::Internal(format!("{field}: bounds wider than its type")))
}

/// A new item: a motion on one of the nine matters of Civil Code art. 278, an election of the
/// owners' committee, or a non-binding consultation. Its schema, a union with a discriminator,
/// is written in `routes/openapi.rs` (a derive would make unnamed variants).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum NewItemRequest {
    Motion {
        title: String,
        #[serde(default)]
        body: String,
        /// 1-9; 6-8 are counted with the special (3/4) rule, the others with the ordinary one.
        matter: i64,
        #[serde(default)]
        scope: ScopeRequest,
        #[serde(default)]
        additional_rule: Option<AdditionalRule>,
        /// `zone` or `building`: the motion must also pass inside each group.
        #[serde(default)]
        concurrent: Option<String>,
        #[serde(default)]
        invalid_counts_as_participation: Option<bool>,
        /// Offer 从众 (`follow`) as a fourth choice; only where the estate's rules of procedure
        /// provide for it (`PUT /estates/{id}/follow-majority`).
        #[serde(default)]
        follow_majority: bool,
    },
    Election {
        title: String,
        #[serde(default)]
        body: String,
        /// Seats to fill: 1 to the number of candidates (at most `MAX_CHOICES`).
        seats: i64,
        candidates: Vec<String>,
        #[serde(default)]
        scope: ScopeRequest,
        #[serde(default)]
        additional_rule: Option<AdditionalRule>,
    },
    Consultation {
        title: String,
        #[serde(default)]
        body: String,
        #[serde(default)]
        scope: ScopeRequest,
        questions: Vec<QuestionRequest>,
        #[serde(default)]
        quorum: Option<Vec<ThresholdRequest>>,
    },
}

impl utoipa::PartialSchema for NewItemRequest {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::Ref::from_schema_name("NewItemRequest").into()
    }
}

impl ToSchema for NewItemRequest {
    fn name() -> std::borrow::Cow<'static, str> {
        "NewItemRequest".into()
    }
}

fn threshold(field: &str, t: &ThresholdRequest) -> Result<Threshold, UseCaseError> {
    let measure = Measure::from_name(&t.measure)
        .ok_or_else(|| UseCaseError::invalid(field, format!("unknown measure {:?}", t.measure)))?;
    let op = Comparison::from_symbol(&t.op)
        .ok_or_else(|| UseCaseError::invalid(field, format!("unknown comparison {:?}", t.op)))?;
    let fraction =
        Fraction::parse(&t.fraction).map_err(|e| UseCaseError::invalid(field, e.to_string()))?;
    let of = Base::from_name(&t.of)
        .ok_or_else(|| UseCaseError::invalid(field, format!("unknown base {:?}", t.of)))?;
    Ok(Threshold::new(measure, op, fraction, of))
}

/// Which list a threshold belongs to: a quorum is a share of the whole electorate.
#[derive(Clone, Copy, PartialEq, Eq)]
enum List {
    Quorum,
    Decision,
}

fn thresholds(
    field: &str,
    list: &[ThresholdRequest],
    of: List,
) -> Result<Vec<Threshold>, UseCaseError> {
    list.iter()
        .enumerate()
        .map(|(i, t)| {
            let field = format!("{field}[{i}]");
            let checked = threshold(&field, t)?;
            // "More than the whole" never holds: the item could never pass or be adopted.
            if checked.comparison == Comparison::MoreThan
                && checked.fraction.numerator() == checked.fraction.denominator()
            {
                return Err(UseCaseError::impossible(
                    &format!("{field}.fraction"),
                    "more than the whole can never be reached",
                ));
            }
            // Participation measured against the participants always holds: a mistake for
            // a share of the electorate.
            if of == List::Quorum && checked.of == Base::Participating {
                return Err(UseCaseError::impossible(
                    &format!("{field}.of"),
                    "a quorum is a share of the total, not of the participants",
                ));
            }
            Ok(checked)
        })
        .collect()
}

fn threshold_json(t: &Threshold) -> Value {
    json!({ "measure": t.measure.name(), "op": t.comparison.symbol(), "fraction": t.fraction.to_string(), "of": t.of.name() })
}

/// A rule in the bundle's words: the named statutory rules by name, anything else spelled out.
pub fn rule_json(rule: &Rule) -> Value {
    if *rule == Rule::ordinary() {
        Value::from("ordinary")
    } else if *rule == Rule::special() {
        Value::from("special")
    } else {
        json!({
            "participation": rule.participation.iter().map(threshold_json).collect::<Vec<_>>(),
            "approval": rule.approval.iter().map(threshold_json).collect::<Vec<_>>(),
        })
    }
}

/// A stored rule (the bundle's words) read back: `"ordinary"`, `"special"` or thresholds.
pub fn rule_of_json(rule: &Value) -> Result<Rule, UseCaseError> {
    match rule {
        Value::String(name) if name == "ordinary" => Ok(Rule::ordinary()),
        Value::String(name) if name == "special" => Ok(Rule::special()),
        Value::Object(_) => {
            let list = |key: &str| -> Result<Vec<Threshold>, UseCaseError> {
                let requests: Vec<ThresholdRequest> = serde_json::from_value(
                    rule.get(key)
                        .cloned()
                        .unwrap_or_else(|| Value::Array(vec![])),
                )
                .map_err(|e| UseCaseError::invalid(key, e.to_string()))?;
                // Stored rules were checked when set up; read them back as they are.
                requests
                    .iter()
                    .enumerate()
                    .map(|(i, t)| threshold(&format!("{key}[{i}]"), t))
                    .collect()
            };
            Ok(Rule {
                participation: list("participation")?,
                approval: list("approval")?,
            })
        }
        other => Err(UseCaseError::invalid(
            "rule",
            format!("not a rule: {other}"),
        )),
    }
}

fn binding_rule(matter: Matter, additional: Option<&AdditionalRule>) -> Result<Rule, UseCaseError> {
    let additions = match additional {
        Some(a) => Rule {
            participation: thresholds(
                "additional_rule.participation",
                &a.participation,
                List::Quorum,
            )?,
            approval: thresholds("additional_rule.approval", &a.approval, List::Decision)?,
        },
        None => Rule {
            participation: vec![],
            approval: vec![],
        },
    };
    Ok(matter.binding_rule(&additions))
}

fn scope(request: ScopeRequest) -> Result<Scope, UseCaseError> {
    let nonempty = |field: &str, list: &[String]| {
        if list.is_empty() || list.iter().any(|s| s.trim().is_empty()) {
            Err(UseCaseError::invalid(
                field,
                "name at least one, none empty",
            ))
        } else {
            Ok(())
        }
    };
    Ok(match request {
        ScopeRequest::Estate => Scope::Estate,
        ScopeRequest::Zones { zones } => {
            nonempty("scope.zones", &zones)?;
            Scope::Zones { zones }
        }
        ScopeRequest::Buildings { buildings } => {
            nonempty("scope.buildings", &buildings)?;
            Scope::Buildings { buildings }
        }
        ScopeRequest::Stairwells { stairwells } => {
            if stairwells.is_empty() {
                return Err(UseCaseError::invalid(
                    "scope.stairwells",
                    "name at least one",
                ));
            }
            Scope::Stairwells {
                stairwells: stairwells
                    .into_iter()
                    .map(|s| Stairwell {
                        building: s.building,
                        stairwell: s.stairwell,
                    })
                    .collect(),
            }
        }
    })
}

/// The index of the first entry listed before.
fn first_repeat(list: &[String]) -> Option<usize> {
    list.iter()
        .enumerate()
        .position(|(i, x)| list.iter().take(i).any(|earlier| earlier == x))
}

fn title(title: &str) -> Result<String, UseCaseError> {
    let title = title.trim();
    if title.is_empty() {
        Err(UseCaseError::invalid("title", "an item needs a title"))
    } else {
        Ok(title.to_owned())
    }
}

impl NewItemRequest {
    /// Checks the item with the domain's constructors and turns it into what the store keeps.
    pub fn into_new_item(self) -> Result<NewItem, UseCaseError> {
        match self {
            NewItemRequest::Motion {
                title: t,
                body,
                matter,
                scope: s,
                additional_rule,
                concurrent,
                invalid_counts_as_participation,
                follow_majority,
            } => {
                let matter: u8 = narrow("matter", matter, 1, 9)?;
                let matter_rule = Matter::from_number(matter)
                    .map_err(|e| UseCaseError::invalid("matter", e.to_string()))?;
                let rule = binding_rule(matter_rule, additional_rule.as_ref())?;
                let mut definition = Map::new();
                if let Some(group) = concurrent {
                    if group != "zone" && group != "building" {
                        return Err(UseCaseError::invalid(
                            "concurrent",
                            "either \"zone\" or \"building\"",
                        ));
                    }
                    definition.insert("concurrent".into(), Value::from(group));
                }
                if let Some(counts) = invalid_counts_as_participation {
                    definition.insert(
                        "invalid_counts_as_participation".into(),
                        Value::from(counts),
                    );
                }
                // Only when offered, so that the definitions (and bundles) of other motions
                // stay as they were.
                if follow_majority {
                    definition.insert("follow_majority".into(), Value::from(true));
                }
                Ok(NewItem {
                    kind: ItemKind::Motion,
                    title: title(&t)?,
                    body,
                    matter: Some(i32::from(matter)),
                    rule: rule_json(&rule),
                    scope: scope(s)?,
                    definition: Value::Object(definition),
                })
            }
            NewItemRequest::Election {
                title: t,
                body,
                seats,
                candidates,
                scope: s,
                additional_rule,
            } => {
                // Electing the owners' committee is matter 3 of art. 278.
                let rule = binding_rule(Matter::OwnersCommittee, additional_rule.as_ref())?;
                if candidates.is_empty() {
                    return Err(UseCaseError::invalid(
                        "candidates",
                        "list at least one candidate",
                    ));
                }
                if let Some(i) = candidates.iter().position(|c| c.trim().is_empty()) {
                    return Err(UseCaseError::invalid(
                        &format!("candidates[{i}]"),
                        "a candidate needs a name",
                    ));
                }
                if let Some(i) = first_repeat(&candidates) {
                    return Err(UseCaseError::invalid(
                        &format!("candidates[{i}]"),
                        "this candidate is listed twice",
                    ));
                }
                let seats: u32 = narrow("seats", seats, 1, MAX_CHOICES)?;
                if usize::try_from(seats).map_or(true, |s| s > candidates.len()) {
                    return Err(UseCaseError::impossible(
                        "seats",
                        format!(
                            "{seats} seats but {} candidates: at most one seat per candidate",
                            candidates.len()
                        ),
                    ));
                }
                Election::new(seats, candidates.clone(), rule.clone())
                    .map_err(|e| UseCaseError::invalid("candidates", e.to_string()))?;
                Ok(NewItem {
                    kind: ItemKind::Election,
                    title: title(&t)?,
                    body,
                    matter: None,
                    rule: rule_json(&rule),
                    scope: scope(s)?,
                    definition: json!({ "seats": seats, "candidates": candidates }),
                })
            }
            NewItemRequest::Consultation {
                title: t,
                body,
                scope: s,
                questions,
                quorum,
            } => {
                if questions.is_empty() {
                    return Err(UseCaseError::invalid(
                        "questions",
                        "a consultation asks at least one question",
                    ));
                }
                let ids: Vec<String> = questions.iter().map(|q| q.id.clone()).collect();
                if let Some(i) = first_repeat(&ids) {
                    return Err(UseCaseError::invalid(
                        &format!("questions[{i}].id"),
                        "this question id is used twice",
                    ));
                }
                let mut checked = Vec::with_capacity(questions.len());
                for (i, q) in questions.iter().enumerate() {
                    if q.id.trim().is_empty() {
                        return Err(UseCaseError::invalid(
                            &format!("questions[{i}].id"),
                            "a question needs an id",
                        ));
                    }
                    if q.options.is_empty() {
                        return Err(UseCaseError::invalid(
                            &format!("questions[{i}].options"),
                            "a question needs options",
                        ));
                    }
                    if let Some(j) = q.options.iter().position(|o| o.trim().is_empty()) {
                        return Err(UseCaseError::invalid(
                            &format!("questions[{i}].options[{j}]"),
                            "an option needs a name",
                        ));
                    }
                    if let Some(j) = first_repeat(&q.options) {
                        return Err(UseCaseError::invalid(
                            &format!("questions[{i}].options[{j}]"),
                            "this option is listed twice",
                        ));
                    }
                    let field = format!("questions[{i}].max_choices");
                    let max_choices: u32 = narrow(&field, q.max_choices, 1, MAX_CHOICES)?;
                    if usize::try_from(max_choices).map_or(true, |m| m > q.options.len()) {
                        return Err(UseCaseError::impossible(
                            &field,
                            format!("{} choices of {} options", q.max_choices, q.options.len()),
                        ));
                    }
                    let decide = q
                        .decide
                        .as_deref()
                        .map(|d| thresholds(&format!("questions[{i}].decide"), d, List::Decision))
                        .transpose()?;
                    checked.push(
                        Question::new(q.id.clone(), q.options.clone(), max_choices, decide)
                            .map_err(|e| {
                                UseCaseError::invalid(&format!("questions[{i}]"), e.to_string())
                            })?,
                    );
                }
                let quorum_thresholds = quorum
                    .as_deref()
                    .map(|q| thresholds("quorum", q, List::Quorum))
                    .transpose()?
                    .unwrap_or_default();
                Consultation::new(checked, quorum_thresholds)
                    .map_err(|e| UseCaseError::invalid("questions", e.to_string()))?;
                let mut definition = json!({ "questions": questions });
                if let (Some(quorum), Value::Object(map)) = (quorum, &mut definition) {
                    map.insert(
                        "quorum".into(),
                        serde_json::to_value(quorum)
                            .map_err(|e| UseCaseError::Internal(e.to_string()))?,
                    );
                }
                Ok(NewItem {
                    kind: ItemKind::Consultation,
                    title: title(&t)?,
                    body,
                    matter: None,
                    rule: Value::from("ordinary"),
                    scope: scope(s)?,
                    definition,
                })
            }
        }
    }
}

/// Whether an item's definition offers 从众 (`follow`).
pub fn offers_follow(definition: &Value) -> bool {
    definition.get("follow_majority") == Some(&Value::Bool(true))
}

/// Refuses an item offering 从众 in an estate whose rules of procedure do not provide for it
/// (`prefix`: `items[2].` when a whole assembly is checked).
pub fn check_follow_allowed(
    estate: &gongjue_store::estates::Estate,
    definition: &Value,
    prefix: &str,
) -> Result<(), UseCaseError> {
    if offers_follow(definition) && !estate.follow_majority {
        return Err(UseCaseError::Invalid {
            msg: crate::i18n::Msg::FollowNotInRules,
            field: format!("{prefix}follow_majority"),
            detail: "the estate's rules of procedure do not provide for 从众: record the clause that does first (PUT /estates/{id}/follow-majority)".into(),
        });
    }
    Ok(())
}

/// Who put the ballot in: the member (web form), their proxy, or a secretary from paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    Online,
    Paper,
}

fn definition(item: &Item) -> Result<Value, UseCaseError> {
    serde_json::from_str(&item.definition)
        .map_err(|e| UseCaseError::Internal(format!("definition of item {}: {e}", item.id)))
}

fn strings(value: &Value, field: &str) -> Result<Vec<String>, UseCaseError> {
    let list = value
        .as_array()
        .ok_or_else(|| UseCaseError::choice(field, "expected a list"))?;
    list.iter()
        .map(|v| {
            v.as_str()
                .map(str::to_owned)
                .ok_or_else(|| UseCaseError::choice(field, "expected strings"))
        })
        .collect()
}

/// Checks a choice against the item, in the bundle's ballot format. Online, a member cannot
/// cast a spoilt ballot: the form refuses what a teller would mark `invalid`. Only a paper
/// ballot is entered as `invalid`.
pub fn check_choice(item: &Item, choice: &Value, entry: Entry) -> Result<(), UseCaseError> {
    check_choice_in(&item.kind, &definition(item)?, choice, entry)
}

/// [`check_choice`] on an item's kind and definition (as the ballot sheet shows them).
pub fn check_choice_in(
    kind: &str,
    def: &Value,
    choice: &Value,
    entry: Entry,
) -> Result<(), UseCaseError> {
    let field = "choice";
    match kind {
        "motion" => {
            let follow = offers_follow(def);
            let takes = if follow {
                "a motion takes \"yes\", \"no\", \"abstain\" or \"follow\" (从众)"
            } else {
                "a motion takes \"yes\", \"no\" or \"abstain\""
            };
            let name = choice
                .as_str()
                .ok_or_else(|| UseCaseError::choice(field, takes))?;
            match (MotionChoice::from_name(name), entry) {
                // 从众 only where the motion offers it; a spoilt ballot exists only on paper.
                (Some(MotionChoice::Invalid), Entry::Online) | (None, _) => {
                    Err(UseCaseError::choice(field, takes))
                }
                (Some(MotionChoice::Follow), _) if !follow => {
                    Err(UseCaseError::choice(field, takes))
                }
                (Some(_), _) => Ok(()),
            }
        }
        "election" => {
            if let Some(word) = choice.as_str() {
                return match (word, entry) {
                    ("abstain", _) | ("invalid", Entry::Paper) => Ok(()),
                    _ => Err(UseCaseError::choice(
                        field,
                        "an election takes a list of candidates or \"abstain\"",
                    )),
                };
            }
            let seats = def
                .get("seats")
                .and_then(Value::as_u64)
                .and_then(|s| u32::try_from(s).ok())
                .unwrap_or(0);
            let candidates = strings(
                def.get("candidates").unwrap_or(&Value::Null),
                "definition.candidates",
            )?;
            let election = Election::new(seats, candidates, Rule::ordinary())
                .map_err(|e| UseCaseError::Internal(e.to_string()))?;
            let marks = strings(choice, field)?;
            match election.ballot(&marks) {
                ElectionBallot::Invalid => Err(UseCaseError::choice(
                    field,
                    format!(
                        "mark at most {seats} of the listed candidates, each once; a paper ballot that does not is entered as \"invalid\""
                    ),
                )),
                ElectionBallot::Marks(_) | ElectionBallot::Abstain => Ok(()),
            }
        }
        "consultation" => {
            let questions: Vec<QuestionRequest> =
                serde_json::from_value(def.get("questions").cloned().unwrap_or(Value::Null))
                    .map_err(|e| {
                        UseCaseError::Internal(format!("questions of a consultation: {e}"))
                    })?;
            let questions = questions
                .into_iter()
                .map(|q| {
                    let max_choices = u32::try_from(q.max_choices).map_err(|e| {
                        UseCaseError::Internal(format!("max_choices of a question: {e}"))
                    })?;
                    Question::new(q.id, q.options, max_choices, None)
                        .map_err(|e| UseCaseError::Internal(e.to_string()))
                })
                .collect::<Result<Vec<_>, UseCaseError>>()?;
            let consultation = Consultation::new(questions, vec![])
                .map_err(|e| UseCaseError::Internal(e.to_string()))?;
            let answers = choice.as_object().ok_or_else(|| {
                UseCaseError::choice(field, "a consultation takes {\"question\": [options]}")
            })?;
            let mut ballot = consultation.empty_ballot();
            for (question, chosen) in answers {
                let chosen = strings(chosen, &format!("choice.{question}"))?;
                consultation
                    .answer(&mut ballot, question, &chosen)
                    .map_err(|e| {
                        UseCaseError::choice(&format!("choice.{question}"), e.to_string())
                    })?;
            }
            Ok(())
        }
        other => Err(UseCaseError::Internal(format!(
            "unknown item kind {other:?}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn motion(matter: i64, additional: Option<AdditionalRule>) -> Result<NewItem, UseCaseError> {
        NewItemRequest::Motion {
            title: "t".into(),
            body: String::new(),
            matter,
            scope: ScopeRequest::Estate,
            additional_rule: additional,
            concurrent: None,
            invalid_counts_as_participation: None,
            follow_majority: false,
        }
        .into_new_item()
    }

    #[test]
    fn the_matter_fixes_the_statutory_rule() {
        assert_eq!(motion(4, None).unwrap().rule, json!("ordinary"));
        assert_eq!(motion(7, None).unwrap().rule, json!("special"));
        assert!(motion(10, None).is_err());
    }

    #[test]
    fn an_estate_can_add_thresholds_but_not_remove_the_statutory_ones() {
        let stricter = AdditionalRule {
            participation: vec![],
            approval: vec![ThresholdRequest {
                measure: "units".into(),
                op: ">=".into(),
                fraction: "4/5".into(),
                of: "total".into(),
            }],
        };
        let rule = motion(4, Some(stricter)).unwrap().rule;
        let approval = rule["approval"].as_array().unwrap();
        assert_eq!(
            approval.len(),
            3,
            "statutory area and heads, plus the estate's units: {rule}"
        );
        assert_eq!(rule["participation"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn a_bad_fraction_names_its_field() {
        let bad = AdditionalRule {
            participation: vec![ThresholdRequest {
                measure: "area".into(),
                op: ">=".into(),
                fraction: "3/2".into(),
                of: "total".into(),
            }],
            approval: vec![],
        };
        match motion(4, Some(bad)) {
            Err(UseCaseError::Invalid { field, .. }) => {
                assert_eq!(field, "additional_rule.participation[0]")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn follow_is_a_choice_only_where_the_motion_offers_it() {
        let offered = json!({ "follow_majority": true });
        let plain = json!({});
        for entry in [Entry::Online, Entry::Paper] {
            assert!(check_choice_in("motion", &offered, &json!("follow"), entry).is_ok());
            assert!(check_choice_in("motion", &plain, &json!("follow"), entry).is_err());
            assert!(check_choice_in("motion", &plain, &json!("yes"), entry).is_ok());
        }
        let with_follow = |on: bool| {
            NewItemRequest::Motion {
                title: "t".into(),
                body: String::new(),
                matter: 4,
                scope: ScopeRequest::Estate,
                additional_rule: None,
                concurrent: None,
                invalid_counts_as_participation: None,
                follow_majority: on,
            }
            .into_new_item()
            .unwrap()
            .definition
        };
        assert_eq!(with_follow(true), offered);
        assert_eq!(
            with_follow(false),
            plain,
            "other motions' definitions unchanged"
        );
    }
}
