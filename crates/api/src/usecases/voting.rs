//! Voting: an owner's ballot sheet (their own items and those of members whose proxy they
//! hold) and casting it, online.

use gongjue_store::Store;
use gongjue_store::StoreError;
use gongjue_store::assemblies::Item;
use gongjue_store::ballots::{CastBallot, Channel, CurrentBallot, SheetNotices, SheetQuery};
use gongjue_store::notices::NoticeParts;
use gongjue_store::sessions::Holder;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::i18n::Msg;
use crate::items::{Entry, check_choice};
use crate::mail::compose::Context;
use crate::timetable;
use crate::usecases::ballots::{cast_key, check_replacing, check_voting_open};
use crate::usecases::setup::{ItemOut, item_out};
use crate::usecases::{Caller, OwnerCaller, UseCaseError};

/// An owner's token is valid for its assembly only, and only while its code is not revoked.
pub fn owner_session(
    store: &Store,
    caller: Caller,
    assembly_id: &str,
) -> Result<OwnerCaller, UseCaseError> {
    let owner = caller.owner()?;
    owner.of_assembly(assembly_id)?;
    if !store.code_is_active(&owner.code)? {
        return Err(UseCaseError::BadSession);
    }
    Ok(owner)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CurrentChoice {
    /// In the tally bundle's ballot format: `"yes"`, `["c1", "c3"]`, `{"q1": ["a"]}`.
    #[schema(schema_with = crate::schema_refs::choice)]
    pub choice: Value,
    #[schema(schema_with = crate::schema_refs::channel)]
    pub channel: String,
    #[schema(format = DateTime)]
    pub cast_at: String,
    /// Counts now (a paper ballot only once confirmed).
    pub counted: bool,
    /// A hash of the recorded ballot, to find it in the published list later.
    pub receipt: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SheetEntry {
    pub item: ItemOut,
    /// The member this entry is voted for: the owner, or a member whose proxy they hold.
    pub voter: String,
    pub on_behalf: bool,
    /// The current ballot, if any. A proxy holder does not see a ballot the member cast themselves.
    pub current: Option<CurrentChoice>,
    /// For a proxy holder: the member has voted in person, so the proxy cannot vote.
    pub member_voted: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Sheet {
    #[schema(format = Uuid)]
    pub assembly_id: String,
    pub title: String,
    #[schema(schema_with = crate::schema_refs::assembly_state)]
    pub state: String,
    #[schema(format = DateTime)]
    pub opens_at: String,
    #[schema(format = DateTime)]
    pub closes_at: String,
    pub ballots_changeable: bool,
    pub voter: String,
    pub entries: Vec<SheetEntry>,
    /// What happened to the owner's own voting code(s) for this assembly, oldest first: how
    /// each reached them (e-mailed, or printed on paper by a staff member who saw it), each
    /// re-issue asked for and confirmed, each code that stopped working. An owner who sees
    /// something they did not ask for tells the committee.
    pub code_history: Vec<crate::usecases::codes::CodeEvent>,
    /// Extensions of the voting period, oldest first (`closes_at` is already the latest).
    pub extensions: Vec<crate::usecases::extension::ExtensionOut>,
    /// The documents of the sheet's items (plans, quotes), in sheet order.
    pub documents: Vec<crate::usecases::documents::DocumentOut>,
    /// The register entries of the sheet's elections: each candidate's statement, units,
    /// nomination and photo.
    pub candidates: Vec<crate::usecases::candidates::CandidateOut>,
    /// The round of each item that is a later round of a consultation (item id → 2, 3, …).
    pub rounds: std::collections::BTreeMap<String, i32>,
}

fn current_choice(store: &Store, current: &CurrentBallot) -> Result<CurrentChoice, UseCaseError> {
    let (version, _) = store.ballot_version(&current.version_id)?;
    Ok(CurrentChoice {
        choice: serde_json::from_str(&current.choice)
            .map_err(|e| UseCaseError::Internal(e.to_string()))?,
        channel: current.channel.clone(),
        cast_at: current.cast_at.clone(),
        counted: version.counts(),
        receipt: version.receipt(),
    })
}

/// The ballot sheet of the owner signed in for `assembly_id`.
pub fn owner_sheet(
    store: &Store,
    caller: Caller,
    assembly_id: &str,
) -> Result<Sheet, UseCaseError> {
    let owner = owner_session(store, caller, assembly_id)?;
    sheet_of(store, &owner)
}

/// Casts the votes of the owner signed in for `assembly_id` (see [`cast_votes`]). `caller` is
/// taken from a token whose signature and expiry were checked but not yet its session's
/// standing: that is read here, in the same snapshot as everything the sheet is checked
/// against (the ballot route's own round trips are what bound the intake on PostgreSQL).
pub fn cast(
    store: &Store,
    caller: Caller,
    assembly_id: &str,
    key: &str,
    votes: Vec<Vote>,
    public_url: &str,
) -> Result<Vec<CastReceipt>, UseCaseError> {
    let owner = caller.owner()?;
    owner.of_assembly(assembly_id)?;
    let holder = Holder::Owner {
        code: owner.code.clone(),
    };
    let session = (owner.session.jti.as_str(), &holder);
    cast_in_session(store, &owner, Some(session), key, votes, public_url)
}

/// A sheet is voted on only while its assembly is open: the pages refuse before showing a form
/// (casting checks the state and the window again).
pub fn check_sheet_open(sheet: &Sheet) -> Result<(), UseCaseError> {
    match sheet.state.as_str() {
        "open" => Ok(()),
        "draft" | "announced" => Err(UseCaseError::Rule(Msg::VotingNotYetOpen)),
        _ => Err(UseCaseError::Rule(Msg::VotingClosed)),
    }
}

/// An owner's ballot sheet: what the JSON route returns and the web form shows.
pub fn sheet_of(store: &Store, owner: &OwnerCaller) -> Result<Sheet, UseCaseError> {
    let assembly_id = owner.assembly.clone();
    let assembly = store.assembly(&assembly_id)?;
    let items = store.items(&assembly_id)?;
    let held = store.proxies_held(&assembly_id, &owner.voter)?;
    let mut entries = Vec::new();
    for item in items
        .into_iter()
        .filter(|i| i.electorate_frozen_at.is_some())
    {
        if store.in_electorate(&item.id, &owner.voter)? {
            let current = store
                .current_ballot(&item.id, &owner.voter)?
                .map(|c| current_choice(store, &c))
                .transpose()?;
            entries.push(SheetEntry {
                item: item_out(item.clone()),
                voter: owner.voter.clone(),
                on_behalf: false,
                current,
                member_voted: false,
            });
        }
        for (proxy, covered) in &held {
            if (covered.is_empty() || covered.contains(&item.id))
                && store.in_electorate(&item.id, &proxy.member)?
            {
                let current = store.current_ballot(&item.id, &proxy.member)?;
                let member_voted = current
                    .as_ref()
                    .is_some_and(|c| c.channel != Channel::Proxy.as_str());
                let current = current
                    .filter(|c| c.channel == Channel::Proxy.as_str())
                    .map(|c| current_choice(store, &c))
                    .transpose()?;
                entries.push(SheetEntry {
                    item: item_out(item.clone()),
                    voter: proxy.member.clone(),
                    on_behalf: true,
                    current,
                    member_voted,
                });
            }
        }
    }
    let extensions = store
        .extensions(&assembly.id)?
        .into_iter()
        .map(Into::into)
        .collect();
    let documents = store
        .assembly_documents(&assembly.id)?
        .into_iter()
        .map(Into::into)
        .collect();
    // A consultation that is a later round says which (round 2 onwards).
    let mut rounds = std::collections::BTreeMap::new();
    for entry in &entries {
        if let Some(link) = store.round_of(&entry.item.id)? {
            rounds.insert(link.item_id, link.round);
        }
    }
    let candidates = store
        .assembly_candidates(&assembly.id)?
        .into_iter()
        .map(crate::usecases::candidates::CandidateOut::try_from)
        .collect::<Result<_, _>>()?;
    Ok(Sheet {
        rounds,
        candidates,
        extensions,
        documents,
        assembly_id: assembly.id,
        title: assembly.title,
        state: assembly.state,
        opens_at: assembly.opens_at,
        closes_at: assembly.closes_at,
        ballots_changeable: assembly.ballots_changeable,
        voter: owner.voter.clone(),
        entries,
        code_history: crate::usecases::codes::code_history(store, &assembly_id, &owner.voter)?,
    })
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Vote {
    #[schema(format = Uuid)]
    pub item: String,
    /// Motion: `"yes"`, `"no"`, `"abstain"`. Election: a list of at most `seats` candidates, or
    /// `"abstain"`. Consultation: `{"question id": ["option", …]}`, questions may be left out.
    #[schema(schema_with = crate::schema_refs::choice)]
    pub choice: Value,
    /// Vote as proxy holder for this member (owner id).
    #[serde(default)]
    pub on_behalf_of: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CastRequest {
    pub votes: Vec<Vote>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CastReceipt {
    #[schema(format = Uuid)]
    pub item: String,
    pub voter: String,
    /// 1 for the first ballot, then 2, 3, … for changes.
    #[schema(minimum = 1)]
    pub seq: i64,
    #[schema(schema_with = crate::schema_refs::channel)]
    pub channel: String,
    pub receipt: String,
    /// True when this request was a retry (same `Idempotency-Key`) and nothing new was stored.
    pub replayed: bool,
}

struct Checked {
    item: Item,
    voter: String,
    choice: Value,
    proxy_id: Option<String>,
}

/// Casts an owner's votes (their own and as proxy holder), checked first, stored together in
/// one transaction. The one way a ballot sheet is cast: the JSON route and the web form call it.
/// `key` is the request's idempotency key (a retry with the same key stores nothing new).
/// The owner's session was checked by the caller ([`owner_session`]).
pub fn cast_votes(
    store: &Store,
    owner: &OwnerCaller,
    key: &str,
    votes: Vec<Vote>,
    public_url: &str,
) -> Result<Vec<CastReceipt>, UseCaseError> {
    cast_in_session(store, owner, None, key, votes, public_url)
}

/// [`cast_votes`], checking `session` (token id and holder) first if given.
fn cast_in_session(
    store: &Store,
    owner: &OwnerCaller,
    session: Option<(&str, &Holder)>,
    key: &str,
    votes: Vec<Vote>,
    public_url: &str,
) -> Result<Vec<CastReceipt>, UseCaseError> {
    let assembly_id = owner.assembly.clone();
    // Everything the checks and the notices read, with one pool checkout in one snapshot.
    let wanted: Vec<(&str, &str)> = votes
        .iter()
        .map(|v| {
            (
                v.item.as_str(),
                v.on_behalf_of.as_deref().unwrap_or(owner.voter.as_str()),
            )
        })
        .collect();
    let mut members: Vec<String> = wanted
        .iter()
        .map(|(_, voter)| (*voter).to_owned())
        .collect();
    members.sort_unstable();
    members.dedup();
    let sheet = store
        .ballot_sheet(SheetQuery {
            assembly_id: &assembly_id,
            holder: &owner.voter,
            votes: &wanted,
            session,
            proxies: wanted.iter().any(|(_, voter)| *voter != owner.voter),
            notices_for: Some(&members),
        })?
        .ok_or(UseCaseError::BadSession)?;
    drop(wanted);
    if votes.is_empty() {
        return Err(UseCaseError::invalid("votes", "no vote given"));
    }
    let (assembly, held, parts) = (sheet.assembly, sheet.proxies_held, sheet.notices);
    check_voting_open(&assembly)?;
    let mut checked = Vec::with_capacity(votes.len());
    for (vote, found) in votes.into_iter().zip(sheet.votes) {
        // Whom the vote is for, and under which proxy; refused below, after the item's checks.
        let (voter, proxy) = match vote.on_behalf_of {
            Some(member) if member != owner.voter => {
                let proxy = held.iter().find(|(p, covered)| {
                    p.member == member && (covered.is_empty() || covered.contains(&vote.item))
                });
                (member, Some(proxy.map(|p| p.0.id.clone())))
            }
            _ => (owner.voter.clone(), None),
        };
        // The item, the membership and the current ballot, read above with the sheet.
        let found = match found {
            Ok(found) if found.item.assembly_id == assembly_id => found,
            Ok(_) | Err(gongjue_store::StoreError::NotFound(_)) => {
                return Err(UseCaseError::invalid(
                    "item",
                    format!("no item {} in this assembly", vote.item),
                ));
            }
            Err(other) => return Err(other.into()),
        };
        let item = found.item;
        if checked
            .iter()
            .any(|c: &Checked| c.item.id == item.id && c.voter == voter)
        {
            return Err(UseCaseError::invalid(
                "votes",
                "one vote per item and member",
            ));
        }
        let proxy_id = match proxy {
            Some(found) => Some(found.ok_or(UseCaseError::Forbidden(Msg::NoProxyForItem))?),
            None => None,
        };
        if !found.in_electorate {
            return Err(UseCaseError::Forbidden(Msg::NotInElectorate));
        }
        let channel = if proxy_id.is_some() {
            Channel::Proxy
        } else {
            Channel::Web
        };
        let current = found.current;
        // A client's retry of this very request: the store answers with what it stored.
        if found.current_key.as_deref() != Some(cast_key(key, &item.id, &voter).as_str()) {
            check_replacing(&assembly, current.as_ref(), channel, false)?;
        }
        check_choice(&item, &vote.choice, Entry::Online)?;
        checked.push(Checked {
            item,
            voter,
            choice: vote.choice,
            proxy_id,
        });
    }
    let casts: Vec<CastBallot> = checked
        .into_iter()
        .map(|c| CastBallot {
            idempotency_key: cast_key(key, &c.item.id, &c.voter),
            item_id: c.item.id,
            voter: c.voter,
            channel: if c.proxy_id.is_some() {
                Channel::Proxy
            } else {
                Channel::Web
            },
            choice: c.choice,
            cast_at: None,
            proxy_id: c.proxy_id,
            entered_by: None,
            actor: owner.actor(),
        })
        .collect();
    // Every member a ballot is recorded for is told, with its receipt, through their own
    // contact: the owner for their own web ballot (someone else may have used their code), the
    // member for whom a proxy voted. Composed from what the store records, in the same
    // transaction; the key follows the request, so a retry tells them once.
    let notices = sheet_notices(store, &assembly, parts, key, public_url);
    // The whole sheet in one transaction: every vote is stored, or none.
    let outcomes = store.cast_estate_ballots(&assembly.estate_id, &casts, notices)?;
    Ok(outcomes
        .into_iter()
        .map(|outcome| CastReceipt {
            item: outcome.version.item_id.clone(),
            voter: outcome.version.voter.clone(),
            seq: outcome.version.seq,
            channel: outcome.version.channel.clone(),
            receipt: outcome.version.receipt(),
            replayed: outcome.replayed,
        })
        .collect::<Vec<_>>())
}

/// The notices of a ballot sheet (see [`cast_votes`]): one per member with an e-mail address,
/// listing their items with each receipt, composed by the store once the versions exist.
fn sheet_notices(
    store: &Store,
    assembly: &gongjue_store::assemblies::Assembly,
    parts: Option<NoticeParts>,
    key: &str,
    public_url: &str,
) -> SheetNotices {
    let Some(context) =
        parts.and_then(|parts| Context::from_parts(store, assembly, parts, public_url))
    else {
        return SheetNotices::none();
    };
    let key = key.to_owned();
    SheetNotices::composed(move |outcomes| {
        // By member, in the order of the sheet; a member's ballots of one sheet share a channel
        // (their own web ballots, or their proxy's).
        #[allow(clippy::type_complexity)]
        let mut by_member: Vec<(&str, Channel, &str, Vec<(String, String)>)> = Vec::new();
        for outcome in outcomes {
            let v = &outcome.version;
            let channel = if v.proxy_id.is_some() {
                Channel::Proxy
            } else {
                Channel::Web
            };
            let ballot = (v.item_id.clone(), v.receipt());
            match by_member
                .iter_mut()
                .find(|(m, c, _, _)| *m == v.voter && *c == channel)
            {
                Some((_, _, _, ballots)) => ballots.push(ballot),
                None => by_member.push((
                    v.voter.as_str(),
                    channel,
                    v.recorded_at.as_str(),
                    vec![ballot],
                )),
            }
        }
        let failed =
            |e: UseCaseError| StoreError::Corrupt(format!("composing a ballot's notice: {e}"));
        let mut mails = Vec::new();
        for (member, channel, recorded_at, ballots) in &by_member {
            let first = ballots.first().map_or("", |(item, _)| item.as_str());
            let notice_key = format!("ballot_recorded:{}", cast_key(&key, first, member));
            let at = timetable::stored(recorded_at).map_err(failed)?;
            mails.extend(
                context
                    .ballot_recorded(member, ballots, *channel, at, notice_key, None)
                    .map_err(failed)?,
            );
        }
        Ok(mails)
    })
}

/// When and why voting on the owner's assembly ended, for their pages: the real closing time
/// (the moment the assembly closed, which opened the objection period), the reason the
/// secretary gave for closing before the scheduled time, the reason of a cancellation.
#[derive(Debug, Default)]
pub struct Ending {
    pub closed_at: Option<String>,
    /// Closed before the scheduled time: the reason given (required for that).
    pub early_reason: Option<String>,
    pub cancelled_reason: Option<String>,
}

/// See [`Ending`]; nothing for an assembly still open or not yet open.
pub fn ending_of(store: &Store, owner: &OwnerCaller, state: &str) -> Result<Ending, UseCaseError> {
    let reason = |action: &str| -> Result<Option<String>, UseCaseError> {
        Ok(store
            .last_audit_entry_of(&owner.estate, &owner.assembly, action)?
            .and_then(|e| serde_json::from_str::<Value>(&e.detail).ok())
            .and_then(|d| d.get("reason").and_then(Value::as_str).map(str::to_owned)))
    };
    match state {
        "closed" => Ok(Ending {
            closed_at: store
                .publication(&owner.assembly)?
                .map(|p| p.preliminary_at),
            early_reason: reason("assembly.closed_early")?,
            cancelled_reason: None,
        }),
        "cancelled" => Ok(Ending {
            cancelled_reason: reason("assembly.cancelled")?,
            ..Ending::default()
        }),
        _ => Ok(Ending::default()),
    }
}
