//! The owner roster (业主名册) as the property company exports it: reading CSV / XLSX files into
//! checked units (parsing lives in the submodules), and the types the store keeps as a roster version.

use gongjue_domain::area::UnitArea;

/// One exclusive part read from a roster file, checked and normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterUnit {
    /// 1-based line (CSV) or row (XLSX) of the source file, for messages.
    pub line: usize,
    pub zone: String,
    pub building: String,
    pub stairwell: String,
    /// The room number within the stairwell (室号), e.g. `101`.
    pub room: String,
    pub floor: Option<i32>,
    pub area: UnitArea,
    /// The voting member's identity (业主编号); units sharing it are one head (rules.md §1).
    pub owner_id: String,
    /// Kept apart from voting data: never part of a count or an export.
    pub contact: Contact,
}

impl RosterUnit {
    /// The unit's number as the estate writes it and as exports name it: `building-stairwell-room`.
    pub fn unit_number(&self) -> String {
        format!("{}-{}-{}", self.building, self.stairwell, self.room)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Contact {
    pub owner_name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// A problem with one cell or row of a roster file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterIssue {
    /// 1-based line (CSV) or row (XLSX).
    pub line: usize,
    /// The column's header as written in the file, when the issue is about one cell.
    pub column: Option<String>,
    pub message: String,
}

/// A whole roster file, read and checked: either every unit is good, or nothing is stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedRoster {
    pub units: Vec<RosterUnit>,
    /// Rows that are not units (a title, a `合计` total, blank lines), named in the import report.
    pub skipped: Vec<RosterIssue>,
    /// Accepted but worth a look (e.g. one owner id under two names).
    pub warnings: Vec<RosterIssue>,
}
