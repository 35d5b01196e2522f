//! The results page, after closing: each item's outcome, the figures behind it (area, heads,
//! percentages) and the breakdown by building, counted by the same function as the JSON
//! results route (`count::tally_of`). The public announcement is linked, and the names in the
//! list of ballots shown here are masked as they would be published (张*明).

use actix_web::{HttpResponse, web};
use askama::Template;
use gongjue_domain::breakdown::Detail;
use gongjue_domain::election::ElectionOutcome;
use gongjue_domain::motion::{Joined, MotionOutcome};
use gongjue_domain::tally::TallyResult;
use gongjue_domain::weight::Weight;

use crate::blocking::db;
use crate::error::ApiError;
use crate::i18n::{Lang, Msg};
use crate::items::rule_of_json;
use crate::usecases::{UseCaseError, results};
use crate::web::page::{Ctx, Page};
use crate::web::publication::{StaffSection, staff_section};
use crate::web::staff::{staff_of, state_word};
use crate::web::words::{area_words, mask_name, percent, rule_words};

/// One line of figures: what, area and its share, heads and their share.
struct Row {
    label: String,
    area: String,
    heads: String,
}

fn row(label: impl Into<String>, part: &Weight, whole: &Weight) -> Row {
    Row {
        label: label.into(),
        area: format!(
            "{} m² ({})",
            area_words(part.area.cents()),
            percent(part.area.cents(), whole.area.cents())
        ),
        heads: format!("{} ({})", part.heads, percent(part.heads, whole.heads)),
    }
}

struct BuildingRow {
    name: String,
    rows: Vec<Row>,
}

struct ItemResult {
    title: String,
    rule: String,
    outcome: String,
    passed: bool,
    rows: Vec<Row>,
    buildings: Vec<BuildingRow>,
    /// The same by stairwell (`3-1`), when the roster names stairwells: a stairwell-by-stairwell
    /// decision (an elevator) is read off this one page.
    stairwells: Vec<BuildingRow>,
    /// A consultation in rounds: each round in words with the address of its results.
    rounds: Vec<(String, String)>,
    /// A consultation without a next round yet: its id and the estate's draft assemblies that
    /// could ask the next round (empty: none to choose, or not a consultation).
    next_round: Option<(String, Vec<(String, String)>)>,
}

#[derive(Template)]
#[template(path = "web/results.html")]
struct ResultsPage {
    p: Page,
    id: String,
    title: String,
    items: Vec<ItemResult>,
    voters: Vec<String>,
    /// The publication stage, objections, final publication and downloads.
    publication: Option<StaffSection>,
    notice: Option<&'static str>,
}

#[derive(serde::Deserialize)]
pub struct Done {
    resolved: Option<String>,
    published: Option<String>,
}

fn word(msg: Msg, lang: Lang) -> String {
    msg.text(lang).to_owned()
}

/// The figures of a detail (a building's, or the whole item's) against its base.
fn detail_rows(detail: &Detail, participation: &Weight, lang: Lang) -> Vec<Row> {
    match detail {
        Detail::Motion { choices } => {
            let mut rows = vec![
                row(word(Msg::WebYes, lang), &choices.yes, participation),
                row(word(Msg::WebNo, lang), &choices.no, participation),
                row(word(Msg::WebAbstain, lang), &choices.abstain, participation),
                row(word(Msg::WebInvalid, lang), &choices.invalid, participation),
            ];
            if let Some(follow) = &choices.follow {
                rows.push(row(word(Msg::WebFollow, lang), follow, participation));
            }
            rows
        }
        Detail::Election { candidates } => candidates
            .iter()
            .map(|c| row(c.id.clone(), &c.weight, participation))
            .collect(),
        Detail::Consultation { questions } => questions
            .iter()
            .flat_map(|q| {
                q.options
                    .iter()
                    .map(|o| row(format!("{}: {}", q.id, o.id), &o.weight, &q.respondents))
                    .collect::<Vec<_>>()
            })
            .collect(),
    }
}

/// The rounds of the consultation `item` belongs to, in words with the address of each round's
/// results (empty for an item not in rounds).
fn round_lines(
    store: &gongjue_store::Store,
    item: &gongjue_store::assemblies::Item,
    lang: Lang,
) -> Result<Vec<(String, String)>, UseCaseError> {
    let chain = store.rounds_of(&item.id)?;
    if chain.len() < 2 {
        return Ok(Vec::new());
    }
    chain
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let round = store.item(id)?;
            let assembly = store.assembly(&round.assembly_id)?;
            Ok((
                Msg::WebRoundLine.text_with(
                    lang,
                    &[
                        ("n", (i + 1).into()),
                        ("title", round.title.as_str().into()),
                        ("state", state_word(&assembly.state, lang).into()),
                    ],
                ),
                format!("/staff/assemblies/{}/results", assembly.id),
            ))
        })
        .collect()
}

/// `POST /staff/items/{id}/next-round`: the next round of a closed consultation, in the draft
/// assembly chosen; then that assembly's setup page, where its questions can be edited.
pub async fn next_round(
    ctx: Ctx,
    path: web::Path<String>,
    form: crate::web::page::Form,
) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let staff = staff_of(&ctx).await?;
    let id = path.into_inner();
    let request = crate::usecases::rounds::NextRoundRequest {
        assembly: crate::web::page::field(&form, "assembly")
            .unwrap_or_default()
            .to_owned(),
        ..Default::default()
    };
    let assembly = request.assembly.clone();
    db(ctx.state()?, move |store| {
        crate::usecases::rounds::next_round(store, &staff, &id, request)
    })
    .await?;
    Ok(ctx
        .redirect(&format!("/staff/assemblies/{assembly}/setup"))
        .finish())
}

pub(crate) fn outcome(result: &TallyResult, lang: Lang) -> (String, bool) {
    match result {
        TallyResult::Motion(m) => {
            let (mut text, passed) = match m.outcome {
                MotionOutcome::Passed => (word(Msg::WebPassed, lang), true),
                MotionOutcome::Rejected => (word(Msg::WebRejected, lang), false),
                MotionOutcome::NoQuorum => (word(Msg::WebNoQuorum, lang), false),
            };
            // With 从众: which side those ballots joined, beside the outcome they never decide.
            if let Some(joined) = m.follow_joined {
                let side = match joined {
                    Joined::Yes => Msg::WebYes,
                    Joined::No => Msg::WebNo,
                };
                text.push_str(" · ");
                text.push_str(
                    &Msg::WebFollowJoined.text_with(lang, &[("side", side.text(lang).into())]),
                );
            }
            (text, passed)
        }
        TallyResult::Election(e) => match e.outcome {
            ElectionOutcome::NoQuorum => (word(Msg::WebNoQuorum, lang), false),
            ElectionOutcome::Valid => {
                let sep = if lang == Lang::ZhCn { "、" } else { ", " };
                let mut text = format!("{}{}", Msg::WebElected.text(lang), e.elected.join(sep));
                if !e.tie.is_empty() {
                    text.push_str(&format!("; {}{}", Msg::WebTie.text(lang), e.tie.join(sep)));
                }
                if e.unfilled > 0 {
                    text.push_str(&format!("; {} {}", Msg::WebUnfilled.text(lang), e.unfilled));
                }
                (text, !e.elected.is_empty())
            }
        },
        TallyResult::Consultation(c) => (
            if c.participation.met {
                word(Msg::WebConsulted, lang)
            } else {
                word(Msg::WebNoQuorum, lang)
            },
            c.participation.met,
        ),
    }
}

fn totals_of(result: &TallyResult) -> (Weight, Weight) {
    match result {
        TallyResult::Motion(m) => (m.totals, m.participation.weight),
        TallyResult::Election(e) => (e.totals, e.participation.weight),
        TallyResult::Consultation(c) => (c.totals, c.participation.weight),
    }
}

/// `GET /staff/assemblies/{id}/results`, once voting has closed.
pub async fn results(
    ctx: Ctx,
    path: web::Path<String>,
    query: web::Query<Done>,
) -> Result<HttpResponse, ApiError> {
    let staff = staff_of(&ctx).await?;
    let reader = staff.clone();
    let id = path.into_inner();
    let lang = ctx.lang;
    let (title, items, voters) = db(ctx.state()?, move |store| {
        let (assembly, tallies) = results::assembly_tallies(store, &staff, &id)?;
        let drafts: Vec<(String, String)> = if staff.writes(&assembly.estate_id).is_ok() {
            store
                .estate_assemblies(&assembly.estate_id)?
                .into_iter()
                .filter(|a| a.state == "draft")
                .map(|a| (a.id, a.title))
                .collect()
        } else {
            Vec::new()
        };
        let mut items = Vec::new();
        let mut voters = std::collections::BTreeSet::new();
        for (item, tally) in &tallies {
            let result = tally.result();
            let (totals, participation) = totals_of(&result);
            let (outcome, passed) = outcome(&result, lang);
            let breakdown = tally.breakdown();
            let mut overall = vec![row(Msg::WebTurnout.text(lang), &participation, &totals)];
            // The whole item's detail: the sum of its buildings'.
            let detail = breakdown
                .building
                .values()
                .map(|f| f.detail.clone())
                .reduce(|a, b| add_detail(&a, &b));
            if let Some(detail) = &detail {
                overall.extend(detail_rows(detail, &participation, lang));
            }
            let group_rows = |groups: &std::collections::BTreeMap<
                String,
                gongjue_domain::breakdown::GroupFigures,
            >| {
                groups
                    .iter()
                    .map(|(name, f)| {
                        let mut rows =
                            vec![row(Msg::WebTurnout.text(lang), &f.participation, &f.totals)];
                        rows.extend(detail_rows(&f.detail, &f.participation, lang));
                        BuildingRow {
                            name: name.clone(),
                            rows,
                        }
                    })
                    .collect::<Vec<_>>()
            };
            let buildings = group_rows(&breakdown.building);
            let stairwells = group_rows(&breakdown.stairwell);
            let rule = serde_json::from_str(&item.rule)
                .ok()
                .and_then(|r| rule_of_json(&r).ok());
            items.push(ItemResult {
                title: item.title.clone(),
                rule: if item.kind == "consultation" {
                    Msg::WebConsultationRule.text(lang).to_owned()
                } else {
                    rule.as_ref()
                        .map(|r| rule_words(r, lang))
                        .unwrap_or_default()
                },
                outcome,
                passed,
                rows: overall,
                buildings,
                stairwells,
                rounds: round_lines(store, item, lang)?,
                next_round: (item.kind == "consultation"
                    && !drafts.is_empty()
                    && store.next_round_of(&item.id)?.is_none())
                .then(|| (item.id.clone(), drafts.clone())),
            });
            voters.extend(
                store
                    .counted_ballots(&item.id)?
                    .into_iter()
                    .map(|b| b.voter),
            );
        }
        // Who took part, masked as on the public announcement (no choices).
        let contacts = store.owner_contacts(&assembly.estate_id)?;
        let voters = voters
            .into_iter()
            .map(|v| {
                let contact = contacts.get(&v);
                format!(
                    "{} {}",
                    contact.map(|c| c.units.join("、")).unwrap_or_default(),
                    contact
                        .and_then(|c| c.name.as_deref())
                        .map(mask_name)
                        .unwrap_or_default()
                )
            })
            .collect();
        Ok((assembly.title, items, voters))
    })
    .await?;
    let id = ctx
        .req
        .match_info()
        .get("id")
        .unwrap_or_default()
        .to_owned();
    let publication = staff_section(&ctx, reader, id.clone()).await?;
    let done = query.into_inner();
    let notice = if done.published.is_some() {
        Some(Msg::WebPubPublished.text(lang))
    } else {
        done.resolved.map(|_| Msg::WebPubResolved.text(lang))
    };
    ctx.ok(&ResultsPage {
        p: ctx.page(Msg::WebResults.text(lang)),
        id,
        title,
        items,
        voters,
        publication,
        notice,
    })
}

fn add_weight(a: &Weight, b: &Weight) -> Weight {
    let mut sum = *a;
    sum.add(*b);
    sum
}

/// Two groups' details added up (same item, so the same shape).
fn add_detail(a: &Detail, b: &Detail) -> Detail {
    match (a, b) {
        (Detail::Motion { choices: x }, Detail::Motion { choices: y }) => {
            let mut choices = *x;
            choices.add(y);
            Detail::Motion { choices }
        }
        (Detail::Election { candidates: x }, Detail::Election { candidates: y }) => {
            Detail::Election {
                candidates: x
                    .iter()
                    .zip(y)
                    .map(|(c, d)| gongjue_domain::breakdown::Named {
                        id: c.id.clone(),
                        weight: add_weight(&c.weight, &d.weight),
                    })
                    .collect(),
            }
        }
        (Detail::Consultation { questions: x }, Detail::Consultation { questions: y }) => {
            Detail::Consultation {
                questions: x
                    .iter()
                    .zip(y)
                    .map(|(q, r)| gongjue_domain::breakdown::NamedQuestion {
                        id: q.id.clone(),
                        respondents: add_weight(&q.respondents, &r.respondents),
                        options: q
                            .options
                            .iter()
                            .zip(&r.options)
                            .map(|(o, p)| gongjue_domain::breakdown::Named {
                                id: o.id.clone(),
                                weight: add_weight(&o.weight, &p.weight),
                            })
                            .collect(),
                    })
                    .collect(),
            }
        }
        (other, _) => other.clone(),
    }
}
