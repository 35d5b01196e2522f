//! The owner roster (业主名册) of an estate: importing a file as the next roster version, the
//! import's report in the reader's language, the current version, and its units.

use gongjue_domain::area::Area;
use gongjue_store::Store;
use gongjue_store::listing::{Page, Window};
use gongjue_store::roster::{IssueKind, RosterIssue};
use gongjue_store::rosters::{ImportReport, RosterCounts};
use serde::Serialize;
use utoipa::ToSchema;

use crate::i18n::{self, Lang, Msg};
use crate::usecases::{StaffCaller, UseCaseError};

#[derive(Debug, Serialize, ToSchema)]
pub struct Note {
    pub line: usize,
    pub column: Option<String>,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportReportOut {
    pub roster_version: i64,
    pub units: i64,
    pub total_area: String,
    /// Unit numbers added and removed since the previous version.
    pub added: Vec<String>,
    pub removed: Vec<String>,
    pub changed: Vec<UnitChangeOut>,
    pub skipped: Vec<Note>,
    pub warnings: Vec<Note>,
}

/// A unit whose voting data changed since the previous roster version.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnitChangeOut {
    pub unit: String,
    #[schema(schema_with = crate::schema_refs::changed_fields)]
    pub fields: Vec<&'static str>,
}

/// Imports a roster file (CSV in UTF-8, UTF-16 or GBK, or XLSX) as the estate's next roster
/// version, for a secretary or admin of the estate. A roster with errors stores nothing: the
/// error is `UseCaseError::Store(StoreError::RosterInvalid(issues))`, every issue with its line
/// (see [`issue_notes`]).
pub fn import_roster(
    store: &Store,
    staff: &StaffCaller,
    estate_id: &str,
    file_name: &str,
    bytes: &[u8],
    lang: Lang,
) -> Result<ImportReportOut, UseCaseError> {
    staff.writes(estate_id)?;
    let report = store.import_roster_file(estate_id, file_name, bytes, &staff.actor())?;
    Ok(report_out(report, lang))
}

/// A roster's issues (errors, skipped lines, warnings) in the reader's language.
pub fn issue_notes(issues: &[RosterIssue], lang: Lang) -> Vec<Note> {
    issues
        .iter()
        .map(|i| Note {
            line: i.line,
            column: i.column.clone(),
            message: i18n::roster_issue(&i.kind, lang),
        })
        .collect()
}

/// An import's report in the reader's language (the JSON route and the roster page show it).
pub fn report_out(report: ImportReport, lang: Lang) -> ImportReportOut {
    ImportReportOut {
        roster_version: report.roster_version.version,
        units: report.roster_version.units_count,
        total_area: report.total_area.to_string(),
        skipped: issue_notes(&report.skipped, lang),
        warnings: issue_notes(&report.warnings, lang),
        changed: report
            .changes
            .changed
            .into_iter()
            .map(|c| UnitChangeOut {
                unit: c.unit_number,
                fields: c.fields.iter().map(|f| f.name()).collect(),
            })
            .collect(),
        added: report.changes.added,
        removed: report.changes.removed,
    }
}

/// The estate's current roster version, or zeros before any import.
#[derive(Debug, Clone, Copy)]
pub struct RosterSummary {
    pub version: i64,
    pub units: i64,
}

/// The current roster version of the caller's own estate (the roster page's heading).
pub fn current_roster(store: &Store, staff: &StaffCaller) -> Result<RosterSummary, UseCaseError> {
    staff.reads(&staff.estate)?;
    let latest = store
        .roster_versions(&staff.estate)?
        .into_iter()
        .max_by_key(|v| v.version);
    Ok(latest.map_or(
        RosterSummary {
            version: 0,
            units: 0,
        },
        |v| RosterSummary {
            version: v.version,
            units: v.units_count,
        },
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UnitOut {
    pub unit: String,
    pub zone: String,
    pub building: String,
    pub stairwell: String,
    pub room: String,
    pub floor: Option<i32>,
    pub area: String,
    /// The voting member's identity (业主编号). Names and contacts are not exposed here.
    pub owner_id: String,
}

/// One page of the units of the estate's current roster version (voting data only), by unit
/// number, with the version they were read from (none before any import): a client that sees
/// it change between pages knows a roster was imported meanwhile.
pub fn units_page(
    store: &Store,
    staff: &StaffCaller,
    estate_id: &str,
    window: Window,
) -> Result<(Page<UnitOut>, Option<i64>), UseCaseError> {
    staff.reads(estate_id)?;
    let (page, version) = store.units_page(estate_id, window)?;
    let rows = page
        .rows
        .into_iter()
        .map(|u| UnitOut {
            unit: u.unit_number,
            zone: u.zone,
            building: u.building,
            stairwell: u.stairwell,
            room: u.room,
            floor: u.floor,
            area: Area::from_cents(u64::try_from(u.area_cents).unwrap_or(0)).to_string(),
            owner_id: u.owner_id,
        })
        .collect();
    Ok((
        Page {
            rows,
            total: page.total,
        },
        version.map(|v| v.version),
    ))
}

/// Issues of one kind, counted, with the lines they are on (the first few, then "and N more"):
/// a roster of 3,000 lines with 200 blank ones reads as one row, not 200.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssueGroup {
    pub label: String,
    pub count: usize,
    pub lines: String,
}

/// How many lines a group names before "and N more".
const LINES_SHOWN: usize = 10;

/// Issues grouped by kind, in the order each kind first occurs, in the reader's language.
pub fn issue_groups(issues: &[RosterIssue], lang: Lang) -> Vec<IssueGroup> {
    let mut groups: Vec<(std::mem::Discriminant<IssueKind>, String, Vec<usize>)> = Vec::new();
    for issue in issues {
        let key = std::mem::discriminant(&issue.kind);
        match groups.iter_mut().find(|(k, _, _)| *k == key) {
            Some((_, _, lines)) => lines.push(issue.line),
            None => {
                let label = match &issue.kind {
                    IssueKind::DuplicateUnit { .. } => {
                        Msg::WebRosterGroupDuplicate.text(lang).to_owned()
                    }
                    IssueKind::OwnerNamedTwice { .. } => {
                        Msg::WebRosterGroupNamedTwice.text(lang).to_owned()
                    }
                    other => i18n::roster_issue(other, lang),
                };
                groups.push((key, label, vec![issue.line]));
            }
        }
    }
    groups
        .into_iter()
        .map(|(_, label, lines)| IssueGroup {
            label,
            count: lines.len(),
            lines: limited(
                &lines.iter().map(ToString::to_string).collect::<Vec<_>>(),
                LINES_SHOWN,
                lang,
            ),
        })
        .collect()
}

/// The first `shown` entries of a list, then "……另有 N 个" for the rest.
pub fn limited(list: &[String], shown: usize, lang: Lang) -> String {
    let sep = Msg::ListSeparator.text(lang);
    let mut text = list
        .iter()
        .take(shown)
        .cloned()
        .collect::<Vec<_>>()
        .join(sep);
    if list.len() > shown {
        text.push_str(&Msg::WebRosterMore.text_with(lang, &[("n", (list.len() - shown).into())]));
    }
    text
}

/// An import for the roster page: the report, its skipped lines and warnings grouped by kind.
pub fn import_roster_grouped(
    store: &Store,
    staff: &StaffCaller,
    estate_id: &str,
    file_name: &str,
    bytes: &[u8],
    lang: Lang,
) -> Result<(ImportReportOut, Vec<IssueGroup>), UseCaseError> {
    staff.writes(estate_id)?;
    let report = store.import_roster_file(estate_id, file_name, bytes, &staff.actor())?;
    let mut issues = report.skipped.clone();
    issues.extend(report.warnings.iter().cloned());
    Ok((report_out(report, lang), issue_groups(&issues, lang)))
}

/// The figures of the caller's estate's current roster: units, members (each owner once),
/// developer units, members with an e-mail address or a phone (none before any import).
pub fn roster_counts(
    store: &Store,
    staff: &StaffCaller,
) -> Result<Option<RosterCounts>, UseCaseError> {
    staff.reads(&staff.estate)?;
    Ok(store.current_roster_counts(&staff.estate)?)
}
