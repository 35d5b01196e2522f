//! Fractions of a whole and the two comparisons the law uses with them.
//!
//! "以上" / "不少于" (at least) includes the boundary, "过半数" / "超过" (more than) excludes it
//! (Civil Code art. 1259). Both are decided by integer cross-multiplication, never by division.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::error::DomainError;

/// A fraction p/q with 0 < p/q <= 1, kept as written (not reduced) for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fraction {
    numerator: u64,
    denominator: u64,
}

impl Fraction {
    pub const HALF: Fraction = Fraction {
        numerator: 1,
        denominator: 2,
    };
    pub const TWO_THIRDS: Fraction = Fraction {
        numerator: 2,
        denominator: 3,
    };
    pub const THREE_QUARTERS: Fraction = Fraction {
        numerator: 3,
        denominator: 4,
    };

    pub fn new(numerator: u64, denominator: u64) -> Result<Fraction, DomainError> {
        if numerator == 0 || denominator == 0 || numerator > denominator {
            return Err(DomainError::FractionOutOfRange(format!(
                "{numerator}/{denominator}"
            )));
        }
        Ok(Fraction {
            numerator,
            denominator,
        })
    }

    /// Parses `"2/3"`. Only whole numbers: `"0.5/1"`, `"2/3/4"`, `" 2/3"` are malformed.
    pub fn parse(text: &str) -> Result<Fraction, DomainError> {
        let malformed = || DomainError::MalformedFraction(text.to_owned());
        let (p, q) = text.split_once('/').ok_or_else(malformed)?;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if !digits(p) || !digits(q) {
            return Err(malformed());
        }
        let (p, q) = (
            p.parse().map_err(|_| malformed())?,
            q.parse().map_err(|_| malformed())?,
        );
        Fraction::new(p, q).map_err(|_| DomainError::FractionOutOfRange(text.to_owned()))
    }

    pub const fn numerator(self) -> u64 {
        self.numerator
    }

    pub const fn denominator(self) -> u64 {
        self.denominator
    }

    /// Compares two fractions by value (`4/6` equals `2/3`), by cross-multiplication.
    pub fn cmp_value(self, other: Fraction) -> Ordering {
        let left = u128::from(self.numerator) * u128::from(other.denominator);
        let right = u128::from(other.numerator) * u128::from(self.denominator);
        left.cmp(&right)
    }

    /// Whether `part OP self × whole`, exactly: `q·part OP p·whole` in 128-bit integers.
    pub fn compare(self, part: u64, comparison: Comparison, whole: u64) -> bool {
        let left = u128::from(self.denominator) * u128::from(part);
        let right = u128::from(self.numerator) * u128::from(whole);
        match comparison {
            Comparison::AtLeast => left >= right,
            Comparison::MoreThan => left > right,
        }
    }
}

impl fmt::Display for Fraction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.numerator, self.denominator)
    }
}

impl FromStr for Fraction {
    type Err = DomainError;
    fn from_str(text: &str) -> Result<Fraction, DomainError> {
        Fraction::parse(text)
    }
}

/// `>=` ("以上", boundary included) or `>` ("过半数", boundary excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Comparison {
    AtLeast,
    MoreThan,
}

impl Comparison {
    pub fn symbol(self) -> &'static str {
        match self {
            Comparison::AtLeast => ">=",
            Comparison::MoreThan => ">",
        }
    }

    pub fn from_symbol(symbol: &str) -> Option<Comparison> {
        match symbol {
            ">=" => Some(Comparison::AtLeast),
            ">" => Some(Comparison::MoreThan),
            _ => None,
        }
    }

    /// Whether this comparison is at least as strict as `other` at an equal fraction: `>` is
    /// stricter than `>=` (it excludes the boundary).
    pub fn at_least_as_strict_as(self, other: Comparison) -> bool {
        self == other || self == Comparison::MoreThan
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_refuses() {
        assert_eq!(
            Fraction::parse("2/3").map(|f| (f.numerator(), f.denominator())),
            Ok((2, 3))
        );
        assert_eq!(Fraction::parse("1/1").map(|f| f.numerator()), Ok(1));
        for malformed in [
            "", "2", "2/", "/3", "2/3/4", "a/b", "0.5/1", " 2/3", "-1/2", "2:3",
        ] {
            assert_eq!(
                Fraction::parse(malformed),
                Err(DomainError::MalformedFraction(malformed.into()))
            );
        }
        for outside in ["0/3", "4/3", "1/0", "0/0"] {
            assert_eq!(
                Fraction::parse(outside),
                Err(DomainError::FractionOutOfRange(outside.into()))
            );
        }
    }

    #[test]
    fn at_least_includes_the_boundary_more_than_excludes_it() {
        let two_thirds = Fraction::TWO_THIRDS;
        // 2/3 of 300.00 m² is exactly 200.00 m².
        assert!(two_thirds.compare(20_000, Comparison::AtLeast, 30_000));
        assert!(!two_thirds.compare(19_999, Comparison::AtLeast, 30_000));
        assert!(!two_thirds.compare(20_000, Comparison::MoreThan, 30_000));
        assert!(two_thirds.compare(20_001, Comparison::MoreThan, 30_000));
        // Half of 4 heads: 2 is not more than half, 3 is.
        assert!(!Fraction::HALF.compare(2, Comparison::MoreThan, 4));
        assert!(Fraction::HALF.compare(3, Comparison::MoreThan, 4));
    }

    #[test]
    fn fractions_compare_by_value_and_more_than_is_stricter() {
        let parse = |t: &str| Fraction::parse(t).unwrap_or(Fraction::HALF);
        assert_eq!(
            parse("4/6").cmp_value(Fraction::TWO_THIRDS),
            Ordering::Equal
        );
        assert_eq!(
            parse("3/4").cmp_value(Fraction::TWO_THIRDS),
            Ordering::Greater
        );
        assert_eq!(
            parse("66/100").cmp_value(Fraction::TWO_THIRDS),
            Ordering::Less
        );
        let big = Fraction::new(u64::MAX - 1, u64::MAX).unwrap_or(Fraction::HALF);
        assert_eq!(big.cmp_value(parse("1/1")), Ordering::Less);
        assert!(Comparison::MoreThan.at_least_as_strict_as(Comparison::AtLeast));
        assert!(Comparison::MoreThan.at_least_as_strict_as(Comparison::MoreThan));
        assert!(Comparison::AtLeast.at_least_as_strict_as(Comparison::AtLeast));
        assert!(!Comparison::AtLeast.at_least_as_strict_as(Comparison::MoreThan));
    }

    #[test]
    fn no_overflow_at_the_extremes() {
        let f = Fraction::new(u64::MAX - 1, u64::MAX).unwrap_or(Fraction::HALF);
        assert!(f.compare(u64::MAX, Comparison::AtLeast, u64::MAX));
        assert!(!f.compare(u64::MAX - 2, Comparison::AtLeast, u64::MAX));
    }
}
