//! One test per authorization rule of issue 4.

use gongjue_store::users::Role;
use serde_json::json;

use crate::e2e;
use crate::helpers::{SMALL_ROSTER, TestDb, small_open_assembly};

/// Without a token, or with a forged one, nothing but signing in and health answers.
async fn nobody_without_a_valid_token(db: TestDb) {
    let s = small_open_assembly(db, true).await;
    let anonymous = s.app.anonymous();
    anonymous
        .get(&format!("/api/v1/estates/{}/units", s.estate))
        .await
        .refused(401, "unauthenticated");
    anonymous
        .get(&format!("/api/v1/assemblies/{}/ballot", s.assembly.id))
        .await
        .refused(401, "unauthenticated");
    let forged = crate::helpers::Session {
        token: "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl".into(),
        ..anonymous.clone()
    };
    forged
        .get(&format!("/api/v1/estates/{}/units", s.estate))
        .await
        .refused(401, "bad_token");
    anonymous.get("/healthz").await.expect(200);
}

/// An owner reads and casts their own ballot only: not another member's without a proxy, not
/// another assembly's, and no staff route.
async fn an_owner_only_reads_and_casts_their_own_ballot(db: TestDb) {
    let s = small_open_assembly(db, true).await;
    let p1 = s.app.owner(&s.assembly, &s.codes["P1"]).await;
    p1.vote(&s.assembly, &[(s.motion.as_str(), json!("yes"))])
        .await
        .expect(200);
    p1.vote_for(&s.assembly, "P2", &s.motion, json!("no"))
        .await
        .refused(403, "no_proxy");
    // P2's sheet, as P2 sees it, shows no ballot: P1's attempt stored nothing.
    let p2 = s.app.owner(&s.assembly, &s.codes["P2"]).await;
    let sheet = p2
        .get(&format!("/api/v1/assemblies/{}/ballot", s.assembly.id))
        .await
        .expect(200);
    assert_eq!(sheet["voter"], "P2");
    assert!(sheet["entries"][0]["current"].is_null());
    // A second assembly of the same estate: P1's token is not for it.
    let other = s.secretary.create_assembly(&s.estate, true).await;
    p1.get(&format!("/api/v1/assemblies/{}/ballot", other.id))
        .await
        .refused(403, "forbidden");
    p1.get(&format!("/api/v1/assemblies/{}", other.id))
        .await
        .refused(403, "forbidden");
    // Staff routes.
    p1.get(&format!("/api/v1/assemblies/{}/turnout", s.assembly.id))
        .await
        .refused(403, "staff_only");
    p1.get(&format!("/api/v1/estates/{}/audit", s.estate))
        .await
        .refused(403, "staff_only");
    p1.post(
        &format!("/api/v1/assemblies/{}/codes", s.assembly.id),
        json!({}),
    )
    .await
    .refused(403, "staff_only");
    s.secretary
        .get(&format!("/api/v1/assemblies/{}/ballot", s.assembly.id))
        .await
        .refused(403, "owners_only");
}

/// An auditor reads everything of their estate and writes nothing.
async fn an_auditor_reads_everything_and_writes_nothing(db: TestDb) {
    let s = small_open_assembly(db, true).await;
    let auditor = s.app.staff("auditor", Role::Auditor, &s.estate).await;
    auditor
        .get(&format!("/api/v1/estates/{}/units", s.estate))
        .await
        .expect(200);
    auditor
        .get(&format!("/api/v1/estates/{}/audit", s.estate))
        .await
        .expect(200);
    auditor
        .get(&format!("/api/v1/assemblies/{}", s.assembly.id))
        .await
        .expect(200);
    auditor
        .get(&format!("/api/v1/assemblies/{}/turnout", s.assembly.id))
        .await
        .expect(200);
    auditor
        .import_roster(&s.estate, SMALL_ROSTER.as_bytes())
        .await
        .refused(403, "read_only_role");
    auditor.post(&format!("/api/v1/estates/{}/assemblies", s.estate), json!({ "title": "x", "opens_at": "2030-01-01T00:00:00Z", "closes_at": "2030-01-02T00:00:00Z" })).await.refused(403, "read_only_role");
    auditor
        .post(
            &format!("/api/v1/assemblies/{}/codes", s.assembly.id),
            json!({}),
        )
        .await
        .refused(403, "read_only_role");
    auditor
        .post(
            &format!("/api/v1/assemblies/{}/proxies", s.assembly.id),
            json!({ "member": "P1", "holder": "P2", "document_ref": "x" }),
        )
        .await
        .refused(403, "read_only_role");
    auditor
        .enter_paper(&s.assembly, &s.motion, "P1", json!("yes"))
        .await
        .refused(403, "read_only_role");
    let paper = s
        .secretary
        .enter_paper(&s.assembly, &s.motion, "P2", json!("yes"))
        .await
        .expect(201);
    auditor
        .post(
            &format!(
                "/api/v1/paper-ballots/{}/confirm",
                paper["id"].as_str().unwrap_or_default()
            ),
            json!({}),
        )
        .await
        .refused(403, "read_only_role");
    auditor
        .post(
            &format!("/api/v1/assemblies/{}/close", s.assembly.id),
            json!({ "reason": "x" }),
        )
        .await
        .refused(403, "read_only_role");
    auditor
        .post("/api/v1/estates", json!({ "name": "x" }))
        .await
        .refused(403, "forbidden");
    // Nothing the auditor tried is in the log as done.
    let audit = auditor
        .get(&format!("/api/v1/estates/{}/audit", s.estate))
        .await
        .expect(200);
    assert!(
        !audit
            .as_array()
            .unwrap_or(&vec![])
            .iter()
            .any(|e| e["action"] == "proxy.recorded" || e["action"] == "assembly.closed")
    );
}

/// A secretary of estate A sees nothing of estate B.
async fn a_secretary_of_one_estate_sees_nothing_of_another(db: TestDb) {
    let s = small_open_assembly(db, true).await;
    let other_estate = s.app.estate("小区乙");
    let other = s
        .app
        .staff("sec-other", Role::Secretary, &other_estate)
        .await;
    let e = &s.estate;
    let a = &s.assembly.id;
    other
        .get(&format!("/api/v1/estates/{e}/units"))
        .await
        .refused(403, "other_estate");
    other
        .get(&format!("/api/v1/estates/{e}/audit"))
        .await
        .refused(403, "other_estate");
    other
        .import_roster(e, SMALL_ROSTER.as_bytes())
        .await
        .refused(403, "other_estate");
    other
        .get(&format!("/api/v1/assemblies/{a}"))
        .await
        .refused(403, "other_estate");
    other
        .get(&format!("/api/v1/assemblies/{a}/turnout"))
        .await
        .refused(403, "other_estate");
    other
        .get(&format!("/api/v1/items/{}/result", s.motion))
        .await
        .refused(403, "other_estate");
    other
        .post(
            &format!("/api/v1/assemblies/{a}/items"),
            json!({ "kind": "motion", "title": "x", "matter": 9 }),
        )
        .await
        .refused(403, "other_estate");
    other
        .post(&format!("/api/v1/assemblies/{a}/codes"), json!({}))
        .await
        .refused(403, "other_estate");
    other
        .enter_paper(&s.assembly, &s.motion, "P1", json!("yes"))
        .await
        .refused(403, "other_estate");
    let paper = s
        .secretary
        .enter_paper(&s.assembly, &s.motion, "P1", json!("yes"))
        .await
        .expect(201);
    other
        .post(
            &format!(
                "/api/v1/paper-ballots/{}/confirm",
                paper["id"].as_str().unwrap_or_default()
            ),
            json!({}),
        )
        .await
        .refused(403, "other_estate");
    // Their own estate works.
    other
        .get(&format!("/api/v1/estates/{other_estate}/units"))
        .await
        .expect(200);
}

/// A confirmed ballot is changed only by a recorded correction with a reason.
async fn a_confirmed_ballot_changes_only_by_a_correction(db: TestDb) {
    let s = small_open_assembly(db, true).await;
    let second = s.app.staff("sec-second", Role::Secretary, &s.estate).await;
    let paper = s
        .secretary
        .enter_paper(&s.assembly, &s.motion, "P4", json!("no"))
        .await
        .expect(201);
    second
        .post(
            &format!(
                "/api/v1/paper-ballots/{}/confirm",
                paper["id"].as_str().unwrap_or_default()
            ),
            json!({}),
        )
        .await
        .expect(200);
    let p4 = s.app.owner(&s.assembly, &s.codes["P4"]).await;
    p4.vote(&s.assembly, &[(s.motion.as_str(), json!("yes"))])
        .await
        .refused(409, "confirmed_ballot");
    s.secretary
        .enter_paper(&s.assembly, &s.motion, "P4", json!("yes"))
        .await
        .refused(409, "confirmed_ballot");
    let received = chrono::Utc::now().to_rfc3339();
    let correction = s
        .secretary
        .post(
            &format!("/api/v1/assemblies/{}/paper-ballots", s.assembly.id),
            json!({ "item": s.motion, "unit": "2-1-101", "choice": "yes", "received_at": received, "correction_reason": "唱票时误读，经核对原始选票为同意" }),
        )
        .await
        .expect(201);
    assert_eq!(
        (correction["voter"].as_str(), correction["seq"].as_i64()),
        (Some("P4"), Some(2))
    );
    let audit = second
        .get(&format!("/api/v1/estates/{}/audit", s.estate))
        .await
        .expect(200);
    let corrected = audit
        .as_array()
        .expect("entries")
        .iter()
        .find(|e| e["action"] == "ballot.corrected")
        .expect("the correction is audited");
    assert_eq!(
        corrected["detail"]["reason"],
        "唱票时误读，经核对原始选票为同意"
    );
}

/// Re-issuing a code, asked for by one secretary and confirmed by another, revokes the old
/// one and ends the sessions opened with it. (Before issue 17 one secretary re-issued a code
/// alone with `POST /codes`; that is now refused, see `tests/api/codes.rs`.)
async fn reissuing_a_code_revokes_the_old_one(db: TestDb) {
    let s = small_open_assembly(db, true).await;
    let old = s.app.owner(&s.assembly, &s.codes["P5"]).await;
    s.secretary
        .post(
            &format!("/api/v1/assemblies/{}/codes", s.assembly.id),
            json!({ "voters": ["P5"] }),
        )
        .await
        .refused(409, "code_already_issued");
    let reissue = s
        .secretary
        .request_reissue(&s.assembly, "P5", "表决票遗失")
        .await;
    let second = s.app.staff("sec-small-2", Role::Secretary, &s.estate).await;
    let confirmed = second.confirm_reissue(&reissue).await.expect(200);
    // P5 has no e-mail address: the new code is shown once, to the confirming secretary.
    let fresh = confirmed["code"].as_str().expect("a paper code").to_owned();
    assert_eq!(confirmed["emailed"], false);
    old.get(&format!("/api/v1/assemblies/{}/ballot", s.assembly.id))
        .await
        .refused(401, "bad_token");
    // Casting checks the session in its own read (not in the extractor): refused the same way,
    // and nothing is stored.
    old.vote(&s.assembly, &[(s.motion.as_str(), json!("yes"))])
        .await
        .refused(401, "bad_token");
    s.app
        .anonymous()
        .post(
            "/api/v1/owner-sessions",
            json!({ "code": s.codes["P5"], "assembly_id": s.assembly.id }),
        )
        .await
        .refused(401, "bad_code");
    let renewed = s.app.owner(&s.assembly, &fresh).await;
    let receipts = renewed
        .vote(&s.assembly, &[(s.motion.as_str(), json!("abstain"))])
        .await
        .expect(200);
    assert_eq!(
        receipts[0]["seq"], 1,
        "the revoked token stored nothing: {receipts}"
    );
}

/// Failed code attempts are limited per client and audited; while blocked, even a right code
/// is refused.
async fn failed_code_attempts_are_limited_and_audited(db: TestDb) {
    let s = small_open_assembly(db, true).await;
    let anonymous = s.app.anonymous();
    for _ in 0..crate::helpers::CODE_FAILURES_PER_IP {
        anonymous
            .post(
                "/api/v1/owner-sessions",
                json!({ "code": "2222-3333-4444", "assembly_id": s.assembly.id }),
            )
            .await
            .refused(401, "bad_code");
    }
    anonymous
        .post(
            "/api/v1/owner-sessions",
            json!({ "code": s.codes["P1"], "assembly_id": s.assembly.id }),
        )
        .await
        .refused(429, "too_many_attempts");
    let audit = s
        .secretary
        .get(&format!("/api/v1/estates/{}/audit", s.estate))
        .await
        .expect(200);
    let failures = audit
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["action"] == "code.failed")
        .count();
    assert_eq!(failures, crate::helpers::CODE_FAILURES_PER_IP as usize);
}

e2e!(
    nobody_without_a_valid_token,
    an_owner_only_reads_and_casts_their_own_ballot,
    an_auditor_reads_everything_and_writes_nothing,
    a_secretary_of_one_estate_sees_nothing_of_another,
    a_confirmed_ballot_changes_only_by_a_correction,
    reissuing_a_code_revokes_the_old_one,
    failed_code_attempts_are_limited_and_audited,
);
