//! Two-stage publication: the preliminary result and roll for owners, objections filed and
//! resolved (one rejected, one corrected through the paper-ballot correction path, which
//! re-counts), the final publication refused until the period is over and every objection is
//! resolved, then frozen and signed; the announcement as CSV and HTML.

use chrono::SecondsFormat;
use diesel::prelude::*;
use gongjue_api::export::check::check;
use gongjue_store::users::Role;
use serde_json::{Value, json};

use crate::e2e;
use crate::helpers::{SMALL_ROSTER, TestDb, spawn_app};

async fn text(s: &crate::helpers::Session, path: &str) -> (u16, String) {
    let r = s
        .http
        .get(format!("{}{path}", s.base))
        .bearer_auth(&s.token)
        .header("Accept-Language", "zh-CN")
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

async fn objections_are_heard_before_the_result_is_final(db: TestDb) {
    let mut raw = db.raw();
    let backend = format!("{:?}", db.backend()).to_lowercase();
    let app = spawn_app(db).await;
    let estate = app.estate("小区甲");
    let sec = app.staff("sec-pub", Role::Secretary, &estate).await;
    let sec2 = app.staff("sec-pub-2", Role::Secretary, &estate).await;
    sec.import_roster(&estate, SMALL_ROSTER.as_bytes())
        .await
        .expect(200);
    let assembly = sec
        .create_assembly_with(
            &estate,
            false,
            json!({ "objection_days": 7, "public_roll": true }),
        )
        .await;
    let motion = sec
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "续聘物业服务企业", "matter": 4 }),
        )
        .await;
    sec.announce(&assembly).await;
    sec.open(&assembly).await;
    let codes = sec.issue_codes(&assembly, None).await;
    let mut receipts = std::collections::BTreeMap::new();
    for (voter, choice) in [("P1", "yes"), ("P2", "no"), ("P4", "no")] {
        let owner = app.owner(&assembly, &codes[voter]).await;
        let reply = owner
            .vote(&assembly, &[(motion.as_str(), json!(choice))])
            .await
            .expect(200);
        receipts.insert(voter, reply[0]["receipt"].as_str().unwrap().to_owned());
    }
    let p1 = app.owner(&assembly, &codes["P1"]).await;
    let p4 = app.owner(&assembly, &codes["P4"]).await;
    let p5 = app.owner(&assembly, &codes["P5"]).await;
    let publication = format!("/api/v1/assemblies/{}/publication", assembly.id);
    p1.get(&publication).await.refused(409, "not_closed_yet");
    sec.close_early(&assembly).await;

    // The preliminary publication: the roll carries each unit's receipt, choice and masked name.
    let published = p1.get(&publication).await.expect(200);
    assert_eq!(published["stage"], "preliminary");
    assert_eq!(published["public_roll"], true);
    let roll = published["items"][0]["roll"].as_array().unwrap();
    assert_eq!(roll.len(), 5);
    let unit = |number: &str| roll.iter().find(|u| u["unit"] == number).unwrap().clone();
    assert_eq!(unit("1-1-101")["receipt"], receipts["P1"].as_str());
    assert_eq!(
        unit("1-1-201")["receipt"],
        receipts["P1"].as_str(),
        "P1's two units, one ballot"
    );
    assert_eq!(unit("1-1-102")["choice"], "no");
    assert_eq!(unit("1-1-102")["owner"], "*", "乙 masked");
    assert_eq!(unit("2-1-102")["voted"], false);
    assert_eq!(
        published["items"][0]["result"]["choices"]["yes"]["heads"],
        1
    );
    let mine = p5.get(&format!("{publication}/mine")).await.expect(200);
    assert_eq!(mine[0]["units"], json!(["2-1-102"]));
    assert_eq!(mine[0]["voted"], false);

    // Objections: by owners, during the period, about their own item.
    let objections = format!("/api/v1/assemblies/{}/objections", assembly.id);
    p5.post(&objections, json!({ "item": motion, "text": "  " }))
        .await
        .refused(422, "invalid_value");
    p5.post(&objections, json!({ "item": "nope", "text": "x" }))
        .await
        .refused(422, "invalid_value");
    sec.post(&objections, json!({ "item": motion, "text": "x" }))
        .await
        .refused(403, "owners_only");
    let missing = p5
        .post(
            &objections,
            json!({ "item": motion, "text": "我在投票箱投了同意票，但没有记录。" }),
        )
        .await
        .expect(201);
    let wrong = p4
        .post(
            &objections,
            json!({ "item": motion, "text": "我投的是同意。" }),
        )
        .await
        .expect(201);
    assert_eq!(
        p5.get(&objections)
            .await
            .expect(200)
            .as_array()
            .unwrap()
            .len(),
        1,
        "an owner sees their own"
    );
    assert_eq!(
        sec.get(&objections)
            .await
            .expect(200)
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // Not final while the period runs, nor while objections are open.
    let finalize = format!("{publication}/final");
    sec.post(&finalize, json!({}))
        .await
        .refused(409, "objection_period_running");
    let (status, _) = text(&sec, &format!("/api/v1/items/{motion}/export")).await;
    assert_eq!(status, 409, "no signed export of a preliminary result");

    // The correction: a paper ballot received in time, entered with a reason, confirmed by another person.
    let received = (assembly.opens + chrono::Duration::milliseconds(1))
        .to_rfc3339_opts(SecondsFormat::Millis, true);
    let paper = format!("/api/v1/assemblies/{}/paper-ballots", assembly.id);
    sec.post(
        &paper,
        json!({ "item": motion, "voter": "P5", "choice": "yes", "received_at": received }),
    )
    .await
    .refused(409, "voting_closed");
    let corrected = sec
        .post(&paper, json!({ "item": motion, "voter": "P5", "choice": "yes", "received_at": received, "correction_reason": "异议：投票箱第3号选票漏录" }))
        .await
        .expect(201);
    let ballot = corrected["id"].as_str().unwrap();
    let resolve = |id: &Value| format!("/api/v1/objections/{}/resolve", id.as_str().unwrap());
    sec.post(
        &resolve(&missing["id"]),
        json!({ "resolution": "corrected", "reason": "已补录", "ballot": ballot }),
    )
    .await
    .refused(422, "invalid_value");
    sec2.post(
        &format!("/api/v1/paper-ballots/{ballot}/confirm"),
        json!({}),
    )
    .await
    .expect(200);
    let done = sec
        .post(
            &resolve(&missing["id"]),
            json!({ "resolution": "corrected", "reason": "已补录选票", "ballot": ballot }),
        )
        .await
        .expect(200);
    assert_eq!(done["status"], "corrected");
    sec.post(
        &resolve(&wrong["id"]),
        json!({ "resolution": "corrected", "reason": "x" }),
    )
    .await
    .refused(409, "correction_needs_ballot");
    sec.post(
        &resolve(&wrong["id"]),
        json!({ "resolution": "rejected", "reason": "" }),
    )
    .await
    .refused(422, "invalid_value");
    sec.post(
        &resolve(&wrong["id"]),
        json!({ "resolution": "rejected", "reason": "网络投票记录与回执一致" }),
    )
    .await
    .expect(200);
    sec.post(
        &resolve(&wrong["id"]),
        json!({ "resolution": "rejected", "reason": "again" }),
    )
    .await
    .refused(409, "objection_resolved");
    let recount = p5.get(&publication).await.expect(200);
    assert_eq!(
        recount["items"][0]["result"]["choices"]["yes"]["heads"], 2,
        "the correction is counted"
    );
    let mine = p5.get(&format!("{publication}/mine")).await.expect(200);
    assert_eq!(
        (
            mine[0]["voted"].clone(),
            mine[0]["channel"].clone(),
            mine[0]["receipt"].clone()
        ),
        (json!(true), json!("paper"), corrected["receipt"].clone())
    );

    // The period ends (moved into the past directly in the database), then the result is final.
    diesel::sql_query(format!("UPDATE publications SET objections_until = '2000-01-01T00:00:00.000000Z' WHERE assembly_id = '{}'", assembly.id))
        .execute(&mut raw)
        .unwrap();
    p5.post(&objections, json!({ "item": motion, "text": "too late" }))
        .await
        .refused(409, "objection_period_over");
    let final_ = sec.post(&finalize, json!({})).await.expect(200);
    assert_eq!(final_["publication"]["stage"], "final");
    assert_eq!(final_["exports"].as_array().unwrap().len(), 1);
    sec.post(&finalize, json!({}))
        .await
        .refused(409, "already_final");
    sec.post(&paper, json!({ "item": motion, "voter": "P4", "choice": "yes", "received_at": received, "correction_reason": "late" })).await.refused(409, "voting_closed");

    // The signed export holds the corrected ballots and signs the final publication's audit entry.
    let (_, bundle) = text(&sec, &format!("/api/v1/items/{motion}/export")).await;
    let (_, jws) = text(&sec, &format!("/api/v1/items/{motion}/export.jws")).await;
    let jwks = app
        .anonymous()
        .get("/.well-known/jwks.json")
        .await
        .expect(200);
    let checked = check(bundle.as_bytes(), &jws, &jwks).unwrap();
    let doc: Value = serde_json::from_str(&bundle).unwrap();
    assert_eq!(doc["result"]["choices"]["yes"]["heads"], 2);
    // Kept for `.ci/verify_export.py`, which checks it again with PyJWT and hashlib.
    let sample = std::path::Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("export-sample")
        .join(&backend);
    let _ = std::fs::remove_dir_all(&sample);
    std::fs::create_dir_all(&sample).unwrap();
    let name = final_["exports"][0]["name"].as_str().unwrap();
    std::fs::write(sample.join(name), &bundle).unwrap();
    std::fs::write(sample.join(format!("{name}.jws")), &jws).unwrap();
    std::fs::write(
        sample.join("jwks.json"),
        serde_json::to_vec_pretty(&jwks).unwrap(),
    )
    .unwrap();
    let log = app.store.audit_entries(&estate, 0, 1000).unwrap();
    let final_entry = log
        .iter()
        .find(|e| e.action == "publication.final")
        .unwrap();
    assert_eq!(
        (
            checked.claims.audit_seq_at_close,
            checked.claims.audit_head_at_close.as_str()
        ),
        (final_entry.seq, final_entry.entry_hash.as_str())
    );
    for action in [
        "publication.preliminary",
        "objection.filed",
        "objection.resolved",
        "ballot.corrected",
    ] {
        assert!(
            log.iter().any(|e| e.action == action),
            "{action} in the audit log"
        );
    }
    let report = sec
        .get(&format!("/api/v1/estates/{estate}/audit/verify"))
        .await
        .expect(200);
    assert_eq!(report["ok"], true, "{report}");

    // The announcement: figures with exact shares, the roll with masked names and receipts.
    let (status, csv) = text(
        &p1,
        &format!("/api/v1/assemblies/{}/announcement.csv", assembly.id),
    )
    .await;
    assert_eq!(status, 200);
    assert!(csv.starts_with('\u{feff}'));
    assert!(
        csv.contains("统计,同意,300.00,62.50%,5/8,2,50.00%,1/2,3"),
        "{csv}"
    );
    assert!(
        csv.contains(&format!(
            "2-1-102,*,同意,paper,{}",
            corrected["receipt"].as_str().unwrap()
        )),
        "{csv}"
    );
    let (status, html) = text(
        &sec,
        &format!("/api/v1/assemblies/{}/announcement.html", assembly.id),
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("最终结果") && html.contains(receipts["P1"].as_str()),
        "{html}"
    );
}

async fn without_a_public_roll_only_receipts_are_published(db: TestDb) {
    let small = crate::helpers::small_open_assembly(db, false).await;
    let owner = small.app.owner(&small.assembly, &small.codes["P1"]).await;
    let receipt = owner
        .vote(&small.assembly, &[(small.motion.as_str(), json!("yes"))])
        .await
        .expect(200)[0]["receipt"]
        .as_str()
        .unwrap()
        .to_owned();
    small.secretary.close_early(&small.assembly).await;
    let published = owner
        .get(&format!(
            "/api/v1/assemblies/{}/publication",
            small.assembly.id
        ))
        .await
        .expect(200);
    let roll = published["items"][0]["roll"].as_array().unwrap();
    let p1 = roll.iter().find(|u| u["unit"] == "1-1-101").unwrap();
    assert_eq!(
        (p1["receipt"].as_str(), &p1["choice"], &p1["owner"]),
        (Some(receipt.as_str()), &Value::Null, &Value::Null)
    );
    let (_, csv) = text(
        &owner,
        &format!("/api/v1/assemblies/{}/announcement.csv", small.assembly.id),
    )
    .await;
    assert!(csv.contains(&receipt) && !csv.contains("1-1-101"), "{csv}");
    // An objection period of 0 days: the result can be made final at once, and owners cannot object.
    let objections = format!("/api/v1/assemblies/{}/objections", small.assembly.id);
    owner
        .post(&objections, json!({ "item": small.motion, "text": "x" }))
        .await
        .refused(409, "objection_period_over");
}

e2e!(
    objections_are_heard_before_the_result_is_final,
    without_a_public_roll_only_receipts_are_published
);
