//! Checking the rows of a roster, whatever file they came from, one row at a time: find the
//! header row, read every row below it as a unit, and collect every error rather than stopping at
//! the first.

use std::collections::HashMap;

use super::cell::{
    AreaProblem, is_plausible_email, normalise, parse_area, parse_floor, without_suffix,
};
use super::header::{Columns, Field, read_header};
use super::{Contact, IssueKind, RosterCheck, RosterIssue, RosterUnit, Row};

/// No row of the file names every required column: the closest one, and what it lacks.
pub struct NoHeader {
    pub line: usize,
    pub missing: Vec<Field>,
}

/// Checks a file's rows in order as the file yields them, so that a file of 200,000 rows is
/// never held as rows of text (issue 22): title and info rows until the first row that names
/// every required column (the header), then every row below it as a unit.
pub struct RowChecker {
    check: RosterCheck,
    state: State,
}

enum State {
    /// Before the header: each row's line and whether it was blank (reported as skipped once the
    /// header is found), and the row closest to a header so far.
    Searching {
        above: Vec<(usize, bool)>,
        closest: Option<(usize, Vec<Field>)>,
    },
    Reading {
        reader: UnitReader,
        header_line: usize,
    },
}

impl Default for RowChecker {
    fn default() -> RowChecker {
        RowChecker::new()
    }
}

impl RowChecker {
    pub fn new() -> RowChecker {
        RowChecker {
            check: RosterCheck::default(),
            state: State::Searching {
                above: Vec::new(),
                closest: None,
            },
        }
    }

    /// Reads the file's next row.
    pub fn push(&mut self, row: &Row) {
        let (above, closest) = match &mut self.state {
            State::Reading { reader, .. } => {
                reader.take(row, &mut self.check);
                return;
            }
            State::Searching { above, closest } => (above, closest),
        };
        let (columns, ambiguous) = read_header(&row.cells);
        let missing = columns.missing_required();
        if !missing.is_empty() {
            if closest
                .as_ref()
                .is_none_or(|(_, fewest)| missing.len() < fewest.len())
            {
                *closest = Some((row.line, missing));
            }
            above.push((row.line, is_blank(row)));
            return;
        }
        for (line, blank) in std::mem::take(above) {
            let kind = if blank {
                IssueKind::BlankLine
            } else {
                IssueKind::AboveHeader
            };
            self.check.roster.skipped.push(RosterIssue {
                line,
                column: None,
                kind,
            });
        }
        for twice in ambiguous {
            self.check.errors.push(RosterIssue {
                line: row.line,
                column: Some(twice.second),
                kind: IssueKind::AmbiguousColumn {
                    field: twice.field,
                    first: twice.first,
                },
            });
        }
        self.state = State::Reading {
            reader: UnitReader {
                columns,
                first_line_of_unit: HashMap::new(),
                first_name_of_owner: HashMap::new(),
            },
            header_line: row.line,
        };
    }

    /// What the rows held, or, if none of them was a header, the closest one.
    pub fn finish(mut self) -> Result<RosterCheck, NoHeader> {
        match self.state {
            State::Searching { closest, .. } => {
                let (line, missing) = closest.unwrap_or((1, Field::REQUIRED.to_vec()));
                Err(NoHeader { line, missing })
            }
            State::Reading { header_line, .. } => {
                if self.check.roster.units.is_empty() && self.check.errors.is_empty() {
                    self.check.errors.push(RosterIssue {
                        line: header_line,
                        column: None,
                        kind: IssueKind::NoUnits,
                    });
                }
                Ok(self.check)
            }
        }
    }
}

// A control character other than the line breaks and tabs that a cell may wrap with: the one
// definition that the API's bodies, forms and addresses use too.
use gongjue_domain::text::is_stray_control;

fn is_blank(row: &Row) -> bool {
    row.cells.iter().all(|cell| normalise(cell).is_empty())
}

/// Printed exports repeat the header at the top of every page.
fn is_header(row: &Row) -> bool {
    read_header(&row.cells).0.missing_required().is_empty()
}

/// Reads rows as units, remembering what duplicate and owner checks need across rows.
struct UnitReader {
    columns: Columns,
    first_line_of_unit: HashMap<String, usize>,
    first_name_of_owner: HashMap<String, (String, usize)>,
}

impl UnitReader {
    /// A row below the header: skipped (blank, the header repeated, a total) or read as a unit.
    fn take(&mut self, row: &Row, check: &mut RosterCheck) {
        let skipped = if is_blank(row) {
            Some(IssueKind::BlankLine)
        } else if is_header(row) {
            Some(IssueKind::RepeatedHeader)
        } else if self.is_total(row) {
            Some(IssueKind::TotalRow)
        } else {
            None
        };
        match skipped {
            Some(kind) => check.roster.skipped.push(RosterIssue {
                line: row.line,
                column: None,
                kind,
            }),
            None => self.read(row, check),
        }
    }

    fn cell(&self, row: &Row, field: Field) -> String {
        self.columns
            .index(field)
            .and_then(|index| row.cells.get(index))
            .map(|cell| normalise(cell))
            .unwrap_or_default()
    }

    /// Exports end with a line summing the areas (`合计：184户`, `Total`), the label often in the
    /// building column. It has no owner: a row with an owner id is a unit whatever else it says,
    /// so that no unit is ever dropped for a word in one of its cells.
    fn is_total(&self, row: &Row) -> bool {
        let label = |cell: &String| {
            let text: String = normalise(cell)
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_lowercase();
            let text = text.trim_end_matches(':');
            ["合计", "总计", "小计"]
                .iter()
                .any(|label| text.starts_with(label))
                || ["total", "sum"].contains(&text)
        };
        self.cell(row, Field::OwnerId).is_empty() && row.cells.iter().any(label)
    }

    fn read(&mut self, row: &Row, check: &mut RosterCheck) {
        let mut problems: Vec<(Field, IssueKind)> = Vec::new();
        // A NUL or other control character (a damaged export) is refused with its cell: no
        // database keeps a NUL in text, and such a name would print as garbage on a notice.
        for field in Field::ALL {
            let raw = self
                .columns
                .index(field)
                .and_then(|index| row.cells.get(index));
            if raw.is_some_and(|cell| cell.chars().any(is_stray_control)) {
                problems.push((field, IssueKind::ControlCharacter));
            } else if raw
                .is_some_and(|cell| cell.chars().any(gongjue_domain::text::is_bidi_control))
            {
                // Not damage but deception: `101\u{202E}201` shows as another unit.
                problems.push((field, IssueKind::BidiControl));
            }
        }

        let zone = self.cell(row, Field::Zone);
        let building = without_suffix(
            &self.cell(row, Field::Building),
            &["号楼", "号", "栋", "幢"],
        )
        .to_owned();
        if building.is_empty() {
            problems.push((Field::Building, IssueKind::BuildingMissing));
        }
        // A stairwell left out (villas, single-entrance towers) is stairwell 1. Safe: if the file
        // really had two stairwells, their rooms collide below as duplicate units.
        let stairwell = match without_suffix(&self.cell(row, Field::Stairwell), &["单元", "号"])
        {
            "" => "1".to_owned(),
            stairwell => stairwell.to_owned(),
        };
        let room = without_suffix(&self.cell(row, Field::Room), &["室", "号"]).to_owned();
        if room.is_empty() {
            problems.push((Field::Room, IssueKind::RoomMissing));
        }
        let floor_text = self.cell(row, Field::Floor);
        let floor = if floor_text.is_empty() {
            None
        } else {
            parse_floor(&floor_text)
        };
        if floor.is_none() && !floor_text.is_empty() {
            problems.push((Field::Floor, IssueKind::FloorNotANumber));
        }
        let area = parse_area(&self.cell(row, Field::Area));
        if let Err(problem) = area {
            problems.push((Field::Area, area_issue(problem)));
        }
        let owner_id = self.cell(row, Field::OwnerId);
        if owner_id.is_empty() {
            problems.push((Field::OwnerId, IssueKind::OwnerIdMissing));
        }
        let optional = |text: String| if text.is_empty() { None } else { Some(text) };
        let owner_name = optional(self.cell(row, Field::OwnerName));
        let phone = optional(self.cell(row, Field::Phone));
        let email = optional(self.cell(row, Field::Email));
        if email
            .as_deref()
            .is_some_and(|email| !is_plausible_email(email))
        {
            problems.push((Field::Email, IssueKind::EmailMalformed));
        }

        // Rows with other errors still take part, so that one run reports every duplicate.
        let unit_number = format!("{building}-{stairwell}-{room}");
        if !building.is_empty() && !room.is_empty() {
            if let Some(&first_line) = self.first_line_of_unit.get(&unit_number) {
                problems.push((
                    Field::Room,
                    IssueKind::DuplicateUnit {
                        unit: unit_number,
                        first_line,
                    },
                ));
            } else {
                self.first_line_of_unit.insert(unit_number, row.line);
            }
        }
        if let (false, Some(name)) = (owner_id.is_empty(), &owner_name) {
            match self.first_name_of_owner.get(&owner_id) {
                Some((first_name, first_line)) if first_name != name => {
                    check.roster.warnings.push(RosterIssue {
                        line: row.line,
                        column: Some(self.columns.name(Field::OwnerName)),
                        kind: IssueKind::OwnerNamedTwice {
                            owner_id: owner_id.clone(),
                            first_name: first_name.clone(),
                            first_line: *first_line,
                        },
                    })
                }
                Some(_) => {}
                None => {
                    self.first_name_of_owner
                        .insert(owner_id.clone(), (name.clone(), row.line));
                }
            }
        }

        match area {
            Ok(area) if problems.is_empty() => check.roster.units.push(RosterUnit {
                line: row.line,
                zone,
                building,
                stairwell,
                room,
                floor,
                area,
                owner_id,
                contact: Contact {
                    owner_name,
                    phone,
                    email,
                },
            }),
            _ => check
                .errors
                .extend(problems.into_iter().map(|(field, kind)| RosterIssue {
                    line: row.line,
                    column: Some(self.columns.name(field)),
                    kind,
                })),
        }
    }
}

fn area_issue(problem: AreaProblem) -> IssueKind {
    match problem {
        AreaProblem::Missing => IssueKind::AreaMissing,
        AreaProblem::NotPositive => IssueKind::AreaNotPositive,
        AreaProblem::TooManyDecimals => IssueKind::AreaTooManyDecimals,
        AreaProblem::NotANumber => IssueKind::AreaNotANumber,
        AreaProblem::TooLarge => IssueKind::AreaTooLarge,
    }
}
