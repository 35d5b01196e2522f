//! Every example `NAME.json` recounts to `NAME.expected.json`: the same figures, the same key
//! order, or the same input error path. The project's own copy, `docs/examples/` (the spec's
//! public examples, those of `examples-next/` it implements, and ours), must be there; the
//! spec's `shared/spec/examples/` is recounted too when a parent folder holds it (not
//! `examples-next/`: it may hold readings not implemented yet). New examples are picked up
//! automatically.

#![allow(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)]

use std::fs;
use std::path::{Path, PathBuf};

use gongjue_domain::{DomainError, bundle};
use serde_json::Value;

/// The project's examples.
fn project_examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/examples")
}

/// The spec's example folders (`examples`, or also `examples-next`), found from the nearest
/// parent folder holding `shared/spec` (a checkout may be a worktree nested below it).
fn spec_examples(with_next: bool) -> Vec<PathBuf> {
    let folders: &[&str] = if with_next {
        &["examples", "examples-next"]
    } else {
        &["examples"]
    };
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .map(|dir| dir.join("shared/spec"))
        .find(|spec| spec.is_dir())
        .map(|spec| {
            folders
                .iter()
                .map(|d| spec.join(d))
                .filter(|d| d.is_dir())
                .collect()
        })
        .unwrap_or_default()
}

/// Pairs of (bundle, expectation) in an examples folder.
fn examples_in(dir: &Path) -> Vec<(PathBuf, PathBuf)> {
    let mut pairs: Vec<(PathBuf, PathBuf)> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
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

fn examples() -> Vec<(PathBuf, PathBuf)> {
    let mut pairs = examples_in(&project_examples());
    for dir in spec_examples(false) {
        pairs.extend(examples_in(&dir));
    }
    pairs
}

#[test]
fn the_project_keeps_the_spec_examples_and_its_own() {
    let names: Vec<String> = examples_in(&project_examples())
        .iter()
        .filter_map(|(b, _)| Some(b.file_name()?.to_str()?.to_owned()))
        .collect();
    assert!(names.len() >= 22, "found {names:?}");
    for name in [
        "01-motion-passes.json",
        "10-error-second-ballot.json",
        "11-follow-joins-the-majority.json",
        "12-error-rule-weaker-than-matter.json",
    ] {
        assert!(
            names.iter().any(|n| n == name),
            "{name} missing in docs/examples"
        );
    }
    // Where the spec is at hand, the project's copies of its examples are the same documents.
    for dir in spec_examples(true) {
        for (bundle, expected) in examples_in(&dir) {
            for file in [bundle, expected] {
                let copy = project_examples().join(file.file_name().unwrap());
                if !copy.exists() {
                    continue;
                }
                let parse = |p: &Path| -> Value {
                    serde_json::from_slice(
                        &fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
                    )
                    .unwrap()
                };
                assert_eq!(
                    parse(&copy),
                    parse(&file),
                    "{} differs from the spec",
                    copy.display()
                );
            }
        }
    }
}

#[test]
fn every_public_example_recounts_to_its_expected_result() {
    let pairs = examples();
    assert!(
        pairs.len() >= 22,
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
