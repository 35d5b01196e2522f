//! The load generator: `connections` clients, each sending its next request as soon as the
//! previous one is answered (a closed loop), until every job is done.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::raw::rate;

/// What a phase did: throughput, latency percentiles, failures.
#[derive(Debug, Clone)]
pub struct Stats {
    pub done: u64,
    pub errors: u64,
    pub first_error: Option<String>,
    pub elapsed: Duration,
    pub per_second: u64,
    pub p50: Duration,
    pub p95: Duration,
    pub p99: Duration,
    pub max: Duration,
}

/// Runs `job(i)` for every `i` in `0..jobs` on `connections` concurrent clients. Each client is
/// its own `reqwest::Client` holding one keep-alive connection, so the server sees exactly
/// `connections` connections. Returns each job's output (None where it failed) and the stats.
pub async fn drive<T, F, Fut>(connections: usize, jobs: usize, job: F) -> (Vec<Option<T>>, Stats)
where
    T: Send + 'static,
    F: Fn(reqwest::Client, usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<T, String>> + Send,
{
    let job = Arc::new(job);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let clients: Vec<_> = (0..connections)
        .map(|_| {
            let (job, next) = (job.clone(), next.clone());
            tokio::spawn(async move {
                let http = reqwest::Client::builder()
                    .pool_max_idle_per_host(1)
                    .build()
                    .unwrap_or_default();
                let mut results = Vec::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= jobs {
                        break;
                    }
                    let sent = Instant::now();
                    let outcome = job(http.clone(), i).await;
                    results.push((i, sent.elapsed(), outcome));
                }
                results
            })
        })
        .collect();
    let mut outputs: Vec<Option<T>> = (0..jobs).map(|_| None).collect();
    let mut latencies = Vec::with_capacity(jobs);
    let (mut errors, mut first_error) = (0_u64, None);
    for client in clients {
        for (i, latency, outcome) in client.await.unwrap_or_default() {
            latencies.push(latency);
            match outcome {
                Ok(value) => {
                    if let Some(slot) = outputs.get_mut(i) {
                        *slot = Some(value);
                    }
                }
                Err(e) => {
                    errors += 1;
                    first_error.get_or_insert(e);
                }
            }
        }
    }
    let elapsed = started.elapsed();
    latencies.sort_unstable();
    let pick = |per_mille: usize| {
        latencies
            .get((latencies.len() * per_mille / 1000).min(latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default()
    };
    let done = latencies.len() as u64 - errors;
    let stats = Stats {
        done,
        errors,
        first_error,
        elapsed,
        per_second: rate(done, elapsed),
        p50: pick(500),
        p95: pick(950),
        p99: pick(990),
        max: latencies.last().copied().unwrap_or_default(),
    };
    (outputs, stats)
}

/// A response's body as JSON when its status is the expected one, else an error naming both.
pub async fn expect_json(
    response: Result<reqwest::Response, reqwest::Error>,
    status: u16,
) -> Result<serde_json::Value, String> {
    let response = response.map_err(|e| format!("request failed: {e}"))?;
    let got = response.status().as_u16();
    let text = response
        .text()
        .await
        .map_err(|e| format!("reading the body: {e}"))?;
    if got != status {
        return Err(format!(
            "HTTP {got}: {}",
            text.chars().take(300).collect::<String>()
        ));
    }
    serde_json::from_str(&text).map_err(|e| {
        format!(
            "not JSON ({e}): {}",
            text.chars().take(100).collect::<String>()
        )
    })
}
