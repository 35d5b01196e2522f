//! Ballot intake and tally at mega-estate scale, against the database's own commit limit.
//!
//! `cargo bench -p gongjue-api --bench intake -- [--units N] [--postgres URL] [--connections C]`
//!
//! One run: generates a roster with `gen_roster.py mega`, creates an estate and a secretary with
//! the store API (as `gongjue admin` does), measures the raw durable-commit rate of a ballot-sized
//! row on the same database, starts the real `gongjue serve`, imports the roster, opens an
//! assembly (a motion and a 5-seat election), issues the codes, signs every owner in, casts the
//! ballots over `C` connections, closes, tallies and exports. The same again on PostgreSQL when
//! a URL is given. Prints the table and writes it into `docs/benchmarks.md`.
//!
//! Under `cargo test` (no `--bench` argument) it runs once on a tiny roster and writes nothing,
//! so CI checks that it still works without timing anything.

#![allow(clippy::float_arithmetic)] // figures for people: ratios and milliseconds in the report

mod load;
mod raw;
mod report;
mod server;
mod setup;

use std::path::PathBuf;
use std::time::Duration;

use report::{BackendRun, Machine};

#[derive(Debug, Clone)]
pub struct Options {
    pub units: u32,
    pub ballots: Option<u32>,
    pub connections: usize,
    pub postgres: Option<String>,
    pub sqlite: bool,
    pub raw_seconds: u64,
    pub write_doc: bool,
    pub roster_tool: PathBuf,
    pub keep: bool,
}

fn usage() -> &'static str {
    "usage: cargo bench -p gongjue-api --bench intake -- [--units N] [--ballots N] [--connections C] \
     [--postgres URL] [--no-sqlite] [--raw-seconds S] [--no-doc] [--roster-tool PATH] [--keep]"
}

fn parse_args() -> Result<Options, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let under_bench = args.iter().any(|a| a == "--bench");
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut options = Options {
        // Under `cargo test`: a smoke run that proves the bench still works, in seconds.
        units: if under_bench { 100_000 } else { 300 },
        ballots: None,
        connections: if under_bench { 64 } else { 8 },
        postgres: std::env::var("GONGJUE_BENCH_POSTGRES")
            .ok()
            .filter(|u| !u.is_empty()),
        sqlite: true,
        raw_seconds: if under_bench { 5 } else { 1 },
        write_doc: under_bench,
        roster_tool: manifest.join("../../../shared/tools/gen_roster.py"),
        keep: false,
    };
    let mut it = args.into_iter();
    while let Some(arg) = it.next() {
        let mut value = |name: &str| {
            it.next()
                .ok_or_else(|| format!("{name} needs a value\n{}", usage()))
        };
        let number = |name: &str, v: String| v.parse::<u64>().map_err(|e| format!("{name}: {e}"));
        match arg.as_str() {
            "--bench" => {}
            "--units" => {
                options.units = u32::try_from(number("--units", value("--units")?)?)
                    .map_err(|e| e.to_string())?
            }
            "--ballots" => {
                options.ballots = Some(
                    u32::try_from(number("--ballots", value("--ballots")?)?)
                        .map_err(|e| e.to_string())?,
                )
            }
            "--connections" => {
                options.connections =
                    usize::try_from(number("--connections", value("--connections")?)?)
                        .map_err(|e| e.to_string())?
            }
            "--postgres" => options.postgres = Some(value("--postgres")?),
            "--no-sqlite" => options.sqlite = false,
            "--raw-seconds" => {
                options.raw_seconds = number("--raw-seconds", value("--raw-seconds")?)?
            }
            "--no-doc" => options.write_doc = false,
            "--roster-tool" => options.roster_tool = PathBuf::from(value("--roster-tool")?),
            "--keep" => options.keep = true,
            "-h" | "--help" => return Err(usage().into()),
            other if other.starts_with("--") => {
                return Err(format!("unknown option {other}\n{}", usage()));
            }
            _ => {} // a test-name filter from `cargo test`
        }
    }
    if options.units < 10 || options.connections == 0 {
        return Err(format!(
            "--units must be at least 10 and --connections at least 1\n{}",
            usage()
        ));
    }
    Ok(options)
}

fn main() -> std::process::ExitCode {
    let options = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return std::process::ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("intake: no async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(options)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("intake: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(options: Options) -> Result<(), String> {
    let machine = Machine::describe();
    eprintln!(
        "intake: {} units, {} connections; {}",
        options.units,
        options.connections,
        machine.summary()
    );
    let roster = setup::generate_roster(&options)?;
    let mut targets = Vec::new();
    if options.sqlite {
        targets.push(setup::Target::Sqlite);
    }
    if let Some(url) = &options.postgres {
        targets.push(setup::Target::Postgres(url.clone()));
    }
    // A backend that fails is reported, and the other's figures are still written.
    let mut runs: Vec<BackendRun> = Vec::new();
    let mut failures: Vec<String> = Vec::new();
    for target in targets {
        let name = target.name();
        match setup::run_backend(&options, &roster, target).await {
            Ok(run) => runs.push(run),
            Err(e) => {
                eprintln!("intake [{name}]: failed: {e}");
                failures.push(format!("{name}: the run failed: {e}"));
            }
        }
    }
    let mut table = report::render(&options, &machine, &runs);
    for failure in &failures {
        table.push_str(&format!("\n**{failure}**\n"));
    }
    println!("{table}");
    if options.write_doc {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/benchmarks.md");
        report::write_doc(&path, &table)?;
        eprintln!("intake: written to {}", path.display());
    }
    for run in &runs {
        if run.intake.errors > 0 || run.tally_errors > 0 {
            failures.push(format!(
                "{}: {} failed ballots, {} tally problems",
                run.backend, run.intake.errors, run.tally_errors
            ));
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("; "))
    }
}

/// Milliseconds with one decimal, for the table.
pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
