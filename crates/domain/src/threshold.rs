//! One threshold of a rule: `measure(subject) OP p/q × measure(base)` (rules.md §3).

use crate::fraction::{Comparison, Fraction};
use crate::weight::{Measure, Weight};

/// What a threshold's fraction is taken of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Base {
    /// The whole electorate (专有部分总面积, 业主总人数).
    Total,
    /// The members who took part (参与表决).
    Participating,
}

impl Base {
    pub fn name(self) -> &'static str {
        match self {
            Base::Total => "total",
            Base::Participating => "participating",
        }
    }

    pub fn from_name(name: &str) -> Option<Base> {
        match name {
            "total" => Some(Base::Total),
            "participating" => Some(Base::Participating),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Threshold {
    pub measure: Measure,
    pub comparison: Comparison,
    pub fraction: Fraction,
    pub of: Base,
}

impl Threshold {
    pub const fn new(
        measure: Measure,
        comparison: Comparison,
        fraction: Fraction,
        of: Base,
    ) -> Threshold {
        Threshold {
            measure,
            comparison,
            fraction,
            of,
        }
    }

    /// Whether this threshold asks at least what `floor` asks: the same measure of the same
    /// base, and a greater fraction, or an equal one (by value) with an operator at least as
    /// strict (tally-bundle.md, `matter`).
    pub fn at_least_as_strict_as(&self, floor: &Threshold) -> bool {
        self.measure == floor.measure
            && self.of == floor.of
            && match self.fraction.cmp_value(floor.fraction) {
                std::cmp::Ordering::Greater => true,
                std::cmp::Ordering::Equal => {
                    self.comparison.at_least_as_strict_as(floor.comparison)
                }
                std::cmp::Ordering::Less => false,
            }
    }

    /// Whether the subject (the participating or the approving members) meets this threshold.
    pub fn holds(&self, subject: &Weight, participating: &Weight, total: &Weight) -> bool {
        let base = match self.of {
            Base::Total => total,
            Base::Participating => participating,
        };
        self.fraction.compare(
            subject.measure(self.measure),
            self.comparison,
            base.measure(self.measure),
        )
    }
}

impl std::fmt::Display for Threshold {
    /// As the bundle's words: `area >= 2/3 of total`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} {} {} of {}",
            self.measure.name(),
            self.comparison.symbol(),
            self.fraction,
            self.of.name()
        )
    }
}

/// Whether every threshold of a list holds (an empty list always holds).
pub fn all_hold(
    thresholds: &[Threshold],
    subject: &Weight,
    participating: &Weight,
    total: &Weight,
) -> bool {
    thresholds
        .iter()
        .all(|t| t.holds(subject, participating, total))
}
