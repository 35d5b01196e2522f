//! Paper ballots: entered by one staff member, counted only once another confirms them.

use chrono::Utc;
use gongjue_store::assemblies::AssemblyState;
use gongjue_store::ballots::{CastBallot, Channel, PaperNote};
use gongjue_store::{Store, timestamp};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::i18n::Msg;
use crate::items::{Entry, check_choice};
use crate::mail::compose::Context;
use crate::timetable;
use crate::usecases::ballots::{cast_key, check_replacing, in_objection_stage, is_retry, item_of};
use crate::usecases::{StaffCaller, UseCaseError};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaperBallotRequest {
    #[schema(format = Uuid)]
    pub item: String,
    /// The member (owner id); or give `unit` and the member holding it is used.
    #[serde(default)]
    pub voter: Option<String>,
    #[serde(default)]
    pub unit: Option<String>,
    /// As read by the tellers; `"invalid"` for a spoilt ballot (废票).
    #[schema(schema_with = crate::schema_refs::choice)]
    pub choice: Value,
    /// When the ballot was received (RFC 3339); must lie inside the voting window.
    #[schema(format = DateTime)]
    pub received_at: String,
    /// Where the scan or the paper is filed.
    #[serde(default)]
    pub scan_ref: Option<String>,
    /// Required to replace a confirmed paper ballot; written to the audit log.
    #[serde(default)]
    pub correction_reason: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PaperBallotOut {
    /// The id to confirm with `POST /paper-ballots/{id}/confirm`.
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub item: String,
    pub voter: String,
    #[schema(minimum = 1)]
    pub seq: i64,
    pub confirmed: bool,
    /// The staff user who confirmed it.
    #[schema(format = Uuid)]
    pub confirmed_by: Option<String>,
    pub receipt: String,
}

/// Enters one paper ballot, checked as every ballot is (window, electorate, replacing, choice);
/// the JSON route and the secretaries' entry page call it. `key` makes a retry store nothing new.
pub fn enter_paper_ballot(
    store: &Store,
    staff: &StaffCaller,
    assembly_id: &str,
    key: &str,
    body: PaperBallotRequest,
) -> Result<PaperBallotOut, UseCaseError> {
    let received = timetable::parse("received_at", &body.received_at)?;
    let checked = check_paper_ballot(store, staff, assembly_id, key, &body, received)?;
    store_paper_ballot(store, staff, key, body, received, checked)
}

/// A paper ballot that passed every check, ready to be stored.
#[derive(Debug)]
pub struct CheckedPaper {
    estate_id: String,
    item_id: String,
    voter: String,
    correction: bool,
}

/// Every check of [`enter_paper_ballot`], storing nothing: a sheet of several items is checked
/// whole before any of its ballots is stored.
pub fn check_paper_ballot(
    store: &Store,
    staff: &StaffCaller,
    assembly_id: &str,
    key: &str,
    body: &PaperBallotRequest,
    received: chrono::DateTime<Utc>,
) -> Result<CheckedPaper, UseCaseError> {
    let assembly = store.assembly(assembly_id)?;
    staff.writes(&assembly.estate_id)?;
    let correction = body
        .correction_reason
        .as_deref()
        .is_some_and(|r| !r.trim().is_empty());
    let mut after_closing = false;
    match AssemblyState::parse(&assembly.state)? {
        AssemblyState::Open => {}
        // During the objection period a paper ballot received in time may still be
        // recorded, as a correction with its reason, in answer to an owner's open objection
        // (checked below, once the member is known).
        AssemblyState::Closed if correction && in_objection_stage(store, &assembly.id)? => {
            after_closing = true;
        }
        AssemblyState::Draft | AssemblyState::Announced => {
            return Err(UseCaseError::Rule(Msg::VotingNotYetOpen));
        }
        AssemblyState::Closed | AssemblyState::Cancelled => {
            return Err(UseCaseError::Rule(Msg::VotingClosed));
        }
    }
    timetable::check_receipt(
        Utc::now(),
        received,
        timetable::stored(&assembly.opens_at)?,
        timetable::stored(&assembly.closes_at)?,
    )?;
    let item = item_of(store, &body.item, &assembly.id)?;
    let voter = match (&body.voter, &body.unit) {
        (Some(voter), _) => voter.clone(),
        (None, Some(unit)) => store.voter_of_unit(&item.id, unit)?.ok_or_else(|| {
            UseCaseError::invalid(
                "unit",
                format!("unit {unit} is not in this item's electorate"),
            )
        })?,
        (None, None) => return Err(UseCaseError::invalid("voter", "give the voter or the unit")),
    };
    if !store.in_electorate(&item.id, &voter)? {
        return Err(UseCaseError::invalid(
            "voter",
            format!("{voter} is not in this item's electorate"),
        ));
    }
    let current = store.current_ballot(&item.id, &voter)?;
    if !is_retry(store, current.as_ref(), &cast_key(key, &item.id, &voter))? {
        if after_closing {
            check_answers_objection(store, &assembly.id, &item.id, &voter, None)?;
        }
        check_replacing(&assembly, current.as_ref(), Channel::Paper, correction)?;
        // Of two versions of a member's ballot, the one cast or received later wins: a paper
        // ballot received before the current ballot was cast (a newer web ballot, say) is
        // refused, never counted silently. The store checks it again under its lock.
        if let Some(current) = &current
            && received < timetable::stored(&current.cast_at)?
        {
            return Err(UseCaseError::Rule(Msg::PaperOlderThanBallot));
        }
    }
    check_choice(&item, &body.choice, Entry::Paper)?;
    Ok(CheckedPaper {
        estate_id: assembly.estate_id,
        item_id: item.id,
        voter,
        correction,
    })
}

/// After voting closed, a paper ballot corrects the record only in answer to an open objection
/// of the same member on the same item (filed by `by` at the latest, when given: before the
/// correction was entered). Checked at entry and again at confirmation.
fn check_answers_objection(
    store: &Store,
    assembly_id: &str,
    item_id: &str,
    voter: &str,
    by: Option<&str>,
) -> Result<(), UseCaseError> {
    let answers = store.objections(assembly_id, Some(voter))?.iter().any(|o| {
        o.item_id == item_id && o.status == "open" && by.is_none_or(|by| o.filed_at.as_str() <= by)
    });
    if answers {
        Ok(())
    } else {
        Err(UseCaseError::Rule(Msg::CorrectionNeedsObjection))
    }
}

/// Stores a checked paper ballot, with the audit entry of its filing or correction.
pub fn store_paper_ballot(
    store: &Store,
    staff: &StaffCaller,
    key: &str,
    body: PaperBallotRequest,
    received: chrono::DateTime<Utc>,
    checked: CheckedPaper,
) -> Result<PaperBallotOut, UseCaseError> {
    store_paper_sheet(store, staff, key, vec![(body, checked)], received)?
        .pop()
        .ok_or_else(|| UseCaseError::Internal("a stored paper ballot vanished".into()))
}

/// Stores the checked paper ballots of one sheet (one estate) in one transaction, each with
/// the audit entry of its filing or correction: the whole sheet or, with an error, nothing.
pub fn store_paper_sheet(
    store: &Store,
    staff: &StaffCaller,
    key: &str,
    sheet: Vec<(PaperBallotRequest, CheckedPaper)>,
    received: chrono::DateTime<Utc>,
) -> Result<Vec<PaperBallotOut>, UseCaseError> {
    let Some(estate_id) = sheet.first().map(|(_, c)| c.estate_id.clone()) else {
        return Ok(Vec::new());
    };
    if sheet.iter().any(|(_, c)| c.estate_id != estate_id) {
        return Err(UseCaseError::Internal(
            "a paper sheet spans two estates".into(),
        ));
    }
    let mut casts = Vec::with_capacity(sheet.len());
    let mut notes = Vec::with_capacity(sheet.len());
    for (body, checked) in sheet {
        let CheckedPaper {
            item_id,
            voter,
            correction,
            ..
        } = checked;
        notes.push((correction || body.scan_ref.is_some()).then(|| PaperNote {
            action: if correction { "ballot.corrected".into() } else { "ballot.paper_filed".into() },
            detail: serde_json::json!({ "item": item_id, "voter": voter, "reason": body.correction_reason, "scan_ref": body.scan_ref }),
        }));
        casts.push(CastBallot {
            idempotency_key: cast_key(key, &item_id, &voter),
            item_id,
            voter,
            channel: Channel::Paper,
            choice: body.choice,
            cast_at: Some(timestamp(received)),
            proxy_id: None,
            entered_by: Some(staff.user.clone()),
            actor: staff.actor(),
        });
    }
    let outcomes = store.enter_paper_sheet(&estate_id, &casts, &notes)?;
    Ok(outcomes
        .into_iter()
        .map(|outcome| {
            let v = outcome.version;
            PaperBallotOut {
                receipt: v.receipt(),
                id: v.id,
                item: v.item_id,
                voter: v.voter,
                seq: v.seq,
                confirmed: v.confirmed_at.is_some(),
                confirmed_by: v.confirmed_by,
            }
        })
        .collect())
}

/// Confirms a paper ballot entered by someone else (the JSON route and the confirmation queue).
pub fn confirm_paper_ballot(
    store: &Store,
    staff: &StaffCaller,
    version_id: &str,
    public_url: &str,
) -> Result<PaperBallotOut, UseCaseError> {
    let (version, estate) = store.ballot_version(version_id)?;
    staff.writes(&estate)?;
    if version.entered_by.as_deref() == Some(staff.user.as_str()) {
        return Err(UseCaseError::Rule(Msg::SamePersonConfirms));
    }
    // A confirmation changes the count: not after the count is closed, except for a
    // correction during the objection period that still answers an open objection.
    let item = store.item(&version.item_id)?;
    let assembly = store.assembly(&item.assembly_id)?;
    let correction_until = if item.state == "open" {
        None
    } else {
        let publication = store
            .publication(&assembly.id)?
            .filter(|p| !p.is_final())
            .ok_or(UseCaseError::Rule(Msg::VotingClosed))?;
        check_answers_objection(
            store,
            &assembly.id,
            &item.id,
            &version.voter,
            Some(&version.recorded_at),
        )?;
        Some(publication.objections_until)
    };
    // Only the member's current ballot: if they voted again since it was entered (online,
    // say), the later ballot stands and this paper is history (the store checks it again).
    if store
        .current_ballot(&item.id, &version.voter)?
        .is_none_or(|c| c.version_id != version.id)
    {
        return Err(UseCaseError::Rule(Msg::PaperBallotSuperseded));
    }
    // The member is told that a paper ballot now counts for them, with its receipt, in the same
    // transaction; a correction after closing in the words of the objection period.
    let notice = match Context::load_for(
        store,
        &assembly,
        std::slice::from_ref(&version.voter),
        public_url,
    )? {
        Some(context) => context.ballot_recorded(
            &version.voter,
            &[(version.item_id.clone(), version.receipt())],
            Channel::Paper,
            Utc::now(),
            format!("ballot_recorded:{}", version.id),
            correction_until.as_deref(),
        )?,
        None => None,
    };
    let v = store.confirm_paper_ballot_with_notice(version_id, &staff.user, notice.as_ref())?;
    Ok(PaperBallotOut {
        receipt: v.receipt(),
        id: v.id,
        item: v.item_id,
        voter: v.voter,
        seq: v.seq,
        confirmed: v.confirmed_at.is_some(),
        confirmed_by: v.confirmed_by,
    })
}
