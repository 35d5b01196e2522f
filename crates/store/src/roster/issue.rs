//! What can be wrong with, or worth noting about, a line of a roster file.
//!
//! Each kind is structured so that the API can translate it through a message catalogue; the
//! English `Display` is for logs and tests.

use std::fmt;

use super::header::Field;

/// A problem with one cell or row of a roster file, or a row that was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RosterIssue {
    /// 1-based physical line (CSV, counting the header and blank lines) or row (XLSX).
    pub line: usize,
    /// The column's header as written in the file, when the issue is about one cell.
    pub column: Option<String>,
    pub kind: IssueKind,
}

impl fmt::Display for RosterIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(column) => write!(f, "line {}, column {column}: {}", self.line, self.kind),
            None => write!(f, "line {}: {}", self.line, self.kind),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IssueKind {
    // Errors about the file as a whole.
    /// Not UTF-8 (with or without BOM), UTF-16 with BOM, or GBK text, nor an XLSX workbook.
    NotText,
    /// The bytes start like an XLSX workbook but it cannot be opened.
    Unreadable(String),
    /// No row names all required columns; `missing` is relative to the row that came closest.
    NoHeader {
        missing: Vec<Field>,
    },
    /// Two columns of the header row read as the same field.
    AmbiguousColumn {
        field: Field,
        first: String,
    },
    /// A header row and nothing under it.
    NoUnits,
    /// More rows than [`super::MAX_ROSTER_ROWS`]: reading stops there, so a huge file costs the
    /// server no more memory than the largest roster it accepts.
    TooManyRows {
        limit: usize,
    },

    // Errors about one row or cell.
    BuildingMissing,
    RoomMissing,
    AreaMissing,
    AreaNotPositive,
    AreaTooManyDecimals,
    AreaNotANumber,
    AreaTooLarge,
    FloorNotANumber,
    DuplicateUnit {
        unit: String,
        first_line: usize,
    },
    OwnerIdMissing,
    EmailMalformed,
    /// A NUL or another control character (other than a line break or tab) in a cell.
    ControlCharacter,
    /// A bidirectional control (U+202E and the like) in a cell: it would show the unit or name
    /// other than it is.
    BidiControl,

    // Warnings: the row is accepted.
    OwnerNamedTwice {
        owner_id: String,
        first_name: String,
        first_line: usize,
    },

    // Skipped rows: not units, named in the import report.
    BlankLine,
    AboveHeader,
    RepeatedHeader,
    TotalRow,
}

impl fmt::Display for IssueKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IssueKind::NotText => {
                f.write_str("the file is neither an XLSX workbook nor UTF-8, UTF-16 or GBK text")
            }
            IssueKind::Unreadable(reason) => write!(f, "the workbook cannot be read: {reason}"),
            IssueKind::NoHeader { missing } => {
                f.write_str("no header row names the required columns (missing:")?;
                for (i, field) in missing.iter().enumerate() {
                    write!(f, "{}{field}", if i == 0 { " " } else { ", " })?;
                }
                f.write_str(")")
            }
            IssueKind::AmbiguousColumn { field, first } => {
                write!(f, "column read as {field} a second time (first: {first})")
            }
            IssueKind::NoUnits => f.write_str("the roster has no units"),
            IssueKind::TooManyRows { limit } => {
                write!(f, "the file has more than {limit} rows, the most a roster may have")
            }
            IssueKind::BuildingMissing => f.write_str("building missing"),
            IssueKind::RoomMissing => f.write_str("room number missing"),
            IssueKind::AreaMissing => f.write_str("area missing"),
            IssueKind::AreaNotPositive => f.write_str("area must be positive"),
            IssueKind::AreaTooManyDecimals => f.write_str("area has more than two decimals"),
            IssueKind::AreaNotANumber => f.write_str("area is not a number"),
            IssueKind::AreaTooLarge => f.write_str("area is too large"),
            IssueKind::FloorNotANumber => f.write_str("floor is not a whole number"),
            IssueKind::DuplicateUnit { unit, first_line } => {
                write!(f, "duplicate unit {unit} (first on line {first_line})")
            }
            IssueKind::OwnerIdMissing => f.write_str("owner id missing"),
            IssueKind::EmailMalformed => f.write_str("email address is malformed"),
            IssueKind::ControlCharacter => f.write_str(
                "the cell holds a control character (such as NUL): the export is damaged",
            ),
            IssueKind::BidiControl => f.write_str(
                "the cell holds a bidirectional control character (such as U+202E) that would show it other than it is",
            ),
            IssueKind::OwnerNamedTwice {
                owner_id,
                first_name,
                first_line,
            } => {
                write!(
                    f,
                    "owner id {owner_id} already named {first_name} on line {first_line}"
                )
            }
            IssueKind::BlankLine => f.write_str("blank line"),
            IssueKind::AboveHeader => f.write_str("title or note above the header row"),
            IssueKind::RepeatedHeader => f.write_str("the header row repeated"),
            IssueKind::TotalRow => f.write_str("total row"),
        }
    }
}
