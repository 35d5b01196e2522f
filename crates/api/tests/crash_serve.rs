//! Crash under load: the real `gongjue serve` killed with SIGKILL at random moments while
//! owners cast and change ballots, restarted on the same database and port each time. The
//! clients retry through the outage with the same `Idempotency-Key`. Afterwards every
//! acknowledged ballot is stored exactly once with its receipt, nothing else is, no sheet is
//! half stored, `gongjue audit verify` passes and the result equals a recount.
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

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use harness::TestDb;
use serving::{
    Ack, Rng, Trouble, audit_verifies, cast_until_acknowledged, check_stored, open_voting,
    result_equals_recount, secretary, start_server,
};

const OWNERS: usize = 24;
const CLIENTS: usize = 6;
const KILLS: usize = 4;

fn seed() -> u64 {
    std::env::var("GONGJUE_CRASH_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| u64::from(d.subsec_nanos()) | 1)
        })
}

fn crash_under_load(db: &TestDb) {
    let seed = seed();
    eprintln!(
        "crash test on {:?}, seed {seed} (GONGJUE_CRASH_SEED to repeat)",
        db.backend()
    );
    let dir = harness::temp_dir();
    let mut server = start_server(db, &dir, 0, &[]);
    let port = server.port;
    let base = server.base();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let (estate, login, password) = secretary(db, "湖畔花园");
    let voting = Arc::new(runtime.block_on(open_voting(
        &http, &base, &estate, &login, &password, OWNERS, None,
    )));

    let stop = Arc::new(AtomicBool::new(false));
    let mut clients = Vec::new();
    for client in 0..CLIENTS {
        let (voting, stop, http, bases) = (
            voting.clone(),
            stop.clone(),
            http.clone(),
            vec![base.clone()],
        );
        let mut rng = Rng(seed.wrapping_mul(client as u64 + 7) | 1);
        clients.push(runtime.spawn(async move {
            // Each client is a few owners, acting one sheet at a time as a phone would.
            let mine: Vec<(String, String)> = voting
                .owners
                .iter()
                .enumerate()
                .filter(|(n, _)| n % CLIENTS == client)
                .map(|(_, (o, t))| (o.clone(), t.clone()))
                .collect();
            let (mut acks, mut lost, mut trouble) = (Vec::new(), Vec::new(), Trouble::default());
            let target = serving::Target {
                http: &http,
                bases: &bases,
                assembly: &voting.assembly,
                deadline: Instant::now() + Duration::from_secs(90),
            };
            let mut sheet = 0;
            while !stop.load(Ordering::Relaxed) {
                let (owner, token) = &mine[rng.below(mine.len())];
                let votes: Vec<(String, String)> = match rng.below(3) {
                    0 => vec![(
                        voting.motions[0].clone(),
                        ["yes", "no", "abstain"][rng.below(3)].to_owned(),
                    )],
                    1 => vec![(
                        voting.motions[1].clone(),
                        ["yes", "no", "abstain"][rng.below(3)].to_owned(),
                    )],
                    _ => voting
                        .motions
                        .iter()
                        .map(|m| (m.clone(), ["yes", "no", "abstain"][rng.below(3)].to_owned()))
                        .collect(),
                };
                let key = format!("c{client}-s{sheet}");
                sheet += 1;
                match cast_until_acknowledged(&target, token, &key, &votes, &mut trouble).await {
                    Some(receipts) => acks.push(Ack {
                        owner: owner.clone(),
                        key,
                        votes,
                        receipts,
                    }),
                    None => lost.push((owner.clone(), key, votes)),
                }
            }
            (acks, lost, trouble)
        }));
    }

    // Kill the server at random moments, restart it on the same database and port.
    let mut killer = Rng(seed ^ 0x9e37_79b9_7f4a_7c15);
    for kill in 0..KILLS {
        std::thread::sleep(Duration::from_millis(300 + killer.next() % 900));
        server.kill_hard();
        std::thread::sleep(Duration::from_millis(killer.next() % 200));
        server = start_server(db, &dir, port, &[]);
        eprintln!("kill {} done, restarted on port {}", kill + 1, server.port);
    }
    std::thread::sleep(Duration::from_millis(800));
    stop.store(true, Ordering::Relaxed);
    let (mut acks, mut lost, mut trouble) = (Vec::new(), Vec::new(), Trouble::default());
    for client in clients {
        let (a, l, t) = runtime.block_on(client).expect("a client");
        acks.extend(a);
        lost.extend(l);
        trouble.retried_after_connection_error += t.retried_after_connection_error;
        trouble.unavailable += t.unavailable;
        trouble.replayed += t.replayed;
        trouble.unexpected.extend(t.unexpected);
    }
    eprintln!(
        "{} sheets acknowledged, {} not; {trouble:?}",
        acks.len(),
        lost.len()
    );
    assert!(
        trouble.unexpected.is_empty(),
        "answers other than 2xx/503: {:?}\n{}",
        trouble.unexpected,
        server.log()
    );
    assert!(
        lost.is_empty(),
        "sheets never acknowledged before the deadline: {lost:?}"
    );
    assert!(
        acks.len() >= 4 * CLIENTS,
        "too little load to mean anything: {} sheets",
        acks.len()
    );
    assert!(
        trouble.retried_after_connection_error > 0,
        "no request was cut off by a kill: the test did not test"
    );

    let versions = check_stored(db, &voting, &acks, &lost);
    assert!(versions >= acks.len());
    audit_verifies(db);
    runtime.block_on(result_equals_recount(
        &http,
        &[server.base()],
        db,
        &voting,
        &dir,
    ));
    drop(server);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn sqlite_keeps_every_acknowledged_ballot_through_kills() {
    crash_under_load(&harness::sqlite());
}

#[test]
fn postgres_keeps_every_acknowledged_ballot_through_kills() {
    if let Some(db) = harness::postgres() {
        crash_under_load(&db);
    }
}
