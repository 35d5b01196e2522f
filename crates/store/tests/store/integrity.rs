//! Editing a ballot row behind the store's back is caught against the audit log.

use diesel::prelude::*;
use serde_json::json;

use crate::fixtures::{cast, open_lakeside, web};
use crate::harness::TestDb;
use crate::on_both_backends;

fn exec(db: &TestDb, sql: &str) {
    let mut raw = db.raw();
    let changed = diesel::sql_query(sql)
        .execute(&mut raw)
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    assert_eq!(changed, 1, "{sql}");
}

fn problems_of(db: &TestDb, estate: &str) -> Vec<(String, String)> {
    let found = db
        .store
        .verify_ballots(estate)
        .unwrap_or_else(|e| panic!("{e}"));
    found.into_iter().map(|m| (m.ballot, m.problem)).collect()
}

fn an_edited_ballot_row_no_longer_matches_the_audit_log(db: &TestDb) {
    let a = open_lakeside(&db.store, true);
    let item = a.item_ids.first().cloned().unwrap_or_default();
    let old = cast(&db.store, &web(&item, "P1", json!("yes"), "1")).version;
    let now = cast(&db.store, &web(&item, "P1", json!("no"), "2")).version;
    cast(&db.store, &web(&item, "P2", json!("no"), "3"));
    assert_eq!(problems_of(db, &a.estate_id), []);

    exec(
        db,
        &format!(
            "UPDATE ballot_versions SET choice = '\"no\"' WHERE id = '{}'",
            old.id
        ),
    );
    let found = problems_of(db, &a.estate_id);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found
            .iter()
            .all(|(ballot, problem)| *ballot == old.id && problem.contains("audit log")),
        "{found:?}"
    );

    exec(
        db,
        &format!(
            "UPDATE ballots SET choice = '\"yes\"' WHERE version_id = '{}'",
            now.id
        ),
    );
    let found = problems_of(db, &a.estate_id);
    assert!(
        found
            .iter()
            .any(|(ballot, problem)| *ballot == now.id && problem.contains("current ballot")),
        "{found:?}"
    );
}

on_both_backends!(an_edited_ballot_row_no_longer_matches_the_audit_log);
