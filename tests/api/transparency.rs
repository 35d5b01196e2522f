//! The transparency log (issue 18) against the two attacks the review reproduced, each by
//! someone holding the database and the signing keys, and each caught by a check someone else
//! runs from what they hold: the audit check for a rule rewritten in the database, and a kept
//! checkpoint, a kept proof or a witness for a rewritten history.

use std::path::{Path, PathBuf};

use diesel::prelude::*;
use gongjue_api::cli::witness::{Round, WitnessArgs, round, signer};
use gongjue_api::tlog::note::verify_checkpoint;
use gongjue_api::tlog::proof::{
    ConsistencyProof, InclusionProof, verify_consistency, verify_inclusion,
};
use gongjue_store::audit::GENESIS_HASH;
use serde_json::{Value, json};

use crate::e2e;
use crate::helpers::{Session, TestApp, TestDb, spawn_app};

/// Four owners, three with an e-mail address (the notices carry the checkpoint).
const ROSTER: &str = "zone,building,stairwell,unit,floor,area_m2,owner_id,owner_name,phone,email
,1,1,101,1,100.00,P1,甲,,p1@example.org
,1,1,102,1,100.00,P2,乙,,p2@example.org
,1,1,201,2,120.00,P3,丙,,
,2,1,101,1,80.00,P4,丁,,p4@example.org
";

async fn text(s: &Session, path: &str) -> (u16, String) {
    let r = s
        .http
        .get(format!("{}{path}", s.base))
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

fn lines(text: &str) -> Vec<String> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

struct Voted {
    app: TestApp,
    estate: String,
    secretary: Session,
    assembly: crate::helpers::Assembly,
    /// A matter-4 motion (more than half) and a matter-7 one (3/4).
    ordinary: String,
    major: String,
    codes: std::collections::BTreeMap<String, String>,
}

/// An open assembly with a matter-4 and a matter-7 motion, P1 and P2 voted.
async fn voted(db: TestDb) -> Voted {
    let app = spawn_app(db).await;
    let estate = app.estate("见证小区");
    let secretary = app
        .staff("sec-log", gongjue_store::users::Role::Secretary, &estate)
        .await;
    secretary
        .import_roster(&estate, ROSTER.as_bytes())
        .await
        .expect(200);
    let assembly = secretary.create_assembly(&estate, true).await;
    let ordinary = secretary
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "续聘物业", "matter": 4 }),
        )
        .await;
    let major = secretary
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "更新电梯（使用维修资金）", "matter": 7 }),
        )
        .await;
    secretary.announce(&assembly).await;
    secretary.open(&assembly).await;
    let codes = secretary.issue_codes(&assembly, None).await;
    for (voter, choice) in [("P1", "yes"), ("P2", "no")] {
        app.owner(&assembly, &codes[voter])
            .await
            .vote(
                &assembly,
                &[
                    (ordinary.as_str(), json!(choice)),
                    (major.as_str(), json!(choice)),
                ],
            )
            .await
            .expect(200);
    }
    Voted {
        app,
        estate,
        secretary,
        assembly,
        ordinary,
        major,
        codes,
    }
}

async fn audit(v: &Voted) -> Value {
    v.secretary
        .get(&format!("/api/v1/estates/{}/audit/verify", v.estate))
        .await
        .expect(200)
}

async fn a_rule_rewritten_in_the_database_is_named_and_never_published(db: TestDb) {
    let mut raw = db.raw();
    let v = voted(db).await;
    assert_eq!(audit(&v).await["ok"], true, "{}", audit(&v).await);

    // The attack: the matter-7 motion counted with the ordinary rule (more than half).
    let changed = diesel::sql_query(format!(
        "UPDATE items SET rule = (SELECT rule FROM items WHERE id = '{}') WHERE id = '{}'",
        v.ordinary, v.major
    ))
    .execute(&mut raw)
    .unwrap();
    assert_eq!(changed, 1);
    let report = audit(&v).await;
    assert_eq!(report["ok"], false, "{report}");
    assert!(
        report["records"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["subject"] == v.major.as_str()
                && r["problem"].as_str().unwrap().contains("rule")),
        "{report}"
    );
    // The scope too, and a frozen electorate's area.
    diesel::sql_query(format!(
        "UPDATE electorate_units SET area_cents = area_cents + 100 WHERE item_id = '{}' AND unit_number = (SELECT MIN(unit_number) FROM electorate_units WHERE item_id = '{}')",
        v.ordinary, v.ordinary
    ))
    .execute(&mut raw)
    .unwrap();
    let report = audit(&v).await;
    assert!(
        report["records"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["subject"] == v.ordinary.as_str()
                && r["problem"].as_str().unwrap().contains("frozen electorate")),
        "{report}"
    );

    // The final publication refuses to sign over it.
    v.secretary.close_early(&v.assembly).await;
    v.secretary
        .post(
            &format!("/api/v1/assemblies/{}/publication/final", v.assembly.id),
            json!({}),
        )
        .await
        .refused(409, "audit_disagrees");
}

/// Rewrites P2's ballot on `item` to `choice` the way an insider with the database would: the
/// ballot row, its audit entry's receipt, and every later entry's hash, so that the chain and
/// the ballots check hold again. The log's checkpoints are deleted (to be re-signed).
fn rewrite_history(
    raw: &mut gongjue_store::AnyConnection,
    app: &TestApp,
    estate: &str,
    item: &str,
) {
    let version = app.store.ballot_history(item, "P2").unwrap().pop().unwrap();
    diesel::sql_query(format!(
        "UPDATE ballot_versions SET choice = '\"yes\"' WHERE id = '{}'",
        version.id
    ))
    .execute(raw)
    .unwrap();
    let forged = app.store.ballot_history(item, "P2").unwrap().pop().unwrap();
    diesel::sql_query(format!(
        "UPDATE ballots SET choice = '\"yes\"' WHERE version_id = '{}'",
        version.id
    ))
    .execute(raw)
    .unwrap();
    let mut entries = app.store.audit_entries(estate, 0, 100_000).unwrap();
    let mut prev = GENESIS_HASH.to_owned();
    for entry in &mut entries {
        if entry.action == "ballot.cast" && entry.subject == version.id {
            let mut detail: Value = serde_json::from_str(&entry.detail).unwrap();
            detail["receipt"] = json!(forged.receipt());
            entry.detail = detail.to_string();
        }
        entry.prev_hash = prev.clone();
        entry.entry_hash = entry.compute_hash();
        prev = entry.entry_hash.clone();
        diesel::sql_query("UPDATE audit_log SET detail = $1, prev_hash = $2, entry_hash = $3 WHERE chain = $4 AND seq = $5")
            .bind::<diesel::sql_types::Text, _>(&entry.detail)
            .bind::<diesel::sql_types::Text, _>(&entry.prev_hash)
            .bind::<diesel::sql_types::Text, _>(&entry.entry_hash)
            .bind::<diesel::sql_types::Text, _>(estate)
            .bind::<diesel::sql_types::BigInt, _>(entry.seq)
            .execute(raw)
            .unwrap();
    }
    diesel::sql_query(format!(
        "UPDATE audit_chains SET head_hash = '{prev}' WHERE chain = '{estate}'"
    ))
    .execute(raw)
    .unwrap();
    diesel::sql_query(format!(
        "DELETE FROM log_checkpoints WHERE chain = '{estate}'"
    ))
    .execute(raw)
    .unwrap();
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(dir.join(name).parent().unwrap()).unwrap();
    std::fs::write(dir.join(name), text).unwrap();
}

async fn witness_round(args: WitnessArgs) -> (Round, WitnessArgs) {
    tokio::task::spawn_blocking(move || (round(&args).unwrap(), args))
        .await
        .unwrap()
}

async fn a_rewritten_history_is_shown_by_what_owners_and_witnesses_kept(db: TestDb) {
    let mut raw = db.raw();
    let backend = format!("{:?}", db.backend()).to_lowercase();
    let v = voted(db).await;
    let public = v.app.anonymous();
    let api = format!("/api/v1/estates/{}/log", v.estate);

    // Every notice e-mail to owners carries a checkpoint: the announcement the set-up's (its
    // items and rules, before announcing).
    let mails = v
        .app
        .store
        .outbox(&gongjue_store::outbox::OutboxFilter {
            assembly_id: Some(v.assembly.id.clone()),
            ..Default::default()
        })
        .unwrap();
    assert!(!mails.is_empty());
    for mail in &mails {
        assert!(
            mail.body_text.contains("日志检查点"),
            "{} {}",
            mail.kind,
            mail.body_text
        );
        assert!(
            mail.body_text.contains(&format!("/log/{}", v.estate)),
            "{}",
            mail.body_text
        );
    }
    let overview = public.get(&api).await.expect(200);
    let reasons: Vec<&str> = overview["checkpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["reason"].as_str().unwrap())
        .collect();
    assert!(
        reasons.contains(&"setup") && reasons.contains(&"opened"),
        "{overview}"
    );
    let (status, keys_text) = text(&public, &format!("{api}/keys")).await;
    assert_eq!(status, 200);
    let keys = lines(&keys_text);

    // A witness (the residents' committee) with its own key and files, registered by the secretary.
    let args = witness_args(&v, "jwh.example/witness", Some(keys[0].clone()));
    let witness_vkey = signer(&args.name, &args.key).unwrap().verifier_key();
    v.secretary
        .post(
            &format!("{api}/witnesses"),
            json!({ "name": args.name, "vkey": witness_vkey }),
        )
        .await
        .expect(201);
    // Someone else's key under that name is refused, as is a second registration.
    v.secretary
        .post(
            &format!("{api}/witnesses"),
            json!({ "name": args.name, "vkey": witness_vkey }),
        )
        .await
        .refused(409, "conflict");

    // P2 keeps the proof of their ballot on the matter-7 motion; the witness cosigns.
    let p2 = v
        .app
        .store
        .ballot_history(&v.major, "P2")
        .unwrap()
        .pop()
        .unwrap();
    let receipt = p2.receipt();
    let proof: InclusionProof = serde_json::from_value(
        public
            .get(&format!("{api}/receipts/{receipt}/proof"))
            .await
            .expect(200),
    )
    .unwrap();
    let included = verify_inclusion(&proof, &keys, Some(&receipt)).unwrap();
    assert_eq!(included.action, "ballot.cast");
    let (first, args) = witness_round(args).await;
    let Round::Cosigned { size: kept_size } = first else {
        panic!("{first:?}")
    };
    let (_, kept) = text(&public, &format!("{api}/checkpoint")).await;
    let verified = verify_checkpoint(&kept, &[keys[0].clone(), witness_vkey.clone()]).unwrap();
    assert_eq!(
        verified.signed_by.len(),
        2,
        "the served checkpoint carries the cosignature: {kept}"
    );
    assert_eq!(verified.size, kept_size);

    // More happens honestly: P3 votes; a later checkpoint extends the kept one.
    v.app
        .owner(&v.assembly, &v.codes["P3"])
        .await
        .vote(&v.assembly, &[(v.ordinary.as_str(), json!("yes"))])
        .await
        .expect(200);
    let p3 = v
        .app
        .store
        .ballot_history(&v.ordinary, "P3")
        .unwrap()
        .pop()
        .unwrap();
    let later: InclusionProof = serde_json::from_value(
        public
            .get(&format!("{api}/receipts/{}/proof", p3.receipt()))
            .await
            .expect(200),
    )
    .unwrap();
    let later_size = verify_checkpoint(&later.checkpoint, &keys).unwrap().size;
    let consistency: ConsistencyProof = serde_json::from_value(
        public
            .get(&format!(
                "{api}/consistency?old={kept_size}&new={later_size}"
            ))
            .await
            .expect(200),
    )
    .unwrap();
    verify_consistency(&kept, &later.checkpoint, &consistency, &keys).unwrap();
    let (second, args) = witness_round(args).await;
    assert_eq!(second, Round::Cosigned { size: later_size });

    // Samples for the independent verifier (.ci/verify_log.py).
    let sample = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("log-sample")
        .join(&backend);
    let _ = std::fs::remove_dir_all(&sample);
    write(&sample, "keys.txt", &keys_text);
    write(&sample, "witness-keys.txt", &format!("{witness_vkey}\n"));
    write(&sample, &format!("checkpoints/{kept_size}.txt"), &kept);
    let (_, latest) = text(&public, &format!("{api}/checkpoint")).await;
    write(&sample, &format!("checkpoints/{later_size}.txt"), &latest);
    write(
        &sample,
        &format!("consistency-{kept_size}-{later_size}.json"),
        &serde_json::to_string_pretty(&consistency).unwrap(),
    );
    write(
        &sample,
        "inclusion-p2.json",
        &serde_json::to_string_pretty(&proof).unwrap(),
    );
    write(
        &sample,
        "inclusion-p3.json",
        &serde_json::to_string_pretty(&later).unwrap(),
    );

    // The attack: P2's ballot rewritten, chain recomputed, checkpoints re-signed with the key
    // read from the database (the server signs a fresh one on request).
    rewrite_history(&mut raw, &v.app, &v.estate, &v.major);
    let report = audit(&v).await;
    assert_eq!(
        report["ok"], true,
        "the database's own checks are fooled: {report}"
    );
    let (_, forged) = text(&public, &format!("{api}/checkpoint")).await;
    let forged_size = verify_checkpoint(&forged, &keys).unwrap().size;
    assert!(forged_size >= later_size);

    // 1. The checkpoint the owner or the witness kept: the forged log does not extend it.
    let forged_proof: ConsistencyProof = serde_json::from_value(
        public
            .get(&format!(
                "{api}/consistency?old={kept_size}&new={forged_size}"
            ))
            .await
            .expect(200),
    )
    .unwrap();
    let refused = verify_consistency(&kept, &forged, &forged_proof, &keys).unwrap_err();
    assert!(refused.to_string().contains("rewritten"), "{refused}");
    // 2. P2's kept receipt is no longer in the log.
    public
        .get(&format!("{api}/receipts/{receipt}/proof"))
        .await
        .refused(404, "not_found");
    // 3. The witness dissents, keeps the evidence, and the final publication is refused.
    let (third, args) = witness_round(args).await;
    assert!(matches!(third, Round::Dissented { .. }), "{third:?}");
    let evidence = args.state.join(format!("dissent-{forged_size}"));
    let kept_by_witness = std::fs::read_to_string(evidence.join("kept.txt")).unwrap();
    let served = std::fs::read_to_string(evidence.join("served.txt")).unwrap();
    let proof: ConsistencyProof =
        serde_json::from_str(&std::fs::read_to_string(evidence.join("consistency.json")).unwrap())
            .unwrap();
    assert!(
        verify_consistency(&kept_by_witness, &served, &proof, &keys).is_err(),
        "the evidence proves it offline"
    );
    let overview = public.get(&api).await.expect(200);
    assert!(
        overview["checkpoints"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["dissented_by"][0] == "jwh.example/witness"),
        "{overview}"
    );
    v.secretary.close_early(&v.assembly).await;
    v.secretary
        .post(
            &format!("/api/v1/assemblies/{}/publication/final", v.assembly.id),
            json!({}),
        )
        .await
        .refused(409, "witness_dissents");
}

/// A witness's note is refused unless a registered witness signed it.
async fn only_registered_witnesses_are_heard(db: TestDb) {
    let v = voted(db).await;
    let public = v.app.anonymous();
    let api = format!("/api/v1/estates/{}/log", v.estate);
    let (_, note) = text(&public, &format!("{api}/checkpoint")).await;
    let stranger = tempdir(&format!("stranger-{}", v.estate));
    let signer = self::signer("stranger.example/witness", &stranger.join("k.pem")).unwrap();
    let cosigned = gongjue_api::tlog::note::cosign(&note, &signer).unwrap();
    public
        .post(&format!("{api}/cosignatures"), json!({ "note": cosigned }))
        .await
        .refused(403, "not_a_witness");
    let dissent = gongjue_api::tlog::note::sign_text(
        &format!(
            "gongjue-dissent/1\ngongjue/estate/{}\n3\nno reason\n",
            v.estate
        ),
        &signer,
    )
    .unwrap();
    public
        .post(&format!("{api}/dissents"), json!({ "note": dissent }))
        .await
        .refused(403, "not_a_witness");
    // A key of another name is refused.
    v.secretary
        .post(
            &format!("{api}/witnesses"),
            json!({ "name": "other.example/w", "vkey": signer.verifier_key() }),
        )
        .await
        .refused(422, "invalid_value");

    // An honest log: the registered witness cosigns, and the final publication names it.
    let args = witness_args(&v, "street.example/witness", None);
    let vkey = self::signer(&args.name, &args.key).unwrap().verifier_key();
    v.secretary
        .post(
            &format!("{api}/witnesses"),
            json!({ "name": args.name, "vkey": vkey }),
        )
        .await
        .expect(201);
    let (cosigned, _) = witness_round(args).await;
    let Round::Cosigned { size } = cosigned else {
        panic!("{cosigned:?}")
    };
    v.secretary.close_early(&v.assembly).await;
    let out = v
        .secretary
        .post(
            &format!("/api/v1/assemblies/{}/publication/final", v.assembly.id),
            json!({}),
        )
        .await
        .expect(200);
    assert_eq!(out["witnesses"], json!(["street.example/witness"]), "{out}");
    assert_eq!(out["witnessed_size"], json!(size));
    assert!(out["log_checkpoint_size"].as_i64().unwrap() > i64::try_from(size).unwrap());
}

/// A witness of `v`'s estate with its own key and files in a fresh directory.
fn witness_args(v: &Voted, name: &str, log_key: Option<String>) -> WitnessArgs {
    let state = tempdir(&format!("{}-{}", name.replace('/', "_"), v.estate));
    WitnessArgs {
        server: v.app.base.clone(),
        estate: v.estate.clone(),
        name: name.into(),
        key: state.join("witness.pem"),
        state,
        log_key,
        every: None,
        show_key: false,
    }
}

fn tempdir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("witness")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

e2e!(
    a_rule_rewritten_in_the_database_is_named_and_never_published,
    a_rewritten_history_is_shown_by_what_owners_and_witnesses_kept,
    only_registered_witnesses_are_heard
);
