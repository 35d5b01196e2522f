use diesel::prelude::*;
use gongjue_store::audit::{GENESIS_HASH, NewAuditEntry, SYSTEM_CHAIN};

use crate::harness::TestDb;
use crate::on_both_backends;

fn entry(n: u32) -> NewAuditEntry {
    NewAuditEntry {
        chain: SYSTEM_CHAIN.into(),
        actor: "tester".into(),
        action: "login.failed".into(),
        subject: format!("user{n}"),
        detail: serde_json::json!({ "n": n }),
    }
}

fn append_five(db: &TestDb) {
    for n in 1..=5 {
        db.store
            .append_audit(entry(n))
            .unwrap_or_else(|e| panic!("{e}"));
    }
}

fn exec(db: &TestDb, sql: &str) {
    let mut raw = db.raw();
    let changed = diesel::sql_query(sql)
        .execute(&mut raw)
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    assert_eq!(changed, 1, "{sql}");
}

fn entries_link_to_their_predecessor(db: &TestDb) {
    append_five(db);
    let entries = db
        .store
        .audit_entries(SYSTEM_CHAIN, 0, 100)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        entries.iter().map(|e| e.seq).collect::<Vec<_>>(),
        vec![1, 2, 3, 4, 5]
    );
    assert_eq!(
        entries.first().map(|e| e.prev_hash.as_str()),
        Some(GENESIS_HASH)
    );
    for pair in entries.windows(2) {
        if let [a, b] = pair {
            assert_eq!(b.prev_hash, a.entry_hash);
        }
    }
    let report = db
        .store
        .verify_audit_chain(SYSTEM_CHAIN)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.first_broken, None);
    assert_eq!(report.verified_entries, 5);
    let head = db
        .store
        .audit_head(SYSTEM_CHAIN)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(head, (5, report.head_hash));
}

fn an_altered_entry_is_the_first_broken_link(db: &TestDb) {
    append_five(db);
    exec(
        db,
        "UPDATE audit_log SET detail = '{\"n\":99}' WHERE chain = 'system' AND seq = 3",
    );
    let report = db
        .store
        .verify_audit_chain(SYSTEM_CHAIN)
        .unwrap_or_else(|e| panic!("{e}"));
    let broken = report
        .first_broken
        .unwrap_or_else(|| panic!("tampering not detected"));
    assert_eq!(broken.seq, 3);
    assert_eq!(report.verified_entries, 2);
}

fn a_deleted_entry_is_detected(db: &TestDb) {
    append_five(db);
    exec(
        db,
        "DELETE FROM audit_log WHERE chain = 'system' AND seq = 2",
    );
    let report = db
        .store
        .verify_audit_chain(SYSTEM_CHAIN)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.first_broken.map(|b| b.seq), Some(2));
}

fn a_deleted_last_entry_is_detected(db: &TestDb) {
    append_five(db);
    exec(
        db,
        "DELETE FROM audit_log WHERE chain = 'system' AND seq = 5",
    );
    let report = db
        .store
        .verify_audit_chain(SYSTEM_CHAIN)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.first_broken.map(|b| b.seq), Some(5));
}

fn a_rehashed_forgery_is_caught_at_the_next_link(db: &TestDb) {
    // A forger who rewrites entry 3 and recomputes its hash still breaks entry 4's prev_hash.
    append_five(db);
    let entries = db
        .store
        .audit_entries(SYSTEM_CHAIN, 0, 100)
        .unwrap_or_else(|e| panic!("{e}"));
    let mut forged = entries
        .get(2)
        .cloned()
        .unwrap_or_else(|| panic!("five entries"));
    forged.detail = "{\"n\":42}".into();
    forged.entry_hash = forged.compute_hash();
    exec(
        db,
        &format!(
            "UPDATE audit_log SET detail = '{}', entry_hash = '{}' WHERE chain = 'system' AND seq = 3",
            forged.detail, forged.entry_hash
        ),
    );
    let report = db
        .store
        .verify_audit_chain(SYSTEM_CHAIN)
        .unwrap_or_else(|e| panic!("{e}"));
    let broken = report
        .first_broken
        .unwrap_or_else(|| panic!("forgery not detected"));
    assert_eq!(broken.seq, 4);
    assert!(broken.reason.contains("prev_hash"), "{}", broken.reason);
}

fn concurrent_appends_never_fork_the_chain(db: &TestDb) {
    std::thread::scope(|s| {
        for t in 0..4 {
            let store = db.store.clone();
            s.spawn(move || {
                for n in 0..10 {
                    store
                        .append_audit(entry(t * 100 + n))
                        .unwrap_or_else(|e| panic!("{e}"));
                }
            });
        }
    });
    let report = db
        .store
        .verify_audit_chain(SYSTEM_CHAIN)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.first_broken, None);
    assert_eq!(report.verified_entries, 40);
}

fn verifying_while_others_append_reports_no_false_break(db: &TestDb) {
    append_five(db);
    std::thread::scope(|s| {
        let writer = db.store.clone();
        s.spawn(move || {
            for n in 0..30 {
                writer
                    .append_audit(entry(1000 + n))
                    .unwrap_or_else(|e| panic!("{e}"));
            }
        });
        for _ in 0..10 {
            let report = db
                .store
                .verify_audit_chain(SYSTEM_CHAIN)
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(
                report.first_broken, None,
                "after {} entries",
                report.verified_entries
            );
        }
    });
}

on_both_backends!(
    verifying_while_others_append_reports_no_false_break,
    entries_link_to_their_predecessor,
    an_altered_entry_is_the_first_broken_link,
    a_deleted_entry_is_detected,
    a_deleted_last_entry_is_detected,
    a_rehashed_forgery_is_caught_at_the_next_link,
    concurrent_appends_never_fork_the_chain,
);
