//! Building volunteers (楼组长, issue 19): a secretary creates one for a building; the volunteer
//! sees their building's turnout against the 2/3 lines and who there has not voted, never what
//! anyone chose and nothing of other buildings; records door visits (audited); and enters the
//! paper forms collected at the door, which count only once a secretary confirms them.

use gongjue_store::users::Role;
use serde_json::json;

use crate::e2e;
use crate::helpers::{SMALL_ROSTER, Session, TestDb, spawn_app};
use crate::setup_mistakes::refused_naming;
use crate::web_pages::staff_browser_with;

async fn a_volunteer_works_their_building_and_sees_no_choice(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("小区甲");
    let sec = app.staff("sec-vol", Role::Secretary, &estate).await;
    let auditor = app.staff("aud-vol", Role::Auditor, &estate).await;
    sec.import_roster(&estate, SMALL_ROSTER.as_bytes())
        .await
        .expect(200);
    let volunteers = format!("/api/v1/estates/{estate}/volunteers");

    // Refusals name what to fix; only secretaries and admins create volunteers.
    for (body, field, code) in [
        (
            json!({ "login": "chen", "display_name": "陈阿姨", "buildings": ["9"] }),
            "buildings[0]",
            "invalid_value",
        ),
        (
            json!({ "login": "chen", "display_name": "陈阿姨", "stairwells": ["1-9"] }),
            "stairwells[0]",
            "invalid_value",
        ),
        (
            json!({ "login": "chen", "display_name": "陈阿姨" }),
            "buildings",
            "invalid_value",
        ),
        (
            json!({ "login": "x", "display_name": "陈阿姨", "buildings": ["1"] }),
            "login",
            "invalid_value",
        ),
        (
            json!({ "login": "sec-vol", "display_name": "陈阿姨", "buildings": ["1"] }),
            "login",
            "login_taken",
        ),
    ] {
        refused_naming(sec.post(&volunteers, body).await, field, code, field);
    }
    auditor
        .post(
            &volunteers,
            json!({ "login": "chen", "display_name": "陈阿姨", "buildings": ["1"] }),
        )
        .await
        .refused(403, "read_only_role");
    let created = sec
        .post(
            &volunteers,
            json!({ "login": "chen", "display_name": "1号楼 陈阿姨", "buildings": ["1"] }),
        )
        .await
        .expect(201);
    assert_eq!(created["volunteer"]["areas"], json!(["1"]));
    let listed = auditor.get(&volunteers).await.expect(200);
    assert_eq!(listed[0]["login"], "chen", "{listed}");
    let session = app
        .anonymous()
        .post(
            "/api/v1/sessions",
            json!({ "login": "chen", "password": created["password"] }),
        )
        .await
        .expect(200);
    assert_eq!(session["role"], "volunteer");
    let volunteer = Session {
        token: session["token"].as_str().unwrap().to_owned(),
        ..app.anonymous()
    };

    let assembly = sec.create_assembly(&estate, true).await;
    let motion = sec
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "续聘物业", "matter": 4 }),
        )
        .await;
    sec.announce(&assembly).await;
    let round = format!("/api/v1/assemblies/{}/round", assembly.id);
    volunteer
        .get(&round)
        .await
        .refused(409, "round_only_while_open");
    sec.open(&assembly).await;
    let codes = sec.issue_codes(&assembly, None).await;

    // Nothing a secretary or auditor reads is open to a volunteer.
    for path in [
        format!("/api/v1/assemblies/{}/turnout", assembly.id),
        format!("/api/v1/assemblies/{}", assembly.id),
        format!("/api/v1/assemblies/{}/paper-ballots", assembly.id),
        format!("/api/v1/estates/{estate}/audit"),
        format!("/api/v1/estates/{estate}/units"),
        volunteers.clone(),
    ] {
        let reply = volunteer.get(&path).await;
        assert_eq!(reply.status, 403, "{path}: {}", reply.body);
    }
    sec.get(&round).await.refused(403, "volunteers_only");

    // 甲 (P1, building 1) votes; 丁 (P4) in building 2 too.
    app.owner(&assembly, &codes["P1"])
        .await
        .vote(&assembly, &[(motion.as_str(), json!("no"))])
        .await
        .expect(200);
    app.owner(&assembly, &codes["P4"])
        .await
        .vote(&assembly, &[(motion.as_str(), json!("yes"))])
        .await
        .expect(200);
    let seen = volunteer.get(&round).await.expect(200);
    // Building 1: 甲 (2 units, 220 m²) of 甲 and 乙 (100 m²): 1 of 2 heads, 220 of 320 m².
    let area = &seen["areas"][0];
    assert_eq!(area["area"], "1");
    let item = &area["items"][0];
    assert_eq!(
        (
            &item["participation"]["heads"],
            &item["totals"]["heads"],
            &item["missing_heads"],
            &item["missing_area"]
        ),
        (&json!(1), &json!(2), &json!(1), &json!("0.00")),
        "{seen}"
    );
    // Only 乙 (P2) of building 1 is left; nobody of building 2; no choice anywhere.
    let doors: Vec<&str> = seen["doors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["voter"].as_str().unwrap())
        .collect();
    assert_eq!(doors, ["P2"], "{seen}");
    let text = seen.to_string();
    for secret in ["\"yes\"", "\"no\"", "choice", "P4", "2-1-101"] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }

    // Door visits: their building only, a known outcome, audited.
    let visits = format!("/api/v1/assemblies/{}/visits", assembly.id);
    refused_naming(
        volunteer
            .post(&visits, json!({ "voter": "P2", "outcome": "maybe" }))
            .await,
        "outcome",
        "invalid_value",
        "an unknown outcome",
    );
    let other = volunteer
        .post(&visits, json!({ "voter": "P4", "outcome": "not_home" }))
        .await;
    assert_eq!(other.status, 404, "{}", other.body);
    sec.post(&visits, json!({ "voter": "P2", "outcome": "not_home" }))
        .await
        .refused(403, "volunteers_only");
    volunteer
        .post(
            &visits,
            json!({ "voter": "P2", "outcome": "paper_collected", "note": "周末收回" }),
        )
        .await
        .expect(201);
    let seen = volunteer.get(&round).await.expect(200);
    assert_eq!(
        seen["doors"][0]["last_visit"]["outcome"], "paper_collected",
        "{seen}"
    );

    // The paper collected at the door: entered by the volunteer, counted only once a secretary
    // confirms it; never for another building, never confirmed by the volunteer.
    let paper = |voter: &str| {
        json!({ "item": motion, "voter": voter, "choice": "yes",
                "received_at": chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true) })
    };
    let papers = format!("/api/v1/assemblies/{}/paper-ballots", assembly.id);
    let other = volunteer.post(&papers, paper("P5")).await;
    assert_eq!(other.status, 404, "{}", other.body);
    let entered = volunteer.post(&papers, paper("P2")).await.expect(201);
    assert_eq!(entered["confirmed"], false);
    let confirm = format!(
        "/api/v1/paper-ballots/{}/confirm",
        entered["id"].as_str().unwrap()
    );
    volunteer
        .post(&confirm, json!({}))
        .await
        .refused(403, "volunteers_round_only");
    let counted = |store: &gongjue_store::Store| {
        store
            .ballot_versions(&motion)
            .unwrap()
            .iter()
            .filter(|v| v.voter == "P2" && v.confirmed_by.is_some())
            .count()
    };
    assert_eq!(
        counted(&app.store),
        0,
        "not counted before a secretary confirms"
    );
    // Not by the secretary who created the volunteer: they could have entered it themselves.
    sec.post(&confirm, json!({}))
        .await
        .refused(409, "volunteer_creator_confirms");
    let second = app.staff("sec-vol-2", Role::Secretary, &estate).await;
    second.post(&confirm, json!({})).await.expect(200);
    assert_eq!(counted(&app.store), 1);

    let (actions, _) = sec.audit_actions(&estate).await;
    assert!(
        actions.iter().any(|a| a == "volunteer.created")
            && actions.iter().any(|a| a == "door_visit.recorded"),
        "{actions:?}"
    );

    // The pages: a volunteer's home is their round; the staff pages turn them away.
    let mut phone = staff_browser_with(&app, "chen", created["password"].as_str().unwrap()).await;
    let home = phone.get("/volunteer").await;
    assert!(
        home.html.contains("负责：1号楼")
            && home.html.contains("已参加 2/2 户")
            && home.html.contains("负责楼栋的业主都已投票")
            && !home.html.contains("丁"),
        "{}",
        home.html
    );
    let dashboard = phone
        .get(&format!("/staff/assemblies/{}", assembly.id))
        .await;
    assert_eq!(dashboard.status, 403, "{}", dashboard.html);
    let doors = phone
        .get(&format!("/volunteer/assemblies/{}/doors", assembly.id))
        .await;
    assert_eq!(doors.status, 200, "{}", doors.html);
}

e2e!(a_volunteer_works_their_building_and_sees_no_choice);
