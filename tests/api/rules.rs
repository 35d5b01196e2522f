//! The service's rules, each refused with its own 4xx code.

use chrono::{Duration, SecondsFormat, Utc};
use gongjue_store::users::Role;
use serde_json::json;

use crate::e2e;
use crate::helpers::{SMALL_ROSTER, TestDb, small_open_assembly, spawn_app};

/// Before opening: no ballot; after announcing: no new item; notice too short: no announcing.
async fn the_timetable_is_kept(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("小区甲");
    let secretary = app.staff("sec", Role::Secretary, &estate).await;
    secretary
        .import_roster(&estate, SMALL_ROSTER.as_bytes())
        .await
        .expect(200);

    // The default notice period is 15 days.
    let soon =
        |days: i64| (Utc::now() + Duration::days(days)).to_rfc3339_opts(SecondsFormat::Secs, true);
    let body = json!({ "title": "临时会议", "opens_at": soon(3), "closes_at": soon(10) });
    let hasty = secretary
        .post(&format!("/api/v1/estates/{estate}/assemblies"), body)
        .await
        .expect(201);
    assert_eq!(hasty["notice_days"], 15);
    let hasty_id = hasty["id"].as_str().unwrap_or_default();
    secretary
        .post(
            &format!("/api/v1/assemblies/{hasty_id}/items"),
            json!({ "kind": "motion", "title": "x", "matter": 9 }),
        )
        .await
        .expect(201);
    secretary
        .post(
            &format!("/api/v1/assemblies/{hasty_id}/announce"),
            json!({}),
        )
        .await
        .refused(409, "notice_too_short");
    let backwards = json!({ "title": "x", "opens_at": soon(20), "closes_at": soon(19) });
    secretary
        .post(&format!("/api/v1/estates/{estate}/assemblies"), backwards)
        .await
        .refused(422, "invalid_value");

    let assembly = secretary.create_assembly(&estate, true).await;
    let motion = secretary
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "续聘物业", "matter": 4 }),
        )
        .await;
    secretary.announce(&assembly).await;
    secretary
        .post(
            &format!("/api/v1/assemblies/{}/items", assembly.id),
            json!({ "kind": "motion", "title": "追加", "matter": 9 }),
        )
        .await
        .refused(409, "items_only_in_draft");
    let codes = secretary.issue_codes(&assembly, None).await;
    let p1 = app.owner(&assembly, &codes["P1"]).await;
    p1.vote(&assembly, &[(motion.as_str(), json!("yes"))])
        .await
        .refused(409, "voting_not_open");
    secretary
        .post(
            &format!("/api/v1/assemblies/{}/close", assembly.id),
            json!({}),
        )
        .await
        .refused(409, "conflict");
    secretary.open(&assembly).await;
    p1.vote(&assembly, &[(motion.as_str(), json!("yes"))])
        .await
        .expect(200);
    // Closing before the scheduled time needs a reason.
    secretary
        .post(
            &format!("/api/v1/assemblies/{}/close", assembly.id),
            json!({}),
        )
        .await
        .refused(409, "closing_early");
    secretary.close_early(&assembly).await;
    p1.vote(&assembly, &[(motion.as_str(), json!("no"))])
        .await
        .refused(409, "voting_closed");
    secretary
        .enter_paper(&assembly, &motion, "P2", json!("no"))
        .await
        .refused(409, "voting_closed");
}

/// A paper ballot counts only with a receipt time inside the window, confirmed by another user.
async fn paper_ballots_need_a_receipt_time_in_the_window(db: TestDb) {
    let s = small_open_assembly(db, true).await;
    let before = (Utc::now() - Duration::hours(2)).to_rfc3339();
    let body = json!({ "item": s.motion, "voter": "P2", "choice": "yes", "received_at": before });
    let refused = s
        .secretary
        .post(
            &format!("/api/v1/assemblies/{}/paper-ballots", s.assembly.id),
            body,
        )
        .await
        .refused(422, "receipt_outside_window");
    assert_eq!(refused["error"]["field"], "received_at");
    let paper = s
        .secretary
        .enter_paper(&s.assembly, &s.motion, "P2", json!("invalid"))
        .await
        .expect(201);
    let id = paper["id"].as_str().unwrap_or_default();
    s.secretary
        .post(&format!("/api/v1/paper-ballots/{id}/confirm"), json!({}))
        .await
        .refused(409, "same_person_confirms");
    let turnout = s
        .secretary
        .get(&format!("/api/v1/assemblies/{}/turnout", s.assembly.id))
        .await
        .expect(200);
    assert_eq!(
        turnout[0]["participation"]["heads"], 0,
        "an unconfirmed paper ballot does not count"
    );
    let second = s.app.staff("sec-two", Role::Secretary, &s.estate).await;
    second
        .post(&format!("/api/v1/paper-ballots/{id}/confirm"), json!({}))
        .await
        .expect(200);
    second
        .post(&format!("/api/v1/paper-ballots/{id}/confirm"), json!({}))
        .await
        .refused(409, "conflict");
    let turnout = s
        .secretary
        .get(&format!("/api/v1/assemblies/{}/turnout", s.assembly.id))
        .await
        .expect(200);
    assert_eq!(turnout[0]["participation"]["heads"], 1);
}

/// Where the assembly does not allow it, a ballot cannot be changed.
async fn ballots_are_final_when_the_assembly_says_so(db: TestDb) {
    let s = small_open_assembly(db, false).await;
    let p1 = s.app.owner(&s.assembly, &s.codes["P1"]).await;
    p1.vote(&s.assembly, &[(s.motion.as_str(), json!("yes"))])
        .await
        .expect(200);
    p1.vote(&s.assembly, &[(s.motion.as_str(), json!("no"))])
        .await
        .refused(409, "ballot_not_changeable");
    // A retry of the same request (same Idempotency-Key) is answered, not refused or doubled.
    let votes = json!({ "votes": [{ "item": s.motion, "choice": "abstain" }] });
    let p2 = s.app.owner(&s.assembly, &s.codes["P2"]).await;
    let send = || {
        p2.http
            .put(format!(
                "{}/api/v1/assemblies/{}/ballot",
                p2.base, s.assembly.id
            ))
            .bearer_auth(&p2.token)
            .header("Idempotency-Key", "retry-1")
            .json(&votes)
            .send()
    };
    let first: serde_json::Value = send().await.expect("send").json().await.expect("json");
    assert_eq!(first[0]["replayed"], false);
    let retry: serde_json::Value = send().await.expect("send").json().await.expect("json");
    assert_eq!(retry[0]["replayed"], true, "{retry}");
    assert_eq!(retry[0]["receipt"], first[0]["receipt"]);
}

/// Choices must fit the item: online, no spoilt ballots; an election takes at most `seats` marks.
async fn a_choice_must_fit_its_item(db: TestDb) {
    let s = small_open_assembly(db, true).await;
    let p1 = s.app.owner(&s.assembly, &s.codes["P1"]).await;
    p1.vote(&s.assembly, &[(s.motion.as_str(), json!("maybe"))])
        .await
        .refused(422, "invalid_choice");
    p1.vote(&s.assembly, &[(s.motion.as_str(), json!("invalid"))])
        .await
        .refused(422, "invalid_choice");
    p1.vote(&s.assembly, &[(s.motion.as_str(), json!(["yes"]))])
        .await
        .refused(422, "invalid_choice");
    p1.vote(&s.assembly, &[("no-such-item", json!("yes"))])
        .await
        .refused(422, "invalid_value");
    let sheet = p1
        .get(&format!("/api/v1/assemblies/{}/ballot", s.assembly.id))
        .await
        .expect(200);
    assert!(
        sheet["entries"][0]["current"].is_null(),
        "nothing was stored"
    );
}

/// A unit sold while voting is open moves to its new owner only by a recorded transfer, and
/// only before the old owner voted.
async fn a_voting_right_moves_only_by_a_recorded_transfer(db: TestDb) {
    let s = small_open_assembly(db, true).await;
    let path = format!("/api/v1/assemblies/{}/transfers", s.assembly.id);
    s.secretary
        .post(
            &path,
            json!({ "unit": "2-1-102", "to_voter": "P9", "deed_ref": "" }),
        )
        .await
        .refused(422, "invalid_value");
    s.secretary
        .post(
            &path,
            json!({ "unit": "2-1-102", "to_voter": "  ", "deed_ref": "沪(2026)浦字第012345号" }),
        )
        .await
        .refused(422, "invalid_value");
    let transfer = s
        .secretary
        .post(
            &path,
            json!({ "unit": "2-1-102", "to_voter": " P9 ", "deed_ref": "沪(2026)浦字第012345号" }),
        )
        .await
        .expect(201);
    assert_eq!(
        transfer["to_voter"], "P9",
        "stored trimmed, as the roster stores owner ids"
    );
    assert_eq!(transfer["from_voter"], "P5");
    // Issue 17: it takes effect once a second staff member confirms it.
    let second = s.app.staff("sec-small-2", Role::Secretary, &s.estate).await;
    second
        .post(
            &format!(
                "/api/v1/transfers/{}/confirm",
                transfer["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await
        .expect(200);
    let codes = s.secretary.issue_codes(&s.assembly, Some(vec!["P9"])).await;
    let p9 = s.app.owner(&s.assembly, &codes["P9"]).await;
    p9.vote(&s.assembly, &[(s.motion.as_str(), json!("yes"))])
        .await
        .expect(200);
    let p5 = s.app.owner(&s.assembly, &s.codes["P5"]).await;
    p5.vote(&s.assembly, &[(s.motion.as_str(), json!("no"))])
        .await
        .refused(403, "not_in_electorate");
    // P4 voted first: their unit's vote stays with them.
    let p4 = s.app.owner(&s.assembly, &s.codes["P4"]).await;
    p4.vote(&s.assembly, &[(s.motion.as_str(), json!("no"))])
        .await
        .expect(200);
    s.secretary
        .post(
            &path,
            json!({ "unit": "2-1-101", "to_voter": "P8", "deed_ref": "沪(2026)浦字第012346号" }),
        )
        .await
        .refused(409, "seller_voted");
    let audit = s
        .secretary
        .get(&format!("/api/v1/estates/{}/audit", s.estate))
        .await
        .expect(200);
    assert!(
        audit
            .as_array()
            .expect("entries")
            .iter()
            .any(|e| e["action"] == "electorate.transferred"
                && e["detail"]["deed_ref"] == "沪(2026)浦字第012345号")
    );
}

/// A proxy names two owners of the assembly; an unknown id (a typo) is refused naming the field,
/// while a transfer's new owner, on no roster, may hold or give one.
async fn a_proxy_names_owners_of_the_assembly(db: TestDb) {
    let s = small_open_assembly(db, true).await;
    let path = format!("/api/v1/assemblies/{}/proxies", s.assembly.id);
    let proxy = |member: &str, holder: &str| json!({ "member": member, "holder": holder, "document_ref": "委托书 R-1" });
    let refused = s
        .secretary
        .post(&path, proxy("P3", "P1"))
        .await
        .refused(422, "invalid_value");
    assert_eq!(refused["error"]["field"], "member");
    let refused = s
        .secretary
        .post(&path, proxy("P2", "p1"))
        .await
        .refused(422, "invalid_value");
    assert_eq!(refused["error"]["field"], "holder");
    assert!(
        s.app
            .store
            .assembly_proxies(&s.assembly.id)
            .expect("proxies")
            .is_empty()
    );
    let transfer = s
        .secretary
        .post(
            &format!("/api/v1/assemblies/{}/transfers", s.assembly.id),
            json!({ "unit": "2-1-102", "to_voter": "P9", "deed_ref": "沪(2026)第2号" }),
        )
        .await
        .expect(201);
    // Pending, P9 is nobody of the assembly yet; confirmed by a second secretary, they are.
    s.secretary
        .post(&path, proxy("P2", "P9"))
        .await
        .refused(422, "invalid_value");
    s.app
        .staff("sec-small-2", Role::Secretary, &s.estate)
        .await
        .post(
            &format!(
                "/api/v1/transfers/{}/confirm",
                transfer["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await
        .expect(200);
    s.secretary.post(&path, proxy("P2", "P9")).await.expect(201);
}

e2e!(
    a_proxy_names_owners_of_the_assembly,
    the_timetable_is_kept,
    paper_ballots_need_a_receipt_time_in_the_window,
    ballots_are_final_when_the_assembly_says_so,
    a_choice_must_fit_its_item,
    a_voting_right_moves_only_by_a_recorded_transfer,
);
