//! The dashboard of an assembly (issue 21, point 12): one compact table of the items' turnout
//! against their quorum (exact verdict, rounded percentages for reading, what is still missing),
//! one table of members by building with a footnote on owners of several buildings, and the
//! members who have not voted yet as a print page and a CSV. Reloaded by a plain link, never by
//! `<meta refresh>`; the time of the figures is shown in Beijing time.

use actix_web::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::Utc;
use gongjue_domain::weight::Measure;

use crate::blocking::db;
use crate::csv_out::InertCsv;
use crate::error::ApiError;
use crate::i18n::{Lang, Msg};
use crate::usecases::dashboard::{self, ItemBoard, NotVoted};
use crate::usecases::{Caller, UseCaseError, extension};
use crate::web::owner::local_time;
use crate::web::page::{Ctx, Page};
use crate::web::staff::{staff_of, state_word};
use crate::web::words::{percent, rule_words};

/// `1234567` as `1,234,567` (figures a secretary compares at a glance).
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// An area in hundredths of m² as `1,034.50`.
pub fn grouped_area(cents: u64) -> String {
    format!("{}.{:02}", grouped(cents / 100), cents % 100)
}

/// "12 户 / 1,034.50 m²": the further heads (units) and area an item still needs.
fn missing_words(missing: &[(Measure, u64)], lang: Lang) -> String {
    // Heads first, as a secretary says it: "还差 12 户 / 1,034.50 m²".
    let mut missing = missing.to_vec();
    missing.sort_by_key(|(m, _)| match m {
        Measure::Heads => 0,
        Measure::Units => 1,
        Measure::Area => 2,
    });
    let parts: Vec<String> = missing
        .iter()
        .map(|(measure, amount)| match measure {
            Measure::Area => format!("{} m²", grouped_area(*amount)),
            Measure::Heads => {
                Msg::WebDashHeadsCount.text_with(lang, &[("n", (&grouped(*amount)).into())])
            }
            Measure::Units => {
                Msg::WebDashUnitsCount.text_with(lang, &[("n", (&grouped(*amount)).into())])
            }
        })
        .collect();
    Msg::WebDashMissing.text_with(lang, &[("what", (&parts.join(" / ")).into())])
}

struct ItemRow {
    title: String,
    area_percent: String,
    area_figure: String,
    heads_percent: String,
    heads_figure: String,
    met: bool,
    verdict: String,
    rule: String,
}

fn item_row(item: &ItemBoard, lang: Lang) -> ItemRow {
    let (p, t) = (&item.participation, &item.totals);
    let verdict = if item.quorum.is_empty() {
        "—".to_owned()
    } else if item.met {
        Msg::WebDashMet.text(lang).to_owned()
    } else {
        missing_words(&item.missing, lang)
    };
    ItemRow {
        title: item.title.clone(),
        area_percent: percent(p.area.cents(), t.area.cents()),
        area_figure: format!(
            "{} / {} m²",
            grouped_area(p.area.cents()),
            grouped_area(t.area.cents())
        ),
        heads_percent: percent(p.heads, t.heads),
        heads_figure: format!("{} / {}", grouped(p.heads), grouped(t.heads)),
        met: item.met && !item.quorum.is_empty(),
        verdict,
        rule: if item.reference_only {
            Msg::WebDashReference.text(lang).to_owned()
        } else {
            item.rule
                .as_ref()
                .map(|r| rule_words(r, lang))
                .unwrap_or_default()
        },
    }
}

struct BuildingLine {
    building: String,
    members: String,
    not_voted: String,
    voted_percent: String,
}

struct MissingGroup {
    building: String,
    members: Vec<String>,
}

fn who(m: &NotVoted, lang: Lang) -> String {
    format!(
        "{} {} ({})",
        m.units.join(Msg::ListSeparator.text(lang)),
        m.name.as_deref().unwrap_or(""),
        m.owner_id
    )
}

fn by_building(list: &[NotVoted], lang: Lang) -> Vec<MissingGroup> {
    let mut groups: Vec<MissingGroup> = Vec::new();
    for m in list {
        match groups.last_mut() {
            Some(g) if g.building == m.building => g.members.push(who(m, lang)),
            _ => groups.push(MissingGroup {
                building: m.building.clone(),
                members: vec![who(m, lang)],
            }),
        }
    }
    groups
}

#[derive(Template)]
#[template(path = "web/staff_dashboard.html")]
struct DashboardPage {
    p: Page,
    id: String,
    title: String,
    state: &'static str,
    closes_at: String,
    figures_at: String,
    items: Vec<ItemRow>,
    buildings: Vec<BuildingLine>,
    members: String,
    not_voted: String,
    voted_percent: String,
    /// The building rows add up to more than the total: some owners hold units in several.
    building_note: Option<String>,
    missing: Vec<MissingGroup>,
    missing_count: usize,
    /// Extended: the original closing time, and the extension in words.
    original_close: Option<String>,
    extended: Option<String>,
    /// The extension form, while voting is open and the caller may change the assembly
    /// (`latest`: the latest closing time the rules allow, in words).
    extend: Option<ExtendForm>,
}

/// The form that extends voting, with what was typed and why it was refused.
#[derive(Default)]
struct ExtendForm {
    closes_at: String,
    reason: String,
    latest: String,
    error: Option<String>,
}

/// The time the figures were read, as the page shows it.
fn now_in_beijing() -> String {
    local_time(&Utc::now().to_rfc3339())
}

/// The dashboard of an assembly. Turnout only (who returned a ballot), never choices.
pub async fn dashboard(ctx: Ctx, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    dashboard_page(&ctx, path.into_inner(), None).await
}

/// `POST /staff/assemblies/{id}/extend`: extends voting (new closing time typed in Beijing
/// time, and the reason every owner is told). A refusal is shown on the dashboard, with what
/// was typed kept.
pub async fn extend(
    ctx: Ctx,
    path: web::Path<String>,
    form: crate::web::page::Form,
) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let id = path.into_inner();
    let staff = crate::web::staff::staff_writing(&ctx, &id).await?;
    let typed = ExtendForm {
        closes_at: crate::web::page::field(&form, "closes_at")
            .unwrap_or_default()
            .to_owned(),
        reason: crate::web::page::field(&form, "reason")
            .unwrap_or_default()
            .to_owned(),
        ..ExtendForm::default()
    };
    let Some(closes_at) = crate::web::setup::beijing_rfc3339(&typed.closes_at) else {
        let error = Some(Msg::WebFormDateTime.text(ctx.lang).to_owned());
        return dashboard_page(&ctx, id, Some(ExtendForm { error, ..typed })).await;
    };
    let request = extension::ExtendRequest {
        closes_at,
        reason: typed.reason.clone(),
    };
    let public_url = ctx.state()?.public_url.clone();
    let assembly = id.clone();
    let done = db(ctx.state()?, move |store| {
        extension::extend(store, &staff, &assembly, request, &public_url)
    })
    .await;
    match done {
        Ok(_) => Ok(ctx
            .redirect(&format!("/staff/assemblies/{id}#closing"))
            .finish()),
        Err(ApiError::UseCase(
            UseCaseError::Invalid { msg, .. }
            | UseCaseError::Rule(msg)
            | UseCaseError::RuleInState { msg, .. },
        )) => {
            let error = Some(msg.text(ctx.lang).to_owned());
            dashboard_page(&ctx, id, Some(ExtendForm { error, ..typed })).await
        }
        Err(e) => Err(e),
    }
}

async fn dashboard_page(
    ctx: &Ctx,
    id: String,
    typed: Option<ExtendForm>,
) -> Result<HttpResponse, ApiError> {
    let staff = staff_of(ctx).await?;
    let lang = ctx.lang;
    let figures_at = now_in_beijing();
    let may_extend = staff.writes(&staff.estate).is_ok();
    let (board, list, closing) = db(ctx.state()?, move |store| {
        let board = dashboard::board(store, &staff, &id)?;
        let (_, list) = dashboard::not_voted(store, &staff, &id)?;
        let closing = extension::extensions(store, &Caller::Staff(staff), &id)?;
        Ok((board, list, closing))
    })
    .await?;
    let status = if typed.as_ref().is_some_and(|t| t.error.is_some()) {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        actix_web::http::StatusCode::OK
    };
    let extend = (board.assembly.state == "open" && may_extend).then(|| ExtendForm {
        latest: Msg::WebExtendLatest.text_with(
            lang,
            &[("at", (&local_time(&closing.latest_closes_at)).into())],
        ),
        ..typed.unwrap_or_default()
    });
    let extended = crate::web::owner::extended_words(&closing.extensions, lang);
    let original_close = extended.is_some().then(|| {
        Msg::WebOriginalClose.text_with(
            lang,
            &[("at", (&local_time(&closing.original_closes_at)).into())],
        )
    });
    let sum: u64 = board.buildings.iter().map(|b| b.members).sum();
    let building_note = (sum > board.members).then(|| {
        Msg::WebDashBuildingNote.text_with(
            lang,
            &[
                ("sum", (&grouped(sum)).into()),
                ("total", (&grouped(board.members)).into()),
            ],
        )
    });
    let page = DashboardPage {
        p: ctx.page(board.assembly.title.clone()),
        state: state_word(&board.assembly.state, lang),
        closes_at: local_time(&board.assembly.closes_at),
        figures_at,
        items: board.items.iter().map(|i| item_row(i, lang)).collect(),
        buildings: board
            .buildings
            .iter()
            .map(|b| BuildingLine {
                building: b.building.clone(),
                members: grouped(b.members),
                not_voted: grouped(b.not_voted),
                voted_percent: percent(b.members - b.not_voted.min(b.members), b.members),
            })
            .collect(),
        members: grouped(board.members),
        not_voted: grouped(board.not_voted),
        voted_percent: percent(
            board.members - board.not_voted.min(board.members),
            board.members,
        ),
        building_note,
        missing_count: list.len(),
        missing: by_building(&list, lang),
        original_close,
        extended,
        extend,
        id: board.assembly.id,
        title: board.assembly.title,
    };
    ctx.html(status, &page)
}

struct NotVotedLine {
    building: String,
    units: String,
    name: String,
    owner_id: String,
}

#[derive(Template)]
#[template(path = "web/not_voted.html")]
struct NotVotedPage {
    p: Page,
    id: String,
    title: String,
    figures_at: String,
    rows: Vec<NotVotedLine>,
}

fn lines(list: Vec<NotVoted>, lang: Lang) -> Vec<NotVotedLine> {
    list.into_iter()
        .map(|m| NotVotedLine {
            building: m.building,
            units: m.units.join(Msg::ListSeparator.text(lang)),
            name: m.name.unwrap_or_default(),
            owner_id: m.owner_id,
        })
        .collect()
}

/// `GET /staff/assemblies/{id}/not-voted`: the members yet to vote, as a page to print for the
/// building leaders' round (with a column to note the visit).
pub async fn not_voted_page(ctx: Ctx, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let staff = staff_of(&ctx).await?;
    let id = path.into_inner();
    let figures_at = now_in_beijing();
    let (assembly, list) = db(ctx.state()?, move |store| {
        dashboard::not_voted(store, &staff, &id)
    })
    .await?;
    let page = NotVotedPage {
        p: ctx.page(format!(
            "{} · {}",
            assembly.title,
            Msg::WebNotVotedYet.text(ctx.lang)
        )),
        id: assembly.id,
        title: assembly.title,
        figures_at,
        rows: lines(list, ctx.lang),
    };
    ctx.ok(&page)
}

/// `GET /staff/assemblies/{id}/not-voted.csv`: the same list as a spreadsheet (UTF-8 with a
/// BOM; every cell inert). Who has not voted, never how anyone voted.
pub async fn not_voted_csv(ctx: Ctx, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let staff = staff_of(&ctx).await?;
    let id = path.into_inner();
    let lang = ctx.lang;
    let (assembly, list) = db(ctx.state()?, move |store| {
        dashboard::not_voted(store, &staff, &id)
    })
    .await?;
    let internal = |e: csv::Error| ApiError::from(UseCaseError::Internal(e.to_string()));
    let mut csv = InertCsv::new();
    csv.record([
        Msg::WebBuilding.text(lang),
        Msg::WebDashUnits.text(lang),
        Msg::WebDashOwnerName.text(lang),
        Msg::WebDashOwnerId.text(lang),
    ])
    .map_err(internal)?;
    for line in lines(list, lang) {
        csv.record([line.building, line.units, line.name, line.owner_id])
            .map_err(internal)?;
    }
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend(csv.finish().map_err(internal)?);
    Ok(ctx
        .finish(HttpResponse::Ok())
        .insert_header((CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"not-voted-{}.csv\"", assembly.id),
        ))
        .insert_header(("cache-control", "no-store"))
        .body(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_grouped_by_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(315), "315");
        assert_eq!(grouped(1034), "1,034");
        assert_eq!(grouped(1_234_567), "1,234,567");
        assert_eq!(grouped_area(103_450), "1,034.50");
        assert_eq!(grouped_area(5), "0.05");
        assert_eq!(
            missing_words(
                &[(Measure::Area, 103_450), (Measure::Heads, 12)],
                Lang::ZhCn
            ),
            "还差 12 户 / 1,034.50 m²"
        );
    }
}
