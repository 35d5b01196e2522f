//! Each input error of `tally-bundle.md`, one per bundle, is reported at its JSON path.

#![allow(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)]

use gongjue_domain::{DomainError, bundle};
use serde_json::{Value, json};

fn units(n: usize) -> Value {
    (1..=n)
        .map(|i| json!({"unit": format!("1-{i}"), "building": "1", "stairwell": "1", "zone": "", "area": "100.00", "voter": format!("v{i}")}))
        .collect()
}

fn motion() -> Value {
    json!({"format": "gongjue-tally/1", "kind": "motion", "title": "t", "rule": "ordinary",
           "electorate": units(3), "ballots": [{"voter": "v1", "choice": "yes"}, {"voter": "v2", "choice": "no"}]})
}

fn election() -> Value {
    json!({"format": "gongjue-tally/1", "kind": "election", "seats": 2, "candidates": ["c1", "c2", "c3"],
           "electorate": units(3), "ballots": [{"voter": "v1", "choice": ["c1"]}]})
}

fn consultation() -> Value {
    json!({"format": "gongjue-tally/1", "kind": "consultation",
           "questions": [{"id": "q1", "options": ["a", "b", "c"], "max_choices": 2},
                         {"id": "q2", "options": ["x", "y"]}],
           "electorate": units(3), "ballots": [{"voter": "v1", "answers": {"q1": ["a"]}}]})
}

/// Reads a bundle that must fail and returns the error paths.
fn error_paths(bundle: &Value) -> Vec<String> {
    match bundle::read(bundle.to_string().as_bytes()) {
        Err(DomainError::InvalidBundle(errors)) => errors.into_iter().map(|e| e.path).collect(),
        other => panic!("expected input errors for {bundle}, got {other:?}"),
    }
}

fn assert_error_at(what: &str, bundle: Value, path: &str) {
    let paths = error_paths(&bundle);
    assert!(
        paths.iter().any(|p| p == path),
        "{what}: expected an error at {path}, got {paths:?}"
    );
}

/// The bundle with the member at `pointer` set (added if it is a new key of an object).
fn with(mut bundle: Value, pointer: &str, value: Value) -> Value {
    let (parent, key) = pointer
        .rsplit_once('/')
        .unwrap_or_else(|| panic!("bad pointer {pointer}"));
    match bundle.pointer_mut(parent) {
        Some(Value::Object(object)) => {
            object.insert(key.to_owned(), value);
        }
        Some(Value::Array(array)) => {
            let i: usize = key
                .parse()
                .unwrap_or_else(|_| panic!("bad index in {pointer}"));
            array[i] = value;
        }
        _ => panic!("no {parent}"),
    }
    bundle
}

#[test]
fn the_base_bundles_are_valid() {
    for b in [motion(), election(), consultation()] {
        assert!(bundle::read(b.to_string().as_bytes()).is_ok(), "{b}");
    }
}

#[test]
fn format_and_kind() {
    assert_error_at(
        "unknown format",
        with(motion(), "/format", json!("gongjue-tally/2")),
        "format",
    );
    let mut no_format = motion();
    no_format.as_object_mut().map(|o| o.remove("format"));
    assert_error_at("missing format", no_format, "format");
    assert_error_at(
        "unknown kind",
        with(motion(), "/kind", json!("referendum")),
        "kind",
    );
    assert_error_at("not JSON", json!("not a bundle"), "(document)");
}

#[test]
fn bad_areas() {
    for bad in ["89.505", "-1", "0", "0.00", "", "abc", "1e2", " 89"] {
        assert_error_at(
            bad,
            with(motion(), "/electorate/2/area", json!(bad)),
            "electorate[2].area",
        );
    }
    assert_error_at(
        "area as a JSON number",
        with(motion(), "/electorate/2/area", json!(89.5)),
        "electorate[2].area",
    );
    let mut missing = motion();
    missing
        .pointer_mut("/electorate/1")
        .and_then(Value::as_object_mut)
        .map(|u| u.remove("area"));
    assert_error_at("missing area", missing, "electorate[1].area");
}

#[test]
fn electorate_errors() {
    assert_error_at(
        "duplicate unit id",
        with(motion(), "/electorate/2/unit", json!("1-1")),
        "electorate[2].unit",
    );
    assert_error_at(
        "empty voter",
        with(motion(), "/electorate/0/voter", json!("")),
        "electorate[0].voter",
    );
    assert_error_at(
        "empty electorate",
        with(motion(), "/electorate", json!([])),
        "electorate",
    );
}

#[test]
fn ballot_errors() {
    assert_error_at(
        "unknown voter",
        with(motion(), "/ballots/1/voter", json!("nobody")),
        "ballots[1].voter",
    );
    assert_error_at(
        "second ballot names the second",
        with(motion(), "/ballots/1/voter", json!("v1")),
        "ballots[1].voter",
    );
    assert_error_at(
        "not a motion choice",
        with(motion(), "/ballots/1/choice", json!("maybe")),
        "ballots[1].choice",
    );
    assert_error_at(
        "list on a motion",
        with(motion(), "/ballots/1/choice", json!(["yes"])),
        "ballots[1].choice",
    );
    assert_error_at(
        "not an election choice",
        with(election(), "/ballots/0/choice", json!("yes")),
        "ballots[0].choice",
    );
    assert_error_at(
        "number as a choice",
        with(motion(), "/ballots/0/choice", json!(1)),
        "ballots[0].choice",
    );
}

#[test]
fn fractions_and_rules() {
    let custom = |fraction: &str| {
        json!({"participation": [{"measure": "area", "op": ">=", "fraction": "2/3", "of": "total"}],
               "approval": [{"measure": "heads", "op": ">", "fraction": fraction, "of": "participating"}]})
    };
    assert!(
        bundle::read(
            with(motion(), "/rule", custom("1/2"))
                .to_string()
                .as_bytes()
        )
        .is_ok()
    );
    for bad in ["1/0", "0/3", "4/3", "1.5/2", "half", "1/2/3"] {
        assert_error_at(
            bad,
            with(motion(), "/rule", custom(bad)),
            "rule.approval[0].fraction",
        );
    }
    assert_error_at(
        "unknown rule",
        with(motion(), "/rule", json!("unanimous")),
        "rule",
    );
    let bad_measure = with(motion(), "/rule", custom("1/2"));
    assert_error_at(
        "unknown measure",
        with(bad_measure, "/rule/participation/0/measure", json!("rooms")),
        "rule.participation[0].measure",
    );
    assert_error_at(
        "unknown op",
        with(
            motion(),
            "/rule",
            with(custom("1/2"), "/approval/0/op", json!("=>")),
        ),
        "rule.approval[0].op",
    );
    assert_error_at(
        "unknown base",
        with(
            motion(),
            "/rule",
            with(custom("1/2"), "/approval/0/of", json!("all")),
        ),
        "rule.approval[0].of",
    );
    let consultation_quorum = with(
        consultation(),
        "/quorum",
        json!([{"measure": "units", "op": ">=", "fraction": "5/4", "of": "total"}]),
    );
    assert_error_at("quorum above 1", consultation_quorum, "quorum[0].fraction");
}

#[test]
fn concurrent_majorities() {
    assert_error_at(
        "concurrent on an election",
        with(election(), "/concurrent", json!("zone")),
        "concurrent",
    );
    assert_error_at(
        "concurrent on a consultation",
        with(consultation(), "/concurrent", json!("zone")),
        "concurrent",
    );
    assert_error_at(
        "unknown grouping",
        with(motion(), "/concurrent", json!("floor")),
        "concurrent",
    );
    // Every unit needs a zone when zones hold a veto.
    let zoned = with(
        with(motion(), "/concurrent", json!("zone")),
        "/electorate/0/zone",
        json!("a"),
    );
    let zoned = with(zoned, "/electorate/1/zone", json!("b"));
    assert_error_at("unit without a zone", zoned, "electorate[2].zone");
}

#[test]
fn election_definition() {
    assert_error_at("no seats", with(election(), "/seats", json!(0)), "seats");
    assert_error_at(
        "candidate twice",
        with(election(), "/candidates", json!(["c1", "c2", "c1"])),
        "candidates[2]",
    );
    assert_error_at(
        "unknown ranking",
        with(election(), "/rank_by", json!(["heads", "age"])),
        "rank_by[1]",
    );
}

#[test]
fn consultation_answers() {
    let answer = |q: &str, a: Value| with(consultation(), "/ballots/0/answers", json!({ q: a }));
    assert_error_at(
        "empty answer",
        answer("q1", json!([])),
        "ballots[0].answers.q1",
    );
    assert_error_at(
        "too many",
        answer("q1", json!(["a", "b", "c"])),
        "ballots[0].answers.q1",
    );
    assert_error_at(
        "too many, single choice",
        answer("q2", json!(["x", "y"])),
        "ballots[0].answers.q2",
    );
    assert_error_at(
        "unknown option",
        answer("q1", json!(["z"])),
        "ballots[0].answers.q1",
    );
    assert_error_at(
        "repeated option",
        answer("q1", json!(["a", "a"])),
        "ballots[0].answers.q1",
    );
    assert_error_at(
        "unknown question",
        answer("q9", json!(["a"])),
        "ballots[0].answers.q9",
    );
    assert_error_at(
        "missing answers",
        with(consultation(), "/ballots/0", json!({"voter": "v1"})),
        "ballots[0].answers",
    );
    assert_error_at(
        "question twice",
        with(consultation(), "/questions/1/id", json!("q1")),
        "questions[1].id",
    );
    assert_error_at(
        "option twice",
        with(consultation(), "/questions/1/options", json!(["x", "x"])),
        "questions[1].options[1]",
    );
    assert_error_at(
        "zero choices",
        with(consultation(), "/questions/1/max_choices", json!(0)),
        "questions[1].max_choices",
    );
}

#[test]
fn an_election_ballot_that_breaks_the_form_is_invalid_not_an_input_error() {
    for marks in [
        json!(["c1", "c2", "c3"]),
        json!(["c1", "c9"]),
        json!(["c1", "c1"]),
    ] {
        let b = with(election(), "/ballots/0/choice", marks.clone());
        let result = bundle::read(b.to_string().as_bytes())
            .map(|t| serde_json::to_value(t.result()).unwrap_or_default());
        let result = result.unwrap_or_else(|e| panic!("{marks}: {e}"));
        assert_eq!(
            result["participation"]["heads"], 1,
            "{marks}: an invalid ballot still takes part"
        );
        assert!(
            result["candidates"]
                .as_array()
                .is_some_and(|c| c.iter().all(|c| c["heads"] == 0)),
            "{marks}"
        );
    }
}

#[test]
fn a_ballot_of_another_kind_is_named_where_it_goes_wrong() {
    assert_error_at(
        "motion ballot in a consultation",
        with(
            consultation(),
            "/ballots/0",
            json!({"voter": "v1", "choice": "yes"}),
        ),
        "ballots[0].choice",
    );
    assert_error_at(
        "consultation ballot on a motion",
        with(
            motion(),
            "/ballots/0",
            json!({"voter": "v1", "answers": {"q1": ["a"]}}),
        ),
        "ballots[0].answers",
    );
    assert_error_at(
        "consultation ballot in an election",
        with(
            election(),
            "/ballots/0",
            json!({"voter": "v1", "answers": {}}),
        ),
        "ballots[0].answers",
    );
}
