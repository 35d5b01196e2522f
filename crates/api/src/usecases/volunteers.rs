//! Building volunteers (楼组长, issue 19). A secretary creates a volunteer for some buildings or
//! stairwells; the volunteer's phone pages show, for each open assembly, their buildings'
//! turnout against the 2/3 lines and who there has not voted yet, record door visits, and take
//! the paper ballots collected at the door, which count only once a secretary confirms them.
//! A volunteer never sees what anyone chose (turnout only, as the dashboard), nor other
//! buildings: every read and write here is filtered to their areas, and every other staff use
//! case refuses them (`StaffCaller::reads`).

use std::collections::{BTreeMap, BTreeSet};

use gongjue_domain::fraction::{Comparison, Fraction};
use gongjue_domain::threshold::{Base, Threshold};
use gongjue_domain::weight::Measure;
use gongjue_store::Store;
use gongjue_store::assemblies::{Assembly, AssemblyState};
use gongjue_store::volunteers::{Area, DoorVisit, OUTCOMES};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::count::{GroupTurnout, turnout_of};
use crate::i18n::Msg;
use crate::publication::mask::mask_name;
use crate::usecases::dashboard::missing_for;
use crate::usecases::{StaffCaller, UseCaseError};

const MAX_NOTE_CHARS: usize = 200;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateVolunteer {
    /// The sign-in name, 3 to 40 letters, digits, `-`, `_` or `.`.
    pub login: String,
    /// As the volunteer is known in the estate, e.g. 3号楼 陈阿姨.
    pub display_name: String,
    /// Whole buildings, e.g. `["3"]`.
    #[serde(default)]
    pub buildings: Vec<String>,
    /// Stairwells as `building-stairwell`, e.g. `["5-1"]`.
    #[serde(default)]
    pub stairwells: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VolunteerOut {
    #[schema(format = Uuid)]
    pub id: String,
    pub login: String,
    pub display_name: String,
    /// `3` for a building, `5-1` for a stairwell.
    pub areas: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VolunteerCreated {
    pub volunteer: VolunteerOut,
    /// Shown once: hand it to the volunteer, who signs in at `/staff/login`.
    pub password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VisitRequest {
    /// The member (owner id) visited.
    pub voter: String,
    /// `not_home`, `will_vote_online`, `paper_collected` or `refused`.
    pub outcome: String,
    /// Up to 200 characters, e.g. 周末再来.
    #[serde(default)]
    pub note: String,
    /// When (RFC 3339); now if left out. Not in the future.
    #[schema(format = DateTime)]
    pub visited_at: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VisitOut {
    pub voter: String,
    pub outcome: String,
    pub note: String,
    #[schema(format = DateTime)]
    pub visited_at: String,
}

/// One item's turnout in one area against the 2/3 lines (area and heads of the area's
/// electorate): how far it is, never what anyone chose.
#[derive(Debug, Serialize, ToSchema)]
pub struct AreaItem {
    #[schema(format = Uuid)]
    pub item: String,
    pub title: String,
    #[schema(schema_with = crate::schema_refs::weight)]
    pub totals: gongjue_domain::weight::Weight,
    #[schema(schema_with = crate::schema_refs::weight)]
    pub participation: gongjue_domain::weight::Weight,
    /// Owners still needed to reach 2/3 of the area's owners (0: reached).
    pub missing_heads: u64,
    /// Area still needed to reach 2/3 of the area's area, in m² (`"0.00"`: reached).
    pub missing_area: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AreaTurnout {
    /// `3` for a building, `5-1` for a stairwell.
    pub area: String,
    pub items: Vec<AreaItem>,
}

/// A member of the volunteer's areas who has not voted yet on at least one item.
#[derive(Debug, Serialize, ToSchema)]
pub struct Door {
    pub voter: String,
    /// As printed lists show it (张*明).
    pub name: String,
    /// Their units in the volunteer's areas.
    pub units: Vec<String>,
    /// The latest visit of this round, if any.
    pub last_visit: Option<VisitOut>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Round {
    #[schema(format = Uuid)]
    pub assembly: String,
    pub title: String,
    #[schema(format = DateTime)]
    pub closes_at: String,
    pub areas: Vec<AreaTurnout>,
    pub doors: Vec<Door>,
}

fn area_key(area: &Area) -> String {
    if area.stairwell.is_empty() {
        area.building.clone()
    } else {
        format!("{}-{}", area.building, area.stairwell)
    }
}

fn out(user: &gongjue_store::users::User, areas: &[Area]) -> VolunteerOut {
    VolunteerOut {
        id: user.id.clone(),
        login: user.login.clone(),
        display_name: user.display_name.clone(),
        areas: areas.iter().map(area_key).collect(),
    }
}

/// Creates a volunteer for buildings or stairwells of the current roster (secretaries and
/// admins), with a generated password shown once; audited.
pub fn create(
    store: &Store,
    staff: &StaffCaller,
    estate_id: &str,
    request: CreateVolunteer,
) -> Result<VolunteerCreated, UseCaseError> {
    staff.writes(estate_id)?;
    let login = request.login.trim();
    if !(3..=40).contains(&login.chars().count())
        || !login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(UseCaseError::invalid(
            "login",
            "3 to 40 letters, digits, '-', '_' or '.'",
        ));
    }
    let display_name = request.display_name.trim();
    if display_name.is_empty()
        || display_name.chars().count() > 40
        || display_name.chars().any(char::is_control)
    {
        return Err(UseCaseError::invalid("display_name", "1 to 40 characters"));
    }
    let units = store.current_units(estate_id)?;
    let mut areas = BTreeSet::new();
    for (i, building) in request.buildings.iter().enumerate() {
        let building = building.trim();
        if !units.iter().any(|u| u.building == building) {
            return Err(UseCaseError::invalid(
                &format!("buildings[{i}]"),
                format!("no building {building} on the estate's current roster"),
            ));
        }
        areas.insert(Area {
            building: building.to_owned(),
            stairwell: String::new(),
        });
    }
    for (i, stairwell) in request.stairwells.iter().enumerate() {
        let found = stairwell.trim().split_once('-').filter(|(b, s)| {
            units
                .iter()
                .any(|u| u.building == *b && u.stairwell == *s && !s.is_empty())
        });
        let Some((building, stairwell)) = found else {
            return Err(UseCaseError::invalid(
                &format!("stairwells[{i}]"),
                format!("no stairwell {stairwell} (building-stairwell) on the current roster"),
            ));
        };
        areas.insert(Area {
            building: building.to_owned(),
            stairwell: stairwell.to_owned(),
        });
    }
    if areas.is_empty() {
        return Err(UseCaseError::invalid(
            "buildings",
            "name at least one building or stairwell",
        ));
    }
    let areas: Vec<Area> = areas.into_iter().collect();
    let password = format!(
        "{}-{}",
        crate::auth::codes::generate().map_err(|e| UseCaseError::Internal(e.to_string()))?,
        crate::auth::codes::generate().map_err(|e| UseCaseError::Internal(e.to_string()))?
    );
    let hash = crate::auth::password::hash(&password)
        .map_err(|e| UseCaseError::Internal(e.to_string()))?;
    let user = store
        .create_volunteer(
            estate_id,
            login,
            display_name,
            &hash,
            &areas,
            &staff.actor(),
        )
        .map_err(|e| match e {
            gongjue_store::StoreError::Conflict(_) => UseCaseError::Invalid {
                msg: Msg::LoginTaken,
                field: "login".into(),
                detail: format!("login {login} is taken"),
            },
            other => other.into(),
        })?;
    Ok(VolunteerCreated {
        volunteer: out(&user, &areas),
        password,
    })
}

/// The estate's volunteers and their areas (staff of the estate).
pub fn list(
    store: &Store,
    staff: &StaffCaller,
    estate_id: &str,
) -> Result<Vec<VolunteerOut>, UseCaseError> {
    staff.reads(estate_id)?;
    Ok(store
        .volunteers(estate_id)?
        .iter()
        .map(|v| out(&v.user, &v.areas))
        .collect())
}

/// The volunteer's areas, and each unit of the roster in them (unit number → area key).
struct Scope {
    areas: Vec<Area>,
    units: BTreeMap<String, String>,
}

fn scope(store: &Store, volunteer: &StaffCaller) -> Result<Scope, UseCaseError> {
    volunteer.volunteers(&volunteer.estate)?;
    let areas = store.volunteer_areas(&volunteer.user, &volunteer.estate)?;
    let units = store
        .current_units(&volunteer.estate)?
        .into_iter()
        .filter_map(|u| {
            areas
                .iter()
                .find(|a| a.holds(&u.building, &u.stairwell))
                .map(|a| (u.unit_number, area_key(a)))
        })
        .collect();
    Ok(Scope { areas, units })
}

/// An assembly of the volunteer's estate whose round is on (open for voting).
fn open_assembly(
    store: &Store,
    volunteer: &StaffCaller,
    assembly_id: &str,
) -> Result<Assembly, UseCaseError> {
    let assembly = store.assembly(assembly_id)?;
    volunteer.volunteers(&assembly.estate_id)?;
    if assembly.state != AssemblyState::Open.as_str() {
        return Err(UseCaseError::RuleInState {
            msg: Msg::RoundOnlyWhileOpen,
            state: assembly.state,
        });
    }
    Ok(assembly)
}

fn two_thirds(measure: Measure) -> Threshold {
    Threshold::new(
        measure,
        Comparison::AtLeast,
        Fraction::TWO_THIRDS,
        Base::Total,
    )
}

fn area_item(item: &gongjue_store::assemblies::Item, group: &GroupTurnout) -> AreaItem {
    let missing = |m: Measure| {
        missing_for(
            &two_thirds(m),
            group.participation.measure(m),
            group.totals.measure(m),
        )
    };
    let cents = missing(Measure::Area);
    AreaItem {
        item: item.id.clone(),
        title: item.title.clone(),
        totals: group.totals,
        participation: group.participation,
        missing_heads: missing(Measure::Heads),
        missing_area: format!("{}.{:02}", cents / 100, cents % 100),
    }
}

/// The volunteer's round of an open assembly: their areas' turnout against the 2/3 lines, and
/// the members there who have not voted yet with their latest visit. No choices anywhere.
pub fn round(
    store: &Store,
    volunteer: &StaffCaller,
    assembly_id: &str,
) -> Result<Round, UseCaseError> {
    let assembly = open_assembly(store, volunteer, assembly_id)?;
    let scope = scope(store, volunteer)?;
    let mut areas: Vec<AreaTurnout> = scope
        .areas
        .iter()
        .map(|a| AreaTurnout {
            area: area_key(a),
            items: Vec::new(),
        })
        .collect();
    for item in store
        .items(&assembly.id)?
        .into_iter()
        .filter(|i| i.electorate_frozen_at.is_some())
    {
        let turnout = turnout_of(store, &item)?;
        for (area, row) in scope.areas.iter().zip(areas.iter_mut()) {
            let group = if area.stairwell.is_empty() {
                turnout.by_building.get(&area.building)
            } else {
                turnout.by_stairwell.get(&area_key(area))
            };
            if let Some(group) = group {
                row.items.push(area_item(&item, group));
            }
        }
    }
    let visits = store.door_visits(&assembly.id)?;
    let contacts = store.owner_contacts(&assembly.estate_id)?;
    let doors = crate::usecases::dashboard::members_not_voted(store, &assembly)?
        .into_iter()
        .filter_map(|member| {
            let units: Vec<String> = member
                .units
                .into_iter()
                .filter(|u| scope.units.contains_key(u))
                .collect();
            (!units.is_empty()).then(|| Door {
                name: contacts
                    .get(&member.owner_id)
                    .and_then(|c| c.name.as_deref())
                    .map(mask_name)
                    .unwrap_or_default(),
                last_visit: visits
                    .iter()
                    .rev()
                    .find(|v| v.voter == member.owner_id)
                    .map(visit_out),
                voter: member.owner_id,
                units,
            })
        })
        .collect();
    Ok(Round {
        assembly: assembly.id,
        title: assembly.title,
        closes_at: assembly.closes_at,
        areas,
        doors,
    })
}

fn visit_out(v: &DoorVisit) -> VisitOut {
    VisitOut {
        voter: v.voter.clone(),
        outcome: v.outcome.clone(),
        note: v.note.clone(),
        visited_at: v.visited_at.clone(),
    }
}

/// Whether `voter` has a unit in the volunteer's areas (else not found: a volunteer learns
/// nothing of other buildings).
fn member_in_scope(
    store: &Store,
    volunteer: &StaffCaller,
    assembly: &Assembly,
    voter: &str,
) -> Result<(), UseCaseError> {
    let scope = scope(store, volunteer)?;
    let in_scope = store
        .current_units(&assembly.estate_id)?
        .iter()
        .any(|u| u.owner_id == voter && scope.units.contains_key(&u.unit_number));
    if in_scope {
        Ok(())
    } else {
        Err(gongjue_store::StoreError::NotFound(format!("member {voter} in your buildings")).into())
    }
}

/// Records a door visit of the volunteer's round, audited.
pub fn record_visit(
    store: &Store,
    volunteer: &StaffCaller,
    assembly_id: &str,
    request: VisitRequest,
) -> Result<VisitOut, UseCaseError> {
    let assembly = open_assembly(store, volunteer, assembly_id)?;
    if !OUTCOMES.contains(&request.outcome.as_str()) {
        return Err(UseCaseError::invalid(
            "outcome",
            "not_home, will_vote_online, paper_collected or refused",
        ));
    }
    let note = request.note.trim();
    if note.chars().count() > MAX_NOTE_CHARS || note.chars().any(char::is_control) {
        return Err(UseCaseError::invalid(
            "note",
            format!("at most {MAX_NOTE_CHARS} characters, one line"),
        ));
    }
    let now = chrono::Utc::now();
    let at = match &request.visited_at {
        Some(text) => {
            let at = crate::timetable::parse("visited_at", text)?;
            if at > now + chrono::Duration::minutes(5) {
                return Err(UseCaseError::invalid(
                    "visited_at",
                    "a visit cannot be in the future",
                ));
            }
            at
        }
        None => now,
    };
    member_in_scope(store, volunteer, &assembly, &request.voter)?;
    let visit = DoorVisit {
        id: gongjue_store::new_id(),
        assembly_id: assembly.id.clone(),
        voter: request.voter,
        outcome: request.outcome,
        note: note.to_owned(),
        visited_at: gongjue_store::timestamp(at),
        recorded_by: volunteer.actor(),
        recorded_at: gongjue_store::timestamp(now),
    };
    store.record_visit(&assembly.estate_id, &visit)?;
    Ok(visit_out(&visit))
}

/// The units of a volunteer's areas (`None` for any other staff member: no filter).
pub fn units_in_scope(
    store: &Store,
    staff: &StaffCaller,
) -> Result<Option<BTreeSet<String>>, UseCaseError> {
    if staff.role != gongjue_store::users::Role::Volunteer {
        return Ok(None);
    }
    Ok(Some(scope(store, staff)?.units.into_keys().collect()))
}

/// Whether the staff caller may enter a paper ballot for `voter`: secretaries and admins for
/// anyone (`writes`), a volunteer for members of their areas while voting is open, never a
/// correction. The ballot then waits for a secretary's confirmation as every paper ballot does.
pub fn may_enter_paper(
    store: &Store,
    staff: &StaffCaller,
    assembly: &Assembly,
    voter: Option<&str>,
    correction: bool,
) -> Result<(), UseCaseError> {
    if staff.role != gongjue_store::users::Role::Volunteer {
        return staff.writes(&assembly.estate_id);
    }
    open_assembly(store, staff, &assembly.id)?;
    if correction {
        return Err(UseCaseError::Forbidden(Msg::VolunteersRoundOnly));
    }
    match voter {
        Some(voter) => member_in_scope(store, staff, assembly, voter),
        None => Ok(()),
    }
}
