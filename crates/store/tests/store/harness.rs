//! Runs each test body on SQLite (always) and on PostgreSQL (when `GONGJUE_TEST_DATABASE_URL`
//! is set; with `GONGJUE_REQUIRE_POSTGRES=1` a missing or unreachable server fails the test).
//! Every test gets its own database: a temp file, or `CREATE DATABASE gongjue_test_<uuid>`.

use std::path::PathBuf;

use diesel::prelude::*;
use gongjue_store::{AnyConnection, Backend, Store};

pub struct TestDb {
    pub store: Store,
    pub url: String,
    cleanup: Cleanup,
}

enum Cleanup {
    SqliteDir(PathBuf),
    PgDatabase { admin_url: String, name: String },
}

impl TestDb {
    pub fn backend(&self) -> Backend {
        self.store.backend()
    }

    /// A second, independent connection (not from the store's pool).
    pub fn raw(&self) -> AnyConnection {
        let url = self.url.strip_prefix("sqlite://").unwrap_or(&self.url);
        match AnyConnection::establish(url) {
            Ok(conn) => conn,
            Err(e) => panic!("raw connection to {url}: {e}"),
        }
    }

    /// Opens the same database again, as a restarted process would.
    pub fn reopen(&self) -> Store {
        Store::open(&self.url).unwrap_or_else(|e| panic!("reopening {}: {e}", self.url))
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::SqliteDir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::PgDatabase { admin_url, name } => {
                if let Ok(mut admin) = PgConnection::establish(admin_url) {
                    // FORCE ends the pool's connections, which may outlive this handle.
                    let _ =
                        diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                            .execute(&mut admin);
                }
            }
        }
    }
}

pub fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "gongjue-store-test-{}",
        uuid::Uuid::now_v7().simple()
    ));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
    dir
}

pub fn sqlite() -> TestDb {
    let dir = temp_dir();
    let url = format!("sqlite://{}", dir.join("gongjue.db").display());
    let store = Store::open(&url).unwrap_or_else(|e| panic!("opening {url}: {e}"));
    TestDb {
        store,
        url,
        cleanup: Cleanup::SqliteDir(dir),
    }
}

/// The SQLite file `dir/file` (e.g. a restored backup), opened as a server would; `dir` is
/// removed with the handle. Used by the end-to-end backup test (which includes this file).
#[allow(dead_code)]
pub fn sqlite_at(dir: PathBuf, file: &str) -> TestDb {
    let url = format!("sqlite://{}", dir.join(file).display());
    let store = Store::open(&url).unwrap_or_else(|e| panic!("opening {url}: {e}"));
    TestDb {
        store,
        url,
        cleanup: Cleanup::SqliteDir(dir),
    }
}

fn require_postgres() -> bool {
    std::env::var("GONGJUE_REQUIRE_POSTGRES").is_ok_and(|v| v == "1")
}

/// `postgres://user:pw@host:port/db?query` with `db` replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (url, query) = match url.split_once('?') {
        Some((u, q)) => (u, format!("?{q}")),
        None => (url, String::new()),
    };
    let authority_start = url.find("://").map_or(0, |i| i + 3);
    let base = match url.get(authority_start..).and_then(|rest| rest.find('/')) {
        Some(slash) => url.get(..authority_start + slash).unwrap_or(url),
        None => url,
    };
    format!("{base}/{name}{query}")
}

pub fn postgres() -> Option<TestDb> {
    let admin_url = match std::env::var("GONGJUE_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => url,
        _ => {
            assert!(
                !require_postgres(),
                "GONGJUE_REQUIRE_POSTGRES=1 but GONGJUE_TEST_DATABASE_URL is not set"
            );
            eprintln!("PostgreSQL test skipped: GONGJUE_TEST_DATABASE_URL is not set");
            return None;
        }
    };
    let mut admin = match PgConnection::establish(&admin_url) {
        Ok(conn) => conn,
        Err(e) => {
            // A URL that was given but does not work is a broken setup, never a skip.
            panic!("GONGJUE_TEST_DATABASE_URL is set but unreachable: {e}");
        }
    };
    let name = format!("gongjue_test_{}", uuid::Uuid::now_v7().simple());
    diesel::sql_query(format!("CREATE DATABASE {name}"))
        .execute(&mut admin)
        .unwrap_or_else(|e| panic!("CREATE DATABASE {name}: {e}"));
    let url = with_database(&admin_url, &name);
    let cleanup = Cleanup::PgDatabase { admin_url, name };
    let store = match Store::open(&url) {
        Ok(store) => store,
        Err(e) => {
            let _ = TestDb::drop_only(cleanup);
            panic!("opening {url}: {e}");
        }
    };
    Some(TestDb {
        store,
        url,
        cleanup,
    })
}

impl TestDb {
    fn drop_only(cleanup: Cleanup) -> Option<()> {
        if let Cleanup::PgDatabase { admin_url, name } = cleanup {
            let mut admin = PgConnection::establish(&admin_url).ok()?;
            diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut admin)
                .ok()?;
        }
        Some(())
    }
}

/// Generates `NAME::sqlite` and `NAME::postgres` tests that run the body `NAME(&TestDb)`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[test]
                fn sqlite() {
                    let db = $crate::harness::sqlite();
                    super::$name(&db);
                }

                #[test]
                fn postgres() {
                    if let Some(db) = $crate::harness::postgres() {
                        super::$name(&db);
                    }
                }
            }
        )*
    };
}

#[test]
fn replaces_the_database_in_a_url() {
    assert_eq!(
        with_database("postgres://u:p@h:5432/postgres", "x"),
        "postgres://u:p@h:5432/x"
    );
    assert_eq!(
        with_database("postgres://u:p@h:5432", "x"),
        "postgres://u:p@h:5432/x"
    );
    assert_eq!(
        with_database("postgres://h/db?sslmode=disable", "x"),
        "postgres://h/x?sslmode=disable"
    );
}
