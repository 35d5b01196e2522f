//! Hostile roster files: the shared fixtures mutated (bytes flipped, lines cut, duplicated or
//! shuffled, the file truncated), in UTF-8, GBK and XLSX. Reading never panics and always
//! ends in units or errors, every issue naming a line that exists in the file (CSV) and the
//! column when it is about one cell.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::path::PathBuf;
use std::sync::LazyLock;

use gongjue_store::roster::{IssueKind, RosterCheck, check_roster};
use proptest::prelude::*;

fn fixture(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/fixtures")
        .join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

static ELEVATOR: LazyLock<Vec<u8>> = LazyLock::new(|| fixture("elevator.csv"));
static DIRTY: LazyLock<Vec<u8>> = LazyLock::new(|| fixture("dirty-roster.csv"));
static GBK: LazyLock<Vec<u8>> = LazyLock::new(|| fixture("elevator-zh-gbk.csv"));
static XLSX: LazyLock<Vec<u8>> = LazyLock::new(|| fixture("elevator-export.xlsx"));

/// What holds of every check of a file with `lines` physical lines (None: not a text file).
fn sound(check: &RosterCheck, lines: Option<usize>) -> Result<(), TestCaseError> {
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
        prop_assert!(issue.line >= 1, "{issue}");
        if let Some(lines) = lines {
            prop_assert!(issue.line <= lines, "{issue}: the file has {lines} lines");
        }
        let about_a_cell = matches!(
            issue.kind,
            IssueKind::AreaNotPositive
                | IssueKind::AreaTooManyDecimals
                | IssueKind::AreaNotANumber
                | IssueKind::AreaTooLarge
                | IssueKind::FloorNotANumber
                | IssueKind::EmailMalformed
                | IssueKind::ControlCharacter
                | IssueKind::BidiControl
        );
        if about_a_cell {
            prop_assert!(
                issue.column.as_deref().is_some_and(|c| !c.is_empty()),
                "{issue}: the column is named"
            );
        }
        prop_assert!(!issue.to_string().is_empty());
    }
    for unit in &check.roster.units {
        prop_assert!(
            unit.line >= 2 && lines.is_none_or(|l| unit.line <= l),
            "unit on line {}",
            unit.line
        );
    }
    Ok(())
}

fn physical_lines(bytes: &[u8]) -> usize {
    bytes.split(|b| *b == b'\n').count()
}

/// One edit of a file.
#[derive(Debug, Clone)]
enum Mutation {
    Flip { at: usize, mask: u8 },
    Insert { at: usize, bytes: Vec<u8> },
    Delete { at: usize, len: usize },
    DuplicateLine { line: usize },
    SwapLines { a: usize, b: usize },
    Truncate { at: usize },
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<usize>(), 1u8..=255).prop_map(|(at, mask)| Mutation::Flip { at, mask }),
        (
            any::<usize>(),
            prop::collection::vec(
                prop_oneof![
                    any::<u8>(),
                    Just(b','),
                    Just(b'"'),
                    Just(b'\n'),
                    Just(b'\r'),
                    Just(0u8)
                ],
                1..8
            )
        )
            .prop_map(|(at, bytes)| Mutation::Insert { at, bytes }),
        (any::<usize>(), 1usize..40).prop_map(|(at, len)| Mutation::Delete { at, len }),
        any::<usize>().prop_map(|line| Mutation::DuplicateLine { line }),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines { a, b }),
        any::<usize>().prop_map(|at| Mutation::Truncate { at }),
    ]
}

fn apply(file: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = file.to_vec();
    for mutation in mutations {
        if bytes.is_empty() {
            break;
        }
        let len = bytes.len();
        match mutation {
            Mutation::Flip { at, mask } => bytes[at % len] ^= mask,
            Mutation::Insert { at, bytes: new } => {
                let at = at % (len + 1);
                bytes.splice(at..at, new.iter().copied());
            }
            Mutation::Delete { at, len: n } => {
                let at = at % len;
                bytes.drain(at..(at + n).min(len));
            }
            Mutation::DuplicateLine { line } | Mutation::SwapLines { a: line, .. } => {
                let mut lines: Vec<Vec<u8>> =
                    bytes.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
                let count = lines.len();
                match mutation {
                    Mutation::SwapLines { b, .. } => lines.swap(line % count, b % count),
                    _ => {
                        let copy = lines[line % count].clone();
                        lines.insert(line % count, copy);
                    }
                }
                bytes = lines.join(&b'\n');
            }
            Mutation::Truncate { at } => bytes.truncate(at % len),
        }
    }
    bytes
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn mutated_utf8_rosters_never_panic(file in prop::sample::select(vec![0usize, 1]), mutations in prop::collection::vec(mutation(), 1..6)) {
        let original: &[u8] = if file == 0 { &ELEVATOR } else { &DIRTY };
        let bytes = apply(original, &mutations);
        sound(&check_roster(&bytes), (!bytes.starts_with(b"PK\x03\x04")).then(|| physical_lines(&bytes)))?;
    }

    #[test]
    fn mutated_gbk_rosters_never_panic(mutations in prop::collection::vec(mutation(), 1..6)) {
        let bytes = apply(&GBK, &mutations);
        sound(&check_roster(&bytes), (!bytes.starts_with(b"PK\x03\x04")).then(|| physical_lines(&bytes)))?;
    }

    #[test]
    fn truncated_xlsx_is_an_error_not_a_panic(at in 0usize..16100) {
        let bytes = &XLSX[..at.min(XLSX.len() - 1)];
        let check = check_roster(bytes);
        sound(&check, None)?;
        // A workbook cut short cannot be read; it must say so rather than import part of it.
        if bytes.starts_with(b"PK\x03\x04") {
            prop_assert!(check.roster.units.is_empty() && !check.errors.is_empty(), "{} units from a truncated file", check.roster.units.len());
        }
    }

    #[test]
    fn byte_flipped_xlsx_never_panics(flips in prop::collection::vec((any::<usize>(), 1u8..=255), 1..8)) {
        let mut bytes = XLSX.clone();
        let len = bytes.len();
        for (at, mask) in flips {
            // Keep the zip signature, so that the workbook reader (not the CSV one) gets the file.
            bytes[4 + at % (len - 4)] ^= mask;
        }
        sound(&check_roster(&bytes), None)?;
    }
}

#[test]
fn the_fixtures_themselves_are_sound() {
    for file in [&*ELEVATOR, &*DIRTY, &*GBK] {
        sound(&check_roster(file), Some(physical_lines(file))).unwrap();
    }
    sound(&check_roster(&XLSX), None).unwrap();
}
