//! Notices by e-mail, for the secretary: the notices page of an assembly (reminder round,
//! results by e-mail, the paper round for owners without an address, a preview of any
//! message) and the estate's outbox with the status of every message. Every action calls the
//! use cases the JSON API calls (`crate::usecases::notices`).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::blocking::db;
use crate::error::ApiError;
use crate::i18n::{Lang, Msg};
use crate::mail::compose::PaperOwner;
use crate::mail::render::Kind;
use crate::usecases::UseCaseError;
use crate::usecases::notices::{
    self, MemberLabel, NoticesOverview, OutboxQuery, PreviewQuery, RoundOut,
};
use crate::web::owner::local_time;
use crate::web::page::{Ctx, Form, Page};
use crate::web::staff::{staff_of, staff_writing};

const KINDS: [Kind; 5] = [
    Kind::Announcement,
    Kind::Invitation,
    Kind::Reminder,
    Kind::Result,
    Kind::BallotRecorded,
];

fn kind_of(text: &str) -> Option<Kind> {
    KINDS.into_iter().find(|k| k.as_str() == text)
}

struct Choice {
    value: String,
    label: String,
    selected: bool,
}

/// What a reminder round or the results by e-mail did.
struct RoundView {
    action: &'static str,
    queued: usize,
    emailed: usize,
    texted: usize,
}

struct PreviewView {
    subject: String,
    text: String,
    /// Shown in a sandboxed `<iframe srcdoc>`: escaped as an attribute, never inlined.
    html: String,
    recipient: Option<String>,
}

#[derive(Template)]
#[template(path = "web/notices.html")]
struct NoticesPage {
    p: Page,
    id: String,
    title: String,
    open: bool,
    closed: bool,
    can_write: bool,
    round: Option<RoundView>,
    error: Option<String>,
    paper: Vec<PaperOwner>,
    kinds: Vec<Choice>,
    members: Vec<Choice>,
    langs: Vec<Choice>,
    preview: Option<PreviewView>,
    /// What the next round would send (e-mails, SMS, held back, paper), in words.
    forecast: Option<String>,
}

/// The preview form's fields. `mail_lang`, not `lang`: `?lang=` switches the page's language.
#[derive(Debug, Default, Deserialize)]
pub struct PreviewForm {
    kind: Option<String>,
    member: Option<String>,
    mail_lang: Option<String>,
}

async fn page(
    ctx: &Ctx,
    id: String,
    form: PreviewForm,
    round: Option<RoundView>,
    error: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let staff = staff_of(ctx).await?;
    let lang = ctx.lang;
    let state = ctx.state()?;
    let public_url = state.public_url.clone();
    let NoticesOverview {
        assembly,
        can_write,
        paper,
        members,
        forecast,
    } = db(state, {
        let (staff, id, public_url) = (staff.clone(), id.clone(), public_url.clone());
        move |store| notices::notices_overview(store, &staff, &id, &public_url)
    })
    .await?;
    let kind = form.kind.as_deref().filter(|k| !k.is_empty());
    let member = form.member.as_deref().filter(|m| !m.is_empty());
    let mail_lang = form.mail_lang.as_deref().filter(|l| !l.is_empty());
    let mut error = error;
    let mut status = if error.is_some() {
        StatusCode::CONFLICT
    } else {
        StatusCode::OK
    };
    let mut preview = None;
    if let (Some(kind_text), Some(member)) = (kind, member) {
        let query = kind_of(kind_text)
            .map(|kind| PreviewQuery {
                kind,
                member: member.to_owned(),
                lang: mail_lang.map(str::to_owned),
            })
            .ok_or_else(|| {
                UseCaseError::invalid("kind", format!("`{kind_text}` is not a kind of notice"))
            });
        let outcome = match query {
            Ok(query) => {
                let (staff, id) = (staff.clone(), id.clone());
                // The use case's own refusals are shown on the page; others fail it.
                db(state, move |store| {
                    Ok(notices::preview_notice(
                        store,
                        &staff,
                        &id,
                        query,
                        &public_url,
                    ))
                })
                .await?
            }
            Err(e) => Err(e),
        };
        match outcome {
            Ok(out) => {
                preview = Some(PreviewView {
                    subject: out.message.subject,
                    text: out.message.text,
                    html: out.message.html,
                    recipient: out.recipient,
                })
            }
            Err(UseCaseError::Invalid { msg, field, detail }) => {
                error = Some(format!("{} ({field}: {detail})", msg.text(lang)));
                status = StatusCode::UNPROCESSABLE_ENTITY;
            }
            Err(UseCaseError::Rule(msg)) => {
                error = Some(msg.text(lang).to_owned());
                status = StatusCode::CONFLICT;
            }
            Err(other) => return Err(other.into()),
        }
    }
    let kinds = KINDS
        .into_iter()
        .map(|k| Choice {
            value: k.as_str().into(),
            label: k.subject().text(lang).into(),
            selected: kind == Some(k.as_str()),
        })
        .collect();
    let members = members
        .into_iter()
        .map(|MemberLabel { member: m, label }| Choice {
            selected: member == Some(m.as_str()),
            value: m,
            label,
        })
        .collect();
    let langs = [
        ("", Msg::WebMailOwnersLanguage.text(lang)),
        (Lang::ZhCn.tag(), "中文"),
        (Lang::En.tag(), "English"),
    ]
    .into_iter()
    .map(|(value, label)| Choice {
        value: value.into(),
        label: label.into(),
        selected: mail_lang.unwrap_or_default() == value,
    })
    .collect();
    let forecast = forecast.map(|f| {
        Msg::WebSmsForecast.text_with(
            lang,
            &[
                ("emails", f.emails.into()),
                ("texts", f.texts.into()),
                ("held", f.sms_held_back.into()),
                ("paper", f.paper.into()),
            ],
        )
    });
    let notices = NoticesPage {
        forecast,
        p: ctx.page(Msg::WebMailNotices.text(lang)),
        open: assembly.state == "open",
        closed: assembly.state == "closed",
        title: assembly.title,
        id,
        can_write,
        round,
        error,
        paper,
        kinds,
        members,
        langs,
        preview,
    };
    ctx.html(status, &notices)
}

/// `GET /staff/assemblies/{id}/notices`, with the preview form's fields when previewing.
pub async fn notices(
    ctx: Ctx,
    path: web::Path<String>,
    query: web::Query<PreviewForm>,
) -> Result<HttpResponse, ApiError> {
    page(&ctx, path.into_inner(), query.into_inner(), None, None).await
}

async fn round(
    ctx: Ctx,
    id: String,
    form: &Form,
    action: &'static str,
) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(form)?;
    let staff = staff_writing(&ctx, &id).await?;
    let state = ctx.state()?;
    let public_url = state.public_url.clone();
    let outcome = db(state, {
        let id = id.clone();
        move |store| {
            // The use case's own refusals are shown on the page; others fail it.
            Ok(if action == "remind" {
                notices::reminder_round(store, &staff, &id, &public_url)
            } else {
                notices::results_round(store, &staff, &id, &public_url)
            })
        }
    })
    .await?;
    match outcome {
        Ok(RoundOut {
            queued,
            emailed,
            texted,
            ..
        }) => {
            page(
                &ctx,
                id,
                PreviewForm::default(),
                Some(RoundView {
                    action,
                    queued,
                    emailed,
                    texted,
                }),
                None,
            )
            .await
        }
        Err(UseCaseError::Rule(msg)) => {
            page(
                &ctx,
                id,
                PreviewForm::default(),
                None,
                Some(msg.text(ctx.lang).to_owned()),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

/// `POST /staff/assemblies/{id}/notices/remind`: today's reminder round.
pub async fn remind(
    ctx: Ctx,
    path: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    round(ctx, path.into_inner(), &form, "remind").await
}

/// `POST /staff/assemblies/{id}/notices/results`: the results by e-mail, after closing.
pub async fn publish_results(
    ctx: Ctx,
    path: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    round(ctx, path.into_inner(), &form, "results").await
}

struct OutboxRow {
    kind: String,
    recipient: String,
    subject: String,
    status: &'static str,
    failed: bool,
    attempts: i32,
    last_error: String,
    created_at: String,
    sent_at: String,
    next_attempt_at: String,
    /// E-mail or SMS.
    channel: &'static str,
    /// The member it is addressed to, if personal.
    voter: String,
    /// Delivered (with when), not delivered, or unknown (no receipt).
    delivery: String,
}

#[derive(Template)]
#[template(path = "web/outbox.html")]
struct OutboxPage {
    p: Page,
    rows: Vec<OutboxRow>,
    failed: usize,
    statuses: Vec<Choice>,
    assembly: Option<String>,
}

/// The outbox page's filter (`lang` may ride along: it is the page's language).
#[derive(Debug, Deserialize)]
pub struct OutboxForm {
    status: Option<String>,
    assembly: Option<String>,
}

fn status_word(status: &str, lang: Lang) -> &'static str {
    match status {
        "sent" => Msg::WebMailSent.text(lang),
        "failed" => Msg::WebMailFailed.text(lang),
        _ => Msg::WebMailPending.text(lang),
    }
}

/// `GET /staff/outbox`: every message of the signed-in staff member's estate, oldest first.
pub async fn outbox(ctx: Ctx, query: web::Query<OutboxForm>) -> Result<HttpResponse, ApiError> {
    let staff = staff_of(&ctx).await?;
    let lang = ctx.lang;
    let query = query.into_inner();
    let status = query.status.filter(|s| !s.is_empty());
    let assembly = query.assembly.filter(|a| !a.is_empty());
    let query = OutboxQuery {
        status: status.clone(),
        assembly: assembly.clone(),
        limit: None,
        offset: None,
    };
    let items = db(ctx.state()?, move |store| {
        notices::whole_outbox(store, &staff, &staff.estate, query)
    })
    .await?;
    let when = |at: Option<String>| at.as_deref().map(local_time).unwrap_or_default();
    let rows: Vec<OutboxRow> = items
        .into_iter()
        .map(|e| OutboxRow {
            kind: kind_of(&e.kind)
                .map_or_else(|| e.kind.clone(), |k| k.subject().text(lang).to_owned()),
            status: status_word(&e.status, lang),
            failed: e.status == "failed",
            // Emptied once the contact data's retention period is over.
            recipient: if e.recipient.is_empty() {
                Msg::PrivacyErasedRecipient.text(lang).to_owned()
            } else {
                e.recipient
            },
            channel: if e.channel == gongjue_store::outbox::SMS {
                Msg::WebSmsChannelSms.text(lang)
            } else {
                Msg::WebSmsChannelEmail.text(lang)
            },
            voter: e.member.clone().unwrap_or_default(),
            delivery: match (e.delivery.as_deref(), &e.delivered_at) {
                (Some("delivered"), Some(at)) => {
                    format!("{} {}", Msg::WebSmsDelivered.text(lang), local_time(at))
                }
                (Some("failed"), _) => Msg::WebSmsUndelivered.text(lang).to_owned(),
                _ => Msg::WebSmsUnknown.text(lang).to_owned(),
            },
            // An SMS's subject is its template's name, which the kind column says already.
            subject: if e.channel == gongjue_store::outbox::SMS {
                String::new()
            } else {
                e.subject
            },
            attempts: e.attempts,
            last_error: e.last_error.unwrap_or_default(),
            created_at: local_time(&e.created_at),
            sent_at: when(e.sent_at),
            next_attempt_at: when(e.next_attempt_at),
        })
        .collect();
    let statuses = [
        ("", Msg::WebMailAll),
        ("pending", Msg::WebMailPending),
        ("sent", Msg::WebMailSent),
        ("failed", Msg::WebMailFailed),
    ]
    .into_iter()
    .map(|(value, msg)| Choice {
        value: value.into(),
        label: msg.text(lang).into(),
        selected: status.as_deref().unwrap_or_default() == value,
    })
    .collect();
    let failed = rows.iter().filter(|r| r.failed).count();
    ctx.ok(&OutboxPage {
        p: ctx.page(Msg::WebMailOutbox.text(lang)),
        rows,
        failed,
        statuses,
        assembly,
    })
}

/// A question of a consultation as the notice prints it.
struct NoticeQuestion {
    text: String,
    /// "最多可选 2 项", empty for a single choice.
    note: String,
    options: Vec<String>,
}

/// An item as the notice prints it: who votes on it, what is asked, and its rule.
struct NoticeItem {
    title: String,
    kind: &'static str,
    /// "全体业主表决" or "仅 3 号楼业主表决".
    scope: String,
    body: String,
    /// An election's heading of its candidates ("候选人（应选 2 人）："), empty otherwise.
    candidates_note: String,
    /// An election's candidates, "王一、李二、赵三".
    candidates: String,
    questions: Vec<NoticeQuestion>,
    rule: String,
    /// A motion offering 从众: what that choice means, in plain words; empty otherwise.
    follow: String,
    /// Its documents, each with its hash and a QR code of its address.
    documents: Vec<NoticeDocument>,
    /// An election's candidates with their statements, from the register.
    candidate_entries: Vec<crate::web::candidates::CandidateView>,
}

struct NoticeDocument {
    words: String,
    url: String,
    sha256: String,
    /// SVG.
    qr: String,
}

#[derive(Template)]
#[template(path = "web/notice.html")]
struct NoticePage {
    p: Page,
    estate: String,
    title: String,
    announced: String,
    opens: String,
    closes: String,
    /// Voting was extended: from and to when, and why (issue 19).
    extended: Option<String>,
    items: Vec<NoticeItem>,
    site: String,
    /// "某某小区业主大会 / 业主委员会".
    issuer: String,
    /// The day of the notice in Beijing time.
    date: String,
    /// "咨询电话：…", when the estate has a contact phone.
    contact: Option<String>,
    /// The log's newest checkpoint, with its QR code (issue 18).
    checkpoint: Option<crate::web::log::CheckpointBox>,
}

fn strings(value: Option<&serde_json::Value>) -> Vec<String> {
    value
        .and_then(serde_json::Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(serde_json::Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Who votes on an item, as the notice says it: "仅 3 号楼业主表决" for an item of one building.
pub(crate) fn notice_scope(scope: &serde_json::Value, lang: Lang) -> String {
    let sep = Msg::ListSeparator.text(lang);
    let list = |key: &str| strings(scope.get(key)).join(sep);
    match scope.get("kind").and_then(serde_json::Value::as_str) {
        Some("buildings") => {
            Msg::WebNoticeScopeBuildings.text_with(lang, &[("list", (&list("buildings")).into())])
        }
        Some("zones") => {
            Msg::WebNoticeScopeZones.text_with(lang, &[("list", (&list("zones")).into())])
        }
        Some("stairwells") => {
            let stairwells = scope
                .get("stairwells")
                .and_then(serde_json::Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(|s| {
                            let field = |k: &str| {
                                s.get(k)
                                    .and_then(serde_json::Value::as_str)
                                    .unwrap_or_default()
                            };
                            Msg::WebNoticeStairwell.text_with(
                                lang,
                                &[
                                    ("building", field("building").into()),
                                    ("stairwell", field("stairwell").into()),
                                ],
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(sep)
                })
                .unwrap_or_default();
            Msg::WebNoticeScopeStairwells.text_with(lang, &[("list", (&stairwells).into())])
        }
        _ => Msg::WebNoticeScopeAll.text(lang).to_owned(),
    }
}

fn notice_item(item: &gongjue_store::assemblies::Item, lang: Lang) -> NoticeItem {
    let definition: serde_json::Value = serde_json::from_str(&item.definition).unwrap_or_default();
    let (kind, rule) = match item.kind.as_str() {
        "consultation" => (
            Msg::WebConsultation.text(lang),
            Msg::WebConsultationRule.text(lang).to_owned(),
        ),
        kind => (
            if kind == "election" {
                Msg::WebElection.text(lang)
            } else {
                Msg::WebMotion.text(lang)
            },
            serde_json::from_str(&item.rule)
                .ok()
                .and_then(|r| crate::items::rule_of_json(&r).ok())
                .map(|r| crate::web::words::item_rule_words(&item.kind, &definition, &r, lang))
                .unwrap_or_default(),
        ),
    };
    let (candidates_note, candidates) = if item.kind == "election" {
        let seats = definition
            .get("seats")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(0);
        (
            Msg::WebNoticeCandidates.text_with(lang, &[("n", seats.into())]),
            strings(definition.get("candidates")).join(Msg::ListSeparator.text(lang)),
        )
    } else {
        (String::new(), String::new())
    };
    let questions = definition
        .get("questions")
        .and_then(serde_json::Value::as_array)
        .map(|qs| {
            qs.iter()
                .enumerate()
                .map(|(i, q)| {
                    let question = q
                        .get("id")
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or_default();
                    let max = q
                        .get("max_choices")
                        .and_then(serde_json::Value::as_u64)
                        .unwrap_or(1);
                    NoticeQuestion {
                        text: Msg::WebNoticeQuestion.text_with(
                            lang,
                            &[("n", (i + 1).into()), ("question", question.into())],
                        ),
                        note: if max > 1 {
                            Msg::WebNoticeMaxChoices.text_with(lang, &[("n", max.into())])
                        } else {
                            String::new()
                        },
                        options: strings(q.get("options")),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    NoticeItem {
        title: item.title.clone(),
        kind,
        scope: notice_scope(&serde_json::from_str(&item.scope).unwrap_or_default(), lang),
        body: item.body.clone(),
        candidates_note,
        candidates,
        questions,
        rule,
        documents: Vec::new(),
        candidate_entries: Vec::new(),
        follow: if crate::items::offers_follow(&definition) {
            Msg::WebFollowExplain.text(lang).to_owned()
        } else {
            String::new()
        },
    }
}

/// The day of a stored time in Beijing time (`2026-12-09`).
fn beijing_day(stored: &str) -> String {
    local_time(stored)
        .split_once(' ')
        .map_or_else(|| stored.to_owned(), |(day, _)| day.to_owned())
}

/// `GET /staff/assemblies/{id}/notice`: the notice (公告) to print and post: the agenda with
/// who votes on each item, each consultation's questions and options, the rules, the
/// timetable in Beijing time, the issuer, the date and whom to ask. No internal ids.
pub async fn notice(ctx: Ctx, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let staff = staff_of(&ctx).await?;
    let lang = ctx.lang;
    let id = path.into_inner();
    let page = db(ctx.state()?, move |store| {
        let assembly = store.assembly(&id)?;
        staff.reads(&assembly.estate_id)?;
        let estate = store.estate(&assembly.estate_id)?;
        let items = store.items(&id)?;
        let date = beijing_day(
            &assembly
                .announced_at
                .clone()
                .unwrap_or_else(|| gongjue_store::timestamp(chrono::Utc::now())),
        );
        let documents: Vec<crate::usecases::documents::DocumentOut> = store
            .assembly_documents(&id)?
            .into_iter()
            .map(Into::into)
            .collect();
        let extensions: Vec<crate::usecases::extension::ExtensionOut> =
            store.extensions(&id)?.into_iter().map(Into::into).collect();
        let candidates = store
            .assembly_candidates(&id)?
            .into_iter()
            .map(crate::usecases::candidates::CandidateOut::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        let mut notice_items: Vec<NoticeItem> =
            items.iter().map(|i| notice_item(i, lang)).collect();
        for (notice, item) in notice_items.iter_mut().zip(&items) {
            let definition: serde_json::Value =
                serde_json::from_str(&item.definition).unwrap_or_default();
            notice.candidate_entries =
                crate::web::candidates::listed_views(&definition, &item.id, &candidates, lang);
        }
        Ok((
            estate,
            assembly,
            notice_items,
            date,
            crate::web::owner::extended_words(&extensions, lang),
            documents,
            items.iter().map(|i| i.id.clone()).collect::<Vec<_>>(),
        ))
    })
    .await?;
    let (estate, assembly, mut items, date, extended, documents, ids) = page;
    // Each document under its item, with a QR code of its address on this site.
    let site = crate::web::print::site(&ctx);
    for (item, id) in items.iter_mut().zip(&ids) {
        for d in documents.iter().filter(|d| &d.item == id) {
            let url = format!("{site}{}", d.url);
            item.documents.push(NoticeDocument {
                words: crate::web::documents::DocLine::of(d, lang).words,
                qr: crate::web::print::qr_svg(&url)?,
                sha256: d.sha256.clone(),
                url,
            });
        }
    }
    let checkpoint = crate::web::log::newest(&ctx, &estate.id, true).await?;
    let contact = estate
        .contact_phone
        .clone()
        .map(|phone| Msg::WebNoticeContact.text_with(lang, &[("phone", (&phone).into())]));
    ctx.ok(&NoticePage {
        p: ctx.page(Msg::WebNotice.text(lang)),
        issuer: Msg::WebNoticeIssuer.text_with(lang, &[("estate", (&estate.name).into())]),
        estate: estate.name,
        title: assembly.title,
        announced: assembly
            .announced_at
            .as_deref()
            .map(local_time)
            .unwrap_or_default(),
        opens: local_time(&assembly.opens_at),
        closes: local_time(&assembly.closes_at),
        extended,
        items,
        site: crate::web::print::site(&ctx),
        date: Msg::WebNoticeDate.text_with(lang, &[("date", (&date).into())]),
        contact,
        checkpoint,
    })
}
