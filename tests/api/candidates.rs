//! The candidate register of an election (issue 19): a secretary registers each candidate (units
//! of the roster, statement, photo, nomination, the estate's declarations), a second staff
//! member reviews them, and the assembly is announced only when every listed candidate was found
//! eligible. Owners read the statements on the form and the notice; nothing changes after the
//! announcement; every step is in the audit log.

use gongjue_store::users::Role;
use serde_json::{Value, json};

use crate::documents::{PLAN_PNG, QUOTE_PDF, upload};
use crate::e2e;
use crate::helpers::{SMALL_ROSTER, TestDb, spawn_app};
use crate::setup_mistakes::refused_naming;
use crate::web_pages::{owner_browser, staff_browser};

const DECLARATIONS: [&str; 2] = ["本小区业主本人（非仅为物业使用人）", "无违法搭建"];

fn entry(name: &str, units: Value, answers: Value) -> Value {
    json!({ "name": name, "units": units, "statement": format!("{name}：退休会计，愿为业主管好维修资金。\n每月公开账目。"),
        "nominated_by": "10 名业主联名推荐", "declarations": answers })
}

fn all_yes() -> Value {
    json!({ DECLARATIONS[0]: true, DECLARATIONS[1]: true })
}

async fn an_election_opens_only_on_reviewed_candidates(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("小区甲");
    let sec = app.staff("sec-cand", Role::Secretary, &estate).await;
    let second = app.staff("sec-cand-2", Role::Secretary, &estate).await;
    let auditor = app.staff("aud-cand", Role::Auditor, &estate).await;
    sec.import_roster(&estate, SMALL_ROSTER.as_bytes())
        .await
        .expect(200);

    // The estate's own declarations, checked and audited.
    let declarations = format!("/api/v1/estates/{estate}/candidate-declarations");
    refused_naming(
        sec.put(
            &declarations,
            json!({ "declarations": ["无违法搭建", " 无违法搭建 "] }),
        )
        .await,
        "declarations[1]",
        "invalid_value",
        "a declaration listed twice",
    );
    auditor
        .put(&declarations, json!({ "declarations": DECLARATIONS }))
        .await
        .refused(403, "read_only_role");
    let set = sec
        .put(&declarations, json!({ "declarations": DECLARATIONS }))
        .await
        .expect(200);
    assert_eq!(set, json!(DECLARATIONS));

    // The same setting on the staff home page, one per line; then back to the estate's two.
    let mut home = staff_browser(&app, "sec-cand").await;
    let csrf = home.get("/staff").await.hidden("csrf").unwrap();
    let saved = home
        .post(
            "/staff/estate/candidate-declarations",
            &[
                ("csrf".into(), csrf.clone()),
                (
                    "declarations".into(),
                    "无违法搭建\n\n 已缴清维修资金 ".into(),
                ),
            ],
        )
        .await;
    assert_eq!(saved.status, 303, "{}", saved.html);
    assert!(
        home.get("/staff")
            .await
            .html
            .contains("无违法搭建\n已缴清维修资金"),
        "the page shows the list it saved"
    );
    sec.put(&declarations, json!({ "declarations": DECLARATIONS }))
        .await
        .expect(200);

    let assembly = sec.create_assembly(&estate, true).await;
    let motion = sec
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "续聘物业", "matter": 4 }),
        )
        .await;
    let election = sec
        .add_item(&assembly, json!({ "kind": "election", "title": "选举业主委员会委员", "seats": 1, "candidates": ["王一", "李二"] }))
        .await;
    let register = format!("/api/v1/items/{election}/candidates");

    // Nothing registered: announcing names the first candidate.
    let refused = sec
        .post(
            &format!("/api/v1/assemblies/{}/announce", assembly.id),
            json!({}),
        )
        .await;
    refused_naming(
        refused,
        "items[1].candidates[0]",
        "candidate_not_reviewed",
        "an unregistered candidate",
    );

    // Refusals name what to fix.
    sec.post(
        &format!("/api/v1/items/{motion}/candidates"),
        entry("王一", json!(["1-1-101"]), all_yes()),
    )
    .await
    .refused(409, "candidates_of_elections");
    for (body, field, what) in [
        (
            entry("张三", json!(["1-1-101"]), all_yes()),
            "name",
            "a name the election does not list",
        ),
        (
            entry("王一", json!(["9-9-999"]), all_yes()),
            "units[0]",
            "a unit not on the roster",
        ),
        (entry("王一", json!([]), all_yes()), "units", "no unit"),
        (
            entry("王一", json!(["1-1-101"]), json!({ DECLARATIONS[0]: true })),
            "declarations.无违法搭建",
            "a declaration left unanswered",
        ),
        (
            entry(
                "王一",
                json!(["1-1-101"]),
                json!({ DECLARATIONS[0]: true, DECLARATIONS[1]: true, "其他": true }),
            ),
            "declarations.其他",
            "a declaration the estate does not ask",
        ),
        (
            json!({ "name": "王一", "units": ["1-1-101"], "statement": " ", "nominated_by": "自荐", "declarations": all_yes() }),
            "statement",
            "a blank statement",
        ),
    ] {
        refused_naming(
            sec.post(&register, body).await,
            field,
            "invalid_value",
            what,
        );
    }
    // The photo is an image document of this election.
    let quote = upload(&sec, &election, "候选人名单说明", QUOTE_PDF)
        .await
        .expect(201);
    let photo = upload(&sec, &election, "王一照片", PLAN_PNG)
        .await
        .expect(201);
    let mut with_pdf = entry("王一", json!(["1-1-101"]), all_yes());
    with_pdf["photo_document"] = quote["id"].clone();
    refused_naming(
        sec.post(&register, with_pdf).await,
        "photo_document",
        "invalid_value",
        "a PDF as a photo",
    );
    auditor
        .post(&register, entry("王一", json!(["1-1-101"]), all_yes()))
        .await
        .refused(403, "read_only_role");

    let mut wang = entry("王一", json!(["1-1-101", "1-1-201"]), all_yes());
    wang["photo_document"] = photo["id"].clone();
    let wang = sec.post(&register, wang).await.expect(201);
    assert_eq!(
        (&wang["units"], &wang["review"], &wang["photo_url"]),
        (
            &json!(["1-1-101", "1-1-201"]),
            &Value::Null,
            &json!(format!("/documents/{}", photo["id"].as_str().unwrap()))
        )
    );
    let li = sec
        .post(
            &register,
            entry(
                "李二",
                json!(["2-1-101"]),
                json!({ DECLARATIONS[0]: true, DECLARATIONS[1]: false }),
            ),
        )
        .await
        .expect(201);
    let review = |id: &Value| format!("/api/v1/candidates/{}/review", id.as_str().unwrap());

    // The registrant never reviews their own entry; a rejection needs its reason.
    sec.post(&review(&wang["id"]), json!({ "eligible": true }))
        .await
        .refused(409, "candidate_review_same_person");
    refused_naming(
        second
            .post(&review(&li["id"]), json!({ "eligible": false }))
            .await,
        "reason",
        "invalid_value",
        "a rejection without a reason",
    );
    second
        .post(&review(&wang["id"]), json!({ "eligible": true }))
        .await
        .expect(200);
    let rejected = second
        .post(
            &review(&li["id"]),
            json!({ "eligible": false, "reason": "名下房屋存在违法搭建，尚未整改" }),
        )
        .await
        .expect(200);
    assert_eq!(rejected["review"], "rejected");

    // A rejected candidate still on the list stops the announcement, naming them.
    let refused = sec
        .post(
            &format!("/api/v1/assemblies/{}/announce", assembly.id),
            json!({}),
        )
        .await;
    assert!(
        refused.body["error"]["detail"]
            .as_str()
            .is_some_and(|d| d.contains("李二") && d.contains("not eligible")),
        "{}",
        refused.body
    );
    refused_naming(
        refused,
        "items[1].candidates[1]",
        "candidate_not_reviewed",
        "a rejected candidate",
    );

    // Registering again replaces the entry and starts its review again.
    let li = sec
        .post(&register, entry("李二", json!(["2-1-101"]), all_yes()))
        .await
        .expect(201);
    assert_eq!(li["review"], Value::Null);
    second
        .post(&review(&li["id"]), json!({ "eligible": true }))
        .await
        .expect(200);
    let listed = auditor.get(&register).await.expect(200);
    assert_eq!(
        (
            listed["listed"].clone(),
            listed["candidates"].as_array().map(Vec::len)
        ),
        (json!(["王一", "李二"]), Some(2)),
        "{listed}"
    );

    sec.announce(&assembly).await;
    // Fixed once announced.
    sec.post(&register, entry("王一", json!(["1-1-101"]), all_yes()))
        .await
        .refused(409, "candidates_fixed");
    second
        .post(
            &review(&li["id"]),
            json!({ "eligible": false, "reason": "改变主意" }),
        )
        .await
        .refused(409, "candidates_fixed");

    // Every step is in the audit log: who registered, who reviewed, and why.
    let (actions, audit) = auditor.audit_actions(&estate).await;
    let actions: Vec<&str> = actions
        .iter()
        .map(String::as_str)
        .filter(|a| a.starts_with("candidate") || *a == "estate.candidate_declarations")
        .collect();
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "candidate.registered")
            .count(),
        3,
        "{actions:?}"
    );
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "candidate.reviewed")
            .count(),
        3,
        "{actions:?}"
    );
    assert!(actions.contains(&"estate.candidate_declarations"));
    assert!(
        audit
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "candidate.reviewed"
                && e["detail"]["reason"] == "名下房屋存在违法搭建，尚未整改"),
        "{audit}"
    );

    // P4's code before the sheets are printed (printing issues the others').
    let codes = sec.issue_codes(&assembly, Some(vec!["P4"])).await;

    // The notice prints each statement with the candidate's units and nomination.
    let mut office = staff_browser(&app, "sec-cand").await;
    let notice = office
        .get(&format!("/staff/assemblies/{}/notice", assembly.id))
        .await;
    assert!(
        notice.html.contains("王一：退休会计")
            && notice.html.contains("1-1-101、1-1-201")
            && notice.html.contains("10 名业主联名推荐"),
        "{}",
        notice.html
    );
    // So does each printed sheet, in a line per candidate.
    let menu = office
        .get(&format!("/staff/assemblies/{}/print", assembly.id))
        .await;
    let csrf = menu.hidden("csrf").unwrap();
    let sheets = office
        .post(
            &format!("/staff/assemblies/{}/sheets", assembly.id),
            &[("csrf".into(), csrf)],
        )
        .await;
    assert!(
        sheets
            .html
            .contains("候选人简介（全文见公告）：王一：王一：退休会计，愿为业主管好…、李二："),
        "{}",
        sheets.html
    );

    // Owners read them where they decide, the photo with them.
    sec.open(&assembly).await;
    let owner = app.owner(&assembly, &codes["P4"]).await;
    let sheet = owner
        .get(&format!("/api/v1/assemblies/{}/ballot", assembly.id))
        .await
        .expect(200);
    assert_eq!(
        sheet["candidates"].as_array().map(Vec::len),
        Some(2),
        "{sheet}"
    );
    let mut phone = owner_browser(&app, &codes["P4"]).await;
    let page = phone.get("/ballot").await.html;
    assert!(
        page.contains("李二：退休会计")
            && page.contains(&format!(
                "src=\"/documents/{}\"",
                photo["id"].as_str().unwrap()
            )),
        "{page}"
    );
}

e2e!(an_election_opens_only_on_reviewed_candidates);
