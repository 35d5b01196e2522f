//! Signed exports: download after closing, check offline, tampering caught; audit verify.

use gongjue_api::export::check::{Mismatch, check};
use gongjue_store::users::Role;
use serde_json::{Value, json};

use crate::e2e;
use crate::helpers::{TestDb, small_open_assembly, web_assembly};

async fn raw(s: &crate::helpers::Session, path: &str) -> (u16, Vec<u8>) {
    let r = s
        .http
        .get(format!("{}{path}", s.base))
        .bearer_auth(&s.token)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.bytes().await.unwrap().to_vec())
}

async fn an_export_verifies_and_tampering_does_not(db: TestDb) {
    let small = small_open_assembly(db, false).await;
    let (app, sec) = (&small.app, &small.secretary);
    for (voter, choice) in [("P1", "yes"), ("P2", "yes"), ("P4", "no")] {
        let owner = app.owner(&small.assembly, &small.codes[voter]).await;
        owner
            .vote(&small.assembly, &[(small.motion.as_str(), json!(choice))])
            .await
            .expect(200);
    }
    let path = format!("/api/v1/items/{}/export", small.motion);
    assert_eq!(raw(sec, &path).await.0, 409, "no export before closing");
    sec.close_early(&small.assembly).await;
    assert_eq!(
        raw(sec, &path).await.0,
        409,
        "no export while the result is preliminary"
    );
    let published = sec
        .post(
            &format!("/api/v1/assemblies/{}/publication/final", small.assembly.id),
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(published["exports"][0]["item"], small.motion.as_str());

    let (status, bundle) = raw(sec, &path).await;
    assert_eq!(status, 200);
    let (_, again) = raw(sec, &path).await;
    assert_eq!(bundle, again, "the same bytes every time");
    let (_, jws) = raw(sec, &format!("{path}.jws")).await;
    let jws = String::from_utf8(jws).unwrap();
    let jwks = app
        .anonymous()
        .get("/.well-known/jwks.json")
        .await
        .expect(200);
    let checked = check(&bundle, &jws, &jwks).unwrap();
    assert_eq!(checked.claims.item, small.motion);
    assert_eq!(checked.claims.outcome.as_deref(), Some("passed"));
    let doc: Value = serde_json::from_slice(&bundle).unwrap();
    assert!(
        !bundle.windows(2).any(|w| w == b"P1"),
        "owners only by pseudonym"
    );
    assert_eq!(doc["electorate"][0]["unit"], "1-1-101");

    // One changed byte: the digest no longer matches.
    let mut byte = bundle.clone();
    let at = byte.iter().position(|b| *b == b'0').unwrap();
    byte[at] = b'1';
    assert!(matches!(
        check(&byte, &jws, &jwks),
        Err(Mismatch::Digest { .. })
    ));
    // A changed figure, re-signed by a forger's key: unknown kid.
    let forged = gongjue_api::export::keys::generate().unwrap();
    let mut claims = checked.claims.clone();
    claims.bundle_sha256 = gongjue_api::export::jws::sha256_hex(&byte);
    let token = gongjue_api::export::jws::sign(&claims, &forged.private_pem, &forged.kid).unwrap();
    assert!(matches!(
        check(&byte, &token, &jwks),
        Err(Mismatch::Signature(_))
    ));
    // The same bytes signed with another estate's real, published key: its issuer differs.
    let other_estate = app.estate("别的小区甲");
    let wrap = gongjue_api::export::wrap::KeyWrap::from_secret(crate::helpers::SECRET);
    let other_key =
        gongjue_api::export::keys::active(&app.store, &wrap, &other_estate, "e2e").unwrap();
    let token =
        gongjue_api::export::jws::sign(&checked.claims, &other_key.private_pem, &other_key.kid)
            .unwrap();
    let both = app
        .anonymous()
        .get("/.well-known/jwks.json")
        .await
        .expect(200);
    let err = check(&bundle, &token, &both).unwrap_err().to_string();
    assert!(
        err.contains("belongs to gongjue:estate:") && err.contains(&other_estate),
        "{err}"
    );
    // A changed signature byte.
    let mut bad = jws.clone().into_bytes();
    let last = bad.len() - 2;
    bad[last] = if bad[last] == b'A' { b'B' } else { b'A' };
    assert!(matches!(
        check(&bundle, &String::from_utf8(bad).unwrap(), &jwks),
        Err(Mismatch::Signature(_))
    ));
    // A changed figure signed with the right key still fails the recount, naming the path.
    let key = gongjue_api::export::keys::ready(
        &wrap,
        &app.store
            .active_signing_key(&small.estate)
            .unwrap()
            .unwrap(),
    )
    .unwrap();
    let mut edited = doc.clone();
    edited["result"]["choices"]["yes"]["heads"] = json!(3);
    let edited = serde_json::to_vec_pretty(&edited).unwrap();
    claims.bundle_sha256 = gongjue_api::export::jws::sha256_hex(&edited);
    let token = gongjue_api::export::jws::sign(&claims, &key.private_pem, &key.kid).unwrap();
    let err = check(&edited, &token, &jwks).unwrap_err().to_string();
    assert!(err.starts_with("result.choices.yes.heads:"), "{err}");

    // Rotation keeps the old export verifying.
    gongjue_api::export::keys::rotate(&app.store, &wrap, &small.estate, "e2e").unwrap();
    let jwks = app
        .anonymous()
        .get("/.well-known/jwks.json")
        .await
        .expect(200);
    assert_eq!(
        jwks["keys"].as_array().unwrap().len(),
        3,
        "two of this estate, one of the other"
    );
    assert!(check(&bundle, &jws, &jwks).is_ok());

    // Audit verify: clean, then a ballot row edited behind the store's back.
    let report = sec
        .get(&format!("/api/v1/estates/{}/audit/verify", small.estate))
        .await
        .expect(200);
    assert_eq!(report["ok"], true, "{report}");
    let outsider_estate = app.estate("别的小区");
    let outsider = app
        .staff("aud-other", Role::Auditor, &outsider_estate)
        .await;
    assert_eq!(raw(&outsider, &path).await.0, 403);
}

/// The result route counts from the stored rows without writing the bundle; what it counts must
/// be what an auditor recounts from the signed export with `gongjue tally` (`bundle::read`).
async fn the_result_is_the_recount_of_the_export(db: TestDb) {
    let web = web_assembly(db).await;
    let (app, sec) = (&web.app, &web.secretary);
    let [motion, election, consultation] =
        [&web.items[0], &web.items[1], &web.items[2]].map(String::as_str);
    let p1 = app.owner(&web.assembly, &web.codes["P1"]).await;
    p1.vote(
        &web.assembly,
        &[
            (motion, json!("yes")),
            (election, json!(["王一", "李二"])),
            (consultation, json!({ "方案": ["甲方案"] })),
        ],
    )
    .await
    .expect(200);
    p1.vote_for(&web.assembly, "P2", motion, json!("no"))
        .await
        .expect(200);
    let p4 = app.owner(&web.assembly, &web.codes["P4"]).await;
    p4.vote(
        &web.assembly,
        &[
            (motion, json!("no")),
            (election, json!(["赵三"])),
            (consultation, json!({ "方案": ["乙方案"] })),
        ],
    )
    .await
    .expect(200);
    p4.vote(&web.assembly, &[(motion, json!("yes"))])
        .await
        .expect(200); // a changed ballot counts once
    let p5 = app.owner(&web.assembly, &web.codes["P5"]).await;
    p5.vote(
        &web.assembly,
        &[(motion, json!("abstain")), (election, json!("abstain"))],
    )
    .await
    .expect(200);
    sec.close_early(&web.assembly).await;
    sec.post(
        &format!("/api/v1/assemblies/{}/publication/final", web.assembly.id),
        json!({}),
    )
    .await
    .expect(200);
    for item in [motion, election, consultation] {
        let result = sec
            .get(&format!("/api/v1/items/{item}/result"))
            .await
            .expect(200);
        let (status, bundle) = raw(sec, &format!("/api/v1/items/{item}/export")).await;
        assert_eq!(status, 200);
        let recount = gongjue_domain::bundle::read(&bundle).unwrap().result();
        assert_eq!(
            result,
            serde_json::to_value(recount).unwrap(),
            "item {item}: the route and the recount of its export"
        );
        let doc: Value = serde_json::from_slice(&bundle).unwrap();
        assert_eq!(
            result, doc["result"],
            "item {item}: the route and the export's own result"
        );
        assert!(
            doc["ballots"].as_array().is_some_and(|b| !b.is_empty()),
            "item {item} has ballots"
        );
        // The art. 278 matter, after the title and before the rule as in the spec: the motion's
        // own (4), 3 for the election, none for the consultation.
        let keys: Vec<&str> = doc
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .take(5)
            .collect();
        match doc["kind"].as_str().unwrap() {
            "motion" => {
                assert_eq!(keys, ["format", "kind", "title", "matter", "rule"]);
                assert_eq!(doc["matter"], 4);
            }
            "election" => {
                assert_eq!(keys, ["format", "kind", "title", "matter", "rule"]);
                assert_eq!(doc["matter"], 3);
            }
            _ => assert!(doc.get("matter").is_none(), "{doc}"),
        }
    }
    // The recount checks the floor: the motion's bundle (ordinary rule) claiming matter 6,
    // which needs 3/4 approval, is refused at `rule`.
    let (_, bundle) = raw(sec, &format!("/api/v1/items/{motion}/export")).await;
    let mut doc: Value = serde_json::from_slice(&bundle).unwrap();
    doc["matter"] = json!(6);
    match gongjue_domain::bundle::read(&serde_json::to_vec(&doc).unwrap()) {
        Err(gongjue_domain::DomainError::InvalidBundle(errors)) => {
            assert_eq!(errors[0].path, "rule", "{errors:?}");
        }
        other => panic!("matter 6 with the ordinary rule: {other:?}"),
    }
}

e2e!(
    an_export_verifies_and_tampering_does_not,
    the_result_is_the_recount_of_the_export
);
