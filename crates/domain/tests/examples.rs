//! Every public example `../shared/spec/examples/NAME.json` recounts to `NAME.expected.json`:
//! the same figures, the same key order, or the same input error path. New examples are picked
//! up automatically.

#![allow(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

use gongjue_domain::{DomainError, bundle};
use serde_json::Value;

fn examples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/spec/examples")
}

/// Pairs of (bundle, expectation) in the examples folder.
fn examples() -> Vec<(PathBuf, PathBuf)> {
    let mut pairs: Vec<(PathBuf, PathBuf)> = fs::read_dir(examples_dir())
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", examples_dir().display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter_map(|path| {
            let name = path
                .file_name()?
                .to_str()?
                .strip_suffix(".expected.json")?
                .to_owned();
            Some((path.with_file_name(format!("{name}.json")), path))
        })
        .collect();
    pairs.sort();
    pairs
}

#[test]
fn every_public_example_recounts_to_its_expected_result() {
    let pairs = examples();
    assert!(
        pairs.len() >= 10,
        "expected the public examples, found {}",
        pairs.len()
    );
    for (bundle_path, expected_path) in pairs {
        let name = bundle_path.display();
        let expected: Value = serde_json::from_slice(&fs::read(&expected_path).unwrap_or_default())
            .unwrap_or_else(|e| panic!("{}: {e}", expected_path.display()));
        let bytes = fs::read(&bundle_path).unwrap_or_else(|e| panic!("{name}: {e}"));
        match (bundle::read(&bytes), expected["exit"].as_u64()) {
            (Ok(tally), Some(0)) => {
                // With serde_json's preserve_order, equal strings mean equal values in equal key order.
                let got = serde_json::to_string_pretty(&tally.result()).unwrap_or_default();
                let want = serde_json::to_string_pretty(&expected["result"]).unwrap_or_default();
                assert_eq!(got, want, "{name}");
            }
            (Err(DomainError::InvalidBundle(errors)), Some(2)) => {
                let path = expected["stderr_names"]
                    .as_str()
                    .unwrap_or_else(|| panic!("{name}: no stderr_names"));
                assert!(
                    errors.iter().any(|e| e.path == path),
                    "{name}: expected an error at {path}, got {errors:?}"
                );
            }
            (got, exit) => panic!("{name}: expected exit {exit:?}, got {got:?}"),
        }
    }
}
