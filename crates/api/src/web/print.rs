//! Printing (A4, from the browser, which prints to PDF): the notice (公告) with the agenda and
//! the timetable, and one ballot sheet per member with their voting code and a QR code of the
//! link that signs them in (`/v/{code}`), for the members who have no code yet. Codes are
//! issued by the API's own function: a member with an e-mail address gets theirs only by
//! e-mail (their sheet shows none), and every code shown on a sheet is audited (`code.printed`)
//! and shown to the owner on their own ballot page.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};
use askama::Template;
use gongjue_store::notices::OwnerContact;
use qrcode::QrCode;
use qrcode::render::svg;
use serde_json::Value;

use crate::blocking::db;
use crate::blocking::run;
use crate::error::ApiError;
use crate::i18n::{Lang, Msg};
use crate::items::rule_of_json;
use crate::usecases::UseCaseError;
use crate::usecases::codes::issue_codes;
use crate::usecases::scope::{ItemScopes, VotingUnit};
use crate::web::owner::local_time;
use crate::web::page::{Ctx, Form, Page};
use crate::web::staff::{staff_of, staff_writing};
use crate::web::words::{area_words, item_rule_words};

/// The QR code of `text` as inline SVG (no image file, no external service).
pub fn qr_svg(text: &str) -> Result<String, ApiError> {
    let code = QrCode::new(text.as_bytes())
        .map_err(|e| UseCaseError::Internal(format!("QR code: {e}")))?;
    Ok(code
        .render::<svg::Color>()
        .min_dimensions(150, 150)
        .quiet_zone(true)
        .build())
}

/// An item as printed: its words, and the boxes to mark on paper.
// Kind, scope, body and the timetable were the notice's (now `web::notices`); kept for the sheets.
#[allow(dead_code)]
#[derive(Clone)]
struct PrintItem {
    id: String,
    title: String,
    body: String,
    kind: &'static str,
    rule: String,
    scope: String,
    note: String,
    boxes: Vec<String>,
    /// A consultation's questions, each with its note (how many options) and options.
    questions: Vec<PrintQuestion>,
    /// An election's candidates with the start of each statement, one line (empty otherwise).
    statements: String,
}

#[derive(Clone)]
struct PrintQuestion {
    text: String,
    note: String,
    options: Vec<String>,
}

/// A consultation's questions as printed.
fn print_questions(definition: &Value, lang: Lang) -> Vec<PrintQuestion> {
    definition
        .get("questions")
        .and_then(Value::as_array)
        .map(|qs| {
            qs.iter()
                .map(|q| {
                    let max = q.get("max_choices").and_then(Value::as_i64).unwrap_or(1);
                    PrintQuestion {
                        text: q
                            .get("id")
                            .and_then(Value::as_str)
                            .unwrap_or_default()
                            .to_owned(),
                        note: if max > 1 {
                            Msg::WebPickUpTo.text_with(lang, &[("n", max.into())])
                        } else {
                            Msg::WebSheetPickOne.text(lang).to_owned()
                        },
                        options: q
                            .get("options")
                            .and_then(Value::as_array)
                            .map(|o| {
                                o.iter()
                                    .filter_map(Value::as_str)
                                    .map(str::to_owned)
                                    .collect()
                            })
                            .unwrap_or_default(),
                    }
                })
                .collect()
        })
        .unwrap_or_default()
}

fn print_items(items: &[gongjue_store::assemblies::Item], lang: Lang) -> Vec<PrintItem> {
    items
        .iter()
        .map(|item| {
            let definition: Value = serde_json::from_str(&item.definition).unwrap_or_default();
            let (note, boxes) = match item.kind.as_str() {
                "motion" => {
                    let mut boxes = vec![
                        Msg::WebYes.text(lang).to_owned(),
                        Msg::WebNo.text(lang).to_owned(),
                        Msg::WebAbstain.text(lang).to_owned(),
                    ];
                    // 从众 with its meaning in plain words, printed under the boxes.
                    if crate::items::offers_follow(&definition) {
                        boxes.push(Msg::WebFollow.text(lang).to_owned());
                        (Msg::WebFollowExplain.text(lang).to_owned(), boxes)
                    } else {
                        (String::new(), boxes)
                    }
                }
                "election" => {
                    let seats = definition.get("seats").and_then(Value::as_u64).unwrap_or(0);
                    let mut boxes: Vec<String> = definition
                        .get("candidates")
                        .and_then(Value::as_array)
                        .map(|c| {
                            c.iter()
                                .filter_map(Value::as_str)
                                .map(str::to_owned)
                                .collect()
                        })
                        .unwrap_or_default();
                    boxes.push(Msg::WebAbstain.text(lang).to_owned());
                    (
                        Msg::WebMarkUpTo.text_with(lang, &[("n", seats.into())]),
                        boxes,
                    )
                }
                _ => (String::new(), Vec::new()),
            };
            let rule = serde_json::from_str(&item.rule)
                .ok()
                .and_then(|r| rule_of_json(&r).ok());
            PrintItem {
                id: item.id.clone(),
                questions: if item.kind == "consultation" {
                    print_questions(&definition, lang)
                } else {
                    Vec::new()
                },
                title: item.title.clone(),
                body: item.body.clone(),
                kind: match item.kind.as_str() {
                    "motion" => Msg::WebMotion.text(lang),
                    "election" => Msg::WebElection.text(lang),
                    _ => Msg::WebConsultation.text(lang),
                },
                rule: if item.kind == "consultation" {
                    Msg::WebConsultationRule.text(lang).to_owned()
                } else {
                    rule.as_ref()
                        .map(|r| item_rule_words(&item.kind, &definition, r, lang))
                        .unwrap_or_default()
                },
                scope: crate::web::setup::scope_words(
                    &serde_json::from_str(&item.scope).unwrap_or_default(),
                    lang,
                ),
                note,
                boxes,
                statements: String::new(),
            }
        })
        .collect()
}

/// Longest part of a statement a sheet prints.
const SHEET_STATEMENT_CHARS: usize = 14;

/// Each election's candidates with the start of their statements, in one line of small print
/// (the notice has them whole), so that a member's sheet stays on one A4 page.
fn add_statements(
    printed: &mut [PrintItem],
    items: &[gongjue_store::assemblies::Item],
    entries: &[crate::usecases::candidates::CandidateOut],
    lang: Lang,
) {
    for (print, item) in printed.iter_mut().zip(items) {
        let definition: Value = serde_json::from_str(&item.definition).unwrap_or_default();
        let views = crate::web::candidates::listed_views(&definition, &item.id, entries, lang);
        if views.is_empty() {
            continue;
        }
        let lines: Vec<String> = views
            .iter()
            .map(|c| {
                let flat = c.statement.replace(['\n', '\r'], " ");
                let mut statement: String = flat.chars().take(SHEET_STATEMENT_CHARS).collect();
                if flat.chars().count() > SHEET_STATEMENT_CHARS {
                    statement.push('…');
                }
                Msg::WebSheetStatement.text_with(
                    lang,
                    &[
                        ("name", c.name.as_str().into()),
                        ("statement", statement.as_str().into()),
                    ],
                )
            })
            .collect();
        print.statements = Msg::WebSheetStatements.text_with(
            lang,
            &[(
                "list",
                lines.join(Msg::ListSeparator.text(lang)).as_str().into(),
            )],
        );
    }
}

#[allow(dead_code)]
pub(crate) struct Loaded {
    estate: String,
    title: String,
    announced: String,
    opens: String,
    closes: String,
    items: Vec<PrintItem>,
    /// Who may vote on which item (`usecases::scope`): each sheet prints its member's only.
    scopes: ItemScopes,
}

async fn load(ctx: &Ctx, id: String) -> Result<Loaded, ApiError> {
    let staff = staff_of(ctx).await?;
    let lang = ctx.lang;
    db(ctx.state()?, move |store| {
        let assembly = store.assembly(&id)?;
        staff.reads(&assembly.estate_id)?;
        let estate = store.estate(&assembly.estate_id)?;
        let items = store.items(&id)?;
        let scopes = ItemScopes::load(store, &assembly.estate_id, &items)?;
        Ok(Loaded {
            scopes,
            estate: estate.name,
            announced: assembly
                .announced_at
                .as_deref()
                .map(local_time)
                .unwrap_or_default(),
            opens: local_time(&assembly.opens_at),
            closes: local_time(&assembly.closes_at),
            title: assembly.title,
            items: {
                let entries = store
                    .assembly_candidates(&id)?
                    .into_iter()
                    .map(crate::usecases::candidates::CandidateOut::try_from)
                    .collect::<Result<Vec<_>, _>>()?;
                let mut printed = print_items(&items, lang);
                add_statements(&mut printed, &items, &entries, lang);
                printed
            },
        })
    })
    .await
}

/// This site's address as the browser reached it, for the links printed on paper.
pub(crate) fn site(ctx: &Ctx) -> String {
    let info = ctx.req.connection_info();
    format!("{}://{}", info.scheme(), info.host())
}

#[derive(Template)]
#[template(path = "web/print.html")]
struct PrintPage {
    p: Page,
    id: String,
}

/// The print menu: the notice, and the ballot sheets behind a warning.
pub async fn menu(ctx: Ctx, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let staff = staff_of(&ctx).await?;
    let id = path.into_inner();
    // Only for an assembly of the signed-in estate (the web access matrix found this page open
    // to any staff member for any id).
    db(ctx.state()?, {
        let id = id.clone();
        move |store| staff.reads(&store.assembly(&id)?.estate_id)
    })
    .await?;
    ctx.ok(&PrintPage {
        p: ctx.page(Msg::WebPrint.text(ctx.lang)),
        id,
    })
}

pub(crate) struct Sheet {
    voter: String,
    member: String,
    /// The member's units that vote, each with its area (filled in when rendered).
    units: String,
    /// The items the member may vote on, as printed on their sheet (filled in when rendered).
    items: Vec<SheetItem>,
    /// Only for an owner without an e-mail address: the code printed on their sheet.
    code: Option<String>,
    link: String,
    qr: String,
}

/// A member's printed sheet: with their code and its QR link if the code reaches them on
/// paper, without it if it was e-mailed (never shown to staff).
pub(crate) fn sheet_for(
    site: &str,
    contacts: &BTreeMap<String, OwnerContact>,
    voter: &str,
    units: &[String],
    code: Option<String>,
) -> Result<Sheet, ApiError> {
    let (link, qr) = match &code {
        Some(code) => {
            let link = format!("{site}/v/{code}");
            let qr = qr_svg(&link)?;
            (link, qr)
        }
        None => (String::new(), String::new()),
    };
    Ok(Sheet {
        voter: voter.to_owned(),
        items: Vec::new(),
        member: contacts
            .get(voter)
            .and_then(|o| o.name.clone())
            .map_or_else(|| voter.to_owned(), |n| format!("{n} ({voter})")),
        units: units.join("、"),
        code,
        link,
        qr,
    })
}

/// An item on one member's sheet, and the units it counts for them when not all of theirs.
struct SheetItem {
    item: PrintItem,
    /// Said when the item's scope takes only some of the member's units (`按 3-1-101 计`).
    for_units: String,
}

/// Units with their areas: `1-1-101（89.50 m²）、1-2-301（120.00 m²）`.
fn units_words(units: &[VotingUnit], lang: Lang) -> String {
    let sep = if lang == Lang::ZhCn { "、" } else { ", " };
    units
        .iter()
        .map(|u| {
            let area = area_words(u.area_cents.unsigned_abs());
            if lang == Lang::ZhCn {
                format!("{}（{area} m²）", u.unit_number)
            } else {
                format!("{} ({area} m²)", u.unit_number)
            }
        })
        .collect::<Vec<_>>()
        .join(sep)
}

/// Puts on `sheet` its member's items (only those in their scope) and units with areas.
fn fill_sheet(sheet: &mut Sheet, a: &Loaded, lang: Lang) {
    let all = a.scopes.all_units_of(&sheet.voter);
    if !all.is_empty() {
        let total: i64 = all.iter().map(|u| u.area_cents).sum();
        sheet.units = format!(
            "{} · {}",
            units_words(&all, lang),
            Msg::WebSheetTotalArea.text_with(
                lang,
                &[("area", (&area_words(total.unsigned_abs())).into())]
            )
        );
    }
    sheet.items = a
        .items
        .iter()
        .filter(|i| a.scopes.covers(&i.id, &sheet.voter))
        .map(|i| {
            let units = a.scopes.units_of(&i.id, &sheet.voter);
            SheetItem {
                item: i.clone(),
                for_units: if units.len() < all.len() {
                    Msg::WebSheetForUnits.text_with(
                        lang,
                        &[(
                            "units",
                            (&units
                                .iter()
                                .map(|u| u.unit_number.as_str())
                                .collect::<Vec<_>>()
                                .join("、"))
                                .into(),
                        )],
                    )
                } else {
                    String::new()
                },
            }
        })
        .collect();
}

#[derive(Template)]
#[template(path = "web/sheets.html")]
pub(crate) struct SheetsPage {
    p: Page,
    a: Loaded,
    sheets: Vec<Sheet>,
    /// Where and by when a sheet goes back, printed at its foot.
    return_words: String,
    /// Said above the sheets (e.g. that a re-issued code replaces the old one).
    notice: Option<&'static str>,
}

impl SheetsPage {
    pub(crate) async fn render(
        ctx: &Ctx,
        id: String,
        sheets: Vec<Sheet>,
        notice: Option<&'static str>,
    ) -> Result<HttpResponse, ApiError> {
        let a = load(ctx, id).await?;
        let mut sheets = sheets;
        for sheet in &mut sheets {
            fill_sheet(sheet, &a, ctx.lang);
        }
        let return_words =
            Msg::WebSheetReturn.text_with(ctx.lang, &[("closes", (&a.closes).into())]);
        ctx.ok(&SheetsPage {
            p: ctx.page(Msg::WebSheetsHeading.text(ctx.lang)),
            return_words,
            a,
            sheets,
            notice,
        })
    }
}

/// Issues a code to every member who has none yet and prints their ballot sheets: a code
/// printed on a sheet (a member without an e-mail address) is shown this once and audited
/// (`code.printed`, also in the owner's own record); an e-mailed code is never shown. A member
/// who had a code gets a new one only through a confirmed re-issue.
pub async fn sheets(
    ctx: Ctx,
    path: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let id = path.into_inner();
    let staff = staff_writing(&ctx, &id).await?;
    let estate = staff.estate.clone();
    let issued = {
        let id = id.clone();
        run(ctx.state()?, move |app| issue_codes(app, &staff, &id, None)).await?
    };
    let contacts = db(
        ctx.state()?,
        move |store| Ok(store.owner_contacts(&estate)?),
    )
    .await?;
    let site = site(&ctx);
    let sheets = issued
        .into_iter()
        .map(|c| sheet_for(&site, &contacts, &c.voter, &c.units, c.code))
        .collect::<Result<Vec<_>, ApiError>>()?;
    let notice = sheets.is_empty().then(|| Msg::WebSheetsNone.text(ctx.lang));
    SheetsPage::render(&ctx, id, sheets, notice).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn motion(definition: &str) -> gongjue_store::assemblies::Item {
        gongjue_store::assemblies::Item {
            id: "m".into(),
            assembly_id: "a".into(),
            position: 0,
            kind: "motion".into(),
            title: "选聘新物业服务企业".into(),
            body: String::new(),
            matter: Some(4),
            rule: "\"ordinary\"".into(),
            scope: "{\"kind\":\"estate\"}".into(),
            definition: definition.into(),
            state: "draft".into(),
            roster_version_id: None,
            electorate_frozen_at: None,
            created_at: String::new(),
        }
    }

    /// The paper sheet prints 从众 as a fourth box, with what it means in plain words, only on
    /// a motion that offers it.
    #[test]
    fn the_sheet_prints_follow_with_its_meaning_where_offered() {
        let printed = print_items(
            &[motion("{\"follow_majority\":true}"), motion("{}")],
            Lang::ZhCn,
        );
        assert_eq!(printed[0].boxes, ["同意", "反对", "弃权", "从众"]);
        assert!(printed[0].note.contains("随其他参加表决业主的多数意见"));
        assert_eq!(printed[1].boxes, ["同意", "反对", "弃权"]);
        assert!(printed[1].note.is_empty());
    }
}
