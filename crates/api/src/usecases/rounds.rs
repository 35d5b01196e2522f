//! Consultation rounds (issue 19): a consultation that did not settle a question is followed by
//! its next round, a new consultation in a later draft assembly, linked to the previous one. It
//! asks the same electorate or a narrower part of it (a scope within the previous round's
//! frozen units), its questions copied unless new ones are given. Each round is counted and
//! exported on its own; owners and staff read the rounds in order, each with its result.

use gongjue_store::Store;
use gongjue_store::assemblies::{AssemblyState, Item};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::countable;
use crate::i18n::Msg;
use crate::items::{NewItemRequest, QuestionRequest, ScopeRequest, ThresholdRequest};
use crate::usecases::setup::{readable_item, staff_assembly};
use crate::usecases::{Caller, StaffCaller, UseCaseError};

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NextRoundRequest {
    /// The draft assembly (of the same estate) that asks the next round.
    #[schema(format = Uuid)]
    pub assembly: String,
    /// Default: the previous round's title.
    #[serde(default)]
    pub title: Option<String>,
    /// Default: the previous round's text.
    #[serde(default)]
    pub body: Option<String>,
    /// Default: the previous round's scope. A narrower one must lie within the previous round's
    /// electorate (e.g. only the stairwells still undecided).
    #[serde(default)]
    #[schema(value_type = Option<Object>)]
    pub scope: Option<ScopeRequest>,
    /// Default: the previous round's questions, as they were.
    #[serde(default)]
    #[schema(value_type = Option<Vec<Object>>)]
    pub questions: Option<Vec<QuestionRequest>>,
}

/// One round of a chain.
#[derive(Debug, Serialize, ToSchema)]
pub struct ConsultationRound {
    pub round: i64,
    #[schema(format = Uuid)]
    pub item: String,
    #[schema(format = Uuid)]
    pub assembly: String,
    pub title: String,
    #[schema(schema_with = crate::schema_refs::assembly_state)]
    pub state: String,
    /// The round's result once its voting closed (as `GET /items/{id}/result`); null before.
    #[schema(value_type = Option<Object>)]
    pub result: Option<Value>,
    /// The SHA-256 of its signed export, once its result is final.
    pub export_sha256: Option<String>,
}

/// The previous round's settings as a request for the next one, with the changes asked for.
fn next_request(
    previous: &Item,
    request: NextRoundRequest,
) -> Result<NewItemRequest, UseCaseError> {
    let definition: Value = serde_json::from_str(&previous.definition)
        .map_err(|e| UseCaseError::Internal(format!("definition of {}: {e}", previous.id)))?;
    let copied = |key: &str| definition.get(key).cloned().unwrap_or(Value::Null);
    let questions = match request.questions {
        Some(questions) => questions,
        None => serde_json::from_value(copied("questions"))
            .map_err(|e| UseCaseError::Internal(format!("questions of {}: {e}", previous.id)))?,
    };
    let quorum: Option<Vec<ThresholdRequest>> = serde_json::from_value(copied("quorum"))
        .map_err(|e| UseCaseError::Internal(format!("quorum of {}: {e}", previous.id)))?;
    let scope = match request.scope {
        Some(scope) => scope,
        None => serde_json::from_str(&previous.scope)
            .map_err(|e| UseCaseError::Internal(format!("scope of {}: {e}", previous.id)))?,
    };
    Ok(NewItemRequest::Consultation {
        title: request.title.unwrap_or_else(|| previous.title.clone()),
        body: request.body.unwrap_or_else(|| previous.body.clone()),
        scope,
        questions,
        quorum,
    })
}

/// Sets up the next round of the consultation `previous_id` in a draft assembly (secretaries
/// and admins), once the previous round's voting has closed.
pub fn next_round(
    store: &Store,
    staff: &StaffCaller,
    previous_id: &str,
    request: NextRoundRequest,
) -> Result<Item, UseCaseError> {
    let (previous_assembly, previous) =
        readable_item(store, &Caller::Staff(staff.clone()), previous_id)?;
    staff.writes(&previous_assembly.estate_id)?;
    if previous.kind != "consultation" {
        return Err(UseCaseError::Rule(Msg::RoundsOfConsultations));
    }
    if AssemblyState::parse(&previous_assembly.state)? != AssemblyState::Closed {
        return Err(UseCaseError::RuleInState {
            msg: Msg::RoundAfterClosing,
            state: previous_assembly.state,
        });
    }
    if store.next_round_of(&previous.id)?.is_some() {
        return Err(UseCaseError::Rule(Msg::RoundExists));
    }
    let assembly = staff_assembly(store, staff, &request.assembly, true)?;
    if assembly.estate_id != previous_assembly.estate_id {
        return Err(UseCaseError::invalid(
            "assembly",
            "the next round is asked in an assembly of the same estate",
        ));
    }
    if assembly.state != AssemblyState::Draft.as_str() {
        return Err(UseCaseError::Rule(Msg::ItemsOnlyInDraft));
    }
    let new = next_request(&previous, request)?.into_new_item()?;
    // The same electorate or a narrower part of it: every unit now in scope took part in the
    // previous round's electorate.
    let roster = store.current_units(&assembly.estate_id)?;
    let item = countable::as_item(&new)?;
    let units = countable::in_scope(&item.id, &new.scope, &roster);
    let before: std::collections::BTreeSet<String> = store
        .electorate(&previous.id)?
        .into_iter()
        .map(|u| u.unit_number)
        .collect();
    if let Some(outside) = units.iter().find(|u| !before.contains(&u.unit_number)) {
        return Err(UseCaseError::invalid(
            "scope",
            format!(
                "unit {} was not in the previous round's electorate: a next round asks the same owners or fewer",
                outside.unit_number
            ),
        ));
    }
    countable::check(&item, units, "")?;
    store
        .add_item_in_round(&assembly.id, new, Some(&previous.id), &staff.actor())
        .map_err(|e| match e {
            gongjue_store::StoreError::Conflict(why) if why.contains("next round") => {
                UseCaseError::Rule(Msg::RoundExists)
            }
            gongjue_store::StoreError::Conflict(_) => UseCaseError::Rule(Msg::ItemsOnlyInDraft),
            other => other.into(),
        })
}

/// Every round of the chain `item_id` belongs to, first to last, each with its result once
/// closed: for staff of the estate and owners signed in for any of the rounds' assemblies.
pub fn rounds(
    store: &Store,
    caller: &Caller,
    item_id: &str,
) -> Result<Vec<ConsultationRound>, UseCaseError> {
    let chain = store.rounds_of(item_id)?;
    let readable = chain
        .iter()
        .any(|id| readable_item(store, caller, id).is_ok());
    if !readable {
        // The caller's own refusal for the item asked about.
        readable_item(store, caller, item_id)?;
    }
    chain
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let item = store.item(id)?;
            let assembly = store.assembly(&item.assembly_id)?;
            let closed = AssemblyState::parse(&assembly.state)? == AssemblyState::Closed;
            let result = if closed {
                Some(
                    serde_json::to_value(crate::count::tally_of(store, &item)?.result())
                        .map_err(|e| UseCaseError::Internal(e.to_string()))?,
                )
            } else {
                None
            };
            Ok(ConsultationRound {
                round: i64::try_from(i).unwrap_or(0) + 1,
                export_sha256: store.export(&item.id)?.map(|e| e.bundle_sha256),
                item: item.id,
                assembly: assembly.id,
                title: item.title,
                state: assembly.state,
                result,
            })
        })
        .collect()
}
