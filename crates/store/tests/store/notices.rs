//! Notices are queued in the transaction of the event that causes them: an e-mail exists if and
//! only if its event committed.

use gongjue_store::assemblies::AssemblyState;
use gongjue_store::audit::NewAuditEntry;
use gongjue_store::electorate::Scope;
use gongjue_store::outbox::{NewEmail, OutboxFilter};

use crate::fixtures::{assembly, assert_conflict, import, lakeside, motion, open_lakeside};
use crate::harness::TestDb;
use crate::on_both_backends;

fn mail(key: &str, assembly_id: &str) -> NewEmail {
    NewEmail {
        dedupe_key: key.into(),
        recipient: "owner@example.org".into(),
        subject: "业主大会会议公告".into(),
        body_text: "公告".into(),
        kind: "announcement".into(),
        assembly_id: Some(assembly_id.into()),
        ..NewEmail::default()
    }
}

fn of_assembly(db: &TestDb, assembly_id: &str) -> Vec<String> {
    let filter = OutboxFilter { assembly_id: Some(assembly_id.into()), ..OutboxFilter::default() };
    db.store.outbox(&filter).unwrap_or_else(|e| panic!("{e}")).into_iter().map(|e| e.dedupe_key).collect()
}

fn a_notice_exists_iff_its_event_committed(db: &TestDb) {
    let estate = db.store.create_estate("湖畔花园", "admin").unwrap_or_else(|e| panic!("{e}"));
    import(&db.store, &estate.id, &lakeside());
    let a = assembly(&db.store, &estate.id, true, vec![motion("续聘物业", Scope::Estate)]);
    // Opening a draft is refused: the transaction rolls back, and its notice with it.
    let refused = db.store.transition_assembly_with_notices(&a.assembly_id, AssemblyState::Open, "secretary", &[mail("opened", &a.assembly_id)]);
    assert_conflict(refused);
    assert!(of_assembly(db, &a.assembly_id).is_empty(), "a rolled-back event leaves no e-mail");
    db.store
        .transition_assembly_with_notices(&a.assembly_id, AssemblyState::Announced, "secretary", &[mail("announced", &a.assembly_id)])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(of_assembly(db, &a.assembly_id), ["announced"]);
    // A notice whose insert fails (an unknown assembly breaks the foreign key) undoes its event.
    let broken = mail("broken", "no-such-assembly");
    let undone = db.store.transition_assembly_with_notices(&a.assembly_id, AssemblyState::Open, "secretary", &[broken]);
    assert!(undone.is_err());
    assert_eq!(db.store.assembly(&a.assembly_id).map(|x| x.state).ok().as_deref(), Some("announced"), "the event rolled back with its notice");
}

fn a_reminder_round_is_audited_with_its_notices(db: &TestDb) {
    let a = open_lakeside(&db.store, true);
    let yet = db.store.members_yet_to_vote(&a.assembly_id).unwrap_or_else(|e| panic!("{e}"));
    assert!(!yet.is_empty());
    let mails: Vec<NewEmail> = yet.iter().map(|v| NewEmail { voter: Some(v.clone()), ..mail(&format!("reminder:1:{v}"), &a.assembly_id) }).collect();
    let event = NewAuditEntry {
        chain: a.estate_id.clone(),
        actor: "secretary".into(),
        action: "notices.reminder".into(),
        subject: a.assembly_id.clone(),
        detail: serde_json::json!({}),
    };
    let queued = db.store.record_notices(event.clone(), &mails).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(queued, yet.len());
    // The same round again queues nothing new: keys are unique.
    assert_eq!(db.store.record_notices(event, &mails).unwrap_or_else(|e| panic!("{e}")), 0);
    assert_eq!(of_assembly(db, &a.assembly_id).len(), yet.len());
}

on_both_backends!(a_notice_exists_iff_its_event_committed, a_reminder_round_is_audited_with_its_notices);
