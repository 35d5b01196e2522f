//! Two-stage publication of a closed assembly (询异公示): the preliminary result and per-unit
//! roll for the estate's owners, an owner's own record, owners' objections (filed, listed,
//! resolved by staff), the final publication that freezes and signs the exports, and the
//! announcement (公告). The JSON API and the pages both call these, so they cannot differ on a
//! rule; the pages' own views of the same data are here too ([`owner_view`], [`owner_roll`],
//! [`staff_view`]).

use std::collections::{BTreeMap, BTreeSet};

use chrono::Utc;
use gongjue_store::assemblies::Assembly;
use gongjue_store::ballots::{BallotVersion, Channel};
use gongjue_store::listing::{Page, Window};
use gongjue_store::publications::{MAX_OBJECTIONS_PER_ITEM, Objection, Publication, Resolution};
use gongjue_store::{Store, StoreError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::ratelimit;
use crate::export;
use crate::export::bundle::public_roll;
use crate::i18n::{Lang, Msg};
use crate::publication::announcement::Announcement;
use crate::publication::roll::{self, OwnRecord, PublishedItem};
use crate::state::AppState;
use crate::timetable;
use crate::usecases::voting::owner_session;
use crate::usecases::{Caller, OwnerCaller, StaffCaller, UseCaseError};

/// The longest objection text kept (about two pages).
const MAX_OBJECTION_CHARS: usize = 2000;

/// Objections one member may file within the attempt window (15 minutes by default), all items
/// together: enough to object to every item of a sheet in one sitting, not a flood. More are
/// refused as too frequent (with a time to retry after).
pub const OBJECTIONS_PER_WINDOW: u32 = 10;

/// How often the final publication builds the exports again when the estate changed meanwhile
/// (e.g. a failed sign-in was audited) before answering "busy, retry".
const FINAL_ATTEMPTS: usize = 3;

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicationOut {
    #[schema(format = Uuid)]
    pub assembly: String,
    pub title: String,
    #[schema(schema_with = crate::schema_refs::stage)]
    pub stage: String,
    #[schema(format = DateTime)]
    pub preliminary_at: String,
    #[schema(format = DateTime)]
    pub objections_until: String,
    #[schema(format = DateTime)]
    pub final_at: Option<String>,
    /// Whether the roll shows each unit's choice and the owner's masked name.
    pub public_roll: bool,
    pub items: Vec<PublishedItem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ObjectionOut {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub assembly: String,
    #[schema(format = Uuid)]
    pub item: String,
    /// The owner (voting member) who filed it.
    pub voter: String,
    pub text: String,
    #[schema(format = DateTime)]
    pub filed_at: String,
    #[schema(schema_with = crate::schema_refs::objection_status)]
    pub status: String,
    pub reason: Option<String>,
    #[schema(format = DateTime)]
    pub resolved_at: Option<String>,
    /// For a correction: the confirmed paper ballot that corrected the record.
    #[schema(format = Uuid)]
    pub ballot: Option<String>,
}

impl From<Objection> for ObjectionOut {
    fn from(o: Objection) -> Self {
        ObjectionOut {
            id: o.id,
            assembly: o.assembly_id,
            item: o.item_id,
            voter: o.voter,
            text: o.body,
            filed_at: o.filed_at,
            status: o.status,
            reason: o.reason,
            resolved_at: o.resolved_at,
            ballot: o.ballot_version_id,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ObjectionRequest {
    /// The item the objection is about.
    #[schema(format = Uuid)]
    pub item: String,
    /// What the owner says was recorded wrongly, in their words.
    #[schema(min_length = 1, max_length = 2000)]
    pub text: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ResolveRequest {
    /// `rejected` (the record stands) or `corrected`.
    #[schema(schema_with = crate::schema_refs::resolution)]
    pub resolution: String,
    /// Why; shown to the owner and kept in the audit log.
    pub reason: String,
    /// For `corrected`: the paper ballot, entered with a `correction_reason` after the objection
    /// was filed and confirmed by a second staff user, that corrects the record.
    #[serde(default)]
    #[schema(format = Uuid)]
    pub ballot: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignedExport {
    #[schema(format = Uuid)]
    pub item: String,
    pub name: String,
    pub bundle_sha256: String,
    pub kid: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FinalOut {
    pub publication: PublicationOut,
    /// One signed export per item, frozen now.
    pub exports: Vec<SignedExport>,
    /// The log's checkpoint the exports carry (the tree of every entry before publishing).
    pub log_checkpoint_size: i64,
    /// The witnesses that cosigned the newest witnessed checkpoint, and its size (none yet:
    /// `witnessed_size` null).
    pub witnesses: Vec<String>,
    pub witnessed_size: Option<i64>,
}

/// The assembly and its publication, for staff of its estate or an owner signed in for it.
pub fn readable(
    store: &Store,
    caller: Caller,
    assembly_id: &str,
) -> Result<(Assembly, Publication), UseCaseError> {
    if let Caller::Owner(_) = &caller {
        owner_session(store, caller.clone(), assembly_id)?;
    }
    let assembly = store.assembly(assembly_id)?;
    if let Caller::Staff(staff) = &caller {
        staff.reads(&assembly.estate_id)?;
    }
    let publication = store
        .publication(&assembly.id)?
        .ok_or(UseCaseError::Rule(Msg::NotClosedYet))?;
    Ok((assembly, publication))
}

/// The publication with each item's roll cut to `window`.
fn publication_out(
    store: &Store,
    assembly: &Assembly,
    p: Publication,
    window: Window,
) -> Result<PublicationOut, UseCaseError> {
    let items = roll::published_items(
        store,
        assembly,
        roll::RollWindow {
            offset: usize::try_from(window.offset).unwrap_or(usize::MAX),
            limit: usize::try_from(window.limit).unwrap_or(usize::MAX),
        },
    )?;
    Ok(PublicationOut {
        items,
        public_roll: public_roll(assembly),
        assembly: assembly.id.clone(),
        title: assembly.title.clone(),
        stage: p.stage,
        preliminary_at: p.preliminary_at,
        objections_until: p.objections_until,
        final_at: p.final_at,
    })
}

/// The published result and per-unit roll, each item's roll cut to `window` (the caller has
/// bounded it).
pub fn publication(
    store: &Store,
    caller: Caller,
    assembly_id: &str,
    window: Window,
) -> Result<PublicationOut, UseCaseError> {
    let (assembly, p) = readable(store, caller, assembly_id)?;
    publication_out(store, &assembly, p, window)
}

/// What was recorded for the signed-in owner's units, choice and receipt included.
pub fn own_record(
    store: &Store,
    caller: Caller,
    assembly_id: &str,
) -> Result<Vec<OwnRecord>, UseCaseError> {
    let voter = caller.clone().owner()?.voter;
    let (assembly, _) = readable(store, caller, assembly_id)?;
    roll::own_record(store, &assembly, &voter)
}

/// Why objections cannot be filed now, if they cannot: the result is final, or the objection
/// period is over. The filing refuses with it; the owner's page shows it instead of the form.
pub fn objections_closed(p: &Publication) -> Result<Option<Msg>, UseCaseError> {
    if p.is_final() {
        return Ok(Some(Msg::AlreadyFinal));
    }
    Ok((Utc::now() >= timetable::stored(&p.objections_until)?).then_some(Msg::ObjectionPeriodOver))
}

/// Files an objection for the signed-in owner of the assembly.
pub fn file_objection(
    app: &AppState,
    caller: Caller,
    assembly_id: &str,
    request: ObjectionRequest,
) -> Result<ObjectionOut, UseCaseError> {
    let owner = caller.clone().owner()?;
    let (assembly, publication) = readable(&app.store, caller, assembly_id)?;
    file_objection_for(
        app,
        owner,
        assembly,
        publication,
        request.item,
        request.text,
    )
}

/// Files an objection for `owner`, whose assembly and publication [`readable`] gave: a text
/// that says something, during the objection period, about an item the owner votes on.
fn file_objection_for(
    app: &AppState,
    owner: OwnerCaller,
    assembly: Assembly,
    publication: Publication,
    item: String,
    text: String,
) -> Result<ObjectionOut, UseCaseError> {
    let store = &app.store;
    let text = text.trim().to_owned();
    if text.is_empty() {
        return Err(UseCaseError::invalid("text", "say what is wrong"));
    }
    if text.chars().count() > MAX_OBJECTION_CHARS {
        return Err(UseCaseError::invalid(
            "text",
            format!("at most {MAX_OBJECTION_CHARS} characters"),
        ));
    }
    if let Some(closed) = objections_closed(&publication)? {
        return Err(UseCaseError::Rule(closed));
    }
    // Counted before anything else is looked up, so a flood costs one write per request.
    ratelimit::count_write(
        store,
        app.attempt_window,
        format!("objections:{}:{}", assembly.id, owner.voter),
        OBJECTIONS_PER_WINDOW,
    )?;
    match store.item(&item) {
        Ok(found) if found.assembly_id == assembly.id => {}
        Ok(_) | Err(StoreError::NotFound(_)) => {
            return Err(UseCaseError::invalid(
                "item",
                format!("no item {item} in this assembly"),
            ));
        }
        Err(other) => return Err(other.into()),
    }
    if !store.in_electorate(&item, &owner.voter)? {
        return Err(UseCaseError::Forbidden(Msg::NotInElectorate));
    }
    // The store enforces both again under the estate's lock; these give the clear message.
    let earlier: Vec<_> = store
        .objections(&assembly.id, Some(&owner.voter))?
        .into_iter()
        .filter(|o| o.item_id == item)
        .collect();
    if earlier.iter().any(|o| o.status == "open") {
        return Err(UseCaseError::Rule(Msg::ObjectionStillOpen));
    }
    if earlier.len() >= MAX_OBJECTIONS_PER_ITEM {
        return Err(UseCaseError::Rule(Msg::ObjectionsPerItemUsedUp));
    }
    Ok(ObjectionOut::from(store.file_objection(
        &assembly.id,
        &item,
        &owner.voter,
        &text,
        &owner.actor(),
    )?))
}

/// Objections of the assembly in filing order, the rows of `window`: all of them for staff,
/// their own for an owner.
pub fn objections(
    store: &Store,
    caller: Caller,
    assembly_id: &str,
    window: Window,
) -> Result<Page<ObjectionOut>, UseCaseError> {
    let voter = match &caller {
        Caller::Owner(owner) => Some(owner.voter.clone()),
        Caller::Staff(_) => None,
    };
    let (assembly, _) = readable(store, caller, assembly_id)?;
    let page = store.objections_page(&assembly.id, voter.as_deref(), window)?;
    Ok(Page {
        rows: page.rows.into_iter().map(ObjectionOut::from).collect(),
        total: page.total,
    })
}

/// Whether `version` may correct the record an objection is about: a confirmed paper ballot of
/// the same member on the same item, entered after the objection was filed. The resolution
/// accepts only such a ballot, and the staff page offers only those.
pub fn may_correct(version: &BallotVersion, objection: &Objection) -> bool {
    version.item_id == objection.item_id
        && version.voter == objection.voter
        && version.channel == Channel::Paper.as_str()
        && version.confirmed_at.is_some()
        && version.recorded_at >= objection.filed_at
}

/// Resolves an objection with a reason: rejected, or corrected by a confirmed paper ballot of
/// the item entered after the objection was filed (see [`may_correct`]).
pub fn resolve_in(
    store: &Store,
    staff: &StaffCaller,
    id: &str,
    body: ResolveRequest,
) -> Result<ObjectionOut, UseCaseError> {
    // Authorisation before anything about the request or the objection's state is said.
    let objection = store.objection(id)?;
    let assembly = store.assembly(&objection.assembly_id)?;
    staff.writes(&assembly.estate_id)?;
    let reason = body.reason.trim().to_owned();
    if reason.is_empty() {
        return Err(UseCaseError::invalid(
            "reason",
            "a resolution needs a reason",
        ));
    }
    if store
        .publication(&assembly.id)?
        .is_some_and(|p| p.is_final())
    {
        return Err(UseCaseError::Rule(Msg::AlreadyFinal));
    }
    if objection.status != "open" {
        return Err(UseCaseError::Rule(Msg::ObjectionAlreadyResolved));
    }
    let resolution = match (body.resolution.as_str(), body.ballot) {
        ("rejected", None) => Resolution::Rejected,
        ("rejected", Some(_)) => {
            return Err(UseCaseError::invalid(
                "ballot",
                "only a correction names a ballot",
            ));
        }
        ("corrected", None) => return Err(UseCaseError::Rule(Msg::CorrectionNeedsBallot)),
        ("corrected", Some(version_id)) => {
            let (version, _) = match store.ballot_version(&version_id) {
                Ok(found) => found,
                Err(StoreError::NotFound(_)) => {
                    return Err(UseCaseError::invalid(
                        "ballot",
                        format!("no ballot {version_id}"),
                    ));
                }
                Err(other) => return Err(other.into()),
            };
            if !may_correct(&version, &objection) {
                return Err(UseCaseError::invalid(
                    "ballot",
                    "not a confirmed paper correction of this member's ballot on this item entered after the objection",
                ));
            }
            Resolution::Corrected {
                ballot_version_id: version_id,
            }
        }
        (other, _) => {
            return Err(UseCaseError::invalid(
                "resolution",
                format!("{other:?}: rejected or corrected"),
            ));
        }
    };
    Ok(ObjectionOut::from(store.resolve_objection(
        id,
        &resolution,
        &reason,
        &staff.user,
        &staff.actor(),
    )?))
}

/// Publishes the final result of the assembly (secretary or admin of its estate).
pub fn publish_final(
    app: &AppState,
    caller: Caller,
    assembly_id: &str,
) -> Result<FinalOut, UseCaseError> {
    // Authorization first: an auditor or another estate's secretary is refused before any rule
    // (not closed yet, objection period running) tells them about the assembly's state.
    let staff = caller.staff()?;
    let assembly = app.store.assembly(assembly_id)?;
    staff.writes(&assembly.estate_id)?;
    let (assembly, publication) = readable(&app.store, Caller::Staff(staff.clone()), assembly_id)?;
    publish_final_of(app, staff, assembly, publication)
}

/// Why the final result cannot be published now, if it cannot (the publication's own
/// refusals, which the staff page shows by its button): the objection period runs, or an
/// objection is open. `None` once final.
fn final_blocker(is_final: bool, running: bool, objections: &[Objection]) -> Option<Msg> {
    if is_final {
        None
    } else if running {
        Some(Msg::ObjectionPeriodRunning)
    } else if objections.iter().any(|o| o.status == "open") {
        Some(Msg::ObjectionsUnresolved)
    } else {
        None
    }
}

/// Publishes the final result and signs every item's export, for an assembly and publication
/// [`readable`] gave: refused while the objection period runs or an objection is open.
fn publish_final_of(
    app: &AppState,
    staff: StaffCaller,
    assembly: Assembly,
    publication: Publication,
) -> Result<FinalOut, UseCaseError> {
    let store = &app.store;
    staff.writes(&assembly.estate_id)?;
    if publication.is_final() {
        return Err(UseCaseError::Rule(Msg::AlreadyFinal));
    }
    if Utc::now() < timetable::stored(&publication.objections_until)? {
        return Err(UseCaseError::Rule(Msg::ObjectionPeriodRunning));
    }
    if store
        .objections(&assembly.id, None)?
        .iter()
        .any(|o| o.status == "open")
    {
        return Err(UseCaseError::Rule(Msg::ObjectionsUnresolved));
    }
    let actor = staff.actor();
    // A new estate's first key is stored before the publication's transaction (that one only
    // signs), so that the key is there whichever way it ends.
    let signing_key = export::keys::active(store, &app.key_wrap, &assembly.estate_id, &actor)?;
    // Never sign a result over records changed behind the service's back (issue 18: a rule
    // rewritten in the database), nor over a broken log.
    if store
        .verify_audit_chain(&assembly.estate_id)?
        .first_broken
        .is_some()
        || !store.verify_ballots(&assembly.estate_id)?.is_empty()
        || !store.verify_records(&assembly.estate_id)?.is_empty()
    {
        tracing::error!(estate = %assembly.estate_id, "the final publication is refused: the records disagree with the audit log (gongjue audit verify names them)");
        return Err(UseCaseError::Rule(Msg::AuditDisagrees));
    }
    // Refused if a witness dissents; else the checkpoint of every ballot, which the exports
    // carry, and the witnesses that cosigned the newest witnessed checkpoint (logged).
    let witnessing = crate::usecases::log::final_checkpoint(app, &assembly.estate_id)?;
    store.append_audit(gongjue_store::audit::NewAuditEntry {
        chain: assembly.estate_id.clone(),
        actor: actor.clone(),
        action: "log.witnessed".into(),
        subject: assembly.id.clone(),
        detail: serde_json::json!({
            "checkpoint_size": witnessing.checkpoint.size,
            "checkpoint_root": witnessing.checkpoint.root_hash,
            "witnessed_size": witnessing.witnessed_size,
            "witnesses": witnessing.witnesses,
        }),
    })?;
    let log = export::LogClaims {
        checkpoint: Some(witnessing.checkpoint.note.clone()),
        witnesses: witnessing.witnesses.clone(),
    };
    let pseudonyms = export::pseudonyms_of(&app.code_key, &assembly);
    let trial = store.estate(&assembly.estate_id)?.trial;
    for _ in 0..FINAL_ATTEMPTS {
        // Every export is built before the stage changes, and stored with it: the result is
        // final only together with all of them (issue 15: never "final, 6 of 8").
        let (seq, _) = store.audit_head(&assembly.estate_id)?;
        // Each bundle waits in its own temporary file: one at a time is in memory.
        let mut built = Vec::new();
        for item in store
            .items(&assembly.id)?
            .into_iter()
            .filter(|i| i.electorate_frozen_at.is_some())
        {
            let bundle = export::bundle::build(store, &item, pseudonyms.as_ref(), trial)?;
            built.push((item, bundle));
        }
        let mut built = built.into_iter();
        let mut refused = None;
        let published = store.publish_final_with_exports(
            &assembly.id,
            &staff.user,
            &actor,
            Some(seq),
            |closing| {
                let Some((item, bundle)) = built.next() else {
                    return Ok(None);
                };
                export::sign(&item, &assembly, bundle, closing, &signing_key, &log)
                    .map(Some)
                    .map_err(|error| {
                        let text = error.to_string();
                        refused = Some(error);
                        StoreError::Invalid(text)
                    })
            },
        );
        if let Some(error) = refused {
            return Err(error); // nothing stored: the transaction rolled back
        }
        let Some((publication, stored)) = published? else {
            continue; // the estate changed while the bundles were built: build again
        };
        let exports = stored
            .into_iter()
            .map(|e| SignedExport {
                item: e.item_id,
                name: e.name,
                bundle_sha256: e.bundle_sha256,
                kid: e.kid,
            })
            .collect();
        crate::usecases::log::checkpoint_after(app, &assembly.estate_id, "final");
        return Ok(FinalOut {
            log_checkpoint_size: witnessing.checkpoint.size,
            witnesses: witnessing.witnesses.clone(),
            witnessed_size: witnessing.witnessed_size,
            publication: publication_out(
                store,
                &assembly,
                publication,
                Window {
                    limit: crate::paging::ROLL.default,
                    offset: 0,
                },
            )?,
            exports,
        });
    }
    Err(UseCaseError::Store(StoreError::Unavailable(
        "the estate kept changing while the exports were built".into(),
    )))
}

/// The announcement (公告) of the assembly in `lang`, to be rendered as CSV or a page.
pub fn announcement(
    store: &Store,
    caller: Caller,
    assembly_id: &str,
    lang: Lang,
) -> Result<Announcement, UseCaseError> {
    let (assembly, p) = readable(store, caller, assembly_id)?;
    let items = roll::published_items(store, &assembly, roll::RollWindow::ALL)?;
    let until = (!p.is_final()).then(|| p.objections_until.clone());
    let mut announcement = Announcement::new(
        assembly.title.clone(),
        &p.stage,
        until,
        public_roll(&assembly),
        &items,
        lang,
    );
    announcement.trial = store.estate(&assembly.estate_id)?.trial;
    if let Some(c) = store.latest_checkpoint(&assembly.estate_id)? {
        announcement.checkpoint_line = Msg::LogCheckpointLine.text_with(
            lang,
            &[
                ("size", crate::i18n::Arg::Number(c.size)),
                (
                    "root",
                    crate::tlog::note::short_root(&c.root_hash).as_str().into(),
                ),
                (
                    "at",
                    crate::publication::announcement::beijing_time(&c.created_at)
                        .as_str()
                        .into(),
                ),
            ],
        );
        announcement.checkpoint_note = c.note;
    }
    Ok(announcement)
}

/// An item's kind and title, for the pages' labels of records and objections.
#[derive(Debug, Clone)]
pub struct ItemName {
    pub kind: String,
    pub title: String,
}

fn item_names(
    store: &Store,
    assembly: &Assembly,
) -> Result<BTreeMap<String, ItemName>, UseCaseError> {
    Ok(store
        .items(&assembly.id)?
        .into_iter()
        .map(|i| {
            (
                i.id,
                ItemName {
                    kind: i.kind,
                    title: i.title,
                },
            )
        })
        .collect())
}

/// What the owner's publication page shows.
#[derive(Debug)]
pub struct OwnerView {
    pub assembly: Assembly,
    pub publication: Publication,
    /// Why no objection can be filed now; `None`: the form is offered.
    pub closed: Option<Msg>,
    pub records: Vec<OwnRecord>,
    /// The owner's own objections, in filing order.
    pub objections: Vec<Objection>,
    /// Every item of the assembly, by id.
    pub items: BTreeMap<String, ItemName>,
}

/// The owner's record, their objections and whether they may file one.
pub fn owner_view(store: &Store, owner: OwnerCaller) -> Result<OwnerView, UseCaseError> {
    let (assembly, publication) = readable(store, Caller::Owner(owner.clone()), &owner.assembly)?;
    let closed = objections_closed(&publication)?;
    let items = item_names(store, &assembly)?;
    let records = roll::own_record(store, &assembly, &owner.voter)?;
    let objections = store.objections(&assembly.id, Some(&owner.voter))?;
    Ok(OwnerView {
        assembly,
        publication,
        closed,
        records,
        objections,
        items,
    })
}

/// The published list as an owner sees it, their own units marked.
#[derive(Debug)]
pub struct OwnerRoll {
    pub assembly: Assembly,
    pub publication: Publication,
    /// Whether the roll shows choices and masked names.
    pub public: bool,
    /// The owner's own units, so they find their receipt.
    pub mine: BTreeSet<String>,
    pub items: Vec<PublishedItem>,
}

/// The published list, the same as the announcement's, with the owner's own units.
pub fn owner_roll(store: &Store, owner: OwnerCaller) -> Result<OwnerRoll, UseCaseError> {
    let (assembly, publication) = readable(store, Caller::Owner(owner.clone()), &owner.assembly)?;
    let public = public_roll(&assembly);
    let mine: BTreeSet<String> = roll::own_record(store, &assembly, &owner.voter)?
        .into_iter()
        .flat_map(|r| r.units)
        .collect();
    let items = roll::published_items(store, &assembly, roll::RollWindow::ALL)?;
    Ok(OwnerRoll {
        assembly,
        publication,
        public,
        mine,
        items,
    })
}

/// An objection as staff review it.
#[derive(Debug)]
pub struct StaffObjection {
    pub objection: Objection,
    /// The filing member's units and name on the current roster.
    pub units: Vec<String>,
    pub name: Option<String>,
    /// The member's unit in the item's electorate, for the correction's paper-ballot entry.
    pub unit: String,
    /// For an open objection: the ballots that may resolve it as corrected ([`may_correct`]).
    pub corrections: Vec<BallotVersion>,
}

/// The publication part of the staff results page.
#[derive(Debug)]
pub struct StaffView {
    pub publication: Publication,
    /// Why the final result cannot be published now (the refusal the publication would give).
    pub blocker: Option<Msg>,
    /// Every objection, in filing order.
    pub objections: Vec<StaffObjection>,
    /// Every item of the assembly, by id.
    pub item_names: BTreeMap<String, ItemName>,
    /// The items with an export (frozen electorate): id and title, for the download links.
    pub exported: Vec<(String, String)>,
}

/// The staff's view of the publication, or `None` for an assembly without one (closed before
/// publications existed, or not closed).
pub fn staff_view(
    store: &Store,
    staff: StaffCaller,
    assembly_id: &str,
) -> Result<Option<StaffView>, UseCaseError> {
    let Some(publication) = store.publication(assembly_id)? else {
        return Ok(None);
    };
    let (assembly, publication) = readable(store, Caller::Staff(staff), &publication.assembly_id)?;
    let running = Utc::now() < timetable::stored(&publication.objections_until)?;
    let item_names = item_names(store, &assembly)?;
    let contacts = store.owner_contacts(&assembly.estate_id)?;
    let all = store.objections(&assembly.id, None)?;
    let blocker = final_blocker(publication.is_final(), running, &all);
    let mut objections = Vec::new();
    for o in all {
        let contact = contacts.get(&o.voter);
        let unit = store
            .electorate(&o.item_id)?
            .into_iter()
            .find(|u| u.voter == o.voter)
            .map(|u| u.unit_number)
            .unwrap_or_default();
        let corrections = if o.status == "open" {
            store
                .ballot_history(&o.item_id, &o.voter)?
                .into_iter()
                .filter(|v| may_correct(v, &o))
                .collect()
        } else {
            Vec::new()
        };
        objections.push(StaffObjection {
            units: contact.map(|c| c.units.clone()).unwrap_or_default(),
            name: contact.and_then(|c| c.name.clone()),
            unit,
            corrections,
            objection: o,
        });
    }
    let exported = store
        .items(&assembly.id)?
        .into_iter()
        .filter(|i| i.electorate_frozen_at.is_some())
        .map(|i| (i.id, i.title))
        .collect();
    Ok(Some(StaffView {
        publication,
        blocker,
        objections,
        item_names,
        exported,
    }))
}
