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
//! `--import-during-intake N[,N…]` also imports generated rosters of N units into a second
//! estate while the ballots come in, and reports the intake while each import ran.
//! `--city E` runs instead a city of E generated estates on PostgreSQL behind `--servers K`
//! `gongjue serve` processes, owners voting in all of them at once (`city.rs`).
//!
//! Under `cargo test` (no `--bench` argument) it runs once on a tiny roster (with one small
//! import during the intake, and a 3-estate city when PostgreSQL is given) and writes nothing,
//! so CI checks that it still works without timing anything.

#![allow(clippy::float_arithmetic)] // figures for people: ratios and milliseconds in the report

mod city;
mod imports;
mod load;
mod raw;
mod report;
mod server;
mod setup;

use std::path::PathBuf;
use std::time::Duration;

use report::{BackendRun, Machine};

/// `--city`: many generated estates on one PostgreSQL database behind several servers.
#[derive(Debug, Clone)]
pub struct CityOptions {
    pub estates: u32,
    /// Each estate's size is drawn (seeded, uniformly) from `units_min..=units_max`.
    pub units_min: u32,
    pub units_max: u32,
    /// Owners who sign in and cast one ballot each, sampled across all estates.
    pub ballots: u32,
    /// `gongjue serve` processes on the one database.
    pub servers: usize,
    /// Estates set up over HTTP at a time.
    pub setup_concurrency: usize,
}

#[derive(Debug, Clone)]
pub struct Options {
    /// Under `cargo test`: the quick run that proves the bench still works.
    pub smoke: bool,
    /// The per-backend run (roster to export); off with `--city` under `cargo bench`.
    pub per_backend: bool,
    pub units: u32,
    pub ballots: Option<u32>,
    pub connections: usize,
    pub postgres: Option<String>,
    pub sqlite: bool,
    pub raw_seconds: u64,
    pub write_doc: bool,
    pub roster_tool: PathBuf,
    pub keep: bool,
    /// `--import-during-intake`: roster sizes imported into a second estate during the intake.
    pub imports: Vec<u32>,
    /// `--upload-limit-mib`, passed to `gongjue serve` (its default otherwise).
    pub upload_limit_mib: Option<u64>,
    pub city: Option<CityOptions>,
}

impl Options {
    /// Flags of each `gongjue serve` the bench starts.
    pub fn server_flags(&self) -> Vec<String> {
        match self.upload_limit_mib {
            Some(mib) => vec!["--upload-limit-mib".into(), mib.to_string()],
            None => Vec::new(),
        }
    }

    /// How long after the intake starts the first roster import of `--import-during-intake`
    /// starts.
    pub fn import_delay(&self) -> Duration {
        Duration::from_millis(if self.smoke { 100 } else { 500 })
    }

    /// The command line of the run, for the report (the database's URL left out).
    pub fn command(&self, city: bool) -> String {
        let mut line = String::from("cargo bench -p gongjue-api --bench intake --");
        if city {
            if let Some(c) = &self.city {
                line.push_str(&format!(
                    " --city {} --city-units {}..{} --city-ballots {} --servers {} --connections {}",
                    c.estates, c.units_min, c.units_max, c.ballots, c.servers, self.connections
                ));
            }
        } else {
            line.push_str(&format!(" --units {}", self.units));
            if let Some(ballots) = self.ballots {
                line.push_str(&format!(" --ballots {ballots}"));
            }
            if !self.imports.is_empty() {
                let sizes: Vec<String> = self.imports.iter().map(u32::to_string).collect();
                line.push_str(&format!(" --import-during-intake {}", sizes.join(",")));
            }
        }
        if let Some(mib) = self.upload_limit_mib {
            line.push_str(&format!(" --upload-limit-mib {mib}"));
        }
        if self.postgres.is_some() {
            line.push_str(" --postgres URL");
        }
        line
    }
}

fn usage() -> &'static str {
    "usage: cargo bench -p gongjue-api --bench intake -- [--units N] [--ballots N] [--connections C] \
     [--postgres URL] [--no-sqlite] [--raw-seconds S] [--no-doc] [--roster-tool PATH] [--keep] \
     [--import-during-intake N[,N...]] [--upload-limit-mib M] \
     [--city ESTATES [--city-units MIN..MAX] [--city-ballots B] [--servers K]]"
}

/// `300..3000` (also `300-3000`) → (300, 3000).
fn range(text: &str) -> Result<(u32, u32), String> {
    let (low, high) = text
        .split_once("..")
        .or_else(|| text.split_once('-'))
        .ok_or_else(|| format!("--city-units: {text:?} is not MIN..MAX"))?;
    let parse = |v: &str| {
        v.trim()
            .parse::<u32>()
            .map_err(|e| format!("--city-units {text:?}: {e}"))
    };
    let (low, high) = (parse(low)?, parse(high.trim_start_matches('='))?);
    if low < 10 || high < low {
        return Err(format!(
            "--city-units {text:?}: MIN must be at least 10 and MAX at least MIN"
        ));
    }
    Ok((low, high))
}

fn parse_args() -> Result<Options, String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let under_bench = args.iter().any(|a| a == "--bench");
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let postgres = std::env::var("GONGJUE_BENCH_POSTGRES")
        .ok()
        .filter(|u| !u.is_empty());
    let mut options = Options {
        smoke: !under_bench,
        per_backend: true,
        // Under `cargo test`: a smoke run that proves the bench still works, in seconds.
        units: if under_bench { 100_000 } else { 300 },
        ballots: None,
        connections: if under_bench { 64 } else { 8 },
        postgres,
        sqlite: true,
        raw_seconds: if under_bench { 5 } else { 1 },
        write_doc: under_bench,
        roster_tool: manifest.join("../../../shared/tools/gen_roster.py"),
        keep: false,
        // The smoke run also imports a small roster during its intake.
        imports: if under_bench { Vec::new() } else { vec![200] },
        upload_limit_mib: None,
        city: None,
    };
    let mut city_estates: Option<u32> = None;
    let mut city_units: Option<(u32, u32)> = None;
    let mut city_ballots: Option<u32> = None;
    let mut servers: Option<usize> = None;
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
            "--import-during-intake" => {
                let list = value("--import-during-intake")?;
                options.imports = list
                    .split(',')
                    .filter(|v| !v.trim().is_empty())
                    .map(|v| {
                        v.trim()
                            .replace('_', "")
                            .parse::<u32>()
                            .map_err(|e| format!("--import-during-intake {v:?}: {e}"))
                    })
                    .collect::<Result<_, _>>()?;
                if options.imports.iter().any(|n| *n < 10) {
                    return Err(
                        "--import-during-intake: each roster needs at least 10 units".into(),
                    );
                }
            }
            "--upload-limit-mib" => {
                options.upload_limit_mib =
                    Some(number("--upload-limit-mib", value("--upload-limit-mib")?)?)
            }
            "--city" => {
                city_estates = Some(
                    u32::try_from(number("--city", value("--city")?)?)
                        .map_err(|e| e.to_string())?,
                )
            }
            "--city-units" => city_units = Some(range(&value("--city-units")?)?),
            "--city-ballots" => {
                city_ballots = Some(
                    u32::try_from(number("--city-ballots", value("--city-ballots")?)?)
                        .map_err(|e| e.to_string())?,
                )
            }
            "--servers" => {
                servers = Some(
                    usize::try_from(number("--servers", value("--servers")?)?)
                        .map_err(|e| e.to_string())?,
                )
            }
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
    match city_estates {
        Some(estates) => {
            if options.postgres.is_none() {
                return Err(format!(
                    "--city runs on PostgreSQL only (several servers on one database): give \
                     --postgres URL or set GONGJUE_BENCH_POSTGRES\n{}",
                    usage()
                ));
            }
            let (units_min, units_max) = city_units.unwrap_or((300, 3000));
            let city = CityOptions {
                estates,
                units_min,
                units_max,
                ballots: city_ballots.unwrap_or(50_000),
                servers: servers.unwrap_or(2),
                setup_concurrency: 8,
            };
            if city.estates == 0 || city.servers == 0 || city.ballots == 0 {
                return Err("--city, --city-ballots and --servers must be at least 1".into());
            }
            options.city = Some(city);
            // Under `cargo bench`, a city run is a run of its own.
            options.per_backend = !under_bench;
        }
        None => {
            if city_units.is_some() || city_ballots.is_some() || servers.is_some() {
                return Err(format!(
                    "--city-units, --city-ballots and --servers go with --city ESTATES\n{}",
                    usage()
                ));
            }
            // The smoke run on PostgreSQL also runs a tiny city: 3 estates, 2 servers.
            if !under_bench && options.postgres.is_some() {
                options.city = Some(CityOptions {
                    estates: 3,
                    units_min: 30,
                    units_max: 60,
                    ballots: 40,
                    servers: 2,
                    setup_concurrency: 8,
                });
            }
        }
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
    let mut failures: Vec<String> = Vec::new();
    if options.per_backend {
        failures.extend(per_backend(&options, &machine).await?);
    }
    if let (Some(city), Some(url)) = (&options.city, &options.postgres) {
        eprintln!(
            "intake [city]: {} estates of {}..{} units, {} ballots, {} servers, {} connections; {}",
            city.estates,
            city.units_min,
            city.units_max,
            city.ballots,
            city.servers,
            options.connections,
            machine.summary()
        );
        match city::run(&options, city, url).await {
            Ok(run) => {
                let table = report::render_city(&options, &machine, &run);
                println!("{table}");
                if options.write_doc {
                    report::write_city_doc(&doc_path(), &table)?;
                    eprintln!("intake [city]: written to {}", doc_path().display());
                }
                failures.extend(run.failures());
            }
            Err(e) => {
                eprintln!("intake [city]: failed: {e}");
                failures.push(format!("city: the run failed: {e}"));
            }
        }
    }
    if failures.is_empty() {
        Ok(())
    } else {
        Err(failures.join("; "))
    }
}

fn doc_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/benchmarks.md")
}

/// The run on each backend, from roster to export; returns what failed.
async fn per_backend(options: &Options, machine: &Machine) -> Result<Vec<String>, String> {
    eprintln!(
        "intake: {} units, {} connections; {}",
        options.units,
        options.connections,
        machine.summary()
    );
    let roster = setup::generate_roster(&options.roster_tool, options.units, &[])?;
    // The rosters imported during the intake, generated now so that generating them does not
    // compete with the server.
    let imports = std::sync::Arc::new(
        options
            .imports
            .iter()
            .map(|&units| {
                setup::generate_roster(&options.roster_tool, units, &[])
                    .map(|csv| imports::ImportRoster { units, csv })
            })
            .collect::<Result<Vec<_>, String>>()?,
    );
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
        match setup::run_backend(options, &roster, &imports, target).await {
            Ok(run) => runs.push(run),
            Err(e) => {
                eprintln!("intake [{name}]: failed: {e}");
                failures.push(format!("{name}: the run failed: {e}"));
            }
        }
    }
    let mut table = report::render(options, machine, &runs);
    for failure in &failures {
        table.push_str(&format!("\n**{failure}**\n"));
    }
    println!("{table}");
    if options.write_doc {
        report::write_doc(&doc_path(), &table)?;
        eprintln!("intake: written to {}", doc_path().display());
    }
    for run in &runs {
        if run.intake.errors > 0 || run.tally_errors > 0 {
            failures.push(format!(
                "{}: {} failed ballots, {} tally problems",
                run.backend, run.intake.errors, run.tally_errors
            ));
        }
        for import in &run.imports {
            if let imports::Answer::Failed(e) = &import.answer {
                failures.push(format!(
                    "{}: the import of {} units failed: {e}",
                    run.backend, import.units
                ));
            }
        }
    }
    Ok(failures)
}

/// Milliseconds with one decimal, for the table.
pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}
