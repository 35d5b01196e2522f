//! XLSX rosters as property companies export them: title and info rows above the header, numbers
//! stored as doubles, a total row at the bottom, notes on other sheets.

use std::io::Cursor;

use calamine::{Cell, Data, DataRef, Range, Reader, Xlsx};

use super::cell::number_text;
use super::check::{NoHeader, RowChecker};
use super::{IssueKind, RosterCheck, RosterIssue, Row};

fn unreadable(reason: String) -> RosterCheck {
    RosterCheck::failed(RosterIssue {
        line: 1,
        column: None,
        kind: IssueKind::Unreadable(reason),
    })
}

/// Reads a workbook. The reader (calamine) can panic on a damaged file (e.g. an arithmetic
/// overflow on a cell reference with a huge row number, found by `tests/roster_hostile.rs`);
/// a damaged upload is the user's error to be told about, never a crash of the request.
pub fn check(bytes: &[u8]) -> RosterCheck {
    std::panic::catch_unwind(|| check_workbook(bytes))
        .unwrap_or_else(|_| unreadable("the workbook is damaged".into()))
}

fn check_workbook(bytes: &[u8]) -> RosterCheck {
    if let Err(reason) = inflates_within_bound(bytes) {
        return unreadable(reason);
    }
    let mut workbook = match Xlsx::new(Cursor::new(bytes)) {
        Ok(workbook) => workbook,
        Err(error) => return unreadable(error.to_string()),
    };
    // The first sheet with a header row is the roster; later sheets are notes or pivots.
    let mut closest: Option<(usize, Vec<super::Field>)> = None;
    for name in workbook.sheet_names() {
        let range = match bounded_range(&mut workbook, &name) {
            Ok(range) => range,
            Err(check) => return check,
        };
        let rows = match sheet_rows(&range) {
            Ok(rows) => rows,
            Err(line) => return super::too_many_rows(line),
        };
        let mut checker = RowChecker::new();
        rows.for_each(|row| checker.push(&row));
        match checker.finish() {
            Ok(check) => return check,
            Err(NoHeader { line, missing }) => {
                if closest
                    .as_ref()
                    .is_none_or(|(_, fewest)| missing.len() < fewest.len())
                {
                    closest = Some((line, missing));
                }
            }
        }
    }
    let (line, missing) = closest.unwrap_or((1, super::Field::REQUIRED.to_vec()));
    RosterCheck::failed(RosterIssue {
        line,
        column: None,
        kind: IssueKind::NoHeader { missing },
    })
}

/// The most an uploaded workbook may inflate to, all its parts together. A roster of 20,000
/// units inflates to a few tens of MiB; a zip bomb (a few MiB inflating to gigabytes) is
/// refused before the reader holds any of it in memory.
const MAX_INFLATED: u64 = 256 * 1024 * 1024;

/// Inflates every part into nothing, counting, and stops at [`MAX_INFLATED`]. The sizes the
/// archive declares are not trusted. An archive that cannot be read is left to calamine,
/// which says why.
fn inflates_within_bound(bytes: &[u8]) -> Result<(), String> {
    let Ok(mut archive) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut total = 0u64;
    for index in 0..archive.len() {
        let Ok(mut part) = archive.by_index(index) else {
            return Ok(());
        };
        let room = MAX_INFLATED.saturating_sub(total);
        let Ok(read) = std::io::copy(
            &mut std::io::Read::take(&mut part, room + 1),
            &mut std::io::sink(),
        ) else {
            return Ok(());
        };
        total += read;
        if total > MAX_INFLATED {
            return Err(format!(
                "the workbook inflates to more than {} MiB",
                MAX_INFLATED >> 20
            ));
        }
    }
    Ok(())
}

/// The most cells a sheet's used range may span. A roster of 20,000 units in 20 columns is
/// 400,000; the bound keeps one hostile upload (a single cell at `XFD1048576` makes a grid of
/// 17 billion cells) from taking the server's memory.
const MAX_CELLS: u64 = 2_000_000;

/// The sheet's non-empty cells as a range, as calamine's `worksheet_range` builds it, but
/// refused (before the grid is allocated) when its used range spans more than [`MAX_CELLS`].
fn bounded_range(
    workbook: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
) -> Result<Range<Data>, RosterCheck> {
    let mut reader = workbook
        .worksheet_cells_reader(name)
        .map_err(|e| unreadable(e.to_string()))?;
    let mut cells: Vec<Cell<Data>> = Vec::new();
    let (mut rows, mut columns) = ((u32::MAX, 0u32), (u32::MAX, 0u32));
    while let Some(cell) = reader.next_cell().map_err(|e| unreadable(e.to_string()))? {
        if matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        let (row, column) = cell.get_position();
        rows = (rows.0.min(row), rows.1.max(row));
        columns = (columns.0.min(column), columns.1.max(column));
        let span = (u64::from(rows.1 - rows.0) + 1) * (u64::from(columns.1 - columns.0) + 1);
        if span > MAX_CELLS {
            return Err(unreadable(format!(
                "sheet {name}: the used range spans {} rows by {} columns, more than a roster's {MAX_CELLS} cells (is there a stray cell far below or to the right?)",
                rows.1 - rows.0 + 1,
                columns.1 - columns.0 + 1
            )));
        }
        cells.push(Cell::new((row, column), cell.get_value().clone().into()));
    }
    Ok(Range::from_sparse(cells))
}

/// The sheet's rows as text, one at a time, numbered as Excel shows them (the used range may start
/// below row 1); the first row past [`super::MAX_ROSTER_ROWS`] as the error.
fn sheet_rows(range: &calamine::Range<Data>) -> Result<impl Iterator<Item = Row> + '_, usize> {
    let first_row = range.start().map_or(0, |(row, _)| row as usize);
    let last_row = range.end().map_or(0, |(row, _)| row as usize + 1);
    if last_row > super::MAX_ROSTER_ROWS {
        return Err(super::MAX_ROSTER_ROWS + 1);
    }
    // Columns left of the used range are empty in every row; omitting them keeps indices aligned.
    Ok(range.rows().enumerate().map(move |(offset, cells)| Row {
        line: first_row + offset + 1,
        cells: cells.iter().map(cell_text).collect(),
    }))
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
