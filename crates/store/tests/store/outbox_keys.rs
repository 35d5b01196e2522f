//! The e-mail outbox and the signing keys.

use diesel::prelude::*;
use gongjue_store::StoreError;
use gongjue_store::keys::{Rewrap, WRAP_PREFIX};
use gongjue_store::outbox::NewEmail;

use crate::fixtures::assert_conflict;
use crate::harness::TestDb;
use crate::on_both_backends;

fn notice(key: &str) -> NewEmail {
    NewEmail {
        estate_id: None,
        dedupe_key: key.into(),
        recipient: "owner@example.org".into(),
        subject: "业主大会会议通知".into(),
        body_text: "请于12月15日前投票".into(),
        body_html: None,
        kind: "announcement".into(),
        ..NewEmail::default()
    }
}

fn an_email_is_queued_once_and_leased_to_one_sender(db: &TestDb) {
    let (first, created) = db
        .store
        .enqueue_email(notice("notice:a:P1"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(created);
    let (again, created_again) = db
        .store
        .enqueue_email(notice("notice:a:P1"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!created_again);
    assert_eq!(again.id, first.id);
    let lease = "2999-01-01T00:00:00.000000Z";
    let claimed = db
        .store
        .claim_due_emails(lease, 10)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        claimed
            .iter()
            .map(|e| (e.id.as_str(), e.attempts))
            .collect::<Vec<_>>(),
        [(first.id.as_str(), 1)]
    );
    assert!(
        db.store
            .claim_due_emails(lease, 10)
            .unwrap_or_else(|e| panic!("{e}"))
            .is_empty(),
        "leased e-mails are not claimed twice"
    );
    db.store
        .mark_email_failed(
            &first.id,
            "421 try later",
            Some("2000-01-01T00:00:00.000000Z"),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let retried = db
        .store
        .claim_due_emails(lease, 10)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(retried.first().map(|e| e.attempts), Some(2));
    db.store
        .mark_email_sent(&first.id)
        .unwrap_or_else(|e| panic!("{e}"));
    let sent = db.store.email(&first.id).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (sent.status.as_str(), sent.attempts, sent.last_error),
        ("sent", 2, None)
    );
    assert!(sent.sent_at.is_some());
    let (other, _) = db
        .store
        .enqueue_email(notice("notice:a:P2"))
        .unwrap_or_else(|e| panic!("{e}"));
    db.store
        .mark_email_failed(&other.id, "550 no such user", None)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        db.store.email(&other.id).map(|e| e.status).ok().as_deref(),
        Some("failed")
    );
    assert!(
        db.store
            .claim_due_emails(lease, 10)
            .unwrap_or_else(|e| panic!("{e}"))
            .is_empty()
    );
}

fn rotating_a_key_keeps_the_old_one_published(db: &TestDb) {
    let estate = db
        .store
        .create_estate("湖畔花园", "admin")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        db.store
            .active_signing_key(&estate.id)
            .unwrap_or_else(|e| panic!("{e}"))
            .is_none()
    );
    db.store
        .rotate_signing_key(&estate.id, "k1", &wrapped("PRIVATE-1"), "PUBLIC-1", "admin")
        .unwrap_or_else(|e| panic!("{e}"));
    db.store
        .rotate_signing_key(&estate.id, "k2", &wrapped("PRIVATE-2"), "PUBLIC-2", "admin")
        .unwrap_or_else(|e| panic!("{e}"));
    let active = db
        .store
        .active_signing_key(&estate.id)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(active.as_ref().map(|k| k.kid.as_str()), Some("k2"));
    assert!(
        !format!("{active:?}").contains("PRIVATE"),
        "Debug must not print private keys"
    );
    let all = db
        .store
        .signing_keys(&estate.id)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        all.iter()
            .map(|k| (k.kid.as_str(), k.retired_at.is_some()))
            .collect::<Vec<_>>(),
        [("k1", true), ("k2", false)]
    );
    assert_conflict(
        db.store
            .rotate_signing_key(&estate.id, "k1", &wrapped("P"), "P", "admin"),
    );
}

/// A stand-in for a wrapped key (the store only checks the prefix; the API wraps).
fn wrapped(text: &str) -> String {
    format!("{WRAP_PREFIX}{text}")
}

fn private_keys_are_stored_only_wrapped(db: &TestDb) {
    let estate = db
        .store
        .create_estate("湖畔花园", "admin")
        .unwrap_or_else(|e| panic!("{e}"));
    let pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----\n";
    let refused = db
        .store
        .rotate_signing_key(&estate.id, "k0", pem, "PUBLIC-0", "admin");
    assert!(
        matches!(refused, Err(StoreError::Invalid(_))),
        "{refused:?}"
    );
    assert!(
        db.store
            .signing_keys(&estate.id)
            .unwrap_or_else(|e| panic!("{e}"))
            .is_empty()
    );
    // A row of an earlier version (plaintext), as the migration leaves it.
    diesel::sql_query(format!(
        "INSERT INTO signing_keys (id, estate_id, kid, private_wrapped, public_pem, created_at) \
         VALUES ('0001', '{}', 'old', '{pem}', 'PUBLIC-OLD', '2026-01-01T00:00:00.000000Z')",
        estate.id
    ))
    .execute(&mut db.raw())
    .unwrap_or_else(|e| panic!("{e}"));
    let change = Rewrap {
        kid: "old".into(),
        from: pem.into(),
        to: wrapped("OLD"),
    };
    // Only wrapped values may be written.
    let plain = Rewrap {
        to: "plain".into(),
        ..change.clone()
    };
    assert!(matches!(
        db.store
            .rewrap_signing_keys(&[plain], "signing_keys.wrapped", "system"),
        Err(StoreError::Invalid(_))
    ));
    assert_eq!(
        db.store
            .rewrap_signing_keys(
                std::slice::from_ref(&change),
                "signing_keys.wrapped",
                "system"
            )
            .unwrap_or_else(|e| panic!("{e}")),
        1
    );
    let stored = db
        .store
        .signing_keys(&estate.id)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        stored
            .iter()
            .map(|k| k.private_wrapped.clone())
            .collect::<Vec<_>>(),
        [wrapped("OLD")]
    );
    // The same change again finds the row changed: nothing is written twice.
    assert_conflict(
        db.store
            .rewrap_signing_keys(&[change], "signing_keys.wrapped", "system"),
    );
    let (seq, _) = db
        .store
        .audit_head("system")
        .unwrap_or_else(|e| panic!("{e}"));
    let last = db
        .store
        .audit_entries("system", seq - 1, 1)
        .unwrap_or_else(|e| panic!("{e}"));
    let last = last.first().unwrap_or_else(|| panic!("an audit entry"));
    assert_eq!(last.action, "signing_keys.wrapped");
    assert!(!last.detail.contains("OLD"), "{}", last.detail);
}

on_both_backends!(
    an_email_is_queued_once_and_leased_to_one_sender,
    rotating_a_key_keeps_the_old_one_published,
    private_keys_are_stored_only_wrapped
);
