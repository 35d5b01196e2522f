//! The domain's one error type.

use std::fmt;

use crate::area::AreaError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    #[error(transparent)]
    Area(#[from] AreaError),
    #[error("fraction {0:?} is not written p/q with whole numbers")]
    MalformedFraction(String),
    #[error("fraction {0:?} is outside (0, 1]: a threshold is a share of a whole, above zero")]
    FractionOutOfRange(String),
    #[error("Civil Code art. 278 lists matters 1 to 9, not {0}")]
    UnknownMatter(u8),
    #[error("unit {unit:?} appears twice in the electorate")]
    DuplicateUnit { unit: String },
    #[error("a unit needs a non-empty {field}")]
    EmptyUnitField { field: &'static str },
    #[error("the electorate has no unit")]
    EmptyElectorate,
    #[error("voter {0:?} is not in the electorate")]
    UnknownVoter(String),
    #[error("voter {0:?} already has a ballot")]
    SecondBallot(String),
    #[error("an election needs at least one seat")]
    NoSeats,
    #[error("{what} {id:?} is listed twice")]
    DuplicateId { what: &'static str, id: String },
    #[error("{0}")]
    InvalidAnswer(String),
    /// A tally bundle with input errors, each naming its JSON path.
    #[error("{}", InputErrors(.0))]
    InvalidBundle(Vec<InputError>),
}

/// One input error of a tally bundle: `electorate[3].area: area must be positive`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    pub path: String,
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

struct InputErrors<'a>(&'a [InputError]);

impl fmt::Display for InputErrors<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, error) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}
