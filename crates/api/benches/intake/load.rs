//! The load generator: `connections` clients, each sending its next request as soon as the
//! previous one is answered (a closed loop), until every job is done.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::raw::rate;

/// One request of a phase: when it was sent, how long its answer took, whether it succeeded.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub sent: Instant,
    pub latency: Duration,
    pub ok: bool,
}

/// What a phase did: throughput, latency percentiles, failures.
#[derive(Debug, Clone)]
pub struct Stats {
    /// When the first client started.
    pub started: Instant,
    /// Every request, in no particular order (for the figures of a time window).
    pub samples: Vec<Sample>,
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

/// Runs `job(http, c, i)` for every `i` in `0..jobs` on `connections` concurrent clients, `c`
/// being the client's number (`0..connections`, e.g. to pick one of several servers). Each client
/// is its own `reqwest::Client` holding one keep-alive connection per server it talks to, so one
/// server sees exactly `connections` connections. Returns each job's output (None where it
/// failed) and the stats.
pub async fn drive<T, F, Fut>(connections: usize, jobs: usize, job: F) -> (Vec<Option<T>>, Stats)
where
    T: Send + 'static,
    F: Fn(reqwest::Client, usize, usize) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<T, String>> + Send,
{
    let job = Arc::new(job);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let clients: Vec<_> = (0..connections)
        .map(|c| {
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
                    let outcome = job(http.clone(), c, i).await;
                    results.push((i, sent, sent.elapsed(), outcome));
                }
                results
            })
        })
        .collect();
    let mut outputs: Vec<Option<T>> = (0..jobs).map(|_| None).collect();
    let mut latencies = Vec::with_capacity(jobs);
    let mut samples = Vec::with_capacity(jobs);
    let (mut errors, mut first_error) = (0_u64, None);
    for client in clients {
        for (i, sent, latency, outcome) in client.await.unwrap_or_default() {
            latencies.push(latency);
            samples.push(Sample {
                sent,
                latency,
                ok: outcome.is_ok(),
            });
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
    let pick = |per_mille: usize| percentile(&latencies, per_mille);
    let done = latencies.len() as u64 - errors;
    let stats = Stats {
        started,
        samples,
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

/// The latency at `per_mille` ‰ of sorted latencies (zero when there are none).
fn percentile(sorted: &[Duration], per_mille: usize) -> Duration {
    sorted
        .get((sorted.len() * per_mille / 1000).min(sorted.len().saturating_sub(1)))
        .copied()
        .unwrap_or_default()
}

/// The requests of a phase that were sent within a time window (e.g. while a roster import was
/// in flight): how many, how many failed, their latency percentiles.
#[derive(Debug, Clone, Default)]
pub struct Window {
    pub count: u64,
    pub errors: u64,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
}

/// The figures of the samples sent in `from..=to`.
pub fn window(samples: &[Sample], from: Instant, to: Instant) -> Window {
    let inside: Vec<&Sample> = samples
        .iter()
        .filter(|s| s.sent >= from && s.sent <= to)
        .collect();
    let mut latencies: Vec<Duration> = inside.iter().map(|s| s.latency).collect();
    latencies.sort_unstable();
    let pick = |per_mille: usize| percentile(&latencies, per_mille);
    Window {
        count: inside.len() as u64,
        errors: inside.iter().filter(|s| !s.ok).count() as u64,
        p50: pick(500),
        p99: pick(990),
        max: latencies.last().copied().unwrap_or_default(),
    }
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
