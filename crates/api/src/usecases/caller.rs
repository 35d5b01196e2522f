//! Who is calling a use case, and the authorization rules every use case applies with it.
//! The HTTP edge reads a caller from a session token (`crate::auth::caller`); the CLI and tests
//! may build one directly.

use gongjue_store::users::Role;

use crate::auth::jwt::SessionId;
use crate::i18n::Msg;
use crate::usecases::UseCaseError;

#[derive(Debug, Clone)]
pub enum Caller {
    Staff(StaffCaller),
    Owner(OwnerCaller),
}

#[derive(Debug, Clone)]
pub struct StaffCaller {
    pub user: String,
    pub login: String,
    pub estate: String,
    pub role: Role,
    /// The user's session generation the token carries.
    pub generation: i64,
    pub session: SessionId,
}

#[derive(Debug, Clone)]
pub struct OwnerCaller {
    pub voter: String,
    pub assembly: String,
    pub estate: String,
    /// The voting code's row: the session is valid only while that code is not revoked.
    pub code: String,
    pub session: SessionId,
}

pub fn parse_role(text: &str) -> Option<Role> {
    match text {
        "secretary" => Some(Role::Secretary),
        "auditor" => Some(Role::Auditor),
        "admin" => Some(Role::Admin),
        "volunteer" => Some(Role::Volunteer),
        _ => None,
    }
}

impl Caller {
    /// The session the caller's token stands for.
    pub fn session(&self) -> &SessionId {
        match self {
            Caller::Staff(staff) => &staff.session,
            Caller::Owner(owner) => &owner.session,
        }
    }

    /// The estate whose audit chain the caller's own acts are written to.
    pub fn estate(&self) -> &str {
        match self {
            Caller::Staff(staff) => &staff.estate,
            Caller::Owner(owner) => &owner.estate,
        }
    }

    /// The actor string of audit entries.
    pub fn actor(&self) -> String {
        match self {
            Caller::Staff(staff) => staff.actor(),
            Caller::Owner(owner) => owner.actor(),
        }
    }

    pub fn staff(self) -> Result<StaffCaller, UseCaseError> {
        match self {
            Caller::Staff(staff) => Ok(staff),
            Caller::Owner(_) => Err(UseCaseError::Forbidden(Msg::StaffOnly)),
        }
    }

    pub fn owner(self) -> Result<OwnerCaller, UseCaseError> {
        match self {
            Caller::Owner(owner) => Ok(owner),
            Caller::Staff(_) => Err(UseCaseError::Forbidden(Msg::OwnersOnly)),
        }
    }
}

impl StaffCaller {
    /// Secretaries, auditors and admins read everything of their own estate and nothing of
    /// another. A building volunteer reads nothing here: only their buildings' round
    /// (`volunteers`), which never shows what anyone chose.
    pub fn reads(&self, estate: &str) -> Result<(), UseCaseError> {
        if self.estate != estate {
            return Err(UseCaseError::Forbidden(Msg::OtherEstate));
        }
        match self.role {
            Role::Secretary | Role::Auditor | Role::Admin => Ok(()),
            Role::Volunteer => Err(UseCaseError::Forbidden(Msg::VolunteersRoundOnly)),
        }
    }

    /// Secretaries and admins change things; auditors only read.
    pub fn writes(&self, estate: &str) -> Result<(), UseCaseError> {
        self.reads(estate)?;
        match self.role {
            Role::Secretary | Role::Admin => Ok(()),
            Role::Auditor | Role::Volunteer => Err(UseCaseError::Forbidden(Msg::ReadOnlyRole)),
        }
    }

    /// A building volunteer of `estate`: their round, door visits, paper collected at the door.
    pub fn volunteers(&self, estate: &str) -> Result<(), UseCaseError> {
        if self.estate != estate {
            return Err(UseCaseError::Forbidden(Msg::OtherEstate));
        }
        match self.role {
            Role::Volunteer => Ok(()),
            Role::Secretary | Role::Auditor | Role::Admin => {
                Err(UseCaseError::Forbidden(Msg::VolunteersOnly))
            }
        }
    }

    /// Estate-level administration (new estates, accounts).
    pub fn administers(&self) -> Result<(), UseCaseError> {
        match self.role {
            Role::Admin => Ok(()),
            Role::Secretary | Role::Auditor | Role::Volunteer => {
                Err(UseCaseError::Forbidden(Msg::Forbidden))
            }
        }
    }

    /// The actor string of audit entries.
    pub fn actor(&self) -> String {
        format!("user:{}", self.user)
    }
}

impl OwnerCaller {
    pub fn actor(&self) -> String {
        format!("voter:{}", self.voter)
    }

    /// An owner's token is for one assembly only.
    pub fn of_assembly(&self, assembly: &str) -> Result<(), UseCaseError> {
        if self.assembly == assembly {
            Ok(())
        } else {
            Err(UseCaseError::Forbidden(Msg::Forbidden))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(role: Role) -> StaffCaller {
        StaffCaller {
            user: "u".into(),
            login: "l".into(),
            estate: "e1".into(),
            role,
            generation: 0,
            session: SessionId {
                jti: "j".into(),
                exp: 0,
                auth_time: 0,
            },
        }
    }

    fn refused(result: Result<(), UseCaseError>) -> Option<Msg> {
        match result {
            Ok(()) => None,
            Err(UseCaseError::Forbidden(msg)) => Some(msg),
            Err(other) => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn every_role_reads_its_own_estate_only_and_auditors_never_write() {
        for role in [Role::Secretary, Role::Auditor, Role::Admin] {
            assert_eq!(refused(staff(role).reads("e1")), None);
            assert_eq!(refused(staff(role).reads("e2")), Some(Msg::OtherEstate));
            assert_eq!(refused(staff(role).writes("e2")), Some(Msg::OtherEstate));
        }
        assert_eq!(refused(staff(Role::Secretary).writes("e1")), None);
        assert_eq!(refused(staff(Role::Admin).writes("e1")), None);
        assert_eq!(
            refused(staff(Role::Auditor).writes("e1")),
            Some(Msg::ReadOnlyRole)
        );
        assert_eq!(
            refused(staff(Role::Secretary).administers()),
            Some(Msg::Forbidden)
        );
        assert_eq!(refused(staff(Role::Admin).administers()), None);
    }
}
