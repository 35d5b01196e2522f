//! Rosters as real exports shape them: columns in any order, Chinese and variant headers,
//! GBK, UTF-16 with tabs, title and total rows, and XLSX with errors in it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::PathBuf;

use gongjue_store::roster::{
    ChangedField, IssueKind, ParsedRoster, RosterIssue, check_roster, diff, parse_roster,
};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/fixtures")
            .join(name),
    )
    .unwrap()
}

fn parse(bytes: &[u8]) -> ParsedRoster {
    parse_roster(bytes).unwrap_or_else(|e| panic!("{e:?}"))
}

/// (line, column, message) of every error, for compact assertions.
fn errors(bytes: &[u8]) -> Vec<(usize, Option<String>, String)> {
    check_roster(bytes)
        .errors
        .iter()
        .map(|e: &RosterIssue| (e.line, e.column.clone(), e.kind.to_string()))
        .collect()
}

/// elevator.csv with its columns reversed, a `remark` column in the middle and no zone column.
#[test]
fn columns_in_any_order_among_unneeded_ones() {
    let original = fixture("elevator.csv");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(original.as_slice());
    let mut writer = csv::Writer::from_writer(Vec::new());
    for record in reader.records() {
        let record = record.unwrap();
        let mut fields: Vec<&str> = record.iter().skip(1).collect(); // drop zone (always empty here)
        fields.reverse();
        fields.insert(
            4,
            if fields[0] == "email" {
                "remark"
            } else {
                "see file"
            },
        );
        writer.write_record(&fields).unwrap();
    }
    let shuffled = writer.into_inner().unwrap();
    assert!(
        String::from_utf8_lossy(&shuffled)
            .starts_with("email,phone,owner_name,owner_id,remark,area_m2")
    );
    let units = |roster: ParsedRoster| roster.units;
    assert_eq!(units(parse(&shuffled)), units(parse(&original)));
}

#[test]
fn chinese_variant_headers_full_width_and_suffixes() {
    let text = "\
片区,幢号,楼道,房号,建筑面积（㎡）,产权人编号,产权人,手机,邮箱,备注
北区,5号楼,2单元,301室,８９．５０,Ｐ０００１, 王伟 ,13900000001,ｐ１＠example.com,
北区,5栋,,302,\"1,234.5 平方米\",P0002,李娜,,,空置
";
    let roster = parse(text.as_bytes());
    let numbers: Vec<String> = roster.units.iter().map(|u| u.unit_number()).collect();
    // A missing stairwell is stairwell 1.
    assert_eq!(numbers, ["5-2-301", "5-1-302"]);
    let first = &roster.units[0];
    assert_eq!(
        (
            first.zone.as_str(),
            first.area.to_string(),
            first.owner_id.as_str()
        ),
        ("北区", "89.50".into(), "P0001")
    );
    assert_eq!(first.contact.owner_name.as_deref(), Some("王伟"));
    assert_eq!(first.contact.email.as_deref(), Some("p1@example.com"));
    assert_eq!(first.floor, None);
    assert_eq!(roster.units[1].area.to_string(), "1234.50");
}

#[test]
fn a_roster_without_stairwells_reads_them_as_1_and_still_catches_collisions() {
    let text = "楼号,室号,面积,业主编号\n1,101,80,A\n1,102,80,B\n1,101,81,C\n";
    assert_eq!(
        errors(text.as_bytes()),
        [(
            4,
            Some("室号".into()),
            "duplicate unit 1-1-101 (first on line 2)".into()
        )]
    );
}

#[test]
fn title_rows_total_row_and_utf16_tabs_like_excel_unicode_text() {
    let text = "松石苑业主名册\r\n导出时间：2026-10-31\r\n楼号\t单元\t室号\t建筑面积\t业主编号\r\n51\t1\t101\t102.32\tP1\r\n51\t1\t201\t101.24\tP2\r\n合计\t\t\t203.56\t\r\n";
    let mut bytes = vec![0xFF, 0xFE];
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let check = check_roster(&bytes);
    assert!(check.errors.is_empty(), "{:?}", check.errors);
    assert_eq!(check.roster.units.len(), 2);
    assert_eq!(check.roster.units[0].line, 4);
    let skipped: Vec<(usize, IssueKind)> = check
        .roster
        .skipped
        .iter()
        .map(|s| (s.line, s.kind.clone()))
        .collect();
    assert_eq!(
        skipped,
        [
            (1, IssueKind::AboveHeader),
            (2, IssueKind::AboveHeader),
            (6, IssueKind::TotalRow)
        ]
    );
}

#[test]
fn repeated_headers_are_skipped_and_a_total_needs_an_empty_owner_id() {
    let text = "building,unit,area_m2,owner_id,owner_name\n1,101,80,A,合计\n1,102,80,B,Total\nbuilding,unit,area_m2,owner_id,owner_name\n总计,,160,,\n";
    let check = check_roster(text.as_bytes());
    assert!(check.errors.is_empty(), "{:?}", check.errors);
    // Owners oddly named like a total are still units.
    assert_eq!(check.roster.units.len(), 2);
    let skipped: Vec<(usize, IssueKind)> = check
        .roster
        .skipped
        .iter()
        .map(|s| (s.line, s.kind.clone()))
        .collect();
    assert_eq!(
        skipped,
        [(4, IssueKind::RepeatedHeader), (5, IssueKind::TotalRow)]
    );
}

#[test]
fn every_kind_of_row_error_names_line_and_column() {
    let text = "\
building,stairwell,unit,floor,area_m2,owner_id,email
,1,101,1,80,A,
1,1,,1,80,B,
1,1,103,ten,80,C,
1,1,104,1,1e3,D,
1,1,105,1,80,E,not-an-email
1,1,106,1,0.00,,b@example
";
    assert_eq!(
        errors(text.as_bytes()),
        [
            (2, Some("building".into()), "building missing".into()),
            (3, Some("unit".into()), "room number missing".into()),
            (
                4,
                Some("floor".into()),
                "floor is not a whole number".into()
            ),
            (5, Some("area_m2".into()), "area is not a number".into()),
            (6, Some("email".into()), "email address is malformed".into()),
            (7, Some("area_m2".into()), "area must be positive".into()),
            (7, Some("owner_id".into()), "owner id missing".into()),
            (7, Some("email".into()), "email address is malformed".into()),
        ]
    );
}

#[test]
fn files_that_are_not_rosters_say_why() {
    let message = |bytes: &[u8]| {
        errors(bytes)
            .into_iter()
            .map(|(line, _, message)| (line, message))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        message(b""),
        [(
            1,
            "no header row names the required columns (missing: building, room, area, owner id)"
                .to_owned()
        )]
    );
    assert_eq!(
        message(b"building,unit,owner_id\n1,101,A\n"),
        [(
            1,
            "no header row names the required columns (missing: area)".to_owned()
        )]
    );
    assert_eq!(
        message(b"building,unit,area,owner_id\n\n"),
        [(1, "the roster has no units".to_owned())]
    );
    assert_eq!(
        message(b"building,unit,area,area_m2,owner_id\n1,101,80,80,A\n"),
        [(
            1,
            "column read as area a second time (first: area)".to_owned()
        )]
    );
    assert_eq!(
        message(b"\xFF\xFF\xFF"),
        [(
            1,
            "the file is neither an XLSX workbook nor UTF-8, UTF-16 or GBK text".to_owned()
        )]
    );
    assert!(
        message(b"PK\x03\x04 not really a zip")[0]
            .1
            .starts_with("the workbook cannot be read")
    );
}

/// Replaces text in the first sheet of the XLSX fixture, to make exports with mistakes in them.
fn edited_export(edits: &[(&str, &str)]) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(fixture("elevator-export.xlsx"))).unwrap();
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).unwrap();
        let name = file.name().unwrap().into_owned();
        let mut content = Vec::new();
        file.read_to_end(&mut content).unwrap();
        if name == "xl/worksheets/sheet1.xml" {
            let mut xml = String::from_utf8(content).unwrap();
            for (from, to) in edits {
                assert!(xml.contains(from), "{from}");
                xml = xml.replacen(from, to, 1);
            }
            content = xml.into_bytes();
        }
        writer
            .start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(&content).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

#[test]
fn xlsx_errors_are_named_by_excel_row_and_chinese_column() {
    let bytes = edited_export(&[
        ("<v>102.32</v>", "<v>102.325</v>"),
        ("<t>84.79㎡</t>", "<t>八十四</t>"),
        (
            "<c r=\"F7\" t=\"inlineStr\"><is><t>P000004</t></is></c>",
            "",
        ),
        ("<v>93.43000000000001</v>", "<v>-93.43</v>"),
    ]);
    assert_eq!(
        errors(&bytes),
        [
            (
                4,
                Some("建筑面积".into()),
                "area has more than two decimals".into()
            ),
            (6, Some("建筑面积".into()), "area is not a number".into()),
            (7, Some("业主编号".into()), "owner id missing".into()),
            (187, Some("建筑面积".into()), "area must be positive".into()),
        ]
    );
    // Unchanged, the same rebuild imports cleanly: the edits are what the errors come from.
    assert_eq!(parse(&edited_export(&[])).units.len(), 184);
}

#[test]
fn xlsx_doubles_a_few_ulps_off_read_as_their_two_decimals() {
    // The doubles next to 101.24 and 106.23, and two steps above 80.95, as Excel's arithmetic
    // leaves them; each is a different double from the one the plain text gives.
    let bytes = edited_export(&[
        ("<v>101.24</v>", "<v>101.24000000000001</v>"),
        ("<v>106.23</v>", "<v>106.22999999999999</v>"),
        ("<v>80.95</v>", "<v>80.95000000000003</v>"),
    ]);
    let areas: Vec<String> = parse(&bytes)
        .units
        .iter()
        .take(8)
        .map(|u| u.area.to_string())
        .collect();
    assert_eq!(
        areas,
        [
            "102.32", "101.24", "84.79", "88.69", "106.23", "90.76", "102.59", "80.95"
        ]
    );
}

#[test]
fn a_changed_reimport_reports_added_removed_and_changed_units() {
    let before = parse(&fixture("elevator.csv"));
    let text = String::from_utf8(fixture("elevator.csv")).unwrap();
    let text = text
        .replacen(
            ",51,1,101,1,102.32,P000001,",
            ",51,1,101,1,102.33,P000001,",
            1,
        )
        .replacen(
            ",51,1,201,2,101.24,P000002,",
            ",51,1,201,2,101.24,P999999,",
            1,
        )
        .replacen(",51,1,202,2,84.79,", ",51,1,2020,2,84.79,", 1);
    let after = parse(text.as_bytes());
    let diff = diff(&before.units, &after.units);
    let changed: BTreeMap<String, Vec<ChangedField>> = diff
        .changed
        .iter()
        .map(|c| (c.unit_number.clone(), c.fields.clone()))
        .collect();
    assert_eq!(diff.added, ["51-1-2020"]);
    assert_eq!(diff.removed, ["51-1-202"]);
    assert_eq!(
        changed,
        BTreeMap::from([
            ("51-1-101".into(), vec![ChangedField::Area]),
            ("51-1-201".into(), vec![ChangedField::OwnerId])
        ])
    );
}

/// A damaged or hostile workbook is an error naming the file, never a crash: a cell at the far
/// corner of the sheet (which a naive reader would allocate a billion-cell grid for), and a
/// cell reference whose row number overflows (the reader itself panics on it; found by
/// `roster_hostile.rs`).
#[test]
fn hostile_cell_references_are_reported_not_fatal() {
    let far = edited_export(&[(
        "<c r=\"F7\" t=\"inlineStr\">",
        "<c r=\"XFD1048576\" t=\"inlineStr\">",
    )]);
    let check = gongjue_store::roster::check_roster(&far);
    assert!(
        check
            .errors
            .iter()
            .any(|e| e.line == 1 && e.to_string().contains("1048576 rows by 16384 columns")),
        "{:?}",
        check.errors
    );
    let overflow = edited_export(&[(
        "<c r=\"F7\" t=\"inlineStr\">",
        "<c r=\"F99999999999\" t=\"inlineStr\">",
    )]);
    let check = gongjue_store::roster::check_roster(&overflow);
    assert!(
        check
            .errors
            .iter()
            .any(|e| e.line == 1 && e.to_string().contains("cannot be read")),
        "{:?}",
        check.errors
    );
}

/// A zip bomb: a small upload that inflates past the bound is refused, unread by the reader.
#[test]
fn a_workbook_that_inflates_too_far_is_refused() {
    let mut archive = zip::ZipArchive::new(Cursor::new(fixture("elevator-export.xlsx"))).unwrap();
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).unwrap();
        let name = file.name().unwrap().into_owned();
        let mut content = Vec::new();
        file.read_to_end(&mut content).unwrap();
        writer
            .start_file(name, zip::write::SimpleFileOptions::default())
            .unwrap();
        writer.write_all(&content).unwrap();
    }
    writer
        .start_file(
            "xl/media/padding.bin",
            zip::write::SimpleFileOptions::default(),
        )
        .unwrap();
    let zeros = vec![0u8; 1024 * 1024];
    for _ in 0..300 {
        writer.write_all(&zeros).unwrap();
    }
    let bomb = writer.finish().unwrap().into_inner();
    assert!(
        bomb.len() < 2 * 1024 * 1024,
        "a small upload: {} bytes",
        bomb.len()
    );
    let check = gongjue_store::roster::check_roster(&bomb);
    assert!(
        check
            .errors
            .iter()
            .any(|e| e.line == 1 && e.to_string().contains("inflates to more than 256 MiB")),
        "{:?}",
        check.errors
    );
}

/// A NUL (or another control character) in a cell, as a damaged export carries, is an error
/// naming its line and column; a line break inside a quoted cell is not.
#[test]
fn control_characters_are_named_with_their_cell() {
    let text = "building,room,area,owner_id,owner_name\n1,101,89.50,P1,王\0伟\n1,102,90.00,P2\u{1b},李娜\n1,103,90.00,P3,\"张\n三\"\n";
    let found = errors(text.as_bytes());
    let control = IssueKind::ControlCharacter.to_string();
    assert_eq!(
        found,
        [
            (2, Some("owner_name".into()), control.clone()),
            (3, Some("owner_id".into()), control)
        ]
    );
}
