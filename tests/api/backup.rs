//! `Store::backup_to` (`gongjue backup`) on a live SQLite database while owners vote: the copy,
//! served by a new server, holds every ballot acknowledged before the backup began, its audit
//! chain verifies, and the copy is never written over. On PostgreSQL it refuses (pg_dump).

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use gongjue_store::users::Role;
use gongjue_store::{Backend, StoreError};
use serde_json::json;

use crate::e2e;
use crate::helpers::{LAKESIDE, Session, TestDb, harness, spawn_app};

/// The first `n` owner ids of the Lakeside roster.
fn lakeside_owners(n: usize) -> Vec<String> {
    let text = String::from_utf8_lossy(LAKESIDE);
    let mut seen = BTreeSet::new();
    let mut owners = Vec::new();
    for line in text.lines().skip(1) {
        let Some(owner) = line.split(',').nth(6) else {
            continue;
        };
        if seen.insert(owner.to_owned()) {
            owners.push(owner.to_owned());
        }
        if owners.len() == n {
            break;
        }
    }
    owners
}

async fn a_live_backup_holds_every_acknowledged_ballot(db: TestDb) {
    let backend = db.backend();
    let app = spawn_app(db).await;
    if backend == Backend::Postgres {
        let refused = app
            .store
            .backup_to(&std::env::temp_dir().join("gongjue-never-written.db"));
        assert!(
            matches!(&refused, Err(StoreError::Invalid(why)) if why.contains("pg_dump")),
            "{refused:?}"
        );
        return;
    }
    let estate = app.estate("湖畔花园");
    let secretary = app.staff("sec", Role::Secretary, &estate).await;
    secretary.import_roster(&estate, LAKESIDE).await.expect(200);
    let assembly = secretary.create_assembly(&estate, false).await;
    let motion = secretary
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "续聘物业服务企业", "matter": 4 }),
        )
        .await;
    secretary.announce(&assembly).await;
    secretary.open(&assembly).await;
    let voters = lakeside_owners(60);
    let codes = secretary
        .issue_codes(&assembly, Some(voters.iter().map(String::as_str).collect()))
        .await;
    let mut owners: Vec<(String, Session)> = Vec::new();
    for voter in &voters {
        owners.push((voter.clone(), app.owner(&assembly, &codes[voter]).await));
    }

    // Four streams of owners vote while the backup runs; each acknowledgement is noted with its time.
    let acknowledged: Arc<Mutex<Vec<(String, String, Instant)>>> = Arc::default();
    let mut streams = Vec::new();
    for stream in 0..4 {
        let mine: Vec<(String, Session)> = owners.iter().skip(stream).step_by(4).cloned().collect();
        let (acknowledged, assembly, motion) =
            (acknowledged.clone(), assembly.clone(), motion.clone());
        streams.push(tokio::spawn(async move {
            for (voter, owner) in mine {
                let choice = if voter.len() % 2 == 0 { "yes" } else { "no" };
                let reply = owner
                    .vote(&assembly, &[(&motion, json!(choice))])
                    .await
                    .expect(200);
                let receipt = reply[0]["receipt"].as_str().expect("receipt").to_owned();
                acknowledged
                    .lock()
                    .expect("lock")
                    .push((voter, receipt, Instant::now()));
            }
        }));
    }
    while acknowledged.lock().expect("lock").len() < 15 {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let dir = harness::temp_dir();
    let dest = dir.join("backup.db");
    let began = Instant::now();
    let store = app.store.clone();
    let target = dest.clone();
    tokio::task::spawn_blocking(move || store.backup_to(&target))
        .await
        .expect("backup task")
        .expect("backup");
    for stream in streams {
        stream.await.expect("a voting stream");
    }
    let before: Vec<(String, String)> = acknowledged
        .lock()
        .expect("lock")
        .iter()
        .filter(|(_, _, at)| *at < began)
        .map(|(v, r, _)| (v.clone(), r.clone()))
        .collect();
    assert!(
        before.len() >= 15,
        "{} ballots acknowledged before the backup",
        before.len()
    );
    assert_eq!(
        acknowledged.lock().expect("lock").len(),
        voters.len(),
        "every vote was acknowledged during the backup"
    );

    // The copy is never overwritten.
    let again = app.store.backup_to(&dest);
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");

    // The restore drill: a new server on the copy (same secret), asked by the same owners.
    let restored = spawn_app(harness::sqlite_at(dir, "backup.db")).await;
    for (voter, receipt) in &before {
        let owner = owners
            .iter()
            .find(|(v, _)| v == voter)
            .map(|(_, s)| Session {
                base: restored.base.clone(),
                ..s.clone()
            })
            .expect("owner");
        let sheet = owner
            .get(&format!("/api/v1/assemblies/{}/ballot", assembly.id))
            .await
            .expect(200);
        assert_eq!(
            sheet["entries"][0]["current"]["receipt"].as_str(),
            Some(receipt.as_str()),
            "{voter}'s ballot in the copy: {sheet}"
        );
    }
    let chain = restored
        .store
        .verify_audit_chain(&estate)
        .expect("verifying the copy's chain");
    assert_eq!(chain.first_broken, None);
    assert_eq!(
        restored
            .store
            .verify_ballots(&estate)
            .expect("verifying the copy's ballots"),
        vec![]
    );
    // The copy takes new ballots as a restored service must.
    let (late, owner) = owners.last().expect("owners");
    let owner = Session {
        base: restored.base.clone(),
        ..owner.clone()
    };
    let sheet = owner
        .get(&format!("/api/v1/assemblies/{}/ballot", assembly.id))
        .await
        .expect(200);
    if sheet["entries"][0]["current"].is_null() {
        owner
            .vote(&assembly, &[(&motion, json!("yes"))])
            .await
            .expect(200);
    } else {
        assert!(
            acknowledged
                .lock()
                .expect("lock")
                .iter()
                .any(|(v, _, _)| v == late)
        );
    }
}

e2e!(a_live_backup_holds_every_acknowledged_ballot);
