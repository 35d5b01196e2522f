//! `--import-during-intake`: large roster imports into a second estate while the first estate's
//! ballots come in, one import after another, each measured on its own (its answer, its time,
//! the server's resident memory while it ran, and the ballots sent while it was in flight).

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::load::{Sample, Window, window};
use crate::server::MemorySampler;

/// A generated roster to import: its size in units and the CSV bytes.
pub struct ImportRoster {
    pub units: u32,
    pub csv: Vec<u8>,
}

/// How the server answered an import.
#[derive(Debug, Clone)]
pub enum Answer {
    /// 200: the roster is the estate's new version.
    Imported,
    /// A 4xx: refused (e.g. the upload or the roster size limit), with the start of the reason.
    Refused { status: u16, reason: String },
    /// A 5xx, or no answer at all.
    Failed(String),
}

/// One import and the intake while it ran.
pub struct ImportRun {
    pub units: u32,
    pub bytes: usize,
    pub answer: Answer,
    pub started: Instant,
    pub took: Duration,
    /// The server's largest resident size (VmRSS, sampled every 50 ms) while it ran, in KiB.
    pub peak_kib: u64,
    /// The intake's requests sent while it ran.
    pub intake: Window,
    /// The share of the import's time during which the intake was still running (0 to 1).
    pub covered: f64,
}

/// The first `n` characters of a text, on one line.
fn start_of(text: &str, n: usize) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(n)
        .collect();
    if text.chars().count() > n {
        format!("{flat}…")
    } else {
        flat
    }
}

/// A refusal's reason: the error's code and detail (or message) when the body is the API's
/// JSON error, else the body's start; about 120 characters at most.
fn reason(body: &str) -> String {
    let parsed: Option<serde_json::Value> = serde_json::from_str(body).ok();
    let error = parsed.as_ref().and_then(|v| v.get("error"));
    let field = |name: &str| {
        error
            .and_then(|e| e.get(name))
            .and_then(serde_json::Value::as_str)
            .filter(|s| !s.is_empty())
    };
    match (field("code"), field("detail").or_else(|| field("message"))) {
        (Some(code), Some(detail)) => start_of(&format!("{code}: {detail}"), 120),
        (Some(code), None) => start_of(code, 120),
        _ => start_of(body, 120),
    }
}

/// An error with its sources (reqwest's own message is often only "error sending request").
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(inner) = source {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        source = inner.source();
    }
    text
}

/// After `delay`, imports each roster in turn into `estate` (`PUT /estates/{id}/roster`, as the
/// setup imports the main roster), sampling the server's memory during each. Runs on its own
/// HTTP connection, beside the intake's clients.
pub async fn run(
    base: String,
    token: String,
    estate: String,
    rosters: Arc<Vec<ImportRoster>>,
    pid: u32,
    delay: Duration,
) -> Vec<ImportRun> {
    tokio::time::sleep(delay).await;
    let http = reqwest::Client::new();
    let mut runs = Vec::new();
    for roster in rosters.iter() {
        let body = roster.csv.clone();
        let memory = MemorySampler::start(pid);
        let started = Instant::now();
        let reply = http
            .put(format!(
                "{base}/api/v1/estates/{estate}/roster?name=import-{}.csv",
                roster.units
            ))
            .bearer_auth(&token)
            .header("content-type", "text/csv")
            .body(body)
            .send()
            .await;
        let answer = match reply {
            Err(e) => Answer::Failed(format!("no answer: {}", chain(&e))),
            Ok(reply) => {
                let status = reply.status().as_u16();
                let text = reply.text().await.unwrap_or_else(|e| chain(&e));
                match status {
                    200 => Answer::Imported,
                    400..=499 => Answer::Refused {
                        status,
                        reason: reason(&text),
                    },
                    _ => Answer::Failed(format!("HTTP {status}: {}", start_of(&text, 100))),
                }
            }
        };
        let took = started.elapsed();
        let peak_kib = memory.finish();
        eprintln!(
            "intake: import of {} units ({:.2} MB): {answer:?} in {:.2} s, server peak {} MB",
            roster.units,
            roster.csv.len() as f64 / 1e6,
            took.as_secs_f64(),
            peak_kib / 1024
        );
        runs.push(ImportRun {
            units: roster.units,
            bytes: roster.csv.len(),
            answer,
            started,
            took,
            peak_kib,
            intake: Window::default(),
            covered: 0.0,
        });
    }
    runs
}

/// Fills in each import's intake figures from the intake's samples, `intake_ended` being when
/// its last answer came.
pub fn attribute(runs: &mut [ImportRun], samples: &[Sample], intake_ended: Instant) {
    for run in runs {
        let ended = run.started + run.took;
        run.intake = window(samples, run.started, ended);
        let overlap = intake_ended
            .min(ended)
            .saturating_duration_since(run.started);
        run.covered = if run.took.is_zero() {
            1.0
        } else {
            (overlap.as_secs_f64() / run.took.as_secs_f64()).min(1.0)
        };
    }
}
