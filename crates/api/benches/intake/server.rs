//! The real `gongjue serve` as a child process, and its memory read from `/proc`.

use std::net::TcpListener;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    /// Starts the release (or, under `cargo test`, debug) binary cargo built next to this bench,
    /// on a free port, and waits until `/healthz` answers. Its log is `dir/{name}.log`; `extra`
    /// are further flags of `gongjue serve`. Several servers may share one database and `dir`
    /// (so one secret: an owner's session from one is good on the others), but start the first
    /// alone: it creates the secret, and `/healthz` answers once its migrations have run.
    pub async fn start(
        database_url: &str,
        dir: &Path,
        name: &str,
        extra: &[String],
    ) -> Result<Server, String> {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let log_path = dir.join(format!("{name}.log"));
        let log = std::fs::File::create(&log_path).map_err(|e| format!("server log: {e}"))?;
        // `GONGJUE_BENCH_WRAP=heaptrack` (any command that runs the rest of its arguments)
        // profiles the server; its memory figures are then the wrapper's.
        let mut command = match std::env::var("GONGJUE_BENCH_WRAP") {
            Ok(wrap) if !wrap.is_empty() => {
                let mut command = Command::new(wrap);
                command.arg(env!("CARGO_BIN_EXE_gongjue"));
                command
            }
            _ => Command::new(env!("CARGO_BIN_EXE_gongjue")),
        };
        let child = command
            .arg("serve")
            .args(["--bind", &format!("127.0.0.1:{port}")])
            .args(["--database-url", database_url])
            .arg("--secret-file")
            .arg(dir.join("secret.key"))
            .args(["--log", "warn"])
            .args(extra)
            // The default attempt limits stay on: every client is 127.0.0.1, 64 at a time, and
            // right codes must not count against the address (only failures are counted).
            .env_remove("GONGJUE_CONFIG")
            // Its `./data` (the mail files of the invitations) goes to the run's own folder.
            .current_dir(dir)
            // Its own process group: stopping it stops a wrapper's server too (heaptrack is a
            // script that outlived a plain SIGTERM, its server running on).
            .process_group(0)
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .map_err(|e| format!("starting gongjue serve: {e}"))?;
        let mut server = Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
        };
        let http = reqwest::Client::new();
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            if let Ok(reply) = http.get(format!("{}/healthz", server.base)).send().await
                && reply.status().is_success()
            {
                return Ok(server);
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(format!(
                    "gongjue serve exited ({status}) before it answered (see {})",
                    log_path.display()
                ));
            }
            if Instant::now() > deadline {
                server.stop();
                return Err(format!(
                    "gongjue serve did not answer within 60 s (see {})",
                    log_path.display()
                ));
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Peak resident memory of the server since it started (VmHWM), in KiB.
    pub fn peak_kib(&self) -> u64 {
        status_kib(self.pid(), "VmHWM:").unwrap_or(0)
    }

    /// SIGTERM (in-flight requests finish), then waits.
    pub fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", "--", &format!("-{}", self.child.id())])
            .status();
        let deadline = Instant::now() + Duration::from_secs(30);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A field of `/proc/PID/status` in KiB (`VmRSS:`, `VmHWM:`).
pub fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    line.trim_start_matches(field)
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Samples the server's resident memory every 50 ms while a phase runs, keeping the largest.
pub struct MemorySampler {
    stop: Arc<AtomicBool>,
    peak: Arc<AtomicU64>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl MemorySampler {
    pub fn start(pid: u32) -> MemorySampler {
        let stop = Arc::new(AtomicBool::new(false));
        let peak = Arc::new(AtomicU64::new(0));
        let thread = {
            let (stop, peak) = (stop.clone(), peak.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    if let Some(rss) = status_kib(pid, "VmRSS:") {
                        peak.fetch_max(rss, Ordering::Relaxed);
                    }
                    std::thread::sleep(Duration::from_millis(50));
                }
            })
        };
        MemorySampler {
            stop,
            peak,
            thread: Some(thread),
        }
    }

    /// The largest resident size seen, in KiB.
    pub fn finish(mut self) -> u64 {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        self.peak.load(Ordering::Relaxed)
    }
}
