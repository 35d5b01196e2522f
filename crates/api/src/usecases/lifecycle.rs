//! An assembly's lifecycle: announced (owners told), opened (electorates frozen), closed
//! (early only with a reason), or cancelled (owners told why).

use chrono::Utc;
use gongjue_store::Store;
use gongjue_store::assemblies::{Assembly, AssemblyState, Item, ItemKind};
use gongjue_store::audit::NewAuditEntry;
use gongjue_store::outbox::{NewEmail, NoticeSource};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::countable;
use crate::i18n::Msg;
use crate::mail::compose::{Context, Round};
use crate::state::AppState;
use crate::timetable;
use crate::usecases::log;
use crate::usecases::setup::{AssemblyOut, assembly_out, notice_days, staff_assembly};
use crate::usecases::{StaffCaller, UseCaseError};

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseRequest {
    /// Required to close before `closes_at`; written to the audit log.
    #[serde(default)]
    pub reason: Option<String>,
}

/// What closing an assembly now would mean, shown before the secretary confirms it.
#[derive(Debug, Clone)]
pub struct ClosingPreview {
    pub assembly: Assembly,
    /// Before the announced closing time (a reason is then required, and given).
    pub early: bool,
    /// Members who still have an item to vote on.
    pub not_voted: usize,
}

/// Checks that the assembly could be closed now with `reason` (open; early only with a
/// reason), without closing it: the confirmation step of the pages.
pub fn closing_preview(
    store: &Store,
    staff: &StaffCaller,
    id: &str,
    reason: Option<&str>,
) -> Result<ClosingPreview, UseCaseError> {
    let assembly = staff_assembly(store, staff, id, true)?;
    if AssemblyState::parse(&assembly.state)? != AssemblyState::Open {
        return Err(UseCaseError::RuleInState {
            msg: Msg::Conflict,
            state: assembly.state,
        });
    }
    let now = Utc::now();
    let closes_at = timetable::stored(&assembly.closes_at)?;
    timetable::check_closing(now, closes_at, reason)?;
    Ok(ClosingPreview {
        early: now < closes_at,
        not_voted: store.members_yet_to_vote(id)?.len(),
        assembly,
    })
}

/// [`move_assembly`], with the transparency log's checkpoints: one before announcing (the
/// items and rules owners are told of; the announcement's notices carry it) and one after
/// each move (issue 18).
pub fn move_with_checkpoints(
    app: &AppState,
    staff: &StaffCaller,
    id: &str,
    next: AssemblyState,
    reason: Option<String>,
) -> Result<(Assembly, Vec<Item>), UseCaseError> {
    if next == AssemblyState::Announced {
        let assembly = staff_assembly(&app.store, staff, id, true)?;
        log::checkpoint_after(app, &assembly.estate_id, "setup");
    }
    let moved = move_assembly(&app.store, staff, id, next, reason, &app.public_url)?;
    let why = match next {
        AssemblyState::Announced => "announced",
        AssemblyState::Open => "opened",
        AssemblyState::Closed => "closed",
        AssemblyState::Cancelled => "cancelled",
        AssemblyState::Draft => "draft",
    };
    log::checkpoint_after(app, &moved.0.estate_id, why);
    Ok(moved)
}

/// Announces, opens or closes an assembly, with the timetable's checks.
pub fn move_assembly(
    store: &Store,
    staff: &StaffCaller,
    id: &str,
    next: AssemblyState,
    reason: Option<String>,
    public_url: &str,
) -> Result<(Assembly, Vec<Item>), UseCaseError> {
    let assembly = staff_assembly(store, staff, id, true)?;
    let now = Utc::now();
    let opens_at = timetable::stored(&assembly.opens_at)?;
    let closes_at = timetable::stored(&assembly.closes_at)?;
    // The timetable is checked only for a move the state allows; any other move is left to the
    // store, which refuses it as a conflict (closing a draft is not "closing early").
    let current = AssemblyState::parse(&assembly.state)?;
    match (current, next) {
        (AssemblyState::Draft, AssemblyState::Announced) => {
            let notice = notice_days(&assembly);
            let estate = store.estate(&assembly.estate_id)?;
            let items = store.items(&assembly.id)?;
            // Owners would be told of an assembly that can never open.
            if items.is_empty() {
                return Err(UseCaseError::Rule(Msg::NoItemsToAnnounce));
            }
            // Checked again here for assemblies set up before the estate's minimum applied.
            if items
                .iter()
                .any(|i| i.kind != ItemKind::Consultation.as_str())
            {
                timetable::check_notice_minimum(&estate, notice)?;
            }
            timetable::check_notice(now, opens_at, notice)?
        }
        (AssemblyState::Announced, AssemblyState::Open) => timetable::check_opening(now, opens_at)?,
        (AssemblyState::Open, AssemblyState::Closed) => {
            timetable::check_closing(now, closes_at, reason.as_deref())?
        }
        _ => {}
    }
    let early = next == AssemblyState::Closed && now < closes_at;
    {
        // The roster may have changed since the items were added: an item that could not be
        // counted over today's roster is refused before owners are told about it. (An assembly
        // with no items is refused above, and the store refuses to open one.)
        if next == AssemblyState::Announced {
            let roster = store.current_units(&assembly.estate_id)?;
            // The rules of procedure may have dropped 从众 since a motion was set up to offer it.
            let estate = store.estate(&assembly.estate_id)?;
            // Each election's candidates registered and found eligible by a second person.
            let candidates = store.assembly_candidates(&assembly.id)?;
            for (i, item) in store.items(&assembly.id)?.iter().enumerate() {
                crate::usecases::candidates::check_reviewed(
                    item,
                    &candidates,
                    &format!("items[{i}]."),
                )?;
                let definition = serde_json::from_str(&item.definition).map_err(|e| {
                    UseCaseError::Internal(format!("definition of item {}: {e}", item.id))
                })?;
                crate::items::check_follow_allowed(&estate, &definition, &format!("items[{i}]."))?;
                let scope = serde_json::from_str(&item.scope).map_err(|e| {
                    UseCaseError::Internal(format!("scope of item {}: {e}", item.id))
                })?;
                countable::check(
                    item,
                    countable::in_scope(&item.id, &scope, &roster),
                    &format!("items[{i}]."),
                )?;
            }
        }
        // Announcing tells every owner with an address, in the transaction that announces
        // (composed a chunk at a time as the store queues them).
        let context = if next == AssemblyState::Announced {
            Some(Context::load(store, &assembly.id, public_url)?)
        } else {
            None
        };
        let mut announcements = context.as_ref().map(Context::announcements).transpose()?;
        let mut nothing: &[NewEmail] = &[];
        let notices: &mut dyn NoticeSource = match announcements.as_mut() {
            Some(round) => round,
            None => &mut nothing,
        };
        // Opening checks each item again over the very units it freezes, in the transaction
        // that freezes them (a roster imported after announcing cannot slip in between).
        let refused = std::cell::RefCell::new(None);
        let moved = store.transition_assembly_checked(
            &assembly.id,
            next,
            &staff.actor(),
            notices,
            |index, item, units| {
                countable::check(item, units.to_vec(), &format!("items[{index}].")).map_err(
                    |error| {
                        let text = error.to_string();
                        *refused.borrow_mut() = Some(error);
                        gongjue_store::StoreError::Invalid(text)
                    },
                )
            },
        );
        if let Some(error) = refused
            .into_inner()
            .or_else(|| announcements.as_mut().and_then(Round::failure))
        {
            return Err(error); // nothing moved: the transaction rolled back
        }
        let moved = moved?;
        if early {
            store.append_audit(NewAuditEntry {
                chain: moved.estate_id.clone(),
                actor: staff.actor(),
                action: "assembly.closed_early".into(),
                subject: moved.id.clone(),
                detail: serde_json::json!({ "reason": reason, "scheduled": moved.closes_at }),
            })?;
        }
        let items = store.items(&moved.id)?;
        Ok((moved, items))
    }
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CancelRequest {
    /// Why; required once the assembly was announced (owners are told it), written to the
    /// audit log.
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CancelOut {
    pub assembly: AssemblyOut,
    /// Cancellation notices newly queued by e-mail.
    pub queued: usize,
    /// Owners who heard of the assembly but have no e-mail address: tell them on paper.
    pub paper_round: Vec<crate::mail::compose::PaperOwner>,
}

/// Cancels an assembly: a draft, an announced one or one whose voting is open (ballots cast
/// are kept, never counted); not once closed, when its result is published. If owners may
/// have heard of it (announced, codes issued or a notice queued), every owner is told: by
/// e-mail (queued with the cancellation) or, without an address, in the paper round returned.
pub fn cancel(
    store: &Store,
    staff: &StaffCaller,
    id: &str,
    reason: Option<String>,
    public_url: &str,
) -> Result<CancelOut, UseCaseError> {
    let reason = reason
        .map(|r| r.trim().to_owned())
        .filter(|r| !r.is_empty());
    let assembly = staff_assembly(store, staff, id, true)?;
    match AssemblyState::parse(&assembly.state)? {
        AssemblyState::Draft | AssemblyState::Announced | AssemblyState::Open => {}
        AssemblyState::Closed | AssemblyState::Cancelled => {
            return Err(UseCaseError::RuleInState {
                msg: Msg::CancelNotAllowed,
                state: assembly.state,
            });
        }
    }
    let told = assembly.announced_at.is_some() || store.assembly_reached_owners(&assembly.id)?;
    if told && reason.is_none() {
        return Err(UseCaseError::invalid(
            "reason",
            "owners were told of this assembly: say why it is cancelled",
        ));
    }
    let context = if told {
        Some(Context::load(store, &assembly.id, public_url)?)
    } else {
        None
    };
    let reason_text = reason.as_deref().unwrap_or_default();
    let mut cancellations = context
        .as_ref()
        .map(|c| c.cancellations(store, reason_text))
        .transpose()?;
    let mut nothing: &[NewEmail] = &[];
    let notices: &mut dyn NoticeSource = match cancellations.as_mut() {
        Some(round) => round,
        None => &mut nothing,
    };
    let moved = store.cancel_assembly(&assembly.id, reason_text, &staff.actor(), notices);
    if let Some(error) = cancellations.as_mut().and_then(Round::failure) {
        return Err(error); // nothing moved: the transaction rolled back
    }
    let moved = moved.map_err(|e| match e {
        gongjue_store::StoreError::Conflict(_) => UseCaseError::Rule(Msg::CancelNotAllowed),
        other => other.into(),
    })?;
    let items = store.items(&moved.id)?;
    let (queued, paper_round) = cancellations.map_or((0, Vec::new()), |round| {
        (round.emails + round.texts, round.paper)
    });
    Ok(CancelOut {
        assembly: assembly_out(moved, items),
        queued,
        paper_round,
    })
}
