//! Building volunteers (楼组长, issue 19): staff accounts with the role `volunteer`, scoped to
//! buildings or stairwells of one estate, and the door visits they record. A volunteer's account,
//! role and areas are created in one transaction, audited in the estate's chain; so is each
//! visit.

use diesel::prelude::*;
use serde::Serialize;

use crate::audit::{self, NewAuditEntry};
use crate::db::{new_id, now};
use crate::schema::{door_visits, user_roles, users, volunteer_areas};
use crate::users::{Role, User};
use crate::{Store, StoreError};

/// One area of a volunteer: a building, or one stairwell of it (`stairwell` empty: all of it).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Area {
    pub building: String,
    pub stairwell: String,
}

impl Area {
    /// Whether a unit of `building`, `stairwell` lies in the area.
    pub fn holds(&self, building: &str, stairwell: &str) -> bool {
        self.building == building && (self.stairwell.is_empty() || self.stairwell == stairwell)
    }
}

/// The outcomes of a door visit.
pub const OUTCOMES: [&str; 4] = ["not_home", "will_vote_online", "paper_collected", "refused"];

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = door_visits)]
pub struct DoorVisit {
    pub id: String,
    pub assembly_id: String,
    pub voter: String,
    pub outcome: String,
    pub note: String,
    pub visited_at: String,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// A volunteer: the account and their areas.
#[derive(Debug, Clone)]
pub struct Volunteer {
    pub user: User,
    pub areas: Vec<Area>,
}

impl Store {
    /// Creates a volunteer's account with their areas in `estate_id`, audited. The caller checked
    /// the areas against the roster and hashed the password.
    pub fn create_volunteer(
        &self,
        estate_id: &str,
        login: &str,
        display_name: &str,
        password_hash: &str,
        areas: &[Area],
        actor: &str,
    ) -> Result<User, StoreError> {
        let user = User {
            id: new_id(),
            login: login.trim().to_owned(),
            display_name: display_name.trim().to_owned(),
            password_hash: password_hash.to_owned(),
            disabled: false,
            created_at: now(),
        };
        self.write(|conn| {
            audit::lock_chain(conn, estate_id)?;
            let taken: i64 = users::table
                .filter(users::login.eq(&user.login))
                .count()
                .get_result(conn)?;
            if taken > 0 {
                return Err(StoreError::Conflict(format!(
                    "login {} is taken",
                    user.login
                )));
            }
            diesel::insert_into(users::table)
                .values(&user)
                .execute(conn)?;
            diesel::insert_into(user_roles::table)
                .values((
                    user_roles::user_id.eq(&user.id),
                    user_roles::estate_id.eq(estate_id),
                    user_roles::role.eq(Role::Volunteer.as_str()),
                    user_roles::granted_at.eq(&user.created_at),
                ))
                .execute(conn)?;
            for area in areas {
                diesel::insert_into(volunteer_areas::table)
                    .values((
                        volunteer_areas::user_id.eq(&user.id),
                        volunteer_areas::estate_id.eq(estate_id),
                        volunteer_areas::building.eq(&area.building),
                        volunteer_areas::stairwell.eq(&area.stairwell),
                        volunteer_areas::created_by.eq(actor),
                    ))
                    .execute(conn)?;
            }
            audit::append(
                conn,
                NewAuditEntry {
                    chain: estate_id.to_owned(),
                    actor: actor.to_owned(),
                    action: "volunteer.created".into(),
                    subject: user.id.clone(),
                    detail: serde_json::json!({
                        "login": user.login,
                        "display_name": user.display_name,
                        "areas": areas,
                    }),
                },
            )?;
            Ok(())
        })?;
        Ok(user)
    }

    /// A volunteer's areas in an estate (empty for anyone else).
    pub fn volunteer_areas(&self, user_id: &str, estate_id: &str) -> Result<Vec<Area>, StoreError> {
        let mut conn = self.conn()?;
        let rows: Vec<(String, String)> = volunteer_areas::table
            .filter(volunteer_areas::user_id.eq(user_id))
            .filter(volunteer_areas::estate_id.eq(estate_id))
            .order((
                volunteer_areas::building.asc(),
                volunteer_areas::stairwell.asc(),
            ))
            .select((volunteer_areas::building, volunteer_areas::stairwell))
            .load(&mut *conn)?;
        Ok(rows
            .into_iter()
            .map(|(building, stairwell)| Area {
                building,
                stairwell,
            })
            .collect())
    }

    /// Who created the volunteer `user_id` (the actor of `volunteer.created`); `None` for any
    /// other user.
    pub fn volunteer_created_by(&self, user_id: &str) -> Result<Option<String>, StoreError> {
        let mut conn = self.conn()?;
        Ok(volunteer_areas::table
            .filter(volunteer_areas::user_id.eq(user_id))
            .select(volunteer_areas::created_by)
            .first(&mut *conn)
            .optional()?)
    }

    /// The estate's volunteers with their areas, by login.
    pub fn volunteers(&self, estate_id: &str) -> Result<Vec<Volunteer>, StoreError> {
        let found: Vec<User> = {
            let mut conn = self.conn()?;
            let ids: Vec<String> = user_roles::table
                .filter(user_roles::estate_id.eq(estate_id))
                .filter(user_roles::role.eq(Role::Volunteer.as_str()))
                .select(user_roles::user_id)
                .load(&mut *conn)?;
            users::table
                .filter(users::id.eq_any(&ids))
                .order(users::login.asc())
                .select(User::as_select())
                .load(&mut *conn)?
        };
        found
            .into_iter()
            .map(|user| {
                let areas = self.volunteer_areas(&user.id, estate_id)?;
                Ok(Volunteer { user, areas })
            })
            .collect()
    }

    /// Records a door visit of an assembly's round, audited. The caller checked that the member
    /// lives in the volunteer's areas and the outcome's name.
    pub fn record_visit(&self, estate_id: &str, visit: &DoorVisit) -> Result<(), StoreError> {
        self.write(|conn| {
            audit::lock_chain(conn, estate_id)?;
            diesel::insert_into(door_visits::table)
                .values(visit)
                .execute(conn)?;
            audit::append(
                conn,
                NewAuditEntry {
                    chain: estate_id.to_owned(),
                    actor: visit.recorded_by.clone(),
                    action: "door_visit.recorded".into(),
                    subject: visit.id.clone(),
                    detail: serde_json::json!({
                        "assembly": visit.assembly_id,
                        "voter": visit.voter,
                        "outcome": visit.outcome,
                        "note": visit.note,
                        "visited_at": visit.visited_at,
                    }),
                },
            )?;
            Ok(())
        })
    }

    /// The door visits of an assembly, oldest first.
    pub fn door_visits(&self, assembly_id: &str) -> Result<Vec<DoorVisit>, StoreError> {
        let mut conn = self.conn()?;
        Ok(door_visits::table
            .filter(door_visits::assembly_id.eq(assembly_id))
            .order((door_visits::visited_at.asc(), door_visits::id.asc()))
            .select(DoorVisit::as_select())
            .load(&mut *conn)?)
    }
}
