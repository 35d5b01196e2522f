//! The final publication is all or nothing (issue 15, item 4): the real `gongjue serve`, killed
//! with SIGKILL while it publishes an assembly's final result, leaves that result either
//! preliminary with no export, or final with every item's export built, signed and stored.
//! Several closed assemblies are published, each with a kill at a different moment of the
//! publication (a share of the time an undisturbed one took); after each restart the database
//! is checked, and at the end every assembly is published, whole, and the audit log verifies.
//!
//! On SQLite, and on PostgreSQL when `GONGJUE_TEST_DATABASE_URL` is set
//! (`GONGJUE_REQUIRE_POSTGRES=1` makes a missing server a failure).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

#[allow(dead_code, unused_imports, unused_macros)]
#[path = "../../store/tests/store/harness.rs"]
mod harness;
#[allow(dead_code)]
mod live;
mod serving;

use std::time::{Duration, Instant};

use harness::TestDb;
use reqwest::Method;
use serde_json::{Value, json};
use serving::{audit_verifies, call, expect, roster, secretary, start_server};

/// Items per assembly: each is one export to build and sign.
const ITEMS: usize = 8;
/// Single-unit owners: the size of each export.
const OWNERS: usize = 1500;
/// One is published undisturbed (to time it), each other one with a kill.
const ASSEMBLIES: usize = 6;

/// What the database holds for one assembly: whether its result is final, and how many of its
/// items have a stored export.
fn stored(db: &TestDb, assembly: &str) -> (bool, usize, usize) {
    let publication = db.store.publication(assembly).unwrap().expect("closed");
    let items = db.store.items(assembly).unwrap();
    let exported = items
        .iter()
        .filter(|i| db.store.export(&i.id).unwrap().is_some())
        .count();
    (publication.is_final(), exported, items.len())
}

#[track_caller]
fn whole_or_nothing(db: &TestDb, assembly: &str, when: &str) -> bool {
    let (is_final, exported, items) = stored(db, assembly);
    assert!(
        (is_final && exported == items) || (!is_final && exported == 0),
        "{when}: final {is_final} with {exported} of {items} exports"
    );
    is_final
}

async fn closed_assemblies(
    http: &reqwest::Client,
    base: &str,
    db: &TestDb,
) -> (String, Vec<String>) {
    let api = format!("{base}/api/v1");
    let (estate, login, password) = secretary(db, "湖畔花园");
    let session = expect(
        call(
            http,
            Method::POST,
            &format!("{api}/sessions"),
            None,
            None,
            Some(&json!({ "login": login, "password": password })),
        )
        .await,
        200,
        "sign-in",
    );
    let token = session["token"].as_str().unwrap().to_owned();
    let response = http
        .put(format!("{api}/estates/{estate}/roster?name=roster.csv"))
        .bearer_auth(&token)
        .header("content-type", "text/csv")
        .body(roster(OWNERS, true))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let closes = chrono::Utc::now() + chrono::Duration::hours(2);
    let mut assemblies = Vec::new();
    let mut opens = chrono::Utc::now();
    for n in 0..ASSEMBLIES {
        // Each announced before its own opening time (no notice period).
        opens = chrono::Utc::now() + chrono::Duration::seconds(4);
        let request = json!({
            "title": format!("第{}次业主大会会议", n + 1),
            "opens_at": opens.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "closes_at": closes.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            "notice_days": 0,
            "objection_days": 0,
        });
        let assembly = expect(
            call(
                http,
                Method::POST,
                &format!("{api}/estates/{estate}/assemblies"),
                Some(&token),
                None,
                Some(&request),
            )
            .await,
            201,
            "assembly",
        );
        let id = assembly["id"].as_str().unwrap().to_owned();
        for i in 0..ITEMS {
            let item = json!({ "kind": "motion", "title": format!("事项{}", i + 1), "matter": 4 });
            expect(
                call(
                    http,
                    Method::POST,
                    &format!("{api}/assemblies/{id}/items"),
                    Some(&token),
                    None,
                    Some(&item),
                )
                .await,
                201,
                "item",
            );
        }
        expect(
            call(
                http,
                Method::POST,
                &format!("{api}/assemblies/{id}/announce"),
                Some(&token),
                None,
                Some(&json!({})),
            )
            .await,
            200,
            "announce",
        );
        assemblies.push(id);
    }
    tokio::time::sleep(
        (opens - chrono::Utc::now()).to_std().unwrap_or_default() + Duration::from_millis(50),
    )
    .await;
    for id in &assemblies {
        for (step, body) in [
            ("open", json!({})),
            ("close", json!({ "reason": "test: publish at once" })),
        ] {
            expect(
                call(
                    http,
                    Method::POST,
                    &format!("{api}/assemblies/{id}/{step}"),
                    Some(&token),
                    None,
                    Some(&body),
                )
                .await,
                200,
                step,
            );
        }
    }
    (token, assemblies)
}

fn publish_through_kills(db: &TestDb) {
    let dir = harness::temp_dir();
    let mut server = start_server(db, &dir, 0, &[]);
    let port = server.port;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let (token, assemblies) = runtime.block_on(closed_assemblies(&http, &server.base(), db));
    let publish = |base: String, assembly: String| {
        let (http, token) = (http.clone(), token.clone());
        async move {
            call(
                &http,
                Method::POST,
                &format!("{base}/api/v1/assemblies/{assembly}/publication/final"),
                Some(&token),
                None,
                Some(&json!({})),
            )
            .await
        }
    };

    // The undisturbed publication, timed: the kills fall at shares of it.
    let started = Instant::now();
    let reply = runtime.block_on(publish(server.base(), assemblies[0].clone()));
    let took = started.elapsed();
    if !matches!(reply, Ok((200, _))) {
        eprintln!("{}", server.log());
    }
    let body = expect(reply, 200, "final publication");
    assert_eq!(body["exports"].as_array().unwrap().len(), ITEMS, "{body}");
    assert!(whole_or_nothing(db, &assemblies[0], "undisturbed"));
    eprintln!("an undisturbed final publication took {took:?}");

    let mut interrupted = 0;
    for (k, assembly) in assemblies.iter().enumerate().skip(1) {
        // From a fifth of the undisturbed time to its whole, in equal steps.
        let steps = u32::try_from(ASSEMBLIES - 1).unwrap();
        let delay = (took * u32::try_from(k).unwrap() / steps).max(took / 5);
        let request = runtime.spawn(publish(server.base(), assembly.clone()));
        std::thread::sleep(delay);
        server.kill_hard();
        let answer = runtime.block_on(request).unwrap();
        let answered = matches!(&answer, Ok((200, _)));
        if answer.is_err() {
            interrupted += 1;
        } else if !answered {
            panic!("publication {k}: {answer:?}\n{}", server.log());
        }
        let is_final = whole_or_nothing(db, assembly, &format!("killed after {delay:?}"));
        assert!(!answered || is_final, "answered 200 but not final");
        eprintln!("kill after {delay:?}: answered {answered}, final {is_final}");
        server = start_server(db, &dir, port, &[]);
    }
    assert!(
        interrupted > 0,
        "no publication was cut off by a kill: the test did not test"
    );

    // Published again after the crashes: every assembly whole, the audit log intact.
    for assembly in &assemblies {
        if !stored(db, assembly).0 {
            let reply = runtime.block_on(publish(server.base(), assembly.clone()));
            let body: Value = expect(reply, 200, "publication after the crash");
            assert_eq!(body["exports"].as_array().unwrap().len(), ITEMS, "{body}");
        }
        assert!(whole_or_nothing(db, assembly, "at the end"));
    }
    audit_verifies(db);
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn sqlite_final_publication_survives_kills_whole_or_not_at_all() {
    publish_through_kills(&harness::sqlite());
}

#[test]
fn postgres_final_publication_survives_kills_whole_or_not_at_all() {
    if let Some(db) = harness::postgres() {
        publish_through_kills(&db);
    }
}
