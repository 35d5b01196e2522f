//! The audit verify route names rows changed, deleted or inserted behind the service's back,
//! in the ballot tables and in the audit log itself.

use diesel::prelude::*;
use serde_json::{Value, json};

use crate::e2e;
use crate::helpers::{Small, TestDb, small_open_assembly};

fn exec(raw: &mut gongjue_store::AnyConnection, sql: &str) {
    let changed = diesel::sql_query(sql)
        .execute(raw)
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    assert_eq!(changed, 1, "{sql}");
}

async fn voted(db: TestDb) -> (Small, Vec<String>) {
    let small = small_open_assembly(db, true).await;
    let mut versions = Vec::new();
    for (voter, choice) in [("P1", "yes"), ("P2", "no"), ("P1", "no")] {
        let owner = small.app.owner(&small.assembly, &small.codes[voter]).await;
        owner
            .vote(&small.assembly, &[(small.motion.as_str(), json!(choice))])
            .await
            .expect(200);
    }
    for voter in ["P1", "P2"] {
        versions.extend(
            small
                .app
                .store
                .ballot_history(&small.motion, voter)
                .unwrap()
                .into_iter()
                .map(|v| v.id),
        );
    }
    (small, versions)
}

async fn report(small: &Small) -> Value {
    small
        .secretary
        .get(&format!("/api/v1/estates/{}/audit/verify", small.estate))
        .await
        .expect(200)
}

fn names_ballot(report: &Value, ballot: &str, problem: &str) -> bool {
    report["ballots"]
        .as_array()
        .unwrap()
        .iter()
        .any(|b| b["ballot"] == ballot && b["problem"].as_str().unwrap().contains(problem))
}

async fn ballot_rows_changed_deleted_or_inserted_are_named(db: TestDb) {
    let mut raw = db.raw();
    let (small, versions) = voted(db).await;
    assert_eq!(report(&small).await["ok"], true);
    // versions: P1's first (superseded), P1's second, P2's.
    let (old, p2) = (&versions[0], &versions[2]);

    exec(
        &mut raw,
        &format!("UPDATE ballot_versions SET choice = '\"yes\"' WHERE id = '{p2}'"),
    );
    let r = report(&small).await;
    assert_eq!(r["ok"], false);
    assert!(
        names_ballot(&r, p2, "differs from what the audit log recorded"),
        "{r}"
    );
    exec(
        &mut raw,
        &format!("UPDATE ballot_versions SET choice = '\"no\"' WHERE id = '{p2}'"),
    );
    assert_eq!(report(&small).await["ok"], true, "restored, it holds again");

    exec(
        &mut raw,
        &format!("DELETE FROM ballot_versions WHERE id = '{old}'"),
    );
    let r = report(&small).await;
    assert!(
        names_ballot(&r, old, "records a ballot that is missing"),
        "{r}"
    );

    exec(
        &mut raw,
        &format!(
            "INSERT INTO ballot_versions (id, item_id, voter, seq, channel, choice, cast_at, recorded_at, proxy_id, idempotency_key, request_sha256, entered_by, confirmed_by, confirmed_at) \
         SELECT 'forged-ballot', item_id, voter, seq + 10, channel, '\"yes\"', cast_at, recorded_at, proxy_id, 'forged', request_sha256, entered_by, confirmed_by, confirmed_at FROM ballot_versions WHERE id = '{p2}'"
        ),
    );
    let r = report(&small).await;
    assert!(
        names_ballot(&r, "forged-ballot", "no audit entry records this ballot"),
        "{r}"
    );
}

async fn audit_rows_changed_deleted_or_inserted_break_the_chain(db: TestDb) {
    let mut raw = db.raw();
    let (small, _) = voted(db).await;
    let estate = small.estate.clone();
    let head = small.app.store.audit_head(&estate).unwrap().0;

    exec(
        &mut raw,
        &format!(
            "INSERT INTO audit_log (chain, seq, at, actor, action, subject, detail, prev_hash, entry_hash) \
         SELECT chain, {}, at, actor, action, subject, detail, entry_hash, 'forged-hash' FROM audit_log WHERE chain = '{estate}' AND seq = {head}",
            head + 1
        ),
    );
    let r = report(&small).await;
    assert_eq!(r["chain"]["first_broken"]["seq"], head + 1, "{r}");
    exec(
        &mut raw,
        &format!(
            "DELETE FROM audit_log WHERE chain = '{estate}' AND seq = {}",
            head + 1
        ),
    );
    assert_eq!(report(&small).await["ok"], true, "removed again, it holds");

    exec(
        &mut raw,
        &format!("UPDATE audit_log SET detail = '{{}}' WHERE chain = '{estate}' AND seq = 4"),
    );
    let r = report(&small).await;
    assert_eq!(r["ok"], false);
    assert_eq!(r["chain"]["first_broken"]["seq"], 4, "{r}");
    assert!(
        r["chain"]["first_broken"]["reason"]
            .as_str()
            .unwrap()
            .contains("does not match its hash"),
        "{r}"
    );

    exec(
        &mut raw,
        &format!("DELETE FROM audit_log WHERE chain = '{estate}' AND seq = 2"),
    );
    let r = report(&small).await;
    assert_eq!(r["chain"]["first_broken"]["seq"], 2, "{r}");
}

e2e!(
    ballot_rows_changed_deleted_or_inserted_are_named,
    audit_rows_changed_deleted_or_inserted_break_the_chain
);
