//! Each boundary of art. 278 pinned: exactly 2/3, exactly 1/2, exactly 3/4, and one cent (or one
//! head) either side. "以上" includes the boundary, "过半数" excludes it.

#![allow(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)]

use gongjue_domain::bundle;
use serde_json::{Value, json};

/// Counts a motion where unit i (area `areas[i]`) belongs to voter `voters[i]` and voter i's
/// ballot is `choices[i]` (None: no ballot).
fn motion(rule: &str, areas: &[&str], voters: &[&str], choices: &[(&str, &str)]) -> Value {
    let electorate: Vec<Value> = areas
        .iter()
        .zip(voters)
        .enumerate()
        .map(|(i, (area, voter))| json!({"unit": format!("u{i}"), "building": "1", "stairwell": "1", "zone": "", "area": area, "voter": voter}))
        .collect();
    let ballots: Vec<Value> = choices
        .iter()
        .map(|(voter, choice)| json!({"voter": voter, "choice": choice}))
        .collect();
    let bundle = json!({"format": "gongjue-tally/1", "kind": "motion", "rule": rule, "electorate": electorate, "ballots": ballots});
    let tally = bundle::read(bundle.to_string().as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    serde_json::to_value(tally.result()).unwrap_or_default()
}

const ABC: [&str; 3] = ["a", "b", "c"];

#[test]
fn participation_area_exactly_two_thirds_is_enough_one_cent_less_is_not() {
    let yes = [("a", "yes"), ("b", "yes")];
    assert_eq!(
        motion("ordinary", &["100.00", "100.00", "100.00"], &ABC, &yes)["outcome"],
        "passed"
    );
    let short = motion("ordinary", &["99.99", "100.00", "100.01"], &ABC, &yes);
    assert_eq!(short["participation"]["area"], "199.99");
    assert_eq!(short["outcome"], "no_quorum");
    assert_eq!(
        short["approval"]["met"], true,
        "approval is still reported without a quorum"
    );
    assert_eq!(
        motion("ordinary", &["100.01", "100.00", "99.99"], &ABC, &yes)["outcome"],
        "passed"
    );
}

#[test]
fn participation_heads_exactly_two_thirds_is_enough_one_less_is_not() {
    let six = ["a", "b", "c", "d", "e", "f"];
    let areas = ["500.00", "100.00", "100.00", "100.00", "1.00", "1.00"];
    let four = [("a", "yes"), ("b", "yes"), ("c", "yes"), ("d", "yes")];
    assert_eq!(motion("ordinary", &areas, &six, &four)["outcome"], "passed");
    // Three heads hold 700 of 802 m²: the area is there, the heads are not.
    let three = motion("ordinary", &areas, &six, &four[..3]);
    assert_eq!(three["participation"]["met"], false);
    assert_eq!(three["outcome"], "no_quorum");
}

#[test]
fn approval_needs_more_than_half_of_the_participating_area() {
    let four = ["a", "b", "c", "d"];
    let ballots = [("a", "yes"), ("b", "yes"), ("c", "yes"), ("d", "no")];
    // Yes holds exactly half the participating area (300 of 600): not 过半数.
    let half = motion(
        "ordinary",
        &["100.00", "100.00", "100.00", "300.00"],
        &four,
        &ballots,
    );
    assert_eq!(
        (
            half["choices"]["yes"]["area"].as_str(),
            half["outcome"].as_str()
        ),
        (Some("300.00"), Some("rejected"))
    );
    // One cent more.
    let above = motion(
        "ordinary",
        &["100.00", "100.00", "100.01", "300.00"],
        &four,
        &ballots,
    );
    assert_eq!(above["outcome"], "passed");
}

#[test]
fn approval_needs_more_than_half_of_the_participating_heads() {
    let four = ["a", "b", "c", "d"];
    let areas = ["300.00", "300.00", "1.00", "1.00"];
    let two = motion(
        "ordinary",
        &areas,
        &four,
        &[("a", "yes"), ("b", "yes"), ("c", "no"), ("d", "abstain")],
    );
    assert_eq!(two["outcome"], "rejected", "2 of 4 heads is exactly half");
    let three = motion(
        "ordinary",
        &areas,
        &four,
        &[("a", "yes"), ("b", "yes"), ("c", "yes"), ("d", "abstain")],
    );
    assert_eq!(three["outcome"], "passed");
}

#[test]
fn special_matters_need_three_quarters_boundary_included() {
    let eight = ["a", "b", "c", "d", "e", "f", "g", "h"];
    let ballots: Vec<(&str, &str)> = eight
        .iter()
        .enumerate()
        .map(|(i, v)| (*v, if i < 6 { "yes" } else { "no" }))
        .collect();
    let even = ["100.00"; 8];
    assert_eq!(
        motion("special", &even, &eight, &ballots)["outcome"],
        "passed",
        "exactly 3/4 of area and heads"
    );
    let short = [
        "100.00", "100.00", "100.00", "100.00", "100.00", "99.99", "100.00", "100.01",
    ];
    assert_eq!(
        motion("special", &short, &eight, &ballots)["outcome"],
        "rejected",
        "one cent under 3/4 of the area"
    );
    let over = [
        "100.00", "100.00", "100.00", "100.00", "100.00", "100.01", "100.00", "99.99",
    ];
    assert_eq!(
        motion("special", &over, &eight, &ballots)["outcome"],
        "passed"
    );
    let five_yes: Vec<(&str, &str)> = eight
        .iter()
        .enumerate()
        .map(|(i, v)| (*v, if i < 5 { "yes" } else { "no" }))
        .collect();
    assert_eq!(
        motion("special", &even, &eight, &five_yes)["outcome"],
        "rejected",
        "5 of 8 heads"
    );
    assert_eq!(
        motion("ordinary", &even, &eight, &five_yes)["outcome"],
        "passed",
        "5 of 8 is a simple majority"
    );
}

#[test]
fn invalid_ballots_take_part_and_weigh_against_approval_unless_configured_otherwise() {
    let four = ["a", "b", "c", "d"];
    let areas = ["100.00"; 4];
    let ballots = [
        ("a", "yes"),
        ("b", "yes"),
        ("c", "invalid"),
        ("d", "invalid"),
    ];
    assert_eq!(
        motion("ordinary", &areas, &four, &ballots)["outcome"],
        "rejected",
        "2 yes of 4 participating"
    );
    let electorate: Vec<Value> = (0..4)
        .map(|i| json!({"unit": format!("u{i}"), "area": "100", "voter": four[i]}))
        .collect();
    let ballots: Vec<Value> = ballots
        .iter()
        .map(|(v, c)| json!({"voter": v, "choice": c}))
        .collect();
    let custom = json!({"participation": [], "approval": [{"measure": "heads", "op": ">", "fraction": "1/2", "of": "participating"}]});
    let bundle = json!({"format": "gongjue-tally/1", "kind": "motion", "rule": custom, "invalid_counts_as_participation": false,
                        "electorate": electorate, "ballots": ballots});
    let result = serde_json::to_value(
        bundle::read(bundle.to_string().as_bytes())
            .map(|t| t.result())
            .unwrap_or_else(|e| panic!("{e}")),
    )
    .unwrap_or_default();
    assert_eq!(result["participation"]["heads"], 2);
    assert_eq!(result["choices"]["invalid"]["heads"], 2, "still reported");
    assert_eq!(result["outcome"], "passed", "2 yes of 2 participating");
}

#[test]
fn a_candidate_qualifies_with_more_than_half_of_participating_heads_and_area() {
    let electorate: Vec<Value> = (0..4)
        .map(|i| json!({"unit": format!("u{i}"), "area": "100", "voter": format!("v{i}")}))
        .collect();
    let ballots = json!([{"voter": "v0", "choice": ["x", "y"]}, {"voter": "v1", "choice": ["x", "y"]},
                         {"voter": "v2", "choice": ["x"]}, {"voter": "v3", "choice": "abstain"}]);
    let bundle = json!({"format": "gongjue-tally/1", "kind": "election", "seats": 2, "candidates": ["x", "y"],
                        "electorate": electorate, "ballots": ballots});
    let result = serde_json::to_value(
        bundle::read(bundle.to_string().as_bytes())
            .map(|t| t.result())
            .unwrap_or_else(|e| panic!("{e}")),
    )
    .unwrap_or_default();
    assert_eq!(result["candidates"][0]["qualified"], true, "3 of 4");
    assert_eq!(
        result["candidates"][1]["qualified"], false,
        "exactly 2 of 4 is not more than half"
    );
    assert_eq!(result["elected"], json!(["x"]));
    assert_eq!(result["unfilled"], 1);
}

#[test]
fn four_fifths_of_units_exactly_is_adopted_one_unit_less_is_not() {
    let consult = |agree: usize| {
        let electorate: Vec<Value> = (0..10)
            .map(|i| json!({"unit": format!("u{i}"), "area": "95", "voter": format!("v{i}")}))
            .collect();
        let ballots: Vec<Value> =
            (0..10).map(|i| json!({"voter": format!("v{i}"), "answers": {"q": [if i < agree { "agree" } else { "disagree" }]}})).collect();
        let bundle = json!({"format": "gongjue-tally/1", "kind": "consultation",
            "questions": [{"id": "q", "options": ["agree", "disagree"], "decide": [{"measure": "units", "op": ">=", "fraction": "4/5", "of": "total"}]}],
            "electorate": electorate, "ballots": ballots});
        let tally = bundle::read(bundle.to_string().as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        serde_json::to_value(tally.result()).unwrap_or_default()["questions"][0]["options"][0]["adopted"].clone()
    };
    assert_eq!(consult(8), true);
    assert_eq!(consult(7), false);
}
