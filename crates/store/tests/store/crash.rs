//! Kill -9 the writer at random moments: the database must hold whole roster versions, every
//! ballot with its history and audit entry, every acknowledged write, and an intact chain.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::Duration;

use gongjue_store::Store;
use serde_json::json;

use crate::fixtures::{assembly, import, large_roster, motion, open, web};
use crate::harness::TestDb;

const CHILD_URL: &str = "GONGJUE_CRASH_CHILD_URL";
const CHILD_ESTATE: &str = "GONGJUE_CRASH_CHILD_ESTATE";
const CHILD_ITEM: &str = "GONGJUE_CRASH_CHILD_ITEM";
const CHILD_ACKS: &str = "GONGJUE_CRASH_CHILD_ACKS";
const READY: &str = "CRASH-CHILD-READY";
const UNITS: usize = 2000;

fn random_below(n: u64) -> u64 {
    RandomState::new().build_hasher().finish() % n
}

/// The writer run in a child process: imports and ballots in a loop until killed. Each write
/// is acknowledged in a file only after the store returned, as a client would see it.
#[test]
#[ignore = "the writer half of the crash tests, started by them as a child process"]
fn crash_child() {
    let (Ok(url), Ok(estate), Ok(item), Ok(acks)) = (
        std::env::var(CHILD_URL),
        std::env::var(CHILD_ESTATE),
        std::env::var(CHILD_ITEM),
        std::env::var(CHILD_ACKS),
    ) else {
        return; // Only meaningful when started by `run_and_kill`.
    };
    let store = Store::open(&url).unwrap_or_else(|e| panic!("child open: {e}"));
    let mut acks = std::fs::OpenOptions::new()
        .append(true)
        .open(&acks)
        .unwrap_or_else(|e| panic!("{e}"));
    println!("{READY}");
    let _ = std::io::stdout().flush();
    let choices = ["yes", "no", "abstain"];
    for round in 0u64.. {
        let mut roster = large_roster(UNITS);
        for unit in roster
            .units
            .iter_mut()
            .take(usize::try_from(round % 50).unwrap_or(0))
        {
            unit.owner_id = format!("sold-{round}-{}", unit.owner_id);
        }
        let report = store
            .import_roster(&estate, &roster, "loop.csv", b"", "child")
            .unwrap_or_else(|e| panic!("{e}"));
        let _ = writeln!(acks, "roster {}", report.roster_version.id);
        // Four casting threads at once, so the kill also lands inside group commits of
        // several ballots (see `group_commit.rs`); each acknowledges only what returned.
        let acked = std::sync::Mutex::new(&mut acks);
        std::thread::scope(|s| {
            for t in 0..4_u64 {
                let (store, item, acked) = (&store, &item, &acked);
                s.spawn(move || {
                    for n in 0..5 {
                        let voter = format!("P{:05}", random_below(UNITS as u64));
                        let choice = choices
                            .get(usize::try_from((t + n) % 3).unwrap_or(0))
                            .copied()
                            .unwrap_or("yes");
                        let key = uuid::Uuid::now_v7().to_string();
                        store
                            .cast_ballot(&web(item, &voter, json!(choice), &key))
                            .unwrap_or_else(|e| panic!("{e}"));
                        let mut acks = acked
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner);
                        let _ = writeln!(acks, "ballot {key}");
                    }
                });
            }
        });
    }
}

/// Starts the writer and kills it at a random moment; with `after_a_ballot`, only once it has
/// acknowledged at least one ballot (a loaded CI machine may otherwise kill it mid-start-up
/// every time, and the test would check nothing about ballots).
fn run_and_kill(
    db: &TestDb,
    estate: &str,
    item: &str,
    acks: &std::path::Path,
    after_a_ballot: bool,
) {
    let exe = std::env::current_exe().unwrap_or_else(|e| panic!("{e}"));
    let mut child = Command::new(exe)
        .args([
            "crash::crash_child",
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_URL, &db.url)
        .env(CHILD_ESTATE, estate)
        .env(CHILD_ITEM, item)
        .env(CHILD_ACKS, acks)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| panic!("spawning the writer: {e}"));
    let stdout = child
        .stdout
        .take()
        .unwrap_or_else(|| panic!("child stdout"));
    let mut lines = BufReader::new(stdout).lines();
    // libtest may print "test NAME ... " on the same line before the marker.
    let ready = lines
        .by_ref()
        .map_while(Result::ok)
        .any(|line| line.contains(READY));
    assert!(ready, "the writer never started");
    let deadline = std::time::Instant::now() + Duration::from_secs(120);
    while after_a_ballot
        && std::time::Instant::now() < deadline
        && !std::fs::read_to_string(acks)
            .unwrap_or_default()
            .lines()
            .any(|l| l.starts_with("ballot "))
    {
        std::thread::sleep(Duration::from_millis(20));
    }
    std::thread::sleep(Duration::from_millis(50 + random_below(700)));
    child.kill().unwrap_or_else(|e| panic!("kill -9: {e}")); // SIGKILL on Unix
    let _ = child.wait();
}

fn assert_consistent(store: &Store, estate: &str, item: &str, acks: &str) {
    let versions = store
        .roster_versions(estate)
        .unwrap_or_else(|e| panic!("{e}"));
    for v in &versions {
        let units = store.roster_units(&v.id).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            units.len() as i64,
            v.units_count,
            "roster version {} is partial",
            v.version
        );
        assert_eq!(
            units.iter().map(|u| u.area_cents).sum::<i64>(),
            v.total_area_cents
        );
    }
    let numbers: Vec<i64> = versions.iter().map(|v| v.version).collect();
    assert_eq!(numbers, (1..=versions.len() as i64).collect::<Vec<_>>());

    let ballots = store
        .ballot_versions(item)
        .unwrap_or_else(|e| panic!("{e}"));
    let audit = store
        .audit_entries(estate, 0, i64::MAX)
        .unwrap_or_else(|e| panic!("{e}"));
    let cast_entries: std::collections::HashSet<&str> = audit
        .iter()
        .filter(|e| e.action == "ballot.cast")
        .map(|e| e.subject.as_str())
        .collect();
    assert_eq!(
        cast_entries.len(),
        ballots.len(),
        "ballots and their audit entries differ"
    );
    for b in &ballots {
        assert!(
            cast_entries.contains(b.id.as_str()),
            "ballot {} has no audit entry",
            b.id
        );
    }
    let imports = audit
        .iter()
        .filter(|e| e.action == "roster.imported")
        .count();
    assert_eq!(
        imports,
        versions.len(),
        "roster versions and their audit entries differ"
    );
    let mut voters: Vec<&str> = ballots.iter().map(|b| b.voter.as_str()).collect();
    voters.sort_unstable();
    voters.dedup();
    for voter in voters {
        let history = store
            .ballot_history(item, voter)
            .unwrap_or_else(|e| panic!("{e}"));
        let current = store
            .current_ballot(item, voter)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            current.map(|c| c.version_id),
            history.last().map(|v| v.id.clone()),
            "current ballot of {voter}"
        );
    }
    let keys: std::collections::HashSet<&str> =
        ballots.iter().map(|b| b.idempotency_key.as_str()).collect();
    let version_ids: std::collections::HashSet<&str> =
        versions.iter().map(|v| v.id.as_str()).collect();
    for line in acks.lines() {
        match line.split_once(' ') {
            Some(("ballot", key)) => {
                assert!(keys.contains(key), "acknowledged ballot {key} was lost")
            }
            Some(("roster", id)) => assert!(
                version_ids.contains(id),
                "acknowledged roster {id} was lost"
            ),
            _ => {} // a line cut by the kill
        }
    }
    assert_eq!(
        store
            .verify_ballots(estate)
            .unwrap_or_else(|e| panic!("{e}")),
        []
    );
    let chain = store
        .verify_audit_chain(estate)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(chain.first_broken, None);
}

fn killing_the_writer_never_leaves_a_half_write(db: &TestDb) {
    let estate = db
        .store
        .create_estate("崩溃测试", "admin")
        .unwrap_or_else(|e| panic!("{e}"));
    import(&db.store, &estate.id, &large_roster(UNITS));
    let a = assembly(
        &db.store,
        &estate.id,
        true,
        vec![motion("全体", gongjue_store::electorate::Scope::Estate)],
    );
    open(&db.store, &a);
    let item = a.item_ids.first().cloned().unwrap_or_default();
    let dir = crate::harness::temp_dir();
    let acks = dir.join("acks.txt");
    std::fs::write(&acks, "").unwrap_or_else(|e| panic!("{e}"));
    for round in 0..4 {
        run_and_kill(db, &estate.id, &item, &acks, round == 3);
        // A fresh process view, as after a restart (SQLite recovers from its WAL here).
        let store = db.reopen();
        let acked = std::fs::read_to_string(&acks).unwrap_or_default();
        assert_consistent(&store, &estate.id, &item, &acked);
    }
    let acked = std::fs::read_to_string(&acks).unwrap_or_default();
    assert!(
        acked.lines().filter(|l| l.starts_with("ballot ")).count() > 0,
        "the writer never got to cast a ballot"
    );
    let _ = std::fs::remove_dir_all(dir);
}

crate::on_both_backends!(killing_the_writer_never_leaves_a_half_write);
