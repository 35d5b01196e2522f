//! Two-stage publication: closing opens the preliminary stage (objection period from the
//! assembly's options), objections are resolved once, the final stage waits for all of them and
//! then refuses further objections and corrections; owners' names come from the current roster.

use gongjue_store::assemblies::AssemblyState;
use gongjue_store::ballots::{CastBallot, Channel};
use gongjue_store::publications::Resolution;
use serde_json::json;

use crate::fixtures::{assert_conflict, cast, open_lakeside, web};
use crate::harness::TestDb;
use crate::on_both_backends;

fn paper(item: &str, voter: &str, key: &str, clerk: &str) -> CastBallot {
    CastBallot {
        channel: Channel::Paper,
        entered_by: Some(clerk.into()),
        ..web(item, voter, json!("yes"), key)
    }
}

fn closing_opens_an_objection_period_that_must_end_in_a_final_publication(db: &TestDb) {
    let store = &db.store;
    let a = open_lakeside(store, true);
    let item = a.item_ids.first().cloned().unwrap_or_default();
    cast(store, &web(&item, "P1", json!("yes"), "1"));
    let clerk = store
        .create_user("sec-1", "sec-1", "x")
        .unwrap_or_else(|e| panic!("{e}"))
        .id;
    assert_eq!(
        store
            .publication(&a.assembly_id)
            .unwrap_or_else(|e| panic!("{e}")),
        None,
        "nothing before closing"
    );
    store
        .transition_assembly(&a.assembly_id, AssemblyState::Closed, "secretary")
        .unwrap_or_else(|e| panic!("{e}"));

    let p = store
        .publication(&a.assembly_id)
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("a publication"));
    assert_eq!(p.stage, "preliminary");
    let opened =
        chrono::DateTime::parse_from_rfc3339(&p.preliminary_at).unwrap_or_else(|e| panic!("{e}"));
    let until =
        chrono::DateTime::parse_from_rfc3339(&p.objections_until).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        until - opened,
        chrono::Duration::days(7),
        "the default period"
    );

    // During the period: a paper correction may be recorded, only in answer to an open
    // objection of that member on that item; web ballots may not be cast at all.
    assert_conflict(store.cast_ballot(&web(&item, "P2", json!("no"), "2")));
    assert_conflict(store.cast_ballot(&paper(&item, "P2", "3", &clerk)));
    let first = store
        .file_objection(&a.assembly_id, &item, "P2", "漏录", "voter:P2")
        .unwrap_or_else(|e| panic!("{e}"));
    let correction = cast(store, &paper(&item, "P2", "3", &clerk)).version;
    let second = store
        .file_objection(&a.assembly_id, &item, "P3", "记录有误", "voter:P3")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        store
            .objections(&a.assembly_id, Some("P3"))
            .unwrap_or_default()
            .len(),
        1
    );
    assert_conflict(store.publish_final(&a.assembly_id, "sec-1", "user:sec-1"));

    let resolved = store
        .resolve_objection(
            &first.id,
            &Resolution::Corrected {
                ballot_version_id: correction.id.clone(),
            },
            "补录",
            "sec-1",
            "user:sec-1",
        )
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        (
            resolved.status.as_str(),
            resolved.ballot_version_id.as_deref()
        ),
        ("corrected", Some(correction.id.as_str()))
    );
    assert_conflict(store.resolve_objection(
        &first.id,
        &Resolution::Rejected,
        "again",
        "sec-1",
        "user:sec-1",
    ));
    store
        .resolve_objection(
            &second.id,
            &Resolution::Rejected,
            "与回执一致",
            "sec-1",
            "user:sec-1",
        )
        .unwrap_or_else(|e| panic!("{e}"));

    let final_ = store
        .publish_final(&a.assembly_id, "sec-1", "user:sec-1")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(final_.is_final() && final_.final_at.is_some());
    assert_conflict(store.publish_final(&a.assembly_id, "sec-1", "user:sec-1"));
    assert_conflict(store.file_objection(&a.assembly_id, &item, "P2", "late", "voter:P2"));
    assert_conflict(store.cast_ballot(&paper(&item, "P4", "4", &clerk)));

    let entry = store
        .final_publication_entry(&a.estate_id, &a.assembly_id)
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("an entry"));
    assert_eq!(
        store
            .audit_head(&a.estate_id)
            .unwrap_or_else(|e| panic!("{e}"))
            .1,
        entry.entry_hash,
        "the last entry of the chain"
    );
    let log = store
        .audit_entries(&a.estate_id, 0, 1000)
        .unwrap_or_default();
    let actions: Vec<&str> = log
        .iter()
        .map(|e| e.action.as_str())
        .filter(|a| a.starts_with("publication.") || a.starts_with("objection."))
        .collect();
    assert_eq!(
        actions,
        [
            "publication.preliminary",
            "objection.filed",
            "objection.filed",
            "objection.resolved",
            "objection.resolved",
            "publication.final"
        ]
    );
    assert!(
        store
            .verify_audit_chain(&a.estate_id)
            .unwrap_or_else(|e| panic!("{e}"))
            .first_broken
            .is_none()
    );
}

fn owners_are_named_from_the_current_roster(db: &TestDb) {
    let a = open_lakeside(&db.store, true);
    let names = db
        .store
        .owner_names(&a.estate_id)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(names.get("P1").map(String::as_str), Some("业主P1"));
}

/// An assembly closed by an older version (no publication row) still gets its objection period.
fn an_assembly_closed_before_publications_existed_gets_its_preliminary_stage(db: &TestDb) {
    use diesel::prelude::*;
    let a = open_lakeside(&db.store, true);
    db.store
        .transition_assembly(&a.assembly_id, AssemblyState::Closed, "secretary")
        .unwrap_or_else(|e| panic!("{e}"));
    let sql = format!(
        "DELETE FROM publications WHERE assembly_id = '{}'",
        a.assembly_id
    );
    assert_eq!(
        diesel::sql_query(&sql)
            .execute(&mut db.raw())
            .unwrap_or_else(|e| panic!("{e}")),
        1
    );
    let p = db
        .store
        .publication(&a.assembly_id)
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|| panic!("a publication"));
    assert_eq!(p.stage, "preliminary");
    let again = db
        .store
        .publication(&a.assembly_id)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(again.as_ref(), Some(&p), "created once");
    let log = db
        .store
        .audit_entries(&a.estate_id, 0, 1000)
        .unwrap_or_default();
    assert_eq!(
        log.iter()
            .filter(|e| e.action == "publication.preliminary")
            .count(),
        2,
        "one at closing (its row since deleted), one now"
    );
}

on_both_backends!(
    closing_opens_an_objection_period_that_must_end_in_a_final_publication,
    owners_are_named_from_the_current_roster,
    an_assembly_closed_before_publications_existed_gets_its_preliminary_stage
);
