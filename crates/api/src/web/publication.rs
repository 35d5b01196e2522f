//! The publication pages (询异公示), after closing. Owners: their record with receipts, the
//! objection form and their objections' answers, and the published per-unit list where they
//! find their receipt. Staff: the stage, the announcement, the objections queue with its
//! resolutions, the final publication and the signed exports.
//!
//! Every check and write is a use case the JSON API calls too (`crate::usecases::publication`,
//! `crate::usecases::exports`); these pages only read forms and render.

use std::collections::BTreeMap;

use actix_web::{HttpResponse, web};
use askama::Template;
use gongjue_store::publications::{Objection, Publication};
use serde_json::Value;

use crate::auth::{Caller, StaffCaller};
use crate::blocking::{db, run};
use crate::downloads::{
    announcement_csv_download, announcement_html_page, bundle_download, signature_download,
};
use crate::error::ApiError;
use crate::i18n::{Lang, Msg};
use crate::usecases::UseCaseError;
use crate::usecases::exports::stored;
use crate::usecases::publication::{
    self, ItemName, ObjectionRequest, OwnerRoll, OwnerView, ResolveRequest, StaffView,
    announcement, resolve_in,
};
use crate::web::figures::{self, Figures};
use crate::web::owner::{local_time, owner_of};
use crate::web::page::{Ctx, Form, Page, field};
use crate::web::staff::{staff_of, staff_writing};
use crate::web::words::{choice_words, short_receipt};

fn channel_word(channel: &str, lang: Lang) -> &'static str {
    match channel {
        "paper" => Msg::WebChannelPaper.text(lang),
        "proxy" => Msg::WebChannelProxy.text(lang),
        _ => Msg::WebChannelWeb.text(lang),
    }
}

fn status_word(status: &str, lang: Lang) -> &'static str {
    match status {
        "rejected" => Msg::WebPubStatusRejected.text(lang),
        "corrected" => Msg::WebPubStatusCorrected.text(lang),
        _ => Msg::WebPubStatusOpen.text(lang),
    }
}

/// "初步结果公示中。异议截止时间：DATE" or "最终结果已发布：DATE".
fn stage_words(p: &Publication, lang: Lang) -> String {
    match &p.final_at {
        Some(at) if p.is_final() => format!("{}{}", Msg::WebPubFinal.text(lang), local_time(at)),
        _ => format!(
            "{}{}",
            Msg::WebPubPreliminary.text(lang),
            local_time(&p.objections_until)
        ),
    }
}

/// An error of a form as one line: the message and what it names.
fn error_line(error: UseCaseError, lang: Lang) -> String {
    let (_, body) = ApiError::from(error).body(lang);
    let message = body
        .pointer("/error/message")
        .and_then(Value::as_str)
        .unwrap_or_default();
    match body.pointer("/error/detail").and_then(Value::as_str) {
        Some(detail) => format!("{message} ({detail})"),
        None => message.to_owned(),
    }
}

struct RecordView {
    item: String,
    title: String,
    units: String,
    recorded: Option<String>,
    counted: bool,
    receipt: String,
    full_receipt: String,
}

/// An objection as the pages show it.
pub struct ObjectionView {
    pub(crate) id: String,
    pub(crate) item: String,
    pub(crate) text: String,
    pub(crate) filed_at: String,
    pub(crate) open: bool,
    pub(crate) status: &'static str,
    pub(crate) reason: Option<String>,
    /// Staff only: who filed it, with their units.
    pub(crate) owner: String,
    /// Staff only: the unit for the correction's paper-ballot entry.
    pub(crate) unit: String,
    /// Staff only: the reason pre-set on the correction's paper-ballot entry.
    pub(crate) correction_reason: String,
    /// Staff only: the confirmed correction paper ballots that may resolve it.
    pub(crate) ballots: Vec<(String, String)>,
}

fn objection_view(o: &Objection, names: &BTreeMap<String, ItemName>, lang: Lang) -> ObjectionView {
    ObjectionView {
        id: o.id.clone(),
        item: names
            .get(&o.item_id)
            .map(|n| n.title.clone())
            .unwrap_or_default(),
        text: o.body.clone(),
        filed_at: local_time(&o.filed_at),
        open: o.status == "open",
        status: status_word(&o.status, lang),
        reason: o.reason.clone(),
        owner: String::new(),
        unit: String::new(),
        correction_reason: String::new(),
        ballots: Vec::new(),
    }
}

#[derive(Template)]
#[template(path = "web/publication.html")]
struct OwnerPage {
    p: Page,
    title: String,
    stage: String,
    records: Vec<RecordView>,
    /// The result of each of the owner's items, in figures against its rule.
    results: Vec<Figures>,
    /// Why no objection can be filed now; `None`: the form is shown.
    closed: Option<&'static str>,
    objections: Vec<ObjectionView>,
    text: String,
    error: Option<String>,
    notice: Option<&'static str>,
    /// Where each ballot's inclusion proof in the estate's log is served.
    proofs: String,
}

#[derive(serde::Deserialize)]
pub struct Filed {
    filed: Option<String>,
}

async fn owner_page(
    ctx: &Ctx,
    text: String,
    error: Option<String>,
    notice: Option<&'static str>,
) -> Result<HttpResponse, ApiError> {
    let owner = owner_of(ctx).await?;
    let lang = ctx.lang;
    let proofs = format!("/api/v1/estates/{}/log/receipts", owner.estate);
    let (view, results): (OwnerView, Vec<Figures>) = db(ctx.state()?, move |store| {
        let view = publication::owner_view(store, owner.clone())?;
        let items: Vec<(String, String)> = view
            .records
            .iter()
            .map(|r| (r.item.clone(), r.title.clone()))
            .collect();
        let results = figures::of_items(store, &Caller::Owner(owner), &items, lang)?;
        Ok((view, results))
    })
    .await?;
    let closed = view.closed.map(|m| m.text(lang));
    let records = view
        .records
        .into_iter()
        .map(|r| {
            let kind = view
                .items
                .get(&r.item)
                .map(|n| n.kind.as_str())
                .unwrap_or_default();
            let recorded = r.choice.as_ref().map(|c| {
                format!(
                    "{} · {}",
                    choice_words(kind, Some(c), lang),
                    channel_word(r.channel.as_deref().unwrap_or_default(), lang)
                )
            });
            let full_receipt = r.receipt.clone().unwrap_or_default();
            RecordView {
                receipt: short_receipt(&full_receipt),
                full_receipt,
                recorded,
                counted: r.counted,
                units: r.units.join("、"),
                title: r.title,
                item: r.item,
            }
        })
        .collect::<Vec<_>>();
    let objections = view
        .objections
        .iter()
        .map(|o| objection_view(o, &view.items, lang))
        .collect::<Vec<_>>();
    let status = if error.is_some() {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        actix_web::http::StatusCode::OK
    };
    let page = OwnerPage {
        p: ctx.page(Msg::WebPubTitle.text(lang)),
        title: view.assembly.title,
        stage: stage_words(&view.publication, lang),
        records,
        results,
        closed,
        objections,
        text,
        error,
        notice,
        proofs,
    };
    ctx.html(status, &page)
}

/// `GET /ballot/publication`: the owner's record, receipts, objections and the form.
pub async fn owner_record(ctx: Ctx, query: web::Query<Filed>) -> Result<HttpResponse, ApiError> {
    let notice = query
        .into_inner()
        .filed
        .map(|_| Msg::WebPubObjectionFiled.text(ctx.lang));
    owner_page(&ctx, String::new(), None, notice).await
}

/// `POST /ballot/objections`: files the objection through the use case the API calls; a text
/// it refuses shows the form again with the reason and the text kept.
pub async fn file_objection(ctx: Ctx, form: Form) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let owner = owner_of(&ctx).await?;
    let request = ObjectionRequest {
        item: field(&form, "item").unwrap_or_default().to_owned(),
        text: field(&form, "text").unwrap_or_default().to_owned(),
    };
    let text = request.text.clone();
    let filed = run(ctx.state()?, move |app| {
        let assembly = owner.assembly.clone();
        // An answer the form shows is the outcome here, not an error of the page.
        match publication::file_objection(app, Caller::Owner(owner), &assembly, request) {
            Ok(_) => Ok(None),
            Err(error @ UseCaseError::Invalid { .. }) => Ok(Some(error)),
            Err(other) => Err(other),
        }
    })
    .await?;
    match filed {
        None => Ok(ctx.redirect("/ballot/publication?filed=1").finish()),
        Some(error) => owner_page(&ctx, text, Some(error_line(error, ctx.lang)), None).await,
    }
}

#[derive(Clone)]
struct RollRow {
    /// The item's title, where rows of several items are listed together.
    item: String,
    unit: String,
    owner: String,
    voted: bool,
    channel: String,
    choice: String,
    receipt: String,
    full_receipt: String,
    mine: bool,
}

/// An item of the whole list: its title, its rows and the link that shows it.
struct RollItem {
    n: usize,
    title: String,
    rows: Vec<RollRow>,
}

/// A link of the list's item menu.
struct ItemLink {
    n: usize,
    title: String,
    current: bool,
}

/// Rows of one page of the whole list: 20 units are about two screens at 320 px.
const ROLL_PAGE: usize = 20;
/// Most rows a search shows: a longer list means the search should be narrower.
const ROLL_FOUND: usize = 50;

#[derive(Template)]
#[template(path = "web/roll.html")]
struct RollPage {
    p: Page,
    title: String,
    stage: String,
    public: bool,
    /// The owner's own units, every item: first on the page.
    mine: Vec<RollItem>,
    /// What the search typed (trimmed), empty without one.
    unit: String,
    found: Vec<RollRow>,
    /// Said when more matched than `found` shows.
    too_many: Option<String>,
    found_words: String,
    menu: Vec<ItemLink>,
    /// The item shown in the whole list, one page of it.
    shown: Option<RollItem>,
    page: usize,
    pages: usize,
    page_words: String,
}

/// `?unit=` searches by unit number; `?item=N&page=P` (from 1) pages the whole list. Anything
/// unreadable is the first item's first page, never an error.
#[derive(Debug, Default, serde::Deserialize)]
pub struct RollQuery {
    unit: Option<String>,
    item: Option<String>,
    page: Option<String>,
}

fn number(text: Option<&str>) -> usize {
    text.and_then(|t| t.trim().parse::<usize>().ok())
        .filter(|n| *n >= 1)
        .unwrap_or(1)
}

/// `GET /ballot/roll`: the published list, the same as the announcement's, made findable on a
/// phone: the owner's own units first, a search by unit number (a GET form), then the whole
/// list one item and one page at a time.
pub async fn owner_roll(ctx: Ctx, query: web::Query<RollQuery>) -> Result<HttpResponse, ApiError> {
    let owner = owner_of(&ctx).await?;
    let view: OwnerRoll = db(ctx.state()?, move |store| {
        publication::owner_roll(store, owner)
    })
    .await?;
    let lang = ctx.lang;
    let query = query.into_inner();
    let mine = &view.mine;
    let items: Vec<RollItem> = view
        .items
        .into_iter()
        .enumerate()
        .map(|(i, item)| RollItem {
            n: i + 1,
            rows: item
                .roll
                .iter()
                .map(|e| {
                    let full_receipt = e.receipt.clone().unwrap_or_default();
                    RollRow {
                        item: item.title.clone(),
                        mine: mine.contains(&e.unit),
                        unit: e.unit.clone(),
                        owner: e.owner.clone().unwrap_or_default(),
                        voted: e.voted,
                        channel: e
                            .channel
                            .as_deref()
                            .map(|c| channel_word(c, lang))
                            .unwrap_or_default()
                            .to_owned(),
                        choice: e
                            .choice
                            .as_ref()
                            .map(|c| choice_words(&item.kind, Some(c), lang))
                            .unwrap_or_default(),
                        receipt: short_receipt(&full_receipt),
                        full_receipt,
                    }
                })
                .collect(),
            title: item.title,
        })
        .collect();
    let own: Vec<RollItem> = items
        .iter()
        .map(|item| RollItem {
            n: item.n,
            title: item.title.clone(),
            rows: item.rows.iter().filter(|r| r.mine).cloned().collect(),
        })
        .filter(|item| !item.rows.is_empty())
        .collect();
    let unit = query.unit.as_deref().unwrap_or_default().trim().to_owned();
    let needle = unit.to_lowercase();
    let matching: Vec<&RollRow> = if needle.is_empty() {
        Vec::new()
    } else {
        items
            .iter()
            .flat_map(|item| &item.rows)
            .filter(|r| r.unit.to_lowercase().contains(&needle))
            .collect()
    };
    let found_words = if matching.is_empty() {
        Msg::WebRollNoMatch.text_with(lang, &[("unit", (&unit).into())])
    } else {
        Msg::WebRollFound.text_with(
            lang,
            &[("unit", (&unit).into()), ("n", matching.len().into())],
        )
    };
    let too_many = (matching.len() > ROLL_FOUND)
        .then(|| Msg::WebRollTooMany.text_with(lang, &[("n", ROLL_FOUND.into())]));
    let found = matching.into_iter().take(ROLL_FOUND).cloned().collect();
    let chosen = number(query.item.as_deref()).min(items.len().max(1));
    let menu = items
        .iter()
        .map(|item| ItemLink {
            n: item.n,
            title: item.title.clone(),
            current: item.n == chosen,
        })
        .collect();
    let mut page = number(query.page.as_deref());
    let mut pages = 1;
    let mut page_words = String::new();
    let shown = items.into_iter().find(|item| item.n == chosen).map(|item| {
        let total = item.rows.len();
        pages = total.div_ceil(ROLL_PAGE).max(1);
        page = page.min(pages);
        page_words = Msg::WebRollPage.text_with(
            lang,
            &[
                ("page", page.into()),
                ("pages", pages.into()),
                ("n", total.into()),
            ],
        );
        RollItem {
            rows: item
                .rows
                .into_iter()
                .skip((page - 1) * ROLL_PAGE)
                .take(ROLL_PAGE)
                .collect(),
            ..item
        }
    });
    ctx.ok(&RollPage {
        p: ctx.page(Msg::WebPubRollTitle.text(lang)),
        title: view.assembly.title,
        stage: stage_words(&view.publication, lang),
        public: view.public,
        mine: own,
        unit,
        found,
        too_many,
        found_words,
        menu,
        shown,
        page,
        pages,
        page_words,
    })
}

/// The publication part of the staff results page.
pub struct StaffSection {
    pub stage: String,
    pub is_final: bool,
    /// Why the final result cannot be published now (the refusal the button would get).
    pub blocker: Option<&'static str>,
    pub objections: Vec<ObjectionView>,
    /// Item id and title, for the download links.
    pub items: Vec<(String, String)>,
}

/// The staff section, or `None` for an assembly without a publication (closed before
/// publications existed).
pub async fn staff_section(
    ctx: &Ctx,
    staff: StaffCaller,
    id: String,
) -> Result<Option<StaffSection>, ApiError> {
    let lang = ctx.lang;
    let Some(view): Option<StaffView> = db(ctx.state()?, move |store| {
        publication::staff_view(store, staff, &id)
    })
    .await?
    else {
        return Ok(None);
    };
    let objections = view
        .objections
        .iter()
        .map(|s| {
            let o = &s.objection;
            let mut objection = objection_view(o, &view.item_names, lang);
            objection.owner = format!(
                "{} {} ({})",
                s.units.join("、"),
                s.name.clone().unwrap_or_default(),
                o.voter
            );
            objection.unit = s.unit.clone();
            if objection.open {
                let text: String = o.body.chars().take(200).collect();
                objection.correction_reason =
                    format!("{}{text}", Msg::WebPubCorrectionFor.text(lang));
                let kind = view
                    .item_names
                    .get(&o.item_id)
                    .map(|n| n.kind.clone())
                    .unwrap_or_default();
                objection.ballots = s
                    .corrections
                    .iter()
                    .map(|v| {
                        let choice: Value = serde_json::from_str(&v.choice).unwrap_or(Value::Null);
                        let label = format!(
                            "{} · {}",
                            choice_words(&kind, Some(&choice), lang),
                            local_time(&v.recorded_at)
                        );
                        (v.id.clone(), label)
                    })
                    .collect();
            }
            objection
        })
        .collect();
    Ok(Some(StaffSection {
        stage: stage_words(&view.publication, lang),
        is_final: view.publication.is_final(),
        blocker: view.blocker.map(|m| m.text(lang)),
        objections,
        items: view.exported,
    }))
}

/// `POST /staff/objections/{id}/resolve`: rejected or corrected, with a reason, through the
/// use case the API calls; back to the results page.
pub async fn resolve(
    ctx: Ctx,
    path: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let staff = staff_of(&ctx).await?;
    let id = path.into_inner();
    let body = ResolveRequest {
        resolution: field(&form, "resolution").unwrap_or_default().to_owned(),
        reason: field(&form, "reason").unwrap_or_default().to_owned(),
        ballot: field(&form, "ballot")
            .filter(|b| !b.is_empty())
            .map(str::to_owned),
    };
    let out = db(ctx.state()?, move |store| {
        resolve_in(store, &staff, &id, body)
    })
    .await?;
    Ok(ctx
        .redirect(&format!(
            "/staff/assemblies/{}/results?resolved=1#objections",
            out.assembly
        ))
        .finish())
}

/// `POST /staff/assemblies/{id}/publish`: the final publication, refused with the rule's own
/// message while the period runs or an objection is open.
pub async fn publish(
    ctx: Ctx,
    path: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    // Authorisation first: an auditor is refused (403) before `readable` or the publication's
    // rules could tell them the assembly's state (it answered 409 "not closed yet").
    let id = path.into_inner();
    let staff = staff_writing(&ctx, &id).await?;
    let assembly = id.clone();
    run(ctx.state()?, move |app| {
        publication::publish_final(app, Caller::Staff(staff), &assembly)
    })
    .await?;
    Ok(ctx
        .redirect(&format!(
            "/staff/assemblies/{id}/results?published=1#publication"
        ))
        .finish())
}

/// `GET /staff/assemblies/{id}/announcement.html`, in the page's language.
pub async fn announcement_page(
    ctx: Ctx,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let staff = staff_of(&ctx).await?;
    let (id, lang) = (path.into_inner(), ctx.lang);
    let a = db(ctx.state()?, move |store| {
        announcement(store, Caller::Staff(staff), &id, lang)
    })
    .await?;
    announcement_html_page(&a)
}

/// `GET /staff/assemblies/{id}/announcement.csv`, in the page's language.
pub async fn announcement_csv(ctx: Ctx, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let staff = staff_of(&ctx).await?;
    let (id, lang) = (path.into_inner(), ctx.lang);
    let a = db(ctx.state()?, {
        let id = id.clone();
        move |store| announcement(store, Caller::Staff(staff), &id, lang)
    })
    .await?;
    announcement_csv_download(&a, &id)
}

/// `GET /staff/items/{id}/export.json`: the signed bundle (after the final publication).
pub async fn export_bundle(ctx: Ctx, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let staff = staff_of(&ctx).await?;
    let id = path.into_inner();
    let state = ctx.state()?;
    let export = run(state, move |app| stored(app, Caller::Staff(staff), &id)).await?;
    Ok(bundle_download(state.store.clone(), export))
}

/// `GET /staff/items/{id}/export.json.jws`: its signature.
pub async fn export_signature(ctx: Ctx, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let staff = staff_of(&ctx).await?;
    let id = path.into_inner();
    let export = run(ctx.state()?, move |app| {
        stored(app, Caller::Staff(staff), &id)
    })
    .await?;
    Ok(signature_download(export))
}
