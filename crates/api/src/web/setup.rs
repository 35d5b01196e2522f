//! Setting up an assembly: its timetable, its items (a motion on one of the nine matters of
//! art. 278, whose rule follows from the matter and is shown in words; an election with its
//! candidates; a consultation with its questions), each for the whole estate or some zones,
//! buildings or stairwells; then announcing, opening and closing it. All through the JSON
//! routes' own functions.

use std::collections::BTreeSet;

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{FixedOffset, NaiveDateTime, TimeZone, Utc};
use gongjue_domain::rule::Matter;
use gongjue_store::assemblies::AssemblyState;

use crate::blocking::{db, run};
use crate::error::ApiError;
use crate::i18n::{self, Lang, Msg};
use crate::items::{NewItemRequest, QuestionRequest, ScopeRequest, StairwellRequest, rule_of_json};
use crate::usecases::UseCaseError;
use crate::usecases::lifecycle;
use crate::usecases::setup::{self, NewAssemblyRequest};
use crate::web::owner::local_time;
use crate::web::page::{Ctx, Form, Page, field};
use crate::web::staff::{staff_of, staff_writing};
use crate::web::words::rule_words;

fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap_or_else(|| unreachable!("8 hours is a valid offset"))
}

/// A field the form marks, with its message in the reader's language naming the field.
#[derive(Debug, Clone, Default)]
pub(crate) struct FieldErrors {
    /// The form field's name (`title`, `seats`, …); empty for an error of the whole form.
    field: String,
    text: Option<String>,
}

impl FieldErrors {
    fn none() -> FieldErrors {
        FieldErrors::default()
    }

    /// The message of `field`, if it is the one in error.
    pub(crate) fn on(&self, field: &str) -> Option<&str> {
        self.text.as_deref().filter(|_| self.field == field)
    }

    /// The message, wherever it belongs (the summary at the top of the form).
    pub(crate) fn text(&self) -> Option<&str> {
        self.text.as_deref()
    }

    /// The id of the field in error, for the summary's link (none: the form as a whole).
    pub(crate) fn anchor(&self) -> Option<&str> {
        Some(self.field.as_str()).filter(|f| !f.is_empty())
    }
}

/// The label of a form field, as the form shows it.
fn label(field: &str) -> Option<Msg> {
    Some(match field {
        "title" => Msg::WebTitle,
        "body" => Msg::WebFullText,
        "opens_at" => Msg::WebOpensAt,
        "closes_at" => Msg::WebClosesAtLabel,
        "notice_days" => Msg::WebNoticeDays,
        "objection_days" => Msg::WebObjectionDays,
        "objection_minutes" => Msg::WebObjectionMinutes,
        "seats" => Msg::WebSeats,
        "candidates" => Msg::WebCandidates,
        "questions" => Msg::WebQuestions,
        "matter" => Msg::WebMatter,
        "scope" => Msg::WebScope,
        "reason" => Msg::WebCloseReason,
        _ => return None,
    })
}

/// `field` in error with `reason`, worded "label：reason" in the reader's language.
fn field_error(lang: Lang, field: &str, reason: &str) -> FieldErrors {
    let text = match label(field) {
        Some(label) => crate::web::words::field_words(lang, label, reason),
        None => reason.to_owned(),
    };
    FieldErrors {
        field: if label(field).is_some() {
            field.to_owned()
        } else {
            String::new()
        },
        text: Some(text),
    }
}

/// The form field a use case's field path belongs to: `candidates[2]` is the candidates box,
/// `questions[0].options[1]` the questions box, `scope.zones` the scope.
fn form_field(path: &str) -> &str {
    let base = path.split(['[', '.']).next().unwrap_or(path);
    match base {
        "zones" | "buildings" | "stairwells" => "scope",
        other => other,
    }
}

/// The 1-based line of `candidates[i]` or `questions[i]…` (the form has one per line).
fn line_of(path: &str) -> Option<u64> {
    let index = path.split_once('[')?.1.split_once(']')?.0;
    index.parse::<u64>().ok().map(|i| i + 1)
}

/// The bounds of an out-of-range value as `bounded` words them: `"9 is outside 0 to 8"`.
fn bounds(detail: &str) -> Option<(String, String)> {
    let (_, range) = detail.split_once(" is outside ")?;
    let (min, max) = range.split_once(" to ")?;
    let number = |t: &str| t.trim().parse::<i64>().ok().map(|n| n.to_string());
    Some((number(min)?, number(max)?))
}

/// A refusal of the use case as the form shows it: next to its field, fully in the reader's
/// language (the use case's English detail is for the JSON API and the log, not this page).
fn refusal(lang: Lang, error: &ApiError) -> Option<FieldErrors> {
    match error {
        ApiError::UseCase(UseCaseError::Invalid { msg, field, detail }) => {
            let key = form_field(field);
            let n = line_of(field);
            let reason = match (*msg, key) {
                (Msg::InvalidValue, "title") => Msg::WebFormRequired.text(lang).to_owned(),
                (Msg::InvalidValue, "closes_at") => {
                    Msg::WebFormClosesBeforeOpens.text(lang).to_owned()
                }
                (Msg::InvalidValue, "candidates") => match n {
                    Some(n) => Msg::WebFormCandidateTwice.text_with(lang, &[("n", n.into())]),
                    None => Msg::WebFormNoCandidates.text(lang).to_owned(),
                },
                (Msg::InvalidValue | Msg::ImpossibleSetup, "questions") => match n {
                    Some(n) => Msg::WebFormQuestionLine.text_with(lang, &[("n", n.into())]),
                    None => Msg::WebFormNoQuestions.text(lang).to_owned(),
                },
                (Msg::InvalidValue, "matter") => Msg::WebFormChooseMatter.text(lang).to_owned(),
                (Msg::InvalidValue, "scope") => Msg::WebFormChooseScope.text(lang).to_owned(),
                (Msg::InvalidValue, "reason") => Msg::WebFormRequired.text(lang).to_owned(),
                (Msg::ImpossibleSetup, "seats") => {
                    Msg::WebFormSeatsOverCandidates.text(lang).to_owned()
                }
                (Msg::OutOfRange, _) => match bounds(detail) {
                    Some((min, max)) => Msg::WebFormRange
                        .text_with(lang, &[("min", (&min).into()), ("max", (&max).into())]),
                    None => msg.text(lang).to_owned(),
                },
                (Msg::InvalidValue, _) => Msg::WebFormCheck.text(lang).to_owned(),
                (other, _) => other.text(lang).to_owned(),
            };
            Some(field_error(lang, key, &reason))
        }
        ApiError::UseCase(UseCaseError::Rule(Msg::ClosingEarly)) => {
            Some(field_error(lang, "reason", Msg::ClosingEarly.text(lang)))
        }
        ApiError::UseCase(UseCaseError::Rule(msg) | UseCaseError::RuleInState { msg, .. }) => {
            Some(FieldErrors {
                field: String::new(),
                text: Some(msg.text(lang).to_owned()),
            })
        }
        _ => None,
    }
}

/// A `datetime-local` value typed in Beijing time, as RFC 3339; else the field in error.
fn rfc3339_of(lang: Lang, field_name: &str, text: &str) -> Result<String, FieldErrors> {
    beijing_rfc3339(text)
        .ok_or_else(|| field_error(lang, field_name, Msg::WebFormDateTime.text(lang)))
}

/// A `datetime-local` value typed in Beijing time, as RFC 3339 (`None`: not such a value).
pub(crate) fn beijing_rfc3339(text: &str) -> Option<String> {
    let text = text.trim();
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    let at = beijing().from_local_datetime(&naive).single()?;
    Some(at.to_rfc3339())
}

/// A whole number typed in `field`; else the field in error.
fn whole<T: std::str::FromStr>(lang: Lang, field: &str, text: &str) -> Result<T, FieldErrors> {
    text.trim()
        .parse()
        .map_err(|_| field_error(lang, field, Msg::WebFormWholeNumber.text(lang)))
}

#[derive(Template)]
#[template(path = "web/assembly_new.html")]
struct NewPage {
    p: Page,
    errors: FieldErrors,
    title: String,
    opens_at: String,
    closes_at: String,
    notice_days: String,
    objection_days: String,
    objection_minutes: String,
    public_roll: bool,
    changeable: bool,
}

/// The form, blank (`form` empty) or as it was sent, everything typed kept.
fn new_page(ctx: &Ctx, form: &[(String, String)], errors: FieldErrors) -> NewPage {
    let sent = !form.is_empty();
    let default = |name: &str, fallback: String| field(form, name).map_or(fallback, str::to_owned);
    let now = Utc::now().with_timezone(&beijing());
    NewPage {
        p: ctx.page(Msg::WebNewAssembly.text(ctx.lang)),
        errors,
        title: default("title", String::new()),
        opens_at: default(
            "opens_at",
            (now + chrono::Duration::days(16))
                .format("%Y-%m-%dT09:00")
                .to_string(),
        ),
        closes_at: default(
            "closes_at",
            (now + chrono::Duration::days(30))
                .format("%Y-%m-%dT18:00")
                .to_string(),
        ),
        notice_days: default("notice_days", "15".into()),
        objection_days: default(
            "objection_days",
            gongjue_store::publications::DEFAULT_OBJECTION_DAYS.to_string(),
        ),
        objection_minutes: default("objection_minutes", String::new()),
        public_roll: field(form, "public_roll").is_some(),
        // Changeable ballots are the default of a blank form; a sent form says what was ticked.
        changeable: !sent || field(form, "changeable").is_some(),
    }
}

pub async fn new_form(ctx: Ctx) -> Result<HttpResponse, ApiError> {
    // A form only those who may create an assembly can send (not an auditor).
    let staff = staff_of(&ctx).await?;
    staff.writes(&staff.estate)?;
    ctx.ok(&new_page(&ctx, &[], FieldErrors::none()))
}

/// The request the form describes, or the first field the page itself refuses.
fn assembly_request(
    lang: Lang,
    form: &[(String, String)],
) -> Result<NewAssemblyRequest, FieldErrors> {
    let minutes_given = field(form, "objection_minutes").is_some_and(|m| !m.trim().is_empty());
    Ok(NewAssemblyRequest {
        title: field(form, "title").unwrap_or_default().to_owned(),
        opens_at: rfc3339_of(
            lang,
            "opens_at",
            field(form, "opens_at").unwrap_or_default(),
        )?,
        closes_at: rfc3339_of(
            lang,
            "closes_at",
            field(form, "closes_at").unwrap_or_default(),
        )?,
        ballots_changeable: field(form, "changeable").is_some(),
        notice_days: Some(whole(
            lang,
            "notice_days",
            field(form, "notice_days").unwrap_or("15"),
        )?),
        // The form always sends days; a trial estate's minutes, when given, replace them.
        objection_minutes: match field(form, "objection_minutes").map(str::trim) {
            None | Some("") => None,
            Some(minutes) => Some(whole(lang, "objection_minutes", minutes)?),
        },
        objection_days: match field(form, "objection_days").map(str::trim) {
            _ if minutes_given => None,
            None | Some("") => None,
            Some(days) => Some(whole(lang, "objection_days", days)?),
        },
        public_roll: field(form, "public_roll").is_some(),
    })
}

pub async fn create(ctx: Ctx, form: Form) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let staff = staff_of(&ctx).await?;
    let lang = ctx.lang;
    let unprocessable = actix_web::http::StatusCode::UNPROCESSABLE_ENTITY;
    let request = match assembly_request(lang, &form) {
        Ok(request) => request,
        Err(errors) => return ctx.html(unprocessable, &new_page(&ctx, &form, errors)),
    };
    let estate = staff.estate.clone();
    let outcome = db(ctx.state()?, move |store| {
        setup::create_assembly(store, &staff, &estate, request)
    })
    .await;
    match outcome {
        Ok(assembly) => Ok(ctx
            .redirect(&format!("/staff/assemblies/{}/setup", assembly.id))
            .finish()),
        Err(error) => match refusal(lang, &error) {
            Some(errors) => ctx.html(unprocessable, &new_page(&ctx, &form, errors)),
            None => Err(error),
        },
    }
}

struct ItemRow {
    id: String,
    /// Its documents (plans, quotes), with their hashes.
    documents: Vec<crate::web::documents::DocLine>,
    /// An election's candidate register and its review.
    register: Option<crate::web::candidates::RegisterView>,
    title: String,
    kind: &'static str,
    rule: String,
    scope: String,
    detail: String,
}

struct MatterOption {
    number: u8,
    name: &'static str,
    rule: String,
}

#[derive(Template)]
#[template(path = "web/assembly_setup.html")]
struct SetupPage {
    p: Page,
    id: String,
    title: String,
    state: String,
    opens_at: String,
    closes_at: String,
    items: Vec<ItemRow>,
    matters: Vec<MatterOption>,
    zones: Vec<String>,
    buildings: Vec<String>,
    stairwells: Vec<String>,
    errors: FieldErrors,
    /// What the add-item form and the closing form hold (as sent, after an error).
    form: SentForm,
    /// The estate's rules of procedure provide for 从众: a motion may offer it.
    follow_majority: bool,
}

/// The setup page's forms as they were sent, so that an error keeps everything typed.
#[derive(Default)]
pub(crate) struct SentForm {
    fields: Vec<(String, String)>,
}

impl SentForm {
    /// A text field's value as sent ("" before anything was sent).
    pub(crate) fn value(&self, name: &str) -> &str {
        field(&self.fields, name).unwrap_or_default()
    }

    /// Whether a radio button or checkbox `name=value` was sent; `default` for a blank form
    /// (nothing sent with that name).
    pub(crate) fn ticked(&self, name: &str, value: &str, default: bool) -> bool {
        if self.fields.iter().any(|(k, _)| k == name) {
            self.fields.iter().any(|(k, v)| k == name && v == value)
        } else {
            default
        }
    }
}

fn kind_word(kind: &str, lang: i18n::Lang) -> &'static str {
    match kind {
        "motion" => Msg::WebMotion.text(lang),
        "election" => Msg::WebElection.text(lang),
        _ => Msg::WebConsultation.text(lang),
    }
}

pub(crate) fn scope_words(scope: &serde_json::Value, lang: i18n::Lang) -> String {
    let list = |key: &str| {
        scope.get(key).and_then(|v| v.as_array()).map(|a| {
            a.iter()
                .map(|v| {
                    v.as_str().map_or_else(
                        || {
                            format!(
                                "{}-{}",
                                v.get("building").and_then(|b| b.as_str()).unwrap_or(""),
                                v.get("stairwell").and_then(|s| s.as_str()).unwrap_or("")
                            )
                        },
                        str::to_owned,
                    )
                })
                .collect::<Vec<_>>()
                .join("、")
        })
    };
    match scope.get("kind").and_then(|k| k.as_str()) {
        Some("zones") => format!(
            "{} {}",
            Msg::WebZones.text(lang),
            list("zones").unwrap_or_default()
        ),
        Some("buildings") => format!(
            "{} {}",
            Msg::WebBuildings.text(lang),
            list("buildings").unwrap_or_default()
        ),
        Some("stairwells") => format!(
            "{} {}",
            Msg::WebStairwells.text(lang),
            list("stairwells").unwrap_or_default()
        ),
        _ => Msg::WebWholeEstate.text(lang).to_owned(),
    }
}

async fn setup_page(
    ctx: &Ctx,
    id: String,
    errors: FieldErrors,
    form: SentForm,
) -> Result<HttpResponse, ApiError> {
    let staff = staff_of(ctx).await?;
    let lang = ctx.lang;
    let (assembly, items, units, follow_majority, documents, (candidates, declarations)) =
        db(ctx.state()?, move |store| {
            let assembly = store.assembly(&id)?;
            staff.reads(&assembly.estate_id)?;
            let items = store.items(&id)?;
            let units = store.current_units(&assembly.estate_id)?;
            let estate = store.estate(&assembly.estate_id)?;
            let documents: Vec<crate::usecases::documents::DocumentOut> = store
                .assembly_documents(&id)?
                .into_iter()
                .map(Into::into)
                .collect();
            let candidates = store
                .assembly_candidates(&id)?
                .into_iter()
                .map(crate::usecases::candidates::CandidateOut::try_from)
                .collect::<Result<Vec<_>, _>>()?;
            let declarations = crate::usecases::candidates::declarations_of(&estate)?;
            Ok((
                assembly,
                items,
                units,
                estate.follow_majority,
                documents,
                (candidates, declarations),
            ))
        })
        .await?;
    let zones: BTreeSet<String> = units
        .iter()
        .map(|u| u.zone.clone())
        .filter(|z| !z.is_empty())
        .collect();
    let buildings: BTreeSet<String> = units.iter().map(|u| u.building.clone()).collect();
    let stairwells: BTreeSet<String> = units
        .iter()
        .map(|u| format!("{}-{}", u.building, u.stairwell))
        .collect();
    let rows = items
        .iter()
        .map(|item| {
            let rule = serde_json::from_str(&item.rule)
                .ok()
                .and_then(|r| rule_of_json(&r).ok());
            let definition: serde_json::Value =
                serde_json::from_str(&item.definition).unwrap_or_default();
            let detail = match item.kind.as_str() {
                "election" => format!(
                    "{} {} · {}",
                    Msg::WebSeats.text(lang),
                    definition
                        .get("seats")
                        .and_then(serde_json::Value::as_u64)
                        .unwrap_or(0),
                    definition
                        .get("candidates")
                        .and_then(|c| c.as_array())
                        .map(|c| c
                            .iter()
                            .filter_map(|v| v.as_str())
                            .collect::<Vec<_>>()
                            .join("、"))
                        .unwrap_or_default()
                ),
                "consultation" => definition
                    .get("questions")
                    .and_then(|q| q.as_array())
                    .map(|qs| {
                        qs.iter()
                            .filter_map(|q| q.get("id").and_then(|i| i.as_str()))
                            .collect::<Vec<_>>()
                            .join("; ")
                    })
                    .unwrap_or_default(),
                _ => {
                    let mut words = item
                        .matter
                        .and_then(|m| u8::try_from(m).ok())
                        .map(|m| format!("{m}. {}", i18n::matter_name(m, lang)))
                        .unwrap_or_default();
                    if crate::items::offers_follow(&definition) {
                        words.push_str(" · ");
                        words.push_str(Msg::WebFollow.text(lang));
                    }
                    words
                }
            };
            ItemRow {
                register: (item.kind == "election").then(|| {
                    crate::web::candidates::RegisterView::of(
                        &definition,
                        &item.id,
                        &candidates,
                        declarations.clone(),
                        documents
                            .iter()
                            .filter(|d| d.item == item.id && d.content_type.starts_with("image/"))
                            .map(|d| (d.id.clone(), d.name.clone()))
                            .collect(),
                        lang,
                    )
                }),
                id: item.id.clone(),
                documents: documents
                    .iter()
                    .filter(|d| d.item == item.id)
                    .map(|d| crate::web::documents::DocLine::of(d, lang))
                    .collect(),
                title: item.title.clone(),
                kind: kind_word(&item.kind, lang),
                rule: if item.kind == "consultation" {
                    Msg::WebConsultationRule.text(lang).to_owned()
                } else {
                    rule.as_ref()
                        .map(|r| rule_words(r, lang))
                        .unwrap_or_default()
                },
                scope: scope_words(&serde_json::from_str(&item.scope).unwrap_or_default(), lang),
                detail,
            }
        })
        .collect();
    let matters = (1..=9_u8)
        .filter_map(|n| {
            Matter::from_number(n).ok().map(|m| MatterOption {
                number: n,
                name: i18n::matter_name(n, lang),
                rule: rule_words(&m.statutory_rule(), lang),
            })
        })
        .collect();
    let page = SetupPage {
        p: ctx.page(assembly.title.clone()),
        id: assembly.id,
        title: assembly.title,
        state: assembly.state,
        opens_at: local_time(&assembly.opens_at),
        closes_at: local_time(&assembly.closes_at),
        items: rows,
        matters,
        follow_majority,
        zones: zones.into_iter().collect(),
        buildings: buildings.into_iter().collect(),
        stairwells: stairwells.into_iter().collect(),
        form,
        errors,
    };
    ctx.html(
        if page.errors.text().is_some() {
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
        } else {
            actix_web::http::StatusCode::OK
        },
        &page,
    )
}

/// The setup page again after one of its item forms (a document, a candidate) was refused:
/// what to fix, naming the form's `label`, at the top.
pub(crate) async fn refused_form(
    ctx: &Ctx,
    assembly: String,
    label: Msg,
    msg: Msg,
) -> Result<HttpResponse, ApiError> {
    let lang = ctx.lang;
    let text = crate::web::words::field_words(lang, label, msg.text(lang));
    let errors = FieldErrors {
        field: String::new(),
        text: Some(text),
    };
    setup_page(ctx, assembly, errors, SentForm::default()).await
}

pub async fn setup(ctx: Ctx, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    setup_page(
        &ctx,
        path.into_inner(),
        FieldErrors::none(),
        SentForm::default(),
    )
    .await
}

fn values(form: &[(String, String)], name: &str) -> Vec<String> {
    form.iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.trim().to_owned())
        .filter(|v| !v.is_empty())
        .collect()
}

/// Lines of a text area, trimmed, blank lines dropped.
fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The item the form describes, as the JSON route would receive it.
fn item_request(lang: Lang, form: &[(String, String)]) -> Result<NewItemRequest, FieldErrors> {
    let title = field(form, "title").unwrap_or_default().to_owned();
    let body = field(form, "body").unwrap_or_default().to_owned();
    let scope = match field(form, "scope").unwrap_or("estate") {
        "zones" => ScopeRequest::Zones {
            zones: values(form, "zone"),
        },
        "buildings" => ScopeRequest::Buildings {
            buildings: values(form, "building"),
        },
        "stairwells" => ScopeRequest::Stairwells {
            stairwells: values(form, "stairwell")
                .into_iter()
                .filter_map(|s| {
                    s.split_once('-').map(|(b, w)| StairwellRequest {
                        building: b.to_owned(),
                        stairwell: w.to_owned(),
                    })
                })
                .collect(),
        },
        _ => ScopeRequest::Estate,
    };
    Ok(match field(form, "kind").unwrap_or("motion") {
        "election" => NewItemRequest::Election {
            title,
            body,
            seats: whole(lang, "seats", field(form, "seats").unwrap_or_default())?,
            candidates: lines(field(form, "candidates").unwrap_or_default()),
            scope,
            additional_rule: None,
        },
        "consultation" => NewItemRequest::Consultation {
            title,
            body,
            scope,
            // One question per line: "question: option / option / option".
            questions: lines(field(form, "questions").unwrap_or_default())
                .into_iter()
                .map(|line| {
                    let (id, options) = line.split_once(['：', ':']).unwrap_or((line.as_str(), ""));
                    QuestionRequest {
                        id: id.trim().to_owned(),
                        options: options
                            .split(['/', '／'])
                            .map(str::trim)
                            .filter(|o| !o.is_empty())
                            .map(str::to_owned)
                            .collect(),
                        max_choices: 1,
                        decide: None,
                    }
                })
                .collect(),
            quorum: None,
        },
        _ => NewItemRequest::Motion {
            title,
            body,
            matter: field(form, "matter")
                .unwrap_or_default()
                .parse()
                .map_err(|_| field_error(lang, "matter", Msg::WebFormChooseMatter.text(lang)))?,
            scope,
            additional_rule: None,
            concurrent: None,
            invalid_counts_as_participation: None,
            follow_majority: field(form, "follow_majority").is_some(),
        },
    })
}

pub async fn add_item(
    ctx: Ctx,
    path: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let id = path.into_inner();
    let staff = staff_writing(&ctx, &id).await?;
    let lang = ctx.lang;
    let sent = SentForm {
        fields: form.to_vec(),
    };
    let request = match item_request(lang, &form) {
        Ok(request) => request,
        Err(errors) => return setup_page(&ctx, id, errors, sent).await,
    };
    let outcome = {
        let id = id.clone();
        db(ctx.state()?, move |store| {
            setup::add_item(store, &staff, &id, request)
        })
        .await
    };
    match outcome {
        Ok(_) => Ok(ctx
            .redirect(&format!("/staff/assemblies/{id}/setup"))
            .finish()),
        Err(error) => match refusal(lang, &error) {
            Some(errors) => setup_page(&ctx, id, errors, sent).await,
            None => Err(error),
        },
    }
}

#[derive(Template)]
#[template(path = "web/close_confirm.html")]
struct CloseConfirmPage {
    p: Page,
    id: String,
    title: String,
    /// "Closes early" or "the closing time has passed", with the closing time in Beijing time.
    when: String,
    not_voted: String,
    reason: String,
}

/// Announce, open or close; closing early needs a reason (as in the API). Closing asks first:
/// the form without `confirmed` shows what closing means, and its button sends it again with
/// `confirmed=1` (and the same CSRF token and reason).
pub async fn change_state(
    ctx: Ctx,
    path: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let id = path.into_inner();
    let staff = staff_writing(&ctx, &id).await?;
    let lang = ctx.lang;
    let sent = SentForm {
        fields: form.to_vec(),
    };
    let next = match field(&form, "action") {
        Some("announce") => AssemblyState::Announced,
        Some("open") => AssemblyState::Open,
        Some("close") => AssemblyState::Closed,
        _ => {
            return Err(ApiError::from(UseCaseError::invalid(
                "action",
                "announce, open or close",
            )));
        }
    };
    let reason = field(&form, "reason")
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned);
    if next == AssemblyState::Closed && field(&form, "confirmed") != Some("1") {
        let preview = {
            let (id, staff, reason) = (id.clone(), staff.clone(), reason.clone());
            db(ctx.state()?, move |store| {
                lifecycle::closing_preview(store, &staff, &id, reason.as_deref())
            })
            .await
        };
        return match preview {
            Ok(preview) => {
                let closes_at = local_time(&preview.assembly.closes_at);
                let when = if preview.early {
                    Msg::WebCloseConfirmEarly
                } else {
                    Msg::WebCloseConfirmDue
                }
                .text_with(lang, &[("closes_at", (&closes_at).into())]);
                ctx.ok(&CloseConfirmPage {
                    p: ctx.page(Msg::WebCloseConfirmTitle.text(lang)),
                    id: preview.assembly.id,
                    title: preview.assembly.title,
                    when,
                    not_voted: Msg::WebCloseConfirmNotVoted
                        .text_with(lang, &[("n", preview.not_voted.into())]),
                    reason: reason.unwrap_or_default(),
                })
            }
            Err(error) => match refusal(lang, &error) {
                Some(errors) => setup_page(&ctx, id, errors, sent).await,
                None => Err(error),
            },
        };
    }
    let moved = {
        let id = id.clone();
        run(ctx.state()?, move |app| {
            lifecycle::move_with_checkpoints(app, &staff, &id, next, reason)
        })
        .await
    };
    match moved {
        Ok(_) if next == AssemblyState::Closed => Ok(ctx
            .redirect(&format!("/staff/assemblies/{id}/results"))
            .finish()),
        Ok(_) => Ok(ctx
            .redirect(&format!("/staff/assemblies/{id}/setup"))
            .finish()),
        Err(error) => match refusal(lang, &error) {
            Some(errors) => setup_page(&ctx, id, errors, sent).await,
            None => Err(error),
        },
    }
}
