//! The attempt counters behind the sign-in limits: a limit of `max` failures within the window,
//! shared by every handle on the database, exact under concurrent attempts, pruned as windows pass.

use gongjue_store::Store;
use gongjue_store::attempts::AttemptLimit;

use crate::harness::TestDb;
use crate::on_both_backends;

const WINDOW: i64 = 900;
const T0: i64 = 1_800_000_000;

fn limit(key: &str, max: u32) -> AttemptLimit {
    AttemptLimit {
        key: key.into(),
        max,
    }
}

/// Counts one failure under `limits` at `now`: `true` when counted, `false` when a limit was
/// already used up.
fn fail(store: &Store, limits: &[AttemptLimit], now: i64) -> bool {
    store
        .count_failure(limits, WINDOW, now)
        .unwrap_or_else(|e| panic!("counting a failure: {e}"))
}

fn exhausted(store: &Store, limits: &[AttemptLimit], now: i64) -> bool {
    store
        .attempts_exhausted(limits, WINDOW, now)
        .unwrap_or_else(|e| panic!("reading the limits: {e}"))
}

fn counted(store: &Store, key: &str) -> i64 {
    store
        .attempts_counted(key)
        .unwrap_or_else(|e| panic!("counting: {e}"))
}

fn counts_failures_up_to_the_limit(db: &TestDb) {
    let store = &db.store;
    for n in 0..3 {
        assert!(
            !exhausted(store, &[limit("ip:a", 3)], T0 + n),
            "before failure {n}"
        );
        assert!(fail(store, &[limit("ip:a", 3)], T0 + n), "failure {n}");
    }
    assert!(exhausted(store, &[limit("ip:a", 3)], T0 + 3));
    assert!(
        !fail(store, &[limit("ip:a", 3)], T0 + 3),
        "a used-up limit counts no more"
    );
    assert_eq!(counted(store, "ip:a"), 3);
    assert!(
        !exhausted(store, &[limit("ip:b", 3)], T0 + 3),
        "another key has its own count"
    );
    assert!(fail(store, &[limit("ip:b", 3)], T0 + 3));
    // A second handle (another server) sees the same count.
    let other = db.reopen();
    assert!(exhausted(&other, &[limit("ip:a", 3)], T0 + 4));
    assert!(!fail(&other, &[limit("ip:a", 3)], T0 + 4));
}

fn one_used_up_limit_blocks_without_counting_the_others(db: &TestDb) {
    let store = &db.store;
    assert!(fail(store, &[limit("assembly:x", 1)], T0));
    assert!(exhausted(
        store,
        &[limit("ip:a", 5), limit("assembly:x", 1)],
        T0
    ));
    assert!(!fail(
        store,
        &[limit("ip:a", 5), limit("assembly:x", 1)],
        T0
    ));
    assert_eq!(
        counted(store, "ip:a"),
        0,
        "a refused failure counts nowhere"
    );
}

fn the_window_passes_and_old_buckets_are_pruned(db: &TestDb) {
    let store = &db.store;
    assert!(fail(store, &[limit("ip:a", 1)], T0));
    assert!(exhausted(store, &[limit("ip:a", 1)], T0 + WINDOW - 1));
    // One bucket (a fifteenth of the window) later than the window, the failure is gone.
    assert!(!exhausted(
        store,
        &[limit("ip:a", 1)],
        T0 + WINDOW + WINDOW / 15 + 1
    ));
    assert!(fail(
        store,
        &[limit("ip:b", 9)],
        T0 + WINDOW + WINDOW / 15 + 1
    ));
    assert_eq!(
        counted(store, "ip:a"),
        0,
        "pruned by the next failure of any key"
    );
    assert!(fail(
        store,
        &[limit("ip:a", 1)],
        T0 + WINDOW + WINDOW / 15 + 2
    ));
}

/// Sixteen threads on two handles race to count failures under a limit of 10: exactly 10 count.
fn concurrent_failures_cannot_overtake_the_limit(db: &TestDb) {
    let other = db.reopen();
    let counted_now: usize = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..16)
            .map(|n| {
                let store = if n % 2 == 0 {
                    db.store.clone()
                } else {
                    other.clone()
                };
                scope.spawn(move || {
                    (0..3)
                        .filter(|_| fail(&store, &[limit("ip:bot", 10)], T0))
                        .count()
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|w| w.join().unwrap_or_else(|_| panic!("a worker panicked")))
            .sum()
    });
    assert_eq!(counted_now, 10);
    assert_eq!(counted(&db.store, "ip:bot"), 10);
}

on_both_backends!(
    counts_failures_up_to_the_limit,
    one_used_up_limit_blocks_without_counting_the_others,
    the_window_passes_and_old_buckets_are_pruned,
    concurrent_failures_cannot_overtake_the_limit,
);
