//! The ballot write path. Casting, changing or entering a ballot is one transaction:
//! the history row, the current ballot and the audit entry are stored together or not at all.
//!
//! Writers of one estate serialise on its audit chain lock (taken first), so the check of the
//! idempotency key, the read of the current ballot and the upsert cannot interleave; the
//! primary key (item, voter) of `ballots` backs this up in the database.

use diesel::connection::DefaultLoadingMode;
use diesel::prelude::*;
use serde::Serialize;

use crate::assemblies::{Item, load_assembly, load_item};
use crate::audit::{self, NewAuditEntry, sha256_hex};
use crate::db::{AnyConnection, new_id, now};
use crate::electorate::is_member;
use crate::outbox::{self, NewEmail};
use crate::schema::{ballot_versions, ballots};
use crate::{Store, StoreError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Web,
    Paper,
    Proxy,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Web => "web",
            Channel::Paper => "paper",
            Channel::Proxy => "proxy",
        }
    }
}

/// One cast, change or paper entry, as the API received it.
#[derive(Debug, Clone)]
pub struct CastBallot {
    pub item_id: String,
    pub voter: String,
    pub channel: Channel,
    /// In the tally bundle's ballot format: `"yes"`, `["c1","c3"]`, `{"q1": ["a"]}`, …
    pub choice: serde_json::Value,
    /// The receipt time of a paper ballot; `None` = now.
    pub cast_at: Option<String>,
    pub proxy_id: Option<String>,
    /// The staff user who typed in a paper ballot.
    pub entered_by: Option<String>,
    /// Chosen by the client per request: a retry with the same key returns the stored result.
    pub idempotency_key: String,
    /// Who is acting (owner session, proxy holder or staff user), for the audit log.
    pub actor: String,
}

/// An audit entry that goes with a paper ballot of a sheet (see [`Store::enter_paper_sheet`]).
#[derive(Debug, Clone, PartialEq)]
pub struct PaperNote {
    /// E.g. `ballot.paper_filed`, `ballot.corrected`.
    pub action: String,
    pub detail: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = ballot_versions)]
pub struct BallotVersion {
    pub id: String,
    pub item_id: String,
    pub voter: String,
    /// 1 for the voter's first ballot on the item, then 2, 3, …
    pub seq: i64,
    pub channel: String,
    /// JSON text of the choice.
    pub choice: String,
    pub cast_at: String,
    pub recorded_at: String,
    pub proxy_id: Option<String>,
    pub idempotency_key: String,
    pub request_sha256: String,
    pub entered_by: Option<String>,
    pub confirmed_by: Option<String>,
    pub confirmed_at: Option<String>,
    /// A secret random value (32 hex digits) hashed into the receipt, so that the receipt tells
    /// nothing about the choice to whoever lacks the owner's copy. Never shown, never
    /// serialized. `None` for versions stored before receipts had one (the old formula).
    #[serde(skip)]
    pub receipt_secret: Option<String>,
}

/// The receipt formula of versions without a secret (stored before `gongjue-ballot/2`).
pub const RECEIPT_V1: &str = "gongjue-ballot/1";
/// The receipt formula with the version's secret random value.
pub const RECEIPT_V2: &str = "gongjue-ballot/2";

/// A fresh secret for a receipt: 16 bytes of the operating system's CSPRNG, as hex.
fn receipt_secret() -> Result<String, StoreError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| {
        StoreError::Unavailable(format!("no random value for a ballot's receipt: {e}"))
    })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

impl BallotVersion {
    /// A paper ballot counts only once a second person confirmed it.
    pub fn counts(&self) -> bool {
        self.channel != Channel::Paper.as_str() || self.confirmed_at.is_some()
    }

    /// The ballot's receipt, which the voter can look for later in the published list: a hash
    /// of what was recorded and of the version's secret random value. The audit log carries it
    /// too (so that a changed ballot row is found), and staff read the log while voting is
    /// open: without the secret, hashing the few possible choices with the other fields would
    /// tell them the choice. A version stored before secrets existed keeps its old receipt
    /// (the chain sealed it), hashed without one.
    pub fn receipt(&self) -> String {
        let canonical = match &self.receipt_secret {
            Some(secret) => serde_json::json!([
                RECEIPT_V2,
                self.id,
                self.item_id,
                self.voter,
                self.seq,
                self.channel,
                self.choice,
                self.cast_at,
                self.proxy_id,
                secret
            ]),
            None => serde_json::json!([
                RECEIPT_V1,
                self.id,
                self.item_id,
                self.voter,
                self.seq,
                self.channel,
                self.choice,
                self.cast_at,
                self.proxy_id
            ]),
        };
        sha256_hex(canonical.to_string().as_bytes())
    }
}

#[derive(
    Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, AsChangeset, Serialize,
)]
#[diesel(table_name = ballots, treat_none_as_null = true)]
pub struct CurrentBallot {
    pub item_id: String,
    pub voter: String,
    pub version_id: String,
    pub seq: i64,
    pub channel: String,
    pub choice: String,
    pub cast_at: String,
    pub proxy_id: Option<String>,
    pub entered_by: Option<String>,
    pub confirmed_by: Option<String>,
    pub confirmed_at: Option<String>,
}

impl From<&BallotVersion> for CurrentBallot {
    fn from(v: &BallotVersion) -> Self {
        CurrentBallot {
            item_id: v.item_id.clone(),
            voter: v.voter.clone(),
            version_id: v.id.clone(),
            seq: v.seq,
            channel: v.channel.clone(),
            choice: v.choice.clone(),
            cast_at: v.cast_at.clone(),
            proxy_id: v.proxy_id.clone(),
            entered_by: v.entered_by.clone(),
            confirmed_by: v.confirmed_by.clone(),
            confirmed_at: v.confirmed_at.clone(),
        }
    }
}

/// The result of a cast: the stored version, and whether it was stored by an earlier try.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CastOutcome {
    pub version: BallotVersion,
    pub replayed: bool,
}

/// A counted ballot of an item, in the shape the tally bundle needs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountedBallot {
    pub voter: String,
    pub choice: serde_json::Value,
    pub channel: String,
    pub cast_at: String,
    pub proxy: Option<String>,
}

pub(crate) fn request_digest(cast: &CastBallot) -> String {
    let canonical = serde_json::json!([
        cast.item_id,
        cast.voter,
        cast.channel.as_str(),
        cast.choice,
        cast.cast_at,
        cast.proxy_id,
        cast.entered_by
    ]);
    sha256_hex(canonical.to_string().as_bytes())
}

fn estate_of_item(conn: &mut AnyConnection, item_id: &str) -> Result<String, StoreError> {
    use crate::schema::{assemblies, items};
    items::table
        .inner_join(assemblies::table)
        .filter(items::id.eq(item_id))
        .select(assemblies::estate_id)
        .first(conn)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("item {item_id}")))
}

/// Whether `cast` may replace the member's `previous` ballot: a proxy never overrides the
/// member's own ballot, and the member's own ballot supersedes their proxy's even where ballots
/// cannot be changed. `changeable` is asked only when it matters.
pub(crate) fn check_replacement(
    cast: &CastBallot,
    previous: &CurrentBallot,
    changeable: impl FnOnce() -> Result<bool, StoreError>,
) -> Result<(), StoreError> {
    // Of two versions of a member's ballot, the one cast or received later wins: a paper
    // ballot received before the current ballot was cast (e.g. a newer web ballot) never
    // replaces it. (Timestamps are fixed-width UTC text: text order is time order.)
    if cast.channel == Channel::Paper
        && cast
            .cast_at
            .as_deref()
            .is_some_and(|received| received < previous.cast_at.as_str())
    {
        return Err(StoreError::Conflict(
            "the paper ballot was received before the member's current ballot was cast: the later one stands".into(),
        ));
    }
    let previous_by_proxy = previous.channel == Channel::Proxy.as_str();
    if cast.channel == Channel::Proxy && !previous_by_proxy {
        return Err(StoreError::Conflict(
            "the member voted themselves: their own ballot supersedes the proxy's".into(),
        ));
    }
    let own_over_proxy = cast.channel != Channel::Proxy && previous_by_proxy;
    if !own_over_proxy && !changeable()? {
        return Err(StoreError::Conflict(
            "this assembly does not allow changing a ballot".into(),
        ));
    }
    Ok(())
}

/// The version `cast` makes of the member's ballot on `item_id`, after `previous`.
pub(crate) fn new_version(
    cast: &CastBallot,
    item_id: &str,
    previous: Option<&CurrentBallot>,
    digest: String,
) -> Result<BallotVersion, StoreError> {
    let recorded_at = now();
    Ok(BallotVersion {
        id: new_id(),
        item_id: item_id.to_owned(),
        voter: cast.voter.clone(),
        seq: previous.map_or(1, |p| p.seq + 1),
        channel: cast.channel.as_str().into(),
        choice: cast.choice.to_string(),
        cast_at: cast.cast_at.clone().unwrap_or_else(|| recorded_at.clone()),
        recorded_at,
        proxy_id: cast.proxy_id.clone(),
        idempotency_key: cast.idempotency_key.clone(),
        request_sha256: digest,
        entered_by: cast.entered_by.clone(),
        confirmed_by: None,
        confirmed_at: None,
        receipt_secret: Some(receipt_secret()?),
    })
}

fn current(
    conn: &mut AnyConnection,
    item_id: &str,
    voter: &str,
) -> Result<Option<CurrentBallot>, StoreError> {
    Ok(ballots::table
        .find((item_id, voter))
        .select(CurrentBallot::as_select())
        .first(conn)
        .optional()?)
}

/// A proxy ballot must name an active proxy of this member that covers this item.
pub(crate) fn check_proxy(
    conn: &mut AnyConnection,
    proxy_id: &str,
    item_id: &str,
    assembly_id: &str,
    voter: &str,
) -> Result<(), StoreError> {
    use crate::schema::{proxies, proxy_items};
    let proxy: Option<(String, String, bool, Option<String>)> = proxies::table
        .find(proxy_id)
        .select((
            proxies::assembly_id,
            proxies::member,
            proxies::whole_assembly,
            proxies::revoked_at,
        ))
        .first(conn)
        .optional()?;
    let Some((proxy_assembly, member, whole, revoked)) = proxy else {
        return Err(StoreError::NotFound(format!("proxy {proxy_id}")));
    };
    let covers = whole
        || proxy_items::table
            .find((proxy_id, item_id))
            .count()
            .get_result::<i64>(conn)?
            > 0;
    if proxy_assembly != assembly_id || member != voter || revoked.is_some() || !covers {
        return Err(StoreError::Conflict(format!(
            "proxy {proxy_id} does not cover this member and item"
        )));
    }
    Ok(())
}

fn store_cast(
    conn: &mut AnyConnection,
    estate_id: &str,
    cast: &CastBallot,
    digest: String,
) -> Result<CastOutcome, StoreError> {
    audit::lock_chain(conn, estate_id)?;
    let earlier: Option<BallotVersion> = ballot_versions::table
        .filter(ballot_versions::idempotency_key.eq(&cast.idempotency_key))
        .select(BallotVersion::as_select())
        .first(conn)
        .optional()?;
    if let Some(version) = earlier {
        if version.request_sha256 != digest {
            return Err(StoreError::Conflict(
                "idempotency key already used for a different ballot".into(),
            ));
        }
        return Ok(CastOutcome {
            version,
            replayed: true,
        });
    }
    let item = load_item(conn, &cast.item_id)?;
    // After closing, only paper ballots during the objection period: corrections of the record.
    let correcting = item.state == "closed"
        && cast.channel == Channel::Paper
        && crate::publications::find(conn, &item.assembly_id)?.is_some_and(|p| !p.is_final());
    if item.state != "open" && !correcting {
        return Err(StoreError::Conflict(format!(
            "item {} is {}, not open for voting",
            item.id, item.state
        )));
    }
    if !is_member(conn, &item.id, &cast.voter)? {
        return Err(StoreError::NotFound(format!(
            "voter {} in the electorate of item {}",
            cast.voter, item.id
        )));
    }
    if correcting {
        check_correction(conn, &item.id, &cast.voter, None)?;
    }
    if let Some(proxy_id) = &cast.proxy_id {
        check_proxy(conn, proxy_id, &item.id, &item.assembly_id, &cast.voter)?;
    }
    let previous = current(conn, &item.id, &cast.voter)?;
    if let Some(previous) = &previous {
        // Checked here, under the lock, because the check and the write must not interleave.
        check_replacement(cast, previous, || {
            Ok(load_assembly(conn, &item.assembly_id)?.ballots_changeable)
        })?;
    }
    let version = new_version(cast, &item.id, previous.as_ref(), digest)?;
    diesel::insert_into(ballot_versions::table)
        .values(&version)
        .execute(conn)?;
    let row = CurrentBallot::from(&version);
    if previous.is_some() {
        diesel::update(ballots::table.find((&row.item_id, &row.voter)))
            .set(&row)
            .execute(conn)?;
    } else {
        diesel::insert_into(ballots::table)
            .values(&row)
            .execute(conn)?;
    }
    audit::append(conn, cast_audit_entry(estate_id, &cast.actor, &version))?;
    Ok(CastOutcome {
        version,
        replayed: false,
    })
}

/// After voting closed, a paper ballot corrects the record only in answer to an open objection
/// of the same member on the same item (filed by `at` at the latest, when given: before the
/// correction was entered). Checked when it is entered and again when it is confirmed.
pub(crate) fn check_correction(
    conn: &mut AnyConnection,
    item_id: &str,
    voter: &str,
    at: Option<&str>,
) -> Result<(), StoreError> {
    if crate::publications::has_open_objection(conn, item_id, voter, at)? {
        Ok(())
    } else {
        Err(StoreError::Conflict(
            "after voting closed, a paper ballot only corrects the record in answer to an open objection of this member on this item".into(),
        ))
    }
}

/// The audit entry of a stored cast.
pub(crate) fn cast_audit_entry(
    estate_id: &str,
    actor: &str,
    version: &BallotVersion,
) -> NewAuditEntry {
    NewAuditEntry {
        chain: estate_id.to_owned(),
        actor: actor.to_owned(),
        action: "ballot.cast".into(),
        subject: version.id.clone(),
        detail: serde_json::json!({
            "item": version.item_id, "voter": version.voter, "seq": version.seq, "channel": version.channel,
            "receipt": version.receipt(), "proxy": version.proxy_id, "entered_by": version.entered_by,
        }),
    }
}

/// Composes the mail a ballot sheet causes from what was stored.
type Composer = dyn Fn(&[CastOutcome]) -> Result<Vec<NewEmail>, StoreError> + Send + Sync;

/// The mail a ballot sheet causes — the owner's notice of each ballot recorded in their name,
/// with its receipt — composed from the sheet's outcomes inside the sheet's own transaction
/// (the receipt exists only once the version does), and queued with the ballots or not at all.
/// A retried sheet composes the same mail again from the stored versions; its keys derive from
/// the request, so the outbox queues it once.
#[derive(Clone, Default)]
pub struct SheetNotices(Option<std::sync::Arc<Composer>>);

impl SheetNotices {
    /// No mail.
    pub fn none() -> SheetNotices {
        SheetNotices(None)
    }

    /// Mail composed by `compose` from the stored outcomes, in the order of the sheet's casts.
    pub fn composed(
        compose: impl Fn(&[CastOutcome]) -> Result<Vec<NewEmail>, StoreError> + Send + Sync + 'static,
    ) -> SheetNotices {
        SheetNotices(Some(std::sync::Arc::new(compose)))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    pub(crate) fn compose(&self, outcomes: &[CastOutcome]) -> Result<Vec<NewEmail>, StoreError> {
        match &self.0 {
            Some(compose) => compose(outcomes),
            None => Ok(Vec::new()),
        }
    }
}

impl std::fmt::Debug for SheetNotices {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "SheetNotices(composed)"
        } else {
            "SheetNotices(none)"
        })
    }
}

/// Stores one ballot sheet inside the caller's write transaction: every ballot, or (with an
/// error) none once the caller rolls back.
/// Its `notices` are composed and queued with it, in the same savepoint.
pub(crate) fn store_sheet(
    conn: &mut AnyConnection,
    estate_id: &str,
    casts: &[CastBallot],
    notices: &SheetNotices,
) -> Result<Vec<CastOutcome>, StoreError> {
    let outcomes = casts
        .iter()
        .map(|cast| {
            if estate_of_item(conn, &cast.item_id)? != estate_id {
                return Err(StoreError::Invalid(
                    "one ballot sheet belongs to one estate".into(),
                ));
            }
            store_cast(conn, estate_id, cast, request_digest(cast))
        })
        .collect::<Result<Vec<_>, _>>()?;
    if !notices.is_empty() {
        outbox::enqueue_all(conn, &notices.compose(&outcomes)?)?;
    }
    Ok(outcomes)
}

/// What a ballot route checks about one voter on one item before it casts: read with one
/// connection, so that the route's checks cost one pool checkout (the store checks again when
/// it stores, under the chain's lock).
#[derive(Debug, Clone)]
pub struct VoterOnItem {
    pub item: Item,
    pub in_electorate: bool,
    pub current: Option<CurrentBallot>,
    /// The idempotency key of the current ballot's version: a client's retry carries it again.
    pub current_key: Option<String>,
}

/// Confirms one paper ballot inside the caller's write transaction, the estate's chain locked:
/// refused unless it is a paper ballot not yet confirmed, entered by someone else, still the
/// member's current ballot, and its item still counts (open, or a correction answering an
/// objection during the objection period).
fn confirm_in(
    conn: &mut AnyConnection,
    estate_id: &str,
    version_id: &str,
    confirmed_by: &str,
) -> Result<BallotVersion, StoreError> {
    let mut version: BallotVersion = ballot_versions::table
        .find(version_id)
        .select(BallotVersion::as_select())
        .first(conn)?;
    if version.channel != Channel::Paper.as_str() {
        return Err(StoreError::Conflict(
            "only paper ballots are confirmed".into(),
        ));
    }
    if version.confirmed_at.is_some() {
        return Err(StoreError::Conflict(
            "this paper ballot is already confirmed".into(),
        ));
    }
    if version.entered_by.as_deref() == Some(confirmed_by) {
        return Err(StoreError::Conflict(
            "a paper ballot must be confirmed by someone other than who entered it".into(),
        ));
    }
    // Checked again under the lock: a newer ballot (e.g. the owner's web ballot) may
    // have come in since the entry, and a correction must still answer an objection.
    if current(conn, &version.item_id, &version.voter)?.is_none_or(|c| c.version_id != version.id) {
        return Err(StoreError::Conflict(
            "a newer ballot of the member replaced this paper ballot".into(),
        ));
    }
    let item = load_item(conn, &version.item_id)?;
    if item.state != "open" {
        let correcting = item.state == "closed"
            && crate::publications::find(conn, &item.assembly_id)?.is_some_and(|p| !p.is_final());
        if !correcting {
            return Err(StoreError::Conflict(format!(
                "item {} is {}: the count is closed",
                item.id, item.state
            )));
        }
        check_correction(conn, &item.id, &version.voter, Some(&version.recorded_at))?;
    }
    let at = now();
    diesel::update(ballot_versions::table.find(version_id))
        .set((
            ballot_versions::confirmed_by.eq(confirmed_by),
            ballot_versions::confirmed_at.eq(&at),
        ))
        .execute(conn)?;
    // If a later version superseded this one, the confirmation is kept in history only.
    diesel::update(ballots::table.filter(ballots::version_id.eq(version_id)))
        .set((
            ballots::confirmed_by.eq(confirmed_by),
            ballots::confirmed_at.eq(&at),
        ))
        .execute(conn)?;
    version.confirmed_by = Some(confirmed_by.to_owned());
    version.confirmed_at = Some(at);
    audit::append(
        conn,
        NewAuditEntry {
            chain: estate_id.to_owned(),
            actor: confirmed_by.to_owned(),
            action: "ballot.confirmed".into(),
            subject: version.id.clone(),
            detail: serde_json::json!({ "item": version.item_id, "voter": version.voter, "seq": version.seq, "receipt": version.receipt() }),
        },
    )?;
    Ok(version)
}

/// See [`Store::ballot_sheet`].
#[derive(Debug)]
pub struct BallotSheet {
    pub assembly: crate::assemblies::Assembly,
    /// Empty unless asked for ([`SheetQuery::proxies`]).
    pub proxies_held: Vec<(crate::proxies::Proxy, Vec<String>)>,
    pub votes: Vec<Result<VoterOnItem, StoreError>>,
    /// What the notices of the sheet's members are composed from, if asked for.
    pub notices: Option<crate::notices::NoticeParts>,
}

/// What [`Store::ballot_sheet`] reads.
#[derive(Debug, Clone, Copy)]
pub struct SheetQuery<'a> {
    pub assembly_id: &'a str,
    /// The owner casting the sheet.
    pub holder: &'a str,
    /// Each vote's `(item, voter)`.
    pub votes: &'a [(&'a str, &'a str)],
    /// The session to check in the same snapshot (token id and its holder), for a caller that
    /// has not checked it yet.
    pub session: Option<(&'a str, &'a crate::sessions::Holder)>,
    /// Whether to read the proxies the holder holds (only votes on behalf need them).
    pub proxies: bool,
    /// The members whose [`crate::notices::NoticeParts`] to read.
    pub notices_for: Option<&'a [String]>,
}

fn voter_on_item(
    conn: &mut AnyConnection,
    item_id: &str,
    voter: &str,
) -> Result<VoterOnItem, StoreError> {
    let item = load_item(conn, item_id)?;
    let in_electorate = is_member(conn, item_id, voter)?;
    let current = current(conn, item_id, voter)?;
    let current_key = match &current {
        Some(c) => ballot_versions::table
            .find(&c.version_id)
            .select(ballot_versions::idempotency_key)
            .first(conn)
            .optional()?,
        None => None,
    };
    Ok(VoterOnItem {
        item,
        in_electorate,
        current,
        current_key,
    })
}

impl Store {
    /// The item, whether the voter is in its electorate, and their current ballot on it.
    pub fn voter_on_item(&self, item_id: &str, voter: &str) -> Result<VoterOnItem, StoreError> {
        let mut conn = self.conn()?;
        voter_on_item(&mut conn, item_id, voter)
    }

    /// What an owner's ballot sheet is checked against, read with ONE pool checkout in one
    /// snapshot: the session's standing, the assembly, the proxies the holder holds in it, each
    /// `(item, voter)` of the sheet as [`Store::voter_on_item`] reads it (an unknown item is its
    /// own `NotFound`, in order, so the route reports the first bad vote as before), and what the
    /// members' notices need. Each read is a round trip to PostgreSQL: one checkout and one
    /// snapshot for all of them keeps a ballot to a few. `None`: the session has ended.
    pub fn ballot_sheet(&self, query: SheetQuery<'_>) -> Result<Option<BallotSheet>, StoreError> {
        self.read(|conn| {
            if let Some((jti, holder)) = query.session
                && !crate::sessions::session_is_current(conn, jti, holder)?
            {
                return Ok(None);
            }
            let assembly = load_assembly(conn, query.assembly_id)?;
            let proxies_held = if query.proxies {
                crate::lookup::proxies_held(conn, query.assembly_id, query.holder)?
            } else {
                Vec::new()
            };
            let mut found = Vec::with_capacity(query.votes.len());
            for (item_id, voter) in query.votes {
                match voter_on_item(conn, item_id, voter) {
                    Err(StoreError::NotFound(what)) => found.push(Err(StoreError::NotFound(what))),
                    other => found.push(Ok(other?)),
                }
            }
            let notices = match query.notices_for {
                Some(owners) => Some(crate::notices::notice_parts(
                    conn,
                    &assembly.estate_id,
                    &assembly.id,
                    owners,
                )?),
                None => None,
            };
            Ok(Some(BallotSheet {
                assembly,
                proxies_held,
                votes: found,
                notices,
            }))
        })
    }

    /// Casts, changes or enters a ballot. A retry with the same idempotency key returns the
    /// stored version (`replayed`) and stores nothing; the same key with another request is a
    /// conflict. Refused unless the item is open and the voter is in its frozen electorate.
    pub fn cast_ballot(&self, cast: &CastBallot) -> Result<CastOutcome, StoreError> {
        let mut outcomes = self.cast_ballots(std::slice::from_ref(cast))?;
        outcomes
            .pop()
            .ok_or_else(|| StoreError::Invalid("no ballot given".into()))
    }

    /// Casts several ballots of one estate (a whole ballot sheet) in one transaction: all of
    /// them are stored, or none. Returns once they are durably committed.
    pub fn cast_ballots(&self, casts: &[CastBallot]) -> Result<Vec<CastOutcome>, StoreError> {
        self.cast_ballots_with_notices(casts, SheetNotices::none())
    }

    /// [`Store::cast_ballots`], queuing `notices` in the same transaction (the notice a member
    /// receives of every ballot recorded in their name, with its receipt). A replayed request
    /// queues nothing new when its notices' keys derive from the request.
    pub fn cast_ballots_with_notices(
        &self,
        casts: &[CastBallot],
        notices: SheetNotices,
    ) -> Result<Vec<CastOutcome>, StoreError> {
        let Some(first) = casts.first() else {
            return Ok(Vec::new());
        };
        let estate_id = {
            let mut conn = self.conn()?;
            estate_of_item(&mut conn, &first.item_id)?
        };
        self.cast_estate_ballots(&estate_id, casts, notices)
    }

    /// [`Store::cast_ballots_with_notices`] for a caller that knows the sheet's estate (it read
    /// the assembly): one read less. A sheet of another estate is refused when it is stored.
    pub fn cast_estate_ballots(
        &self,
        estate_id: &str,
        casts: &[CastBallot],
        notices: SheetNotices,
    ) -> Result<Vec<CastOutcome>, StoreError> {
        if casts.iter().any(|cast| cast.idempotency_key.is_empty()) {
            return Err(StoreError::Invalid("an idempotency key is required".into()));
        }
        if casts.is_empty() {
            return Ok(Vec::new());
        }
        let estate_id = estate_id.to_owned();
        // Committed together with the casts of other requests that arrive meanwhile, each in
        // its own savepoint, and answered only after that commit (see `group_commit.rs`).
        self.intake.submit(self, estate_id, casts.to_vec(), notices)
    }

    /// Stores several ballot sheets (each a list of casts of one estate) in one transaction and
    /// one commit, as the group commit of concurrent casts does: each sheet is checked and
    /// stored inside its own savepoint, so a refused sheet gets its error and the others are
    /// stored all the same. The outer `Err` means the batch failed as a whole and nothing was
    /// stored.
    pub fn cast_sheets(
        &self,
        sheets: &[Vec<CastBallot>],
    ) -> Result<Vec<Result<Vec<CastOutcome>, StoreError>>, StoreError> {
        let mut estates = Vec::with_capacity(sheets.len());
        for sheet in sheets {
            let first = sheet
                .first()
                .ok_or_else(|| StoreError::Invalid("an empty ballot sheet".into()))?;
            if sheet.iter().any(|cast| cast.idempotency_key.is_empty()) {
                return Err(StoreError::Invalid("an idempotency key is required".into()));
            }
            let mut conn = self.conn()?;
            estates.push(estate_of_item(&mut conn, &first.item_id)?);
        }
        let none = SheetNotices::none();
        let batch: Vec<(&str, &[CastBallot], &SheetNotices)> = estates
            .iter()
            .zip(sheets)
            .map(|(e, s)| (e.as_str(), s.as_slice(), &none))
            .collect();
        crate::group_commit::write_batch(self, &batch)
    }

    /// Stores a paper ballot sheet as staff typed it in, in one transaction: every ballot with,
    /// for each newly stored one that has a note (`notes[i]` for `casts[i]`: the scan's
    /// reference, a correction's reason), that note as an audit entry `action` on its version.
    /// All of it or, with an error, none of it: a sheet is never stored in part. A retried sheet
    /// (same idempotency keys) returns the stored versions and adds no note again.
    pub fn enter_paper_sheet(
        &self,
        estate_id: &str,
        casts: &[CastBallot],
        notes: &[Option<PaperNote>],
    ) -> Result<Vec<CastOutcome>, StoreError> {
        if casts.iter().any(|cast| cast.idempotency_key.is_empty()) {
            return Err(StoreError::Invalid("an idempotency key is required".into()));
        }
        self.write(|conn| {
            let outcomes = store_sheet(conn, estate_id, casts, &SheetNotices::none())?;
            for ((outcome, cast), note) in outcomes.iter().zip(casts).zip(notes) {
                let Some(note) = note.as_ref().filter(|_| !outcome.replayed) else {
                    continue;
                };
                audit::append(
                    conn,
                    NewAuditEntry {
                        chain: estate_id.to_owned(),
                        actor: cast.actor.clone(),
                        action: note.action.clone(),
                        subject: outcome.version.id.clone(),
                        detail: note.detail.clone(),
                    },
                )?;
            }
            Ok(outcomes)
        })
    }

    /// Records the second person's confirmation of a paper ballot; only then does it count.
    pub fn confirm_paper_ballot(
        &self,
        version_id: &str,
        confirmed_by: &str,
    ) -> Result<BallotVersion, StoreError> {
        self.confirm_paper_ballot_with_notice(version_id, confirmed_by, &[])
    }

    /// [`Store::confirm_paper_ballot`], queuing the owner's confirmation notice (an early
    /// warning against a forged paper ballot) in the same transaction.
    pub fn confirm_paper_ballot_with_notice(
        &self,
        version_id: &str,
        confirmed_by: &str,
        notices: &[NewEmail],
    ) -> Result<BallotVersion, StoreError> {
        let estate_id = {
            let mut conn = self.conn()?;
            let item_id: String = ballot_versions::table
                .find(version_id)
                .select(ballot_versions::item_id)
                .first(&mut *conn)
                .optional()?
                .ok_or_else(|| StoreError::NotFound(format!("ballot {version_id}")))?;
            estate_of_item(&mut conn, &item_id)?
        };
        self.write(|conn| {
            audit::lock_chain(conn, &estate_id)?;
            let version = confirm_in(conn, &estate_id, version_id, confirmed_by)?;
            for notice in notices {
                outbox::enqueue(conn, notice)?;
            }
            Ok(version)
        })
    }

    /// Confirms every paper ballot of one sheet (`version_ids`, of one estate) in one
    /// transaction, each checked as [`Store::confirm_paper_ballot_with_notice`] checks one: all
    /// of them or, with an error, none. `notice` (the owner's one notice of the sheet) is queued
    /// with them.
    pub fn confirm_paper_sheet(
        &self,
        version_ids: &[String],
        confirmed_by: &str,
        notices: &[NewEmail],
    ) -> Result<Vec<BallotVersion>, StoreError> {
        let Some(first) = version_ids.first() else {
            return Ok(Vec::new());
        };
        let estate_id = {
            let mut conn = self.conn()?;
            let item_id: String = ballot_versions::table
                .find(first)
                .select(ballot_versions::item_id)
                .first(&mut *conn)
                .optional()?
                .ok_or_else(|| StoreError::NotFound(format!("ballot {first}")))?;
            estate_of_item(&mut conn, &item_id)?
        };
        self.write(|conn| {
            audit::lock_chain(conn, &estate_id)?;
            let mut confirmed = Vec::with_capacity(version_ids.len());
            for version_id in version_ids {
                let item_id: String = ballot_versions::table
                    .find(version_id)
                    .select(ballot_versions::item_id)
                    .first(conn)
                    .optional()?
                    .ok_or_else(|| StoreError::NotFound(format!("ballot {version_id}")))?;
                if estate_of_item(conn, &item_id)? != estate_id {
                    return Err(StoreError::Invalid(
                        "one paper sheet belongs to one estate".into(),
                    ));
                }
                confirmed.push(confirm_in(conn, &estate_id, version_id, confirmed_by)?);
            }
            for notice in notices {
                outbox::enqueue(conn, notice)?;
            }
            Ok(confirmed)
        })
    }

    /// The voter's current ballot on an item, if any (counted or not).
    pub fn current_ballot(
        &self,
        item_id: &str,
        voter: &str,
    ) -> Result<Option<CurrentBallot>, StoreError> {
        let mut conn = self.conn()?;
        current(&mut conn, item_id, voter)
    }

    /// Every version of the voter's ballot on an item, oldest first.
    pub fn ballot_history(
        &self,
        item_id: &str,
        voter: &str,
    ) -> Result<Vec<BallotVersion>, StoreError> {
        let mut conn = self.conn()?;
        Ok(ballot_versions::table
            .filter(ballot_versions::item_id.eq(item_id))
            .filter(ballot_versions::voter.eq(voter))
            .order(ballot_versions::seq.asc())
            .select(BallotVersion::as_select())
            .load(&mut *conn)?)
    }

    /// All ballot versions of an item, in recording order (for audits and receipts).
    pub fn ballot_versions(&self, item_id: &str) -> Result<Vec<BallotVersion>, StoreError> {
        let mut conn = self.conn()?;
        Ok(ballot_versions::table
            .filter(ballot_versions::item_id.eq(item_id))
            .order(ballot_versions::id.asc())
            .select(BallotVersion::as_select())
            .load(&mut *conn)?)
    }

    /// Each ballot version of the item, handed to `visit` as it is read (in id order, one
    /// snapshot): the published roll needs a few fields of each, and an item's 100,000 whole
    /// versions held together were the final publication's peak (issue 22).
    pub fn visit_ballot_versions(
        &self,
        item_id: &str,
        mut visit: impl FnMut(BallotVersion),
    ) -> Result<(), StoreError> {
        self.read(|conn| {
            let versions = ballot_versions::table
                .filter(ballot_versions::item_id.eq(item_id))
                .order(ballot_versions::id.asc())
                .select(BallotVersion::as_select())
                .load_iter::<BallotVersion, DefaultLoadingMode>(conn)?;
            for version in versions {
                visit(version?);
            }
            Ok(())
        })
    }

    /// The ballots that count for the tally: each voter's current ballot, except paper ballots
    /// not yet confirmed. Ordered by voter.
    pub fn counted_ballots(&self, item_id: &str) -> Result<Vec<CountedBallot>, StoreError> {
        self.read(|conn| {
            load_item(conn, item_id)?;
            counted(conn, item_id)
        })
    }
}

/// A ballot version as the tally reads it: voter, choice, channel, cast at, proxy, id.
type CountedRow = (String, String, String, String, Option<String>, String);

fn counted_ballot(row: CountedRow) -> Result<CountedBallot, StoreError> {
    let (voter, choice, channel, cast_at, proxy, id) = row;
    let choice = serde_json::from_str(&choice)
        .map_err(|e| StoreError::Corrupt(format!("choice of ballot {id}: {e}")))?;
    Ok(CountedBallot {
        voter,
        choice,
        channel,
        cast_at,
        proxy,
    })
}

/// The ballot that counts for each voter: their latest version that may count, i.e. any web or
/// proxy ballot and only confirmed paper ones. An unconfirmed paper entry therefore leaves the
/// voter's earlier ballot counted until a second person confirms it (rules.md §2).
pub(crate) fn counted(
    conn: &mut AnyConnection,
    item_id: &str,
) -> Result<Vec<CountedBallot>, StoreError> {
    // Only the columns the tally needs: at 100,000 ballots the keys and digests of every
    // version were most of the bytes read. Row by row: the rows are not held beside what is
    // made of them (issue 22).
    let rows = ballot_versions::table
        .filter(ballot_versions::item_id.eq(item_id))
        .filter(
            ballot_versions::channel
                .ne(Channel::Paper.as_str())
                .or(ballot_versions::confirmed_at.is_not_null()),
        )
        // In the order of the index UNIQUE (item_id, voter, seq), so the database need not sort.
        .order((ballot_versions::voter.asc(), ballot_versions::seq.asc()))
        .select((
            ballot_versions::voter,
            ballot_versions::choice,
            ballot_versions::channel,
            ballot_versions::cast_at,
            ballot_versions::proxy_id,
            ballot_versions::id,
        ))
        .load_iter::<CountedRow, DefaultLoadingMode>(conn)?;
    let mut counted: Vec<CountedBallot> = Vec::new();
    let mut pending: Option<CountedRow> = None;
    for row in rows {
        let row: CountedRow = row?;
        // Only the voter's latest version counts: an earlier one is dropped unread.
        if let Some(latest) = pending.take_if(|before| before.0 != row.0) {
            counted.push(counted_ballot(latest)?);
        }
        pending = Some(row);
    }
    if let Some(last) = pending {
        counted.push(counted_ballot(last)?);
    }
    Ok(counted)
}
