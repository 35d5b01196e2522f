//! Issue 17: a member's voting code is re-issued only by two people, and the database refuses
//! a confirmation by the person who asked even when written by hand.

use diesel::RunQueryDsl;
use gongjue_store::StoreError;
use gongjue_store::codes::CodeIssue;

use crate::fixtures::{assert_conflict, open_lakeside};
use crate::harness::TestDb;
use crate::on_both_backends;

fn issue(voter: &str, hash: &str) -> CodeIssue {
    CodeIssue {
        voter: voter.to_owned(),
        code_hash: hash.to_owned(),
        invitation: None,
    }
}

/// First codes only for members who never had one; a re-issue changes nothing until someone
/// else confirms it; the asker's own confirmation is refused by the store and by a CHECK.
fn a_code_is_reissued_only_by_two_people(db: &TestDb) {
    let a = open_lakeside(&db.store, true);
    let store = &db.store;
    let clerk = store
        .create_user("clerk", "录入员", "$argon2id$stub")
        .unwrap_or_else(|e| panic!("{e}"))
        .id;
    let checker = store
        .create_user("checker", "复核员", "$argon2id$stub")
        .unwrap_or_else(|e| panic!("{e}"))
        .id;
    // Nothing to re-issue yet.
    assert!(matches!(
        store.request_code_reissue(&a.assembly_id, "P1", "遗失", &clerk),
        Err(StoreError::Invalid(_))
    ));
    let first = store
        .issue_first_codes(
            &a.assembly_id,
            &[issue("P1", "h-1")],
            Some(&clerk),
            |_, _| Ok(Vec::new()),
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(first, 1);
    let first = store
        .active_voting_code("h-1")
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("P1's code is stored"));
    assert_eq!(first.delivery.as_deref(), Some("paper"));
    // A second "first" code for the member is a re-issue: refused, nothing stored.
    assert_conflict(store.issue_first_codes(
        &a.assembly_id,
        &[issue("P2", "h-2"), issue("P1", "h-3")],
        Some(&clerk),
        |_, _| Ok(Vec::new()),
    ));
    assert!(store.active_voting_code("h-2").ok().flatten().is_none());
    assert!(store.active_voting_code("h-1").ok().flatten().is_some());

    let asked = store
        .request_code_reissue(&a.assembly_id, "P1", "表决票遗失", &clerk)
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(asked.pending());
    assert_conflict(store.request_code_reissue(&a.assembly_id, "P1", "again", &checker));
    assert!(
        store.active_voting_code("h-1").ok().flatten().is_some(),
        "nothing changed"
    );
    assert_conflict(store.confirm_code_reissue(&asked.id, &clerk, "h-4", Vec::new()));
    assert!(store.active_voting_code("h-4").ok().flatten().is_none());

    // A hand-written confirmation by the asker breaks the CHECK.
    let by_hand = diesel::sql_query(format!(
        "UPDATE code_reissues SET confirmed_by = '{clerk}', confirmed_at = 'x', code_id = '{}' WHERE id = '{}'",
        first.id,
        asked.id
    ))
    .execute(&mut db.raw());
    assert!(by_hand.is_err(), "the database let the asker confirm");

    let (confirmed, code) = store
        .confirm_code_reissue(&asked.id, &checker, "h-4", Vec::new())
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(confirmed.confirmed_by.as_deref(), Some(checker.as_str()));
    assert_eq!(confirmed.code_id.as_deref(), Some(code.id.as_str()));
    assert!(store.active_voting_code("h-1").ok().flatten().is_none());
    assert!(store.active_voting_code("h-4").ok().flatten().is_some());
    assert_conflict(store.confirm_code_reissue(&asked.id, &checker, "h-5", Vec::new()));
    assert_eq!(
        store
            .member_codes(&a.assembly_id, "P1")
            .unwrap_or_else(|e| panic!("{e}"))
            .len(),
        2
    );
    assert!(
        store
            .pending_code_reissues(&a.assembly_id)
            .unwrap_or_else(|e| panic!("{e}"))
            .is_empty()
    );
}

on_both_backends!(a_code_is_reissued_only_by_two_people);
