//! Areas of exclusive parts, held exactly as integer hundredths of a square metre.
//!
//! The land register gives areas to 0.01 m²; every sum and comparison in a count is done on
//! these integers, so 2/3 of 300.00 m² is exactly 200.00 m² and never 199.99999.

use std::fmt;
use std::iter::Sum;
use std::ops::{Add, AddAssign};

use serde::{Serialize, Serializer};

/// A non-negative area in hundredths of a square metre (0.01 m²).
///
/// Sums of areas are `Area`s too; a single unit's area, which must be positive, is a [`UnitArea`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Area(u64);

/// Why a decimal string is not an area.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AreaError {
    #[error("area is empty")]
    Empty,
    #[error(
        "area {0:?} is not a decimal number of square metres (digits, optionally '.' and up to two decimals)"
    )]
    NotANumber(String),
    #[error("area {0:?} has more than two decimals")]
    TooManyDecimals(String),
    #[error("area {0:?} is too large")]
    TooLarge(String),
    #[error("area must be positive")]
    NotPositive,
}

impl Area {
    pub const ZERO: Area = Area(0);

    pub const fn from_cents(cents: u64) -> Area {
        Area(cents)
    }

    /// The area in hundredths of a square metre.
    pub const fn cents(self) -> u64 {
        self.0
    }

    /// Parses a plain decimal string such as `"89"`, `"89.5"` or `"89.50"`.
    ///
    /// Signs, exponents, spaces and more than two decimals are refused: an area is copied from a
    /// register, and anything else is a typo that must reach a person rather than be rounded.
    pub fn parse(text: &str) -> Result<Area, AreaError> {
        if text.is_empty() {
            return Err(AreaError::Empty);
        }
        let not_a_number = || AreaError::NotANumber(text.to_owned());
        let (whole, fraction) = match text.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (text, None),
        };
        if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return Err(not_a_number());
        }
        let fraction = fraction.unwrap_or("");
        if !fraction.bytes().all(|b| b.is_ascii_digit()) || text.ends_with('.') {
            return Err(not_a_number());
        }
        if fraction.len() > 2 {
            return Err(AreaError::TooManyDecimals(text.to_owned()));
        }
        let too_large = || AreaError::TooLarge(text.to_owned());
        let whole: u64 = whole.parse().map_err(|_| too_large())?;
        let mut hundredths: u64 = if fraction.is_empty() {
            0
        } else {
            fraction.parse().map_err(|_| not_a_number())?
        };
        if fraction.len() == 1 {
            hundredths *= 10;
        }
        whole
            .checked_mul(100)
            .and_then(|cents| cents.checked_add(hundredths))
            .map(Area)
            .ok_or_else(too_large)
    }
}

impl fmt::Display for Area {
    /// Always two decimals: `"89.50"`, `"0.00"`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl Serialize for Area {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl Add for Area {
    type Output = Area;
    fn add(self, other: Area) -> Area {
        // 10^17 m² would overflow; no estate on Earth comes near, so saturating is never reached.
        Area(self.0.saturating_add(other.0))
    }
}

impl AddAssign for Area {
    fn add_assign(&mut self, other: Area) {
        *self = *self + other;
    }
}

impl Sum for Area {
    fn sum<I: Iterator<Item = Area>>(iter: I) -> Area {
        iter.fold(Area::ZERO, Add::add)
    }
}

/// The area of one exclusive part: always strictly positive (rules.md §1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct UnitArea(Area);

impl UnitArea {
    pub fn new(area: Area) -> Result<UnitArea, AreaError> {
        if area.cents() == 0 {
            Err(AreaError::NotPositive)
        } else {
            Ok(UnitArea(area))
        }
    }

    /// Parses like [`Area::parse`] and refuses zero.
    pub fn parse(text: &str) -> Result<UnitArea, AreaError> {
        if text.starts_with('-') {
            return Err(AreaError::NotPositive);
        }
        UnitArea::new(Area::parse(text)?)
    }

    pub const fn area(self) -> Area {
        self.0
    }
}

impl fmt::Display for UnitArea {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses_zero_one_or_two_decimals_to_the_same_cents() {
        assert_eq!(Area::parse("89"), Ok(Area::from_cents(8900)));
        assert_eq!(Area::parse("89.5"), Ok(Area::from_cents(8950)));
        assert_eq!(Area::parse("89.50"), Ok(Area::from_cents(8950)));
        assert_eq!(Area::parse("0.01"), Ok(Area::from_cents(1)));
        assert_eq!(Area::parse("089.05"), Ok(Area::from_cents(8905)));
    }

    #[test]
    fn refuses_what_is_not_a_register_area() {
        for bad in [
            "", ".5", "89.", "8 9", "+89", "-1", "1e3", "89,5", "abc", "89.5.0", "８９",
        ] {
            assert!(Area::parse(bad).is_err(), "{bad:?} must be refused");
        }
        assert_eq!(
            Area::parse("89.505"),
            Err(AreaError::TooManyDecimals("89.505".into()))
        );
        assert!(matches!(
            Area::parse("99999999999999999999"),
            Err(AreaError::TooLarge(_))
        ));
    }

    #[test]
    fn a_unit_area_is_positive() {
        assert_eq!(UnitArea::parse("0"), Err(AreaError::NotPositive));
        assert_eq!(UnitArea::parse("0.00"), Err(AreaError::NotPositive));
        assert_eq!(UnitArea::parse("-1"), Err(AreaError::NotPositive));
        assert_eq!(
            UnitArea::parse("0.01").map(UnitArea::area),
            Ok(Area::from_cents(1))
        );
    }

    #[test]
    fn displays_two_decimals() {
        assert_eq!(Area::from_cents(0).to_string(), "0.00");
        assert_eq!(Area::from_cents(8905).to_string(), "89.05");
        assert_eq!(Area::from_cents(1_764_476).to_string(), "17644.76");
    }

    proptest! {
        #[test]
        fn display_then_parse_is_identity(cents in 0u64..10_000_000_000) {
            let area = Area::from_cents(cents);
            prop_assert_eq!(Area::parse(&area.to_string()), Ok(area));
        }
    }
}
