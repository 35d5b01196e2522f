//! Who took part in a decision, and whether that meets the quorum (rules.md §2).

use serde::Serialize;

use crate::weight::Weight;

/// Area, heads and units of the participating members, and whether the quorum is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Participation {
    #[serde(flatten)]
    pub weight: Weight,
    pub met: bool,
}

/// Whether a list of thresholds holds, reported as `{"met": true}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Met {
    pub met: bool,
}
