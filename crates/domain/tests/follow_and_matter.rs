//! The two readings `tally-bundle.md` added: `matter` (the statutory floor of art. 278 checked on
//! the rule) and 从众 (`follow_majority`, choice `"follow"`, `follow_joined`). One test per
//! sentence of the spec, quoted where it helps.

#![allow(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)]

use gongjue_domain::{DomainError, bundle};
use serde_json::{Value, json};

/// Units of 100.00 m² each (or the given areas), voter i owning unit i.
fn units(areas: &[&str]) -> Value {
    areas
        .iter()
        .enumerate()
        .map(|(i, area)| json!({"unit": format!("u{i}"), "building": "1", "stairwell": "1", "zone": "", "area": area, "voter": format!("v{i}")}))
        .collect()
}

fn hundreds(n: usize) -> Value {
    units(&vec!["100.00"; n])
}

/// Ballots `(voter index, choice)`.
fn ballots(choices: &[(usize, &str)]) -> Value {
    choices
        .iter()
        .map(|(i, c)| json!({"voter": format!("v{i}"), "choice": c}))
        .collect()
}

fn motion(electorate: Value, choices: &[(usize, &str)]) -> Value {
    json!({"format": "gongjue-tally/1", "kind": "motion", "title": "t", "rule": "ordinary",
           "electorate": electorate, "ballots": ballots(choices)})
}

fn follow(electorate: Value, choices: &[(usize, &str)]) -> Value {
    set(motion(electorate, choices), "follow_majority", json!(true))
}

fn election() -> Value {
    json!({"format": "gongjue-tally/1", "kind": "election", "title": "t", "seats": 1, "candidates": ["c1", "c2"],
           "electorate": hundreds(3), "ballots": [{"voter": "v0", "choice": ["c1"]}, {"voter": "v1", "choice": ["c1"]}]})
}

fn consultation() -> Value {
    json!({"format": "gongjue-tally/1", "kind": "consultation", "title": "t",
           "questions": [{"id": "q1", "options": ["a", "b"]}],
           "electorate": hundreds(3), "ballots": [{"voter": "v0", "answers": {"q1": ["a"]}}]})
}

fn set(mut bundle: Value, key: &str, value: Value) -> Value {
    bundle[key] = value;
    bundle
}

fn without(mut bundle: Value, key: &str) -> Value {
    bundle.as_object_mut().unwrap().remove(key);
    bundle
}

fn result(bundle: &Value) -> Value {
    let tally = bundle::read(bundle.to_string().as_bytes())
        .unwrap_or_else(|e| panic!("{bundle}: expected a count, got {e}"));
    serde_json::to_value(tally.result()).unwrap()
}

fn errors(bundle: &Value) -> Vec<String> {
    match bundle::read(bundle.to_string().as_bytes()) {
        Err(DomainError::InvalidBundle(errors)) => errors.into_iter().map(|e| e.path).collect(),
        other => panic!("expected input errors for {bundle}, got {other:?}"),
    }
}

/// Exactly one error, at `path` (checks use bundles with one error each).
fn assert_error_at(what: &str, bundle: Value, path: &str) {
    let paths = errors(&bundle);
    assert_eq!(paths, vec![path.to_owned()], "{what}");
}

fn threshold(measure: &str, op: &str, fraction: &str, of: &str) -> Value {
    json!({"measure": measure, "op": op, "fraction": fraction, "of": of})
}

fn quorum() -> Value {
    json!([
        threshold("area", ">=", "2/3", "total"),
        threshold("heads", ">=", "2/3", "total")
    ])
}

fn ordinary_approval() -> Value {
    json!([
        threshold("area", ">", "1/2", "participating"),
        threshold("heads", ">", "1/2", "participating")
    ])
}

fn custom(participation: Value, approval: Value) -> Value {
    json!({"participation": participation, "approval": approval})
}

fn weight(area: &str, n: u64) -> Value {
    json!({"area": area, "heads": n, "units": n})
}

// ---- matter ------------------------------------------------------------------------------

/// "`matter` (optional, motions and elections)"; "Without `matter` the bundle counts whatever
/// rule it carries."
#[test]
fn matter_is_optional_and_without_it_any_rule_counts() {
    let m = motion(hundreds(3), &[(0, "yes"), (1, "yes")]);
    assert_eq!(result(&m)["outcome"], "passed");
    assert_eq!(result(&election())["outcome"], "valid");
    let loose = custom(json!([]), json!([threshold("units", ">=", "1/3", "total")]));
    assert_eq!(
        result(&set(m.clone(), "rule", loose.clone()))["outcome"],
        "passed"
    );
    assert_error_at(
        "the same loose rule on matter 9",
        set(set(m, "rule", loose), "matter", json!(9)),
        "rule",
    );
}

/// "the rule must contain the statutory thresholds of that matter (`ordinary` for 1-5 and 9,
/// `special` for 6-8 ...) or stricter ones ... A weaker rule is an input error at `rule`."
#[test]
fn each_matter_takes_its_statutory_rule_or_a_stricter_one() {
    let m = motion(hundreds(3), &[(0, "yes"), (1, "yes")]);
    for n in 1..=9 {
        let special = (6..=8).contains(&n);
        let with = |rule: &str| set(set(m.clone(), "matter", json!(n)), "rule", json!(rule));
        assert_eq!(result(&with("special"))["outcome"], "passed", "matter {n}");
        if special {
            assert_error_at(&format!("matter {n}, ordinary"), with("ordinary"), "rule");
        } else {
            assert_eq!(result(&with("ordinary"))["outcome"], "passed", "matter {n}");
        }
    }
}

/// "A missing `rule` defaults to `"ordinary"` before the check, so a matter 6-8 bundle must
/// name its rule." (`null` is read as missing, as before.)
#[test]
fn a_missing_rule_is_ordinary_before_the_check() {
    let m = without(motion(hundreds(3), &[(0, "yes"), (1, "yes")]), "rule");
    assert_eq!(
        result(&set(m.clone(), "matter", json!(4)))["outcome"],
        "passed"
    );
    for n in [6, 7, 8] {
        assert_error_at(
            "matter 6-8 without a rule",
            set(m.clone(), "matter", json!(n)),
            "rule",
        );
    }
    assert_error_at(
        "null rule",
        set(set(m, "matter", json!(6)), "rule", Value::Null),
        "rule",
    );
}

/// "for each statutory threshold, the same list (participation or approval) must hold a
/// threshold with the same `measure` and `of` whose fraction is greater, or equal with an
/// operator at least as strict (`>` is stricter than `>=`)."
#[test]
fn stricter_means_same_list_measure_and_base_and_a_fraction_not_smaller() {
    let m = set(
        motion(hundreds(4), &[(0, "yes"), (1, "yes"), (2, "yes")]),
        "matter",
        json!(4),
    );
    let with = |rule: Value| set(m.clone(), "rule", rule);
    // Greater fractions, and `>` where `>=` is asked, are stricter.
    let stricter = custom(
        json!([
            threshold("area", ">", "2/3", "total"),
            threshold("heads", ">=", "3/4", "total")
        ]),
        json!([
            threshold("area", ">=", "2/3", "participating"),
            threshold("heads", ">", "1/2", "participating")
        ]),
    );
    assert_eq!(result(&with(stricter))["outcome"], "passed");
    // Extra thresholds are fine, and order within a list does not matter.
    let extra = custom(
        json!([
            threshold("units", ">=", "1/1", "participating"),
            threshold("heads", ">=", "2/3", "total"),
            threshold("area", ">=", "2/3", "total")
        ]),
        json!([
            threshold("heads", ">", "1/2", "participating"),
            threshold("area", ">", "1/2", "participating")
        ]),
    );
    assert_eq!(result(&with(extra))["outcome"], "passed");
    // `>=` where the statute says `>`, at an equal fraction: weaker.
    let at_least_half = custom(
        quorum(),
        json!([
            threshold("area", ">=", "1/2", "participating"),
            threshold("heads", ">", "1/2", "participating")
        ]),
    );
    assert_error_at(">= 1/2 for > 1/2", with(at_least_half), "rule");
    // A smaller fraction with a stricter operator: weaker.
    let smaller = custom(
        json!([
            threshold("area", ">", "3/5", "total"),
            threshold("heads", ">=", "2/3", "total")
        ]),
        ordinary_approval(),
    );
    assert_error_at("> 3/5 for >= 2/3", with(smaller), "rule");
    // Another measure (units for heads) or another base does not stand in for the statute's.
    let units = custom(
        json!([
            threshold("area", ">=", "2/3", "total"),
            threshold("units", ">=", "1/1", "total")
        ]),
        ordinary_approval(),
    );
    assert_error_at("units for heads", with(units), "rule");
    let base = custom(
        quorum(),
        json!([
            threshold("area", ">", "1/2", "total"),
            threshold("heads", ">", "1/2", "participating")
        ]),
    );
    assert_error_at("of total for of participating", with(base), "rule");
    // The quorum's thresholds in the approval list are not a quorum.
    let moved = custom(
        json!([threshold("area", ">=", "2/3", "total")]),
        json!([
            threshold("heads", ">=", "2/3", "total"),
            threshold("area", ">", "1/2", "participating"),
            threshold("heads", ">", "1/2", "participating")
        ]),
    );
    assert_error_at(
        "a quorum threshold in the approval list",
        with(moved),
        "rule",
    );
    assert_error_at("empty lists", with(custom(json!([]), json!([]))), "rule");
}

/// "Fractions are compared by value (`"4/6"` equals `"2/3"`)."
#[test]
fn fractions_are_compared_by_value() {
    let m = set(
        motion(hundreds(3), &[(0, "yes"), (1, "yes")]),
        "matter",
        json!(7),
    );
    let equal = custom(
        json!([
            threshold("area", ">=", "4/6", "total"),
            threshold("heads", ">=", "200/300", "total")
        ]),
        json!([
            threshold("area", ">=", "6/8", "participating"),
            threshold("heads", ">=", "75/100", "participating")
        ]),
    );
    assert_eq!(result(&set(m.clone(), "rule", equal))["outcome"], "passed");
    let just_below = custom(
        json!([
            threshold("area", ">=", "4/6", "total"),
            threshold("heads", ">=", "2/3", "total")
        ]),
        json!([
            threshold("area", ">=", "74/100", "participating"),
            threshold("heads", ">=", "3/4", "participating")
        ]),
    );
    assert_error_at("74/100 for 3/4", set(m, "rule", just_below), "rule");
}

/// "A `matter` that is not a JSON integer 1-9 (`3.0` and `"3"` are not) ... is an input error
/// at `matter`."
#[test]
fn a_matter_is_a_json_integer_from_1_to_9() {
    let m = motion(hundreds(3), &[(0, "yes"), (1, "yes")]);
    for bad in [
        json!("3"),
        json!(0),
        json!(10),
        json!(-3),
        json!(256 + 3),
        json!(true),
        json!([3]),
        json!({"n": 3}),
        Value::Null,
    ] {
        assert_error_at(
            &bad.to_string(),
            set(m.clone(), "matter", bad.clone()),
            "matter",
        );
    }
    // `3.0` and `3e0` are JSON numbers that are not integers: written as text, not via json!.
    for text in ["3.0", "3e0", "7.0"] {
        let doc = set(m.clone(), "matter", json!(1))
            .to_string()
            .replace("\"matter\":1", &format!("\"matter\":{text}"));
        assert!(doc.contains(text), "{doc}");
        match bundle::read(doc.as_bytes()) {
            Err(DomainError::InvalidBundle(errors)) => {
                assert_eq!(errors.len(), 1, "{errors:?}");
                assert_eq!(errors[0].path, "matter", "{text}");
            }
            other => panic!("{text}: expected an error at matter, got {other:?}"),
        }
    }
}

/// "... other than 3 on an election, or on a consultation, is an input error at `matter`."
/// "(an election is matter 3)"
#[test]
fn an_election_is_matter_3_and_a_consultation_has_none() {
    assert_eq!(
        result(&set(election(), "matter", json!(3)))["outcome"],
        "valid"
    );
    for n in [1, 2, 4, 5, 6, 7, 8, 9] {
        assert_error_at(
            &format!("election, matter {n}"),
            set(election(), "matter", json!(n)),
            "matter",
        );
    }
    assert_error_at(
        "election, matter \"3\"",
        set(election(), "matter", json!("3")),
        "matter",
    );
    for any in [json!(3), json!(9), json!("3"), Value::Null] {
        assert_error_at(
            "consultation with a matter",
            set(consultation(), "matter", any),
            "matter",
        );
    }
    // An election counts with its rule: matter 3 asks the ordinary rule's thresholds of it.
    let weak = custom(
        quorum(),
        json!([threshold("heads", ">", "1/2", "participating")]),
    );
    assert_error_at(
        "election with a weaker rule",
        set(set(election(), "matter", json!(3)), "rule", weak.clone()),
        "rule",
    );
    assert_eq!(result(&set(election(), "rule", weak))["outcome"], "valid");
    assert_eq!(
        result(&set(
            set(election(), "matter", json!(3)),
            "rule",
            json!("special")
        ))["outcome"],
        "valid"
    );
}

/// The matter is read, not reported: results carry no `matter`.
#[test]
fn the_result_is_the_same_with_or_without_matter() {
    let m = motion(hundreds(3), &[(0, "yes"), (1, "no")]);
    assert_eq!(result(&m), result(&set(m.clone(), "matter", json!(4))));
}

// ---- 从众 ---------------------------------------------------------------------------------

/// "`follow_majority` (optional, motions only, `true` or `false`, default `false`)"; "with
/// `false` or without the member, neither appears."
#[test]
fn without_follow_majority_neither_follow_nor_follow_joined_appears() {
    let m = motion(hundreds(3), &[(0, "yes"), (1, "no")]);
    for bundle in [m.clone(), set(m, "follow_majority", json!(false))] {
        let r = result(&bundle);
        let choices: Vec<&String> = r["choices"].as_object().unwrap().keys().collect();
        assert_eq!(choices, ["yes", "no", "abstain", "invalid"]);
        assert!(r.get("follow_joined").is_none(), "{r}");
    }
}

#[test]
fn follow_majority_is_true_or_false() {
    let m = motion(hundreds(3), &[(0, "yes"), (1, "no")]);
    for bad in [
        json!("true"),
        json!(1),
        json!(0),
        Value::Null,
        json!([true]),
    ] {
        assert_error_at(
            &bad.to_string(),
            set(m.clone(), "follow_majority", bad.clone()),
            "follow_majority",
        );
    }
}

/// "Elections and consultations have no `follow`: a `follow_majority` member on them, whatever
/// its value, is an input error at `follow_majority`."
#[test]
fn follow_majority_on_an_election_or_consultation_is_an_error_whatever_its_value() {
    for value in [json!(true), json!(false), Value::Null, json!("yes")] {
        assert_error_at(
            "election",
            set(election(), "follow_majority", value.clone()),
            "follow_majority",
        );
        assert_error_at(
            "consultation",
            set(consultation(), "follow_majority", value),
            "follow_majority",
        );
    }
}

/// "With `true`, ballots may be `"follow"`; otherwise a `"follow"` ballot is an input error at
/// `ballots[i].choice`."
#[test]
fn a_follow_ballot_needs_follow_majority() {
    let choices = [(0, "yes"), (1, "no"), (2, "follow")];
    assert_error_at(
        "no follow_majority",
        motion(hundreds(3), &choices),
        "ballots[2].choice",
    );
    assert_error_at(
        "follow_majority false",
        set(
            motion(hundreds(3), &choices),
            "follow_majority",
            json!(false),
        ),
        "ballots[2].choice",
    );
    assert_eq!(
        result(&follow(hundreds(3), &choices))["outcome"],
        "rejected"
    );
    // On an election, "follow" is not a choice at all.
    let mut e = election();
    e["ballots"][1]["choice"] = json!("follow");
    assert_error_at("follow on an election", e, "ballots[1].choice");
}

/// "`choices` has a fifth member `"follow"` (after `"invalid"`) ... `follow_joined` ...
/// keys in the order shown above": outcome, totals, participation, choices, approval,
/// follow_joined, groups.
#[test]
fn follow_and_follow_joined_come_in_the_spec_order() {
    let r = result(&follow(
        hundreds(4),
        &[(0, "yes"), (1, "yes"), (2, "follow")],
    ));
    let keys: Vec<&String> = r.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "outcome",
            "totals",
            "participation",
            "choices",
            "approval",
            "follow_joined"
        ]
    );
    let choices: Vec<&String> = r["choices"].as_object().unwrap().keys().collect();
    assert_eq!(choices, ["yes", "no", "abstain", "invalid", "follow"]);
    let zoned = {
        let mut b = set(
            follow(hundreds(4), &[(0, "yes"), (1, "yes"), (2, "follow")]),
            "concurrent",
            json!("zone"),
        );
        for (i, zone) in ["a", "a", "b", "b"].iter().enumerate() {
            b["electorate"][i]["zone"] = json!(zone);
        }
        b
    };
    let r = result(&zoned);
    let keys: Vec<&String> = r.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "outcome",
            "totals",
            "participation",
            "choices",
            "approval",
            "follow_joined",
            "groups"
        ]
    );
    let group: Vec<&String> = r["groups"]["zone"]["a"]
        .as_object()
        .unwrap()
        .keys()
        .collect();
    assert_eq!(
        group,
        [
            "outcome",
            "totals",
            "participation",
            "choices",
            "approval",
            "follow_joined"
        ]
    );
}

/// "A follow ballot counts toward participation like any valid ballot."
#[test]
fn follow_ballots_take_part_and_can_make_the_quorum() {
    let choices = [(0, "yes"), (1, "yes"), (2, "no"), (3, "follow")];
    let r = result(&follow(hundreds(6), &choices));
    assert_eq!(
        r["participation"],
        json!({"area": "400.00", "heads": 4, "units": 4, "met": true})
    );
    assert_eq!(r["outcome"], "passed");
    // Without the follow ballot, 3 of 6 take part: no quorum.
    let r = result(&follow(hundreds(6), &choices[..3]));
    assert_eq!(r["outcome"], "no_quorum");
    // Also when invalid ballots are left out of participation.
    let r = result(&set(
        follow(hundreds(6), &choices),
        "invalid_counts_as_participation",
        json!(false),
    ));
    assert_eq!(r["participation"]["heads"], 4);
}

/// "`choices.yes` and `choices.no` keep the ballots marked so; `choices.follow` holds the
/// follow ballots." (Non-voters are never counted with the majority.)
#[test]
fn yes_and_no_keep_the_marked_ballots() {
    let r = result(&follow(
        units(&["50.00", "60.00", "70.00", "80.00", "90.00", "1.00"]),
        &[
            (0, "yes"),
            (1, "yes"),
            (2, "no"),
            (3, "follow"),
            (4, "follow"),
        ],
    ));
    assert_eq!(r["follow_joined"], "yes");
    assert_eq!(r["choices"]["yes"], weight("110.00", 2));
    assert_eq!(r["choices"]["no"], weight("70.00", 1));
    assert_eq!(r["choices"]["follow"], weight("170.00", 2));
    assert_eq!(
        r["participation"]["heads"], 5,
        "the non-voter does not take part"
    );
    assert_eq!(r["totals"]["heads"], 6);
}

/// "evaluate the approval list with `yes` as subject and, as the participating base, the
/// participating members who did not choose `follow` ...; if it holds, the follow ballots join
/// `yes`, else `no`." At exactly half of the others, they join `no`; one cent and one head
/// more, `yes`.
#[test]
fn the_side_is_decided_by_the_others_at_exact_boundaries() {
    // Others: v0 yes 100.00, v1 no 100.00: exactly half the area and heads.
    let half = result(&follow(
        hundreds(4),
        &[(0, "yes"), (1, "no"), (2, "follow"), (3, "follow")],
    ));
    assert_eq!(half["follow_joined"], "no");
    assert_eq!(half["approval"]["met"], false);
    assert_eq!(half["outcome"], "rejected");
    // More than half the area, exactly half the heads: both are needed.
    let heads_half = result(&follow(
        units(&["100.01", "99.99", "100.00", "100.00"]),
        &[(0, "yes"), (1, "no"), (2, "follow"), (3, "follow")],
    ));
    assert_eq!(heads_half["follow_joined"], "no");
    // Two of three others, by one cent more than half the area.
    let just = result(&follow(
        units(&["75.01", "75.00", "150.00", "100.00"]),
        &[(0, "yes"), (1, "yes"), (2, "no"), (3, "follow")],
    ));
    assert_eq!(just["follow_joined"], "yes");
    assert_eq!(just["approval"]["met"], true);
    assert_eq!(just["outcome"], "passed");
    let short = result(&follow(
        units(&["75.00", "75.00", "150.00", "100.00"]),
        &[(0, "yes"), (1, "yes"), (2, "no"), (3, "follow")],
    ));
    assert_eq!(short["follow_joined"], "no");
    assert_eq!(short["outcome"], "rejected");
}

/// Abstentions (and counted invalid ballots) are among the others: they weigh against `yes`.
#[test]
fn abstentions_and_counted_invalid_ballots_weigh_against_the_side() {
    let choices = [
        (0, "yes"),
        (1, "yes"),
        (2, "abstain"),
        (3, "invalid"),
        (4, "follow"),
    ];
    let r = result(&follow(hundreds(5), &choices));
    assert_eq!(r["follow_joined"], "no", "2 yes of 4 others");
    let r = result(&set(
        follow(hundreds(5), &choices),
        "invalid_counts_as_participation",
        json!(false),
    ));
    assert_eq!(
        r["follow_joined"], "yes",
        "2 yes of 3 others once the invalid one is out"
    );
    assert_eq!(r["choices"]["invalid"], weight("100.00", 1));
    assert_eq!(r["participation"]["heads"], 4);
    assert_eq!(r["approval"]["met"], true);
}

/// "(the `total` base is unchanged)": a threshold of the total is read on the whole electorate
/// when the side is decided.
#[test]
fn the_total_base_is_unchanged_when_the_side_is_decided() {
    let rule = custom(
        quorum(),
        json!([
            threshold("heads", ">", "1/2", "participating"),
            threshold("area", ">", "1/2", "participating"),
            threshold("heads", ">=", "1/2", "total")
        ]),
    );
    // 6 members; the others are v0, v1 yes and v2 no: 2 of 3 agree, but 2 < 3 of 6 total.
    let choices = [(0, "yes"), (1, "yes"), (2, "no"), (3, "follow")];
    let r = result(&set(follow(hundreds(6), &choices), "rule", rule.clone()));
    assert_eq!(r["follow_joined"], "no");
    assert_eq!(r["approval"]["met"], false);
    // A third yes reaches half of the total: they join yes.
    let choices = [(0, "yes"), (1, "yes"), (2, "yes"), (4, "no"), (3, "follow")];
    let r = result(&set(follow(hundreds(6), &choices), "rule", rule));
    assert_eq!(r["follow_joined"], "yes");
    assert_eq!(r["approval"]["met"], true);
}

/// "When no participating member other than the follow ones took part (an invalid ballot left
/// out of participation does not count), they join `no` whatever the rule says."
#[test]
fn alone_the_follow_ballots_join_no_whatever_the_rule_says() {
    let r = result(&follow(hundreds(3), &[(0, "follow"), (1, "follow")]));
    assert_eq!(r["follow_joined"], "no");
    assert_eq!(r["participation"]["met"], true);
    assert_eq!(r["approval"]["met"], false);
    assert_eq!(r["outcome"], "rejected");
    // A rule whose approval list is empty holds for anyone, yet they still join no; approval is
    // then that (empty) list evaluated: met.
    let empty = custom(quorum(), json!([]));
    let r = result(&set(
        follow(hundreds(3), &[(0, "follow"), (1, "follow")]),
        "rule",
        empty.clone(),
    ));
    assert_eq!(r["follow_joined"], "no");
    assert_eq!(r["approval"]["met"], true);
    // An invalid ballot left out of participation is not another participant ...
    let with_invalid = set(
        follow(hundreds(3), &[(0, "follow"), (1, "follow"), (2, "invalid")]),
        "rule",
        empty,
    );
    let out = set(
        with_invalid.clone(),
        "invalid_counts_as_participation",
        json!(false),
    );
    assert_eq!(result(&out)["follow_joined"], "no");
    // ... one that counts is, and under an empty approval list the side holds: yes.
    assert_eq!(result(&with_invalid)["follow_joined"], "yes");
    // Nobody at all: they join no (and no ballot moves).
    let r = result(&follow(hundreds(3), &[]));
    assert_eq!(r["follow_joined"], "no");
    assert_eq!(r["choices"]["follow"], weight("0.00", 0));
    assert_eq!(r["outcome"], "no_quorum");
}

/// "With `"follow_majority": true`, `choices` has a fifth member `"follow"`": also when no one
/// chose it; the side is then the one the ballots give.
#[test]
fn follow_majority_without_follow_ballots_still_reports_both() {
    let r = result(&follow(hundreds(3), &[(0, "yes"), (1, "yes"), (2, "no")]));
    assert_eq!(r["choices"]["follow"], weight("0.00", 0));
    assert_eq!(r["follow_joined"], "yes");
    assert_eq!(r["outcome"], "passed");
}

/// "Approval is then evaluated with the follow ballots added to the side they joined and all
/// participating members as the base; `approval.met` is that evaluation. (With a rule whose
/// approval list is not empty and at least one participating member, it is true exactly when
/// `follow_joined` is `"yes"`.)"
#[test]
fn approval_is_met_exactly_when_they_join_yes() {
    let areas = ["10.00", "20.00", "30.00", "40.00", "50.00", "60.00"];
    let names = ["yes", "no", "abstain", "invalid", "follow"];
    // Ways 6 members can choose among 5 choices or no ballot, 1 in 29 of them.
    for seed in (0..7_u32.pow(6)).step_by(29) {
        let mut choices = Vec::new();
        let mut x = seed;
        for i in 0..6 {
            if let Some(name) = names.get((x % 7) as usize) {
                choices.push((i, *name));
            }
            x /= 7;
        }
        for rule in ["ordinary", "special"] {
            let b = set(follow(units(&areas), &choices), "rule", json!(rule));
            let r = result(&b);
            if r["participation"]["heads"] != 0 {
                assert_eq!(
                    r["approval"]["met"] == true,
                    r["follow_joined"] == "yes",
                    "{rule} {choices:?}: {r}"
                );
            }
            let expected = if r["follow_joined"] == "yes" && r["participation"]["met"] == true {
                "passed"
            } else if r["participation"]["met"] == true {
                "rejected"
            } else {
                "no_quorum"
            };
            assert_eq!(r["outcome"], expected, "{choices:?}");
        }
    }
}

/// The special rule: the others' 3/4 decides; at exactly 3/4 (`>=`) they join yes.
#[test]
fn under_the_special_rule_three_quarters_of_the_others_decide() {
    let choices = [(0, "yes"), (1, "yes"), (2, "yes"), (3, "no"), (4, "follow")];
    let b = set(
        set(follow(hundreds(5), &choices), "rule", json!("special")),
        "matter",
        json!(8),
    );
    let r = result(&b);
    assert_eq!(r["follow_joined"], "yes");
    assert_eq!(r["outcome"], "passed");
    let choices = [
        (0, "yes"),
        (1, "yes"),
        (2, "no"),
        (3, "follow"),
        (4, "follow"),
    ];
    let r = result(&set(
        follow(hundreds(5), &choices),
        "rule",
        json!("special"),
    ));
    assert_eq!(r["follow_joined"], "no");
    assert_eq!(r["outcome"], "rejected");
}

/// "With `concurrent`, each group decides its own side from its own ballots."
#[test]
fn each_concurrent_group_decides_its_own_side() {
    let mut b = set(
        follow(
            hundreds(6),
            &[
                (0, "yes"),
                (1, "yes"),
                (2, "follow"),
                (3, "yes"),
                (4, "no"),
                (5, "follow"),
            ],
        ),
        "concurrent",
        json!("building"),
    );
    for i in 3..6 {
        b["electorate"][i]["building"] = json!("2");
    }
    let r = result(&b);
    assert_eq!(r["follow_joined"], "yes");
    assert_eq!(r["approval"]["met"], true);
    let one = &r["groups"]["building"]["1"];
    let two = &r["groups"]["building"]["2"];
    assert_eq!(one["follow_joined"], "yes");
    assert_eq!(one["choices"]["follow"], weight("100.00", 1));
    assert_eq!(one["outcome"], "passed");
    assert_eq!(
        two["follow_joined"], "no",
        "1 yes of 2 others in building 2"
    );
    assert_eq!(two["outcome"], "rejected");
    assert_eq!(r["outcome"], "rejected", "building 2 vetoes");
}

/// A member with units in two groups is one head in each; alone in a group with a follow
/// ballot, the follow ballots of that group join no.
#[test]
fn a_group_with_only_follow_ballots_joins_no() {
    let mut b = set(
        follow(
            hundreds(4),
            &[(0, "yes"), (1, "yes"), (2, "follow"), (3, "follow")],
        ),
        "concurrent",
        json!("zone"),
    );
    for (i, zone) in ["a", "a", "b", "b"].iter().enumerate() {
        b["electorate"][i]["zone"] = json!(zone);
    }
    let r = result(&b);
    assert_eq!(r["follow_joined"], "yes");
    assert_eq!(r["groups"]["zone"]["a"]["follow_joined"], "yes");
    assert_eq!(r["groups"]["zone"]["b"]["follow_joined"], "no");
    assert_eq!(r["groups"]["zone"]["b"]["outcome"], "rejected");
    assert_eq!(r["outcome"], "rejected");
}

/// The breakdown by building reports the follow ballots with the other choices.
#[test]
fn the_breakdown_reports_follow_ballots() {
    let b = follow(hundreds(3), &[(0, "yes"), (1, "follow")]);
    let tally = bundle::read(b.to_string().as_bytes()).unwrap();
    let breakdown = serde_json::to_value(tally.breakdown()).unwrap();
    assert_eq!(
        breakdown["building"]["1"]["choices"]["follow"],
        weight("100.00", 1)
    );
    assert_eq!(breakdown["building"]["1"]["participation"]["heads"], 2);
    let plain = motion(hundreds(3), &[(0, "yes")]);
    let tally = bundle::read(plain.to_string().as_bytes()).unwrap();
    let breakdown = serde_json::to_value(tally.breakdown()).unwrap();
    assert!(
        breakdown["building"]["1"]["choices"]
            .get("follow")
            .is_none()
    );
}

/// The service reads its items through `read_parts`: the header's `matter` and
/// `follow_majority` are read there exactly as in a whole bundle.
#[test]
fn read_parts_reads_matter_and_follow_majority_from_the_header() {
    let electorate = || {
        (0..3)
            .map(|i| bundle::StoredUnit {
                unit: format!("u{i}"),
                building: "1".into(),
                stairwell: "1".into(),
                zone: String::new(),
                area: "100.00".into(),
                voter: format!("v{i}"),
            })
            .collect::<Vec<_>>()
    };
    let (yes, follow_choice) = (json!("yes"), json!("follow"));
    let ballots = [
        bundle::StoredBallot {
            voter: "v0",
            choice: &yes,
        },
        bundle::StoredBallot {
            voter: "v1",
            choice: &follow_choice,
        },
    ];
    let header = json!({"format": "gongjue-tally/1", "kind": "motion", "title": "t", "matter": 4, "rule": "ordinary", "follow_majority": true}).to_string();
    let r = serde_json::to_value(
        bundle::read_parts(header.as_bytes(), electorate(), &ballots)
            .unwrap()
            .result(),
    )
    .unwrap();
    assert_eq!(r["follow_joined"], "yes");
    assert_eq!(r["outcome"], "passed");
    let weak = json!({"format": "gongjue-tally/1", "kind": "motion", "title": "t", "matter": 6, "rule": "ordinary", "follow_majority": true}).to_string();
    match bundle::read_parts(weak.as_bytes(), electorate(), &ballots) {
        Err(DomainError::InvalidBundle(errors)) => assert_eq!(errors[0].path, "rule"),
        other => panic!("{other:?}"),
    }
    let no_follow =
        json!({"format": "gongjue-tally/1", "kind": "motion", "title": "t", "matter": 4})
            .to_string();
    match bundle::read_parts(no_follow.as_bytes(), electorate(), &ballots) {
        Err(DomainError::InvalidBundle(errors)) => {
            assert_eq!(errors[0].path, "ballots[1].choice");
        }
        other => panic!("{other:?}"),
    }
}

/// The breakdown by stairwell (issue 19): each stairwell of a building on its own, a member with
/// units in two stairwells one head in each; none when the roster names no stairwell.
#[test]
fn the_breakdown_reports_each_stairwell() {
    let mut b = motion(hundreds(4), &[(0, "yes"), (1, "no"), (2, "yes")]);
    for (i, (building, stairwell, voter)) in [
        ("1", "1", "v0"),
        ("1", "2", "v1"),
        ("1", "2", "v2"),
        ("2", "1", "v0"),
    ]
    .iter()
    .enumerate()
    {
        b["electorate"][i]["building"] = json!(building);
        b["electorate"][i]["stairwell"] = json!(stairwell);
        b["electorate"][i]["voter"] = json!(voter);
    }
    b["ballots"] = ballots(&[(0, "yes"), (1, "no"), (2, "yes")]);
    let tally = bundle::read(b.to_string().as_bytes()).unwrap();
    let breakdown = serde_json::to_value(tally.breakdown()).unwrap();
    let stairwells = breakdown["stairwell"].as_object().unwrap();
    assert_eq!(stairwells.keys().collect::<Vec<_>>(), ["1-1", "1-2", "2-1"]);
    assert_eq!(breakdown["stairwell"]["1-2"]["totals"], weight("200.00", 2));
    assert_eq!(
        breakdown["stairwell"]["1-2"]["choices"]["yes"],
        weight("100.00", 1)
    );
    assert_eq!(
        breakdown["stairwell"]["1-2"]["choices"]["no"],
        weight("100.00", 1)
    );
    // v0 holds 1-1 and 2-1: one head in each stairwell.
    assert_eq!(breakdown["stairwell"]["2-1"]["participation"]["heads"], 1);
    assert_eq!(
        breakdown["stairwell"]["1-1"]["choices"]["yes"],
        weight("100.00", 1)
    );
    let mut plain = motion(hundreds(2), &[(0, "yes")]);
    for i in 0..2 {
        plain["electorate"][i]["stairwell"] = json!("");
    }
    let tally = bundle::read(plain.to_string().as_bytes()).unwrap();
    let breakdown = serde_json::to_value(tally.breakdown()).unwrap();
    assert!(breakdown.get("stairwell").is_none(), "{breakdown}");
}
