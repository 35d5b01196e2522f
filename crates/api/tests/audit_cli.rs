//! `gongjue audit verify` and `gongjue keys` against a real database, on SQLite and (when
//! configured) PostgreSQL: rows of the ballot and audit tables altered, deleted or inserted
//! with plain SQL are caught and named.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::process::{Command, Output};

use diesel::prelude::*;
use serde_json::json;

#[allow(dead_code, unused_imports)]
#[path = "../../store/tests/store/fixtures.rs"]
mod fixtures;
#[allow(dead_code, unused_imports, unused_macros)]
#[path = "../../store/tests/store/harness.rs"]
mod harness;

use fixtures::{cast, open_lakeside, web};
use harness::TestDb;

fn gongjue(db: &TestDb, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongjue"))
        .args(args)
        .args(["--database-url", &db.url, "--lang", "en"])
        .output()
        .unwrap()
}

fn exec(db: &TestDb, sql: &str) {
    let changed = diesel::sql_query(sql)
        .execute(&mut db.raw())
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    assert_eq!(changed, 1, "{sql}");
}

/// An estate with two versions of P1's ballot and one of P2's; returns (estate, old P1 version, P2 version).
fn voted(db: &TestDb) -> (String, String, String) {
    let a = open_lakeside(&db.store, true);
    let item = a.item_ids[0].clone();
    let old = cast(&db.store, &web(&item, "P1", json!("yes"), "1")).version;
    cast(&db.store, &web(&item, "P1", json!("no"), "2"));
    let p2 = cast(&db.store, &web(&item, "P2", json!("no"), "3")).version;
    (a.estate_id, old.id, p2.id)
}

#[track_caller]
fn caught(db: &TestDb, estate: &str, needles: &[&str]) {
    let out = gongjue(db, &["audit", "verify", "--estate", estate]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.code(),
        Some(1),
        "stdout {} stderr {stderr}",
        String::from_utf8_lossy(&out.stdout)
    );
    for needle in needles {
        assert!(stderr.contains(needle), "{needle:?} not in {stderr}");
    }
}

fn last_seq(db: &TestDb, estate: &str) -> i64 {
    db.store.audit_head(estate).unwrap().0
}

fn tampering_with_ballot_and_audit_rows_is_named(make: fn() -> Option<TestDb>) {
    // Untouched: exit 0, in every estate.
    let Some(db) = make() else { return };
    let (estate, _, p2) = voted(&db);
    let out = gongjue(&db, &["audit", "verify"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("audit chain intact"));
    let zh = Command::new(env!("CARGO_BIN_EXE_gongjue"))
        .args(["audit", "verify", "--database-url", &db.url])
        .env("LANG", "zh_CN.UTF-8")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&zh.stdout).contains("审计日志哈希链完整"),
        "the language from LANG"
    );

    // A ballot row altered.
    exec(
        &db,
        &format!("UPDATE ballot_versions SET choice = '\"yes\"' WHERE id = '{p2}'"),
    );
    caught(&db, &estate, &["ballot differs from the audit log", &p2]);

    // A ballot row deleted (a superseded version, which nothing else references).
    let Some(db) = make() else { return };
    let (estate, old, _) = voted(&db);
    exec(
        &db,
        &format!("DELETE FROM ballot_versions WHERE id = '{old}'"),
    );
    caught(
        &db,
        &estate,
        &["the audit log records a ballot that is missing", &old],
    );

    // A ballot row inserted: a forged version no audit entry records.
    let Some(db) = make() else { return };
    let (estate, _, p2) = voted(&db);
    exec(
        &db,
        &format!(
            "INSERT INTO ballot_versions (id, item_id, voter, seq, channel, choice, cast_at, recorded_at, proxy_id, idempotency_key, request_sha256, entered_by, confirmed_by, confirmed_at) \
         SELECT 'forged-ballot', item_id, voter, seq + 10, channel, '\"yes\"', cast_at, recorded_at, proxy_id, 'forged', request_sha256, entered_by, confirmed_by, confirmed_at FROM ballot_versions WHERE id = '{p2}'"
        ),
    );
    caught(
        &db,
        &estate,
        &["forged-ballot", "no audit entry records this ballot"],
    );

    // An audit row altered: the chain breaks at that entry.
    let Some(db) = make() else { return };
    let (estate, _, _) = voted(&db);
    exec(
        &db,
        &format!(
            "UPDATE audit_log SET actor = 'someone else' WHERE chain = '{estate}' AND seq = 3"
        ),
    );
    caught(&db, &estate, &["audit chain BROKEN", "entry 3:"]);

    // An audit row deleted.
    let Some(db) = make() else { return };
    let (estate, _, _) = voted(&db);
    exec(
        &db,
        &format!("DELETE FROM audit_log WHERE chain = '{estate}' AND seq = 2"),
    );
    caught(&db, &estate, &["audit chain BROKEN", "entry 2:"]);

    // An audit row inserted after the head.
    let Some(db) = make() else { return };
    let (estate, _, _) = voted(&db);
    let next = last_seq(&db, &estate) + 1;
    exec(
        &db,
        &format!(
            "INSERT INTO audit_log (chain, seq, at, actor, action, subject, detail, prev_hash, entry_hash) \
         SELECT chain, {next}, at, actor, action, subject, detail, entry_hash, 'forged-hash' FROM audit_log WHERE chain = '{estate}' AND seq = {}",
            next - 1
        ),
    );
    caught(
        &db,
        &estate,
        &["audit chain BROKEN", &format!("entry {next}:")],
    );
}

#[test]
fn audit_verify_on_sqlite() {
    tampering_with_ballot_and_audit_rows_is_named(|| Some(harness::sqlite()));
}

#[test]
fn audit_verify_on_postgres() {
    tampering_with_ballot_and_audit_rows_is_named(harness::postgres);
}

fn keys_rotate_list_and_export(db: &TestDb) {
    let estate = db.store.create_estate("湖畔花园", "admin").unwrap().id;
    let out = gongjue(db, &["keys", "list", "--estate", &estate]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("no signing key yet"));
    let first = gongjue(db, &["keys", "rotate", "--estate", &estate]);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let first_kid = String::from_utf8_lossy(&first.stdout)
        .lines()
        .last()
        .unwrap()
        .to_owned();
    let second = gongjue(db, &["keys", "rotate", "--estate", &estate]);
    let second_kid = String::from_utf8_lossy(&second.stdout)
        .lines()
        .last()
        .unwrap()
        .to_owned();
    assert_ne!(first_kid, second_kid);
    let list = String::from_utf8_lossy(&gongjue(db, &["keys", "list", "--estate", &estate]).stdout)
        .into_owned();
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 2, "{list}");
    assert!(
        lines[0].starts_with(&first_kid) && lines[0].contains("retired"),
        "{list}"
    );
    assert!(
        lines[1].starts_with(&second_kid) && lines[1].ends_with("active"),
        "{list}"
    );
    let jwks: serde_json::Value =
        serde_json::from_slice(&gongjue(db, &["keys", "export", "--estate", &estate]).stdout)
            .unwrap();
    let kids: Vec<&str> = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["kid"].as_str().unwrap())
        .collect();
    assert_eq!(kids, [first_kid.as_str(), second_kid.as_str()]);
    assert_eq!(jwks["keys"][0]["crv"], "Ed25519");
    let unknown = gongjue(db, &["keys", "list", "--estate", "no-such-estate"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no such estate"));
}

#[test]
fn keys_on_sqlite() {
    keys_rotate_list_and_export(&harness::sqlite());
}

#[test]
fn keys_on_postgres() {
    if let Some(db) = harness::postgres() {
        keys_rotate_list_and_export(&db);
    }
}
