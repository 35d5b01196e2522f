//! `dirty-roster.csv` states in its `remark` column what each line must give; the parser must
//! report exactly those errors and warnings, at those lines, and read the good lines' areas.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use gongjue_store::StoreError;
use gongjue_store::roster::{IssueKind, RosterIssue, check_roster, parse_roster};

fn dirty() -> Vec<u8> {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/fixtures/dirty-roster.csv");
    std::fs::read(path).unwrap()
}

/// What the remark of one line expects.
#[derive(Debug, Default)]
struct Expected {
    /// line → the error's English message, as the remark writes it.
    errors: BTreeMap<usize, String>,
    warnings: BTreeMap<usize, String>,
    /// line → the normalised area, the last number of an `ok` remark (if it names one).
    areas: BTreeMap<usize, Option<String>>,
    blank: Vec<usize>,
}

/// Reads the remarks with the csv crate directly, by physical line (the file has a blank line).
fn expected() -> Expected {
    let text = String::from_utf8(dirty()).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let mut expected = Expected::default();
    for (index, line) in text.lines().enumerate().skip(1) {
        let number = index + 1;
        if line.trim().is_empty() {
            expected.blank.push(number);
            continue;
        }
        let record = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes())
            .records()
            .next()
            .unwrap()
            .unwrap();
        let remark = record
            .get(10)
            .expect("every line has a remark")
            .trim()
            .to_owned();
        if let Some(message) = remark.strip_prefix("error: ") {
            expected.errors.insert(number, message.to_owned());
        } else if let Some(message) = remark.strip_prefix("warning: ") {
            expected.warnings.insert(number, message.to_owned());
            expected.areas.insert(number, None);
        } else {
            assert!(
                remark.starts_with("ok"),
                "line {number}: unknown remark {remark:?}"
            );
            let area = remark
                .split(|c: char| !(c.is_ascii_digit() || c == '.'))
                .rfind(|word| word.contains('.') && word.len() > 1)
                .map(|word| word.trim_end_matches('.').to_owned());
            expected.areas.insert(number, area);
        }
    }
    expected
}

fn by_line(issues: &[RosterIssue]) -> BTreeMap<usize, String> {
    let mut lines = BTreeMap::new();
    for issue in issues {
        let previous = lines.insert(issue.line, issue.kind.to_string());
        assert!(
            previous.is_none(),
            "line {} has more than one issue: {issues:#?}",
            issue.line
        );
    }
    lines
}

#[test]
fn the_remarks_describe_a_real_mix() {
    // Guards the test itself: the remarks parse into errors, warnings, ok lines and a blank line.
    let expected = expected();
    assert_eq!(expected.errors.len(), 6);
    assert_eq!(expected.warnings.len(), 1);
    assert_eq!(expected.areas.len(), 5);
    assert_eq!(expected.blank, vec![9]);
    assert_eq!(expected.areas[&6].as_deref(), Some("120.50"));
    assert_eq!(expected.areas[&10].as_deref(), Some("1234.50"));
}

#[test]
fn dirty_roster_gives_exactly_the_errors_of_its_remarks() {
    let expected = expected();
    let check = check_roster(&dirty());
    assert_eq!(by_line(&check.errors), expected.errors);
    assert_eq!(by_line(&check.roster.warnings), expected.warnings);
    let skipped: Vec<(usize, IssueKind)> = check
        .roster
        .skipped
        .iter()
        .map(|s| (s.line, s.kind.clone()))
        .collect();
    assert_eq!(
        skipped,
        expected
            .blank
            .iter()
            .map(|line| (*line, IssueKind::BlankLine))
            .collect::<Vec<_>>()
    );
    // Each error names its column as the header writes it.
    for error in &check.errors {
        let column = error.column.as_deref();
        match &error.kind {
            IssueKind::OwnerIdMissing => assert_eq!(column, Some("owner_id")),
            IssueKind::DuplicateUnit { .. } => assert_eq!(column, Some("unit")),
            _ => assert_eq!(column, Some("area_m2"), "{error}"),
        }
    }
    // Every ok or warned line is a unit, with the area its remark names.
    let units: BTreeMap<usize, String> = check
        .roster
        .units
        .iter()
        .map(|u| (u.line, u.area.to_string()))
        .collect();
    assert_eq!(
        units.keys().collect::<Vec<_>>(),
        expected.areas.keys().collect::<Vec<_>>()
    );
    for (line, area) in &expected.areas {
        if let Some(area) = area {
            assert_eq!(&units[line], area, "line {line}");
        }
    }
    assert_eq!(units[&2], "89.50");
}

#[test]
fn dirty_roster_is_refused_as_a_whole() {
    let Err(StoreError::RosterInvalid(errors)) = parse_roster(&dirty()) else {
        panic!("the dirty roster must be refused");
    };
    assert_eq!(errors.len(), 6);
    assert_eq!(
        errors[0].to_string(),
        "line 3, column area_m2: area must be positive"
    );
}
