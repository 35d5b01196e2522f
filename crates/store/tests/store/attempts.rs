//! The attempt counters behind the sign-in limits: a limit of `max` failures within the window,
//! shared by every handle on the database, exact under concurrent attempts, pruned as windows pass.

use gongjue_store::Store;
use gongjue_store::attempts::{AttemptLimit, Reservation};

use crate::harness::TestDb;
use crate::on_both_backends;

const WINDOW: i64 = 900;
const T0: i64 = 1_800_000_000;

fn limit(key: &str, max: u32) -> AttemptLimit {
    AttemptLimit { key: key.into(), max }
}

/// One attempt under `limits` at `now`: `Some` when granted.
fn reserve(store: &Store, limits: &[AttemptLimit], now: i64) -> Option<Reservation> {
    store.reserve_attempts(limits, WINDOW, now).unwrap_or_else(|e| panic!("reserving: {e}"))
}

fn counted(store: &Store, key: &str) -> i64 {
    store.attempts_counted(key).unwrap_or_else(|e| panic!("counting: {e}"))
}

fn counts_up_to_the_limit_and_released_attempts_come_back(db: &TestDb) {
    let store = &db.store;
    for n in 0..3 {
        assert!(reserve(store, &[limit("ip:a", 3)], T0 + n).is_some(), "attempt {n}");
    }
    assert_eq!(reserve(store, &[limit("ip:a", 3)], T0 + 3), None);
    assert!(reserve(store, &[limit("ip:b", 3)], T0 + 3).is_some(), "another key has its own count");
    // A second handle (another server) sees the same count.
    let other = db.reopen();
    assert_eq!(reserve(&other, &[limit("ip:a", 3)], T0 + 4), None);
    // A right secret gives its attempt back.
    let taken = reserve(store, &[limit("ip:c", 1)], T0).unwrap_or_else(|| panic!("a first attempt"));
    store.release_attempts(&taken).unwrap_or_else(|e| panic!("releasing: {e}"));
    assert_eq!(counted(store, "ip:c"), 0);
    assert!(reserve(store, &[limit("ip:c", 1)], T0 + 1).is_some());
}

fn one_used_up_limit_blocks_without_counting_the_others(db: &TestDb) {
    let store = &db.store;
    assert!(reserve(store, &[limit("assembly:x", 1)], T0).is_some());
    assert_eq!(reserve(store, &[limit("ip:a", 5), limit("assembly:x", 1)], T0), None);
    assert_eq!(counted(store, "ip:a"), 0, "a refused attempt counts nowhere");
}

fn the_window_passes_and_old_buckets_are_pruned(db: &TestDb) {
    let store = &db.store;
    assert!(reserve(store, &[limit("ip:a", 1)], T0).is_some());
    assert_eq!(reserve(store, &[limit("ip:a", 1)], T0 + WINDOW - 1), None);
    // One bucket (a fifteenth of the window) later than the window, the failure is gone.
    assert!(reserve(store, &[limit("ip:b", 9)], T0 + WINDOW + WINDOW / 15 + 1).is_some());
    assert_eq!(counted(store, "ip:a"), 0, "pruned by the next attempt of any key");
    assert!(reserve(store, &[limit("ip:a", 1)], T0 + WINDOW + WINDOW / 15 + 2).is_some());
}

/// Sixteen threads on two handles race for a limit of 10: exactly 10 attempts get through.
fn concurrent_attempts_cannot_overtake_the_limit(db: &TestDb) {
    let other = db.reopen();
    let granted: usize = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..16)
            .map(|n| {
                let store = if n % 2 == 0 { db.store.clone() } else { other.clone() };
                scope.spawn(move || (0..3).filter(|_| reserve(&store, &[limit("ip:bot", 10)], T0).is_some()).count())
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap_or_else(|_| panic!("a worker panicked"))).sum()
    });
    assert_eq!(granted, 10);
    assert_eq!(counted(&db.store, "ip:bot"), 10);
}

on_both_backends!(
    counts_up_to_the_limit_and_released_attempts_come_back,
    one_used_up_limit_blocks_without_counting_the_others,
    the_window_passes_and_old_buckets_are_pruned,
    concurrent_attempts_cannot_overtake_the_limit,
);
