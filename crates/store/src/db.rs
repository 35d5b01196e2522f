//! Connections: one code path for SQLite and PostgreSQL, a pool, embedded migrations.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2::{
    ConnectionManager, CustomizeConnection, ManageConnection, Pool, PooledConnection,
};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};
use parking_lot::FairMutex;

use crate::StoreError;

const MIGRATIONS: EmbeddedMigrations = embed_migrations!("../../migrations");

/// Either backend behind one type; queries written once run on both.
#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

/// Which database a [`Store`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// How a write transaction begins on SQLite (and is told apart from a read).
const WRITE_BEGIN: &str = "BEGIN IMMEDIATE";

/// A handle on the database: cheap to clone, safe to share between threads.
/// Every method is synchronous; async callers run them on a blocking thread.
#[derive(Clone)]
pub struct Store {
    pool: Pool<Manager>,
    /// SQLite: the connections write transactions use, apart from the readers' `pool`, so a
    /// writer waiting its turn never holds a connection a read needs (the readers of another
    /// estate waited 150–200 ms for one during a large import, issue 22). `None` on PostgreSQL,
    /// where writers run concurrently.
    writers: Option<Pool<Manager>>,
    backend: Backend,
    /// Where concurrent ballot casts wait to share a commit.
    pub(crate) intake: std::sync::Arc<crate::group_commit::GroupCommit>,
    /// SQLite: this process's write transactions take turns here, first come first served,
    /// before `BEGIN IMMEDIATE`. SQLite's own wait for its write lock polls with sleeps of up to
    /// 100 ms, so a roster import's back-to-back chunks kept taking the lock while the ballots'
    /// group commit slept: 1–1.8 s stalls for another estate's voters (issue 22).
    writer_queue: std::sync::Arc<FairMutex<()>>,
    /// How long a writer waits in that queue before it goes on to SQLite's own wait.
    busy: Duration,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend)
            .finish_non_exhaustive()
    }
}

/// How long a request waits for the database before the store gives up with
/// [`StoreError::Unavailable`] (which the API answers with 503 and `Retry-After`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waits {
    /// SQLite: how long a writer waits for another's write lock (`busy_timeout`).
    pub busy: Duration,
    /// Both: how long a request waits for a pooled connection (e.g. while PostgreSQL is down).
    pub connect: Duration,
}

impl Default for Waits {
    fn default() -> Self {
        Waits {
            busy: Duration::from_secs(10),
            connect: Duration::from_secs(10),
        }
    }
}

/// How long a connection that answered is trusted without asking again at checkout.
const TRUSTED_FOR: Duration = Duration::from_secs(1);

/// Connection failures the store has seen (a terminated backend, a server restarting, a busy
/// database): after one, every pooled connection is pinged at its next checkout.
static FAILURES_SEEN: AtomicU64 = AtomicU64::new(0);

/// Counts a failure of the database or of a connection to it (see [`FAILURES_SEEN`]).
pub(crate) fn note_failure() {
    FAILURES_SEEN.fetch_add(1, Ordering::Relaxed);
}

/// A pooled connection with when it last answered a ping.
pub struct Checked {
    conn: AnyConnection,
    pinged: Instant,
    failures_seen: u64,
}

/// diesel's connection manager, except that a checkout pings the connection (`SELECT 1`, a
/// round trip to PostgreSQL) only when it may have gone bad: when it was last pinged more than
/// [`TRUSTED_FOR`] ago, or when the store has seen a connection fail since. r2d2's own test on
/// checkout pings every time, which cost each ballot a round trip per checkout. A connection
/// that went bad within that second fails one request (503, `Retry-After`), which makes every
/// other one be pinged before its next use.
pub(crate) struct Manager(ConnectionManager<AnyConnection>);

impl ManageConnection for Manager {
    type Connection = Checked;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<Checked, Self::Error> {
        Ok(Checked {
            conn: self.0.connect()?,
            pinged: Instant::now(),
            failures_seen: FAILURES_SEEN.load(Ordering::Relaxed),
        })
    }

    fn is_valid(&self, conn: &mut Checked) -> Result<(), Self::Error> {
        let failures = FAILURES_SEEN.load(Ordering::Relaxed);
        if conn.failures_seen == failures && conn.pinged.elapsed() < TRUSTED_FOR {
            return Ok(());
        }
        self.0.is_valid(&mut conn.conn)?;
        conn.pinged = Instant::now();
        conn.failures_seen = failures;
        Ok(())
    }

    fn has_broken(&self, conn: &mut Checked) -> bool {
        self.0.has_broken(&mut conn.conn)
    }
}

/// A connection checked out of the pool; returned to it when dropped.
pub struct Conn(PooledConnection<Manager>);

impl std::ops::Deref for Conn {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.0.conn
    }
}

impl std::ops::DerefMut for Conn {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.0.conn
    }
}

/// Per-connection SQLite settings (pragmas are per connection, not per file).
#[derive(Debug)]
struct SqlitePragmas {
    busy_ms: u128,
}

impl CustomizeConnection<Checked, diesel::r2d2::Error> for SqlitePragmas {
    fn on_acquire(&self, conn: &mut Checked) -> Result<(), diesel::r2d2::Error> {
        let conn = &mut conn.conn;
        // synchronous=FULL: an acknowledged ballot survives a power cut, not only a crash.
        // busy_timeout: writers queue behind BEGIN IMMEDIATE instead of failing at once.
        conn.batch_execute(&format!(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {};",
            self.busy_ms
        ))
        .map_err(diesel::r2d2::Error::QueryError)
    }
}

impl Store {
    /// Opens `postgres://…` (or `postgresql://…`) on PostgreSQL, `sqlite://PATH` or a plain path
    /// on SQLite (the file is created if missing), and applies pending migrations.
    pub fn open(database_url: &str) -> Result<Store, StoreError> {
        Store::open_with(database_url, 1, Waits::default())
    }

    /// As `open`, with other waits before a busy or unreachable database is reported.
    pub fn open_waiting(database_url: &str, waits: Waits) -> Result<Store, StoreError> {
        Store::open_with(database_url, 1, waits)
    }

    /// As `open`, for a short-lived command-line tool: no idle connection is kept ready, so no
    /// pool thread is still connecting in the background when the process exits (a libpq
    /// connection being set up during exit can crash the process with SIGSEGV).
    pub fn open_for_tool(database_url: &str) -> Result<Store, StoreError> {
        Store::open_with(database_url, 0, Waits::default())
    }

    fn open_with(database_url: &str, min_idle: u32, waits: Waits) -> Result<Store, StoreError> {
        let (backend, url) = if database_url.starts_with("postgres://")
            || database_url.starts_with("postgresql://")
        {
            (Backend::Postgres, database_url.to_owned())
        } else {
            let path = database_url
                .strip_prefix("sqlite://")
                .unwrap_or(database_url);
            (Backend::Sqlite, path.to_owned())
        };
        // Migrate on one connection before the pool exists, so no pooled connection sees a
        // half-migrated schema and SQLite switches to WAL once, not from eight connections at once.
        migrate(backend, &url)?;
        let builder = || {
            Pool::builder()
                .connection_timeout(waits.connect)
                .min_idle(Some(min_idle))
        };
        let sqlite_pool = |size: u32| {
            builder()
                .max_size(size)
                .connection_customizer(Box::new(SqlitePragmas {
                    busy_ms: waits.busy.as_millis(),
                }))
                .build(Manager(ConnectionManager::<AnyConnection>::new(&url)))
        };
        let (pool, writers) = match backend {
            // SQLite has one writer at a time anyway (they take turns in `writer_queue`); the
            // second writer connection serves a writer that gave up waiting its turn.
            Backend::Sqlite => (sqlite_pool(8)?, Some(sqlite_pool(2)?)),
            Backend::Postgres => (
                builder()
                    .max_size(16)
                    .build(Manager(ConnectionManager::<AnyConnection>::new(&url)))?,
                None,
            ),
        };
        Ok(Store {
            pool,
            writers,
            backend,
            intake: Default::default(),
            writer_queue: Default::default(),
            busy: waits.busy,
        })
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A pooled connection with the store's settings, for tools and tests that need raw SQL
    /// (e.g. a test that tampers with a row to prove the audit chain notices).
    pub fn connection(&self) -> Result<Conn, StoreError> {
        self.conn()
    }

    pub(crate) fn conn(&self) -> Result<Conn, StoreError> {
        Ok(Conn(self.pool.get()?))
    }

    /// Runs `f` in a transaction that holds the database's write lock from its first statement:
    /// `BEGIN IMMEDIATE` on SQLite (a deferred transaction that reads first could not upgrade
    /// its lock later and would fail with SQLITE_BUSY); a normal transaction on PostgreSQL,
    /// where writers serialise on the audit chain's head row instead (see `audit.rs`).
    pub(crate) fn write<T>(
        &self,
        f: impl FnOnce(&mut AnyConnection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.in_transaction(WRITE_BEGIN, "BEGIN", f)
    }

    /// Runs `f` in a read-only snapshot, so that several reads see one state of the data even
    /// while writers go on: a read transaction in WAL mode on SQLite, REPEATABLE READ on PostgreSQL
    /// (its default, READ COMMITTED, would let each statement see a newer state), begun with one
    /// statement (each is a round trip to PostgreSQL).
    pub(crate) fn read<T>(
        &self,
        f: impl FnOnce(&mut AnyConnection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        self.in_transaction(
            "BEGIN",
            "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
            f,
        )
    }

    /// Runs `f` between `begin` (SQLite's or PostgreSQL's) and a commit; rolls back on error.
    fn in_transaction<T>(
        &self,
        sqlite_begin: &str,
        pg_begin: &str,
        f: impl FnOnce(&mut AnyConnection) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let writers = self
            .writers
            .as_ref()
            .filter(|_| sqlite_begin == WRITE_BEGIN);
        // SQLite writers take their turn first, then one of the writers' connections, which
        // only the writer whose turn it is (or one that gave up waiting) asks for.
        let _turn = writers.and_then(|_| self.writer_queue.try_lock_for(self.busy));
        let mut pooled = match writers {
            Some(writers) => Conn(writers.get()?),
            None => self.conn()?,
        };
        let conn: &mut AnyConnection = &mut pooled;
        match conn {
            AnyConnection::Sqlite(c) => {
                AnsiTransactionManager::begin_transaction_sql(c, sqlite_begin)?
            }
            AnyConnection::Pg(c) => AnsiTransactionManager::begin_transaction_sql(c, pg_begin)?,
        }
        let outcome = f(conn).and_then(|value| {
            <AnyConnection as Connection>::TransactionManager::commit_transaction(conn)?;
            Ok(value)
        });
        if outcome.is_err() {
            // Still open only if the body or the commit failed; the original error matters more.
            let status =
                <AnyConnection as Connection>::TransactionManager::transaction_manager_status_mut(
                    conn,
                );
            if status.transaction_depth().ok().flatten().is_some() {
                let _ =
                    <AnyConnection as Connection>::TransactionManager::rollback_transaction(conn);
            }
        }
        outcome
    }
}

/// Applies pending migrations. On PostgreSQL several servers may start at once: a session
/// advisory lock lets one migrate while the others wait, then find nothing left to do.
fn migrate(backend: Backend, url: &str) -> Result<(), StoreError> {
    if backend == Backend::Sqlite {
        // Folder 0700, file 0600 before SQLite creates anything (its -wal and -shm take the
        // database file's mode); see `files`.
        crate::files::secure_sqlite(std::path::Path::new(url))
            .map_err(|e| StoreError::Unavailable(format!("preparing {url}: {e}")))?;
    }
    let mut conn =
        AnyConnection::establish(url).map_err(|e| StoreError::Unavailable(e.to_string()))?;
    let migration_error =
        |e: Box<dyn std::error::Error + Send + Sync>| StoreError::Migration(e.to_string());
    match &mut conn {
        AnyConnection::Sqlite(c) => {
            c.batch_execute("PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 10000;")?;
            c.run_pending_migrations(MIGRATIONS)
                .map_err(migration_error)?;
        }
        AnyConnection::Pg(c) => {
            const MIGRATION_LOCK: i64 = 0x676f_6e67_6a75_6531; // "gongjue1"
            diesel::sql_query(format!("SELECT pg_advisory_lock({MIGRATION_LOCK})")).execute(c)?;
            let outcome = c
                .run_pending_migrations(MIGRATIONS)
                .map(|_| ())
                .map_err(migration_error);
            diesel::sql_query(format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})")).execute(c)?;
            outcome?;
        }
    }
    Ok(())
}

/// Rows per multi-row INSERT: well below SQLite's and PostgreSQL's limits on bound parameters.
pub(crate) const INSERT_CHUNK: usize = 500;

/// Inserts `rows` with one multi-row statement per chunk. `insert` runs one statement on the
/// backend's own connection: diesel's `MultiConnection` cannot express a multi-row insert.
pub(crate) fn insert_rows<T>(
    conn: &mut AnyConnection,
    rows: &[T],
    insert: impl Fn(&mut AnyConnection, &[T]) -> QueryResult<usize>,
) -> Result<(), StoreError> {
    for chunk in rows.chunks(INSERT_CHUNK) {
        insert(conn, chunk)?;
    }
    Ok(())
}

/// A new id: UUIDv7, so ids sort by creation time.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A timestamp as stored: RFC 3339, UTC, fixed width, so text order is time order.
pub fn timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

pub(crate) fn now() -> String {
    timestamp(chrono::Utc::now())
}
