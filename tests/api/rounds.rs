//! Consultation rounds and figures by stairwell (issue 19): an elevator renewal consulted in five
//! rounds across the 8 stairwells of 184 households, each round narrower than the last, each
//! counted and exported on its own (its export names the previous round's), every stairwell's
//! figures on one results page.

use std::collections::BTreeMap;

use gongjue_store::users::Role;
use serde_json::{Value, json};

use crate::e2e;
use crate::helpers::{Assembly, Session, TestApp, TestDb, spawn_app};
use crate::setup_mistakes::refused_naming;
use crate::web_pages::{owner_browser, staff_browser};

const ELEVATOR: &[u8] = include_bytes!("../../../shared/fixtures/elevator.csv");

/// The roster's owners by stairwell (`51-1` → owner ids), from the fixture itself.
fn owners_by_stairwell() -> BTreeMap<String, Vec<String>> {
    let mut by = BTreeMap::<String, Vec<String>>::new();
    for line in std::str::from_utf8(ELEVATOR).unwrap().lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        by.entry(format!("{}-{}", cells[1], cells[2]))
            .or_default()
            .push(cells[6].to_owned());
    }
    by
}

/// A stairwell, how many of its owners answer, and with which option.
type Answers<'a> = (&'a str, usize, &'a str);

fn stairwells(list: &[&str]) -> Value {
    json!({ "kind": "stairwells", "stairwells": list.iter().map(|s| {
        let (building, stairwell) = s.split_once('-').unwrap();
        json!({ "building": building, "stairwell": stairwell })
    }).collect::<Vec<_>>() })
}

/// Opens `assembly`, lets the first `n` owners of each stairwell in `answers` answer, closes
/// it and publishes the result as final.
async fn run_round(
    app: &TestApp,
    sec: &Session,
    assembly: &Assembly,
    item: &str,
    answers: &[Answers<'_>],
    round: Option<i64>,
) {
    sec.announce(assembly).await;
    sec.open(assembly).await;
    let codes = sec.issue_codes(assembly, None).await;
    let owners = owners_by_stairwell();
    for (stairwell, n, option) in answers {
        for voter in owners[*stairwell].iter().take(*n) {
            app.owner(assembly, &codes[voter])
                .await
                .vote(assembly, &[(item, json!({ "方案": [option] }))])
                .await
                .expect(200);
        }
    }
    // A later round says which round it is, on the owner's sheet and page.
    if let Some(round) = round {
        let (stairwell, ..) = answers.first().expect("a stairwell that answers");
        let code = &codes[&owners[*stairwell][0]];
        let sheet = app
            .owner(assembly, code)
            .await
            .get(&format!("/api/v1/assemblies/{}/ballot", assembly.id))
            .await
            .expect(200);
        assert_eq!(sheet["rounds"][item], round, "{sheet}");
        let page = owner_browser(app, code).await.get("/ballot").await.html;
        assert!(page.contains(&format!("第 {round} 轮征询")), "{page}");
    }
    sec.close_early(assembly).await;
    sec.publish_final(assembly).await;
}

async fn five_rounds_across_eight_stairwells(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("电梯小区");
    let sec = app.staff("sec-rounds", Role::Secretary, &estate).await;
    sec.import_roster(&estate, ELEVATOR).await.expect(200);
    let first = sec.create_assembly(&estate, true).await;
    let consultation = sec
        .add_item(
            &first,
            json!({ "kind": "consultation", "title": "电梯更新方案征询", "questions": [
                { "id": "方案", "options": ["甲方案", "乙方案", "暂不更新"] } ] }),
        )
        .await;
    let motion = sec
        .add_item(
            &first,
            json!({ "kind": "motion", "title": "续聘物业服务企业", "matter": 4 }),
        )
        .await;
    // Not before the round's voting has closed (a draft that is never announced).
    let draft = sec.create_assembly(&estate, true).await;
    sec.post(
        &format!("/api/v1/items/{consultation}/next-round"),
        json!({ "assembly": draft.id }),
    )
    .await
    .refused(409, "round_after_closing");
    run_round(
        &app,
        &sec,
        &first,
        &consultation,
        &[
            ("51-1", 20, "甲方案"),
            ("51-2", 19, "甲方案"),
            ("52-1", 8, "乙方案"),
        ],
        None,
    )
    .await;
    sec.post(
        &format!("/api/v1/items/{motion}/next-round"),
        json!({ "assembly": draft.id }),
    )
    .await
    .refused(409, "rounds_of_consultations");

    // Rounds 2 to 5: each asks the stairwells still undecided.
    let plan: [(&[&str], &[Answers]); 4] = [
        (
            &["52-1", "52-2", "53-1", "53-2", "54-1", "54-2"],
            &[("52-1", 18, "乙方案"), ("52-2", 17, "乙方案")],
        ),
        (
            &["53-1", "53-2", "54-1", "54-2"],
            &[("53-1", 16, "甲方案"), ("53-2", 16, "甲方案")],
        ),
        (&["54-1", "54-2"], &[("54-1", 20, "暂不更新")]),
        (&["54-2"], &[("54-2", 21, "甲方案")]),
    ];
    let mut previous = consultation.clone();
    for (n, (scope, answers)) in plan.iter().enumerate() {
        // Made just before it is announced: voting opens a moment after its creation.
        let assembly = sec.create_assembly(&estate, true).await;
        // Wider than the previous round: refused, naming the scope.
        if n == 1 {
            refused_naming(
                sec.post(
                    &format!("/api/v1/items/{previous}/next-round"),
                    json!({ "assembly": assembly.id, "scope": stairwells(&["51-1"]) }),
                )
                .await,
                "scope",
                "invalid_value",
                "a round asking owners the previous one did not",
            );
        }
        let item = sec
            .post(
                &format!("/api/v1/items/{previous}/next-round"),
                json!({ "assembly": assembly.id, "scope": stairwells(scope),
                        "title": format!("电梯更新方案征询（第{}轮）", n + 2) }),
            )
            .await
            .expect(201);
        let item = item["id"].as_str().unwrap().to_owned();
        if n == 0 {
            let again = sec.create_assembly(&estate, true).await;
            sec.post(
                &format!("/api/v1/items/{previous}/next-round"),
                json!({ "assembly": again.id }),
            )
            .await
            .refused(409, "round_exists");
        }
        let round = i64::try_from(n).unwrap() + 2;
        run_round(&app, &sec, &assembly, &item, answers, Some(round)).await;
        previous = item;
    }

    // Every round in order, each with its result and export; the last one's export names the
    // fourth round's.
    let rounds = sec
        .get(&format!("/api/v1/items/{previous}/rounds"))
        .await
        .expect(200);
    let rounds = rounds.as_array().unwrap();
    assert_eq!(rounds.len(), 5);
    let numbers: Vec<i64> = rounds
        .iter()
        .map(|r| r["round"].as_i64().unwrap())
        .collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5]);
    assert_eq!(rounds[0]["item"], consultation.as_str());
    assert_eq!(
        rounds[4]["result"]["questions"][0]["options"][0]["heads"], 21,
        "{}",
        rounds[4]
    );
    assert!(rounds.iter().all(|r| r["export_sha256"].is_string()));
    let claims = sec.export_claims(&previous).await;
    assert_eq!(claims["previous_round"]["round"], 4, "{claims}");
    assert_eq!(
        claims["previous_round"]["bundle_sha256"], rounds[3]["export_sha256"],
        "{claims}"
    );

    // The first round's page: every stairwell's figures, read off one page.
    let mut office = staff_browser(&app, "sec-rounds").await;
    let page = office
        .get(&format!("/staff/assemblies/{}/results", first.id))
        .await;
    assert!(page.html.contains("按单元（楼梯）"), "{}", page.html);
    for stairwell in owners_by_stairwell().keys() {
        assert!(
            page.html.contains(&format!(">{stairwell}</th>")),
            "{stairwell} on the results page"
        );
    }
    let last = office
        .get(&format!(
            "/staff/assemblies/{}/results",
            rounds[4]["assembly"].as_str().unwrap()
        ))
        .await;
    assert!(
        last.html.contains("第 1 轮：电梯更新方案征询")
            && last.html.contains("第 5 轮：电梯更新方案征询（第5轮）"),
        "{}",
        last.html
    );
    // The sixth round, set up from the last round's results page.
    let sixth = sec.create_assembly(&estate, true).await;
    let csrf = last.hidden("csrf").unwrap();
    let set_up = office
        .post(
            &format!("/staff/items/{previous}/next-round"),
            &[("csrf".into(), csrf), ("assembly".into(), sixth.id.clone())],
        )
        .await;
    assert_eq!(set_up.status, 303, "{}", set_up.html);
    let chain = sec
        .get(&format!("/api/v1/items/{previous}/rounds"))
        .await
        .expect(200);
    let chain = chain.as_array().unwrap();
    assert_eq!(
        (chain.len(), &chain[5]["assembly"]),
        (6, &json!(sixth.id)),
        "{chain:?}"
    );
    let turnout = sec
        .get(&format!("/api/v1/assemblies/{}/turnout", first.id))
        .await
        .expect(200);
    let by = &turnout[0]["by_stairwell"];
    assert_eq!(by.as_object().unwrap().len(), 8, "{turnout}");
    assert_eq!(by["51-1"]["participation"]["heads"], 20, "{turnout}");
}

e2e!(five_rounds_across_eight_stairwells);
