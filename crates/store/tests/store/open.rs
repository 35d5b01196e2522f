use diesel::prelude::*;
use diesel::sql_types::Text;
use gongjue_store::{AnyConnection, Backend, Store, StoreError};

use crate::harness::TestDb;
use crate::on_both_backends;

#[derive(QueryableByName)]
struct Mode {
    #[diesel(sql_type = Text)]
    journal_mode: String,
}

fn reopening_applies_no_migration_twice(db: &TestDb) {
    let estate = db
        .store
        .create_estate("湖畔花园", "admin")
        .unwrap_or_else(|e| panic!("{e}"));
    let again = db.reopen();
    assert_eq!(
        again.estate(&estate.id).map(|e| e.name).ok().as_deref(),
        Some("湖畔花园")
    );
    assert!(matches!(
        again.estate("missing"),
        Err(StoreError::NotFound(_))
    ));
}

fn the_database_enforces_foreign_keys_and_uniqueness(db: &TestDb) {
    let mut conn = db.store.connection().unwrap_or_else(|e| panic!("{e}"));
    let orphan = diesel::sql_query(
        "INSERT INTO roster_versions (id, estate_id, version, imported_at, source_name, source_sha256, units_count, total_area_cents) \
         VALUES ('v1', 'no-such-estate', 1, 'now', 'f', 'x', 0, 0)",
    )
    .execute(&mut *conn);
    assert!(
        orphan.is_err(),
        "a roster version of an unknown estate must be refused by the database"
    );
    drop(conn);
    let user = db
        .store
        .create_user("li", "李", "$argon2id$stub")
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!user.id.is_empty());
    assert!(matches!(
        db.store.create_user("li", "另一个李", "$argon2id$stub"),
        Err(StoreError::Conflict(_))
    ));
    db.store
        .set_password_hash(&user.id, "$argon2id$new", "admin")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        db.store
            .user_by_login("li")
            .map(|u| u.password_hash)
            .ok()
            .as_deref(),
        Some("$argon2id$new")
    );
    assert!(matches!(
        db.store.set_password_hash("nobody", "x", "admin"),
        Err(StoreError::NotFound(_))
    ));
}

on_both_backends!(
    reopening_applies_no_migration_twice,
    the_database_enforces_foreign_keys_and_uniqueness
);

#[test]
fn sqlite_runs_in_wal_mode_with_full_sync() {
    let db = crate::harness::sqlite();
    assert_eq!(db.backend(), Backend::Sqlite);
    let mut conn = db.store.connection().unwrap_or_else(|e| panic!("{e}"));
    let AnyConnection::Sqlite(sqlite) = &mut *conn else {
        panic!("expected SQLite")
    };
    let mode: Mode = diesel::sql_query("PRAGMA journal_mode")
        .get_result(sqlite)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(mode.journal_mode, "wal");
    #[derive(QueryableByName)]
    struct Sync {
        #[diesel(sql_type = diesel::sql_types::Integer)]
        synchronous: i32,
    }
    let sync: Sync = diesel::sql_query("PRAGMA synchronous")
        .get_result(sqlite)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(sync.synchronous, 2, "FULL");
}

#[test]
fn a_plain_path_opens_sqlite() {
    let dir = crate::harness::temp_dir();
    let path = dir.join("plain.db");
    let store = Store::open(&path.display().to_string()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(store.backend(), Backend::Sqlite);
    assert!(path.exists());
    drop(store);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn an_unreachable_server_is_unavailable_not_a_crash() {
    let result = Store::open("postgres://postgres:postgres@127.0.0.1:1/postgres");
    assert!(
        matches!(result, Err(StoreError::Unavailable(_))),
        "{result:?}"
    );
}

fn migrations_revert_and_reapply_cleanly(db: &TestDb) {
    use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
    const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations");
    db.store
        .create_estate("湖畔花园", "admin")
        .unwrap_or_else(|e| panic!("{e}"));
    // Reverting drops tables with rows in them: the down scripts must name every object.
    let mut raw = db.raw();
    let steps = std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations"))
        .unwrap_or_else(|e| panic!("migrations folder: {e}"))
        .filter(|entry| {
            entry
                .as_ref()
                .is_ok_and(|e| e.path().join("up.sql").exists())
        })
        .count();
    let reverted = raw
        .revert_all_migrations(MIGRATIONS)
        .unwrap_or_else(|e| panic!("revert: {e}"));
    assert_eq!(reverted.len(), steps);
    let applied = raw
        .run_pending_migrations(MIGRATIONS)
        .unwrap_or_else(|e| panic!("reapply: {e}"));
    assert_eq!(applied.len(), steps);
    drop(raw);
    assert_eq!(db.reopen().estates().map(|e| e.len()).ok(), Some(0));
}

on_both_backends!(migrations_revert_and_reapply_cleanly);
