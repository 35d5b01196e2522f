//! The owner roster (业主名册) as the property company exports it: reading CSV / XLSX files into
//! checked units (parsing lives in the submodules), and the types the store keeps as a roster version.

mod cell;
mod check;
mod csv;
mod diff;
mod header;
mod issue;
mod xlsx;

use gongjue_domain::area::UnitArea;

use crate::StoreError;

pub use diff::{ChangedField, RosterDiff, UnitChange, UnitFacts, diff, diff_against};
pub use header::Field;
pub use issue::{IssueKind, RosterIssue};

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

/// A whole roster file, read and checked: either every unit is good, or nothing is stored.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedRoster {
    pub units: Vec<RosterUnit>,
    /// Rows that are not units (a title, a `合计` total, blank lines), named in the import report.
    pub skipped: Vec<RosterIssue>,
    /// Accepted but worth a look (e.g. one owner id under two names).
    pub warnings: Vec<RosterIssue>,
}

/// Everything found in a roster file: the units and notes of [`ParsedRoster`], and the errors.
/// The import stores nothing unless `errors` is empty; the API shows all of it either way.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RosterCheck {
    pub roster: ParsedRoster,
    pub errors: Vec<RosterIssue>,
}

impl RosterCheck {
    pub fn into_result(self) -> Result<ParsedRoster, StoreError> {
        if self.errors.is_empty() {
            Ok(self.roster)
        } else {
            Err(StoreError::RosterInvalid(self.errors))
        }
    }

    fn failed(issue: RosterIssue) -> RosterCheck {
        RosterCheck {
            roster: ParsedRoster::default(),
            errors: vec![issue],
        }
    }
}

/// One row of a file, as text, before it is read as a unit.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    /// 1-based physical line (CSV) or row (XLSX).
    line: usize,
    cells: Vec<String>,
}

/// The most rows (lines of a CSV, rows of a sheet, header and blank ones included) a roster file
/// may have: twice the 100,000-unit estate the service is measured at (`docs/benchmarks.md`).
/// Reading stops at the first row past it and the file is refused with that line, so a file of a
/// million rows is turned away in a fraction of a second without being held as rows.
pub const MAX_ROSTER_ROWS: usize = 200_000;

/// The error for a file that goes on past [`MAX_ROSTER_ROWS`], at its first row too many.
fn too_many_rows(line: usize) -> RosterCheck {
    RosterCheck::failed(RosterIssue {
        line,
        column: None,
        kind: IssueKind::TooManyRows {
            limit: MAX_ROSTER_ROWS,
        },
    })
}

/// The first bytes of every XLSX (a zip archive).
const ZIP_MAGIC: &[u8] = b"PK\x03\x04";

/// Reads and checks a whole roster file, XLSX or CSV (told apart by the zip signature).
pub fn check_roster(bytes: &[u8]) -> RosterCheck {
    if bytes.starts_with(ZIP_MAGIC) {
        xlsx::check(bytes)
    } else {
        self::csv::check(bytes)
    }
}

/// Reads a roster file. On any error, returns every error of the file, each with its line.
pub fn parse_roster(bytes: &[u8]) -> Result<ParsedRoster, StoreError> {
    check_roster(bytes).into_result()
}

/// Reads a CSV roster: UTF-8 with or without BOM, UTF-16 with BOM, or GBK; comma, tab or semicolon.
pub fn parse_csv(bytes: &[u8]) -> Result<ParsedRoster, StoreError> {
    self::csv::check(bytes).into_result()
}

/// Reads an XLSX roster from the first sheet that has a header row.
pub fn parse_xlsx(bytes: &[u8]) -> Result<ParsedRoster, StoreError> {
    xlsx::check(bytes).into_result()
}
