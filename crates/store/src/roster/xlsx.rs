//! XLSX rosters as property companies export them: title and info rows above the header, numbers
//! stored as doubles, a total row at the bottom, notes on other sheets.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use super::cell::number_text;
use super::check::{HeaderSearch, check_rows, find_header};
use super::{IssueKind, RosterCheck, RosterIssue, Row};

pub fn check(bytes: &[u8]) -> RosterCheck {
    let unreadable = |reason: String| RosterCheck::failed(RosterIssue { line: 1, column: None, kind: IssueKind::Unreadable(reason) });
    let mut workbook = match Xlsx::new(Cursor::new(bytes)) {
        Ok(workbook) => workbook,
        Err(error) => return unreadable(error.to_string()),
    };
    // The first sheet with a header row is the roster; later sheets are notes or pivots.
    let mut closest: Option<(usize, Vec<super::Field>)> = None;
    for name in workbook.sheet_names() {
        let range = match workbook.worksheet_range(&name) {
            Ok(range) => range,
            Err(error) => return unreadable(error.to_string()),
        };
        let rows = sheet_rows(&range);
        match find_header(&rows) {
            HeaderSearch::Found { position } => return check_rows(&rows, position),
            HeaderSearch::NotFound { line, missing } => {
                if closest.as_ref().is_none_or(|(_, fewest)| missing.len() < fewest.len()) {
                    closest = Some((line, missing));
                }
            }
        }
    }
    let (line, missing) = closest.unwrap_or((1, super::Field::REQUIRED.to_vec()));
    RosterCheck::failed(RosterIssue { line, column: None, kind: IssueKind::NoHeader { missing } })
}

/// The sheet's rows as text, numbered as Excel shows them (the used range may start below row 1).
fn sheet_rows(range: &calamine::Range<Data>) -> Vec<Row> {
    let first_row = range.start().map_or(0, |(row, _)| row as usize);
    // Columns left of the used range are empty in every row; omitting them keeps indices aligned.
    range
        .rows()
        .enumerate()
        .map(|(offset, cells)| Row { line: first_row + offset + 1, cells: cells.iter().map(cell_text).collect() })
        .collect()
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(text) | Data::DateTimeIso(text) | Data::DurationIso(text) => text.clone(),
        Data::Float(value) => number_text(*value),
        Data::Int(value) => value.to_string(),
        Data::Bool(value) => value.to_string(),
        // A date in a roster column is a mistake; as text it cannot pass for an area or a number.
        Data::DateTime(value) => value.to_string(),
        Data::Error(error) => error.to_string(),
    }
}
