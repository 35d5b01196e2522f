//! Estates: creating one (its creator becomes its admin) and reading its audit log.

use gongjue_store::Store;
use gongjue_store::users::Role;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::usecases::{StaffCaller, UseCaseError};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewEstate {
    pub name: String,
    /// A trial estate, to practise the whole cycle: notice and objection periods may be short
    /// (minutes), and every page, notice, sheet, announcement and export says 试用/TRIAL.
    /// Fixed at creation (default false).
    #[serde(default)]
    pub trial: bool,
    /// The notice (days) the estate's rules of procedure require before voting on binding
    /// items, 1 to 365 (default 15). Fixed at creation.
    #[serde(default)]
    pub min_notice_days: Option<u32>,
    /// How many days past the original closing time its rules of procedure let voting be
    /// extended in all, 0 to 365 (default 90: three months). Fixed at creation.
    #[serde(default)]
    pub max_extension_days: Option<u32>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EstateOut {
    #[schema(format = Uuid)]
    pub id: String,
    pub name: String,
    #[schema(format = DateTime)]
    pub created_at: String,
    pub trial: bool,
    pub min_notice_days: i64,
    /// The telephone number owners call for help, shown on every owner page; none until the
    /// secretary sets it.
    pub contact_phone: Option<String>,
    /// The estate's rules of procedure provide for 从众 (`follow`): a motion may offer it.
    pub follow_majority: bool,
    /// The clause of the rules of procedure that provides for it.
    pub follow_majority_basis: Option<String>,
    pub max_extension_days: i64,
}

impl From<gongjue_store::estates::Estate> for EstateOut {
    fn from(estate: gongjue_store::estates::Estate) -> Self {
        EstateOut {
            id: estate.id,
            name: estate.name,
            created_at: estate.created_at,
            trial: estate.trial,
            min_notice_days: estate.min_notice_days,
            contact_phone: estate.contact_phone,
            follow_majority: estate.follow_majority,
            follow_majority_basis: estate.follow_majority_basis,
            max_extension_days: estate.max_extension_days,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactPhoneRequest {
    /// The number owners call for help (e.g. the property office or the committee's duty
    /// phone): 3 to 30 characters, digits with spaces, `+`, `-`, `(`, `)`, `/` or `转`
    /// (extension). Empty or null clears it.
    #[serde(default)]
    pub contact_phone: Option<String>,
}

/// A contact phone as given, trimmed; `None` when empty. Refused naming the field when it is not
/// a telephone number an owner can dial.
pub fn check_contact_phone(given: Option<&str>) -> Result<Option<String>, UseCaseError> {
    let Some(phone) = given.map(str::trim).filter(|p| !p.is_empty()) else {
        return Ok(None);
    };
    let allowed = |c: char| c.is_ascii_digit() || " +-()/转".contains(c);
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let length = phone.chars().count();
    if !phone.chars().all(allowed) || !(3..=30).contains(&length) || digits < 3 {
        return Err(UseCaseError::invalid(
            "contact_phone",
            "a telephone number: 3 to 30 characters, digits with spaces, + - ( ) / or 转",
        ));
    }
    Ok(Some(phone.to_owned()))
}

/// Sets the estate's contact phone (the secretaries and admins of the estate), audited.
pub fn set_contact_phone(
    store: &Store,
    staff: &StaffCaller,
    estate_id: &str,
    request: ContactPhoneRequest,
) -> Result<EstateOut, UseCaseError> {
    staff.writes(estate_id)?;
    let phone = check_contact_phone(request.contact_phone.as_deref())?;
    Ok(store
        .set_estate_contact_phone(estate_id, phone.as_deref(), &staff.actor())?
        .into())
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FollowMajorityRequest {
    /// Whether the estate's rules of procedure provide for 从众 (`follow`, "I take part and
    /// join the side the other participating owners decide") on motions.
    pub follow_majority: bool,
    /// The clause that provides for it (e.g. 《业主大会议事规则》第十二条), 1 to 200 characters;
    /// required when `follow_majority` is true, ignored otherwise.
    #[serde(default)]
    pub basis: Option<String>,
}

/// Longest clause reference kept with the 从众 setting.
const MAX_BASIS_CHARS: usize = 200;

/// Records whether the estate's rules of procedure provide for 从众, and where (secretaries and
/// admins of the estate), audited. Motions created afterwards may offer it; motions already
/// created keep what they offer, and announced ones are fixed.
pub fn set_follow_majority(
    store: &Store,
    staff: &StaffCaller,
    estate_id: &str,
    request: FollowMajorityRequest,
) -> Result<EstateOut, UseCaseError> {
    staff.writes(estate_id)?;
    let basis = if request.follow_majority {
        let basis = request.basis.as_deref().map(str::trim).unwrap_or_default();
        if basis.is_empty() || basis.chars().count() > MAX_BASIS_CHARS {
            return Err(UseCaseError::invalid(
                "basis",
                format!(
                    "name the clause of the rules of procedure that provides for 从众, 1 to {MAX_BASIS_CHARS} characters"
                ),
            ));
        }
        Some(basis.to_owned())
    } else {
        None
    };
    Ok(store
        .set_estate_follow_majority(estate_id, basis.as_deref(), &staff.actor())?
        .into())
}

/// The estate's contact phone for an owner's pages (none for an unknown estate).
pub fn contact_phone(store: &Store, estate_id: &str) -> Result<Option<String>, UseCaseError> {
    match store.estate(estate_id) {
        Ok(estate) => Ok(estate.contact_phone),
        Err(gongjue_store::StoreError::NotFound(_)) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

impl NewEstate {
    /// The store's settings, checked here so that a bad value is refused naming its field.
    fn settings(&self) -> Result<gongjue_store::estates::NewEstate, UseCaseError> {
        let min_notice_days = self
            .min_notice_days
            .map_or(gongjue_store::estates::DEFAULT_MIN_NOTICE_DAYS, i64::from);
        let range = gongjue_store::estates::MIN_NOTICE_DAYS_RANGE;
        if !range.contains(&min_notice_days) {
            return Err(UseCaseError::invalid(
                "min_notice_days",
                format!("{} to {} days", range.start(), range.end()),
            ));
        }
        let max_extension_days = self.max_extension_days.map_or(
            gongjue_store::estates::DEFAULT_MAX_EXTENSION_DAYS,
            i64::from,
        );
        let range = gongjue_store::estates::MAX_EXTENSION_DAYS_RANGE;
        if !range.contains(&max_extension_days) {
            return Err(UseCaseError::invalid(
                "max_extension_days",
                format!("{} to {} days", range.start(), range.end()),
            ));
        }
        if self.name.trim().is_empty() {
            return Err(UseCaseError::invalid("name", "an estate needs a name"));
        }
        Ok(gongjue_store::estates::NewEstate {
            name: self.name.clone(),
            trial: self.trial,
            min_notice_days,
            max_extension_days,
        })
    }
}

/// Creates an estate; only an admin may, and the admin who creates it becomes its admin.
pub fn create_estate(
    store: &Store,
    staff: &StaffCaller,
    new: NewEstate,
) -> Result<EstateOut, UseCaseError> {
    staff.administers()?;
    let new = new.settings()?;
    let estate = store.create_estate_with(&new, &staff.actor())?;
    store.grant_role(&staff.user, &estate.id, Role::Admin, &staff.actor())?;
    Ok(estate.into())
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntryOut {
    #[schema(minimum = 1)]
    pub seq: i64,
    #[schema(format = DateTime)]
    pub at: String,
    pub actor: String,
    pub action: String,
    pub subject: String,
    #[schema(schema_with = crate::schema_refs::audit_detail)]
    pub detail: serde_json::Value,
    pub prev_hash: String,
    pub entry_hash: String,
}

/// The estate's audit log, a hash chain, oldest first: the entries after sequence number
/// `after` (default 0: from the start), at most `limit` of them (1 to 1000, default 1000).
/// Every role of the estate reads it.
pub fn audit_log(
    store: &Store,
    staff: &StaffCaller,
    estate_id: &str,
    after: Option<i64>,
    limit: Option<i64>,
) -> Result<Vec<AuditEntryOut>, UseCaseError> {
    staff.reads(estate_id)?;
    let after = UseCaseError::bounded("after", after.unwrap_or(0), 0, i64::MAX)?;
    let limit = UseCaseError::bounded("limit", limit.unwrap_or(1000), 1, 1000)?;
    let entries = store.audit_entries(estate_id, after, limit)?;
    Ok(entries
        .into_iter()
        .map(|e| AuditEntryOut {
            seq: e.seq,
            at: e.at,
            actor: e.actor,
            action: e.action,
            subject: e.subject,
            detail: serde_json::from_str(&e.detail).unwrap_or(serde_json::Value::String(e.detail)),
            prev_hash: e.prev_hash,
            entry_hash: e.entry_hash,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contact_phone_is_a_number_an_owner_can_dial() {
        assert_eq!(
            check_contact_phone(Some(" 0571-8888 6666 ")).ok(),
            Some(Some("0571-8888 6666".to_owned()))
        );
        assert_eq!(
            check_contact_phone(Some("400-800-1234转2")).ok(),
            Some(Some("400-800-1234转2".to_owned()))
        );
        assert_eq!(check_contact_phone(Some("  ")).ok(), Some(None));
        assert_eq!(check_contact_phone(None).ok(), Some(None));
        for bad in ["call Mr Wang", "12", "<script>", &"1".repeat(31)] {
            match check_contact_phone(Some(bad)) {
                Err(UseCaseError::Invalid { field, .. }) => assert_eq!(field, "contact_phone"),
                other => panic!("{bad:?}: {other:?}"),
            }
        }
    }
}
