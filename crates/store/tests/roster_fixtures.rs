//! Every shared fixture imports cleanly, to the units the generator wrote.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::path::PathBuf;

use gongjue_domain::area::Area;
use gongjue_store::roster::{IssueKind, ParsedRoster, RosterUnit, parse_roster};

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn parse(name: &str) -> ParsedRoster {
    match parse_roster(&fixture(name)) {
        Ok(roster) => roster,
        Err(error) => panic!("{name}: {error:?}"),
    }
}

fn total(roster: &ParsedRoster) -> Area {
    roster.units.iter().map(|u| u.area.area()).sum()
}

/// Everything about a unit except the line it was read from.
fn by_number(roster: &ParsedRoster) -> BTreeMap<String, RosterUnit> {
    roster
        .units
        .iter()
        .map(|u| {
            (
                u.unit_number(),
                RosterUnit {
                    line: 0,
                    ..u.clone()
                },
            )
        })
        .collect()
}

#[test]
fn english_fixtures_import_cleanly() {
    for (name, units, area, owners) in [
        ("lakeside.csv", 784, "132795.83", 761),
        ("elevator.csv", 184, "17644.76", 180),
        ("zoned.csv", 3762, "423080.96", 3634),
    ] {
        let roster = parse(name);
        assert_eq!(roster.units.len(), units, "{name}");
        assert_eq!(total(&roster).to_string(), area, "{name}");
        let distinct: std::collections::BTreeSet<_> =
            roster.units.iter().map(|u| &u.owner_id).collect();
        assert_eq!(distinct.len(), owners, "{name}");
        assert!(roster.warnings.is_empty(), "{name}: {:?}", roster.warnings);
        assert!(roster.skipped.is_empty(), "{name}: {:?}", roster.skipped);
        // Data starts on line 2, under the header.
        assert_eq!(roster.units[0].line, 2);
        assert_eq!(roster.units.last().unwrap().line, units + 1);
    }
    let zoned = parse("zoned.csv");
    assert_eq!(zoned.units[0].zone, "villa");
    assert_eq!(zoned.units.last().unwrap().unit_number(), "254-1-102");
}

#[test]
fn a_unit_reads_every_column() {
    let elevator = parse("elevator.csv");
    let third = &elevator.units[2];
    assert_eq!(third.unit_number(), "51-1-202");
    assert_eq!(
        (third.zone.as_str(), third.floor, third.area.to_string()),
        ("", Some(2), "84.79".to_owned())
    );
    assert_eq!(third.owner_id, "P000003");
    assert_eq!(third.contact.owner_name.as_deref(), Some("廖欣"));
    assert_eq!(third.contact.phone.as_deref(), Some("13985498798"));
    assert_eq!(third.contact.email.as_deref(), Some("p000003@example.com"));
    assert_eq!(elevator.units[0].contact.email, None);
}

/// `gen_roster.py elevator --headers zh --seed 731`, saved as GBK: the same building layout as
/// elevator.csv with other owners and areas.
#[test]
fn gbk_fixture_with_chinese_headers_imports_cleanly() {
    let bytes = fixture("elevator-zh-gbk.csv");
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture is meant to be GBK"
    );
    let roster = parse("elevator-zh-gbk.csv");
    assert_eq!(roster.units.len(), 184);
    assert_eq!(total(&roster).to_string(), "17637.89");
    let first = &roster.units[0];
    assert_eq!(
        (
            first.unit_number(),
            first.area.to_string(),
            first.owner_id.as_str()
        ),
        ("51-1-101".into(), "109.74".into(), "P000001")
    );
    assert_eq!(first.contact.owner_name.as_deref(), Some("万伟"));
    assert_eq!(
        roster.units[1].contact.owner_name.as_deref(),
        Some("汤佳、金海")
    );
    assert_eq!(
        roster.units.last().unwrap().contact.owner_name.as_deref(),
        Some("蔡国明")
    );
    // Same units (numbers) as elevator.csv.
    let elevator: Vec<String> = parse("elevator.csv")
        .units
        .iter()
        .map(RosterUnit::unit_number)
        .collect();
    let gbk: Vec<String> = roster.units.iter().map(RosterUnit::unit_number).collect();
    assert_eq!(gbk, elevator);
}

/// The GBK fixture decodes to exactly what the generator writes as UTF-8 (checked with Python's
/// codec, independent of ours). Needs python3, as the fixture tooling does.
#[test]
fn gbk_fixture_equals_the_generators_utf8_output() {
    let tool =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/tools/gen_roster.py");
    let output = std::process::Command::new("python3")
        .arg(&tool)
        .args(["elevator", "--headers", "zh", "--seed", "731"])
        .output()
        .expect("python3 runs the fixture generator");
    assert!(output.status.success());
    let utf8 = parse_roster(&output.stdout).unwrap();
    assert_eq!(utf8, parse("elevator-zh-gbk.csv"));
}

#[test]
fn xlsx_export_imports_to_the_same_units_as_the_csv() {
    let xlsx = parse("elevator-export.xlsx");
    let csv = parse("elevator.csv");
    assert_eq!(xlsx.units.len(), 184);
    assert_eq!(total(&xlsx).to_string(), "17644.76");
    assert_eq!(by_number(&xlsx), by_number(&csv));
    // Rows as Excel numbers them: title, info, header on row 3, units from row 4, total on 188.
    assert_eq!(xlsx.units[0].line, 4);
    let skipped: Vec<(usize, IssueKind)> = xlsx
        .skipped
        .iter()
        .map(|s| (s.line, s.kind.clone()))
        .collect();
    assert_eq!(
        skipped,
        vec![
            (1, IssueKind::AboveHeader),
            (2, IssueKind::AboveHeader),
            (188, IssueKind::TotalRow)
        ]
    );
    assert!(xlsx.warnings.is_empty());
}
