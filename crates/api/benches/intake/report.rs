//! The table: figures against the targets and the raw limit, and where it goes in the docs.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use crate::load::Stats;
use crate::raw::RawLimit;
use crate::setup::stats_row;
use crate::{Options, ms};

pub struct Step {
    pub what: String,
    pub took: Duration,
}

impl Step {
    pub fn new(what: &str, took: Duration) -> Step {
        Step {
            what: what.to_owned(),
            took,
        }
    }
}

pub struct BackendRun {
    pub backend: String,
    pub units: u32,
    pub members: usize,
    pub connections: usize,
    pub raw: RawLimit,
    pub steps: Vec<Step>,
    pub signin: Stats,
    pub intake: Stats,
    pub setup_peak_kib: u64,
    pub intake_peak_kib: u64,
    pub tail_peak_kib: u64,
    /// VmHWM of the server over its whole life.
    pub peak_kib: u64,
    pub tally_errors: u32,
}

pub struct Machine {
    pub cpu: String,
    pub cpus: usize,
    pub memory: String,
    pub kernel: String,
    pub rustc: String,
    pub load_at_start: String,
}

fn first_line_with(path: &str, prefix: &str) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let line = text.lines().find(|l| l.starts_with(prefix))?;
    Some(
        line.split_once(':')
            .map_or(line, |(_, v)| v)
            .trim()
            .to_owned(),
    )
}

pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "?".into())
}

impl Machine {
    pub fn describe() -> Machine {
        let rustc =
            std::process::Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
                .arg("-V")
                .output()
                .ok()
                .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
                .unwrap_or_else(|| "rustc ?".into());
        let memory = first_line_with("/proc/meminfo", "MemTotal").and_then(|m| {
            m.split_whitespace()
                .next()
                .and_then(|k| k.parse::<u64>().ok())
        });
        Machine {
            cpu: first_line_with("/proc/cpuinfo", "model name")
                .unwrap_or_else(|| "unknown CPU".into()),
            cpus: std::thread::available_parallelism()
                .map(usize::from)
                .unwrap_or(1),
            memory: memory.map_or_else(|| "?".into(), |kib| format!("{} GiB", kib / 1024 / 1024)),
            kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease")
                .map(|k| k.trim().to_owned())
                .unwrap_or_else(|_| "?".into()),
            rustc,
            load_at_start: load_average(),
        }
    }

    pub fn summary(&self) -> String {
        format!(
            "{} × {}, {}, Linux {}, {}; load average at start {}",
            self.cpus, self.cpu, self.memory, self.kernel, self.rustc, self.load_at_start
        )
    }
}

fn mb(kib: u64) -> String {
    format!("{:.0} MB", kib as f64 * 1024.0 / 1e6)
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "**missed**" }
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The markdown section of one run.
pub fn render(options: &Options, machine: &Machine, runs: &[BackendRun]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Run {} on {}.",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        machine.summary()
    );
    let _ = writeln!(out, "Load average when it ended: {}.", load_average());
    let _ = writeln!(
        out,
        "Command: `cargo bench -p gongjue-api --bench intake -- --units {}{}`.",
        options.units,
        if options.postgres.is_some() {
            " --postgres URL"
        } else {
            ""
        }
    );
    for run in runs {
        let sqlite = run.backend == "sqlite";
        let (rate_target, ratio_target) = if sqlite { (2_000, 0.5) } else { (3_000, 0.3) };
        let ratio = run.intake.per_second as f64 / run.raw.per_second.max(1) as f64;
        let tally: Duration = run
            .steps
            .iter()
            .filter(|s| s.what.starts_with("tally"))
            .map(|s| s.took)
            .sum();
        let peak = run
            .peak_kib
            .max(run.intake_peak_kib)
            .max(run.setup_peak_kib)
            .max(run.tail_peak_kib);
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "### {} — {} units, {} members, {} ballots over {} connections\n",
            if sqlite {
                "SQLite (default)"
            } else {
                "PostgreSQL"
            },
            thousands(u64::from(run.units)),
            thousands(run.members as u64),
            thousands(run.intake.done + run.intake.errors),
            run.connections
        );
        let _ = writeln!(out, "| measure | figure | target | |");
        let _ = writeln!(out, "| --- | --- | --- | --- |");
        let _ = writeln!(
            out,
            "| raw limit: durable single-row commits of a ballot-sized row | {}/s ({}) | | |",
            thousands(run.raw.per_second),
            run.raw.how
        );
        let _ = writeln!(
            out,
            "| ballot intake (`PUT /assemblies/{{id}}/ballot`, one vote each) | {}/s in {:.1} s | ≥ {}/s | {} |",
            thousands(run.intake.per_second),
            run.intake.elapsed.as_secs_f64(),
            thousands(rate_target),
            verdict(run.intake.per_second >= rate_target)
        );
        let _ = writeln!(
            out,
            "| intake latency p50 / p95 / p99 / max | {} / {} / {} / {} | {} | {} |",
            ms(run.intake.p50),
            ms(run.intake.p95),
            ms(run.intake.p99),
            ms(run.intake.max),
            if sqlite { "p99 < 100 ms" } else { "" },
            if sqlite {
                verdict(run.intake.p99 < Duration::from_millis(100))
            } else {
                ""
            }
        );
        let _ = writeln!(
            out,
            "| intake ÷ raw commit rate | {ratio:.2} | ≥ {ratio_target} | {} |",
            verdict(ratio >= ratio_target)
        );
        let _ = writeln!(
            out,
            "| failed ballots | {} | 0 | {} |",
            run.intake.errors,
            verdict(run.intake.errors == 0)
        );
        let _ = writeln!(
            out,
            "| owner sign-in with a code (`POST /owner-sessions`) | {} | | |",
            stats_row(&run.signin)
        );
        for step in &run.steps {
            let target = if step.what.starts_with("tally") {
                "(sum < 1 s)"
            } else {
                ""
            };
            let _ = writeln!(out, "| {} | {} | {target} | |", step.what, ms(step.took));
        }
        let _ = writeln!(
            out,
            "| tally of all {} ballots from the database | {} | < 1 s | {} |",
            thousands(run.intake.done),
            ms(tally),
            verdict(tally < Duration::from_secs(1) && run.tally_errors == 0)
        );
        let _ = writeln!(
            out,
            "| server peak memory: setup / intake / tally+export / whole run (VmHWM) | {} / {} / {} / {} | < 200 MB | {} |",
            mb(run.setup_peak_kib),
            mb(run.intake_peak_kib),
            mb(run.tail_peak_kib),
            mb(run.peak_kib),
            verdict(peak < 200_000 * 1000 / 1024)
        );
    }
    out
}

const BEGIN: &str = "<!-- intake:begin (written by the intake bench) -->";
const END: &str = "<!-- intake:end -->";

/// Replaces the bench's section of `docs/benchmarks.md` (between its markers), or appends it.
pub fn write_doc(path: &Path, table: &str) -> Result<(), String> {
    let doc =
        std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let section = format!("{BEGIN}\n{}{END}", table);
    let updated = match (doc.find(BEGIN), doc.find(END)) {
        (Some(start), Some(end)) if end > start => {
            format!(
                "{}{section}{}",
                doc.get(..start).unwrap_or_default(),
                doc.get(end + END.len()..).unwrap_or_default()
            )
        }
        _ => format!(
            "{}\n## Ballot intake and tally (`cargo bench -p gongjue-api --bench intake`)\n\n{section}\n",
            doc.trim_end()
        ),
    };
    std::fs::write(path, updated).map_err(|e| format!("writing {}: {e}", path.display()))
}
