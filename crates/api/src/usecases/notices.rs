//! Notices by e-mail, for the secretary: a preview of one message, the reminder round, the
//! result notices, the paper round (owners without an address), the estate's outbox and the
//! language of notices. Staff of the estate only; the events that send notices of their own
//! (announcing, issuing codes, paper and proxy ballots) queue them in their own use cases.

use chrono::{FixedOffset, Utc};
use gongjue_store::Store;
use gongjue_store::assemblies::{Assembly, AssemblyState};
use gongjue_store::audit::NewAuditEntry;
use gongjue_store::listing::{Page, Window};
use gongjue_store::outbox::{OutboxEmail, OutboxFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::i18n::{Lang, Msg};
use crate::mail::compose::{Context, PaperOwner, Round};
use crate::mail::render::{Kind, Rendered};
use crate::usecases::setup::staff_assembly;
use crate::usecases::{StaffCaller, UseCaseError};

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct PreviewQuery {
    /// `announcement`, `invitation`, `reminder`, `result` or `ballot_recorded`.
    pub kind: Kind,
    /// The owner (owner id) it would be addressed to.
    pub member: String,
    /// `zh-CN` or `en`; default: the owner's language, else the estate's.
    #[param(schema_with = crate::schema_refs::language)]
    pub lang: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PreviewOut {
    pub kind: Kind,
    pub member: String,
    #[schema(schema_with = crate::schema_refs::language)]
    pub language: String,
    /// The owner's address, or none: they are served on paper.
    pub recipient: Option<String>,
    #[serde(flatten)]
    pub message: Rendered,
}

/// A notice exactly as one owner would receive it; nothing is queued. The invitation shows a
/// sample code; the result needs the assembly closed. Staff who read the estate may preview.
pub fn preview_notice(
    store: &Store,
    staff: &StaffCaller,
    assembly_id: &str,
    query: PreviewQuery,
    public_url: &str,
) -> Result<PreviewOut, UseCaseError> {
    let assembly = staff_assembly(store, staff, assembly_id, false)?;
    let lang =
        match &query.lang {
            Some(tag) => Some(Lang::from_tag(tag).ok_or_else(|| {
                UseCaseError::invalid("lang", format!("`{tag}` is not zh-CN or en"))
            })?),
            None => None,
        };
    if query.kind == Kind::Result && assembly.state != AssemblyState::Closed.as_str() {
        return Err(UseCaseError::Rule(Msg::ResultBeforeClosing));
    }
    let context = Context::load(store, &assembly.id, public_url)?;
    if !context.members(store)?.contains(&query.member) {
        return Err(UseCaseError::invalid(
            "member",
            format!("{} is not an owner of this assembly", query.member),
        ));
    }
    let message = context.preview(store, query.kind, &query.member, lang)?;
    Ok(PreviewOut {
        kind: query.kind,
        language: lang
            .unwrap_or_else(|| context.language(&query.member))
            .tag()
            .into(),
        recipient: context
            .contacts
            .get(&query.member)
            .and_then(|c| c.email.clone()),
        member: query.member,
        message,
    })
}

/// One member a notice may be previewed for, with a label to recognise them by.
#[derive(Debug, Clone)]
pub struct MemberLabel {
    pub member: String,
    /// Their units and name, then the owner id.
    pub label: String,
}

/// What the notices page of an assembly shows before any action.
#[derive(Debug)]
pub struct NoticesOverview {
    pub assembly: Assembly,
    /// Whether the caller may send rounds (a secretary or admin of the estate).
    pub can_write: bool,
    /// The members served on paper.
    pub paper: Vec<PaperOwner>,
    /// Every member of the assembly, for the preview form.
    pub members: Vec<MemberLabel>,
    /// What the next round (reminder while open, result once closed) would send.
    pub forecast: Option<RoundForecast>,
}

/// The notices page's state of an assembly: the paper round and the members, read by staff of
/// its estate.
pub fn notices_overview(
    store: &Store,
    staff: &StaffCaller,
    assembly_id: &str,
    public_url: &str,
) -> Result<NoticesOverview, UseCaseError> {
    let assembly = staff_assembly(store, staff, assembly_id, false)?;
    let context = Context::load(store, &assembly.id, public_url)?;
    let members = context.members(store)?;
    let paper = context.without_email(&members);
    let members = members
        .into_iter()
        .map(|m| {
            let c = context.contacts.get(&m);
            let label = format!(
                "{} {} ({m})",
                c.map(|c| c.units.join("、")).unwrap_or_default(),
                c.and_then(|c| c.name.clone()).unwrap_or_default()
            );
            MemberLabel { member: m, label }
        })
        .collect();
    let forecast = forecast(store, &context)?;
    let assembly = context.assembly;
    Ok(NoticesOverview {
        can_write: staff.writes(&assembly.estate_id).is_ok(),
        assembly,
        paper,
        members,
        forecast,
    })
}

/// The next round's figures, composed as the round would be but not queued; messages of the
/// round already queued (asked earlier today) are not counted again.
fn forecast(store: &Store, context: &Context) -> Result<Option<RoundForecast>, UseCaseError> {
    let (round, mut notices) = match context.assembly.state.as_str() {
        "open" => ("reminder", context.reminders(store, &reminder_day())?),
        "closed" => ("result", context.results(store)?),
        _ => return Ok(None),
    };
    // Composed a chunk at a time, as the round would be queued; only the figures are kept.
    let (mut emails, mut texts) = (0, 0);
    loop {
        let chunk = notices.next_messages()?;
        if chunk.is_empty() && notices.is_done() {
            break;
        }
        let keys: Vec<String> = chunk.iter().map(|m| m.dedupe_key.clone()).collect();
        let done = store.queued_keys(&keys)?;
        for message in chunk.iter().filter(|m| !done.contains(&m.dedupe_key)) {
            match message.sms {
                Some(_) => texts += 1,
                None => emails += 1,
            }
        }
    }
    Ok(Some(RoundForecast {
        round: round.into(),
        emails,
        texts,
        sms_held_back: context.sms_held_back(),
        paper: notices.paper.len(),
    }))
}

/// Today in China Standard Time: a reminder round's name (one round a day).
fn reminder_day() -> String {
    FixedOffset::east_opt(8 * 3600)
        .map_or_else(
            || Utc::now().date_naive(),
            |cst| Utc::now().with_timezone(&cst).date_naive(),
        )
        .to_string()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoundOut {
    /// E-mails newly queued by this request.
    pub queued: usize,
    /// Owners with an address this round concerns (queued now or by an earlier request of the
    /// same round).
    pub emailed: usize,
    /// SMS of this round (queued now or earlier), when the estate sends notices by SMS.
    pub texted: usize,
    /// SMS the estate's budget held back (per owner and assembly, or per day): those owners
    /// get the e-mail, or the paper round, instead.
    pub sms_held_back: usize,
    /// Owners this round concerns whom neither e-mail nor SMS reaches: serve them on paper.
    pub paper_round: Vec<PaperOwner>,
}

/// What the next round would send, before it is sent.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoundForecast {
    /// `reminder` (while open) or `result` (once closed).
    pub round: String,
    pub emails: usize,
    pub texts: usize,
    pub sms_held_back: usize,
    pub paper: usize,
}

/// Composes a round of notices and queues it with its audit entry, in one transaction of the
/// store (`record_notices`), so that a round asked twice queues nothing new.
fn record_round(
    store: &Store,
    staff: &StaffCaller,
    assembly_id: &str,
    action: &'static str,
    compose: for<'c> fn(&'c Context, &Store, &str) -> Result<Round<'c>, UseCaseError>,
    round: String,
    public_url: &str,
) -> Result<RoundOut, UseCaseError> {
    let assembly = staff_assembly(store, staff, assembly_id, true)?;
    let context = Context::load(store, &assembly.id, public_url)?;
    let mut notices = compose(&context, store, &round)?;
    let queued = queue_round(store, &mut notices, &staff.actor(), action, &round, true)?;
    Ok(RoundOut {
        queued,
        emailed: notices.emails,
        texted: notices.texts,
        sms_held_back: context.sms_held_back(),
        paper_round: notices.paper,
    })
}

/// Queues `notices`, composed as they are stored, with the audit entry `action` by `actor`
/// (its detail: the round's name and how many e-mails, SMS and paper notices it made), in one
/// transaction. `always`: the entry is appended even when nothing new was queued (a round
/// asked again); else only with something new. Returns how many were newly queued.
pub(crate) fn queue_round(
    store: &Store,
    notices: &mut Round<'_>,
    actor: &str,
    action: &str,
    round: &str,
    always: bool,
) -> Result<usize, UseCaseError> {
    let (chain, subject) = (
        notices.assembly().estate_id.clone(),
        notices.assembly().id.clone(),
    );
    let queued = store.record_notices(&chain, notices, |notices, queued| {
        (always || queued > 0).then(|| NewAuditEntry {
            chain: chain.clone(),
            actor: actor.to_owned(),
            action: action.to_owned(),
            subject: subject.clone(),
            detail: serde_json::json!({ "round": round, "emailed": notices.emails, "texted": notices.texts, "paper": notices.paper.len() }),
        })
    });
    if let Some(failure) = notices.failure() {
        return Err(failure); // nothing was queued: the transaction rolled back
    }
    Ok(queued?)
}

/// Refuses with `msg` unless the assembly is in `state`; a caller who may not write the
/// assembly is refused as such first, so an outsider learns nothing about its state.
fn refuse_unless(
    store: &Store,
    staff: &StaffCaller,
    assembly_id: &str,
    state: AssemblyState,
    msg: Msg,
) -> Result<(), UseCaseError> {
    if store.assembly(assembly_id)?.state != state.as_str() {
        staff_assembly(store, staff, assembly_id, true)?;
        return Err(UseCaseError::Rule(msg));
    }
    Ok(())
}

/// Reminds the members who have not voted on every item yet, while voting is open. One round
/// per day (China Standard Time): asking again the same day queues nothing new.
pub fn reminder_round(
    store: &Store,
    staff: &StaffCaller,
    assembly_id: &str,
    public_url: &str,
) -> Result<RoundOut, UseCaseError> {
    refuse_unless(
        store,
        staff,
        assembly_id,
        AssemblyState::Open,
        Msg::RemindersOnlyWhileOpen,
    )?;
    let day = reminder_day();
    record_round(
        store,
        staff,
        assembly_id,
        "notices.reminder",
        |c, store, round| c.reminders(store, round),
        day,
        public_url,
    )
}

/// Publishes the results after closing: every member receives each item's outcome.
/// Publishing again queues nothing new.
pub fn results_round(
    store: &Store,
    staff: &StaffCaller,
    assembly_id: &str,
    public_url: &str,
) -> Result<RoundOut, UseCaseError> {
    refuse_unless(
        store,
        staff,
        assembly_id,
        AssemblyState::Closed,
        Msg::ResultBeforeClosing,
    )?;
    record_round(
        store,
        staff,
        assembly_id,
        "assembly.results_published",
        |c, store, _| c.results(store),
        String::new(),
        public_url,
    )
}

/// The members of the assembly (the frozen electorates once open, else the roster's owners)
/// who have no e-mail address: they receive every notice on paper.
pub fn paper_round(
    store: &Store,
    staff: &StaffCaller,
    assembly_id: &str,
    public_url: &str,
) -> Result<Vec<PaperOwner>, UseCaseError> {
    let assembly = staff_assembly(store, staff, assembly_id, false)?;
    let context = Context::load(store, &assembly.id, public_url)?;
    Ok(context.without_email(&context.members(store)?))
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct OutboxQuery {
    /// `pending`, `sent` or `failed`.
    #[param(schema_with = crate::schema_refs::outbox_status)]
    pub status: Option<String>,
    /// Only the notices of this assembly.
    #[param(format = Uuid)]
    pub assembly: Option<String>,
    /// At most this many messages, 1 to 1000 (default 500); see `X-Total-Count`, `X-Next-Offset`.
    #[param(value_type = Option<i64>, minimum = 1, maximum = 1000)]
    #[serde(default)]
    pub limit: Option<String>,
    /// Skip this many messages first (default 0).
    #[param(value_type = Option<i64>, minimum = 0)]
    #[serde(default)]
    pub offset: Option<String>,
}

/// One message of the outbox. Bodies are not listed (an invitation holds a voting code).
#[derive(Debug, Serialize, ToSchema)]
pub struct OutboxItem {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(schema_with = crate::schema_refs::notice_kind)]
    pub kind: String,
    #[schema(format = Uuid)]
    pub assembly_id: Option<String>,
    pub member: Option<String>,
    pub recipient: String,
    pub subject: String,
    /// `pending` (waiting, or being retried), `sent` (the relay accepted it) or `failed`
    /// (given up: serve this owner on paper).
    #[schema(schema_with = crate::schema_refs::outbox_status)]
    pub status: String,
    /// Attempts so far.
    pub attempts: i32,
    /// The relay's last answer when it failed.
    pub last_error: Option<String>,
    /// When a pending message is tried next.
    #[schema(format = DateTime)]
    pub next_attempt_at: Option<String>,
    #[schema(format = DateTime)]
    pub created_at: String,
    #[schema(format = DateTime)]
    pub sent_at: Option<String>,
    /// `email` or `sms`.
    pub channel: String,
    /// The provider's receipt (SMS): `delivered` or `failed`; null while none came (unknown).
    pub delivery: Option<String>,
    #[schema(format = DateTime)]
    pub delivered_at: Option<String>,
}

fn outbox_item(e: OutboxEmail) -> OutboxItem {
    OutboxItem {
        next_attempt_at: (e.status == "pending").then_some(e.next_attempt_at),
        id: e.id,
        kind: e.kind,
        assembly_id: e.assembly_id,
        member: e.voter,
        recipient: e.recipient,
        subject: e.subject,
        status: e.status,
        attempts: e.attempts,
        last_error: e.last_error,
        created_at: e.created_at,
        sent_at: e.sent_at,
        channel: e.channel,
        delivery: e.delivery,
        delivered_at: e.delivered_at,
    }
}

/// What part of the outbox a staff caller asks for, checked (estate, status). `limit` and
/// `offset` of the query are not read here: a page's window is given apart.
fn outbox_filter(
    staff: &StaffCaller,
    estate_id: &str,
    query: OutboxQuery,
) -> Result<OutboxFilter, UseCaseError> {
    staff.reads(estate_id)?;
    if let Some(status) = query
        .status
        .as_ref()
        .filter(|s| !["pending", "sent", "failed"].contains(&s.as_str()))
    {
        return Err(UseCaseError::invalid(
            "status",
            format!("`{status}` is not pending, sent or failed"),
        ));
    }
    Ok(OutboxFilter {
        estate_id: Some(estate_id.to_owned()),
        assembly_id: query.assembly,
        status: query.status,
    })
}

/// One page of the estate's outbox, oldest first, with the status of every message.
pub fn outbox_page(
    store: &Store,
    staff: &StaffCaller,
    estate_id: &str,
    query: OutboxQuery,
    window: Window,
) -> Result<Page<OutboxItem>, UseCaseError> {
    let filter = outbox_filter(staff, estate_id, query)?;
    let page = store.outbox_page(&filter, window)?;
    Ok(Page {
        rows: page.rows.into_iter().map(outbox_item).collect(),
        total: page.total,
    })
}

/// The estate's whole outbox, oldest first (the outbox page).
pub fn whole_outbox(
    store: &Store,
    staff: &StaffCaller,
    estate_id: &str,
    query: OutboxQuery,
) -> Result<Vec<OutboxItem>, UseCaseError> {
    let filter = outbox_filter(staff, estate_id, query)?;
    Ok(store
        .outbox(&filter)?
        .into_iter()
        .map(outbox_item)
        .collect())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoticeLanguageRequest {
    /// The owner whose preference this is; absent: the estate's default for every owner
    /// without one.
    #[serde(default)]
    pub owner_id: Option<String>,
    #[schema(schema_with = crate::schema_refs::language)]
    pub language: String,
}

/// Sets the language of notices for one owner of the current roster, or the estate's default
/// (zh-CN unless set).
pub fn set_notice_language(
    store: &Store,
    staff: &StaffCaller,
    estate_id: &str,
    request: NoticeLanguageRequest,
) -> Result<(), UseCaseError> {
    staff.writes(estate_id)?;
    let lang = Lang::from_tag(&request.language).ok_or_else(|| {
        UseCaseError::invalid(
            "language",
            format!("`{}` is not zh-CN or en", request.language),
        )
    })?;
    let owners = store.owner_contacts(estate_id)?;
    if let Some(owner) = request
        .owner_id
        .as_ref()
        .filter(|o| !owners.contains_key(*o))
    {
        return Err(UseCaseError::invalid(
            "owner_id",
            format!("{owner} is not an owner of the current roster"),
        ));
    }
    Ok(store.set_notice_language(estate_id, request.owner_id.as_deref(), lang.tag())?)
}
