use gongjue_store::StoreError;
use gongjue_store::ballots::{CastBallot, Channel};
use serde_json::json;

use crate::fixtures::{assert_conflict, cast, open_lakeside, web};
use crate::harness::TestDb;
use crate::on_both_backends;

fn first_item(a: &crate::fixtures::OpenAssembly) -> String {
    a.item_ids.first().cloned().unwrap_or_default()
}

/// Every version has exactly one `ballot.*` audit entry naming it, and the chain holds.
fn assert_every_version_audited(db: &TestDb, estate_id: &str, item: &str) {
    let versions = db
        .store
        .ballot_versions(item)
        .unwrap_or_else(|e| panic!("{e}"));
    let audit = db
        .store
        .audit_entries(estate_id, 0, 100_000)
        .unwrap_or_else(|e| panic!("{e}"));
    for v in &versions {
        let n = audit
            .iter()
            .filter(|e| e.action == "ballot.cast" && e.subject == v.id)
            .count();
        assert_eq!(n, 1, "audit entries for ballot version {}", v.id);
    }
    let casts = audit.iter().filter(|e| e.action == "ballot.cast").count();
    assert_eq!(casts, versions.len(), "an audit entry without its ballot");
    assert_eq!(
        db.store
            .verify_audit_chain(estate_id)
            .ok()
            .and_then(|r| r.first_broken),
        None
    );
}

fn a_changed_ballot_keeps_its_history_and_one_current(db: &TestDb) {
    let a = open_lakeside(&db.store, true);
    let item = first_item(&a);
    let first = cast(&db.store, &web(&item, "P1", json!("yes"), "k1"));
    let second = cast(&db.store, &web(&item, "P1", json!("no"), "k2"));
    assert_eq!((first.version.seq, second.version.seq), (1, 2));
    assert!(!first.replayed && !second.replayed);
    let current = db
        .store
        .current_ballot(&item, "P1")
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("current"));
    assert_eq!(
        (current.version_id.as_str(), current.choice.as_str()),
        (second.version.id.as_str(), "\"no\"")
    );
    let history = db
        .store
        .ballot_history(&item, "P1")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        history
            .iter()
            .map(|v| v.choice.as_str())
            .collect::<Vec<_>>(),
        ["\"yes\"", "\"no\""]
    );
    assert_every_version_audited(db, &a.estate_id, &item);
}

fn a_retried_request_stores_nothing_twice(db: &TestDb) {
    let a = open_lakeside(&db.store, true);
    let item = first_item(&a);
    let request = web(&item, "P2", json!("abstain"), "retry-me");
    let stored = cast(&db.store, &request);
    let retried = cast(&db.store, &request);
    assert!(retried.replayed);
    assert_eq!(retried.version, stored.version);
    assert_eq!(
        db.store.ballot_history(&item, "P2").map(|h| h.len()).ok(),
        Some(1)
    );
    // The same key for another request is a client bug, not a retry.
    assert_conflict(
        db.store
            .cast_ballot(&web(&item, "P2", json!("yes"), "retry-me")),
    );
    assert_every_version_audited(db, &a.estate_id, &item);
}

fn ballots_need_an_open_item_a_member_and_may_be_frozen(db: &TestDb) {
    let a = open_lakeside(&db.store, false);
    let item = first_item(&a);
    let stranger = db
        .store
        .cast_ballot(&web(&item, "nobody", json!("yes"), "k-stranger"));
    assert!(
        matches!(stranger, Err(StoreError::NotFound(_))),
        "{stranger:?}"
    );
    cast(&db.store, &web(&item, "P3", json!("yes"), "k-once"));
    assert_conflict(
        db.store
            .cast_ballot(&web(&item, "P3", json!("no"), "k-twice")),
    );
    db.store
        .transition_assembly(
            &a.assembly_id,
            gongjue_store::assemblies::AssemblyState::Closed,
            "s",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_conflict(
        db.store
            .cast_ballot(&web(&item, "P4", json!("yes"), "k-late")),
    );
    assert_every_version_audited(db, &a.estate_id, &item);
}

fn a_paper_ballot_counts_once_a_second_person_confirms_it(db: &TestDb) {
    let a = open_lakeside(&db.store, true);
    let item = first_item(&a);
    let clerk = db
        .store
        .create_user("clerk", "录入员", "$argon2id$stub")
        .unwrap_or_else(|e| panic!("{e}"));
    let checker = db
        .store
        .create_user("checker", "复核员", "$argon2id$stub")
        .unwrap_or_else(|e| panic!("{e}"));
    cast(&db.store, &web(&item, "P1", json!("yes"), "web-p1"));
    let paper = CastBallot {
        channel: Channel::Paper,
        cast_at: Some("2026-12-03T09:30:00.000000Z".into()),
        entered_by: Some(clerk.id.clone()),
        actor: clerk.id.clone(),
        ..web(&item, "P5", json!("no"), "paper-p5")
    };
    let entered = cast(&db.store, &paper);
    assert_eq!(entered.version.cast_at, "2026-12-03T09:30:00.000000Z");
    let voters = |db: &TestDb| -> Vec<String> {
        db.store
            .counted_ballots(&item)
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .map(|b| b.voter)
            .collect()
    };
    assert_eq!(
        voters(db),
        ["P1"],
        "an unconfirmed paper ballot does not count"
    );
    // A paper ballot received before the member's web ballot was cast never replaces it.
    assert_conflict(db.store.cast_ballot(&CastBallot {
        voter: "P1".into(),
        idempotency_key: "paper-p1-stale".into(),
        cast_at: Some("2000-01-01T00:00:00.000000Z".into()),
        ..paper.clone()
    }));
    // Entered over an earlier web ballot, an unconfirmed paper ballot (received later) leaves
    // the web one counted.
    let over_web = CastBallot {
        voter: "P1".into(),
        idempotency_key: "paper-p1".into(),
        choice: json!("no"),
        cast_at: Some(gongjue_store::timestamp(chrono::Utc::now())),
        ..paper.clone()
    };
    let p1_paper = cast(&db.store, &over_web);
    let p1 = |db: &TestDb| {
        db.store
            .counted_ballots(&item)
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .find(|b| b.voter == "P1")
    };
    assert_eq!(
        p1(db).map(|b| (b.choice, b.channel)),
        Some((json!("yes"), "web".to_owned()))
    );
    db.store
        .confirm_paper_ballot(&p1_paper.version.id, &checker.id)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        p1(db).map(|b| (b.choice, b.channel)),
        Some((json!("no"), "paper".to_owned()))
    );
    assert_conflict(
        db.store
            .confirm_paper_ballot(&entered.version.id, &clerk.id),
    );
    let confirmed = db
        .store
        .confirm_paper_ballot(&entered.version.id, &checker.id)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(confirmed.confirmed_by.as_deref(), Some(checker.id.as_str()));
    assert_eq!(voters(db), ["P1", "P5"]);
    assert_conflict(
        db.store
            .confirm_paper_ballot(&entered.version.id, &checker.id),
    );
    let counted = db
        .store
        .counted_ballots(&item)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        counted
            .iter()
            .map(|b| (b.choice.clone(), b.channel.as_str()))
            .collect::<Vec<_>>(),
        [(json!("no"), "paper"), (json!("no"), "paper")]
    );

    // The CHECK holds even against a hand-written UPDATE.
    use diesel::prelude::*;
    let mut raw = db.raw();
    let self_confirm = diesel::sql_query(format!(
        "UPDATE ballot_versions SET confirmed_by = entered_by WHERE id = '{}'",
        entered.version.id
    ))
    .execute(&mut raw);
    assert!(
        self_confirm.is_err(),
        "a paper ballot confirmed by its own clerk must violate a CHECK"
    );
}

fn concurrent_casts_for_one_voter_end_with_one_current_ballot(db: &TestDb) {
    let a = open_lakeside(&db.store, true);
    let item = first_item(&a);
    let choices = ["yes", "no", "abstain", "invalid"];
    std::thread::scope(|s| {
        for t in 0..8 {
            let store = db.store.clone();
            let item = item.clone();
            s.spawn(move || {
                for n in 0..3 {
                    let choice = choices.get((t + n) % 4).copied().unwrap_or("yes");
                    let request = web(&item, "P7", json!(choice), &format!("t{t}-n{n}"));
                    let outcome = store
                        .cast_ballot(&request)
                        .unwrap_or_else(|e| panic!("thread {t}: {e}"));
                    assert!(!outcome.replayed);
                }
            });
        }
    });
    let history = db
        .store
        .ballot_history(&item, "P7")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        history.iter().map(|v| v.seq).collect::<Vec<_>>(),
        (1..=24).collect::<Vec<i64>>()
    );
    let current = db
        .store
        .current_ballot(&item, "P7")
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("current"));
    let last = history.last().unwrap_or_else(|| panic!("history"));
    assert_eq!(
        (current.version_id.as_str(), current.seq),
        (last.id.as_str(), 24)
    );
    assert_eq!(
        db.store.counted_ballots(&item).map(|b| b.len()).ok(),
        Some(1)
    );
    assert_every_version_audited(db, &a.estate_id, &item);
}

fn tally_input_is_the_frozen_electorate_and_the_counted_ballots(db: &TestDb) {
    let a = open_lakeside(&db.store, true);
    let item = first_item(&a);
    cast(&db.store, &web(&item, "P1", json!("yes"), "a"));
    cast(&db.store, &web(&item, "P7", json!("no"), "b"));
    cast(&db.store, &web(&item, "P1", json!("abstain"), "c"));
    let electorate = db.store.electorate(&item).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(electorate.len(), 8);
    assert_eq!(electorate.iter().filter(|u| u.voter == "P7").count(), 2);
    let counted = db
        .store
        .counted_ballots(&item)
        .unwrap_or_else(|e| panic!("{e}"));
    let pairs: Vec<(&str, &serde_json::Value)> = counted
        .iter()
        .map(|b| (b.voter.as_str(), &b.choice))
        .collect();
    assert_eq!(pairs, [("P1", &json!("abstain")), ("P7", &json!("no"))]);
    let input = db
        .store
        .tally_input(&item)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (input.item.id.as_str(), &input.electorate, &input.ballots),
        (item.as_str(), &electorate, &counted)
    );
}

/// A ballot sheet with several items is stored whole or not at all.
fn a_ballot_sheet_is_stored_whole_or_not_at_all(db: &TestDb) {
    use crate::fixtures::{assembly, import, lakeside, motion, open};
    use gongjue_store::electorate::Scope;
    let estate = db
        .store
        .create_estate("湖畔花园", "admin")
        .unwrap_or_else(|e| panic!("{e}"));
    import(&db.store, &estate.id, &lakeside());
    let a = assembly(
        &db.store,
        &estate.id,
        true,
        vec![
            motion("续聘物业", Scope::Estate),
            motion("停车收费", Scope::Estate),
        ],
    );
    open(&db.store, &a);
    let [first, second] = [0, 1].map(|i| a.item_ids.get(i).cloned().unwrap_or_default());
    let items = [first.clone(), second.clone()];
    let sheet: Vec<CastBallot> = items
        .iter()
        .enumerate()
        .map(|(i, item)| web(item, "P1", json!("yes"), &format!("sheet-{i}")))
        .collect();
    let outcomes = db
        .store
        .cast_ballots(&sheet)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        outcomes.iter().map(|o| o.version.seq).collect::<Vec<_>>(),
        vec![1; items.len()]
    );
    // The second ballot names a stranger: the first, valid one must not be stored either.
    let broken = vec![
        web(&first, "P2", json!("no"), "broken-0"),
        web(&second, "nobody", json!("no"), "broken-1"),
    ];
    assert!(db.store.cast_ballots(&broken).is_err());
    assert_eq!(
        db.store
            .current_ballot(&first, "P2")
            .unwrap_or_else(|e| panic!("{e}")),
        None
    );
    let audit = db
        .store
        .audit_entries(&a.estate_id, 0, 100_000)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        audit.iter().filter(|e| e.action == "ballot.cast").count(),
        items.len(),
        "only the whole sheet is logged"
    );
    assert_eq!(
        db.store
            .verify_audit_chain(&a.estate_id)
            .ok()
            .and_then(|r| r.first_broken),
        None
    );
}

/// The receipt hashes a secret random value kept with the version; a version stored before
/// secrets existed (NULL) keeps the old formula, and the audit log binds whichever it has.
fn a_receipt_hashes_the_versions_secret(db: &TestDb) {
    use diesel::prelude::*;
    use sha2::{Digest, Sha256};
    let a = open_lakeside(&db.store, true);
    let item = first_item(&a);
    let first = cast(&db.store, &web(&item, "P1", json!("yes"), "k1")).version;
    let second = cast(&db.store, &web(&item, "P2", json!("yes"), "k2")).version;
    let secret = first.receipt_secret.clone().unwrap_or_default();
    assert!(secret.len() == 32 && secret.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_ne!(first.receipt_secret, second.receipt_secret);
    assert!(
        !serde_json::to_string(&first)
            .unwrap_or_default()
            .contains(&secret),
        "never serialized"
    );
    let v1 = |v: &gongjue_store::ballots::BallotVersion| {
        let canonical = json!([
            "gongjue-ballot/1",
            v.id,
            v.item_id,
            v.voter,
            v.seq,
            v.channel,
            v.choice,
            v.cast_at,
            v.proxy_id
        ]);
        Sha256::digest(canonical.to_string().as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    assert_ne!(first.receipt(), v1(&first));
    let legacy = gongjue_store::ballots::BallotVersion {
        receipt_secret: None,
        ..first.clone()
    };
    assert_eq!(legacy.receipt(), v1(&first), "the old formula, unchanged");
    // Stored: the secret is read back, so the receipt is the same the owner was given.
    let stored = db.store.ballot_versions(&item).unwrap_or_default();
    assert!(
        stored
            .iter()
            .any(|v| v.id == first.id && v.receipt() == first.receipt())
    );
    assert_eq!(
        db.store.verify_ballots(&a.estate_id).unwrap_or_default(),
        []
    );
    // Dropping (or changing) a secret in the database is found: the log sealed the receipt.
    let mut raw = db.raw();
    diesel::sql_query(format!(
        "UPDATE ballot_versions SET receipt_secret = NULL WHERE id = '{}'",
        first.id
    ))
    .execute(&mut raw)
    .unwrap_or_else(|e| panic!("{e}"));
    let found = db.store.verify_ballots(&a.estate_id).unwrap_or_default();
    assert!(found.iter().any(|m| m.ballot == first.id), "{found:?}");
}

/// The store's own checks, under the estate's lock, behind the API's: a paper ballot received
/// before the current ballot is refused at entry; a paper ballot replaced by a later ballot is
/// not confirmed; after closing, a correction must answer an open objection of the member,
/// when entered and again when confirmed.
fn the_later_ballot_wins_and_corrections_answer_objections(db: &TestDb) {
    let store = &db.store;
    let a = open_lakeside(store, true);
    let item = first_item(&a);
    let clerk = store
        .create_user("clerk", "录入员", "$argon2id$stub")
        .unwrap_or_else(|e| panic!("{e}"))
        .id;
    let checker = store
        .create_user("checker", "复核员", "$argon2id$stub")
        .unwrap_or_else(|e| panic!("{e}"))
        .id;
    let paper = |voter: &str, key: &str, at: String| CastBallot {
        channel: Channel::Paper,
        cast_at: Some(at),
        entered_by: Some(clerk.clone()),
        actor: clerk.clone(),
        ..web(&item, voter, json!("no"), key)
    };
    let now = || gongjue_store::timestamp(chrono::Utc::now());
    cast(store, &web(&item, "P1", json!("yes"), "web-1"));
    assert_conflict(store.cast_ballot(&paper("P1", "stale", "2000-01-01T00:00:00.000000Z".into())));
    // Entered, then overtaken by the member's web ballot before the second person confirms.
    let entered = cast(store, &paper("P2", "p2-paper", now())).version;
    cast(store, &web(&item, "P2", json!("yes"), "web-2"));
    assert_conflict(store.confirm_paper_ballot(&entered.id, &checker));

    // Closed: corrections answer open objections only.
    let received = now();
    store
        .transition_assembly(
            &a.assembly_id,
            gongjue_store::assemblies::AssemblyState::Closed,
            "secretary",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_conflict(store.cast_ballot(&paper("P3", "p3-no-objection", received.clone())));
    let objection = store
        .file_objection(&a.assembly_id, &item, "P3", "漏录", "voter:P3")
        .unwrap_or_else(|e| panic!("{e}"));
    let correction = cast(store, &paper("P3", "p3-correction", received)).version;
    store
        .resolve_objection(
            &objection.id,
            &gongjue_store::publications::Resolution::Rejected,
            "与记录一致",
            "sec",
            "user:sec",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_conflict(store.confirm_paper_ballot(&correction.id, &checker));
    assert!(
        store
            .counted_ballots(&item)
            .unwrap_or_default()
            .iter()
            .all(|b| b.voter != "P3")
    );
}

on_both_backends!(
    a_receipt_hashes_the_versions_secret,
    the_later_ballot_wins_and_corrections_answer_objections,
    a_changed_ballot_keeps_its_history_and_one_current,
    a_retried_request_stores_nothing_twice,
    ballots_need_an_open_item_a_member_and_may_be_frozen,
    a_paper_ballot_counts_once_a_second_person_confirms_it,
    concurrent_casts_for_one_voter_end_with_one_current_ballot,
    tally_input_is_the_frozen_electorate_and_the_counted_ballots,
    a_ballot_sheet_is_stored_whole_or_not_at_all,
);
