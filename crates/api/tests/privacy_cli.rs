//! `gongjue admin purge-contacts` against a real database, on SQLite and (when configured)
//! PostgreSQL: a dry run reports and changes nothing; a real run erases the contacts, the
//! handled outbox messages' addresses and bodies and the old `.eml` files, and audits counts.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::process::{Command, Output};
use std::time::{Duration, SystemTime};

use diesel::prelude::*;
use gongjue_store::outbox::NewEmail;

#[allow(dead_code, unused_imports)]
#[path = "../../store/tests/store/fixtures.rs"]
mod fixtures;
#[allow(dead_code, unused_imports, unused_macros)]
#[path = "../../store/tests/store/harness.rs"]
mod harness;

use fixtures::{import, lakeside};
use harness::TestDb;

fn gongjue(db: &TestDb, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongjue"))
        .args(["admin", "purge-contacts"])
        .args(args)
        .args(["--database-url", &db.url, "--lang", "en"])
        .env_remove("GONGJUE_CONTACT_RETENTION_DAYS")
        .env_remove("GONGJUE_MAIL_DIR")
        .env_remove("GONGJUE_CONFIG")
        .output()
        .unwrap()
}

fn stdout(out: &Output) -> String {
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn contacts(db: &TestDb, estate: &str) -> usize {
    db.store
        .current_units(estate)
        .unwrap()
        .iter()
        .filter(|u| db.store.unit_contact(&u.id).unwrap().is_some())
        .count()
}

fn purge_contacts_cli(make: fn() -> Option<TestDb>) {
    let Some(db) = make() else { return };
    let estate = db.store.create_estate("湖畔花园", "admin").unwrap().id;
    import(&db.store, &estate, &lakeside());
    // Imported 400 days ago, never used by an assembly.
    diesel::sql_query(format!("UPDATE roster_versions SET imported_at = '2020-01-01T00:00:00.000000Z' WHERE estate_id = '{estate}'"))
        .execute(&mut db.raw())
        .unwrap();
    let (mail, _) = db
        .store
        .enqueue_email(NewEmail {
            estate_id: Some(estate.clone()),
            dedupe_key: "announcement:x:P1".into(),
            recipient: "p1@example.com".into(),
            subject: "公告".into(),
            body_text: "业主P1：您好".into(),
            kind: "announcement".into(),
            voter: Some("P1".into()),
            ..NewEmail::default()
        })
        .unwrap();
    db.store.mark_email_sent(&mail.id).unwrap();
    let dir = harness::temp_dir();
    std::fs::write(dir.join("old.eml"), "To: p1@example.com").unwrap();
    std::fs::write(dir.join("new.eml"), "To: p2@example.com").unwrap();
    let old = SystemTime::now() - Duration::from_secs(400 * 86_400);
    std::fs::File::options()
        .write(true)
        .open(dir.join("old.eml"))
        .unwrap()
        .set_modified(old)
        .unwrap();
    let dir_arg = dir.display().to_string();
    let head = db.store.audit_head(&estate).unwrap().0;

    // Not yet due with a longer period.
    let text = stdout(&gongjue(
        &db,
        &["--contact-retention-days", "5000", "--mail-dir", &dir_arg],
    ));
    assert!(
        text.contains("No contact data is past its retention period"),
        "{text}"
    );
    // 0: kept until the next roster.
    let text = stdout(&gongjue(
        &db,
        &["--contact-retention-days", "0", "--mail-dir", &dir_arg],
    ));
    assert!(text.contains("kept until the next roster"), "{text}");

    // A dry run with the default (365 days) reports everything and changes nothing.
    let text = stdout(&gongjue(&db, &["--dry-run", "--mail-dir", &dir_arg]));
    assert!(text.contains(&format!("{estate}: dry run, nothing erased; would erase: contacts 8, handled messages' addresses and bodies 1")), "{text}");
    assert!(
        text.contains("mail files (.eml) past the retention period 1"),
        "{text}"
    );
    assert_eq!(contacts(&db, &estate), 8);
    assert!(dir.join("old.eml").exists());
    assert_eq!(
        db.store.email(&mail.id).unwrap().recipient,
        "p1@example.com"
    );
    assert_eq!(
        db.store.audit_head(&estate).unwrap().0,
        head,
        "a dry run writes nothing"
    );

    // An unknown estate is an error.
    let out = gongjue(&db, &["--estate", "no-such-estate"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    // The real run.
    let text = stdout(&gongjue(&db, &["--mail-dir", &dir_arg]));
    assert!(
        text.contains(&format!("{estate}: erased: contacts 8")),
        "{text}"
    );
    assert_eq!(contacts(&db, &estate), 0);
    assert!(
        !dir.join("old.eml").exists() && dir.join("new.eml").exists(),
        "only the old file goes"
    );
    let erased = db.store.email(&mail.id).unwrap();
    assert!(
        erased.recipient.is_empty() && !erased.body_text.contains("业主P1"),
        "{erased:?}"
    );
    let entries = db.store.audit_entries(&estate, head, 10).unwrap();
    assert_eq!(
        entries
            .iter()
            .map(|e| (e.action.as_str(), e.actor.as_str()))
            .collect::<Vec<_>>(),
        [("contacts.erased", "cli:admin")]
    );
    assert!(
        !entries[0].detail.contains("example.com"),
        "counts only: {}",
        entries[0].detail
    );
    let system = db.store.audit_entries("system", 0, 100).unwrap();
    let files = system
        .iter()
        .find(|e| e.action == "mail_files.erased")
        .expect("the files' erasure is audited");
    assert!(files.detail.contains("\"files\":1"), "{}", files.detail);
    assert_eq!(
        db.store.verify_audit_chain(&estate).unwrap().first_broken,
        None
    );

    // Again: nothing left.
    let text = stdout(&gongjue(&db, &["--mail-dir", &dir_arg]));
    assert!(
        text.contains("No contact data is past its retention period"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

/// `gongjue serve` applies the period by itself: at start, then hourly.
fn serve_erases_what_is_due(make: fn() -> Option<TestDb>) {
    use std::io::{BufRead, BufReader};
    let Some(db) = make() else { return };
    let estate = db.store.create_estate("湖畔花园", "admin").unwrap().id;
    import(&db.store, &estate, &lakeside());
    diesel::sql_query(format!("UPDATE roster_versions SET imported_at = '2020-01-01T00:00:00.000000Z' WHERE estate_id = '{estate}'"))
        .execute(&mut db.raw())
        .unwrap();
    let dir = harness::temp_dir();
    let mut server = Command::new(env!("CARGO_BIN_EXE_gongjue"))
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--workers",
            "1",
            "--database-url",
            &db.url,
            "--contact-retention-days",
            "30",
        ])
        .arg("--secret-file")
        .arg(dir.join("secret.key"))
        .arg("--mail-dir")
        .arg(dir.join("outbox"))
        .env_remove("GONGJUE_CONFIG")
        .env("RUST_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Lines are read on a thread, so that a server that never logs the erasure fails the test
    // instead of hanging it.
    let (lines, logged) = std::sync::mpsc::channel();
    let stdout = server.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let mut log = Vec::new();
    while let Ok(line) = logged.recv_timeout(Duration::from_secs(30)) {
        let done = line.contains("contact data erased");
        log.push(line);
        if done {
            break;
        }
    }
    server.kill().unwrap();
    server.wait().unwrap();
    let erased = log
        .iter()
        .find(|l| l.contains("contact data erased"))
        .unwrap_or_else(|| panic!("no erasure logged: {log:#?}"));
    assert!(
        erased.contains("contacts=8") && !erased.contains("业主"),
        "{erased}"
    );
    assert_eq!(contacts(&db, &estate), 0);
    let (seq, _) = db.store.audit_head(&estate).unwrap();
    let last = db.store.audit_entries(&estate, seq - 1, 1).unwrap();
    assert_eq!(
        (last[0].action.as_str(), last[0].actor.as_str()),
        ("contacts.erased", "system")
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn serve_erases_on_sqlite() {
    serve_erases_what_is_due(|| Some(harness::sqlite()));
}

#[test]
fn serve_erases_on_postgres() {
    serve_erases_what_is_due(harness::postgres);
}

#[test]
fn purge_contacts_on_sqlite() {
    purge_contacts_cli(|| Some(harness::sqlite()));
}

#[test]
fn purge_contacts_on_postgres() {
    purge_contacts_cli(harness::postgres);
}
