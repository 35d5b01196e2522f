//! Retention of contact data: contacts of earlier roster versions go at the next import; the
//! current roster's go (with the handled outbox messages' addresses and bodies) `days` after
//! the estate last needed them, never while an assembly still sends notices; every erasure is
//! audited with counts only; a dry run changes nothing.

use chrono::{Duration, Utc};
use gongjue_store::Store;
use gongjue_store::assemblies::AssemblyState;
use gongjue_store::outbox::NewEmail;
use gongjue_store::privacy::ERASED_BODY;

use crate::fixtures::{assembly, import, lakeside, motion, open, unit};
use crate::harness::TestDb;
use crate::on_both_backends;

fn ok<T, E: std::fmt::Display>(result: Result<T, E>) -> T {
    result.unwrap_or_else(|e| panic!("{e}"))
}

/// How many of the estate's current units still have contact data.
fn contacts_left(store: &Store, estate: &str) -> usize {
    ok(store.current_units(estate))
        .iter()
        .filter(|u| ok(store.unit_contact(&u.id)).is_some())
        .count()
}

fn last_entry(store: &Store, estate: &str) -> (String, serde_json::Value) {
    let (seq, _) = ok(store.audit_head(estate));
    let entries = ok(store.audit_entries(estate, seq - 1, 1));
    let entry = entries.first().unwrap_or_else(|| panic!("an audit entry"));
    (
        entry.action.clone(),
        ok(serde_json::from_str(&entry.detail)),
    )
}

/// A handled message addressed to an owner, as the outbox worker leaves it.
fn sent_mail(store: &Store, estate: &str, key: &str) -> String {
    let (email, _) = ok(store.enqueue_email(NewEmail {
        estate_id: Some(estate.into()),
        dedupe_key: key.into(),
        recipient: "owner-p1@example.com".into(),
        subject: "业主大会公告".into(),
        body_text: "业主P1：您好".into(),
        body_html: Some("<p>业主P1：您好</p>".into()),
        kind: "announcement".into(),
        assembly_id: None,
        voter: Some("P1".into()),
        sms: None,
    }));
    ok(store.mark_email_sent(&email.id));
    email.id
}

fn contacts_of_units_no_longer_on_the_roster_go_at_the_next_import(db: &TestDb) {
    let store = &db.store;
    let estate = ok(store.create_estate("湖畔花园", "admin")).id;
    import(store, &estate, &lakeside());
    let first = ok(store.current_units(&estate));
    let removed = first
        .iter()
        .find(|u| u.unit_number == "2-1-101")
        .unwrap_or_else(|| panic!("unit 2-1-101"))
        .clone();
    assert!(
        ok(store.unit_contact(&removed.id)).is_some(),
        "stored with the roster"
    );

    let mut next = lakeside();
    next.units.retain(|u| u.unit_number() != "2-1-101");
    next.units.push(unit("north", "2", "1", "102", 8000, "P9"));
    import(store, &estate, &next);

    assert_eq!(
        ok(store.unit_contact(&removed.id)),
        None,
        "the removed unit's owner's phone is gone"
    );
    assert!(
        first
            .iter()
            .all(|u| ok(store.unit_contact(&u.id)).is_none()),
        "no contact of the superseded version is kept"
    );
    assert_eq!(
        contacts_left(store, &estate),
        8,
        "the new roster's contacts are stored"
    );
    let (action, detail) = last_entry(store, &estate);
    assert_eq!(
        (
            action.as_str(),
            detail
                .get("contacts_erased")
                .and_then(serde_json::Value::as_u64)
        ),
        ("roster.imported", Some(8))
    );
    assert!(
        !detail.to_string().contains("13800000000") && !detail.to_string().contains("业主"),
        "counts only: {detail}"
    );
}

fn contacts_go_after_the_retention_period_and_not_before(db: &TestDb) {
    let store = &db.store;
    let estate = ok(store.create_estate("湖畔花园", "admin")).id;
    let other = ok(store.create_estate("江畔花园", "admin")).id;
    import(store, &estate, &lakeside());
    import(store, &other, &lakeside());
    let mail = sent_mail(store, &estate, "announcement:1:P1");
    let now = Utc::now();

    // Day 364 after the import: kept.
    let early = ok(store.purge_contacts(365, now + Duration::days(364), None, false, "system"));
    assert!(early.is_empty(), "{early:?}");
    assert_eq!(contacts_left(store, &estate), 8);

    // A dry run past the period reports, and changes nothing (not even the audit log).
    let (head, _) = ok(store.audit_head(&estate));
    let planned = ok(store.purge_contacts(
        365,
        now + Duration::days(366),
        Some(&estate),
        true,
        "cli:admin",
    ));
    assert_eq!(
        planned
            .iter()
            .map(|p| (p.estate_id.as_str(), p.contacts, p.messages))
            .collect::<Vec<_>>(),
        [(estate.as_str(), 8, 1)]
    );
    assert_eq!(contacts_left(store, &estate), 8);
    assert_eq!(ok(store.email(&mail)).recipient, "owner-p1@example.com");
    assert_eq!(
        ok(store.audit_head(&estate)).0,
        head,
        "a dry run writes nothing"
    );

    // Past the period, for this estate only: erased, and audited with counts.
    let done = ok(store.purge_contacts(
        365,
        now + Duration::days(366),
        Some(&estate),
        false,
        "cli:admin",
    ));
    assert_eq!(done.len(), 1);
    assert_eq!(contacts_left(store, &estate), 0);
    assert_eq!(
        contacts_left(store, &other),
        8,
        "another estate is not touched by --estate"
    );
    let erased = ok(store.email(&mail));
    assert_eq!(
        (
            erased.recipient.as_str(),
            erased.body_text.as_str(),
            erased.body_html.as_deref()
        ),
        ("", ERASED_BODY, None)
    );
    assert_eq!(erased.status, "sent", "the record that it was sent stays");
    let (action, detail) = last_entry(store, &estate);
    assert_eq!(action, "contacts.erased");
    assert_eq!(
        (
            detail.get("contacts").and_then(serde_json::Value::as_u64),
            detail.get("messages").and_then(serde_json::Value::as_u64),
            detail
                .get("retention_days")
                .and_then(serde_json::Value::as_u64)
        ),
        (Some(8), Some(1), Some(365))
    );
    assert!(
        !detail.to_string().contains("example.com"),
        "counts only: {detail}"
    );
    assert_eq!(ok(store.verify_audit_chain(&estate)).first_broken, None);

    // Nothing left: a second run erases and records nothing.
    let (head, _) = ok(store.audit_head(&estate));
    assert!(
        ok(store.purge_contacts(
            365,
            now + Duration::days(400),
            Some(&estate),
            false,
            "system"
        ))
        .is_empty()
    );
    assert_eq!(ok(store.audit_head(&estate)).0, head);
    // 0 keeps contacts until the next roster.
    assert!(
        ok(store.purge_contacts(0, now + Duration::days(4000), None, false, "system")).is_empty()
    );
    assert_eq!(contacts_left(store, &other), 8);
}

fn an_assembly_in_progress_keeps_them_and_the_period_runs_from_its_final_publication(db: &TestDb) {
    let store = &db.store;
    let estate = ok(store.create_estate("湖畔花园", "admin")).id;
    import(store, &estate, &lakeside());
    let a = assembly(
        store,
        &estate,
        true,
        vec![motion("续聘物业", gongjue_store::electorate::Scope::Estate)],
    );
    open(store, &a);
    let now = Utc::now();
    assert!(
        ok(store.purge_contacts(30, now + Duration::days(3000), None, false, "system")).is_empty(),
        "open: its notices need them"
    );
    ok(store.transition_assembly(&a.assembly_id, AssemblyState::Closed, "secretary"));
    assert!(
        ok(store.purge_contacts(30, now + Duration::days(3000), None, false, "system")).is_empty(),
        "closed, result not final yet"
    );
    ok(store.publish_final(&a.assembly_id, "sec", "user:sec"));
    let final_at = ok(store.publication(&a.assembly_id))
        .and_then(|p| p.final_at)
        .unwrap_or_else(|| panic!("final"));

    assert!(
        ok(store.purge_contacts(30, now + Duration::days(29), None, false, "system")).is_empty(),
        "within 30 days of the final publication"
    );
    assert_eq!(contacts_left(store, &estate), 8);
    let done = ok(store.purge_contacts(30, now + Duration::days(31), None, false, "system"));
    assert_eq!(
        done.iter()
            .map(|p| (p.contacts, p.needed_until.as_str()))
            .collect::<Vec<_>>(),
        [(8, final_at.as_str())]
    );
    assert_eq!(contacts_left(store, &estate), 0);
    // The tally needs no name: the frozen electorate and the ballots are untouched.
    assert_eq!(ok(store.current_units(&estate)).len(), 8);
}

on_both_backends!(
    contacts_of_units_no_longer_on_the_roster_go_at_the_next_import,
    contacts_go_after_the_retention_period_and_not_before,
    an_assembly_in_progress_keeps_them_and_the_period_runs_from_its_final_publication,
);
