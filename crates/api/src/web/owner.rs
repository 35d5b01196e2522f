//! The owners' pages: sign in with the code (typed on `/vote` or the QR link `/v/{code}`), the
//! ballot sheet one decision per screen (`/ballot/step`, the choices so far carried in hidden
//! fields, so nothing is stored before the owner submits), the review of the whole sheet, the
//! receipt, and after closing the record of what was counted for them.
//!
//! The sheet and the casting are the use cases the JSON API calls too (`usecases::voting`).

use std::collections::BTreeMap;

use actix_web::cookie::{SameSite, time};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use gongjue_domain::rule::Rule;
use gongjue_store::Store;
use serde_json::{Map, Value};

use crate::auth::OwnerCaller;
use crate::auth::caller::{caller_of_session, caller_of_token};
use crate::blocking::{db, run};
use crate::error::ApiError;
use crate::i18n::{Lang, Msg};
use crate::items::{Entry, QuestionRequest, check_choice_in, rule_of_json};
use crate::usecases::Caller;
use crate::usecases::UseCaseError;
use crate::usecases::results;
use crate::usecases::sessions::{self, CodeHolder, OwnerLoginRequest};
use crate::usecases::voting::{
    Sheet, SheetEntry, Vote, cast_votes, check_sheet_open, ending_of, owner_session, sheet_of,
};
use crate::web::page::{Ctx, ErrorPage, Form, OWNER_COOKIE, Page, field};
use crate::web::words::{
    choice_words, election_rule_words, mask_name, rule_words, sheet_receipt, short_receipt,
};

#[derive(Template)]
#[template(path = "web/home.html")]
struct HomePage {
    p: Page,
}

pub async fn home(ctx: Ctx) -> Result<HttpResponse, ApiError> {
    ctx.ok(&HomePage {
        p: ctx.page(Msg::WebAppName.text(ctx.lang)),
    })
}

#[derive(Template)]
#[template(path = "web/vote.html")]
struct CodePage {
    p: Page,
    error: Option<String>,
    /// Why the owner is here again (their sign-in expired).
    notice: Option<&'static str>,
    code: String,
    /// The sheet's state carried through the form when a session expired mid-sheet, so that
    /// signing in again continues where the owner was.
    carry: Vec<(String, String)>,
}

/// `/vote`; `?expired=1` when an expired session sent the owner back here (it says so).
pub async fn code_form(ctx: Ctx) -> Result<HttpResponse, ApiError> {
    let expired = query_pairs(&ctx)
        .iter()
        .any(|(k, v)| k == "expired" && v == "1");
    ctx.ok(&CodePage {
        p: ctx.page(Msg::WebEnterCode.text(ctx.lang)),
        error: None,
        notice: expired.then(|| Msg::WebSessionExpiredPlain.text(ctx.lang)),
        code: String::new(),
        carry: Vec::new(),
    })
}

/// The request's query as name/value pairs, in order.
fn query_pairs(ctx: &Ctx) -> Vec<(String, String)> {
    web::Query::<Vec<(String, String)>>::from_query(ctx.req.query_string())
        .map(web::Query::into_inner)
        .unwrap_or_default()
}

/// The fields of a ballot form that hold the sheet's state: `at`, `k{n}`, `c{n}`, `a{n}`,
/// `c{n}q{m}` (see [`key_of`]), at most a few thousand of them.
fn sheet_state(form: &[(String, String)]) -> Vec<(String, String)> {
    let state_name = |name: &str| {
        name == "at"
            || name
                .strip_prefix(['k', 'c', 'a'])
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
    };
    form.iter()
        .filter(|(k, v)| state_name(k) && k.len() <= 16 && v.len() <= 512)
        .take(4000)
        .cloned()
        .collect()
}

/// A refused code (unknown, revoked, or too many attempts) shows the code form again with the
/// reason (for too many attempts: how long to wait, also as `Retry-After`); any other error is
/// the error page. The sheet's state, if any, stays in the form.
fn refused_code(
    ctx: &Ctx,
    code: String,
    error: ApiError,
    carry: Vec<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    match error {
        ApiError::UseCase(error @ (UseCaseError::BadCode | UseCaseError::TooManyAttempts)) => {
            // The failures counted leave the window at the latest one window from now.
            let window = ctx.state()?.attempt_window.0.as_secs().max(1);
            let (status, text) = match error {
                UseCaseError::TooManyAttempts => (
                    StatusCode::TOO_MANY_REQUESTS,
                    Msg::WebTooManyAttemptsWait
                        .text_with(ctx.lang, &[("minutes", window.div_ceil(60).into())]),
                ),
                _ => (
                    StatusCode::UNAUTHORIZED,
                    Msg::BadCode.text(ctx.lang).to_owned(),
                ),
            };
            let mut response = ctx.html(
                status,
                &CodePage {
                    p: ctx.page(Msg::WebEnterCode.text(ctx.lang)),
                    error: Some(text),
                    notice: None,
                    code,
                    carry,
                },
            )?;
            if status == StatusCode::TOO_MANY_REQUESTS {
                response.headers_mut().insert(
                    actix_web::http::header::RETRY_AFTER,
                    actix_web::http::header::HeaderValue::from(window),
                );
            }
            Ok(response)
        }
        other => Err(other),
    }
}

/// Signs in with a code; a refused code shows the form again with the reason. With a sheet's
/// state carried from an expired session, continues at the step the owner was on.
async fn sign_in(
    ctx: &Ctx,
    code: String,
    carry: Vec<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let state = ctx.state()?;
    let ip = state.trusted_proxies.client_of(&ctx.req);
    let request = OwnerLoginRequest {
        code: code.clone(),
        assembly_id: None,
    };
    match run(state, move |app| sessions::owner_sign_in(app, &ip, request)).await {
        Ok(session) => {
            let to = if carry.is_empty() {
                "/ballot".to_owned()
            } else {
                let mut query = url::form_urlencoded::Serializer::new(String::new());
                query.extend_pairs(carry.iter());
                format!("/ballot/step?{}", query.finish())
            };
            let mut builder = ctx.redirect(&to);
            let age =
                time::Duration::seconds(i64::try_from(session.expires_in).unwrap_or(i64::MAX));
            builder.cookie(ctx.cookie(OWNER_COOKIE, session.token, SameSite::Lax, Some(age)));
            Ok(builder.finish())
        }
        Err(error) => refused_code(ctx, code, error, carry),
    }
}

pub async fn code_sign_in(ctx: Ctx, form: Form) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    sign_in(
        &ctx,
        field(&form, "code").unwrap_or_default().to_owned(),
        sheet_state(&form),
    )
    .await
}

/// `text` as one segment of a path: letters, digits and `-._~` as they are, any other byte
/// percent-encoded.
fn path_segment(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// Units as the pages name them: `1-1-101、1-1-201（张*明）`, the name masked as on the roll.
fn units_label(lang: Lang, holder: &CodeHolder) -> String {
    let units = holder
        .units
        .join(if lang == Lang::ZhCn { "、" } else { ", " });
    match (&holder.name, lang) {
        (Some(name), Lang::ZhCn) => format!("{units}（{name}）"),
        (Some(name), Lang::En) => format!("{units} ({name})"),
        (None, _) => units,
    }
}

#[derive(Template)]
#[template(path = "web/link.html")]
struct LinkPage {
    p: Page,
    /// The form's address: this link.
    action: String,
    /// "This voting code votes for: …", once the code is checked; `None`: not checked yet
    /// (the button checks it and shows them).
    units: Option<String>,
    assembly: String,
    /// When this browser is signed in for other units: "you are signed in for …, continuing
    /// switches to …" (only with `units`), and the way back to them.
    switch: Option<String>,
    stay: Option<String>,
}

/// The owner this browser is signed in as, if its session is valid (any other cookie: none).
async fn current_owner(ctx: &Ctx) -> Option<CodeHolder> {
    let owner = owner_of(ctx).await.ok()?;
    let state = ctx.state().ok()?;
    db(state, move |store| {
        sessions::holder_of(store, &owner.assembly, &owner.voter)
    })
    .await
    .ok()
}

async fn link_page(
    ctx: &Ctx,
    code: &str,
    holder: Option<CodeHolder>,
) -> Result<HttpResponse, ApiError> {
    let current = current_owner(ctx).await;
    let lang = ctx.lang;
    let other = current.filter(|now| {
        holder
            .as_ref()
            .is_none_or(|new| now.voter != new.voter || now.assembly_id != new.assembly_id)
    });
    let now = other.as_ref().map(|now| units_label(lang, now));
    let new = holder.as_ref().map(|h| units_label(lang, h));
    let page = LinkPage {
        p: ctx.page(Msg::WebLinkTitle.text(lang)),
        action: format!("/v/{}", path_segment(code)),
        units: new
            .as_ref()
            .map(|units| Msg::WebLinkUnits.text_with(lang, &[("units", units.into())])),
        switch: now.as_ref().zip(new.as_ref()).map(|(now, new)| {
            Msg::WebLinkSignedIn.text_with(lang, &[("units", now.into()), ("new", new.into())])
        }),
        stay: now
            .as_ref()
            .map(|now| Msg::WebLinkStay.text_with(lang, &[("units", now.into())])),
        assembly: holder.map(|h| h.assembly_title).unwrap_or_default(),
    };
    ctx.ok(&page)
}

/// The voting link printed as a QR code on the notice and the ballot sheet, and sent by
/// e-mail. It never signs in: it shows which units the code votes for (masked as on the public
/// roll) and, if this browser is signed in for other units, says so; the owner signs in by
/// pressing the button, a POST with the page's CSRF token ([`link_sign_in`]). A page of another
/// site can thus neither sign a visitor in with its own code nor replace their session.
///
/// Showing the units is a look-up of the code, counted under a limit of its own
/// ([`sessions::preview_code`]): a wrong code does not use up the visitor's sign-ins. Once that
/// limit is used up the page shows a button that checks the code by POST instead.
pub async fn link(ctx: Ctx, path: web::Path<String>) -> Result<HttpResponse, ApiError> {
    let code = path.into_inner();
    let state = ctx.state()?;
    let ip = state.trusted_proxies.client_of(&ctx.req);
    let typed = code.clone();
    match run(state, move |app| sessions::preview_code(app, &ip, &typed)).await {
        Ok(holder) => link_page(&ctx, &code, holder).await,
        Err(error) => refused_code(&ctx, code, error, Vec::new()),
    }
}

/// The voting link's form (CSRF token required): with `confirm`, signs in (the sign-in limits,
/// as the code form); without, checks the code under the same limits and shows its units to
/// confirm.
pub async fn link_sign_in(
    ctx: Ctx,
    path: web::Path<String>,
    form: Form,
) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let code = path.into_inner();
    if field(&form, "confirm") == Some("1") {
        return sign_in(&ctx, code, Vec::new()).await;
    }
    let state = ctx.state()?;
    let ip = state.trusted_proxies.client_of(&ctx.req);
    let typed = code.clone();
    match run(state, move |app| sessions::code_holder(app, &ip, &typed)).await {
        Ok(holder) => link_page(&ctx, &code, Some(holder)).await,
        Err(error) => refused_code(&ctx, code, error, Vec::new()),
    }
}

pub async fn sign_out(ctx: Ctx, form: Form) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    // The cookie's token stops working too, not only this browser's copy of it.
    if let Some(token) = ctx.req.cookie(OWNER_COOKIE)
        && let Ok(caller) = caller_of_token(ctx.state()?, token.value())
    {
        db(ctx.state()?, move |store| {
            sessions::sign_out(store, &caller, false)
        })
        .await?;
    }
    let mut builder = ctx.redirect("/vote");
    builder.cookie(ctx.removal(OWNER_COOKIE));
    Ok(builder.finish())
}

/// The owner of this browser's session, checked as the JSON API checks a bearer token.
pub(crate) async fn owner_of(ctx: &Ctx) -> Result<OwnerCaller, ApiError> {
    let state = ctx.state()?;
    let token = ctx
        .req
        .cookie(OWNER_COOKIE)
        .ok_or(ApiError::Unauthenticated)?;
    let caller = caller_of_session(state, token.value()).await?;
    let assembly = caller.clone().owner()?.assembly;
    db(state, move |store| owner_session(store, caller, &assembly)).await
}

/// One input of the form: a radio button or a checkbox.
pub(crate) struct Choice {
    pub(crate) name: String,
    pub(crate) value: String,
    pub(crate) label: String,
    pub(crate) checked: bool,
    pub(crate) multiple: bool,
}

pub(crate) struct QuestionView {
    pub(crate) label: String,
    pub(crate) note: String,
    pub(crate) choices: Vec<Choice>,
}

/// An entry of the sheet as the pages show it.
struct EntryView {
    n: usize,
    title: String,
    body: String,
    /// "本人表决" or "代 张*明 表决 (委托)".
    for_whom: String,
    on_behalf: bool,
    rule: String,
    note: String,
    choices: Vec<Choice>,
    questions: Vec<QuestionView>,
    chosen: String,
    /// Nothing chosen (the review page marks it).
    skipped: bool,
    /// Why the owner cannot vote on it here, if they cannot.
    locked: Option<&'static str>,
    /// What is recorded now: words, channel, counted, receipt.
    recorded: Option<Recorded>,
    /// After closing: the item's outcome, counted as the results page counts it.
    outcome: Option<crate::web::figures::Figures>,
    /// The item's documents (plans, quotes), opened in a new page so the form is kept.
    documents: Vec<crate::web::documents::DocLine>,
    /// An election's candidates with their statements.
    candidates: Vec<crate::web::candidates::CandidateView>,
    /// "第 3 轮征询" for a later round of a consultation.
    round: Option<String>,
}

struct Recorded {
    words: String,
    channel: &'static str,
    counted: bool,
    /// The ballot's receipt: its inclusion proof in the estate's log is served by it.
    receipt: String,
}

fn channel_word(channel: &str, lang: Lang) -> &'static str {
    match channel {
        "paper" => Msg::WebChannelPaper.text(lang),
        "proxy" => Msg::WebChannelProxy.text(lang),
        _ => Msg::WebChannelWeb.text(lang),
    }
}

fn questions_of(definition: &Value) -> Vec<QuestionRequest> {
    definition
        .get("questions")
        .cloned()
        .and_then(|q| serde_json::from_value(q).ok())
        .unwrap_or_default()
}

fn definition_questions(entry: &SheetEntry) -> Vec<QuestionRequest> {
    questions_of(&entry.item.definition)
}

fn candidates_of(definition: &Value) -> (u64, Vec<String>) {
    let seats = definition.get("seats").and_then(Value::as_u64).unwrap_or(0);
    let list = definition
        .get("candidates")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default();
    (seats, list)
}

fn candidates(entry: &SheetEntry) -> (u64, Vec<String>) {
    candidates_of(&entry.item.definition)
}

/// Whether the owner may (still) vote on this entry from the web form.
fn lock_of(sheet: &Sheet, entry: &SheetEntry) -> Option<Msg> {
    if sheet.state != "open" {
        return Some(if sheet.state == "closed" || sheet.state == "cancelled" {
            Msg::VotingClosed
        } else {
            Msg::VotingNotYetOpen
        });
    }
    if entry.member_voted {
        return Some(Msg::OwnBallotSupersedes);
    }
    match &entry.current {
        Some(current) if current.channel == "paper" && current.counted => {
            Some(Msg::ConfirmedBallot)
        }
        Some(_) if !sheet.ballots_changeable => Some(Msg::BallotNotChangeable),
        _ => None,
    }
}

/// The field names of entry `n`: `c{n}` (motion, election), `a{n}` (election: abstain),
/// `c{n}q{m}` (consultation question m), `k{n}` (which item and member, to notice a changed sheet).
fn key_of(entry: &SheetEntry) -> String {
    format!("{}/{}", entry.item.id, entry.voter)
}

fn values<'a>(form: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    form.iter()
        .filter(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .collect()
}

/// The choices carried by a form, one per entry (`None`: not answered).
fn read_choices(sheet: &Sheet, form: &[(String, String)]) -> Result<Vec<Option<Value>>, ApiError> {
    sheet
        .entries
        .iter()
        .enumerate()
        .map(|(n, entry)| {
            if field(form, &format!("k{n}")).is_some_and(|k| k != key_of(entry)) {
                return Err(ApiError::from(UseCaseError::Rule(Msg::WebSheetChanged)));
            }
            Ok(read_choice(
                &entry.item.kind,
                &entry.item.definition,
                form,
                n,
            ))
        })
        .collect()
}

/// The choice entered for item `n` of a form (`None`: not answered). Paper ballots may also be
/// marked spoilt (`x{n}`, or the motion's `invalid`).
pub(crate) fn read_choice(
    kind: &str,
    definition: &Value,
    form: &[(String, String)],
    n: usize,
) -> Option<Value> {
    let chosen = values(form, &format!("c{n}"));
    if field(form, &format!("x{n}")).is_some() {
        return Some(Value::from("invalid"));
    }
    match kind {
        "motion" => chosen.first().map(|c| Value::from(*c)),
        "election" => {
            if field(form, &format!("a{n}")).is_some() {
                Some(Value::from("abstain"))
            } else if chosen.is_empty() {
                None
            } else {
                Some(Value::from(
                    chosen.iter().map(|c| Value::from(*c)).collect::<Vec<_>>(),
                ))
            }
        }
        _ => {
            let mut answers = Map::new();
            for (m, q) in questions_of(definition).iter().enumerate() {
                let picked = values(form, &format!("c{n}q{m}"));
                if !picked.is_empty() {
                    answers.insert(
                        q.id.clone(),
                        Value::from(picked.iter().map(|c| Value::from(*c)).collect::<Vec<_>>()),
                    );
                }
            }
            if answers.is_empty() {
                None
            } else {
                Some(Value::Object(answers))
            }
        }
    }
}

/// The hidden fields that carry `choices` from page to page (all entries but `except`).
fn hidden_fields(
    sheet: &Sheet,
    choices: &[Option<Value>],
    except: Option<usize>,
) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    for (n, (entry, choice)) in sheet.entries.iter().zip(choices).enumerate() {
        fields.push((format!("k{n}"), key_of(entry)));
        if Some(n) == except {
            continue;
        }
        match choice {
            None => {}
            Some(Value::String(word)) if entry.item.kind == "election" && word == "abstain" => {
                fields.push((format!("a{n}"), "1".into()))
            }
            Some(Value::String(word)) => fields.push((format!("c{n}"), word.clone())),
            Some(Value::Array(list)) => fields.extend(
                list.iter()
                    .filter_map(Value::as_str)
                    .map(|c| (format!("c{n}"), c.to_owned())),
            ),
            Some(Value::Object(answers)) => {
                for (m, q) in definition_questions(entry).iter().enumerate() {
                    let picked = answers
                        .get(&q.id)
                        .and_then(Value::as_array)
                        .cloned()
                        .unwrap_or_default();
                    fields.extend(
                        picked
                            .iter()
                            .filter_map(Value::as_str)
                            .map(|c| (format!("c{n}q{m}"), c.to_owned())),
                    );
                }
            }
            Some(_) => {}
        }
    }
    fields
}

fn picked(choice: Option<&Value>, value: &str) -> bool {
    match choice {
        Some(Value::String(w)) => w == value,
        Some(Value::Array(list)) => list.iter().any(|c| c.as_str() == Some(value)),
        _ => false,
    }
}

/// The names of members on the sheet, masked as on every printed list.
fn member_names(store: &Store, estate: &str) -> Result<BTreeMap<String, String>, UseCaseError> {
    Ok(store
        .owner_contacts(estate)?
        .into_iter()
        .filter_map(|(id, c)| c.name.map(|n| (id, mask_name(&n))))
        .collect())
}

/// The inputs of item `n`: radio buttons (motion), checkboxes (election), a group per question
/// (consultation); on paper also "spoilt" (废票). `choice` ticks what was chosen.
pub(crate) fn item_inputs(
    lang: Lang,
    kind: &str,
    definition: &Value,
    n: usize,
    choice: Option<&Value>,
    paper: bool,
) -> (Vec<Choice>, Vec<QuestionView>, String) {
    let mut choices = Vec::new();
    let mut questions = Vec::new();
    let mut note = String::new();
    match kind {
        "motion" => {
            let mut options = vec![
                ("yes", Msg::WebYes),
                ("no", Msg::WebNo),
                ("abstain", Msg::WebAbstain),
            ];
            if crate::items::offers_follow(definition) {
                options.push(("follow", Msg::WebFollow));
                note = Msg::WebFollowExplain.text(lang).to_owned();
            }
            if paper {
                options.push(("invalid", Msg::WebInvalid));
            }
            for (value, msg) in options {
                choices.push(Choice {
                    name: format!("c{n}"),
                    value: value.into(),
                    label: msg.text(lang).into(),
                    checked: picked(choice, value),
                    multiple: false,
                });
            }
        }
        "election" => {
            let (seats, list) = candidates_of(definition);
            note = Msg::WebMarkUpTo.text_with(lang, &[("n", seats.into())]);
            for c in list {
                choices.push(Choice {
                    name: format!("c{n}"),
                    checked: picked(choice, &c),
                    value: c.clone(),
                    label: c,
                    multiple: true,
                });
            }
            choices.push(Choice {
                name: format!("a{n}"),
                value: "1".into(),
                label: Msg::WebAbstain.text(lang).into(),
                checked: picked(choice, "abstain"),
                multiple: true,
            });
            if paper {
                choices.push(Choice {
                    name: format!("x{n}"),
                    value: "1".into(),
                    label: Msg::WebInvalid.text(lang).into(),
                    checked: picked(choice, "invalid"),
                    multiple: true,
                });
            }
        }
        _ => {
            for (m, q) in questions_of(definition).iter().enumerate() {
                let answered = choice.and_then(|c| c.get(&q.id));
                questions.push(QuestionView {
                    label: q.id.clone(),
                    note: if q.max_choices > 1 {
                        Msg::WebPickUpTo.text_with(lang, &[("n", q.max_choices.into())])
                    } else {
                        String::new()
                    },
                    choices: q
                        .options
                        .iter()
                        .map(|o| Choice {
                            name: format!("c{n}q{m}"),
                            value: o.clone(),
                            label: o.clone(),
                            checked: picked(answered, o),
                            multiple: q.max_choices > 1,
                        })
                        .collect(),
                });
            }
        }
    }
    (choices, questions, note)
}

fn entry_view(
    lang: Lang,
    sheet: &Sheet,
    names: &Names,
    n: usize,
    entry: &SheetEntry,
    choice: Option<&Value>,
) -> EntryView {
    let kind = entry.item.kind.as_str();
    let rule = match kind {
        "consultation" => Msg::WebConsultationRule.text(lang).to_owned(),
        "election" => rule_of_json(&entry.item.rule).map_or_else(
            |_| String::new(),
            |r: Rule| election_rule_words(&r, candidates(entry).0, lang),
        ),
        _ => rule_of_json(&entry.item.rule)
            .map_or_else(|_| String::new(), |r: Rule| rule_words(&r, lang)),
    };
    let (choices, questions, note) =
        item_inputs(lang, kind, &entry.item.definition, n, choice, false);
    let for_whom = if entry.on_behalf {
        let name = names.masked.get(&entry.voter).cloned().unwrap_or_default();
        Msg::WebForMember.text_with(
            lang,
            &[("name", (&name).into()), ("id", (&entry.voter).into())],
        )
    } else {
        Msg::WebForYourself.text(lang).to_owned()
    };
    EntryView {
        n,
        title: entry.item.title.clone(),
        body: entry.item.body.clone(),
        for_whom,
        on_behalf: entry.on_behalf,
        rule,
        note,
        choices,
        questions,
        chosen: choice_words(kind, choice, lang),
        skipped: choice.is_none(),
        locked: lock_of(sheet, entry).map(|m| m.text(lang)),
        outcome: None,
        round: sheet
            .rounds
            .get(&entry.item.id)
            .map(|n| Msg::WebRoundOf.text_with(lang, &[("n", i64::from(*n).into())])),
        candidates: crate::web::candidates::listed_views(
            &entry.item.definition,
            &entry.item.id,
            &sheet.candidates,
            lang,
        ),
        documents: sheet
            .documents
            .iter()
            .filter(|d| d.item == entry.item.id)
            .map(|d| crate::web::documents::DocLine::of(d, lang))
            .collect(),
        recorded: entry.current.as_ref().map(|c| Recorded {
            words: choice_words(kind, Some(&c.choice), lang),
            channel: channel_word(&c.channel, lang),
            counted: c.counted,
            receipt: c.receipt.clone(),
        }),
    }
}

/// What the ballot pages show besides the sheet: members' names masked as on every printed
/// list, and whose ballot it is (the header's lines: the owner's units, and those of members
/// whose proxy they hold).
struct Names {
    masked: BTreeMap<String, String>,
    whose: Vec<String>,
}

/// The header's lines: "this ballot votes for units …" and, for a proxy holder, "also for …".
fn whose(
    store: &Store,
    owner: &OwnerCaller,
    sheet: &Sheet,
    lang: Lang,
) -> Result<Vec<String>, UseCaseError> {
    let own = sessions::holder_of(store, &owner.assembly, &owner.voter)?;
    let mut lines =
        vec![Msg::WebVotingFor.text_with(lang, &[("units", (&units_label(lang, &own)).into())])];
    let members: std::collections::BTreeSet<&String> = sheet
        .entries
        .iter()
        .filter(|e| e.on_behalf)
        .map(|e| &e.voter)
        .collect();
    if !members.is_empty() {
        let mut others = Vec::new();
        for member in members {
            others.push(units_label(
                lang,
                &sessions::holder_of(store, &owner.assembly, member)?,
            ));
        }
        let list = others.join(if lang == Lang::ZhCn { "；" } else { "; " });
        lines.push(Msg::WebAlsoFor.text_with(lang, &[("units", (&list).into())]));
    }
    Ok(lines)
}

/// The owner's sheet with the names it shows, read in one go.
async fn load(ctx: &Ctx) -> Result<(Sheet, Names), ApiError> {
    let owner = owner_of(ctx).await?;
    let lang = ctx.lang;
    db(ctx.state()?, move |store| {
        let sheet = sheet_of(store, &owner)?;
        let masked = member_names(store, &owner.estate)?;
        let whose = whose(store, &owner, &sheet, lang)?;
        Ok((sheet, Names { masked, whose }))
    })
    .await
}

impl Ctx {
    /// A ballot page's layout: with whose ballot it is under the header.
    fn ballot_page(&self, title: String, names: &Names) -> Page {
        Page {
            whose: names.whose.clone(),
            ..self.page(title)
        }
    }
}

/// After closing, each item's outcome by item id (the same count as the results).
async fn outcomes(
    ctx: &Ctx,
    sheet: &Sheet,
) -> Result<BTreeMap<String, crate::web::figures::Figures>, ApiError> {
    if sheet.state != "closed" {
        return Ok(BTreeMap::new());
    }
    let ids: std::collections::BTreeSet<String> =
        sheet.entries.iter().map(|e| e.item.id.clone()).collect();
    let lang = ctx.lang;
    let caller = Caller::Owner(owner_of(ctx).await?);
    db(ctx.state()?, move |store| {
        let mut out = BTreeMap::new();
        for id in ids {
            // The results use case: the same checks as `GET /items/{id}/result`.
            let tally = results::item_tally(store, &caller, &id)?;
            out.insert(id, crate::web::figures::Figures::of(&tally, lang));
        }
        Ok(out)
    })
    .await
}

/// The one receipt of the owner's sheet as the pages show it.
struct SheetReceipt {
    /// Short form, `9F3A-21C0-7B44`.
    code: String,
    /// "提交时间：{at}（北京时间）" around the time, which never wraps: (before, at, after).
    when: (String, String, String),
    /// How many ballots it covers.
    covers: String,
}

/// The receipt of the sheet as recorded now: derived from the receipts of every ballot of the
/// sheet that counts (the owner's own and those cast as proxy), the same receipts the e-mails
/// and the published list give per item ([`sheet_receipt`], docs/guide-auditor.md).
fn receipt_of(sheet: &Sheet, lang: Lang) -> Option<SheetReceipt> {
    let counted: Vec<_> = sheet
        .entries
        .iter()
        .filter_map(|e| e.current.as_ref())
        .filter(|c| c.counted)
        .collect();
    let latest = counted.iter().map(|c| c.cast_at.as_str()).max()?;
    let receipts: Vec<&str> = counted.iter().map(|c| c.receipt.as_str()).collect();
    Some(SheetReceipt {
        code: short_receipt(&sheet_receipt(&receipts)),
        when: {
            let at = local_time(latest);
            let words = Msg::WebSheetReceiptAt.text_with(lang, &[("at", (&at).into())]);
            let (before, after) = words.split_once(&at).unwrap_or((&words, ""));
            (before.to_owned(), at.clone(), after.to_owned())
        },
        covers: Msg::WebSheetReceiptCovers.text_with(lang, &[("n", counted.len().into())]),
    })
}

#[derive(Template)]
#[template(path = "web/sheet.html")]
struct SheetPage {
    p: Page,
    title: String,
    closes_at: String,
    /// Before opening: when voting opens and closes.
    opens: Option<String>,
    /// After the end: when it really closed and why (early, cancelled).
    ending: Option<String>,
    /// Voting was extended: from and to when, and why.
    extended: Option<String>,
    receipt: Option<SheetReceipt>,
    open: bool,
    closed: bool,
    entries: Vec<EntryView>,
    can_vote: bool,
    any_recorded: bool,
    /// What happened to the owner's voting code, one sentence per event (Beijing time).
    code_history: Vec<String>,
}

/// The owner's code history in words: when each code was e-mailed or printed on paper by a
/// staff member, re-issues asked for and confirmed, codes that stopped working.
fn code_history_words(sheet: &Sheet, lang: Lang) -> Vec<String> {
    sheet
        .code_history
        .iter()
        .map(|e| {
            let msg = match e.event.as_str() {
                "emailed" => Msg::WebCodeEmailed,
                "printed" => Msg::WebCodePrinted,
                "revoked" => Msg::WebCodeRevoked,
                "reissue_requested" => Msg::WebCodeReissueRequested,
                "reissued" => Msg::WebCodeReissued,
                _ => Msg::WebCodeIssued,
            };
            msg.text_with(lang, &[("at", (&local_time(&e.at)).into())])
        })
        .collect()
}

/// "Voting was extended from (the original closing time) to (the current one), because (the
/// latest reason)", or `None` if it never was.
pub(crate) fn extended_words(
    extensions: &[crate::usecases::extension::ExtensionOut],
    lang: Lang,
) -> Option<String> {
    let (first, last) = (extensions.first()?, extensions.last()?);
    Some(Msg::WebExtended.text_with(
        lang,
        &[
            ("from", (&local_time(&first.from_closes_at)).into()),
            ("to", (&local_time(&last.to_closes_at)).into()),
            ("reason", last.reason.as_str().into()),
        ],
    ))
}

/// The assembly, every item with its rule, and what is recorded for the owner (after closing:
/// "查询本人表决记录", paper or web).
pub async fn sheet(ctx: Ctx) -> Result<HttpResponse, ApiError> {
    let (sheet, names) = load(&ctx).await?;
    let outcomes = outcomes(&ctx, &sheet).await?;
    let ending = ending_words(&ctx, &sheet).await?;
    let lang = ctx.lang;
    let opens = matches!(sheet.state.as_str(), "draft" | "announced").then(|| {
        Msg::WebOpensLater.text_with(
            lang,
            &[
                ("opens", (&local_time(&sheet.opens_at)).into()),
                ("closes", (&local_time(&sheet.closes_at)).into()),
            ],
        )
    });
    let entries: Vec<EntryView> = sheet
        .entries
        .iter()
        .enumerate()
        .map(|(n, e)| EntryView {
            outcome: outcomes.get(&e.item.id).cloned(),
            ..entry_view(
                ctx.lang,
                &sheet,
                &names,
                n,
                e,
                e.current.as_ref().map(|c| &c.choice),
            )
        })
        .collect();
    let page = SheetPage {
        p: ctx.ballot_page(sheet.title.clone(), &names),
        closes_at: local_time(&sheet.closes_at),
        extended: extended_words(&sheet.extensions, lang),
        opens,
        ending,
        receipt: receipt_of(&sheet, ctx.lang),
        open: sheet.state == "open",
        closed: sheet.state == "closed",
        can_vote: entries.iter().any(|e| e.locked.is_none()),
        any_recorded: entries.iter().any(|e| e.recorded.is_some()),
        code_history: code_history_words(&sheet, ctx.lang),
        title: sheet.title,
        entries,
    };
    ctx.ok(&page)
}

/// When and why voting ended, in words (Beijing time); `None` while it has not.
async fn ending_words(ctx: &Ctx, sheet: &Sheet) -> Result<Option<String>, ApiError> {
    if !matches!(sheet.state.as_str(), "closed" | "cancelled") {
        return Ok(None);
    }
    let owner = owner_of(ctx).await?;
    let state = sheet.state.clone();
    let ending = db(ctx.state()?, move |store| ending_of(store, &owner, &state)).await?;
    let lang = ctx.lang;
    if sheet.state == "cancelled" {
        return Ok(ending.cancelled_reason.map(|reason| {
            Msg::WebCancelledReason.text_with(lang, &[("reason", (&reason).into())])
        }));
    }
    Ok(ending.closed_at.map(|at| {
        let at = local_time(&at);
        match ending.early_reason {
            Some(reason) => Msg::WebClosedEarly.text_with(
                lang,
                &[
                    ("at", (&at).into()),
                    ("scheduled", (&local_time(&sheet.closes_at)).into()),
                    ("reason", (&reason).into()),
                ],
            ),
            None => Msg::WebClosedAtTime.text_with(lang, &[("at", (&at).into())]),
        }
    }))
}

/// Whether an error means the owner's session is gone (expired, signed out, code revoked).
fn session_gone(error: &ApiError) -> bool {
    matches!(
        error,
        ApiError::Unauthenticated
            | ApiError::BadToken
            | ApiError::UseCase(UseCaseError::BadSession)
    )
}

/// A sheet's form came back after the session ended: the code form says so and carries the
/// choices so far, so that signing in again continues at the same step.
fn expired_page(ctx: &Ctx, form: &[(String, String)]) -> Result<HttpResponse, ApiError> {
    ctx.html(
        StatusCode::UNAUTHORIZED,
        &CodePage {
            p: ctx.page(Msg::WebEnterCode.text(ctx.lang)),
            error: None,
            notice: Some(Msg::WebSessionExpired.text(ctx.lang)),
            code: String::new(),
            carry: sheet_state(form),
        },
    )
}

/// A sheet's form came back when voting is not open: a closed vote leads to the owner's
/// record, one not yet open (or cancelled) back to the sheet, which says when or why.
fn not_open_page(ctx: &Ctx, sheet: &Sheet, error: UseCaseError) -> Result<HttpResponse, ApiError> {
    let msg = match error {
        UseCaseError::Rule(msg) => msg,
        other => return Err(other.into()),
    };
    let link = if sheet.state == "closed" {
        ("/ballot/publication".to_owned(), Msg::WebPubRecordLink)
    } else {
        ("/ballot".to_owned(), Msg::WebBackToSheet)
    };
    let page = ErrorPage {
        p: ctx.page(Msg::WebErrorTitle.text(ctx.lang)),
        message: msg.text(ctx.lang),
        detail: None,
        link: Some((link.0, link.1.text(ctx.lang))),
    };
    ctx.html(StatusCode::CONFLICT, &page)
}

/// The sheet for a form of the ballot pages, or the page that answers instead: the expired
/// session's code form, the closed vote's way to the record.
async fn load_open(
    ctx: &Ctx,
    form: &[(String, String)],
) -> Result<Result<(Sheet, Names), HttpResponse>, ApiError> {
    let (sheet, names) = match load(ctx).await {
        Ok(loaded) => loaded,
        Err(error) if session_gone(&error) => return Ok(Err(expired_page(ctx, form)?)),
        Err(error) => return Err(error),
    };
    if let Err(error) = check_sheet_open(&sheet) {
        return Ok(Err(not_open_page(ctx, &sheet, error)?));
    }
    Ok(Ok((sheet, names)))
}

/// A stored UTC time as Beijing time, as the notices print it.
pub fn local_time(stored: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(stored)
        .map(|t| {
            t.with_timezone(
                &chrono::FixedOffset::east_opt(8 * 3600)
                    .unwrap_or_else(|| chrono::FixedOffset::east_opt(0).unwrap_or(*t.offset())),
            )
            .format("%Y-%m-%d %H:%M")
            .to_string()
        })
        .unwrap_or_else(|_| stored.to_owned())
}

#[derive(Template)]
#[template(path = "web/step.html")]
struct StepPage {
    p: Page,
    title: String,
    entry: EntryView,
    position: usize,
    count: usize,
    hidden: Vec<(String, String)>,
    error: Option<String>,
    first: bool,
}

#[derive(Template)]
#[template(path = "web/review.html")]
struct ReviewPage {
    p: Page,
    title: String,
    closes_at: String,
    /// "You left 2 items without a choice", if any.
    skipped: Option<String>,
    entries: Vec<EntryView>,
    hidden: Vec<(String, String)>,
    key: String,
    error: Option<&'static str>,
}

/// The entries the owner can vote on here, in sheet order.
fn votable(sheet: &Sheet) -> Vec<usize> {
    sheet
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| lock_of(sheet, e).is_none())
        .map(|(n, _)| n)
        .collect()
}

fn step_page(
    ctx: &Ctx,
    sheet: &Sheet,
    names: &Names,
    choices: &[Option<Value>],
    n: usize,
    error: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let order = votable(sheet);
    let position = order.iter().position(|i| *i == n).unwrap_or(0);
    let entry = sheet
        .entries
        .get(n)
        .ok_or(UseCaseError::Rule(Msg::WebSheetChanged))?;
    let page = StepPage {
        p: ctx.ballot_page(sheet.title.clone(), names),
        title: sheet.title.clone(),
        entry: entry_view(
            ctx.lang,
            sheet,
            names,
            n,
            entry,
            choices.get(n).and_then(Option::as_ref),
        ),
        position: position + 1,
        count: order.len(),
        hidden: hidden_fields(sheet, choices, Some(n)),
        first: position == 0,
        error,
    };
    ctx.html(
        if page.error.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
        &page,
    )
}

fn review_page(
    ctx: &Ctx,
    sheet: &Sheet,
    names: &Names,
    choices: &[Option<Value>],
    error: Option<&'static str>,
) -> Result<HttpResponse, ApiError> {
    let entries: Vec<EntryView> = votable(sheet)
        .into_iter()
        .filter_map(|n| {
            sheet.entries.get(n).map(|e| {
                entry_view(
                    ctx.lang,
                    sheet,
                    names,
                    n,
                    e,
                    choices.get(n).and_then(Option::as_ref),
                )
            })
        })
        .collect();
    let skipped = entries.iter().filter(|e| e.skipped).count();
    let page = ReviewPage {
        p: ctx.ballot_page(sheet.title.clone(), names),
        title: sheet.title.clone(),
        closes_at: local_time(&sheet.closes_at),
        skipped: (skipped > 0)
            .then(|| Msg::WebSkippedCount.text_with(ctx.lang, &[("n", skipped.into())])),
        entries,
        hidden: hidden_fields(sheet, choices, None),
        // One key per reviewed sheet: submitting it twice stores it once.
        key: uuid::Uuid::now_v7().to_string(),
        error,
    };
    ctx.html(
        if error.is_some() {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        },
        &page,
    )
}

/// The first decision, with the choices recorded so far filled in (to change them). After
/// signing in again from an expired session, the query carries the sheet's state (the same
/// fields as the forms): the owner continues at the step they were on with their choices, or
/// at the review; a sheet changed meanwhile starts over from what is recorded.
pub async fn first_step(ctx: Ctx) -> Result<HttpResponse, ApiError> {
    let (sheet, names) = load(&ctx).await?;
    let recorded: Vec<Option<Value>> = sheet
        .entries
        .iter()
        .map(|e| e.current.as_ref().map(|c| c.choice.clone()))
        .collect();
    let order = votable(&sheet);
    let carried = sheet_state(&query_pairs(&ctx));
    if carried.iter().any(|(k, _)| k.starts_with('k'))
        && let Ok(choices) = read_choices(&sheet, &carried)
    {
        let at = field(&carried, "at")
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| order.contains(n));
        return match at {
            Some(n) => step_page(&ctx, &sheet, &names, &choices, n, None),
            None if !order.is_empty() => review_page(&ctx, &sheet, &names, &choices, None),
            None => Ok(ctx.redirect("/ballot").finish()),
        };
    }
    match order.first() {
        Some(n) => step_page(&ctx, &sheet, &names, &recorded, *n, None),
        None => Ok(ctx.redirect("/ballot").finish()),
    }
}

/// An election's step with candidates ticked and 弃权 too: the candidates, to show both again
/// with the refusal (never one of them dropped silently).
fn abstain_conflict(sheet: &Sheet, form: &[(String, String)], at: usize) -> Option<Vec<String>> {
    let entry = sheet.entries.get(at)?;
    let marks = values(form, &format!("c{at}"));
    (entry.item.kind == "election" && field(form, &format!("a{at}")).is_some() && !marks.is_empty())
        .then(|| marks.into_iter().map(str::to_owned).collect())
}

/// A step of the sheet: check the decision just made, then the next one, the previous one, or
/// the review of the whole sheet.
pub async fn step(ctx: Ctx, form: Form) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let (sheet, names) = match load_open(&ctx, &form).await? {
        Ok(loaded) => loaded,
        Err(page) => return Ok(page),
    };
    let order = votable(&sheet);
    if let Some(at) = field(&form, "at")
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| order.contains(n))
        && let Some(marks) = abstain_conflict(&sheet, &form, at)
    {
        let mut choices = read_choices(&sheet, &form)?;
        if let Some(slot) = choices.get_mut(at) {
            let ticked = marks.into_iter().chain(["abstain".to_owned()]);
            *slot = Some(Value::from(ticked.collect::<Vec<_>>()));
        }
        let refusal = Msg::WebAbstainWithCandidates.text(ctx.lang).to_owned();
        return step_page(&ctx, &sheet, &names, &choices, at, Some(refusal));
    }
    let choices = read_choices(&sheet, &form)?;
    let go = field(&form, "go").unwrap_or("next");
    if let Some(n) = go
        .strip_prefix("edit:")
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| order.contains(n))
    {
        return step_page(&ctx, &sheet, &names, &choices, n, None);
    }
    let at = field(&form, "at")
        .and_then(|n| n.parse::<usize>().ok())
        .filter(|n| order.contains(n));
    let Some(at) = at else {
        return review_page(&ctx, &sheet, &names, &choices, None);
    };
    // The header's switches (language, text size) on a step: the same step again, as it is.
    if go == "stay" {
        return step_page(&ctx, &sheet, &names, &choices, at, None);
    }
    let position = order.iter().position(|i| *i == at).unwrap_or(0);
    if go == "back" {
        let previous = position
            .checked_sub(1)
            .and_then(|p| order.get(p))
            .copied()
            .unwrap_or(at);
        return step_page(&ctx, &sheet, &names, &choices, previous, None);
    }
    // The same check as the API's, so that the review never shows a choice it would refuse.
    if let (Some(entry), Some(Some(choice))) = (sheet.entries.get(at), choices.get(at))
        && let Err(UseCaseError::Invalid { msg, .. }) = check_choice_in(
            &entry.item.kind,
            &entry.item.definition,
            choice,
            Entry::Online,
        )
    {
        let text = match entry.item.kind.as_str() {
            "election" => {
                Msg::WebTooManyMarks.text_with(ctx.lang, &[("n", candidates(entry).0.into())])
            }
            _ => msg.text(ctx.lang).to_owned(),
        };
        return step_page(&ctx, &sheet, &names, &choices, at, Some(text));
    }
    match order.get(position + 1) {
        Some(next) if go != "review" => step_page(&ctx, &sheet, &names, &choices, *next, None),
        _ => review_page(&ctx, &sheet, &names, &choices, None),
    }
}

/// Submits the reviewed sheet through the casting use case the API calls, then shows the
/// receipt.
pub async fn submit(ctx: Ctx, form: Form) -> Result<HttpResponse, ApiError> {
    ctx.check_csrf(&form)?;
    let (sheet, names) = match load_open(&ctx, &form).await? {
        Ok(loaded) => loaded,
        Err(page) => return Ok(page),
    };
    let owner = owner_of(&ctx).await?;
    let choices = read_choices(&sheet, &form)?;
    let votes: Vec<Vote> = votable(&sheet)
        .into_iter()
        .filter_map(|n| {
            let entry = sheet.entries.get(n)?;
            let choice = choices.get(n)?.clone()?;
            Some(Vote {
                item: entry.item.id.clone(),
                choice,
                on_behalf_of: entry.on_behalf.then(|| entry.voter.clone()),
            })
        })
        .collect();
    if votes.is_empty() {
        return review_page(
            &ctx,
            &sheet,
            &names,
            &choices,
            Some(Msg::WebNothingChosen.text(ctx.lang)),
        );
    }
    let key = field(&form, "key")
        .filter(|k| !k.is_empty() && k.len() <= 64)
        .map_or_else(|| uuid::Uuid::now_v7().to_string(), str::to_owned);
    let state = ctx.state()?;
    let public_url = state.public_url.clone();
    db(state, move |store| {
        cast_votes(store, &owner, &key, votes, &public_url)
    })
    .await?;
    Ok(ctx.redirect("/ballot/done").finish())
}

#[derive(Template)]
#[template(path = "web/done.html")]
struct DonePage {
    p: Page,
    title: String,
    closes_at: String,
    receipt: Option<SheetReceipt>,
    entries: Vec<EntryView>,
    changeable: bool,
    /// Where each ballot's proof is served (`{estate}`'s log), and the log's newest checkpoint.
    proofs: String,
    checkpoint: Option<crate::web::log::CheckpointBox>,
}

/// The confirmation: the sheet's one receipt to screenshot or write down (Beijing time), and
/// every recorded choice.
pub async fn done(ctx: Ctx) -> Result<HttpResponse, ApiError> {
    let (sheet, names) = load(&ctx).await?;
    let entries = sheet
        .entries
        .iter()
        .enumerate()
        .filter(|(_, e)| e.current.is_some())
        .map(|(n, e)| {
            entry_view(
                ctx.lang,
                &sheet,
                &names,
                n,
                e,
                e.current.as_ref().map(|c| &c.choice),
            )
        })
        .collect();
    let estate = owner_of(&ctx).await?.estate;
    let checkpoint = crate::web::log::newest(&ctx, &estate, false).await?;
    let page = DonePage {
        proofs: format!("/api/v1/estates/{estate}/log/receipts"),
        checkpoint,
        p: ctx.ballot_page(sheet.title.clone(), &names),
        closes_at: local_time(&sheet.closes_at),
        receipt: receipt_of(&sheet, ctx.lang),
        changeable: sheet.ballots_changeable,
        title: sheet.title,
        entries,
    };
    ctx.ok(&page)
}
