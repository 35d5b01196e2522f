//! Estates (小区): the unit of tenancy. Each estate has its own audit chain, settings fixed at
//! creation (trial mode, the minimum notice of its rules of procedure) and two set later, audited
//! (the contact phone; whether its rules of procedure provide for 从众; the declarations asked of
//! candidates).

use diesel::prelude::*;
use serde::Serialize;

use crate::audit::{self, NewAuditEntry};
use crate::db::{AnyConnection, new_id, now};
use crate::schema::estates;
use crate::{Store, StoreError};

/// The notice before voting on binding items when the estate's rules of procedure say nothing
/// else (rules.md §6).
pub const DEFAULT_MIN_NOTICE_DAYS: i64 = 15;

/// How far voting may be extended in all when the rules of procedure say nothing else: three
/// months, as many estates' rules allow.
pub const DEFAULT_MAX_EXTENSION_DAYS: i64 = 90;

/// The range the extension limit may be set to (the table's CHECK says the same).
pub const MAX_EXTENSION_DAYS_RANGE: std::ops::RangeInclusive<i64> = 0..=365;

/// The range a minimum notice may be set to (the table's CHECK says the same).
pub const MIN_NOTICE_DAYS_RANGE: std::ops::RangeInclusive<i64> = 1..=365;

#[derive(Debug, Clone, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = estates)]
pub struct Estate {
    pub id: String,
    pub name: String,
    pub created_at: String,
    /// A practice estate: short periods allowed, everything it produces marked 试用/TRIAL.
    pub trial: bool,
    pub min_notice_days: i64,
    /// The telephone number owners call for help (shown on every owner page); the secretary
    /// may change it later, as the 从众 setting below.
    pub contact_phone: Option<String>,
    /// The rules of procedure provide for 从众 (`follow`) on motions.
    pub follow_majority: bool,
    /// Where they say so (e.g. 《业主大会议事规则》第十二条), recorded with the setting.
    pub follow_majority_basis: Option<String>,
    /// How many days past the original closing time voting may be extended in all.
    pub max_extension_days: i64,
    /// JSON array: the eligibility declarations candidates answer (see `candidates`).
    pub candidate_declarations: String,
    /// Notices also go by SMS (issue 20): the estate pays for them, so it decides.
    pub sms_notices: bool,
    /// SMS per owner and assembly, and per day for the estate (ballot alerts and sign-in codes
    /// aside): the estate's budget.
    pub sms_per_owner: i64,
    pub sms_per_day: i64,
}

/// What an estate is created with; none of these settings changes afterwards.
#[derive(Debug, Clone)]
pub struct NewEstate {
    pub name: String,
    pub trial: bool,
    pub min_notice_days: i64,
    pub max_extension_days: i64,
}

impl NewEstate {
    /// A real (not trial) estate with the default notice.
    pub fn named(name: &str) -> NewEstate {
        NewEstate {
            name: name.to_owned(),
            trial: false,
            min_notice_days: DEFAULT_MIN_NOTICE_DAYS,
            max_extension_days: DEFAULT_MAX_EXTENSION_DAYS,
        }
    }

    /// A trial estate with the default notice (which it may shorten).
    pub fn trial(name: &str) -> NewEstate {
        NewEstate {
            trial: true,
            ..NewEstate::named(name)
        }
    }
}

/// The estate `id`, in the caller's snapshot.
pub(crate) fn load(conn: &mut AnyConnection, id: &str) -> Result<Estate, StoreError> {
    estates::table
        .find(id)
        .select(Estate::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("estate {id}")))
}

impl Store {
    /// A real estate with the default settings.
    pub fn create_estate(&self, name: &str, actor: &str) -> Result<Estate, StoreError> {
        self.create_estate_with(&NewEstate::named(name), actor)
    }

    /// An estate with its settings; the audit entry records them, trial mode above all.
    pub fn create_estate_with(&self, new: &NewEstate, actor: &str) -> Result<Estate, StoreError> {
        let name = new.name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid("an estate needs a name".into()));
        }
        if !MAX_EXTENSION_DAYS_RANGE.contains(&new.max_extension_days) {
            return Err(StoreError::Invalid(format!(
                "the extension limit is {} to {} days",
                MAX_EXTENSION_DAYS_RANGE.start(),
                MAX_EXTENSION_DAYS_RANGE.end()
            )));
        }
        if !MIN_NOTICE_DAYS_RANGE.contains(&new.min_notice_days) {
            return Err(StoreError::Invalid(format!(
                "the minimum notice is {} to {} days",
                MIN_NOTICE_DAYS_RANGE.start(),
                MIN_NOTICE_DAYS_RANGE.end()
            )));
        }
        let estate = Estate {
            id: new_id(),
            name: name.to_owned(),
            created_at: now(),
            trial: new.trial,
            min_notice_days: new.min_notice_days,
            contact_phone: None,
            follow_majority: false,
            follow_majority_basis: None,
            max_extension_days: new.max_extension_days,
            candidate_declarations: crate::candidates::DEFAULT_DECLARATIONS.to_owned(),
            sms_notices: false,
            sms_per_owner: 6,
            sms_per_day: 3000,
        };
        self.write(|conn| {
            diesel::insert_into(estates::table)
                .values(&estate)
                .execute(conn)?;
            audit::append(
                conn,
                NewAuditEntry {
                    chain: estate.id.clone(),
                    actor: actor.to_owned(),
                    action: "estate.created".into(),
                    subject: estate.id.clone(),
                    detail: serde_json::json!({
                        "name": estate.name,
                        "trial": estate.trial,
                        "min_notice_days": estate.min_notice_days,
                        "max_extension_days": estate.max_extension_days,
                    }),
                },
            )?;
            Ok(())
        })?;
        Ok(estate)
    }

    /// Sets (or with `None` clears) the telephone number owners call for help, audited. The
    /// caller checks the number's form.
    pub fn set_estate_contact_phone(
        &self,
        id: &str,
        phone: Option<&str>,
        actor: &str,
    ) -> Result<Estate, StoreError> {
        self.update_estate_setting(
            id,
            actor,
            "estate.contact_phone",
            serde_json::json!({ "contact_phone": phone }),
            |conn| {
                diesel::update(estates::table.find(id))
                    .set(estates::contact_phone.eq(phone))
                    .execute(conn)
            },
        )
    }

    /// Records whether the estate's rules of procedure provide for 从众 on motions, and the
    /// clause that says so (`None`: they do not), audited.
    pub fn set_estate_follow_majority(
        &self,
        id: &str,
        basis: Option<&str>,
        actor: &str,
    ) -> Result<Estate, StoreError> {
        self.update_estate_setting(
            id,
            actor,
            "estate.follow_majority",
            serde_json::json!({ "follow_majority": basis.is_some(), "basis": basis }),
            |conn| {
                diesel::update(estates::table.find(id))
                    .set((
                        estates::follow_majority.eq(basis.is_some()),
                        estates::follow_majority_basis.eq(basis),
                    ))
                    .execute(conn)
            },
        )
    }

    /// Sets the eligibility declarations the estate asks of candidates, audited. The caller
    /// checks the labels.
    pub fn set_estate_candidate_declarations(
        &self,
        id: &str,
        labels: &[String],
        actor: &str,
    ) -> Result<Estate, StoreError> {
        let json = serde_json::to_string(labels)
            .map_err(|e| StoreError::Invalid(format!("declarations: {e}")))?;
        self.update_estate_setting(
            id,
            actor,
            "estate.candidate_declarations",
            serde_json::json!({ "candidate_declarations": labels }),
            |conn| {
                diesel::update(estates::table.find(id))
                    .set(estates::candidate_declarations.eq(&json))
                    .execute(conn)
            },
        )
    }

    /// One setting of an estate changed by `update` and audited as `action` in one transaction.
    fn update_estate_setting(
        &self,
        id: &str,
        actor: &str,
        action: &str,
        detail: serde_json::Value,
        update: impl FnOnce(&mut crate::db::AnyConnection) -> QueryResult<usize>,
    ) -> Result<Estate, StoreError> {
        self.write(|conn| {
            audit::lock_chain(conn, id)?;
            if update(conn)? == 0 {
                return Err(StoreError::NotFound(format!("estate {id}")));
            }
            audit::append(
                conn,
                NewAuditEntry {
                    chain: id.to_owned(),
                    actor: actor.to_owned(),
                    action: action.to_owned(),
                    subject: id.to_owned(),
                    detail,
                },
            )?;
            Ok(())
        })?;
        self.estate(id)
    }

    pub fn estate(&self, id: &str) -> Result<Estate, StoreError> {
        let mut conn = self.conn()?;
        load(&mut conn, id)
    }

    pub fn estates(&self) -> Result<Vec<Estate>, StoreError> {
        let mut conn = self.conn()?;
        Ok(estates::table
            .order(estates::id.asc())
            .select(Estate::as_select())
            .load(&mut *conn)?)
    }
}
