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
use crate::usecases::volunteers::may_enter_paper;
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
    let correction = body
        .correction_reason
        .as_deref()
        .is_some_and(|r| !r.trim().is_empty());
    // Secretaries for anyone; a volunteer for the members of their buildings (checked again
    // below once the member is known), never a correction.
    may_enter_paper(store, staff, &assembly, None, correction)?;
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
    may_enter_paper(store, staff, &assembly, Some(&voter), correction)?;
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

/// Confirms a paper ballot entered by someone else (the JSON route's per-ballot confirmation).
pub fn confirm_paper_ballot(
    store: &Store,
    staff: &StaffCaller,
    version_id: &str,
    public_url: &str,
) -> Result<PaperBallotOut, UseCaseError> {
    confirm_paper_sheet(store, staff, &[version_id.to_owned()], public_url)?
        .pop()
        .ok_or_else(|| UseCaseError::Internal("a confirmed paper ballot vanished".into()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConfirmSheetRequest {
    /// The paper ballots of one sheet: one member, one assembly (the ids `GET
    /// /assemblies/{id}/paper-ballots` lists).
    #[schema(min_items = 1, max_items = 1000)]
    pub ballots: Vec<String>,
}

/// Confirms the paper ballots of one sheet entered by someone else (one member's, of one
/// assembly), all in one action and one transaction: every ballot is checked as a single one
/// is, and if one is refused none is confirmed. The member gets one notice listing every item
/// with its receipt (issue 21: a sheet of twenty items took twenty clicks).
pub fn confirm_paper_sheet(
    store: &Store,
    staff: &StaffCaller,
    version_ids: &[String],
    public_url: &str,
) -> Result<Vec<PaperBallotOut>, UseCaseError> {
    let mut ids: Vec<String> = Vec::with_capacity(version_ids.len());
    for id in version_ids {
        if !ids.contains(id) {
            ids.push(id.clone());
        }
    }
    if ids.is_empty() {
        return Err(UseCaseError::invalid("ballots", "no paper ballot given"));
    }
    if ids.len() > 1000 {
        return Err(UseCaseError::invalid(
            "ballots",
            "at most 1000 paper ballots",
        ));
    }
    let mut versions = Vec::with_capacity(ids.len());
    let mut sheet: Option<(String, String)> = None;
    let mut correction_until = None;
    for id in &ids {
        let (version, estate) = store.ballot_version(id)?;
        staff.writes(&estate)?;
        if version.entered_by.as_deref() == Some(staff.user.as_str()) {
            return Err(UseCaseError::Rule(Msg::SamePersonConfirms));
        }
        // A volunteer's paper is confirmed by someone other than who created the volunteer:
        // else one secretary could enter under an account they made and confirm it themselves.
        if let Some(entered_by) = &version.entered_by
            && store.volunteer_created_by(entered_by)?.as_deref() == Some(staff.actor().as_str())
        {
            return Err(UseCaseError::Rule(Msg::VolunteerCreatorConfirms));
        }
        let item = store.item(&version.item_id)?;
        match &sheet {
            None => sheet = Some((item.assembly_id.clone(), version.voter.clone())),
            Some((assembly, voter)) if *assembly == item.assembly_id && *voter == version.voter => {
            }
            Some(_) => {
                return Err(UseCaseError::invalid(
                    "ballots",
                    "the paper ballots of one sheet are one member's, in one assembly",
                ));
            }
        }
        // A confirmation changes the count: not after the count is closed, except for a
        // correction during the objection period that still answers an open objection.
        if item.state != "open" {
            let publication = store
                .publication(&item.assembly_id)?
                .filter(|p| !p.is_final())
                .ok_or(UseCaseError::Rule(Msg::VotingClosed))?;
            check_answers_objection(
                store,
                &item.assembly_id,
                &item.id,
                &version.voter,
                Some(&version.recorded_at),
            )?;
            correction_until = Some(publication.objections_until);
        }
        // Only the member's current ballot: if they voted again since it was entered (online,
        // say), the later ballot stands and this paper is history (the store checks it again).
        if store
            .current_ballot(&item.id, &version.voter)?
            .is_none_or(|c| c.version_id != version.id)
        {
            return Err(UseCaseError::Rule(Msg::PaperBallotSuperseded));
        }
        versions.push(version);
    }
    let (Some((assembly_id, voter)), Some(first)) = (sheet, versions.first()) else {
        return Err(UseCaseError::invalid("ballots", "no paper ballot given"));
    };
    let assembly = store.assembly(&assembly_id)?;
    // The member is told that the sheet now counts for them, every item with its receipt, in
    // the same transaction; a correction after closing in the words of the objection period.
    let notice =
        match Context::load_for(store, &assembly, std::slice::from_ref(&voter), public_url)? {
            Some(context) => context.ballot_recorded(
                &voter,
                &versions
                    .iter()
                    .map(|v| (v.item_id.clone(), v.receipt()))
                    .collect::<Vec<_>>(),
                Channel::Paper,
                Utc::now(),
                format!("ballot_recorded:{}", first.id),
                correction_until.as_deref(),
            )?,
            None => Vec::new(),
        };
    let confirmed = store.confirm_paper_sheet(&ids, &staff.user, &notice)?;
    Ok(confirmed
        .into_iter()
        .map(|v| PaperBallotOut {
            receipt: v.receipt(),
            id: v.id,
            item: v.item_id,
            voter: v.voter,
            seq: v.seq,
            confirmed: v.confirmed_at.is_some(),
            confirmed_by: v.confirmed_by,
        })
        .collect())
}
