//! Voting codes: one per member, shown once, each with its invitation.

use std::collections::{BTreeMap, BTreeSet};

use gongjue_store::assemblies::AssemblyState;
use gongjue_store::codes::CodeIssue;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::codes;
use crate::i18n::Msg;
use crate::mail::compose::Context;
use crate::state::AppState;
use crate::usecases::setup::staff_assembly;
use crate::usecases::{StaffCaller, UseCaseError};

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueCodesRequest {
    /// Owner ids to issue (or re-issue) codes to; absent: every voting member. Re-issuing
    /// revokes the member's earlier code and ends sessions opened with it.
    #[serde(default)]
    pub voters: Option<Vec<String>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedCode {
    pub voter: String,
    /// Shown once: only a keyed hash is stored.
    pub code: String,
    /// The units of the member, for the notice.
    pub units: Vec<String>,
    /// Whether an invitation with the code was queued by e-mail; if not (no address in the
    /// roster), the code must reach the owner on paper.
    pub emailed: bool,
}

/// Issues voting codes, returned once: before opening to every owner of the current roster
/// (or those `wanted`), once open to the members of the frozen electorates. Re-issuing revokes
/// a member's earlier code and ends the sessions opened with it.
pub fn issue_codes(
    state: &AppState,
    staff: &StaffCaller,
    id: &str,
    wanted: Option<Vec<String>>,
) -> Result<Vec<IssuedCode>, UseCaseError> {
    let store = &state.store;
    let assembly = staff_assembly(store, staff, id, true)?;
    if assembly.state == AssemblyState::Closed.as_str()
        || assembly.state == AssemblyState::Cancelled.as_str()
    {
        return Err(UseCaseError::Rule(Msg::VotingClosed));
    }
    {
        // Who may vote: the frozen electorates once open, else the current roster's owners.
        let mut units_of: BTreeMap<String, BTreeSet<String>> = Default::default();
        if assembly.state == AssemblyState::Open.as_str() {
            for item in store.items(&assembly.id)? {
                for unit in store.electorate(&item.id)? {
                    units_of
                        .entry(unit.voter)
                        .or_default()
                        .insert(unit.unit_number);
                }
            }
        } else {
            for unit in store.current_units(&assembly.estate_id)? {
                units_of
                    .entry(unit.owner_id)
                    .or_default()
                    .insert(unit.unit_number);
            }
        }
        let voters: Vec<String> = match wanted {
            Some(list) => {
                if let Some(unknown) = list.iter().find(|v| !units_of.contains_key(*v)) {
                    return Err(UseCaseError::invalid(
                        "voters",
                        format!("{unknown} is not a voting member"),
                    ));
                }
                list.into_iter()
                    .collect::<BTreeSet<_>>()
                    .into_iter()
                    .collect()
            }
            None => units_of.keys().cloned().collect(),
        };
        let context = Context::load(store, &assembly.id, &state.public_url)?;
        let mut plain = Vec::with_capacity(voters.len());
        let mut issues = Vec::with_capacity(voters.len());
        for voter in voters {
            let code = codes::generate()?;
            issues.push(CodeIssue {
                voter: voter.clone(),
                code_hash: codes::hash(&state.code_key, &code),
                invitation: None,
            });
            plain.push((voter, code));
        }
        // One code per member, each with its invitation, all in one transaction: a failure
        // leaves no member with a half-issued code. Each issue revokes the member's earlier code.
        // Each invitation is rendered when its code is stored and queued at once, not all first.
        let mut emailed = Vec::with_capacity(issues.len());
        let mut failure: Option<UseCaseError> = None;
        let stored = store.issue_voting_codes_inviting(
            &assembly.id,
            &issues,
            Some(&staff.user),
            |index, issue| {
                let code = plain.get(index).map_or("", |(_, code)| code.as_str());
                match context.invitation(&issue.voter, code) {
                    Ok(invitation) => {
                        emailed.push(invitation.is_some());
                        Ok(invitation)
                    }
                    Err(error) => {
                        let text = error.to_string();
                        failure = Some(error);
                        Err(gongjue_store::StoreError::Invalid(text))
                    }
                }
            },
        );
        if let Some(error) = failure {
            return Err(error); // nothing was issued: the transaction rolled back
        }
        stored?;
        Ok(plain
            .into_iter()
            .zip(emailed)
            .map(|((voter, code), emailed)| {
                let units = units_of
                    .get(&voter)
                    .map(|u| u.iter().cloned().collect())
                    .unwrap_or_default();
                IssuedCode {
                    voter,
                    code,
                    units,
                    emailed,
                }
            })
            .collect::<Vec<_>>())
    }
}
