//! The attempt counters behind the sign-in limits: a limit of `max` failures within the window,
//! shared by every handle on the database, exact under concurrent attempts, pruned as windows pass.

use gongjue_store::attempts::AttemptLimit;

use crate::harness::TestDb;
use crate::on_both_backends;

const WINDOW: i64 = 900;
const T0: i64 = 1_800_000_000;

fn limit(key: &str, max: u32) -> AttemptLimit {
    AttemptLimit { key: key.into(), max }
}

fn counts_up_to_the_limit_and_released_attempts_come_back(db: &TestDb) {
    let store = &db.store;
    for n in 0..3 {
        assert!(store.reserve_attempts(&[limit("ip:a", 3)], WINDOW, T0 + n).unwrap().is_some(), "attempt {n}");
    }
    assert_eq!(store.reserve_attempts(&[limit("ip:a", 3)], WINDOW, T0 + 3).unwrap(), None);
    assert!(store.reserve_attempts(&[limit("ip:b", 3)], WINDOW, T0 + 3).unwrap().is_some(), "another key has its own count");
    // A second handle (another server) sees the same count.
    let other = db.reopen();
    assert_eq!(other.reserve_attempts(&[limit("ip:a", 3)], WINDOW, T0 + 4).unwrap(), None);
    // A right secret gives its attempt back.
    let taken = store.reserve_attempts(&[limit("ip:c", 1)], WINDOW, T0).unwrap().unwrap();
    store.release_attempts(&taken).unwrap();
    assert_eq!(store.attempts_counted("ip:c").unwrap(), 0);
    assert!(store.reserve_attempts(&[limit("ip:c", 1)], WINDOW, T0 + 1).unwrap().is_some());
}

fn one_used_up_limit_blocks_without_counting_the_others(db: &TestDb) {
    let store = &db.store;
    store.reserve_attempts(&[limit("assembly:x", 1)], WINDOW, T0).unwrap().unwrap();
    assert_eq!(store.reserve_attempts(&[limit("ip:a", 5), limit("assembly:x", 1)], WINDOW, T0).unwrap(), None);
    assert_eq!(store.attempts_counted("ip:a").unwrap(), 0, "a refused attempt counts nowhere");
}

fn the_window_passes_and_old_buckets_are_pruned(db: &TestDb) {
    let store = &db.store;
    store.reserve_attempts(&[limit("ip:a", 1)], WINDOW, T0).unwrap().unwrap();
    assert_eq!(store.reserve_attempts(&[limit("ip:a", 1)], WINDOW, T0 + WINDOW - 1).unwrap(), None);
    // One bucket (a fifteenth of the window) later than the window, the failure is gone.
    assert!(store.reserve_attempts(&[limit("ip:b", 9)], WINDOW, T0 + WINDOW + WINDOW / 15 + 1).unwrap().is_some());
    assert_eq!(store.attempts_counted("ip:a").unwrap(), 0, "pruned by the next attempt of any key");
    assert!(store.reserve_attempts(&[limit("ip:a", 1)], WINDOW, T0 + WINDOW + WINDOW / 15 + 2).unwrap().is_some());
}

/// Sixteen threads on two handles race for a limit of 10: exactly 10 attempts get through.
fn concurrent_attempts_cannot_overtake_the_limit(db: &TestDb) {
    let handles = [db.store.clone(), db.reopen()];
    let granted: usize = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..16)
            .map(|n| {
                let store = handles[n % 2].clone();
                scope.spawn(move || (0..3).filter(|_| store.reserve_attempts(&[limit("ip:bot", 10)], WINDOW, T0).unwrap().is_some()).count())
            })
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    assert_eq!(granted, 10);
    assert_eq!(db.store.attempts_counted("ip:bot").unwrap(), 10);
}

on_both_backends!(
    counts_up_to_the_limit_and_released_attempts_come_back,
    one_used_up_limit_blocks_without_counting_the_others,
    the_window_passes_and_old_buckets_are_pruned,
    concurrent_attempts_cannot_overtake_the_limit,
);
