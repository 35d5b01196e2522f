//! `--city E`: a district or city platform. E generated estates of drawn sizes on one PostgreSQL
//! database, behind K `gongjue serve` processes; owners sampled across all of them sign in and
//! vote at the same time, and the aggregate intake is measured against the database's raw
//! commit limit, with each server's memory.
//!
//! One run: draws the estates' sizes (seeded, so every run has the same city), generates one
//! roster of the largest size with `gen_roster.py mega --headers zh` and gives each estate the
//! first N rows of it (exactly what `gen_roster.py mega --units N --headers zh` writes: the
//! generator draws row after row, the same for any size), creates the estates and a secretary
//! each with the store API, measures the raw limit, starts the servers (the first alone, then the
//! others on the same database and secret), sets each estate up over HTTP a few at a time
//! (import, an assembly with one ordinary motion, announce, open, codes), signs the sampled owners
//! in and casts one ballot each on the motion, spread round-robin over the servers, then closes a
//! sample of the estates and checks that each result counted exactly the ballots cast there.
//!
//! The owners who vote are drawn among those without an e-mail address, and only they are given
//! codes: their codes come back in the response (to be printed), so no invitation mail is queued.
//! In a real city the invitations go out days before the voting, not during it; a million
//! `.eml` files written while the ballots come in would measure the mail worker instead.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use gongjue_store::Store;
use gongjue_store::users::Role;
use serde_json::{Value, json};

use crate::load::{self, Stats, expect_json};
use crate::raw::{self, RawLimit};
use crate::report::Step;
use crate::server::{MemorySampler, Server};
use crate::setup::{PASSWORD, Staff, counted_heads, id_of, scratch, with_database};
use crate::{CityOptions, Options};

/// At most this many estates are closed and their results checked.
const CHECKED_ESTATES: usize = 20;

/// What the city run measured.
pub struct CityRun {
    pub estates: u32,
    pub units: u64,
    pub members: u64,
    pub smallest: u32,
    pub largest: u32,
    pub servers: usize,
    pub connections: usize,
    /// `--city-ballots`, and the owners who could be drawn (without an e-mail address).
    pub ballots_wanted: u32,
    pub drawable: usize,
    pub raw: RawLimit,
    /// The setup's steps (the raw limit's measurement not among them).
    pub setup: Vec<Step>,
    pub signin: Stats,
    pub intake: Stats,
    /// Per server: the largest resident size during the intake (VmRSS), and VmHWM at the end.
    pub server_memory: Vec<(u64, u64)>,
    /// Checked estates: (estate number, ballots cast there, heads the result counted).
    pub checked: Vec<(usize, u64, Option<u64>)>,
}

impl CityRun {
    /// The setup from generating the rosters to the issued codes, without the raw limit.
    pub fn setup_total(&self) -> Duration {
        self.setup.iter().map(|s| s.took).sum()
    }

    pub fn tally_mismatches(&self) -> usize {
        self.checked
            .iter()
            .filter(|(_, cast, counted)| *counted != Some(*cast))
            .count()
    }

    /// What failed, for the exit status.
    pub fn failures(&self) -> Vec<String> {
        let mut failures = Vec::new();
        if self.signin.errors > 0 || self.intake.errors > 0 {
            failures.push(format!(
                "city: {} failed sign-ins ({:?}), {} failed ballots ({:?})",
                self.signin.errors,
                self.signin.first_error,
                self.intake.errors,
                self.intake.first_error
            ));
        }
        if self.tally_mismatches() > 0 {
            failures.push(format!(
                "city: {} of {} checked estates did not count exactly their ballots",
                self.tally_mismatches(),
                self.checked.len()
            ));
        }
        failures
    }
}

/// splitmix64: a small seeded generator, so that every run draws the same city.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0; the modulo bias is negligible for these sizes).
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// One estate of the city, as generated.
struct Estate {
    id: String,
    login: String,
    /// Its roster: the first `roster_len` bytes of the shared CSV.
    roster_len: usize,
    members: usize,
    /// The owners drawn to vote here.
    voters: Vec<String>,
}

/// The shared roster's rows: where each ends in the CSV, its owner, whether it has an e-mail
/// address.
struct Rows {
    csv: Vec<u8>,
    ends: Vec<usize>,
    owners: Vec<(String, bool)>,
}

fn read_rows(csv: Vec<u8>) -> Result<Rows, String> {
    let text = std::str::from_utf8(&csv).map_err(|e| format!("the roster is not UTF-8: {e}"))?;
    let mut ends = Vec::new();
    let mut owners = Vec::new();
    let mut offset = 0;
    for (n, line) in text.split_inclusive('\n').enumerate() {
        offset += line.len();
        if n == 0 {
            continue; // the header
        }
        // 区域,楼号,单元,室号,楼层,建筑面积,业主编号,业主姓名,联系电话,电子邮箱: no cell of the
        // generator's holds a comma or a quote.
        let cells: Vec<&str> = line.trim_end().split(',').collect();
        let (Some(owner), Some(email), 10) = (cells.get(6), cells.get(9), cells.len()) else {
            return Err(format!("roster line {}: not 10 plain cells: {line}", n + 1));
        };
        ends.push(offset);
        owners.push(((*owner).to_owned(), !email.is_empty()));
    }
    Ok(Rows { csv, ends, owners })
}

fn step(setup: &mut Vec<Step>, what: &str, started: Instant) {
    let took = started.elapsed();
    eprintln!("intake [city]: {what}: {:.1} s", took.as_secs_f64());
    setup.push(Step::new(what, took));
}

pub async fn run(options: &Options, city: &CityOptions, url: &str) -> Result<CityRun, String> {
    let name = format!("gongjue_bench_city_{}", std::process::id());
    let mut admin =
        PgConnection::establish(url).map_err(|e| format!("PostgreSQL at {url}: {e}"))?;
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .map_err(|e| e.to_string())?;
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .map_err(|e| e.to_string())?;
    let dir = scratch("city")?;
    let database_url = with_database(url, &name);
    eprintln!("intake [city]: database {database_url}");
    let outcome = run_on(options, city, &dir, &database_url).await;
    if options.keep {
        eprintln!("intake [city]: kept {} and {database_url}", dir.display());
    } else {
        let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        let _ = std::fs::remove_dir_all(&dir);
    }
    outcome
}

async fn run_on(
    options: &Options,
    city: &CityOptions,
    dir: &Path,
    database_url: &str,
) -> Result<CityRun, String> {
    let mut setup = Vec::new();
    let mut rng = Rng(0x6369_7479_2026_0730);
    let sizes: Vec<u32> = (0..city.estates)
        .map(|_| {
            let spread = u64::from(city.units_max - city.units_min) + 1;
            city.units_min + u32::try_from(rng.below(spread)).unwrap_or(0)
        })
        .collect();
    let largest = sizes.iter().copied().max().unwrap_or(city.units_min);
    let smallest = sizes.iter().copied().min().unwrap_or(city.units_min);

    let started = Instant::now();
    let rows = read_rows(crate::setup::generate_roster(
        &options.roster_tool,
        largest,
        &["--headers", "zh"],
    )?)?;
    // Each estate's members, and the owners without an e-mail address who may be drawn to vote.
    let mut estates = Vec::with_capacity(sizes.len());
    let mut drawable: Vec<(u32, u32)> = Vec::new();
    let mut candidates: Vec<Vec<String>> = Vec::with_capacity(sizes.len());
    for (e, &units) in sizes.iter().enumerate() {
        let n = units as usize;
        let roster_len = rows
            .ends
            .get(n.saturating_sub(1))
            .copied()
            .ok_or("the generated roster is too short")?;
        let mut seen = HashSet::new();
        let mut without_email = Vec::new();
        for (owner, has_email) in rows.owners.iter().take(n) {
            if seen.insert(owner.as_str()) && !has_email && owner != "DEVELOPER" {
                without_email.push(owner.clone());
            }
        }
        for k in 0..without_email.len() {
            drawable.push((e as u32, k as u32));
        }
        estates.push(Estate {
            id: String::new(),
            login: format!("bench-city-{e:04}"),
            roster_len,
            members: seen.len(),
            voters: Vec::new(),
        });
        candidates.push(without_email);
    }
    // The voters: a seeded draw among all estates' owners without an e-mail address, in the
    // order they will vote (so every estate takes ballots all through the intake).
    let wanted = (city.ballots as usize).min(drawable.len());
    if wanted < city.ballots as usize {
        eprintln!(
            "intake [city]: only {} owners without an e-mail address in the city: {wanted} ballots instead of {}",
            drawable.len(),
            city.ballots
        );
    }
    for k in 0..wanted {
        let pick = k + rng.below((drawable.len() - k) as u64) as usize;
        drawable.swap(k, pick);
    }
    let mut voters: Vec<(usize, String)> = Vec::with_capacity(wanted);
    for &(e, k) in drawable.iter().take(wanted) {
        let owner = candidates
            .get(e as usize)
            .and_then(|c| c.get(k as usize))
            .cloned()
            .ok_or("a drawn owner out of range")?;
        if let Some(estate) = estates.get_mut(e as usize) {
            estate.voters.push(owner.clone());
        }
        voters.push((e as usize, owner));
    }
    drop(candidates);
    let drawable = drawable.len();
    let csv = Arc::new(rows.csv);
    step(
        &mut setup,
        &format!(
            "generate the {} rosters (gen_roster.py once, {largest} units, cut)",
            estates.len()
        ),
        started,
    );

    // The estates and their secretaries, as `gongjue admin` creates them; then the raw limit.
    let started = Instant::now();
    let raw = {
        let store =
            Store::open(database_url).map_err(|e| format!("opening {database_url}: {e}"))?;
        // One hash for all the secretaries: the same password, and argon2 is slow on purpose.
        let hash = gongjue_api::auth::password::hash(PASSWORD).map_err(|e| e.to_string())?;
        for (e, estate) in estates.iter_mut().enumerate() {
            let name = format!("城市基准小区{:04}", e + 1);
            estate.id = store
                .create_estate_with(&gongjue_store::estates::NewEstate::trial(&name), "bench")
                .map_err(|e| e.to_string())?
                .id;
            let user = store
                .create_user(&estate.login, &format!("城市基准秘书{:04}", e + 1), &hash)
                .map_err(|e| e.to_string())?;
            store
                .grant_role(&user.id, &estate.id, Role::Secretary, "bench")
                .map_err(|e| e.to_string())?;
        }
        step(
            &mut setup,
            &format!(
                "create {} estates and their secretaries (store API)",
                estates.len()
            ),
            started,
        );
        let raw = raw::postgres(
            database_url,
            options.connections,
            Duration::from_secs(options.raw_seconds),
        )?;
        eprintln!(
            "intake [city]: raw limit {} commits/s ({})",
            raw.per_second, raw.how
        );
        raw
    };

    // The servers: the first alone (it writes the secret the others read), then the others.
    let started = Instant::now();
    let mut flags = options.server_flags();
    // Staff sessions outlive a long setup (default 30 minutes).
    flags.extend(["--token-ttl-minutes".to_owned(), "720".to_owned()]);
    let mut servers: Vec<Server> = Vec::with_capacity(city.servers);
    for k in 0..city.servers {
        match Server::start(database_url, dir, &format!("server-{}", k + 1), &flags).await {
            Ok(server) => servers.push(server),
            Err(e) => {
                for server in servers {
                    server.stop();
                }
                return Err(e);
            }
        }
    }
    step(
        &mut setup,
        &format!("start {} servers on the database", servers.len()),
        started,
    );

    let outcome = drive_city(options, city, &servers, estates, csv, voters, &mut setup).await;
    let hwm: Vec<u64> = servers.iter().map(Server::peak_kib).collect();
    for server in servers {
        server.stop();
    }
    let partial = outcome?;
    Ok(CityRun {
        estates: city.estates,
        units: sizes.iter().map(|&u| u64::from(u)).sum(),
        members: partial.members,
        smallest,
        largest,
        servers: city.servers,
        connections: options.connections,
        ballots_wanted: city.ballots,
        drawable,
        raw,
        setup,
        signin: partial.signin,
        intake: partial.intake,
        server_memory: partial.intake_peaks.into_iter().zip(hwm).collect(),
        checked: partial.checked,
    })
}

/// What `drive_city` measured; the rest of `CityRun` is known before the servers start.
struct Driven {
    members: u64,
    signin: Stats,
    intake: Stats,
    intake_peaks: Vec<u64>,
    checked: Vec<(usize, u64, Option<u64>)>,
}

/// An estate set up over HTTP up to announcing.
#[derive(Clone)]
struct Announced {
    token: String,
    assembly: String,
    motion: String,
    opens: chrono::DateTime<chrono::Utc>,
}

fn rfc(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Which server client `c` talks to: round-robin.
fn server_of(bases: &[String], c: usize) -> String {
    bases
        .get(c % bases.len().max(1))
        .cloned()
        .unwrap_or_default()
}

async fn drive_city(
    options: &Options,
    city: &CityOptions,
    servers: &[Server],
    estates: Vec<Estate>,
    roster_csv: Arc<Vec<u8>>,
    voters: Vec<(usize, String)>,
    setup: &mut Vec<Step>,
) -> Result<Driven, String> {
    let bases: Arc<Vec<String>> = Arc::new(servers.iter().map(|s| s.base.clone()).collect());
    let members = estates.iter().map(|e| e.members as u64).sum();
    let estates = Arc::new(estates);

    // Up to announcing, `setup_concurrency` estates at a time, spread over the servers.
    let started = Instant::now();
    let (announced, stats) = {
        let (bases, estates, csv) = (bases.clone(), estates.clone(), roster_csv.clone());
        load::drive(city.setup_concurrency, estates.len(), move |http, c, e| {
            let (base, estates, csv) = (server_of(&bases, c), estates.clone(), csv.clone());
            async move {
                let estate = estates.get(e).ok_or("no such estate")?;
                let staff = Staff::sign_in(&base, &http, &estate.login).await?;
                let roster = csv.get(..estate.roster_len).ok_or("roster cut")?.to_vec();
                let reply = http
                    .put(format!(
                        "{base}/api/v1/estates/{}/roster?name=city-{e:04}.csv",
                        estate.id
                    ))
                    .bearer_auth(&staff.token)
                    .header("content-type", "text/csv")
                    .body(roster)
                    .send()
                    .await;
                expect_json(reply, 200)
                    .await
                    .map_err(|err| format!("estate {e}: roster import: {err}"))?;
                let opens = chrono::Utc::now() + chrono::Duration::milliseconds(1500);
                let closes = chrono::Utc::now() + chrono::Duration::hours(12);
                let assembly = id_of(
                    &staff
                        .post(
                            &format!("/estates/{}/assemblies", estate.id),
                            json!({ "title": "2026年第一次业主大会会议", "opens_at": rfc(opens),
                                "closes_at": rfc(closes), "notice_days": 0, "objection_days": 0 }),
                            201,
                        )
                        .await?,
                )?;
                let motion = id_of(
                    &staff
                        .post(
                            &format!("/assemblies/{assembly}/items"),
                            json!({ "kind": "motion", "title": "续聘物业服务企业", "matter": 4 }),
                            201,
                        )
                        .await?,
                )?;
                staff
                    .post(&format!("/assemblies/{assembly}/announce"), json!({}), 200)
                    .await?;
                Ok(Announced {
                    token: staff.token,
                    assembly,
                    motion,
                    opens,
                })
            }
        })
        .await
    };
    if stats.errors > 0 {
        return Err(format!(
            "setting up {} of the estates failed, first: {}",
            stats.errors,
            stats.first_error.unwrap_or_default()
        ));
    }
    let announced: Arc<Vec<Announced>> = Arc::new(announced.into_iter().flatten().collect());
    step(
        setup,
        &format!(
            "import, assembly with a motion, announce ({} at a time, HTTP)",
            city.setup_concurrency
        ),
        started,
    );

    // Open each (its opening time has passed for all but the last few) and issue the drawn
    // owners' codes: none has an e-mail address, so every code comes back.
    let started = Instant::now();
    let (codes, stats) = {
        let (bases, estates, announced) = (bases.clone(), estates.clone(), announced.clone());
        load::drive(city.setup_concurrency, estates.len(), move |http, c, e| {
            let (base, estates, announced) =
                (server_of(&bases, c), estates.clone(), announced.clone());
            async move {
                let estate = estates.get(e).ok_or("no such estate")?;
                let ready = announced.get(e).cloned().ok_or("estate not announced")?;
                let wait = (ready.opens - chrono::Utc::now())
                    .to_std()
                    .unwrap_or_default();
                tokio::time::sleep(wait + Duration::from_millis(50)).await;
                let staff = Staff {
                    base,
                    http,
                    token: ready.token.clone(),
                };
                staff
                    .post(
                        &format!("/assemblies/{}/open", ready.assembly),
                        json!({}),
                        200,
                    )
                    .await?;
                if estate.voters.is_empty() {
                    return Ok(Vec::new());
                }
                let issued = staff
                    .post(
                        &format!("/assemblies/{}/codes", ready.assembly),
                        json!({ "voters": estate.voters }),
                        201,
                    )
                    .await?;
                let codes: Vec<(String, String)> = issued
                    .as_array()
                    .ok_or("codes: not a list")?
                    .iter()
                    .filter_map(|c| {
                        Some((
                            c["voter"].as_str()?.to_owned(),
                            c["code"].as_str()?.to_owned(),
                        ))
                    })
                    .collect();
                if codes.len() != estate.voters.len() {
                    return Err(format!(
                        "estate {e}: {} codes came back for {} owners without an e-mail address",
                        codes.len(),
                        estate.voters.len()
                    ));
                }
                Ok(codes)
            }
        })
        .await
    };
    if stats.errors > 0 {
        return Err(format!(
            "opening or issuing codes failed in {} estates, first: {}",
            stats.errors,
            stats.first_error.unwrap_or_default()
        ));
    }
    let codes: Vec<std::collections::HashMap<String, String>> = codes
        .into_iter()
        .map(|c| c.unwrap_or_default().into_iter().collect())
        .collect();
    step(
        setup,
        &format!(
            "open and issue the drawn owners' codes ({} at a time, HTTP)",
            city.setup_concurrency
        ),
        started,
    );

    // The jobs, in the drawn order: (estate, code).
    let jobs: Vec<(usize, String)> = voters
        .iter()
        .map(|(e, owner)| {
            codes
                .get(*e)
                .and_then(|c| c.get(owner))
                .map(|code| (*e, code.clone()))
                .ok_or_else(|| format!("no code for {owner} in estate {e}"))
        })
        .collect::<Result<_, _>>()?;
    let jobs = Arc::new(jobs);

    let (tokens, signin) = {
        let (bases, announced, jobs) = (bases.clone(), announced.clone(), jobs.clone());
        load::drive(options.connections, jobs.len(), move |http, c, i| {
            let (base, announced, jobs) = (server_of(&bases, c), announced.clone(), jobs.clone());
            async move {
                let (e, code) = jobs.get(i).ok_or("no such job")?;
                let assembly = &announced.get(*e).ok_or("no such estate")?.assembly;
                let reply = expect_json(
                    http.post(format!("{base}/api/v1/owner-sessions"))
                        .json(&json!({ "code": code, "assembly_id": assembly }))
                        .send()
                        .await,
                    200,
                )
                .await?;
                reply
                    .get("token")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .ok_or_else(|| "no token".to_owned())
            }
        })
        .await
    };
    eprintln!(
        "intake [city]: {} sign-ins at {}/s, {} errors {:?}",
        signin.done, signin.per_second, signin.errors, signin.first_error
    );

    // The ballots: one each on its estate's motion, all estates at once, `connections` clients
    // round-robin over the servers.
    let samplers: Vec<MemorySampler> = servers
        .iter()
        .map(|s| MemorySampler::start(s.pid()))
        .collect();
    let (cast, intake) = {
        let (bases, announced, jobs, tokens) = (
            bases.clone(),
            announced.clone(),
            jobs.clone(),
            Arc::new(tokens),
        );
        load::drive(options.connections, jobs.len(), move |http, c, i| {
            let (base, announced, jobs, tokens) = (
                server_of(&bases, c),
                announced.clone(),
                jobs.clone(),
                tokens.clone(),
            );
            async move {
                let (e, _) = jobs.get(i).ok_or("no such job")?;
                let ready = announced.get(*e).ok_or("no such estate")?;
                let token = tokens
                    .get(i)
                    .cloned()
                    .flatten()
                    .ok_or("owner not signed in")?;
                let choice = ["yes", "yes", "yes", "no", "abstain"]
                    .get(i % 5)
                    .copied()
                    .unwrap_or("yes");
                let reply = http
                    .put(format!(
                        "{base}/api/v1/assemblies/{}/ballot",
                        ready.assembly
                    ))
                    .bearer_auth(token)
                    .header("idempotency-key", uuid::Uuid::now_v7().to_string())
                    .json(&json!({ "votes": [{ "item": ready.motion, "choice": choice }] }))
                    .send()
                    .await;
                expect_json(reply, 200).await.map(|_| *e)
            }
        })
        .await
    };
    let intake_peaks: Vec<u64> = samplers.into_iter().map(MemorySampler::finish).collect();
    eprintln!(
        "intake [city]: {} ballots at {}/s, p99 {:?}, {} errors {:?}",
        intake.done, intake.per_second, intake.p99, intake.errors, intake.first_error
    );

    // A sample of estates (all of a small city): closed, and each motion's result must count
    // exactly the ballots cast there.
    let mut cast_in = vec![0_u64; estates.len()];
    for e in cast.into_iter().flatten() {
        if let Some(n) = cast_in.get_mut(e) {
            *n += 1;
        }
    }
    let picks: Vec<usize> = if estates.len() <= CHECKED_ESTATES {
        (0..estates.len()).collect()
    } else {
        (0..CHECKED_ESTATES)
            .map(|k| k * (estates.len() - 1) / (CHECKED_ESTATES - 1))
            .collect()
    };
    let http = reqwest::Client::new();
    let mut checked = Vec::with_capacity(picks.len());
    for e in picks {
        let ready = announced.get(e).ok_or("no such estate")?;
        let staff = Staff {
            base: server_of(&bases, e),
            http: http.clone(),
            token: ready.token.clone(),
        };
        staff
            .post(
                &format!("/assemblies/{}/close", ready.assembly),
                json!({ "reason": "基准测试:全部选票已收到" }),
                200,
            )
            .await?;
        let result = staff
            .call(
                reqwest::Method::GET,
                &format!("/items/{}/result", ready.motion),
                None,
                200,
            )
            .await?;
        let expected = cast_in.get(e).copied().unwrap_or(0);
        let counted = counted_heads(&result);
        if counted != Some(expected) {
            eprintln!(
                "intake [city]: estate {e} counted {counted:?} voters, expected {expected}: {result}"
            );
        }
        checked.push((e, expected, counted));
    }

    Ok(Driven {
        members,
        signin,
        intake,
        intake_peaks,
        checked,
    })
}
