//! Voting codes: one per member, each with its invitation. A code e-mailed to the owner's own
//! address is never shown to staff; a code for an owner without an address is shown once, to
//! the staff member who issues it, to be printed on the owner's sheet (audited `code.printed`,
//! and in the owner's own record). A member who had a code gets a new one only by a re-issue
//! that one staff member requests and a different one confirms, as a paper ballot.

use std::collections::BTreeSet;

use gongjue_store::Store;
use gongjue_store::assemblies::{Assembly, AssemblyState, Item};
use gongjue_store::codes::CodeIssue;
use gongjue_store::reissues::CodeReissue;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::codes;
use crate::i18n::Msg;
use crate::mail::compose::Context;
use crate::state::AppState;
use crate::usecases::scope::ItemScopes;
use crate::usecases::setup::staff_assembly;
use crate::usecases::{StaffCaller, UseCaseError};

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueCodesRequest {
    /// Owner ids to issue codes to; absent: every voting member who has none yet. A member who
    /// had a code for this assembly is refused (`code_already_issued`): a new code for them is
    /// a re-issue (`POST /assemblies/{id}/code-reissues`), confirmed by a second staff member.
    #[serde(default)]
    pub voters: Option<Vec<String>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedCode {
    pub voter: String,
    /// Shown once, and only for a member without an e-mail address, whose code must reach
    /// them on paper (only a keyed hash is stored). `null` when it was e-mailed: a code sent to
    /// the owner's own address is never shown to staff.
    pub code: Option<String>,
    /// The units of the member, for the notice.
    pub units: Vec<String>,
    /// Whether an invitation with the code was queued by e-mail; if not (no address in the
    /// roster), `code` is given and must reach the owner on paper.
    pub emailed: bool,
}

/// The assembly's items and who may vote on which, with their units: frozen electorates once
/// open, else the current roster's owners in scope (`usecases::scope`: an owner outside every
/// item's scope gets no code).
fn voting_scopes(
    store: &Store,
    assembly: &Assembly,
) -> Result<(Vec<Item>, ItemScopes), UseCaseError> {
    let items = store.items(&assembly.id)?;
    let scopes = ItemScopes::load(store, &assembly.estate_id, &items)?;
    Ok((items, scopes))
}

/// Codes are issued (and re-issued) until voting closes.
fn check_issuing(assembly: &Assembly) -> Result<(), UseCaseError> {
    if assembly.state == AssemblyState::Closed.as_str()
        || assembly.state == AssemblyState::Cancelled.as_str()
    {
        return Err(UseCaseError::Rule(Msg::VotingClosed));
    }
    Ok(())
}

/// Issues voting codes: before opening to the owners of the current roster (or those
/// `wanted`), once open to the members of the frozen electorates; without `wanted`, to every
/// such member who has none yet. A member who had a code is refused: a new code for them is a
/// re-issue. Each code goes to the owner's e-mail address in their invitation, and only a code
/// without one is returned, to be printed.
pub fn issue_codes(
    state: &AppState,
    staff: &StaffCaller,
    id: &str,
    wanted: Option<Vec<String>>,
) -> Result<Vec<IssuedCode>, UseCaseError> {
    let store = &state.store;
    let assembly = staff_assembly(store, staff, id, true)?;
    check_issuing(&assembly)?;
    let (items, scopes) = voting_scopes(store, &assembly)?;
    let had = store.members_with_codes(&assembly.id)?;
    let voters: Vec<String> = match wanted {
        Some(list) => {
            if let Some(unknown) = list.iter().find(|v| !scopes.is_member(v)) {
                return Err(UseCaseError::invalid(
                    "voters",
                    format!("{unknown} is not a voting member"),
                ));
            }
            if list.iter().any(|v| had.contains(v)) {
                return Err(UseCaseError::Rule(Msg::CodeAlreadyIssued));
            }
            list.into_iter()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect()
        }
        None => scopes
            .members()
            .into_iter()
            .filter(|v| !had.contains(v))
            .collect(),
    };
    drop(had);
    if voters.is_empty() {
        return Ok(Vec::new());
    }
    let assembly_id = assembly.id.clone();
    let mut context = Context::with_scopes(store, assembly, items, scopes, &state.public_url)?;
    let mut plain = Vec::with_capacity(voters.len());
    let mut issues = Vec::with_capacity(voters.len());
    for voter in voters {
        let code = codes::generate()?;
        issues.push(CodeIssue {
            code_hash: codes::hash(&state.code_key, &code),
            voter,
            invitation: None,
        });
        plain.push(code);
    }
    // One code per member, each with its invitation, all in one transaction: a failure leaves
    // no member with a half-issued code. The store refuses the whole run if one of them got a
    // code meanwhile. Each invitation is rendered when its code is stored and queued at once.
    let mut emailed = Vec::with_capacity(issues.len());
    let mut failure: Option<UseCaseError> = None;
    let stored =
        store.issue_first_codes(&assembly_id, &issues, Some(&staff.user), |index, issue| {
            let code = plain.get(index).map_or("", String::as_str);
            match context.invitation(&issue.voter, code, None) {
                Ok(invitation) => {
                    emailed.push(invitation.iter().any(|m| m.sms.is_none()));
                    Ok(invitation)
                }
                Err(error) => {
                    let text = error.to_string();
                    failure = Some(error);
                    Err(gongjue_store::StoreError::Invalid(text))
                }
            }
        });
    if let Some(error) = failure {
        return Err(error); // nothing was issued: the transaction rolled back
    }
    match stored {
        Err(gongjue_store::StoreError::Conflict(_)) => {
            return Err(UseCaseError::Rule(Msg::CodeAlreadyIssued));
        }
        other => other?,
    };
    // The answer lists every member (96,000 at a mega-estate): the owners' contacts are let go
    // before it is built, only the scopes are kept for the units (issue 22).
    let scopes = context.take_scopes().unwrap_or_default();
    drop(context);
    Ok(issues
        .into_iter()
        .zip(plain)
        .zip(emailed)
        .map(|((issue, code), emailed)| IssuedCode {
            units: scopes.unit_numbers_of(&issue.voter),
            voter: issue.voter,
            // Never the code of an e-mailed invitation: staff do not see it.
            code: (!emailed).then_some(code),
            emailed,
        })
        .collect())
}

// --- Re-issues: one staff member asks, another confirms ---

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeReissueRequest {
    /// The member (owner id); or give `unit` and the member holding it is used.
    #[serde(default)]
    pub voter: Option<String>,
    #[serde(default)]
    pub unit: Option<String>,
    /// Why (e.g. the owner lost the sheet); written to the audit log and told to the owner.
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CodeReissueOut {
    /// The id to confirm with `POST /code-reissues/{id}/confirm`.
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub assembly_id: String,
    pub voter: String,
    pub units: Vec<String>,
    pub reason: String,
    /// The staff user who asked.
    #[schema(format = Uuid)]
    pub requested_by: String,
    #[schema(format = DateTime)]
    pub requested_at: String,
    /// The staff user who confirmed it (never the one who asked); `null` while pending.
    #[schema(format = Uuid)]
    pub confirmed_by: Option<String>,
    #[schema(format = DateTime)]
    pub confirmed_at: Option<String>,
    /// Once confirmed: whether the new code went to the owner's e-mail address.
    pub emailed: Option<bool>,
    /// Only in the answer to the confirmation, and only for an owner without an e-mail
    /// address: the new code, shown this once to the confirming staff member to print.
    pub code: Option<String>,
}

fn reissue_out(
    reissue: CodeReissue,
    units: Vec<String>,
    emailed: Option<bool>,
    code: Option<String>,
) -> CodeReissueOut {
    CodeReissueOut {
        id: reissue.id,
        assembly_id: reissue.assembly_id,
        voter: reissue.voter,
        units,
        reason: reissue.reason,
        requested_by: reissue.requested_by,
        requested_at: reissue.requested_at,
        confirmed_by: reissue.confirmed_by,
        confirmed_at: reissue.confirmed_at,
        emailed,
        code,
    }
}

/// Asks for a new code for a member who had one. Nothing changes yet: their code keeps
/// working until a different staff member confirms ([`confirm_reissue`]).
pub fn request_reissue(
    store: &Store,
    staff: &StaffCaller,
    assembly_id: &str,
    body: CodeReissueRequest,
) -> Result<CodeReissueOut, UseCaseError> {
    let assembly = staff_assembly(store, staff, assembly_id, true)?;
    check_issuing(&assembly)?;
    let reason = body.reason.trim();
    if reason.is_empty() {
        return Err(UseCaseError::invalid(
            "reason",
            "say why the code is re-issued",
        ));
    }
    if reason.chars().count() > 500 {
        return Err(UseCaseError::invalid("reason", "at most 500 characters"));
    }
    let (_, scopes) = voting_scopes(store, &assembly)?;
    let voter = match (body.voter.map(|v| v.trim().to_owned()), body.unit) {
        (Some(voter), _) if !voter.is_empty() => voter,
        (_, Some(unit)) if !unit.trim().is_empty() => {
            let unit = unit.trim();
            scopes.holder_of(unit).map(str::to_owned).ok_or_else(|| {
                UseCaseError::invalid("unit", format!("no voting member holds unit {unit}"))
            })?
        }
        _ => return Err(UseCaseError::invalid("voter", "give the voter or the unit")),
    };
    if !scopes.is_member(&voter) {
        return Err(UseCaseError::invalid(
            "voter",
            format!("{voter} is not a voting member"),
        ));
    }
    if !store.members_with_codes(&assembly.id)?.contains(&voter) {
        return Err(UseCaseError::Rule(Msg::NoCodeToReissue));
    }
    let reissue = store
        .request_code_reissue(&assembly.id, &voter, reason, &staff.user)
        .map_err(|e| match e {
            gongjue_store::StoreError::Conflict(_) => UseCaseError::Rule(Msg::ReissuePending),
            gongjue_store::StoreError::Invalid(_) => UseCaseError::Rule(Msg::NoCodeToReissue),
            other => other.into(),
        })?;
    let units = scopes.unit_numbers_of(&voter);
    Ok(reissue_out(reissue, units, None, None))
}

/// The assembly's re-issues waiting for a second staff member, oldest first (staff of the
/// estate, every role).
pub fn pending_reissues(
    store: &Store,
    staff: &StaffCaller,
    assembly_id: &str,
) -> Result<Vec<CodeReissueOut>, UseCaseError> {
    let assembly = staff_assembly(store, staff, assembly_id, false)?;
    let (_, scopes) = voting_scopes(store, &assembly)?;
    Ok(store
        .pending_code_reissues(&assembly.id)?
        .into_iter()
        .map(|r| {
            let units = scopes.unit_numbers_of(&r.voter);
            reissue_out(r, units, None, None)
        })
        .collect())
}

/// Confirms a re-issue asked for by someone else: the old code is revoked (with every session
/// opened with it) and a new one issued. It goes to the owner's e-mail address with a notice
/// that it replaces the old one (never shown to staff); an owner without an address, or whose
/// last invitation could not be delivered (given up), gets it on paper: it is returned this
/// once, to the confirming staff member, to print.
pub fn confirm_reissue(
    state: &AppState,
    staff: &StaffCaller,
    reissue_id: &str,
) -> Result<CodeReissueOut, UseCaseError> {
    let store = &state.store;
    let (reissue, estate) = store.code_reissue(reissue_id)?;
    staff.writes(&estate)?;
    if reissue.requested_by == staff.user {
        return Err(UseCaseError::Rule(Msg::ReissueSamePerson));
    }
    if !reissue.pending() {
        return Err(UseCaseError::Rule(Msg::ReissueConfirmed));
    }
    let assembly = store.assembly(&reissue.assembly_id)?;
    check_issuing(&assembly)?;
    let code = codes::generate()?;
    let context = Context::load(store, &assembly.id, &state.public_url)?;
    // The new code goes where the old one went: to the owner's address; but if the last
    // invitation to it was given up (the relay refused the address), the e-mail cannot reach
    // them and the code is handed over on paper instead.
    let mail_failed = store
        .latest_invitation_status(&assembly.id, &reissue.voter)?
        .is_some_and(|status| status == "failed");
    let mut invitation = context.invitation(&reissue.voter, &code, Some(&reissue.reason))?;
    if mail_failed {
        invitation.retain(|m| m.sms.is_some());
    }
    let emailed = invitation.iter().any(|m| m.sms.is_none());
    let (confirmed, _) = store
        .confirm_code_reissue(
            reissue_id,
            &staff.user,
            &codes::hash(&state.code_key, &code),
            invitation,
        )
        .map_err(|e| match e {
            gongjue_store::StoreError::Conflict(_) => UseCaseError::Rule(Msg::ReissueConfirmed),
            other => other.into(),
        })?;
    let units = context
        .scopes()
        .map(|s| s.unit_numbers_of(&confirmed.voter))
        .unwrap_or_default();
    Ok(reissue_out(
        confirmed,
        units,
        Some(emailed),
        (!emailed).then_some(code),
    ))
}

// --- The owner's own record of their code ---

/// Something that happened to an owner's voting code, as the owner's ballot sheet lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct CodeEvent {
    /// `emailed` (a code sent to the owner's address), `printed` (a code shown to a staff
    /// member to print on the owner's paper sheet), `issued` (a code of an older version,
    /// delivery not recorded), `reissue_requested` (a staff member asked for a new code),
    /// `reissued` (a second staff member confirmed: a new code), `revoked` (a code stopped
    /// working).
    #[schema(pattern = "^(emailed|printed|issued|reissue_requested|reissued|revoked)$")]
    pub event: String,
    #[schema(format = DateTime)]
    pub at: String,
}

/// What happened to `voter`'s codes in the assembly, oldest first.
pub fn code_history(
    store: &Store,
    assembly_id: &str,
    voter: &str,
) -> Result<Vec<CodeEvent>, UseCaseError> {
    let mut events = Vec::new();
    let event = |event: &str, at: &str| CodeEvent {
        event: event.to_owned(),
        at: at.to_owned(),
    };
    for code in store.member_codes(assembly_id, voter)? {
        let issued = match code.delivery.as_deref() {
            Some("email") => "emailed",
            Some("paper") => "printed",
            _ => "issued",
        };
        events.push(event(issued, &code.issued_at));
        if let Some(revoked) = &code.revoked_at {
            events.push(event("revoked", revoked));
        }
    }
    for reissue in store.member_code_reissues(assembly_id, voter)? {
        events.push(event("reissue_requested", &reissue.requested_at));
        if let Some(confirmed) = &reissue.confirmed_at {
            events.push(event("reissued", confirmed));
        }
    }
    // By time; at the same instant (a confirmation revokes, re-issues and issues at once) in
    // the order the owner reads the story: revoked, re-issued, the new code.
    let rank = |e: &CodeEvent| match e.event.as_str() {
        "reissue_requested" => 0,
        "revoked" => 1,
        "reissued" => 2,
        _ => 3,
    };
    events.sort_by(|a, b| a.at.cmp(&b.at).then(rank(a).cmp(&rank(b))));
    Ok(events)
}
