//! Notices are queued in the transaction of the event that causes them: an e-mail exists if and
//! only if its event committed.

use gongjue_store::StoreError;
use gongjue_store::assemblies::AssemblyState;
use gongjue_store::audit::NewAuditEntry;
use gongjue_store::codes::CodeIssue;
use gongjue_store::electorate::Scope;
use gongjue_store::outbox::{NewEmail, NoticeSource, OutboxFilter, SCRUBBED_BODY};

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
    let filter = OutboxFilter {
        assembly_id: Some(assembly_id.into()),
        ..OutboxFilter::default()
    };
    db.store
        .outbox(&filter)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|e| e.dedupe_key)
        .collect()
}

fn state_of(db: &TestDb, assembly_id: &str) -> Option<String> {
    db.store.assembly(assembly_id).map(|x| x.state).ok()
}

fn a_notice_exists_iff_its_event_committed(db: &TestDb) {
    let estate = db
        .store
        .create_estate("湖畔花园", "admin")
        .unwrap_or_else(|e| panic!("{e}"));
    import(&db.store, &estate.id, &lakeside());
    let a = assembly(
        &db.store,
        &estate.id,
        true,
        vec![motion("续聘物业", Scope::Estate)],
    );
    // Opening a draft is refused: the transaction rolls back, and its notice with it.
    let refused = db.store.transition_assembly_with_notices(
        &a.assembly_id,
        AssemblyState::Open,
        "secretary",
        &mut &[mail("opened", &a.assembly_id)][..],
    );
    assert_conflict(refused);
    assert!(
        of_assembly(db, &a.assembly_id).is_empty(),
        "a rolled-back event leaves no e-mail"
    );
    db.store
        .transition_assembly_with_notices(
            &a.assembly_id,
            AssemblyState::Announced,
            "secretary",
            &mut &[mail("announced", &a.assembly_id)][..],
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(of_assembly(db, &a.assembly_id), ["announced"]);
    // A notice whose insert fails (an unknown assembly breaks the foreign key) undoes its event.
    let broken = mail("broken", "no-such-assembly");
    let undone = db.store.transition_assembly_with_notices(
        &a.assembly_id,
        AssemblyState::Open,
        "secretary",
        &mut &[broken][..],
    );
    assert!(undone.is_err());
    assert_eq!(
        state_of(db, &a.assembly_id).as_deref(),
        Some("announced"),
        "the event rolled back with its notice"
    );
}

fn a_reminder_round_is_audited_with_its_notices(db: &TestDb) {
    let a = open_lakeside(&db.store, true);
    let yet = db
        .store
        .members_yet_to_vote(&a.assembly_id)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!yet.is_empty());
    let mails: Vec<NewEmail> = yet
        .iter()
        .map(|v| NewEmail {
            voter: Some(v.clone()),
            ..mail(&format!("reminder:1:{v}"), &a.assembly_id)
        })
        .collect();
    let event = NewAuditEntry {
        chain: a.estate_id.clone(),
        actor: "secretary".into(),
        action: "notices.reminder".into(),
        subject: a.assembly_id.clone(),
        detail: serde_json::json!({}),
    };
    let entries = |db: &TestDb| {
        db.store
            .audit_entries(&a.estate_id, 0, 1000)
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .filter(|e| e.action == "notices.reminder")
            .count()
    };
    let queued = db
        .store
        .record_notices(&a.estate_id, &mut &mails[..], |_, _| Some(event.clone()))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(queued, yet.len());
    assert_eq!(entries(db), 1);
    // The same round again queues nothing new: keys are unique. Its entry is the caller's
    // choice: none here, as the scheduler does when nothing is new.
    assert_eq!(
        db.store
            .record_notices(&a.estate_id, &mut &mails[..], |_, queued| {
                (queued > 0).then(|| event.clone())
            })
            .unwrap_or_else(|e| panic!("{e}")),
        0
    );
    assert_eq!(entries(db), 1);
    assert_eq!(of_assembly(db, &a.assembly_id).len(), yet.len());
}

/// Notices produced a chunk at a time, failing after `fail_after` of them.
struct Failing {
    assembly: String,
    made: usize,
    fail_after: usize,
}

impl NoticeSource for Failing {
    fn next_chunk(&mut self) -> Result<Vec<NewEmail>, StoreError> {
        if self.made >= self.fail_after {
            return Err(StoreError::Invalid("composing failed".into()));
        }
        let chunk: Vec<NewEmail> = (self.made..self.made + 300)
            .map(|i| mail(&format!("announcement:{i}"), &self.assembly))
            .collect();
        self.made += chunk.len();
        Ok(chunk)
    }
}

fn notices_composed_while_stored_are_all_or_nothing(db: &TestDb) {
    let a = assembly(
        &db.store,
        &db.store
            .create_estate("流式花园", "admin")
            .unwrap_or_else(|e| panic!("{e}"))
            .id,
        true,
        vec![motion("续聘物业", Scope::Estate)],
    );
    // Several chunks are stored before the source fails: the announcement and every one of
    // them roll back.
    let mut source = Failing {
        assembly: a.assembly_id.clone(),
        made: 0,
        fail_after: 1200,
    };
    let failed = db.store.transition_assembly_with_notices(
        &a.assembly_id,
        AssemblyState::Announced,
        "secretary",
        &mut source,
    );
    assert!(failed.is_err());
    assert_eq!(
        source.made, 1200,
        "the source was drained up to its failure"
    );
    assert!(of_assembly(db, &a.assembly_id).is_empty());
    assert_eq!(state_of(db, &a.assembly_id).as_deref(), Some("draft"));
}

fn codes_and_their_invitations_are_issued_all_or_nothing(db: &TestDb) {
    let a = open_lakeside(&db.store, true);
    let issue = |voter: &str, hash: &str, key: &str, assembly: &str| CodeIssue {
        voter: voter.into(),
        code_hash: hash.into(),
        invitation: Some(Box::new(NewEmail {
            kind: "invitation".into(),
            voter: Some(voter.into()),
            ..mail(key, assembly)
        })),
    };
    // The second invitation breaks (unknown assembly): neither code nor invitation remains.
    let broken = [
        issue("P1", "hash-1", "inv:P1", &a.assembly_id),
        issue("P2", "hash-2", "inv:P2", "no-such-assembly"),
    ];
    assert!(
        db.store
            .issue_voting_codes(&a.assembly_id, &broken, None)
            .is_err()
    );
    assert!(
        db.store
            .active_voting_code("hash-1")
            .unwrap_or_else(|e| panic!("{e}"))
            .is_none(),
        "the first code rolled back too"
    );
    assert!(of_assembly(db, &a.assembly_id).is_empty());
    let good = [
        issue("P1", "hash-1", "inv:P1", &a.assembly_id),
        issue("P2", "hash-2", "inv:P2", &a.assembly_id),
    ];
    let issued = db
        .store
        .issue_voting_codes(&a.assembly_id, &good, None)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(issued.len(), 2);
    assert!(
        db.store
            .active_voting_code("hash-2")
            .unwrap_or_else(|e| panic!("{e}"))
            .is_some()
    );
    assert_eq!(of_assembly(db, &a.assembly_id), ["inv:P1", "inv:P2"]);
    // Once handled, an invitation's body (it holds the code in clear) is removed.
    let filter = OutboxFilter {
        assembly_id: Some(a.assembly_id.clone()),
        ..OutboxFilter::default()
    };
    let rows = db.store.outbox(&filter).unwrap_or_else(|e| panic!("{e}"));
    let [sent, failed] = rows.as_slice() else {
        panic!("two invitations expected: {rows:?}")
    };
    // A transient failure keeps the body until the message is sent or given up.
    let later = gongjue_store::timestamp(chrono::Utc::now());
    db.store
        .mark_email_failed(&sent.id, "421 try again later", Some(&later))
        .unwrap_or_else(|e| panic!("{e}"));
    let waiting = db.store.email(&sent.id).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (waiting.status.as_str(), waiting.body_text.as_str()),
        ("pending", sent.body_text.as_str())
    );
    assert_ne!(waiting.body_text, SCRUBBED_BODY);
    db.store
        .mark_email_sent(&sent.id)
        .unwrap_or_else(|e| panic!("{e}"));
    db.store
        .mark_email_failed(&failed.id, "550 no such user", None)
        .unwrap_or_else(|e| panic!("{e}"));
    for id in [&sent.id, &failed.id] {
        let row = db.store.email(id).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (row.body_text.as_str(), row.body_html),
            (SCRUBBED_BODY, None)
        );
    }
    // A late failure report of a worker whose lease had expired does not undo a send.
    db.store
        .mark_email_failed(&sent.id, "timeout", None)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        db.store.email(&sent.id).map(|e| e.status).ok().as_deref(),
        Some("sent")
    );
}

/// Many codes are stored chunk by chunk: a member given twice in one run, or already holding a
/// code, keeps exactly one active code (the last), each code is audited in order, and an
/// invitation key already queued is not queued again.
fn a_large_code_run_revokes_and_audits_as_one_by_one(db: &TestDb) {
    let a = open_lakeside(&db.store, true);
    let issue = |voter: &str, hash: &str| CodeIssue {
        voter: voter.into(),
        code_hash: hash.into(),
        invitation: Some(Box::new(NewEmail {
            kind: "invitation".into(),
            voter: Some(voter.into()),
            ..mail(&format!("inv:{voter}"), &a.assembly_id)
        })),
    };
    db.store
        .issue_voting_codes(
            &a.assembly_id,
            &[issue("M7", "old-7"), issue("M900", "old-900")],
            None,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    let (before, _) = db
        .store
        .audit_head(&a.estate_id)
        .unwrap_or_else(|e| panic!("{e}"));
    // 1,200 members (more than two chunks), M3 a second time in the middle and at the end.
    let mut run: Vec<CodeIssue> = (0..1200)
        .map(|i| issue(&format!("M{i}"), &format!("new-{i}")))
        .collect();
    run.insert(600, issue("M3", "again-3"));
    run.push(issue("M3", "last-3"));
    let issued = db
        .store
        .issue_voting_codes(&a.assembly_id, &run, None)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(issued.len(), run.len());
    assert_eq!(
        issued
            .iter()
            .map(|c| c.code_hash.as_str())
            .collect::<Vec<_>>(),
        run.iter().map(|c| c.code_hash.as_str()).collect::<Vec<_>>()
    );
    let active = |hash: &str| {
        db.store
            .active_voting_code(hash)
            .unwrap_or_else(|e| panic!("{e}"))
            .is_some()
    };
    for (hash, expected) in [
        ("old-7", false),
        ("old-900", false),
        ("new-3", false),
        ("again-3", false),
        ("last-3", true),
        ("new-7", true),
        ("new-1199", true),
    ] {
        assert_eq!(active(hash), expected, "{hash}");
    }
    let entries = db
        .store
        .audit_entries(&a.estate_id, before, 5000)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(entries.len(), run.len(), "one audit entry per code");
    let revoked_previous: Vec<String> = entries
        .iter()
        .filter(|e| {
            serde_json::from_str::<serde_json::Value>(&e.detail)
                .ok()
                .and_then(|d| {
                    d.get("revoked_previous")
                        .and_then(serde_json::Value::as_bool)
                })
                == Some(true)
        })
        .map(|e| {
            serde_json::from_str::<serde_json::Value>(&e.detail)
                .ok()
                .and_then(|d| d.get("voter").and_then(|v| v.as_str().map(str::to_owned)))
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(revoked_previous, ["M7", "M3", "M900", "M3"]);
    assert_eq!(
        entries
            .iter()
            .map(|e| e.subject.as_str())
            .collect::<Vec<_>>(),
        issued.iter().map(|c| c.id.as_str()).collect::<Vec<_>>()
    );
    let verification = db
        .store
        .verify_audit_chain(&a.estate_id)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(verification.first_broken.is_none(), "{verification:?}");
    // inv:M7 and inv:M900 were queued by the first run; inv:M3 once.
    assert_eq!(of_assembly(db, &a.assembly_id).len(), 1200);
}

fn concurrent_claims_never_share_an_email(db: &TestDb) {
    for i in 0..40 {
        db.store
            .enqueue_email(
                NewEmail {
                    dedupe_key: format!("claim:{i}"),
                    ..mail("x", "unused")
                }
                .without_assembly(),
            )
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let lease = "2999-01-01T00:00:00.000000Z";
    let claims: Vec<Vec<String>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    (0..20)
                        .flat_map(|_| db.store.claim_due_emails(lease, 3).unwrap_or_default())
                        .map(|e| e.id)
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_default())
            .collect()
    });
    let mut all: Vec<String> = claims.concat();
    let claimed = all.len();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), claimed, "an e-mail was claimed by two workers");
    assert_eq!(claimed, 40, "every e-mail was claimed once");
}

trait WithoutAssembly {
    fn without_assembly(self) -> NewEmail;
}

impl WithoutAssembly for NewEmail {
    fn without_assembly(mut self) -> NewEmail {
        self.assembly_id = None;
        self
    }
}

on_both_backends!(
    a_notice_exists_iff_its_event_committed,
    a_reminder_round_is_audited_with_its_notices,
    notices_composed_while_stored_are_all_or_nothing,
    codes_and_their_invitations_are_issued_all_or_nothing,
    a_large_code_run_revokes_and_audits_as_one_by_one,
    concurrent_claims_never_share_an_email,
);
