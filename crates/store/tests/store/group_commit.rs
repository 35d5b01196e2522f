//! Group commit: concurrent casts share a commit, each request still checked on its own.

use gongjue_store::StoreError;
use gongjue_store::ballots::CastBallot;
use gongjue_store::electorate::Scope;
use serde_json::json;

use crate::fixtures::{assembly, import, large_roster, motion, open, open_lakeside, web};
use crate::harness::TestDb;
use crate::on_both_backends;

/// Every version of the item has one `ballot.cast` entry, and the estate's chain holds.
fn assert_audited(db: &TestDb, estate_id: &str, item: &str) {
    let versions = db
        .store
        .ballot_versions(item)
        .unwrap_or_else(|e| panic!("{e}"));
    let audit = db
        .store
        .audit_entries(estate_id, 0, 1_000_000)
        .unwrap_or_else(|e| panic!("{e}"));
    for v in &versions {
        let n = audit
            .iter()
            .filter(|e| e.action == "ballot.cast" && e.subject == v.id)
            .count();
        assert_eq!(n, 1, "audit entries of ballot version {}", v.id);
    }
    let seqs: Vec<i64> = audit.iter().map(|e| e.seq).collect();
    assert_eq!(
        seqs,
        (1..=audit.len() as i64).collect::<Vec<_>>(),
        "the chain has no gap or fork"
    );
    assert_eq!(
        db.store
            .verify_audit_chain(estate_id)
            .ok()
            .and_then(|r| r.first_broken),
        None
    );
    assert_eq!(
        db.store
            .verify_ballots(estate_id)
            .unwrap_or_else(|e| panic!("{e}")),
        []
    );
}

fn a_refused_sheet_in_a_batch_leaves_its_batch_mates_stored(db: &TestDb) {
    let a = open_lakeside(&db.store, false);
    let b = open_lakeside(&db.store, false);
    let (item, other) = (
        a.item_ids.first().cloned().unwrap_or_default(),
        b.item_ids.first().cloned().unwrap_or_default(),
    );
    let sheets: Vec<Vec<CastBallot>> = vec![
        vec![web(&item, "P1", json!("yes"), "s1")],
        vec![web(&item, "nobody", json!("yes"), "s2")], // not a member
        vec![web(&other, "P1", json!("no"), "s3")],     // another estate, same batch
        vec![
            web(&item, "P2", json!("no"), "s4"),
            web(&item, "stranger", json!("no"), "s5"),
        ], // half bad: none of it
        vec![web(&item, "P3", json!("abstain"), "s6")],
        vec![web(&item, "P1", json!("no"), "s7")], // a change, not allowed here
        vec![web(&item, "P3", json!("abstain"), "s6")], // a retry inside the batch
    ];
    let answers = db
        .store
        .cast_sheets(&sheets)
        .unwrap_or_else(|e| panic!("the batch failed as a whole: {e}"));
    assert_eq!(answers.len(), sheets.len());
    type Summary = Result<Vec<(String, i64, bool)>, &'static str>; // (voter, seq, replayed) or the refusal
    let summary: Vec<Summary> = answers
        .iter()
        .map(|a| match a {
            Ok(outcomes) => Ok(outcomes
                .iter()
                .map(|o| (o.version.voter.clone(), o.version.seq, o.replayed))
                .collect()),
            Err(StoreError::NotFound(_)) => Err("not found"),
            Err(StoreError::Conflict(_)) => Err("conflict"),
            Err(_) => Err("other"),
        })
        .collect();
    assert_eq!(
        summary,
        vec![
            Ok(vec![("P1".to_owned(), 1, false)]),
            Err("not found"),
            Ok(vec![("P1".to_owned(), 1, false)]),
            Err("not found"),
            Ok(vec![("P3".to_owned(), 1, false)]),
            Err("conflict"),
            Ok(vec![("P3".to_owned(), 1, true)]),
        ]
    );
    let counted: Vec<(String, serde_json::Value)> = db
        .store
        .counted_ballots(&item)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|b| (b.voter, b.choice))
        .collect();
    assert_eq!(
        counted,
        vec![
            ("P1".to_owned(), json!("yes")),
            ("P3".to_owned(), json!("abstain"))
        ]
    );
    assert_eq!(
        db.store
            .current_ballot(&item, "P2")
            .unwrap_or_else(|e| panic!("{e}")),
        None,
        "a refused sheet is stored whole or not at all"
    );
    assert_audited(db, &a.estate_id, &item);
    assert_audited(db, &b.estate_id, &other);
}

fn concurrent_casts_of_many_voters_are_all_stored_once(db: &TestDb) {
    const VOTERS: usize = 240;
    const THREADS: usize = 24;
    let estate = db
        .store
        .create_estate("大型小区", "admin")
        .unwrap_or_else(|e| panic!("{e}"));
    import(&db.store, &estate.id, &large_roster(VOTERS));
    let a = assembly(
        &db.store,
        &estate.id,
        true,
        vec![motion("全体", Scope::Estate)],
    );
    open(&db.store, &a);
    let item = a.item_ids.first().cloned().unwrap_or_default();
    std::thread::scope(|s| {
        for t in 0..THREADS {
            let (store, item) = (db.store.clone(), item.clone());
            s.spawn(move || {
                for v in (t..VOTERS).step_by(THREADS) {
                    let voter = format!("P{v:05}");
                    let choice = ["yes", "no", "abstain"]
                        .get(v % 3)
                        .copied()
                        .unwrap_or("yes");
                    let cast = web(&item, &voter, json!(choice), &format!("k-{v}"));
                    let outcome = store
                        .cast_ballot(&cast)
                        .unwrap_or_else(|e| panic!("{voter}: {e}"));
                    assert_eq!(
                        (
                            outcome.version.voter.as_str(),
                            outcome.version.seq,
                            outcome.replayed
                        ),
                        (voter.as_str(), 1, false)
                    );
                    // Every third voter's client retries: the batch answers with what it stored.
                    if v % 3 == 0 {
                        let again = store
                            .cast_ballot(&cast)
                            .unwrap_or_else(|e| panic!("{voter} retry: {e}"));
                        assert_eq!(
                            (again.version.id.as_str(), again.replayed),
                            (outcome.version.id.as_str(), true)
                        );
                    }
                }
            });
        }
    });
    let counted = db
        .store
        .counted_ballots(&item)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(counted.len(), VOTERS);
    for b in &counted {
        let v: usize = b
            .voter
            .trim_start_matches('P')
            .parse()
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            b.choice,
            json!(
                ["yes", "no", "abstain"]
                    .get(v % 3)
                    .copied()
                    .unwrap_or("yes")
            ),
            "{}",
            b.voter
        );
    }
    assert_eq!(
        db.store.ballot_versions(&item).map(|v| v.len()).ok(),
        Some(VOTERS)
    );
    assert_audited(db, &estate.id, &item);
}

/// A sheet that passes the batch's checks but breaks a constraint when written (here a paper
/// ballot entered by a user who does not exist): the batch is stored again sheet by sheet, so
/// that sheet alone is refused and its batch-mates are stored, with one unbroken chain.
fn a_sheet_the_database_refuses_is_refused_alone(db: &TestDb) {
    let a = open_lakeside(&db.store, false);
    let item = a.item_ids.first().cloned().unwrap_or_default();
    let mut ghost = web(&item, "P2", json!("no"), "g1");
    ghost.channel = gongjue_store::ballots::Channel::Paper;
    ghost.entered_by = Some("no-such-user".into());
    let sheets: Vec<Vec<CastBallot>> = vec![
        vec![web(&item, "P1", json!("yes"), "g0")],
        vec![ghost],
        vec![web(&item, "P3", json!("no"), "g2")],
    ];
    let answers = db
        .store
        .cast_sheets(&sheets)
        .unwrap_or_else(|e| panic!("the batch failed as a whole: {e}"));
    let stored: Vec<Option<String>> = answers
        .iter()
        .map(|a| {
            a.as_ref()
                .ok()
                .and_then(|o| o.first())
                .map(|o| o.version.voter.clone())
        })
        .collect();
    assert_eq!(
        stored,
        vec![Some("P1".to_owned()), None, Some("P3".to_owned())]
    );
    assert!(
        matches!(answers.get(1), Some(Err(StoreError::Invalid(_)))),
        "{:?}",
        answers.get(1)
    );
    assert_eq!(
        db.store
            .current_ballot(&item, "P2")
            .unwrap_or_else(|e| panic!("{e}")),
        None
    );
    assert_audited(db, &a.estate_id, &item);
}

on_both_backends!(
    a_refused_sheet_in_a_batch_leaves_its_batch_mates_stored,
    concurrent_casts_of_many_voters_are_all_stored_once,
    a_sheet_the_database_refuses_is_refused_alone
);
