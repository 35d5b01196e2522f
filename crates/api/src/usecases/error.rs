//! The use cases' one error type: why the service refused, in its own words. It knows no HTTP
//! status; `crate::error` maps each variant to one, once, at the edge.

use gongjue_store::StoreError;

use crate::i18n::Msg;

#[derive(Debug, thiserror::Error)]
pub enum UseCaseError {
    /// Wrong login or password (also for an unknown login, so logins cannot be probed).
    #[error("wrong login or password")]
    BadCredentials,
    /// A voting code that is unknown or revoked.
    #[error("unknown or revoked voting code")]
    BadCode,
    /// A session token that is forged, expired or ended (signed out, a new generation, the
    /// owner's code revoked).
    #[error("invalid, expired or ended session")]
    BadSession,
    /// A session older than the longest session asked to be refreshed.
    #[error("session too old to refresh")]
    SessionTooOld,
    /// Too many failed sign-in attempts: even a right secret is refused for a while.
    #[error("too many failed attempts")]
    TooManyAttempts,
    /// A burst of writes over a rate limit (e.g. objections); come back after `retry_after` s.
    #[error("too many requests; retry after {retry_after} s")]
    TooFrequent { retry_after: u64 },
    /// The caller may not do this; the message says which authorization rule refused.
    #[error("forbidden ({})", .0.code())]
    Forbidden(Msg),
    /// A value of the request breaks a rule of its own, e.g. closes before it opens.
    #[error("invalid {field}: {detail}")]
    Invalid {
        msg: Msg,
        field: String,
        detail: String,
    },
    /// A rule of the service refuses the request in the current state.
    #[error("refused ({})", .0.code())]
    Rule(Msg),
    /// As [`UseCaseError::Rule`], naming the assembly's state that refuses it.
    #[error("refused ({}): assembly is {state}", .msg.code())]
    RuleInState { msg: Msg, state: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A bug or a broken invariant; the detail is logged, never shown.
    #[error("internal: {0}")]
    Internal(String),
}

impl UseCaseError {
    pub fn invalid(field: &str, detail: impl Into<String>) -> UseCaseError {
        UseCaseError::Invalid {
            msg: Msg::InvalidValue,
            field: field.to_owned(),
            detail: detail.into(),
        }
    }

    /// A setting that can never work (more seats than candidates, a threshold never met).
    pub fn impossible(field: &str, detail: impl Into<String>) -> UseCaseError {
        UseCaseError::Invalid {
            msg: Msg::ImpossibleSetup,
            field: field.to_owned(),
            detail: detail.into(),
        }
    }

    /// `value` if it lies in `min..=max`, else an error naming the field and the bounds.
    pub fn bounded<T: PartialOrd + std::fmt::Display>(
        field: &str,
        value: T,
        min: T,
        max: T,
    ) -> Result<T, UseCaseError> {
        if value >= min && value <= max {
            Ok(value)
        } else {
            Err(UseCaseError::Invalid {
                msg: Msg::OutOfRange,
                field: field.to_owned(),
                detail: format!("{value} is outside {min} to {max}"),
            })
        }
    }

    pub fn choice(field: &str, detail: impl Into<String>) -> UseCaseError {
        UseCaseError::Invalid {
            msg: Msg::InvalidChoice,
            field: field.to_owned(),
            detail: detail.into(),
        }
    }
}
