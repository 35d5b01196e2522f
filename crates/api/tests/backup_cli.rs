//! `gongjue backup DEST`: copies a SQLite database (never over an existing file), refuses
//! PostgreSQL with a pointer to pg_dump. The copy under load is tested end to end in
//! `tests/api/backup.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::process::{Command, Output};

use gongjue_api::i18n::{Lang, Msg};
use gongjue_store::Store;

#[allow(dead_code, unused_imports, unused_macros)]
#[path = "../../store/tests/store/harness.rs"]
mod harness;

fn backup(url: &str, dest: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_gongjue"))
        .args(["backup"])
        .arg(dest)
        .args(["--database-url", url, "--lang", "en"])
        .output()
        .unwrap()
}

#[test]
fn backup_copies_a_sqlite_database_once() {
    let db = harness::sqlite();
    let estate = db.store.create_estate("湖畔花园", "admin").unwrap().id;
    let dir = harness::temp_dir();
    let dest = dir.join("copy.db");
    let out = backup(&db.url, &dest);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(Msg::CliBackupDone.text(Lang::En))
            && stdout.contains(Msg::CliBackupSecret.text(Lang::En)),
        "{stdout}"
    );
    let copy = Store::open(&format!("sqlite://{}", dest.display())).unwrap();
    assert_eq!(copy.estate(&estate).unwrap().name, "湖畔花园");
    assert_eq!(copy.verify_audit_chain(&estate).unwrap().first_broken, None);

    let size = std::fs::metadata(&dest).unwrap().len();
    let again = backup(&db.url, &dest);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains(Msg::CliBackupExists.text(Lang::En)));
    assert_eq!(
        std::fs::metadata(&dest).unwrap().len(),
        size,
        "the existing file is left alone"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn backup_refuses_postgres_and_points_to_pg_dump() {
    let Some(db) = harness::postgres() else {
        return;
    };
    let dest = harness::temp_dir().join("never.db");
    let out = backup(&db.url, &dest);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(Msg::CliBackupPostgres.text(Lang::En)) && stderr.contains("pg_dump"),
        "{stderr}"
    );
    assert!(!dest.exists());
}
