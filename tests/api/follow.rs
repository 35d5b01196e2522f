//! 从众 (follow the majority, issue 19): an estate whose rules of procedure provide for it
//! records the clause (audited); only then may a motion offer `follow`; owners choose it online
//! and on paper; it counts towards participation and joins the side the other participants
//! decide, in the result, on the pages and in the export an auditor recounts.

use gongjue_store::users::Role;
use serde_json::{Value, json};

use crate::e2e;
use crate::helpers::{SMALL_ROSTER, TestDb, spawn_app};
use crate::owner_pages::with;
use crate::setup_mistakes::refused_naming;
use crate::web_pages::{owner_browser, staff_browser};

const FOLLOW_MOTION: &str = "选聘新物业服务企业";

async fn follow_runs_from_the_rules_to_the_recount(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("小区甲");
    let sec = app.staff("sec-follow", Role::Secretary, &estate).await;
    let checker = app.staff("sec-follow-2", Role::Secretary, &estate).await;
    sec.import_roster(&estate, SMALL_ROSTER.as_bytes())
        .await
        .expect(200);
    let assembly = sec.create_assembly(&estate, true).await;
    let items = format!("/api/v1/assemblies/{}/items", assembly.id);
    let follow_motion =
        json!({ "kind": "motion", "title": FOLLOW_MOTION, "matter": 4, "follow_majority": true });

    // Not before the estate records that its rules of procedure provide for it.
    refused_naming(
        sec.post(&items, follow_motion.clone()).await,
        "follow_majority",
        "follow_not_in_rules",
        "a motion offering 从众 in an estate whose rules do not",
    );
    let setting = format!("/api/v1/estates/{estate}/follow-majority");
    refused_naming(
        sec.put(&setting, json!({ "follow_majority": true })).await,
        "basis",
        "invalid_value",
        "从众 without the clause that provides for it",
    );
    let auditor = app.staff("aud-follow", Role::Auditor, &estate).await;
    auditor
        .put(
            &setting,
            json!({ "follow_majority": true, "basis": "议事规则第十二条" }),
        )
        .await
        .refused(403, "read_only_role");
    let set = sec
        .put(
            &setting,
            json!({ "follow_majority": true, "basis": " 《业主大会议事规则》第十二条 " }),
        )
        .await
        .expect(200);
    assert_eq!(
        (&set["follow_majority"], &set["follow_majority_basis"]),
        (&json!(true), &json!("《业主大会议事规则》第十二条"))
    );
    let audit = sec
        .get(&format!("/api/v1/estates/{estate}/audit"))
        .await
        .expect(200);
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "estate.follow_majority"
                && e["detail"]["basis"] == "《业主大会议事规则》第十二条"),
        "{audit}"
    );

    let motion = sec.add_item(&assembly, follow_motion).await;
    let plain = sec
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "续聘物业服务企业", "matter": 4 }),
        )
        .await;
    // Dropped before announcing: the motion that offers it cannot be announced.
    sec.put(&setting, json!({ "follow_majority": false }))
        .await
        .expect(200);
    refused_naming(
        sec.post(
            &format!("/api/v1/assemblies/{}/announce", assembly.id),
            json!({}),
        )
        .await,
        "items[0].follow_majority",
        "follow_not_in_rules",
        "announcing a motion offering 从众 after the rules dropped it",
    );
    sec.put(
        &setting,
        json!({ "follow_majority": true, "basis": "《业主大会议事规则》第十二条" }),
    )
    .await
    .expect(200);
    sec.announce(&assembly).await;
    sec.open(&assembly).await;
    let codes = sec.issue_codes(&assembly, None).await;

    // P1 (220.00 m²) yes, P4 (80.00 m²) no, P5 (80.00 m²) 从众 online, P2 (100.00 m²) 从众 on
    // paper, confirmed by a second secretary.
    let p5 = app.owner(&assembly, &codes["P5"]).await;
    p5.vote(&assembly, &[(plain.as_str(), json!("follow"))])
        .await
        .refused(422, "invalid_choice");
    // P5 chooses 从众 on the phone form, which explains it; the plain motion does not offer it.
    let mut phone = owner_browser(&app, &codes["P5"]).await;
    let step = phone.get("/ballot/step").await;
    assert!(
        step.html.contains("name=\"c0\" value=\"follow\"")
            && step.html.contains("不会改变哪一方胜出"),
        "{}",
        step.html
    );
    let step = phone
        .post(
            "/ballot/step",
            &with(step.hidden_fields(), &[("c0", "follow"), ("go", "next")]),
        )
        .await;
    assert_eq!(step.status, 200, "{}", step.html);
    assert!(!step.html.contains("<span>从众</span>"), "{}", step.html);
    let review = phone
        .post(
            "/ballot/step",
            &with(step.hidden_fields(), &[("c1", "abstain"), ("go", "next")]),
        )
        .await;
    assert!(review.html.contains("从众"), "{}", review.html);
    let done = phone.post("/ballot/submit", &review.hidden_fields()).await;
    assert_eq!(
        done.location.as_deref(),
        Some("/ballot/done"),
        "{}",
        done.html
    );
    let mut office = staff_browser(&app, "sec-follow").await;
    let notice = office
        .get(&format!("/staff/assemblies/{}/notice", assembly.id))
        .await;
    assert!(
        notice.html.contains("不会改变哪一方胜出"),
        "{}",
        notice.html
    );

    for (voter, choice) in [("P1", "yes"), ("P4", "no")] {
        app.owner(&assembly, &codes[voter])
            .await
            .vote(&assembly, &[(motion.as_str(), json!(choice))])
            .await
            .expect(200);
    }
    sec.enter_paper(&assembly, &plain, "P2", json!("follow"))
        .await
        .refused(422, "invalid_choice");
    let paper = sec
        .enter_paper(&assembly, &motion, "P2", json!("follow"))
        .await
        .expect(201);
    checker
        .post(
            &format!(
                "/api/v1/paper-ballots/{}/confirm",
                paper["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await
        .expect(200);
    sec.close_early(&assembly).await;

    // Everyone took part (480.00 m², 4 heads); of those who gave an opinion, yes has 220.00 m²
    // but only 1 head of 2: not a majority, so the 从众 ballots join no and the motion fails.
    let result = sec
        .get(&format!("/api/v1/items/{motion}/result"))
        .await
        .expect(200);
    let r = &result;
    assert_eq!(r["outcome"], "rejected", "{result}");
    assert_eq!(r["follow_joined"], "no", "{result}");
    assert_eq!(
        (&r["participation"]["area"], &r["participation"]["heads"]),
        (&json!("480.00"), &json!(4)),
        "{result}"
    );
    assert_eq!(
        (
            &r["choices"]["follow"]["area"],
            &r["choices"]["follow"]["heads"]
        ),
        (&json!("180.00"), &json!(2)),
        "{result}"
    );
    let page = office
        .get(&format!("/staff/assemblies/{}/results", assembly.id))
        .await;
    assert!(
        page.html.contains("从众票随“反对”计入") && page.html.contains("180.00"),
        "{}",
        page.html
    );
    let plain_result = sec
        .get(&format!("/api/v1/items/{plain}/result"))
        .await
        .expect(200);
    assert!(
        plain_result["choices"].get("follow").is_none(),
        "{plain_result}"
    );

    sec.publish_final(&assembly).await;
    let export = sec
        .http
        .get(format!("{}/api/v1/items/{motion}/export", sec.base))
        .bearer_auth(&sec.token)
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let doc: Value = serde_json::from_slice(&export).unwrap();
    assert_eq!(doc["follow_majority"], true, "the bundle offers 从众");
    assert_eq!(
        doc["ballots"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|b| b["choice"] == "follow")
            .count(),
        2
    );
    let recount = gongjue_domain::bundle::read(&export).unwrap().result();
    assert_eq!(serde_json::to_value(recount).unwrap(), result);
}

e2e!(follow_runs_from_the_rules_to_the_recount);
