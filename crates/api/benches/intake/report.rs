//! The table: figures against the targets and the raw limit, and where it goes in the docs.

use std::fmt::Write as _;
use std::path::Path;
use std::time::Duration;

use crate::city::CityRun;
use crate::imports::{Answer, ImportRun};
use crate::load::Stats;
use crate::raw::RawLimit;
use crate::setup::stats_row;
use crate::{Options, ms};

pub struct Step {
    pub what: String,
    pub took: Duration,
    /// The server's resident memory before the step and its peak during it, in KiB.
    pub memory: Option<(u64, u64)>,
}

impl Step {
    pub fn new(what: &str, took: Duration) -> Step {
        Step {
            what: what.to_owned(),
            took,
            memory: None,
        }
    }

    /// The step's time, and the server's memory before → at its peak when measured.
    fn figure(&self) -> String {
        match self.memory {
            Some((before, peak)) => format!(
                "{}; server {} → {}",
                ms(self.took),
                mb(before),
                mb(peak.max(before))
            ),
            None => ms(self.took),
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
    /// `--import-during-intake`: the imports into the second estate, in order.
    pub imports: Vec<ImportRun>,
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

pub fn mb(kib: u64) -> String {
    format!("{:.0} MB", kib as f64 * 1024.0 / 1e6)
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "**missed**" }
}

pub fn thousands(n: u64) -> String {
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
    let _ = writeln!(out, "Command: `{}`.", options.command(false));
    for run in runs {
        let sqlite = run.backend == "sqlite";
        // Issue 22: group commit should beat SQLite's single-row commits; PostgreSQL half the
        // rate of 64 plain clients. The same latency bound on both.
        let ratio_target = if sqlite { 1.0 } else { 0.5 };
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
            "| ballot intake (`PUT /assemblies/{{id}}/ballot`, one vote each) | {}/s in {:.1} s | | |",
            thousands(run.intake.per_second),
            run.intake.elapsed.as_secs_f64(),
        );
        let _ = writeln!(
            out,
            "| intake latency p50 / p95 / p99 / max | {} / {} / {} / {} | p99 < 100 ms | {} |",
            ms(run.intake.p50),
            ms(run.intake.p95),
            ms(run.intake.p99),
            ms(run.intake.max),
            verdict(run.intake.p99 < Duration::from_millis(100))
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
            let _ = writeln!(out, "| {} | {} | {target} | |", step.what, step.figure());
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
        if !run.imports.is_empty() {
            render_imports(&mut out, options, run);
        }
    }
    out
}

/// A file's size: "61.2 MB", "0.31 MB".
fn megabytes(bytes: usize) -> String {
    let mb = bytes as f64 / 1e6;
    if mb < 1.0 {
        format!("{mb:.2} MB")
    } else {
        format!("{mb:.1} MB")
    }
}

/// Below 300 MB (decimal, as the table prints them).
fn under_300_mb(kib: u64) -> bool {
    kib * 1024 < 300_000_000
}

/// `--import-during-intake`: one row per import into the second estate.
fn render_imports(out: &mut String, options: &Options, run: &BackendRun) {
    let _ = writeln!(
        out,
        "\nRoster imports into a second estate during this intake (`PUT /estates/{{id}}/roster`, \
         one after another, the first {:.1} s after the intake started); \"ballots\" are the \
         first estate's ballot requests sent while the import was in flight, and the memory is \
         the whole server's largest resident size meanwhile (VmRSS every 50 ms).\n",
        options.import_delay().as_secs_f64()
    );
    let _ = writeln!(
        out,
        "| roster imported | answer | took | ballots during it (failed) | their p50 / p99 / max | p99 < 500 ms | server peak | < 300 MB |"
    );
    let _ = writeln!(out, "| --- | --- | --- | --- | --- | --- | --- | --- |");
    for import in &run.imports {
        let answer = match &import.answer {
            Answer::Imported => "imported (200)".to_owned(),
            Answer::Refused { status, reason } => {
                format!(
                    "**refused**: HTTP {status} `{}`",
                    reason.replace('`', "'").replace('|', "/")
                )
            }
            Answer::Failed(e) => format!("**failed**: {}", e.replace('`', "'").replace('|', "/")),
        };
        let w = &import.intake;
        let (ballots, latency, p99_verdict) = if w.count == 0 {
            (
                "none: the intake had ended".to_owned(),
                "—".to_owned(),
                "not measured",
            )
        } else {
            let covered = if import.covered < 0.999 {
                format!(", intake ran {:.0} % of the import", import.covered * 100.0)
            } else {
                String::new()
            };
            (
                format!("{} ({}){covered}", thousands(w.count), w.errors),
                format!("{} / {} / {}", ms(w.p50), ms(w.p99), ms(w.max)),
                verdict(w.p99 < Duration::from_millis(500)),
            )
        };
        let _ = writeln!(
            out,
            "| {} units, {} | {answer} | {} | {ballots} | {latency} | {p99_verdict} | {} | {} |",
            thousands(u64::from(import.units)),
            megabytes(import.bytes),
            ms(import.took),
            mb(import.peak_kib),
            verdict(under_300_mb(import.peak_kib))
        );
    }
}

/// The city run's section: the aggregate intake against the raw limit, each server's memory.
pub fn render_city(options: &Options, machine: &Machine, run: &CityRun) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Run {} on {}.",
        chrono::Utc::now().format("%Y-%m-%d %H:%M UTC"),
        machine.summary()
    );
    let _ = writeln!(out, "Load average when it ended: {}.", load_average());
    let _ = writeln!(out, "Command: `{}`.", options.command(true));
    let ballots = run.intake.done + run.intake.errors;
    let _ = writeln!(
        out,
        "\n### PostgreSQL, {} servers — {} estates of {} to {} units, {} ballots over {} connections\n",
        run.servers,
        thousands(u64::from(run.estates)),
        thousands(u64::from(run.smallest)),
        thousands(u64::from(run.largest)),
        thousands(ballots),
        run.connections
    );
    let _ = writeln!(out, "| measure | figure | target | |");
    let _ = writeln!(out, "| --- | --- | --- | --- |");
    let _ = writeln!(
        out,
        "| the city: estates (sizes drawn, seeded), units, members | {} estates, {} units, {} members | | |",
        thousands(u64::from(run.estates)),
        thousands(run.units),
        thousands(run.members)
    );
    let capped = if ballots < u64::from(run.ballots_wanted) {
        format!(
            " (of {} asked: only {} owners without an e-mail address)",
            thousands(u64::from(run.ballots_wanted)),
            thousands(run.drawable as u64)
        )
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "| owners drawn across all estates, one ballot each on their estate's motion | {}{capped} | | |",
        thousands(ballots)
    );
    let _ = writeln!(
        out,
        "| raw limit: durable single-row commits of a ballot-sized row | {}/s ({}) | | |",
        thousands(run.raw.per_second),
        run.raw.how
    );
    let _ = writeln!(
        out,
        "| owner sign-in with a code (`POST /owner-sessions`), round-robin over the servers | {} | | |",
        stats_row(&run.signin)
    );
    let _ = writeln!(
        out,
        "| aggregate ballot intake, all estates at once (`PUT /assemblies/{{id}}/ballot`) | {}/s in {:.1} s | | |",
        thousands(run.intake.per_second),
        run.intake.elapsed.as_secs_f64()
    );
    let _ = writeln!(
        out,
        "| intake ÷ raw commit rate | {:.2} | | |",
        run.intake.per_second as f64 / run.raw.per_second.max(1) as f64
    );
    let _ = writeln!(
        out,
        "| intake latency p50 / p95 / p99 / max | {} / {} / {} / {} | | |",
        ms(run.intake.p50),
        ms(run.intake.p95),
        ms(run.intake.p99),
        ms(run.intake.max)
    );
    let _ = writeln!(
        out,
        "| failed sign-ins / ballots | {} / {} | 0 | {} |",
        run.signin.errors,
        run.intake.errors,
        verdict(run.signin.errors == 0 && run.intake.errors == 0)
    );
    let _ = writeln!(
        out,
        "| closed estates whose result counted exactly the ballots cast there | {} of {} | all | {} |",
        run.checked.len() - run.tally_mismatches(),
        run.checked.len(),
        verdict(run.tally_mismatches() == 0 && !run.checked.is_empty())
    );
    for (k, (intake_kib, hwm_kib)) in run.server_memory.iter().enumerate() {
        let _ = writeln!(
            out,
            "| server {} memory: during the intake (VmRSS) / whole run (VmHWM) | {} / {} | | |",
            k + 1,
            mb(*intake_kib),
            mb(*hwm_kib)
        );
    }
    for step in &run.setup {
        let _ = writeln!(
            out,
            "| setup: {} | {:.1} s | | |",
            step.what,
            step.took.as_secs_f64()
        );
    }
    let _ = writeln!(
        out,
        "| setup in all (the raw limit's measurement not counted) | {:.1} s | | |",
        run.setup_total().as_secs_f64()
    );
    out
}

const BEGIN: &str = "<!-- intake:begin (written by the intake bench) -->";
const END: &str = "<!-- intake:end -->";
const CITY_BEGIN: &str = "<!-- city:begin (written by the intake bench) -->";
const CITY_END: &str = "<!-- city:end -->";
const INTAKE_HEADING: &str = "## Ballot intake and tally at mega-estate scale";

/// Replaces the text between `begin` and `end` in `doc`, if both are there in that order.
fn replace_between(doc: &str, begin: &str, end: &str, table: &str) -> Option<String> {
    let start = doc.find(begin)?;
    let stop = doc.get(start..)?.find(end)? + start;
    Some(format!(
        "{}{begin}\n{table}{end}{}",
        doc.get(..start)?,
        doc.get(stop + end.len()..)?
    ))
}

/// Replaces the bench's section of `docs/benchmarks.md` (between its markers), or appends it.
pub fn write_doc(path: &Path, table: &str) -> Result<(), String> {
    let doc =
        std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let updated = replace_between(&doc, BEGIN, END, table).unwrap_or_else(|| {
        format!(
            "{}\n## Ballot intake and tally (`cargo bench -p gongjue-api --bench intake`)\n\n{BEGIN}\n{table}{END}\n",
            doc.trim_end()
        )
    });
    std::fs::write(path, updated).map_err(|e| format!("writing {}: {e}", path.display()))
}

/// Replaces the city run's section (between its own markers); when they are missing, adds them
/// under a heading at the end of the intake section (before the next `## ` heading, or at the
/// end of the file).
pub fn write_city_doc(path: &Path, table: &str) -> Result<(), String> {
    let doc =
        std::fs::read_to_string(path).map_err(|e| format!("reading {}: {e}", path.display()))?;
    let updated = replace_between(&doc, CITY_BEGIN, CITY_END, table).unwrap_or_else(|| {
        let section = format!(
            "### City scale: many estates, several servers, one PostgreSQL (`--city`)\n\n{CITY_BEGIN}\n{table}{CITY_END}\n"
        );
        let next_section = doc.find(INTAKE_HEADING).and_then(|at| {
            let after = at + INTAKE_HEADING.len();
            doc.get(after..)?.find("\n## ").map(|i| after + i + 1)
        });
        match next_section {
            Some(at) => format!(
                "{}{section}\n{}",
                doc.get(..at).unwrap_or_default(),
                doc.get(at..).unwrap_or_default()
            ),
            None => format!("{}\n\n{section}", doc.trim_end()),
        }
    });
    std::fs::write(path, updated).map_err(|e| format!("writing {}: {e}", path.display()))
}
