//! What a set of voting members weighs: its area, its heads and its units.

use serde::Serialize;

use crate::area::Area;

/// The three measures the rules count (rules.md §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Measure {
    /// Exclusive area (专有部分面积).
    Area,
    /// Voting members, one per owner identity (人数).
    Heads,
    /// Exclusive parts, i.e. households (户数).
    Units,
}

impl Measure {
    pub fn name(self) -> &'static str {
        match self {
            Measure::Area => "area",
            Measure::Heads => "heads",
            Measure::Units => "units",
        }
    }

    pub fn from_name(name: &str) -> Option<Measure> {
        match name {
            "area" => Some(Measure::Area),
            "heads" => Some(Measure::Heads),
            "units" => Some(Measure::Units),
            _ => None,
        }
    }
}

/// Area, heads and units of a set of members. Serialises as `{"area": "0.00", "heads": 0, "units": 0}`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize)]
pub struct Weight {
    pub area: Area,
    pub heads: u64,
    pub units: u64,
}

impl Weight {
    /// The value of one measure, as an integer (area in hundredths of m²).
    pub fn measure(&self, measure: Measure) -> u64 {
        match measure {
            Measure::Area => self.area.cents(),
            Measure::Heads => self.heads,
            Measure::Units => self.units,
        }
    }

    pub fn add(&mut self, other: Weight) {
        self.area += other.area;
        self.heads += other.heads;
        self.units += other.units;
    }
}
