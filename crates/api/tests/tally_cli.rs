//! `gongjue tally FILE`, run as an auditor runs it: stdout, stderr and exit status.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn gongjue(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongjue"))
        .args(args)
        .output()
        .expect("run gongjue")
}

/// Bundles in one folder, without their expectations.
fn bundles_in(dir: &Path) -> Vec<PathBuf> {
    let mut bundles: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.extension().is_some_and(|x| x == "json")
                && !p.to_string_lossy().ends_with(".expected.json")
        })
        .collect();
    bundles.sort();
    bundles
}

/// The project's examples (`docs/examples`: the spec's public ones, those of its
/// `examples-next` the service implements, and ours), then the spec's `examples` when a parent
/// folder holds `shared/spec` (a checkout may be a worktree nested below it).
fn examples() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut bundles = bundles_in(&root.join("../../docs/examples"));
    if let Some(spec) = root
        .ancestors()
        .map(|d| d.join("shared/spec/examples"))
        .find(|d| d.is_dir())
    {
        bundles.extend(bundles_in(&spec));
    }
    bundles
}

#[test]
fn recounts_every_public_example_exactly() {
    let bundles = examples();
    assert!(bundles.len() >= 22, "{bundles:?}");
    for bundle in bundles {
        let expected: Value =
            serde_json::from_slice(&fs::read(bundle.with_extension("expected.json")).unwrap())
                .unwrap();
        let out = gongjue(&["tally", bundle.to_str().unwrap()]);
        let name = bundle.display();
        assert_eq!(
            out.status.code(),
            expected["exit"].as_u64().map(|c| c as i32),
            "{name}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        if out.status.success() {
            // preserve_order: the same text means the same figures in the same key order.
            let got: Value = serde_json::from_slice(&out.stdout).unwrap();
            assert_eq!(
                serde_json::to_string(&got).unwrap(),
                serde_json::to_string(&expected["result"]).unwrap(),
                "{name}"
            );
        } else {
            let stderr = String::from_utf8(out.stderr).unwrap();
            let path = expected["stderr_names"].as_str().unwrap();
            assert!(
                stderr.lines().any(|l| l.starts_with(&format!("{path}: "))),
                "{name}: {stderr}"
            );
            assert!(out.stdout.is_empty(), "{name}: no result on an input error");
        }
    }
}

#[test]
fn input_errors_name_the_json_path_and_exit_2() {
    let dir = std::env::temp_dir().join(format!("gongjue-tally-cli-{}", std::process::id()));
    fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad-area.json");
    fs::write(&bad, r#"{"format": "gongjue-tally/1", "kind": "motion", "electorate": [
        {"unit": "1", "area": "10.00", "voter": "a"}, {"unit": "2", "area": "10.00", "voter": "b"},
        {"unit": "3", "area": "10.00", "voter": "c"}, {"unit": "4", "area": 89.5, "voter": "d"}], "ballots": []}"#)
    .unwrap();
    let out = gongjue(&["tally", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.starts_with("electorate[3].area: "), "{stderr}");

    let missing = gongjue(&["tally", dir.join("no-such-file.json").to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no-such-file.json"));
    fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn breakdown_adds_figures_by_building_and_zone() {
    let bundle = examples()
        .into_iter()
        .find(|p| p.to_string_lossy().contains("09-concurrent-zone-veto"))
        .unwrap();
    let out = gongjue(&["tally", "--breakdown", bundle.to_str().unwrap()]);
    assert!(out.status.success());
    let result: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(result["outcome"], "rejected");
    assert_eq!(
        result["breakdown"]["zone"]["villa"]["choices"]["no"]["heads"],
        2
    );
    assert_eq!(
        result["breakdown"]["zone"]["high"]["participation"]["area"],
        "450.00"
    );
    assert_eq!(result["breakdown"]["building"]["1"]["totals"]["heads"], 7);
}
