//! Paper ballots: a secretary finds the unit, ticks what the sheet says, records when it was
//! received and where the scan is filed; a second person confirms it from the queue. Both go
//! through the use cases the JSON API calls (`usecases::paper`), with the same checks.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::{FixedOffset, NaiveDateTime, TimeZone, Utc};
use gongjue_store::assemblies::AssemblyState;
use gongjue_store::ballots::Channel;
use serde_json::Value;

use crate::blocking::db;
use crate::error::ApiError;
use crate::i18n::{Lang, Msg};
use crate::items::{Entry, check_choice_in};
use crate::usecases::UseCaseError;
use crate::usecases::paper::{
    PaperBallotRequest, check_paper_ballot, confirm_paper_ballot, confirm_paper_sheet,
    store_paper_sheet,
};
use crate::web::owner::{Choice, QuestionView, item_inputs, read_choice};
use crate::web::page::{Ctx, Form, Page, field};
use crate::web::staff::{staff_of, staff_writing};
use crate::web::words::choice_words;

/// Beijing time, in which secretaries read the receipt stamps.
fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600)
        .unwrap_or_else(|| FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!()))
}

struct PaperItem {
    n: usize,
    id: String,
    title: String,
    note: String,
    choices: Vec<Choice>,
    questions: Vec<QuestionView>,
    /// What is recorded for the member now, if anything.
    current: Option<String>,
}

#[derive(Template)]
#[template(path = "web/paper.html")]
struct PaperPage {
    p: Page,
    id: String,
    title: String,
    unit: String,
    units: Vec<String>,
    member: Option<String>,
    items: Vec<PaperItem>,
    received: String,
    key: String,
    /// The correction reason, kept or pre-set.
    reason: String,
    notice: Option<String>,
    error: Option<String>,
    /// The member already voted online: what this paper ballot does to their web ballot.
    web_warning: Option<String>,
}

#[derive(serde::Deserialize)]
pub struct UnitQuery {
    unit: Option<String>,
    entered: Option<String>,
    /// Pre-set correction reason (the link from an objection on the results page).
    reason: Option<String>,
}

struct Found {
    title: String,
    units: Vec<String>,
    member: Option<String>,
    items: Vec<PaperItem>,
    web_warning: Option<String>,
}

/// The page for one unit: the member voting for it and their items.
async fn find(ctx: &Ctx, id: String, unit: String) -> Result<Found, ApiError> {
    let staff = staff_of(ctx).await?;
    let lang = ctx.lang;
    db(ctx.state()?, move |store| {
        let assembly = store.assembly(&id)?;
        // Secretaries; or a volunteer, for the units of their buildings while voting is open.
        crate::usecases::volunteers::may_enter_paper(store, &staff, &assembly, None, false)?;
        let in_scope = crate::usecases::volunteers::units_in_scope(store, &staff)?;
        let unit = match &in_scope {
            Some(units) if !units.contains(&unit) => String::new(),
            _ => unit,
        };
        let voting_closed = assembly.state == AssemblyState::Closed.as_str();
        let mut units = std::collections::BTreeSet::new();
        let mut items = Vec::new();
        let mut member = None;
        // The items the member already voted on online, and when (stored time).
        let mut online: Vec<(String, String)> = Vec::new();
        for (n, item) in store
            .items(&id)?
            .into_iter()
            .filter(|i| i.electorate_frozen_at.is_some())
            .enumerate()
        {
            units.extend(
                store
                    .electorate(&item.id)?
                    .into_iter()
                    .map(|u| u.unit_number)
                    .filter(|u| in_scope.as_ref().is_none_or(|s| s.contains(u))),
            );
            let Some(voter) = (!unit.is_empty())
                .then(|| store.voter_of_unit(&item.id, &unit))
                .transpose()?
                .flatten()
            else {
                continue;
            };
            let definition: Value = serde_json::from_str(&item.definition).unwrap_or(Value::Null);
            // While voting is open, staff see whether the member voted and how, never what
            // they chose (a unit's choice would be a running result). After closing, the
            // record is shown to check a correction against the paper.
            let current = store.current_ballot(&item.id, &voter)?;
            if let Some(c) = current
                .as_ref()
                .filter(|c| c.channel == Channel::Web.as_str())
            {
                online.push((item.title.clone(), c.cast_at.clone()));
            }
            let current = current.map(|c| {
                let channel = match c.channel.as_str() {
                    "paper" => Msg::WebChannelPaper.text(lang),
                    "proxy" => Msg::WebChannelProxy.text(lang),
                    _ => Msg::WebChannelWeb.text(lang),
                };
                if voting_closed {
                    let choice: Value = serde_json::from_str(&c.choice).unwrap_or(Value::Null);
                    format!(
                        "{} · {channel}",
                        choice_words(&item.kind, Some(&choice), lang)
                    )
                } else {
                    channel.to_owned()
                }
            });
            let (choices, questions, note) =
                item_inputs(lang, &item.kind, &definition, n, None, true);
            items.push(PaperItem {
                n,
                id: item.id.clone(),
                title: item.title.clone(),
                note,
                choices,
                questions,
                current,
            });
            if member.is_none() {
                let contacts = store.owner_contacts(&assembly.estate_id)?;
                let name = contacts
                    .get(&voter)
                    .and_then(|c| c.name.clone())
                    .unwrap_or_default();
                member = Some(format!("{name} ({voter})"));
            }
        }
        Ok(Found {
            web_warning: web_warning(&online, assembly.ballots_changeable, lang),
            title: assembly.title,
            units: units.into_iter().collect(),
            member,
            items,
        })
    })
    .await
}

/// What entering paper does to the member's web ballot, said before it is entered (issue 21):
/// it replaces it only if the paper was received after the web ballot was cast (a paper
/// received earlier is refused, `paper_older_than_ballot`) and only where the assembly lets a
/// ballot be changed (`ballot_not_changeable`); the rules themselves are
/// `usecases::paper::check_paper_ballot`'s.
fn web_warning(online: &[(String, String)], changeable: bool, lang: Lang) -> Option<String> {
    let latest = online.iter().map(|(_, at)| at.as_str()).max()?;
    let items = online
        .iter()
        .map(|(title, _)| title.as_str())
        .collect::<Vec<_>>()
        .join(Msg::ListSeparator.text(lang));
    let at = crate::web::owner::local_time(latest);
    let msg = if changeable {
        Msg::WebPaperReplacesWeb
    } else {
        Msg::WebPaperWebFixed
    };
    Some(msg.text_with(lang, &[("items", (&items).into()), ("at", (&at).into())]))
}

async fn render(
    ctx: &Ctx,
    id: String,
    unit: String,
    reason: String,
    notice: Option<String>,
    error: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let found = find(ctx, id.clone(), unit.clone()).await?;
    let error = error.or_else(|| {
        (!unit.is_empty() && found.member.is_none())
            .then(|| Msg::WebUnitNotFound.text(ctx.lang).to_owned())
    });
    let status = if error.is_some() {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        actix_web::http::StatusCode::OK
    };
    let page = PaperPage {
        p: ctx.page(Msg::WebPaperTitle.text(ctx.lang)),
        id,
        title: found.title,
        unit,
        units: found.units,
        member: found.member,
        items: found.items,
        // To the millisecond: a default truncated to the second could fall before the opening.
        received: Utc::now()
            .with_timezone(&beijing())
            .format("%Y-%m-%dT%H:%M:%S%.3f")
            .to_string(),
        key: uuid::Uuid::now_v7().to_string(),
        reason,
        notice,
        error,
        web_warning: found.web_warning,
    };
    ctx.html(status, &page)
}

/// Who may enter paper here: a secretary or admin of the assembly's estate, or one of its
/// building volunteers (for the units of their buildings, while voting is open; what they enter
/// waits for a secretary's confirmation as every paper ballot does).
async fn paper_staff(ctx: &Ctx, id: &str) -> Result<crate::usecases::StaffCaller, ApiError> {
    let staff = staff_of(ctx).await?;
    let id = id.to_owned();
    db(ctx.state()?, move |store| {
        let assembly = store.assembly(&id)?;
        crate::usecases::volunteers::may_enter_paper(store, &staff, &assembly, None, false)?;
        Ok(staff)
    })
    .await
}

/// `GET /staff/assemblies/{id}/paper?unit=1-1-101`: the search, and the unit's sheet.
pub async fn form(
    ctx: Ctx,
    path: web::Path<String>,
    query: web::Query<UnitQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    paper_staff(&ctx, &id).await?;
    let UnitQuery {
        unit,
        entered,
        reason,
    } = query.into_inner();
    let notice =
        entered.map(|u| Msg::WebPaperEntered.text_with(ctx.lang, &[("unit", (&u).into())]));
    render(
        &ctx,
        id,
        unit.unwrap_or_default().trim().to_owned(),
        reason.unwrap_or_default(),
        notice,
        None,
    )
    .await
}

/// Reads `2026-12-20T09:30:00` typed in Beijing time (the field of the page).
fn received_at(text: &str) -> Option<chrono::DateTime<Utc>> {
    let text = text.trim();
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M"))
        .ok()?;
    beijing()
        .from_local_datetime(&naive)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// Enters the unit's paper ballot, one ballot per item ticked. Every choice is checked before
/// any is stored.
pub async fn enter(
    ctx: Ctx,
    path: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let id = path.into_inner();
    let staff = paper_staff(&ctx, &id).await?;
    let unit = field(&form, "unit").unwrap_or_default().trim().to_owned();
    let found = find(&ctx, id.clone(), unit.clone()).await?;
    let typed_reason = field(&form, "reason").unwrap_or_default().to_owned();
    let Some(received) = field(&form, "received_at").and_then(received_at) else {
        return render(
            &ctx,
            id,
            unit,
            typed_reason,
            None,
            Some(Msg::WebReceivedInvalid.text(ctx.lang).to_owned()),
        )
        .await;
    };
    let scan_ref = field(&form, "scan_ref")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    let reason = field(&form, "reason")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned);
    let key = field(&form, "key")
        .filter(|k| !k.is_empty() && k.len() <= 64)
        .map_or_else(|| uuid::Uuid::now_v7().to_string(), str::to_owned);
    let (definitions, kinds) = db(ctx.state()?, {
        let ids: Vec<String> = found.items.iter().map(|i| i.id.clone()).collect();
        move |store| {
            let mut definitions = BTreeMap::new();
            let mut kinds = BTreeMap::new();
            for id in ids {
                let item = store.item(&id)?;
                definitions.insert(
                    id.clone(),
                    serde_json::from_str::<Value>(&item.definition).unwrap_or(Value::Null),
                );
                kinds.insert(id, item.kind);
            }
            Ok((definitions, kinds))
        }
    })
    .await?;
    let mut ballots = Vec::new();
    for item in &found.items {
        let (Some(kind), Some(definition)) = (kinds.get(&item.id), definitions.get(&item.id))
        else {
            continue;
        };
        if let Some(choice) = read_choice(kind, definition, &form, item.n) {
            if let Err(UseCaseError::Invalid { msg, .. }) =
                check_choice_in(kind, definition, &choice, Entry::Paper)
            {
                return render(
                    &ctx,
                    id,
                    unit,
                    typed_reason,
                    None,
                    Some(format!("{}: {}", item.title, msg.text(ctx.lang))),
                )
                .await;
            }
            ballots.push(PaperBallotRequest {
                item: item.id.clone(),
                voter: None,
                unit: Some(unit.clone()),
                choice,
                received_at: received.to_rfc3339(),
                scan_ref: scan_ref.clone(),
                correction_reason: reason.clone(),
            });
        }
    }
    if ballots.is_empty() {
        return render(
            &ctx,
            id,
            unit,
            typed_reason,
            None,
            Some(Msg::WebNothingChosen.text(ctx.lang).to_owned()),
        )
        .await;
    }
    let assembly = id.clone();
    db(ctx.state()?, move |store| {
        // The whole sheet is checked, then stored in one transaction: all of it or nothing,
        // even if the server dies mid-request.
        let checked = ballots
            .iter()
            .map(|ballot| check_paper_ballot(store, &staff, &assembly, &key, ballot, received))
            .collect::<Result<Vec<_>, _>>()?;
        store_paper_sheet(
            store,
            &staff,
            &key,
            ballots.into_iter().zip(checked).collect(),
            received,
        )?;
        Ok(())
    })
    .await?;
    Ok(ctx
        .redirect(&format!(
            "/staff/assemblies/{id}/paper?entered={}",
            encode(&unit)
        ))
        .finish())
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// One paper sheet waiting for a second person: one member's ballots entered together (same
/// person, same receipt time), confirmed in one action.
struct PendingSheet {
    member: String,
    received: String,
    scan_ref: String,
    /// Each item's title and the choice read from the paper.
    lines: Vec<(String, String)>,
    /// The paper ballots (versions) the one button confirms.
    versions: Vec<String>,
    mine: bool,
    /// `本张表决票共 3 项……`.
    summary: String,
}

#[derive(Template)]
#[template(path = "web/confirm.html")]
struct QueuePage {
    p: Page,
    id: String,
    title: String,
    sheets: Vec<PendingSheet>,
    notice: Option<&'static str>,
}

#[derive(serde::Deserialize)]
pub struct Done {
    confirmed: Option<String>,
}

/// The paper sheets waiting for a second person, oldest first: each member's ballots entered
/// together are one sheet, confirmed with one button (issue 21: one click per item before).
pub async fn queue(
    ctx: Ctx,
    path: web::Path<String>,
    query: web::Query<Done>,
) -> Result<HttpResponse, ApiError> {
    let staff = staff_of(&ctx).await?;
    let id = path.into_inner();
    let lang = ctx.lang;
    let (title, sheets) = db(ctx.state()?, {
        let id = id.clone();
        move |store| {
            let assembly = store.assembly(&id)?;
            staff.reads(&assembly.estate_id)?;
            let contacts = store.owner_contacts(&assembly.estate_id)?;
            // Where each paper ballot is filed, from the audit entries written when it was entered.
            let filed: BTreeMap<String, String> = store
                .audit_entries(&assembly.estate_id, 0, 1_000_000)?
                .into_iter()
                .filter(|e| e.action == "ballot.paper_filed" || e.action == "ballot.corrected")
                .filter_map(|e| {
                    let detail = serde_json::from_str::<Value>(&e.detail).ok()?;
                    Some((
                        e.subject,
                        detail.get("scan_ref").and_then(Value::as_str)?.to_owned(),
                    ))
                })
                .collect();
            // A sheet: the member, who entered it, when it was received.
            let mut sheets: BTreeMap<(String, String, String), PendingSheet> = BTreeMap::new();
            let mut order = Vec::new();
            for item in store.items(&id)? {
                for v in store.ballot_versions(&item.id)? {
                    if v.channel != Channel::Paper.as_str() || v.confirmed_at.is_some() {
                        continue;
                    }
                    // Only the member's current ballot: a superseded entry is history.
                    if store
                        .current_ballot(&item.id, &v.voter)?
                        .is_none_or(|c| c.version_id != v.id)
                    {
                        continue;
                    }
                    let choice: Value = serde_json::from_str(&v.choice).unwrap_or(Value::Null);
                    let key = (
                        v.voter.clone(),
                        v.entered_by.clone().unwrap_or_default(),
                        v.cast_at.clone(),
                    );
                    let sheet = sheets.entry(key.clone()).or_insert_with(|| {
                        order.push(key);
                        let contact = contacts.get(&v.voter);
                        PendingSheet {
                            member: format!(
                                "{} {} ({})",
                                contact.map(|c| c.units.join("、")).unwrap_or_default(),
                                contact.and_then(|c| c.name.clone()).unwrap_or_default(),
                                v.voter
                            ),
                            received: crate::web::owner::local_time(&v.cast_at),
                            scan_ref: String::new(),
                            lines: Vec::new(),
                            versions: Vec::new(),
                            mine: v.entered_by.as_deref() == Some(staff.user.as_str()),
                            summary: String::new(),
                        }
                    });
                    if sheet.scan_ref.is_empty()
                        && let Some(scan_ref) = filed.get(&v.id)
                    {
                        sheet.scan_ref = scan_ref.clone();
                    }
                    sheet.lines.push((
                        item.title.clone(),
                        choice_words(&item.kind, Some(&choice), lang),
                    ));
                    sheet.versions.push(v.id);
                }
            }
            let mut sheets: Vec<PendingSheet> = order
                .into_iter()
                .filter_map(|key| sheets.remove(&key))
                .collect();
            for sheet in &mut sheets {
                sheet.summary = Msg::WebConfirmSheetItems
                    .text_with(lang, &[("n", sheet.versions.len().into())]);
            }
            sheets.sort_by(|a, b| a.received.cmp(&b.received));
            Ok((assembly.title, sheets))
        }
    })
    .await?;
    let notice = query
        .into_inner()
        .confirmed
        .map(|_| Msg::WebConfirmed.text(lang));
    ctx.ok(&QueuePage {
        p: ctx.page(Msg::WebConfirmQueue.text(lang)),
        id,
        title,
        sheets,
        notice,
    })
}

/// Confirms one paper ballot (never one's own: the shared function refuses it).
pub async fn confirm(
    ctx: Ctx,
    path: web::Path<(String, String)>,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let (assembly, version) = path.into_inner();
    let staff = staff_writing(&ctx, &assembly).await?;
    let state = ctx.state()?;
    let public_url = state.public_url.clone();
    db(state, move |store| {
        confirm_paper_ballot(store, &staff, &version, &public_url)
    })
    .await?;
    Ok(ctx
        .redirect(&format!("/staff/assemblies/{assembly}/confirm?confirmed=1"))
        .finish())
}

/// Confirms a whole paper sheet (every `ballot` of the form) in one action: all of its ballots
/// or, with an error, none (never one's own: the shared function refuses it).
pub async fn confirm_sheet(
    ctx: Ctx,
    path: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let assembly = path.into_inner();
    let staff = staff_writing(&ctx, &assembly).await?;
    let versions: Vec<String> = form
        .iter()
        .filter(|(k, _)| k == "ballot")
        .map(|(_, v)| v.clone())
        .collect();
    let state = ctx.state()?;
    let public_url = state.public_url.clone();
    let id = assembly.clone();
    db(state, move |store| {
        // Only this assembly's paper ballots are confirmed from its page.
        for version in &versions {
            let (v, _) = store.ballot_version(version)?;
            if store.item(&v.item_id)?.assembly_id != id {
                return Err(UseCaseError::invalid(
                    "ballot",
                    format!("paper ballot {version} is not of this assembly"),
                ));
            }
        }
        confirm_paper_sheet(store, &staff, &versions, &public_url)
    })
    .await?;
    Ok(ctx
        .redirect(&format!("/staff/assemblies/{assembly}/confirm?confirmed=1"))
        .finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_warning_says_what_paper_does_to_a_web_ballot() {
        assert_eq!(web_warning(&[], true, Lang::ZhCn), None);
        let online = [
            ("续聘物业".to_owned(), "2026-12-20T01:00:00Z".to_owned()),
            ("选举委员".to_owned(), "2026-12-20T02:30:00Z".to_owned()),
        ];
        let replaces = web_warning(&online, true, Lang::ZhCn).unwrap_or_default();
        // The latest web ballot, in Beijing time, is the one the paper must be later than.
        assert!(
            replaces.contains("续聘物业、选举委员；最后一次在 2026-12-20 10:30"),
            "{replaces}"
        );
        assert!(replaces.contains("将替换网上投票"), "{replaces}");
        let fixed = web_warning(&online, false, Lang::En).unwrap_or_default();
        assert!(
            fixed.contains("does not allow changing a ballot"),
            "{fixed}"
        );
    }
}
