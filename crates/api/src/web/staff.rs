//! Staff pages: sign in (the API's own sign-in), the estate's assemblies, and the dashboard of
//! an assembly: live turnout by building and zone against the quorum, and the members who have
//! not voted yet, by building, for the building leaders' round.

use std::collections::BTreeMap;

use actix_web::cookie::{SameSite, time};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use gongjue_domain::breakdown::GroupFigures;
use gongjue_domain::weight::{Measure, Weight};

use crate::auth::StaffCaller;
use crate::auth::caller::{caller_of_session, caller_of_token};
use crate::blocking::db;
use crate::blocking::run;
use crate::count;
use crate::error::ApiError;
use crate::i18n::Msg;
use crate::items::rule_of_json;
use crate::usecases::UseCaseError;
use crate::usecases::sessions::{self, LoginRequest};
use crate::usecases::setup::staff_assembly;
use crate::web::owner::local_time;
use crate::web::page::{Ctx, Form, Page, STAFF_COOKIE, field};
use crate::web::words::{area_words, bar, percent, rule_words};

/// The staff user of this browser's session, while the session is current
/// (`auth::revocation`).
pub async fn staff_of(ctx: &Ctx) -> Result<StaffCaller, ApiError> {
    let token = ctx
        .req
        .cookie(STAFF_COOKIE)
        .ok_or(ApiError::Unauthenticated)?;
    Ok(caller_of_session(ctx.state()?, token.value())
        .await?
        .staff()?)
}

/// The staff user of this session, allowed to change assembly `id` (a secretary or admin of its
/// estate). Every page that changes an assembly asks this first, before it reads the form or
/// applies any rule about the assembly's state, so that an auditor or another estate's staff
/// is refused (403) without learning anything about the assembly (such as "not closed yet").
pub async fn staff_writing(ctx: &Ctx, id: &str) -> Result<StaffCaller, ApiError> {
    let staff = staff_of(ctx).await?;
    let id = id.to_owned();
    db(ctx.state()?, move |store| {
        staff_assembly(store, &staff, &id, true)?;
        Ok(staff)
    })
    .await
}

#[derive(Template)]
#[template(path = "web/staff_login.html")]
struct LoginPage {
    p: Page,
    error: Option<&'static str>,
    login: String,
    /// The user holds roles in several estates: ask which.
    need_estate: bool,
}

pub async fn login_form(ctx: Ctx) -> Result<HttpResponse, ApiError> {
    ctx.ok(&LoginPage {
        p: ctx.page(Msg::WebStaffSignIn.text(ctx.lang)),
        error: None,
        login: String::new(),
        need_estate: false,
    })
}

pub async fn login(ctx: Ctx, form: Form) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let login = field(&form, "login").unwrap_or_default().trim().to_owned();
    let password = field(&form, "password").unwrap_or_default().to_owned();
    let estate_id = field(&form, "estate_id")
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .map(str::to_owned);
    let request = LoginRequest {
        login: login.clone(),
        password,
        estate_id,
    };
    let ip = ctx.state()?.trusted_proxies.client_of(&ctx.req);
    match run(ctx.state()?, move |app| {
        sessions::staff_sign_in(app, &ip, request)
    })
    .await
    {
        Ok(session) => {
            let mut builder = ctx.redirect("/staff");
            let age =
                time::Duration::seconds(i64::try_from(session.expires_in).unwrap_or(i64::MAX));
            builder.cookie(ctx.cookie(STAFF_COOKIE, session.token, SameSite::Strict, Some(age)));
            Ok(builder.finish())
        }
        Err(ApiError::UseCase(
            error @ (UseCaseError::BadCredentials
            | UseCaseError::TooManyAttempts
            | UseCaseError::Forbidden(_)
            | UseCaseError::Invalid { .. }),
        )) => {
            let (status, msg) = match error {
                UseCaseError::TooManyAttempts => {
                    (StatusCode::TOO_MANY_REQUESTS, Msg::TooManyAttempts)
                }
                UseCaseError::BadCredentials => (StatusCode::UNAUTHORIZED, Msg::BadCredentials),
                UseCaseError::Invalid { msg, .. } => (StatusCode::UNPROCESSABLE_ENTITY, msg),
                UseCaseError::Forbidden(msg) => (StatusCode::FORBIDDEN, msg),
                _ => (StatusCode::UNAUTHORIZED, Msg::BadCredentials),
            };
            let need_estate = msg == Msg::EstateChoiceNeeded || msg == Msg::OtherEstate;
            ctx.html(
                status,
                &LoginPage {
                    p: ctx.page(Msg::WebStaffSignIn.text(ctx.lang)),
                    error: Some(msg.text(ctx.lang)),
                    login,
                    need_estate,
                },
            )
        }
        Err(other) => Err(other),
    }
}

pub async fn sign_out(ctx: Ctx, form: Form) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    // The cookie's token stops working too, not only this browser's copy of it.
    if let Some(token) = ctx.req.cookie(STAFF_COOKIE)
        && let Ok(caller) = caller_of_token(ctx.state()?, token.value())
    {
        db(ctx.state()?, move |store| {
            sessions::sign_out(store, &caller, false)
        })
        .await?;
    }
    let mut builder = ctx.redirect("/staff/login");
    builder.cookie(ctx.removal(STAFF_COOKIE));
    Ok(builder.finish())
}

struct AssemblyRow {
    id: String,
    title: String,
    state: &'static str,
    opens_at: String,
    closes_at: String,
}

fn state_word(state: &str, lang: crate::i18n::Lang) -> &'static str {
    match state {
        "draft" => Msg::WebStateDraft.text(lang),
        "announced" => Msg::WebStateAnnounced.text(lang),
        "open" => Msg::WebStateOpen.text(lang),
        "closed" => Msg::WebStateClosed.text(lang),
        _ => Msg::WebStateCancelled.text(lang),
    }
}

#[derive(Template)]
#[template(path = "web/staff_assemblies.html")]
struct AssembliesPage {
    p: Page,
    estate: String,
    role: &'static str,
    rows: Vec<AssemblyRow>,
}

pub async fn assemblies(ctx: Ctx) -> Result<HttpResponse, ApiError> {
    let staff = staff_of(&ctx).await?;
    let estate_id = staff.estate.clone();
    let (estate, list) = db(ctx.state()?, move |store| {
        Ok((
            store.estate(&estate_id)?,
            store.estate_assemblies(&estate_id)?,
        ))
    })
    .await?;
    let rows = list
        .into_iter()
        .map(|a| AssemblyRow {
            state: state_word(&a.state, ctx.lang),
            opens_at: local_time(&a.opens_at),
            closes_at: local_time(&a.closes_at),
            id: a.id,
            title: a.title,
        })
        .collect();
    ctx.ok(&AssembliesPage {
        p: ctx.page(Msg::WebAssemblies.text(ctx.lang)),
        estate: estate.name,
        role: staff.role.as_str(),
        rows,
    })
}

/// One bar: a share of the total, with the quorum line drawn across it.
struct Bar {
    label: String,
    width: u64,
    figure: String,
    met: bool,
}

struct GroupRow {
    name: String,
    bars: Vec<Bar>,
}

struct ItemPanel {
    title: String,
    rule: String,
    /// Where the quorum line sits, in percent of the bar.
    quorum_at: u64,
    overall: Vec<Bar>,
    buildings: Vec<GroupRow>,
    zones: Vec<GroupRow>,
}

struct Missing {
    building: String,
    members: Vec<String>,
}

/// The quorum line: the item's participation threshold on area (in whole percent).
fn quorum_line(rule: &gongjue_domain::rule::Rule) -> u64 {
    rule.participation
        .iter()
        .find(|t| t.measure == Measure::Area)
        .map(|t| {
            let text = t.fraction.to_string();
            let (p, q) = text.split_once('/').unwrap_or(("0", "1"));
            let (p, q) = (
                p.parse::<u64>().unwrap_or(0),
                q.parse::<u64>().unwrap_or(1).max(1),
            );
            (p * 100).div_ceil(q)
        })
        .unwrap_or(0)
}

fn bars(lang: crate::i18n::Lang, participation: &Weight, totals: &Weight, quorum: u64) -> Vec<Bar> {
    let area = Bar {
        label: Msg::WebArea.text(lang).into(),
        width: bar(participation.area.cents(), totals.area.cents()),
        figure: format!(
            "{} / {} m² ({})",
            area_words(participation.area.cents()),
            area_words(totals.area.cents()),
            percent(participation.area.cents(), totals.area.cents())
        ),
        met: participation.area.cents() * 100 >= totals.area.cents() * quorum,
    };
    let heads = Bar {
        label: Msg::WebHeads.text(lang).into(),
        width: bar(participation.heads, totals.heads),
        figure: format!(
            "{} / {} ({})",
            participation.heads,
            totals.heads,
            percent(participation.heads, totals.heads)
        ),
        met: participation.heads * 100 >= totals.heads * quorum,
    };
    vec![area, heads]
}

fn groups(
    lang: crate::i18n::Lang,
    figures: &BTreeMap<String, GroupFigures>,
    quorum: u64,
) -> Vec<GroupRow> {
    figures
        .iter()
        .map(|(name, f)| GroupRow {
            name: name.clone(),
            bars: bars(lang, &f.participation, &f.totals, quorum),
        })
        .collect()
}

#[derive(Template)]
#[template(path = "web/staff_dashboard.html")]
struct DashboardPage {
    p: Page,
    id: String,
    title: String,
    state: &'static str,
    closes_at: String,
    items: Vec<ItemPanel>,
    missing: Vec<Missing>,
    missing_count: usize,
    /// While voting is open the page reloads itself every minute (no script needed).
    live: bool,
}

/// The dashboard of an assembly. Turnout only (who returned a ballot), never choices.
pub async fn dashboard(ctx: Ctx, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let staff = staff_of(&ctx).await?;
    let id = path.into_inner();
    let lang = ctx.lang;
    let (assembly, panels, missing) = db(ctx.state()?, move |store| {
        let assembly = store.assembly(&id)?;
        staff.reads(&assembly.estate_id)?;
        let mut panels = Vec::new();
        for item in store
            .items(&id)?
            .iter()
            .filter(|i| i.electorate_frozen_at.is_some())
        {
            let tally = count::tally_of(store, item)?;
            let breakdown = tally.breakdown();
            let (mut participation, mut totals) = (Weight::default(), Weight::default());
            for figures in breakdown.building.values() {
                participation.add(figures.participation);
                totals.add(figures.totals);
            }
            let rule = serde_json::from_str(&item.rule)
                .ok()
                .and_then(|r| rule_of_json(&r).ok());
            let quorum = rule.as_ref().map_or(0, quorum_line);
            panels.push(ItemPanel {
                title: item.title.clone(),
                rule: if item.kind == "consultation" {
                    Msg::WebConsultationRule.text(lang).to_owned()
                } else {
                    rule.as_ref()
                        .map(|r| rule_words(r, lang))
                        .unwrap_or_default()
                },
                quorum_at: quorum,
                overall: bars(lang, &participation, &totals, quorum),
                buildings: groups(lang, &breakdown.building, quorum),
                zones: groups(lang, &breakdown.zone, quorum)
                    .into_iter()
                    .filter(|g| !g.name.is_empty())
                    .collect(),
            });
        }
        // Members yet to vote, by building, with their units, for the door-to-door round.
        let yet = store.members_yet_to_vote(&id)?;
        let contacts = store.owner_contacts(&assembly.estate_id)?;
        let mut by_building: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for member in &yet {
            let contact = contacts.get(member);
            let units = contact.map(|c| c.units.clone()).unwrap_or_default();
            let name = contact.and_then(|c| c.name.clone()).unwrap_or_default();
            let building = units
                .first()
                .and_then(|u| u.split('-').next())
                .unwrap_or("?")
                .to_owned();
            by_building.entry(building).or_default().push(format!(
                "{} {} ({member})",
                units.join("、"),
                name
            ));
        }
        let missing: Vec<Missing> = by_building
            .into_iter()
            .map(|(building, members)| Missing { building, members })
            .collect();
        Ok((assembly, panels, missing))
    })
    .await?;
    let page = DashboardPage {
        p: ctx.page(assembly.title.clone()),
        live: assembly.state == "open",
        state: state_word(&assembly.state, lang),
        closes_at: local_time(&assembly.closes_at),
        missing_count: missing.iter().map(|m| m.members.len()).sum(),
        id: assembly.id,
        title: assembly.title,
        items: panels,
        missing,
    };
    ctx.ok(&page)
}
