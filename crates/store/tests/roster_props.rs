//! Whatever a file holds, reading it never panics; and areas however written read back exactly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use gongjue_domain::area::Area;
use gongjue_store::roster::{RosterCheck, check_roster};
use proptest::prelude::*;

/// What holds of every check, good file or not.
fn consistent(check: &RosterCheck) -> Result<(), TestCaseError> {
    prop_assert!(
        !check.errors.is_empty() || !check.roster.units.is_empty(),
        "neither units nor errors"
    );
    for issue in check
        .errors
        .iter()
        .chain(&check.roster.warnings)
        .chain(&check.roster.skipped)
    {
        prop_assert!(issue.line >= 1);
        let _ = issue.to_string();
    }
    Ok(())
}

/// Cells a roster's cells are made of, mistakes included.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9０-９.,，㎡m2 \\-]{0,8}",
        "[A-Za-z@.]{0,6}",
        "\"[^\"]{0,6}\"",
        Just("合计".to_owned()),
        Just("楼号".to_owned()),
        Just("单元".to_owned()),
        Just("室号".to_owned()),
        Just("建筑面积".to_owned()),
        Just("业主编号".to_owned()),
        Just("邮箱".to_owned()),
        "\\PC{0,4}",
    ]
}

fn csvish() -> impl Strategy<Value = String> {
    let line = prop::collection::vec(cell(), 0..8);
    (
        prop::collection::vec(line, 0..12),
        prop::sample::select(vec![",", "\t", ";"]),
        prop::sample::select(vec!["\n", "\r\n"]),
    )
        .prop_map(|(lines, delimiter, newline)| {
            let mut text =
                String::from("楼号,单元,室号,建筑面积,业主编号,邮箱\n").replace(',', delimiter);
            for line in lines {
                text.push_str(&line.join(delimiter));
                text.push_str(newline);
            }
            text
        })
}

/// An area in hundredths, written the ways exports write it.
fn written_area() -> impl Strategy<Value = (u64, String)> {
    (1u64..100_000_000, 0..5usize).prop_map(|(cents, style)| {
        let plain = Area::from_cents(cents).to_string();
        let text = match style {
            0 => plain,
            1 => plain
                .chars()
                .map(|c| {
                    if c.is_ascii_digit() {
                        char::from_u32(u32::from(c) + 0xFEE0).unwrap()
                    } else {
                        '．'
                    }
                })
                .collect(),
            2 => format!("{plain}㎡"),
            3 => format!(" {plain} 平方米"),
            _ => {
                let (whole, fraction) = plain.split_once('.').unwrap();
                let digits: Vec<char> = whole.chars().collect();
                let groups: Vec<String> = digits
                    .rchunks(3)
                    .rev()
                    .map(|g| g.iter().collect())
                    .collect();
                format!("\"{}.{fraction}\"", groups.join(","))
            }
        };
        (cents, text)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        consistent(&check_roster(&bytes))?;
    }

    #[test]
    fn arbitrary_bytes_behind_a_zip_signature_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
        let mut file = b"PK\x03\x04".to_vec();
        file.extend(bytes);
        consistent(&check_roster(&file))?;
    }

    #[test]
    fn csvish_text_never_panics(text in csvish()) {
        consistent(&check_roster(text.as_bytes()))?;
        // The same text in GBK (where it can be encoded) gives the same result.
        let (gbk, _, unmappable) = encoding_rs::GBK.encode(&text);
        if !unmappable && std::str::from_utf8(&gbk).is_err() {
            prop_assert_eq!(check_roster(&gbk), check_roster(text.as_bytes()));
        }
    }

    #[test]
    fn areas_however_written_read_back_exactly(areas in prop::collection::vec(written_area(), 1..40)) {
        let mut text = String::from("building,stairwell,unit,area_m2,owner_id\n");
        for (room, (_, written)) in areas.iter().enumerate() {
            text.push_str(&format!("1,1,{room},{written},P{room}\n"));
        }
        let check = check_roster(text.as_bytes());
        prop_assert!(check.errors.is_empty(), "{:?}\n{}", check.errors, text);
        let read: Vec<u64> = check.roster.units.iter().map(|u| u.area.area().cents()).collect();
        let written: Vec<u64> = areas.iter().map(|(cents, _)| *cents).collect();
        prop_assert_eq!(read, written);
    }
}
