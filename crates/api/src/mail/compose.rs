//! Composes the notices of an event from what the store holds: who receives them (owners
//! with an e-mail address; the others are listed for the paper round), in which language
//! (the owner's preference, else the estate's, else zh-CN), and the rendered message, ready to
//! be queued in the event's own transaction.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;

use chrono::{DateTime, FixedOffset, Utc};
use gongjue_store::Store;
use gongjue_store::StoreError;
use gongjue_store::assemblies::{Assembly, Item};
use gongjue_store::ballots::Channel;
use gongjue_store::estates::Estate;
use gongjue_store::notices::{NoticeParts, OwnerContact};
use gongjue_store::outbox::{NewEmail, NoticeSource};
use gongjue_store::transparency::Checkpoint;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::count;
use crate::i18n::{Arg, Lang, Msg};
use crate::mail::render::{self, ItemLine, Kind, RecordedItem, Rendered, View};
use crate::publication::receipt::short_receipt;
use crate::timetable;
use crate::usecases::UseCaseError;
use crate::usecases::scope::ItemScopes;

/// An owner the e-mail cannot reach: to be served on paper (letterbox, notice board, door).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct PaperOwner {
    pub owner_id: String,
    pub name: Option<String>,
    pub units: Vec<String>,
}

/// The notices of one event to many owners, composed a chunk at a time while the store queues
/// them (as its [`NoticeSource`]): never all at once (issue 22: an announcement to 57,000
/// owners, rendered whole, took 230 MB). How many e-mails and SMS it made and whom it must
/// reach on paper are known once it is drained.
pub struct Round<'c> {
    context: &'c Context,
    kind: Kind,
    round: Option<String>,
    shape: Box<dyn Fn(&mut View) + 'c>,
    owners: std::vec::IntoIter<String>,
    /// Owners neither e-mail nor SMS reaches, so far.
    pub paper: Vec<PaperOwner>,
    /// E-mails and SMS composed so far.
    pub emails: usize,
    pub texts: usize,
    /// Why composing stopped (the store was told only that it failed).
    failure: Option<UseCaseError>,
}

/// Owners composed per chunk.
const ROUND_CHUNK: usize = 250;

/// The outbox key of a round's notice to `owner`: `{kind}:{assembly}[:{round}]:{owner}`
/// (one notice per owner and round, however often it is asked for).
fn notice_key(kind: Kind, assembly: &str, round: Option<&str>, owner: &str) -> String {
    match round {
        Some(round) => format!("{}:{assembly}:{round}:{owner}", kind.as_str()),
        None => format!("{}:{assembly}:{owner}", kind.as_str()),
    }
}

/// The key of the SMS twin of the notice keyed `key`.
fn sms_key(key: &str) -> String {
    format!("sms:{key}")
}

impl Round<'_> {
    /// The next chunk of messages (empty once every owner was composed for).
    pub fn next_messages(&mut self) -> Result<Vec<NewEmail>, UseCaseError> {
        let mut out = Vec::new();
        for owner in self.owners.by_ref().take(ROUND_CHUNK) {
            let mut view = self.context.view(&owner, None)?;
            (self.shape)(&mut view);
            let key = notice_key(
                self.kind,
                &self.context.assembly.id,
                self.round.as_deref(),
                &owner,
            );
            let messages = self.context.messages(self.kind, &owner, key, &view)?;
            if messages.is_empty() {
                self.paper.push(self.context.paper_owner(&owner));
            }
            let texts = messages.iter().filter(|m| m.sms.is_some()).count();
            self.texts += texts;
            self.emails += messages.len() - texts;
            out.extend(messages);
        }
        Ok(out)
    }

    /// Whether every owner was composed for.
    pub fn is_done(&self) -> bool {
        self.owners.len() == 0
    }

    /// The assembly the round is about.
    pub fn assembly(&self) -> &Assembly {
        &self.context.assembly
    }

    /// The error that stopped the store's write, if composing failed.
    pub fn failure(&mut self) -> Option<UseCaseError> {
        self.failure.take()
    }
}

impl NoticeSource for Round<'_> {
    fn next_chunk(&mut self) -> Result<Vec<NewEmail>, StoreError> {
        // A chunk can be empty while owners remain (all of them on paper): go on.
        loop {
            match self.next_messages() {
                Ok(chunk) if chunk.is_empty() && !self.is_done() => continue,
                Ok(chunk) => return Ok(chunk),
                Err(error) => {
                    let text = error.to_string();
                    self.failure = Some(error);
                    return Err(StoreError::Invalid(text));
                }
            }
        }
    }
}

/// What the notices of one assembly share, read once per event.
pub struct Context {
    pub assembly: Assembly,
    pub estate: String,
    /// A trial estate: every notice says so.
    pub trial: bool,
    pub items: Vec<Item>,
    pub contacts: BTreeMap<String, OwnerContact>,
    /// Who may vote on which item: each owner's notices list only their own items (issue 21:
    /// a building-3 item was listed in every invitation). `None` in a context loaded for a few
    /// owners' ballot notices, which list the recorded items only.
    scopes: Option<ItemScopes>,
    estate_lang: Lang,
    public_url: String,
    /// The estate log's newest checkpoint when the notices were composed: every notice carries
    /// it, so that owners hold something the log must later extend (issue 18).
    checkpoint: Option<Checkpoint>,
    /// The estate sends notices by SMS too: what is left of its budget (issue 20).
    sms: Option<Mutex<SmsBudget>>,
}

/// What is left of an estate's SMS budget while one event's notices are composed.
#[derive(Debug, Clone)]
pub struct SmsBudget {
    store: Store,
    per_owner: i64,
    /// SMS of the assembly so far, by owner (counted ones only).
    counts: BTreeMap<String, i64>,
    left_today: i64,
    /// Held back by the budget while composing (the secretary sees how many).
    pub held_back: usize,
}

impl SmsBudget {
    fn load(
        store: &Store,
        estate: &Estate,
        assembly_id: &str,
    ) -> Result<Option<SmsBudget>, UseCaseError> {
        if !estate.sms_notices {
            return Ok(None);
        }
        let today = store.sms_queued_since(&estate.id, &beijing_midnight(Utc::now()))?;
        Ok(Some(SmsBudget {
            store: store.clone(),
            per_owner: estate.sms_per_owner,
            counts: store.sms_counts(assembly_id)?,
            left_today: estate.sms_per_day - today,
            held_back: 0,
        }))
    }

    /// The budget of a context that composes only ballot alerts and transfer notices (one
    /// ballot's or transfer's): those kinds are not counted, so nothing is read. Any counted
    /// kind is held back.
    fn alerts_only(store: &Store, estate: &Estate) -> Option<SmsBudget> {
        estate.sms_notices.then(|| SmsBudget {
            store: store.clone(),
            per_owner: 0,
            counts: BTreeMap::new(),
            left_today: 0,
            held_back: 0,
        })
    }

    /// Takes the SMS of `kind` to `owner` keyed `key` from the budget, if it allows. An SMS
    /// queued already (a round asked again) is no new one: it passes, so that the owner does
    /// not get the round again by the other channel.
    fn take(&mut self, kind: &str, owner: &str, key: &str) -> bool {
        if gongjue_store::sms::UNLIMITED_KINDS.contains(&kind) {
            return true;
        }
        let count = self.counts.entry(owner.to_owned()).or_insert(0);
        if *count >= self.per_owner || self.left_today <= 0 {
            // Only here, past the budget, is the key looked up: one query per held-back SMS.
            let queued = self
                .store
                .queued_keys(&[key.to_owned()])
                .is_ok_and(|k| k.contains(key));
            if !queued {
                self.held_back += 1;
            }
            return queued;
        }
        *count += 1;
        self.left_today -= 1;
        true
    }
}

/// The start of today in Beijing time, stored form: the estate's SMS day.
fn beijing_midnight(now: DateTime<Utc>) -> String {
    let Some(cst) = FixedOffset::east_opt(8 * 3600) else {
        return gongjue_store::timestamp(now);
    };
    let local = now.with_timezone(&cst);
    let midnight = local
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .and_then(|m| m.and_local_timezone(cst).single())
        .map_or(now, |m| m.with_timezone(&Utc));
    gongjue_store::timestamp(midnight)
}

/// The public page of an estate's log (its checkpoints), for notices and printed sheets.
pub fn log_page(public_url: &str, estate: &str) -> String {
    format!("{}/log/{estate}", public_url.trim_end_matches('/'))
}

/// China Standard Time (UTC+8, no daylight saving), in which the estates' owners read times.
fn local(at: DateTime<Utc>) -> String {
    let at = FixedOffset::east_opt(8 * 3600)
        .map_or_else(|| at.fixed_offset(), |cst| at.with_timezone(&cst));
    at.format("%Y-%m-%d %H:%M").to_string()
}

fn local_stored(stored: &str) -> Result<String, UseCaseError> {
    Ok(local(timetable::stored(stored)?))
}

fn kind_label(item: &Item) -> Msg {
    match item.kind.as_str() {
        "election" => Msg::ItemElection,
        "consultation" => Msg::ItemConsultation,
        _ => Msg::ItemMotion,
    }
}

impl Context {
    pub fn load(
        store: &Store,
        assembly_id: &str,
        public_url: &str,
    ) -> Result<Context, UseCaseError> {
        let assembly = store.assembly(assembly_id)?;
        let items = store.items(&assembly.id)?;
        let scopes = ItemScopes::load(store, &assembly.estate_id, &items)?;
        Context::with_scopes(store, assembly, items, scopes, public_url)
    }

    /// [`Context::load`] with the assembly's items and their scopes already read by the caller
    /// (issuing codes reads them to know who gets one; a second table of 100,000 units was
    /// most of that step's memory, issue 22).
    pub fn with_scopes(
        store: &Store,
        assembly: Assembly,
        items: Vec<Item>,
        scopes: ItemScopes,
        public_url: &str,
    ) -> Result<Context, UseCaseError> {
        let estate = store.estate(&assembly.estate_id)?;
        let estate_lang = store
            .notice_language(&assembly.estate_id)?
            .as_deref()
            .and_then(Lang::from_tag)
            .unwrap_or(Lang::ZhCn);
        let checkpoint = store.latest_checkpoint(&assembly.estate_id)?;
        Ok(Context {
            sms: SmsBudget::load(store, &estate, &assembly.id)?.map(Mutex::new),
            scopes: Some(scopes),
            items,
            contacts: store.owner_contacts(&assembly.estate_id)?,
            assembly,
            estate: estate.name,
            trial: estate.trial,
            estate_lang,
            public_url: public_url.trim_end_matches('/').to_owned(),
            checkpoint,
        })
    }

    /// The context of notices to `owners` only (their contacts alone are read, not the whole
    /// roster's), or `None` when none of them has an e-mail address: nothing to compose.
    pub fn load_for(
        store: &Store,
        assembly: &Assembly,
        owners: &[String],
        public_url: &str,
    ) -> Result<Option<Context>, UseCaseError> {
        let parts = store.notice_parts(&assembly.estate_id, &assembly.id, owners)?;
        Ok(Context::from_parts(store, assembly, parts, public_url))
    }

    /// [`Context::load_for`] from parts already read (with the ballot sheet, in its snapshot).
    pub fn from_parts(
        store: &Store,
        assembly: &Assembly,
        parts: NoticeParts,
        public_url: &str,
    ) -> Option<Context> {
        let NoticeParts {
            contacts,
            estate,
            language,
            checkpoint,
            items,
        } = parts;
        let by_sms = |c: &OwnerContact| estate.sms_notices && c.phone.is_some();
        if contacts.values().all(|c| c.email.is_none() && !by_sms(c)) {
            return None;
        }
        let estate_lang = language
            .as_deref()
            .and_then(Lang::from_tag)
            .unwrap_or(Lang::ZhCn);
        Some(Context {
            // Ballot alerts are composed per ballot: reading the assembly's SMS counts there
            // would cost every ballot a scan of the outbox.
            sms: SmsBudget::alerts_only(store, &estate).map(Mutex::new),
            checkpoint,
            items,
            scopes: None,
            contacts,
            assembly: assembly.clone(),
            estate: estate.name,
            trial: estate.trial,
            estate_lang,
            public_url: public_url.trim_end_matches('/').to_owned(),
        })
    }

    /// The owner's language: their own preference, else the estate's.
    pub fn language(&self, owner: &str) -> Lang {
        self.contacts
            .get(owner)
            .and_then(|c| c.language.as_deref())
            .and_then(Lang::from_tag)
            .unwrap_or(self.estate_lang)
    }

    /// Who may vote on which item (`None` in a context of a few owners' ballot notices).
    pub fn scopes(&self) -> Option<&ItemScopes> {
        self.scopes.as_ref()
    }

    /// The scopes, taken out of a context no longer needed for composing.
    pub fn take_scopes(&mut self) -> Option<ItemScopes> {
        self.scopes.take()
    }

    /// The items `owner` may vote on (none without scopes: see [`Context::scopes`]).
    pub fn items_of(&self, owner: &str) -> Vec<&Item> {
        self.scopes
            .as_ref()
            .map(|s| s.items_of(&self.items, owner))
            .unwrap_or_default()
    }

    /// Whether `owner` may vote on at least one item.
    fn has_items(&self, owner: &str) -> bool {
        self.scopes
            .as_ref()
            .is_some_and(|s| self.items.iter().any(|i| s.covers(&i.id, owner)))
    }

    /// The owner's personal voting link.
    pub fn link(&self, code: &str) -> String {
        format!("{}/v/{code}", self.public_url)
    }

    /// The view of a notice to `owner` (`lang` overrides their language, for previews).
    pub fn view(&self, owner: &str, lang: Option<Lang>) -> Result<View, UseCaseError> {
        let lang = lang.unwrap_or_else(|| self.language(owner));
        let contact = self.contacts.get(owner);
        Ok(View {
            lang,
            name: contact
                .and_then(|c| c.name.clone())
                .unwrap_or_else(|| Msg::MailDearOwner.text(lang).to_owned()),
            units: contact
                .map(|c| c.units.join(if lang == Lang::ZhCn { "、" } else { ", " }))
                .unwrap_or_default(),
            estate: self.estate.clone(),
            title: self.assembly.title.clone(),
            opens_at: local_stored(&self.assembly.opens_at)?,
            closes_at: local_stored(&self.assembly.closes_at)?,
            items: self
                .items_of(owner)
                .into_iter()
                .map(|item| ItemLine {
                    position: item.position,
                    title: item.title.clone(),
                    kind: kind_label(item).text(lang).to_owned(),
                    outcome: String::new(),
                    participation: String::new(),
                })
                .collect(),
            site: self.public_url.clone(),
            link: String::new(),
            code: String::new(),
            channel: String::new(),
            recorded_items: Vec::new(),
            recorded_at: String::new(),
            recorded_by: "",
            changeable: self.assembly.ballots_changeable,
            objections: gongjue_store::publications::objection_period(&self.assembly)
                > chrono::Duration::zero(),
            correction: false,
            objections_until: String::new(),
            is_final: false,
            reason: String::new(),
            extended_from: String::new(),
            transfer_unit: String::new(),
            deed_ref: String::new(),
            transfer_confirmed: false,
            reissued_at: String::new(),
            trial: self.trial,
            checkpoint_line: self.checkpoint_line(lang)?,
            checkpoint_hint: match &self.checkpoint {
                Some(c) => Msg::LogCheckpointHint.text_with(
                    lang,
                    &[("url", log_page(&self.public_url, &c.chain).as_str().into())],
                ),
                None => String::new(),
            },
        })
    }

    /// "Log checkpoint: N entries, root abcd …" in `lang`, or empty before the first one.
    fn checkpoint_line(&self, lang: Lang) -> Result<String, UseCaseError> {
        let Some(c) = &self.checkpoint else {
            return Ok(String::new());
        };
        Ok(Msg::LogCheckpointLine.text_with(
            lang,
            &[
                ("size", Arg::Number(c.size)),
                (
                    "root",
                    crate::tlog::note::short_root(&c.root_hash).as_str().into(),
                ),
                ("at", local_stored(&c.created_at)?.as_str().into()),
            ],
        ))
    }

    /// The notices of `kind` to `owner`: by e-mail and by SMS, as the roster's contacts, the
    /// owner's own choice of channel and the estate's SMS budget allow (the SMS keyed
    /// `sms:{key}`). Empty when neither reaches them: they are served on paper.
    ///
    /// Where the owner chose one channel the other is used only when the chosen one cannot
    /// reach them. A ballot alert goes by every channel whatever the choice: an owner must
    /// learn of a ballot in their name even from a channel an insider could not redirect.
    fn messages(
        &self,
        kind: Kind,
        owner: &str,
        key: String,
        view: &View,
    ) -> Result<Vec<NewEmail>, UseCaseError> {
        let Some(contact) = self.contacts.get(owner) else {
            return Ok(Vec::new());
        };
        let email = contact.email.clone();
        let phone = self
            .sms
            .as_ref()
            .and(contact.phone.as_deref())
            .and_then(crate::sms::text::e164)
            .filter(|_| crate::sms::text::message_of(kind.as_str()).is_some());
        let every = kind == Kind::BallotRecorded;
        let (want_email, want_sms) = match contact.channels.as_deref() {
            _ if every => (true, true),
            Some("email") => (true, email.is_none()),
            Some("sms") => (phone.is_none(), true),
            _ => (true, true),
        };
        let mut out = Vec::new();
        let mut sms_taken = false;
        if let (true, Some(number)) = (want_sms, phone) {
            let text_key = sms_key(&key);
            let allowed = self
                .sms
                .as_ref()
                .and_then(|b| b.lock().ok())
                .is_some_and(|mut b| b.take(kind.as_str(), owner, &text_key));
            if allowed {
                out.push(self.sms_of(kind, owner, text_key, number, view)?);
                sms_taken = true;
            }
        }
        // The chosen SMS held back by the budget: the e-mail after all.
        let want_email = want_email || !sms_taken;
        if let (true, Some(address)) = (want_email, email) {
            let rendered = render::render(kind, view)?;
            out.push(NewEmail {
                estate_id: Some(self.assembly.estate_id.clone()),
                dedupe_key: key,
                recipient: address,
                subject: rendered.subject,
                body_text: rendered.text,
                body_html: Some(rendered.html),
                kind: kind.as_str().into(),
                assembly_id: Some(self.assembly.id.clone()),
                voter: Some(owner.to_owned()),
                sms: None,
            });
        }
        Ok(out)
    }

    /// The SMS of `kind` to `number` (E.164), from the catalogue (`sms::text`).
    fn sms_of(
        &self,
        kind: Kind,
        owner: &str,
        key: String,
        number: String,
        view: &View,
    ) -> Result<NewEmail, UseCaseError> {
        let short = |text: &str| {
            let mut chars = text.chars();
            let head: String = chars.by_ref().take(20).collect();
            if chars.next().is_some() {
                format!("{head}…")
            } else {
                head
            }
        };
        let receipts: Vec<&str> = view
            .recorded_items
            .iter()
            .map(|r| r.receipt.as_str())
            .collect();
        let values = [
            ("estate", short(&view.estate)),
            ("title", short(&view.title)),
            ("opens", view.opens_at.clone()),
            ("closes", view.closes_at.clone()),
            ("link", self.sms_link()),
            ("channel", view.channel.clone()),
            ("at", view.recorded_at.clone()),
            ("receipt", receipts.join(",")),
        ];
        let (text, params) = crate::sms::text::render(kind.as_str(), view.lang, &values)
            .ok_or_else(|| UseCaseError::Internal(format!("no SMS text for {}", kind.as_str())))?;
        Ok(NewEmail {
            estate_id: Some(self.assembly.estate_id.clone()),
            dedupe_key: key,
            recipient: number,
            subject: kind.as_str().into(),
            body_text: text,
            body_html: None,
            kind: kind.as_str().into(),
            assembly_id: Some(self.assembly.id.clone()),
            voter: Some(owner.to_owned()),
            sms: Some(params),
        })
    }

    /// Where an SMS sends the owner: the sign-in by number for this assembly.
    pub fn sms_link(&self) -> String {
        format!("{}/s/{}", self.public_url, self.assembly.id)
    }

    /// SMS the estate's budget held back while composing (0 without SMS).
    pub fn sms_held_back(&self) -> usize {
        self.sms
            .as_ref()
            .and_then(|b| b.lock().ok())
            .map_or(0, |b| b.held_back)
    }

    fn paper_owner(&self, owner: &str) -> PaperOwner {
        let contact = self.contacts.get(owner);
        PaperOwner {
            owner_id: owner.to_owned(),
            name: contact.and_then(|c| c.name.clone()),
            units: contact.map(|c| c.units.clone()).unwrap_or_default(),
        }
    }

    /// One notice of `kind` per owner of `owners`, keyed `{kind}:{assembly}[:{round}]:{owner}`,
    /// composed as the round is drained.
    fn round<'c>(
        &'c self,
        kind: Kind,
        owners: impl IntoIterator<Item = String>,
        round: Option<&str>,
        shape: impl Fn(&mut View) + 'c,
    ) -> Round<'c> {
        Round {
            context: self,
            kind,
            round: round.map(str::to_owned),
            shape: Box::new(shape),
            owners: owners.into_iter().collect::<Vec<_>>().into_iter(),
            paper: Vec::new(),
            emails: 0,
            texts: 0,
            failure: None,
        }
    }

    /// Members of the frozen electorates once the assembly opened, else every owner of the
    /// current roster.
    pub fn members(&self, store: &Store) -> Result<BTreeSet<String>, UseCaseError> {
        let mut members = BTreeSet::new();
        for item in self
            .items
            .iter()
            .filter(|i| i.electorate_frozen_at.is_some())
        {
            members.extend(store.electorate(&item.id)?.into_iter().map(|u| u.voter));
        }
        if members.is_empty() {
            members.extend(self.contacts.keys().cloned());
        }
        Ok(members)
    }

    /// Owners of `owners` neither e-mail nor SMS reaches.
    pub fn without_email(&self, owners: &BTreeSet<String>) -> Vec<PaperOwner> {
        owners
            .iter()
            .filter(|o| {
                self.contacts.get(*o).is_none_or(|c| {
                    c.email.is_none()
                        && (self.sms.is_none()
                            || c.phone
                                .as_deref()
                                .and_then(crate::sms::text::e164)
                                .is_none())
                })
            })
            .map(|o| self.paper_owner(o))
            .collect()
    }

    /// The cancellation notice with its reason, to every member (as [`Context::members`]): the
    /// owners who may have heard of the assembly.
    pub fn cancellations(&self, store: &Store, reason: &str) -> Result<Round<'_>, UseCaseError> {
        let members = self.members(store)?;
        let reason = reason.to_owned();
        Ok(self.round(Kind::Cancellation, members, None, move |view| {
            view.reason.clone_from(&reason);
        }))
    }

    /// The extension notice, to every member of the open assembly: voting now closes at
    /// `to` (a stored timestamp) instead of the current closing time, because of `reason`. Keyed
    /// by the new closing time, so that each extension is its own letter.
    pub fn extensions(
        &self,
        store: &Store,
        to: &str,
        reason: &str,
    ) -> Result<Round<'_>, UseCaseError> {
        let members = self.members(store)?;
        let from = local_stored(&self.assembly.closes_at)?;
        let new_closing = local_stored(to)?;
        let reason = reason.to_owned();
        Ok(self.round(Kind::Extension, members, Some(to), move |view| {
            view.extended_from.clone_from(&from);
            view.closes_at.clone_from(&new_closing);
            view.reason.clone_from(&reason);
        }))
    }

    /// The announcement, to every owner of the current roster who may vote on one of its
    /// items, listing those items.
    pub fn announcements(&self) -> Result<Round<'_>, UseCaseError> {
        Ok(self.round(
            Kind::Announcement,
            self.contacts.keys().filter(|o| self.has_items(o)).cloned(),
            None,
            |_| {},
        ))
    }

    /// The invitation carrying `code` (a new key per issue: a re-issued code is a new letter).
    /// `reissued`: the reason of a confirmed re-issue; the letter then tells the owner that
    /// this code replaces the old one, which no longer works, and to speak up if they did not
    /// ask for it.
    pub fn invitation(
        &self,
        owner: &str,
        code: &str,
        reissued: Option<&str>,
    ) -> Result<Vec<NewEmail>, UseCaseError> {
        let mut view = self.view(owner, None)?;
        view.link = self.link(code);
        view.code = code.to_owned();
        if let Some(reason) = reissued {
            view.reissued_at = local(Utc::now());
            view.reason = reason.to_owned();
        }
        let key = format!(
            "invitation:{}:{owner}:{}",
            self.assembly.id,
            uuid::Uuid::now_v7().simple()
        );
        self.messages(Kind::Invitation, owner, key, &view)
    }

    /// A reminder round to members who have not voted on every item yet. `round` names the
    /// round in the keys: one reminder per member and round, however often it is requested.
    pub fn reminders(&self, store: &Store, round: &str) -> Result<Round<'_>, UseCaseError> {
        let yet = store.members_yet_to_vote(&self.assembly.id)?;
        Ok(self.round(Kind::Reminder, yet, Some(round), |_| {}))
    }

    /// [`Context::reminders`] to the members the round has not reached yet (by either
    /// channel). The scheduler asks every minute, and a round is composed inside the write
    /// that queues it: a round already sent must not be composed again.
    pub fn reminders_not_sent(
        &self,
        store: &Store,
        round: &str,
    ) -> Result<Round<'_>, UseCaseError> {
        let yet = store.members_yet_to_vote(&self.assembly.id)?;
        let key = |owner: &str| notice_key(Kind::Reminder, &self.assembly.id, Some(round), owner);
        let keys: Vec<String> = yet
            .iter()
            .flat_map(|owner| [key(owner), sms_key(&key(owner))])
            .collect();
        let sent = store.queued_keys(&keys)?;
        let fresh = yet.into_iter().filter(|owner| {
            let key = key(owner);
            !sent.contains(&key) && !sent.contains(&sms_key(&key))
        });
        Ok(self.round(Kind::Reminder, fresh, Some(round), |_| {}))
    }

    /// The result notice, to every member, with each item's outcome. Only after closing.
    pub fn results(&self, store: &Store) -> Result<Round<'_>, UseCaseError> {
        let outcomes = self.outcomes(store)?;
        let members = self.members(store)?;
        let stage = self.result_stage(store)?;
        Ok(self.round(Kind::Result, members, None, move |view| {
            stage.shape(view);
            let lang = view.lang;
            for line in &mut view.items {
                if let Some((outcome, participation)) =
                    outcomes.get(&line.position).map(|f| f(lang))
                {
                    line.outcome = outcome;
                    line.participation = participation;
                }
            }
        }))
    }

    /// Where the result stands, for the words of the result notice: when voting actually
    /// closed (an early close is before `closes_at`), whether objections may still be filed
    /// and until when, whether the result is final.
    fn result_stage(&self, store: &Store) -> Result<ResultStage, UseCaseError> {
        let Some(publication) = store.publication(&self.assembly.id)? else {
            return Ok(ResultStage::default());
        };
        let until = timetable::stored(&publication.objections_until)?;
        Ok(ResultStage {
            closed_at: Some(local_stored(&publication.preliminary_at)?),
            objections_until: (!publication.is_final() && Utc::now() < until).then(|| local(until)),
            is_final: publication.is_final(),
        })
    }

    /// Each counted item's outcome, by position, as a function of the language.
    #[allow(clippy::type_complexity)]
    fn outcomes(
        &self,
        store: &Store,
    ) -> Result<BTreeMap<i32, Box<dyn Fn(Lang) -> (String, String)>>, UseCaseError> {
        let mut out: BTreeMap<i32, Box<dyn Fn(Lang) -> (String, String)>> = BTreeMap::new();
        for item in self
            .items
            .iter()
            .filter(|i| i.electorate_frozen_at.is_some())
        {
            let result = serde_json::to_value(count::tally_of(store, item)?.result())
                .map_err(|e| UseCaseError::Internal(e.to_string()))?;
            let kind = item.kind.clone();
            out.insert(
                item.position,
                Box::new(move |lang| {
                    (
                        outcome_words(&kind, &result, lang),
                        participation_words(&result, lang),
                    )
                }),
            );
        }
        Ok(out)
    }

    /// The notice to `owner` that a ballot was recorded in their name on `items` (item id and
    /// full receipt each) through `channel`: online with their code, on paper once confirmed,
    /// by their proxy. `correction_until`: the ballot is a correction recorded after voting
    /// closed, and objections may be filed until then (stored time); its words then say so,
    /// and never that the owner can still vote.
    pub fn ballot_recorded(
        &self,
        owner: &str,
        items: &[(String, String)],
        channel: Channel,
        at: DateTime<Utc>,
        key: String,
        correction_until: Option<&str>,
    ) -> Result<Vec<NewEmail>, UseCaseError> {
        let mut view = self.view(owner, None)?;
        view.channel = channel_words(channel).text(view.lang).to_owned();
        view.recorded_by = channel.as_str();
        view.recorded_items = self
            .items
            .iter()
            .filter_map(|i| {
                let (_, receipt) = items.iter().find(|(id, _)| *id == i.id)?;
                Some(RecordedItem {
                    title: i.title.clone(),
                    receipt: short_receipt(receipt),
                })
            })
            .collect();
        view.recorded_at = local(at);
        if let Some(until) = correction_until {
            view.correction = true;
            view.objections_until = local_stored(until)?;
        }
        self.messages(Kind::BallotRecorded, owner, key, &view)
    }

    /// The notice to a transfer's seller (`owner`) that the vote of `unit` was transferred:
    /// recorded and waiting for a second person's confirmation, or `confirmed` (in effect).
    /// `None` if the roster has no address for them (the transfer's audit entry says so).
    pub fn transfer(
        &self,
        owner: &str,
        unit: &str,
        deed_ref: &str,
        confirmed: bool,
        at: DateTime<Utc>,
        key: String,
    ) -> Result<Vec<NewEmail>, UseCaseError> {
        let mut view = self.view(owner, None)?;
        view.transfer_unit = unit.to_owned();
        view.deed_ref = deed_ref.to_owned();
        view.transfer_confirmed = confirmed;
        view.recorded_at = local(at);
        let kind = if confirmed {
            Kind::TransferConfirmed
        } else {
            Kind::TransferPending
        };
        self.messages(kind, owner, key, &view)
    }

    /// A notice as `owner` would receive it, without queuing anything. The invitation shows a
    /// sample code (the real one exists only when codes are issued).
    pub fn preview(
        &self,
        store: &Store,
        kind: Kind,
        owner: &str,
        lang: Option<Lang>,
    ) -> Result<Rendered, UseCaseError> {
        let mut view = self.view(owner, lang)?;
        match kind {
            Kind::Announcement | Kind::Reminder => {}
            Kind::Cancellation => view.reason = "……".into(),
            Kind::Extension => {
                view.extended_from = view.closes_at.clone();
                view.reason = "……".into();
            }
            Kind::Invitation => {
                view.code = "ABCD-EFGH-JKMN".into();
                view.link = self.link(&view.code);
            }
            Kind::Result => {
                self.result_stage(store)?.shape(&mut view);
                let outcomes = self.outcomes(store)?;
                for line in &mut view.items {
                    if let Some((outcome, participation)) =
                        outcomes.get(&line.position).map(|f| f(view.lang))
                    {
                        line.outcome = outcome;
                        line.participation = participation;
                    }
                }
            }
            Kind::BallotRecorded => {
                view.channel = Msg::ChannelPaper.text(view.lang).to_owned();
                view.recorded_by = Channel::Paper.as_str();
                view.recorded_items = self
                    .items_of(owner)
                    .into_iter()
                    .map(|i| RecordedItem {
                        title: i.title.clone(),
                        receipt: "9F3A-21C0-7B44".into(),
                    })
                    .collect();
                view.recorded_at = local(Utc::now());
            }
            Kind::TransferPending | Kind::TransferConfirmed => {
                view.transfer_unit = view
                    .units
                    .split(['、', ','])
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_owned();
                view.deed_ref = "沪(2026)不动产权第0012345号".into();
                view.transfer_confirmed = kind == Kind::TransferConfirmed;
                view.recorded_at = local(Utc::now());
            }
        }
        render::render(kind, &view)
    }
}

/// How a ballot was recorded, in the notice's words.
fn channel_words(channel: Channel) -> Msg {
    match channel {
        Channel::Web => Msg::ChannelWeb,
        Channel::Paper => Msg::ChannelPaper,
        Channel::Proxy => Msg::ChannelProxy,
    }
}

/// Where a closed assembly's result stands (see [`Context::result_stage`]).
#[derive(Debug, Default)]
struct ResultStage {
    closed_at: Option<String>,
    objections_until: Option<String>,
    is_final: bool,
}

impl ResultStage {
    fn shape(&self, view: &mut View) {
        if let Some(closed_at) = &self.closed_at {
            view.closes_at = closed_at.clone();
        }
        view.objections_until = self.objections_until.clone().unwrap_or_default();
        view.is_final = self.is_final;
    }
}

fn outcome_words(kind: &str, result: &Value, lang: Lang) -> String {
    let outcome = result.get("outcome").and_then(Value::as_str).unwrap_or("");
    let word = |m: Msg| m.text(lang).to_owned();
    match (kind, outcome) {
        (_, "no_quorum") => word(Msg::OutcomeNoQuorum),
        ("motion", "passed") => word(Msg::OutcomePassed),
        ("motion", _) => word(Msg::OutcomeRejected),
        ("election", _) => {
            let elected: Vec<&str> = result
                .get("elected")
                .and_then(Value::as_array)
                .map(|e| e.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            if elected.is_empty() {
                word(Msg::OutcomeNobodyElected)
            } else {
                format!(
                    "{}{}{}",
                    word(Msg::OutcomeElected),
                    if lang == Lang::ZhCn { "：" } else { ": " },
                    elected.join(if lang == Lang::ZhCn { "、" } else { ", " })
                )
            }
        }
        _ => word(Msg::OutcomeCounted),
    }
}

fn participation_words(result: &Value, lang: Lang) -> String {
    let figure = |part: &str, field: &str| {
        result
            .get(part)
            .and_then(|p| p.get(field))
            .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
            .unwrap_or_default()
    };
    let (heads, total_heads) = (figure("participation", "heads"), figure("totals", "heads"));
    let (area, total_area) = (figure("participation", "area"), figure("totals", "area"));
    match lang {
        Lang::ZhCn => {
            format!("参与表决：{heads}/{total_heads} 人，专有部分面积 {area}/{total_area} 平方米")
        }
        Lang::En => {
            format!("took part: {heads} of {total_heads} owners, {area} of {total_area} m²")
        }
    }
}
