//! Setting up an assembly: the draft, its timetable and its items, before owners are told.

use gongjue_store::assemblies::{Assembly, AssemblyState, Item, ItemKind, NewAssembly};
use gongjue_store::estates::Estate;
use gongjue_store::{Store, timestamp};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::countable;
use crate::i18n::Msg;
use crate::items::{self, NewItemRequest};
use crate::timetable;
use crate::usecases::{Caller, StaffCaller, UseCaseError};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAssemblyRequest {
    pub title: String,
    /// RFC 3339, e.g. `2026-12-20T09:00:00+08:00`.
    #[schema(format = DateTime)]
    pub opens_at: String,
    #[schema(format = DateTime)]
    pub closes_at: String,
    /// Whether an owner may change their ballot until closing (default yes).
    #[serde(default = "yes")]
    pub ballots_changeable: bool,
    /// Days between announcing and opening, 0 to 365 (default: the estate's minimum, 15 unless
    /// its rules say otherwise). With a motion or an election it must be at least that minimum,
    /// except on a trial estate.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 365)]
    pub notice_days: Option<u32>,
    /// Days of the objection period (询异公示) after closing, 0 to 60 (default 7). Fixed at
    /// creation: nobody can shorten it once owners rely on it.
    #[serde(default)]
    #[schema(minimum = 0, maximum = 60)]
    pub objection_days: Option<u32>,
    /// Trial estates only: the objection period in minutes, 0 to 1440, instead of days.
    #[serde(default)]
    pub objection_minutes: Option<u32>,
    /// Whether the estate's rules make the vote roll public: then exports carry owner ids and
    /// the announcement lists each unit's choice with the owner's name masked (default no).
    #[serde(default)]
    pub public_roll: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ItemOut {
    #[schema(format = Uuid)]
    pub id: String,
    pub position: i32,
    #[schema(schema_with = crate::schema_refs::item_kind)]
    pub kind: String,
    pub title: String,
    pub body: String,
    /// A motion's matter of Civil Code art. 278.
    #[schema(minimum = 1, maximum = 9)]
    pub matter: Option<i32>,
    /// The rule it is counted with, as in the tally bundle (`"ordinary"`, `"special"` or thresholds).
    #[schema(schema_with = crate::schema_refs::rule)]
    pub rule: Value,
    #[schema(schema_with = crate::schema_refs::scope)]
    pub scope: Value,
    /// Seats and candidates, or questions, as in the tally bundle.
    #[schema(schema_with = crate::schema_refs::definition)]
    pub definition: Value,
    #[schema(schema_with = crate::schema_refs::item_state)]
    pub state: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AssemblyOut {
    #[schema(format = Uuid)]
    pub id: String,
    #[schema(format = Uuid)]
    pub estate_id: String,
    pub title: String,
    #[schema(schema_with = crate::schema_refs::assembly_state)]
    pub state: String,
    #[schema(format = DateTime)]
    pub announced_at: Option<String>,
    #[schema(format = DateTime)]
    pub opens_at: String,
    #[schema(format = DateTime)]
    pub closes_at: String,
    pub ballots_changeable: bool,
    pub notice_days: i64,
    /// Days of the objection period after closing (fixed at creation).
    pub objection_days: i64,
    /// Whether the vote roll is public (exports carry owner ids, the announcement masked names).
    pub public_roll: bool,
    pub items: Vec<ItemOut>,
}

fn json_text(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or(Value::Null)
}

pub fn item_out(item: Item) -> ItemOut {
    ItemOut {
        rule: json_text(&item.rule),
        scope: json_text(&item.scope),
        definition: json_text(&item.definition),
        id: item.id,
        position: item.position,
        kind: item.kind,
        title: item.title,
        body: item.body,
        matter: item.matter,
        state: item.state,
    }
}

pub(crate) fn notice_days(assembly: &Assembly) -> i64 {
    json_text(&assembly.options)
        .get("notice_days")
        .and_then(Value::as_i64)
        .unwrap_or(timetable::DEFAULT_NOTICE_DAYS)
}

pub(crate) fn assembly_out(assembly: Assembly, items: Vec<Item>) -> AssemblyOut {
    AssemblyOut {
        notice_days: notice_days(&assembly),
        objection_days: gongjue_store::publications::objection_days(&assembly),
        public_roll: crate::export::bundle::public_roll(&assembly),
        id: assembly.id,
        estate_id: assembly.estate_id,
        title: assembly.title,
        state: assembly.state,
        announced_at: assembly.announced_at,
        opens_at: assembly.opens_at,
        closes_at: assembly.closes_at,
        ballots_changeable: assembly.ballots_changeable,
        items: items.into_iter().map(item_out).collect(),
    }
}

/// An assembly, if the staff caller may read it (or, with `write`, change it).
pub fn staff_assembly(
    store: &Store,
    staff: &StaffCaller,
    id: &str,
    write: bool,
) -> Result<Assembly, UseCaseError> {
    let assembly = store.assembly(id)?;
    if write {
        staff.writes(&assembly.estate_id)?
    } else {
        staff.reads(&assembly.estate_id)?
    }
    Ok(assembly)
}

/// An assembly with its items, if the caller may read it (staff of its estate, or an owner
/// signed in for it).
pub fn readable_assembly(
    store: &Store,
    caller: &Caller,
    id: &str,
) -> Result<(Assembly, Vec<Item>), UseCaseError> {
    let assembly = store.assembly(id)?;
    match caller {
        Caller::Staff(staff) => staff.reads(&assembly.estate_id)?,
        Caller::Owner(owner) => owner.of_assembly(id)?,
    }
    let items = store.items(id)?;
    Ok((assembly, items))
}

/// Creates a draft assembly after checking its timetable.
pub fn create_assembly(
    store: &Store,
    staff: &StaffCaller,
    estate_id: &str,
    body: NewAssemblyRequest,
) -> Result<Assembly, UseCaseError> {
    staff.writes(estate_id)?;
    if body.title.trim().is_empty() {
        return Err(UseCaseError::invalid("title", "an assembly needs a title"));
    }
    let opens_at = timetable::parse("opens_at", &body.opens_at)?;
    let closes_at = timetable::parse("closes_at", &body.closes_at)?;
    timetable::check_window(opens_at, closes_at)?;
    let estate = store.estate(estate_id)?;
    let notice = match body.notice_days {
        Some(days) => UseCaseError::bounded(
            "notice_days",
            i64::from(days),
            0,
            timetable::MAX_NOTICE_DAYS,
        )?,
        None => estate.min_notice_days,
    };
    let objection_days = match body.objection_days {
        Some(days) => UseCaseError::bounded(
            "objection_days",
            i64::from(days),
            0,
            gongjue_store::publications::MAX_OBJECTION_DAYS,
        )?,
        None => gongjue_store::publications::DEFAULT_OBJECTION_DAYS,
    };
    let mut options = serde_json::json!({ "notice_days": notice, "objection_days": objection_days, "public_roll": body.public_roll });
    if let Some(minutes) = body.objection_minutes {
        objection_minutes(&estate, minutes, body.objection_days.is_some())?;
        if let Some(map) = options.as_object_mut() {
            map.insert("objection_minutes".into(), minutes.into());
        }
    }
    let new = NewAssembly {
        estate_id: estate_id.to_owned(),
        title: body.title.trim().to_owned(),
        opens_at: timestamp(opens_at),
        closes_at: timestamp(closes_at),
        ballots_changeable: body.ballots_changeable,
        options,
    };
    Ok(store.create_assembly(new, &staff.actor())?)
}

/// An objection period in minutes: a trial estate's, in place of days, at most a day.
fn objection_minutes(estate: &Estate, minutes: u32, days_given: bool) -> Result<(), UseCaseError> {
    if !estate.trial {
        return Err(UseCaseError::Invalid {
            msg: Msg::TrialOnly,
            field: "objection_minutes".into(),
            detail: "this estate is not a trial estate".into(),
        });
    }
    if days_given {
        return Err(UseCaseError::invalid(
            "objection_minutes",
            "give objection_days or objection_minutes, not both",
        ));
    }
    if i64::from(minutes) > gongjue_store::publications::MAX_OBJECTION_MINUTES {
        return Err(UseCaseError::invalid(
            "objection_minutes",
            "at most 1440 minutes (a day)",
        ));
    }
    Ok(())
}

/// Adds an item to a draft assembly.
pub fn add_item(
    store: &Store,
    staff: &StaffCaller,
    assembly_id: &str,
    request: NewItemRequest,
) -> Result<Item, UseCaseError> {
    let assembly = staff_assembly(store, staff, assembly_id, true)?;
    if assembly.state != AssemblyState::Draft.as_str() {
        return Err(UseCaseError::Rule(Msg::ItemsOnlyInDraft));
    }
    let new = request.into_new_item()?;
    let estate = store.estate(&assembly.estate_id)?;
    if new.kind != ItemKind::Consultation {
        timetable::check_notice_minimum(&estate, notice_days(&assembly))?;
    }
    items::check_follow_allowed(&estate, &new.definition, "")?;
    // Refused now rather than at opening or, worse, at the first count.
    let roster = store.current_units(&assembly.estate_id)?;
    let item = countable::as_item(&new)?;
    countable::check(
        &item,
        countable::in_scope(&item.id, &new.scope, &roster),
        "",
    )?;
    Ok(store.add_item(&assembly.id, new, &staff.actor())?)
}

/// An item and its assembly, if the caller may read them (staff of the estate, or an owner
/// signed in for the assembly).
pub fn readable_item(
    store: &Store,
    caller: &Caller,
    id: &str,
) -> Result<(Assembly, Item), UseCaseError> {
    let item = store.item(id)?;
    let assembly = store.assembly(&item.assembly_id)?;
    match caller {
        Caller::Staff(staff) => staff.reads(&assembly.estate_id)?,
        Caller::Owner(owner) => owner.of_assembly(&assembly.id)?,
    }
    Ok((assembly, item))
}

/// The item of a change, checked for a staff caller who writes its estate, while its assembly
/// is a draft (`items_fixed` naming the state otherwise).
fn draft_item(store: &Store, staff: &StaffCaller, id: &str) -> Result<Item, UseCaseError> {
    let (assembly, item) = readable_item(store, &Caller::Staff(staff.clone()), id)?;
    staff.writes(&assembly.estate_id)?;
    if assembly.state != AssemblyState::Draft.as_str() {
        return Err(UseCaseError::RuleInState {
            msg: Msg::ItemsFixed,
            state: assembly.state,
        });
    }
    Ok(item)
}

/// Replaces an item of a draft assembly; it keeps its id and place.
pub fn update_item(
    store: &Store,
    staff: &StaffCaller,
    id: &str,
    request: NewItemRequest,
) -> Result<Item, UseCaseError> {
    let item = draft_item(store, staff, id)?;
    let new = request.into_new_item()?;
    let assembly = store.assembly(&item.assembly_id)?;
    items::check_follow_allowed(&store.estate(&assembly.estate_id)?, &new.definition, "")?;
    store
        .update_item(&item.id, new, &staff.actor())
        .map_err(sheet_refusal)
}

/// Deletes an item of a draft assembly; the items after it move up one place.
pub fn delete_item(store: &Store, staff: &StaffCaller, id: &str) -> Result<(), UseCaseError> {
    let item = draft_item(store, staff, id)?;
    store
        .delete_item(&item.id, &staff.actor())
        .map_err(sheet_refusal)
}

/// The store's refusal of a change to the sheet, as the API names it: the assembly left the
/// draft state meanwhile, or a proxy names the item.
fn sheet_refusal(error: gongjue_store::StoreError) -> UseCaseError {
    match error {
        gongjue_store::StoreError::Conflict(why) if why.contains("a proxy names") => {
            UseCaseError::Rule(Msg::ItemNamedByProxy)
        }
        gongjue_store::StoreError::Conflict(why) if why.starts_with("assembly is ") => {
            let state = why
                .trim_start_matches("assembly is ")
                .split(':')
                .next()
                .unwrap_or_default()
                .to_owned();
            UseCaseError::RuleInState {
                msg: Msg::ItemsFixed,
                state,
            }
        }
        other => other.into(),
    }
}
