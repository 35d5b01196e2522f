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

use crate::blocking::db;
use crate::error::ApiError;
use crate::i18n::{self, Msg};
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

/// A `datetime-local` value typed in Beijing time, as RFC 3339.
fn rfc3339_of(field_name: &str, text: &str) -> Result<String, ApiError> {
    let text = text.trim();
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|e| UseCaseError::invalid(field_name, e.to_string()))?;
    let at = beijing()
        .from_local_datetime(&naive)
        .single()
        .ok_or_else(|| UseCaseError::invalid(field_name, "no such local time"))?;
    Ok(at.to_rfc3339())
}

#[derive(Template)]
#[template(path = "web/assembly_new.html")]
struct NewPage {
    p: Page,
    error: Option<String>,
    title: String,
    opens_at: String,
    closes_at: String,
    notice_days: String,
    objection_days: String,
}

fn new_page(ctx: &Ctx, form: &[(String, String)], error: Option<String>) -> NewPage {
    let default = |name: &str, fallback: String| field(form, name).map_or(fallback, str::to_owned);
    let now = Utc::now().with_timezone(&beijing());
    NewPage {
        p: ctx.page(Msg::WebNewAssembly.text(ctx.lang)),
        error,
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
    }
}

pub async fn new_form(ctx: Ctx) -> Result<HttpResponse, ApiError> {
    // A form only those who may create an assembly can send (not an auditor).
    let staff = staff_of(&ctx).await?;
    staff.writes(&staff.estate)?;
    ctx.ok(&new_page(&ctx, &[], None))
}

/// The field's message in the reader's language, with the field named.
fn refusal(ctx: &Ctx, error: &ApiError) -> Option<String> {
    match error {
        ApiError::UseCase(UseCaseError::Invalid { msg, field, detail }) => {
            Some(format!("{} ({field}: {detail})", msg.text(ctx.lang)))
        }
        ApiError::UseCase(UseCaseError::Rule(msg)) => Some(msg.text(ctx.lang).to_owned()),
        _ => None,
    }
}

pub async fn create(ctx: Ctx, form: Form) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let staff = staff_of(&ctx).await?;
    let minutes_given = field(&form, "objection_minutes").is_some_and(|m| !m.trim().is_empty());
    let request = (|| {
        Ok::<_, ApiError>(NewAssemblyRequest {
            title: field(&form, "title").unwrap_or_default().to_owned(),
            opens_at: rfc3339_of("opens_at", field(&form, "opens_at").unwrap_or_default())?,
            closes_at: rfc3339_of("closes_at", field(&form, "closes_at").unwrap_or_default())?,
            ballots_changeable: field(&form, "changeable").is_some(),
            notice_days: Some(
                field(&form, "notice_days")
                    .unwrap_or("15")
                    .trim()
                    .parse()
                    .map_err(|_| UseCaseError::invalid("notice_days", "a whole number of days"))?,
            ),
            // The form always sends days; a trial estate's minutes, when given, replace them.
            objection_minutes: match field(&form, "objection_minutes").map(str::trim) {
                None | Some("") => None,
                Some(minutes) => Some(minutes.parse().map_err(|_| {
                    UseCaseError::invalid("objection_minutes", "a whole number of minutes")
                })?),
            },
            objection_days: match field(&form, "objection_days").map(str::trim) {
                _ if minutes_given => None,
                None | Some("") => None,
                Some(days) => Some(days.parse().map_err(|_| {
                    UseCaseError::invalid("objection_days", "a whole number of days")
                })?),
            },
            public_roll: field(&form, "public_roll").is_some(),
        })
    })();
    let estate = staff.estate.clone();
    let outcome = match request {
        Ok(request) => {
            db(ctx.state()?, move |store| {
                setup::create_assembly(store, &staff, &estate, request)
            })
            .await
        }
        Err(e) => Err(e),
    };
    match outcome {
        Ok(assembly) => Ok(ctx
            .redirect(&format!("/staff/assemblies/{}/setup", assembly.id))
            .finish()),
        Err(error) => match refusal(&ctx, &error) {
            Some(text) => ctx.html(
                actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
                &new_page(&ctx, &form, Some(text)),
            ),
            None => Err(error),
        },
    }
}

struct ItemRow {
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
    error: Option<String>,
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
    error: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let staff = staff_of(ctx).await?;
    let lang = ctx.lang;
    let (assembly, items, units) = db(ctx.state()?, move |store| {
        let assembly = store.assembly(&id)?;
        staff.reads(&assembly.estate_id)?;
        let items = store.items(&id)?;
        let units = store.current_units(&assembly.estate_id)?;
        Ok((assembly, items, units))
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
                _ => item
                    .matter
                    .and_then(|m| u8::try_from(m).ok())
                    .map(|m| format!("{m}. {}", i18n::matter_name(m, lang)))
                    .unwrap_or_default(),
            };
            ItemRow {
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
        zones: zones.into_iter().collect(),
        buildings: buildings.into_iter().collect(),
        stairwells: stairwells.into_iter().collect(),
        error: error.clone(),
    };
    ctx.html(
        if error.is_some() {
            actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
        } else {
            actix_web::http::StatusCode::OK
        },
        &page,
    )
}

pub async fn setup(ctx: Ctx, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    setup_page(&ctx, path.into_inner(), None).await
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
fn item_request(form: &[(String, String)]) -> Result<NewItemRequest, ApiError> {
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
            seats: field(form, "seats")
                .unwrap_or_default()
                .trim()
                .parse()
                .map_err(|_| UseCaseError::invalid("seats", "a whole number"))?,
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
                .map_err(|_| UseCaseError::invalid("matter", "choose one of the nine matters"))?,
            scope,
            additional_rule: None,
            concurrent: None,
            invalid_counts_as_participation: None,
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
    let outcome = match item_request(&form) {
        Ok(request) => {
            let id = id.clone();
            db(ctx.state()?, move |store| {
                setup::add_item(store, &staff, &id, request)
            })
            .await
            .map(|_| ())
        }
        Err(e) => Err(e),
    };
    match outcome {
        Ok(()) => Ok(ctx
            .redirect(&format!("/staff/assemblies/{id}/setup"))
            .finish()),
        Err(error) => match refusal(&ctx, &error) {
            Some(text) => setup_page(&ctx, id, Some(text)).await,
            None => Err(error),
        },
    }
}

/// Announce, open or close; closing early needs a reason (as in the API).
pub async fn change_state(
    ctx: Ctx,
    path: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let id = path.into_inner();
    let staff = staff_writing(&ctx, &id).await?;
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
    let public_url = ctx.state()?.public_url.clone();
    let moved = {
        let id = id.clone();
        db(ctx.state()?, move |store| {
            lifecycle::move_assembly(store, &staff, &id, next, reason, &public_url)
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
        Err(error) => match refusal(&ctx, &error) {
            Some(text) => setup_page(&ctx, id, Some(text)).await,
            None => Err(error),
        },
    }
}
