//! The candidate register of an election (issue 19). While the assembly is a draft, a secretary
//! registers each candidate the election lists (units, statement, optional photo, who nominated
//! them, answers to the estate's eligibility declarations), and a second staff member records the
//! committee's review: eligible, or rejected with a reason. Announcing refuses an election whose
//! candidates are not all registered and found eligible (`check_reviewed`), so an election never
//! opens on an unreviewed name. Owners read the statements on the form, the notice and the sheet.

use std::collections::BTreeMap;

use gongjue_store::Store;
use gongjue_store::assemblies::{AssemblyState, Item};
use gongjue_store::candidates::{Candidate, ELIGIBLE, NewCandidate};
use gongjue_store::estates::Estate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::i18n::Msg;
use crate::usecases::documents::document_path;
use crate::usecases::setup::readable_item;
use crate::usecases::{Caller, StaffCaller, UseCaseError};

const MAX_STATEMENT_CHARS: usize = 1000;
const MAX_NOMINATOR_CHARS: usize = 100;
const MAX_REASON_CHARS: usize = 500;
const MAX_UNITS: usize = 10;
const MAX_DECLARATIONS: usize = 12;
const MAX_DECLARATION_CHARS: usize = 60;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterCandidate {
    /// One of the election's candidates, as listed.
    pub name: String,
    /// Unit numbers of the estate's current roster (1 to 10), e.g. `["3-1-101"]`.
    pub units: Vec<String>,
    /// What owners read about the candidate, 1 to 1000 characters.
    pub statement: String,
    /// An image document of the same election (`POST /items/{id}/documents`), shown as the photo.
    #[schema(format = Uuid)]
    pub photo_document: Option<String>,
    /// Who nominated the candidate (e.g. 10 名业主联名, 居委会推荐, 自荐), 1 to 100 characters.
    pub nominated_by: String,
    /// The candidate's answer to each of the estate's declarations (`GET .../candidates` lists
    /// them), e.g. `{"无违法搭建": true}`.
    pub declarations: BTreeMap<String, bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewCandidate {
    pub eligible: bool,
    /// Required when not eligible (1 to 500 characters); shown beside the entry.
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeclarationsRequest {
    /// The declarations candidates answer, 1 to 12, each 1 to 60 characters, e.g. 无违法搭建.
    pub declarations: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DeclarationAnswer {
    pub declaration: String,
    pub answer: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateOut {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub item: String,
    pub name: String,
    pub units: Vec<String>,
    pub statement: String,
    #[schema(format = Uuid)]
    pub photo_document: Option<String>,
    /// Where owners see the photo.
    pub photo_url: Option<String>,
    pub nominated_by: String,
    pub declarations: Vec<DeclarationAnswer>,
    #[schema(format = DateTime)]
    pub registered_at: String,
    /// `eligible`, `rejected`, or null before the review.
    pub review: Option<String>,
    pub review_reason: Option<String>,
    #[schema(format = DateTime)]
    pub reviewed_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateRegister {
    /// The election's candidates as listed, in order.
    pub listed: Vec<String>,
    /// The declarations the estate asks of candidates.
    pub declarations: Vec<String>,
    /// The entries, by name (a name no longer listed keeps its entry as a record).
    pub candidates: Vec<CandidateOut>,
}

impl TryFrom<Candidate> for CandidateOut {
    type Error = UseCaseError;

    fn try_from(c: Candidate) -> Result<Self, UseCaseError> {
        let units: Vec<String> = serde_json::from_str(&c.units)
            .map_err(|e| UseCaseError::Internal(format!("units of candidate {}: {e}", c.id)))?;
        let answers: BTreeMap<String, bool> = serde_json::from_str(&c.declarations)
            .map_err(|e| UseCaseError::Internal(format!("declarations of {}: {e}", c.id)))?;
        Ok(CandidateOut {
            photo_url: c.photo_document.as_deref().map(document_path),
            id: c.id,
            item: c.item_id,
            name: c.name,
            units,
            statement: c.statement,
            photo_document: c.photo_document,
            nominated_by: c.nominated_by,
            declarations: answers
                .into_iter()
                .map(|(declaration, answer)| DeclarationAnswer {
                    declaration,
                    answer,
                })
                .collect(),
            registered_at: c.registered_at,
            review: c.review,
            review_reason: c.review_reason,
            reviewed_at: c.reviewed_at,
        })
    }
}

/// The declarations an estate asks of candidates.
pub fn declarations_of(estate: &Estate) -> Result<Vec<String>, UseCaseError> {
    serde_json::from_str(&estate.candidate_declarations).map_err(|e| {
        UseCaseError::Internal(format!("candidate declarations of {}: {e}", estate.id))
    })
}

/// The candidates an election lists, or `candidates_of_elections` for any other item.
fn listed(item: &Item) -> Result<Vec<String>, UseCaseError> {
    if item.kind != "election" {
        return Err(UseCaseError::Rule(Msg::CandidatesOfElections));
    }
    let definition: serde_json::Value = serde_json::from_str(&item.definition)
        .map_err(|e| UseCaseError::Internal(format!("definition of item {}: {e}", item.id)))?;
    Ok(definition
        .get("candidates")
        .and_then(serde_json::Value::as_array)
        .map(|names| {
            names
                .iter()
                .filter_map(|n| n.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

/// An election of a draft assembly the staff caller may change.
fn draft_election(
    store: &Store,
    staff: &StaffCaller,
    item_id: &str,
) -> Result<(Item, Estate), UseCaseError> {
    let (assembly, item) = readable_item(store, &Caller::Staff(staff.clone()), item_id)?;
    staff.writes(&assembly.estate_id)?;
    listed(&item)?;
    if assembly.state != AssemblyState::Draft.as_str() {
        return Err(UseCaseError::RuleInState {
            msg: Msg::CandidatesFixed,
            state: assembly.state,
        });
    }
    Ok((item, store.estate(&assembly.estate_id)?))
}

/// The store's refusals in the use case's words: announced meanwhile, or the registrant reviewing.
fn refused(error: gongjue_store::StoreError) -> UseCaseError {
    match error {
        gongjue_store::StoreError::Conflict(why) if why.starts_with("assembly is ") => {
            UseCaseError::Rule(Msg::CandidatesFixed)
        }
        gongjue_store::StoreError::Conflict(why) if why.starts_with("review by the registrant") => {
            UseCaseError::Rule(Msg::CandidateReviewSamePerson)
        }
        other => other.into(),
    }
}

fn text(field: &str, value: &str, max: usize, what: &str) -> Result<String, UseCaseError> {
    let value = value.trim();
    let length = value.chars().count();
    if length == 0
        || length > max
        || value
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\r')
    {
        return Err(UseCaseError::invalid(
            field,
            format!("{what}: 1 to {max} characters"),
        ));
    }
    Ok(value.to_owned())
}

/// Registers (or replaces) a candidate's entry; the review starts again.
pub fn register(
    store: &Store,
    staff: &StaffCaller,
    item_id: &str,
    request: RegisterCandidate,
) -> Result<CandidateOut, UseCaseError> {
    let (item, estate) = draft_election(store, staff, item_id)?;
    let name = request.name.trim();
    if !listed(&item)?.iter().any(|listed| listed == name) {
        return Err(UseCaseError::invalid(
            "name",
            format!("{name} is not a candidate of this election: list the name first"),
        ));
    }
    if request.units.is_empty() || request.units.len() > MAX_UNITS {
        return Err(UseCaseError::invalid(
            "units",
            format!("name 1 to {MAX_UNITS} units the candidate owns"),
        ));
    }
    let roster = store.current_units(&estate.id)?;
    let mut units = Vec::with_capacity(request.units.len());
    for (i, unit) in request.units.iter().enumerate() {
        let unit = unit.trim();
        if !roster.iter().any(|u| u.unit_number == unit) {
            return Err(UseCaseError::invalid(
                &format!("units[{i}]"),
                format!("{unit} is not a unit of the estate's current roster"),
            ));
        }
        if units.iter().any(|u: &String| u == unit) {
            return Err(UseCaseError::invalid(
                &format!("units[{i}]"),
                format!("{unit} is named twice"),
            ));
        }
        units.push(unit.to_owned());
    }
    let statement = text(
        "statement",
        &request.statement,
        MAX_STATEMENT_CHARS,
        "the candidate's statement",
    )?;
    let nominated_by = text(
        "nominated_by",
        &request.nominated_by,
        MAX_NOMINATOR_CHARS,
        "who nominated the candidate",
    )?;
    if let Some(photo) = &request.photo_document {
        let document = store.document(photo).ok();
        if !document.is_some_and(|d| d.item_id == item.id && d.content_type.starts_with("image/")) {
            return Err(UseCaseError::invalid(
                "photo_document",
                "the photo is an image document of this election (upload it first)",
            ));
        }
    }
    let asked = declarations_of(&estate)?;
    if let Some(unknown) = request.declarations.keys().find(|k| !asked.contains(k)) {
        return Err(UseCaseError::invalid(
            &format!("declarations.{unknown}"),
            "not a declaration this estate asks of candidates",
        ));
    }
    if let Some(missing) = asked
        .iter()
        .find(|a| !request.declarations.contains_key(*a))
    {
        return Err(UseCaseError::invalid(
            &format!("declarations.{missing}"),
            "the candidate's answer to this declaration is missing",
        ));
    }
    let answers: serde_json::Map<String, serde_json::Value> = request
        .declarations
        .into_iter()
        .map(|(k, v)| (k, serde_json::Value::Bool(v)))
        .collect();
    store
        .register_candidate(
            NewCandidate {
                item_id: &item.id,
                name,
                units: &units,
                statement: &statement,
                photo_document: request.photo_document.as_deref(),
                nominated_by: &nominated_by,
                declarations: &answers,
            },
            &staff.actor(),
        )
        .map_err(refused)?
        .try_into()
}

/// Records the committee's review of an entry (a staff member other than its registrant).
pub fn review(
    store: &Store,
    staff: &StaffCaller,
    candidate_id: &str,
    request: ReviewCandidate,
) -> Result<CandidateOut, UseCaseError> {
    let candidate = store.candidate(candidate_id)?;
    draft_election(store, staff, &candidate.item_id)?;
    let reason = match request.reason.as_deref().map(str::trim) {
        Some("") | None if !request.eligible => {
            return Err(UseCaseError::invalid(
                "reason",
                "a rejection needs its reason (e.g. 名下房屋存在违法搭建)",
            ));
        }
        Some("") | None => None,
        Some(reason) => Some(text(
            "reason",
            reason,
            MAX_REASON_CHARS,
            "the review's reason",
        )?),
    };
    if candidate.registered_by == staff.actor() {
        return Err(UseCaseError::Rule(Msg::CandidateReviewSamePerson));
    }
    store
        .review_candidate(
            candidate_id,
            request.eligible,
            reason.as_deref(),
            &staff.actor(),
        )
        .map_err(refused)?
        .try_into()
}

/// An election's register (staff of the estate, owners of the assembly).
pub fn register_of(
    store: &Store,
    caller: &Caller,
    item_id: &str,
) -> Result<CandidateRegister, UseCaseError> {
    let (assembly, item) = readable_item(store, caller, item_id)?;
    let listed = listed(&item)?;
    let estate = store.estate(&assembly.estate_id)?;
    Ok(CandidateRegister {
        listed,
        declarations: declarations_of(&estate)?,
        candidates: store
            .candidates(item_id)?
            .into_iter()
            .map(CandidateOut::try_from)
            .collect::<Result<_, _>>()?,
    })
}

/// Sets the declarations the estate asks of candidates (secretaries and admins), audited.
/// Entries registered before keep the answers they gave; registering again asks the new list.
pub fn set_declarations(
    store: &Store,
    staff: &StaffCaller,
    estate_id: &str,
    request: DeclarationsRequest,
) -> Result<Vec<String>, UseCaseError> {
    staff.writes(estate_id)?;
    if request.declarations.is_empty() || request.declarations.len() > MAX_DECLARATIONS {
        return Err(UseCaseError::invalid(
            "declarations",
            format!("1 to {MAX_DECLARATIONS} declarations"),
        ));
    }
    let mut labels: Vec<String> = Vec::with_capacity(request.declarations.len());
    for (i, label) in request.declarations.iter().enumerate() {
        let field = format!("declarations[{i}]");
        let label = text(&field, label, MAX_DECLARATION_CHARS, "a declaration")?;
        if label.contains('\n') || label.contains('\r') {
            return Err(UseCaseError::invalid(&field, "a declaration is one line"));
        }
        if labels.contains(&label) {
            return Err(UseCaseError::invalid(
                &field,
                "this declaration is listed twice",
            ));
        }
        labels.push(label);
    }
    let estate = store.set_estate_candidate_declarations(estate_id, &labels, &staff.actor())?;
    declarations_of(&estate)
}

/// Announcing checks that every candidate of every election has an entry found eligible; the
/// error names the first that has not (`items[i].candidates[j]`).
pub fn check_reviewed(
    item: &Item,
    entries: &[Candidate],
    prefix: &str,
) -> Result<(), UseCaseError> {
    if item.kind != "election" {
        return Ok(());
    }
    for (j, name) in listed(item)?.iter().enumerate() {
        let entry = entries
            .iter()
            .find(|c| c.item_id == item.id && &c.name == name);
        let detail = match entry.map(|c| c.review.as_deref()) {
            None => format!("{name} has no entry in the candidate register"),
            Some(None) => format!("{name}'s entry awaits the committee's review"),
            Some(Some(ELIGIBLE)) => continue,
            Some(Some(_)) => {
                format!("{name} was found not eligible: take the name off the election")
            }
        };
        return Err(UseCaseError::Invalid {
            msg: Msg::CandidateNotReviewed,
            field: format!("{prefix}candidates[{j}]"),
            detail,
        });
    }
    Ok(())
}
