//! The database's own limit: durable single-row commits of a ballot-sized row, with the
//! server's settings, on the same file (SQLite) or server (PostgreSQL).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use gongjue_store::{AnyConnection, Store};

/// Shaped like a `ballot_versions` row (ids, a choice, times, key and digest, a unique index).
const CREATE: &str = "CREATE TABLE bench_raw_commits (
    id TEXT PRIMARY KEY, item_id TEXT NOT NULL, voter TEXT NOT NULL, choice TEXT NOT NULL,
    cast_at TEXT NOT NULL, idempotency_key TEXT NOT NULL UNIQUE, request_sha256 TEXT NOT NULL)";
const INSERT: &str = "INSERT INTO bench_raw_commits (id, item_id, voter, choice, cast_at, idempotency_key, request_sha256) VALUES ($1, $2, $3, $4, $5, $6, $7)";
const INSERT_SQLITE: &str = "INSERT INTO bench_raw_commits (id, item_id, voter, choice, cast_at, idempotency_key, request_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)";

pub struct RawLimit {
    /// Commits per second.
    pub per_second: u64,
    pub how: String,
}

fn row(n: u64) -> [String; 7] {
    let id = uuid::Uuid::now_v7().to_string();
    [
        id.clone(),
        "0193c2f4-5c1e-7d3a-9b7e-2f1a4c6d8e90".into(),
        format!("P{n:06}"),
        r#"["王*明","李*华","张*伟","刘*芳","陈*静"]"#.into(),
        gongjue_store::timestamp(chrono::Utc::now()),
        format!("{id}:0193c2f4-5c1e-7d3a-9b7e-2f1a4c6d8e90:P{n:06}"),
        "3f0a8c2e9b1d4e7f6a5c3b2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f".into(),
    ]
}

/// SQLite: one writer, `BEGIN IMMEDIATE; INSERT; COMMIT` in a loop on a connection of the
/// store's pool (so `journal_mode=WAL`, `synchronous=FULL` as the server has them). SQLite has
/// one writer at a time, so more writers only add lock waits.
pub fn sqlite(store: &Store, duration: Duration) -> Result<RawLimit, String> {
    let mut pooled = store.connection().map_err(|e| e.to_string())?;
    let AnyConnection::Sqlite(conn) = &mut *pooled else {
        return Err("not a SQLite store".into());
    };
    let err = |e: diesel::result::Error| e.to_string();
    conn.batch_execute(CREATE).map_err(err)?;
    let started = Instant::now();
    let mut n = 0_u64;
    while started.elapsed() < duration {
        let [a, b, c, d, e, f, g] = row(n);
        conn.batch_execute("BEGIN IMMEDIATE").map_err(err)?;
        diesel::sql_query(INSERT_SQLITE)
            .bind::<Text, _>(a)
            .bind::<Text, _>(b)
            .bind::<Text, _>(c)
            .bind::<Text, _>(d)
            .bind::<Text, _>(e)
            .bind::<Text, _>(f)
            .bind::<Text, _>(g)
            .execute(conn)
            .map_err(err)?;
        conn.batch_execute("COMMIT").map_err(err)?;
        n += 1;
    }
    let per_second = rate(n, started.elapsed());
    conn.batch_execute("DROP TABLE bench_raw_commits")
        .map_err(err)?;
    Ok(RawLimit {
        per_second,
        how: "BEGIN IMMEDIATE; INSERT; COMMIT (WAL, synchronous=FULL)".into(),
    })
}

/// PostgreSQL: `writers` clients, each inserting one row per transaction (autocommit), with the
/// server's own durability settings (`synchronous_commit` as configured, on by default).
pub fn postgres(url: &str, writers: usize, duration: Duration) -> Result<RawLimit, String> {
    let mut setup = PgConnection::establish(url).map_err(|e| e.to_string())?;
    setup.batch_execute(CREATE).map_err(|e| e.to_string())?;
    let done = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let threads: Vec<_> = (0..writers)
        .map(|w| {
            let (url, done) = (url.to_owned(), done.clone());
            std::thread::spawn(move || -> Result<(), String> {
                let mut conn = PgConnection::establish(&url).map_err(|e| e.to_string())?;
                let mut n = (w as u64) << 32;
                while started.elapsed() < duration {
                    let [a, b, c, d, e, f, g] = row(n);
                    diesel::sql_query(INSERT)
                        .bind::<Text, _>(a)
                        .bind::<Text, _>(b)
                        .bind::<Text, _>(c)
                        .bind::<Text, _>(d)
                        .bind::<Text, _>(e)
                        .bind::<Text, _>(f)
                        .bind::<Text, _>(g)
                        .execute(&mut conn)
                        .map_err(|e| e.to_string())?;
                    done.fetch_add(1, Ordering::Relaxed);
                    n += 1;
                }
                Ok(())
            })
        })
        .collect();
    for thread in threads {
        thread
            .join()
            .map_err(|_| "a raw writer panicked".to_owned())??;
    }
    let per_second = rate(done.load(Ordering::Relaxed), started.elapsed());
    let sync: String = diesel::select(diesel::dsl::sql::<Text>(
        "current_setting('synchronous_commit')",
    ))
    .get_result(&mut setup)
    .map_err(|e| e.to_string())?;
    setup
        .batch_execute("DROP TABLE bench_raw_commits")
        .map_err(|e| e.to_string())?;
    Ok(RawLimit {
        per_second,
        how: format!("INSERT per transaction, {writers} clients (synchronous_commit={sync})"),
    })
}

pub fn rate(count: u64, elapsed: Duration) -> u64 {
    let micros = u64::try_from(elapsed.as_micros())
        .unwrap_or(u64::MAX)
        .max(1);
    count.saturating_mul(1_000_000) / micros
}
