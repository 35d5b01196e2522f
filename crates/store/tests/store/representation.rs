//! Who may vote for a unit: voting codes, proxies and transfers of the voting right.

use gongjue_store::ballots::{CastBallot, Channel};
use gongjue_store::proxies::NewProxy;
use gongjue_store::transfers::{NewTransfer, TransferRefusal};
use gongjue_store::{Backend, StoreError};
use serde_json::json;

use crate::fixtures::{assert_conflict, cast, open_lakeside, web};
use crate::harness::TestDb;
use crate::on_both_backends;

fn reissuing_a_code_revokes_the_old_one(db: &TestDb) {
    let a = open_lakeside(&db.store, true);
    let first = db
        .store
        .issue_voting_code(&a.assembly_id, "P1", "hash-1", None)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        db.store
            .active_voting_code("hash-1")
            .ok()
            .flatten()
            .map(|c| c.id),
        Some(first.id)
    );
    db.store
        .issue_voting_code(&a.assembly_id, "P1", "hash-2", None)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(db.store.active_voting_code("hash-1").ok().flatten(), None);
    assert_eq!(
        db.store
            .active_voting_code("hash-2")
            .ok()
            .flatten()
            .map(|c| c.voter)
            .as_deref(),
        Some("P1")
    );
    // A hash is never reused, even for another member.
    assert_conflict(
        db.store
            .issue_voting_code(&a.assembly_id, "P2", "hash-2", None),
    );
}

fn a_proxy_votes_until_the_member_votes_themselves(db: &TestDb) {
    the_members_own_ballot_supersedes_the_proxys(db, true);
}

/// Even where ballots cannot be changed, the member's own ballot replaces their proxy's.
fn own_ballot_supersedes_the_proxys_even_when_ballots_are_final(db: &TestDb) {
    the_members_own_ballot_supersedes_the_proxys(db, false);
}

fn the_members_own_ballot_supersedes_the_proxys(db: &TestDb, changeable: bool) {
    let a = open_lakeside(&db.store, changeable);
    let item = a.item_ids.first().cloned().unwrap_or_default();
    let clerk = db
        .store
        .create_user("clerk", "秘书", "$argon2id$stub")
        .unwrap_or_else(|e| panic!("{e}"));
    let proxy = db
        .store
        .record_proxy(NewProxy {
            assembly_id: a.assembly_id.clone(),
            member: "P4".into(),
            holder: "P5".into(),
            items: Some(vec![item.clone()]),
            document_ref: "委托书-2026-017".into(),
            recorded_by: clerk.id.clone(),
        })
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        db.store
            .proxy_for(&item, "P4", "P5")
            .ok()
            .flatten()
            .map(|p| p.id),
        Some(proxy.id.clone())
    );
    assert_eq!(db.store.proxy_for(&item, "P4", "P6").ok().flatten(), None);
    let by_proxy = |key: &str, choice: &str| CastBallot {
        channel: Channel::Proxy,
        proxy_id: Some(proxy.id.clone()),
        actor: "owner:P5".into(),
        ..web(&item, "P4", json!(choice), key)
    };
    cast(&db.store, &by_proxy("proxy-1", "no"));
    if !changeable {
        assert_conflict(db.store.cast_ballot(&by_proxy("proxy-1b", "yes")));
    }
    // The proxy covers P4 only.
    let wrong_member = CastBallot {
        voter: "P3".into(),
        ..by_proxy("proxy-x", "no")
    };
    assert_conflict(db.store.cast_ballot(&wrong_member));
    cast(&db.store, &web(&item, "P4", json!("yes"), "own-1"));
    assert_conflict(db.store.cast_ballot(&by_proxy("proxy-2", "no")));
    if !changeable {
        assert_conflict(
            db.store
                .cast_ballot(&web(&item, "P4", json!("no"), "own-2")),
        );
    }
    let counted = db
        .store
        .counted_ballots(&item)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        counted
            .iter()
            .map(|b| (b.voter.as_str(), b.channel.as_str()))
            .collect::<Vec<_>>(),
        [("P4", "web")]
    );
    db.store
        .revoke_proxy(&proxy.id, &clerk.id)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(db.store.proxy_for(&item, "P4", "P5").ok().flatten(), None);
}

fn a_transfer_moves_the_vote_only_before_the_seller_voted(db: &TestDb) {
    let a = open_lakeside(&db.store, true);
    let item = a.item_ids.first().cloned().unwrap_or_default();
    let clerk = db
        .store
        .create_user("clerk", "秘书", "$argon2id$stub")
        .unwrap_or_else(|e| panic!("{e}"));
    let second = db
        .store
        .create_user("clerk-2", "秘书二", "$argon2id$stub")
        .unwrap_or_else(|e| panic!("{e}"));
    let transfer = |unit: &str, from: &str| NewTransfer {
        assembly_id: a.assembly_id.clone(),
        unit_number: unit.into(),
        from_voter: from.into(),
        to_voter: "BUYER".into(),
        deed_ref: "沪(2026)不动产权第0001号".into(),
        recorded_by: clerk.id.clone(),
        buyer_is_member: false,
    };
    let voter_of = |unit: &str| {
        db.store
            .electorate(&item)
            .unwrap_or_else(|e| panic!("{e}"))
            .into_iter()
            .find(|u| u.unit_number == unit)
            .map(|u| u.voter)
    };
    let nobody = db.store.record_transfer(
        NewTransfer {
            to_voter: " ".into(),
            ..transfer("1-1-101", "P1")
        },
        &[],
    );
    assert!(
        matches!(nobody, Err(StoreError::Invalid(_))),
        "an empty voter would make the item uncountable: {nobody:?}"
    );
    // Recorded: pending, nothing of the electorate changes.
    let pending = db
        .store
        .record_transfer(transfer("1-1-101", "P1"), &[])
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|r| panic!("{r:?}"));
    assert!(pending.is_pending());
    assert_eq!(voter_of("1-1-101").as_deref(), Some("P1"));
    {
        use diesel::prelude::*;
        let mut raw = db.raw();
        let self_confirm = diesel::sql_query(format!(
            "UPDATE voting_transfers SET confirmed_by = recorded_by WHERE id = '{}'",
            pending.id
        ))
        .execute(&mut raw);
        assert!(
            self_confirm.is_err(),
            "a transfer confirmed by who recorded it must violate a CHECK"
        );
    }
    // Not by who recorded it, nor by a hand-written UPDATE (the table's CHECK).
    assert_eq!(
        db.store
            .confirm_transfer(&pending.id, &clerk.id, &[])
            .unwrap_or_else(|e| panic!("{e}")),
        Err(TransferRefusal::SamePerson)
    );
    let confirmed = db
        .store
        .confirm_transfer(&pending.id, &second.id, &[])
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|r| panic!("{r:?}"));
    assert_eq!(confirmed.confirmed_by.as_deref(), Some(second.id.as_str()));
    assert_eq!(voter_of("1-1-101").as_deref(), Some("BUYER"));
    assert_eq!(
        db.store
            .confirm_transfer(&pending.id, &second.id, &[])
            .unwrap_or_else(|e| panic!("{e}")),
        Err(TransferRefusal::NotPending)
    );
    cast(&db.store, &web(&item, "BUYER", json!("yes"), "buyer"));
    // A pending transfer whose seller votes before it is confirmed stays with the seller.
    let late = db
        .store
        .record_transfer(transfer("1-1-102", "P2"), &[])
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|r| panic!("{r:?}"));
    cast(&db.store, &web(&item, "P2", json!("yes"), "seller-voted"));
    assert_eq!(
        db.store
            .confirm_transfer(&late.id, &second.id, &[])
            .unwrap_or_else(|e| panic!("{e}")),
        Err(TransferRefusal::SellerVoted)
    );
    assert_eq!(voter_of("1-1-102").as_deref(), Some("P2"));
    assert_eq!(
        db.store
            .record_transfer(transfer("1-1-102", "P2"), &[])
            .unwrap_or_else(|e| panic!("{e}")),
        Err(TransferRefusal::SellerVoted)
    );
    let wrong = db.store.record_transfer(transfer("1-1-102", "P9"), &[]);
    assert!(matches!(wrong, Err(StoreError::NotFound(_))), "{wrong:?}");
    assert_eq!(
        db.store
            .verify_audit_chain(&a.estate_id)
            .ok()
            .and_then(|r| r.first_broken),
        None
    );
}

/// The staff pages' lists: an estate's assemblies, an assembly's active proxies.
fn assemblies_and_proxies_are_listed(db: &TestDb) {
    let a = open_lakeside(&db.store, true);
    let listed: Vec<String> = db
        .store
        .estate_assemblies(&a.estate_id)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|x| x.id)
        .collect();
    assert_eq!(listed, vec![a.assembly_id.clone()]);
    let other = db
        .store
        .create_estate("别的小区", "admin")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(
        db.store
            .estate_assemblies(&other.id)
            .unwrap_or_else(|e| panic!("{e}"))
            .is_empty(),
        "another estate's assemblies stay out"
    );
    assert!(
        db.store
            .assembly_proxies(&a.assembly_id)
            .unwrap_or_else(|e| panic!("{e}"))
            .is_empty()
    );
    let clerk = db
        .store
        .create_user("clerk", "秘书", "$argon2id$stub")
        .unwrap_or_else(|e| panic!("{e}"));
    let record = |member: &str, holder: &str| {
        db.store
            .record_proxy(NewProxy {
                assembly_id: a.assembly_id.clone(),
                member: member.into(),
                holder: holder.into(),
                items: None,
                document_ref: format!("委托书-{member}"),
                recorded_by: clerk.id.clone(),
            })
            .unwrap_or_else(|e| panic!("{e}"))
    };
    let first = record("P4", "P5");
    let second = record("P2", "P1");
    db.store
        .revoke_proxy(&first.id, "user:clerk")
        .unwrap_or_else(|e| panic!("{e}"));
    let active: Vec<String> = db
        .store
        .assembly_proxies(&a.assembly_id)
        .unwrap_or_else(|e| panic!("{e}"))
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(active, vec![second.id], "a revoked proxy is not listed");
}

/// PostgreSQL keeps no NUL in text: a request's text with one is refused as invalid (422; the
/// edge refuses it before the store on both backends), never a database error (500), and
/// nothing of it is written. PostgreSQL only: SQLite stores any text.
#[test]
fn a_nul_in_text_is_invalid_not_a_database_error_on_postgres() {
    let Some(db) = crate::harness::postgres() else {
        return;
    };
    assert_eq!(db.backend(), Backend::Postgres);
    let a = open_lakeside(&db.store, true);
    let clerk = db
        .store
        .create_user("clerk", "秘书", "$argon2id$stub")
        .unwrap_or_else(|e| panic!("{e}"));
    let refused = db.store.record_proxy(NewProxy {
        assembly_id: a.assembly_id.clone(),
        member: "P4".into(),
        holder: "P5".into(),
        items: None,
        document_ref: "委托书\0".into(),
        recorded_by: clerk.id.clone(),
    });
    assert!(
        matches!(refused, Err(StoreError::Invalid(_))),
        "{refused:?}"
    );
    assert!(
        db.store
            .assembly_proxies(&a.assembly_id)
            .unwrap_or_else(|e| panic!("{e}"))
            .is_empty()
    );
}

on_both_backends!(
    assemblies_and_proxies_are_listed,
    own_ballot_supersedes_the_proxys_even_when_ballots_are_final,
    reissuing_a_code_revokes_the_old_one,
    a_proxy_votes_until_the_member_votes_themselves,
    a_transfer_moves_the_vote_only_before_the_seller_voted,
);
