//! One backend's run: a fresh database, the raw limit, then the server from roster to export.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use gongjue_store::Store;
use gongjue_store::users::Role;
use serde_json::{Value, json};

use crate::imports::{self, ImportRoster};
use crate::load::{self, Stats, expect_json};
use crate::report::{BackendRun, Step};
use crate::server::{MemorySampler, Server};
use crate::{Options, raw};

pub enum Target {
    Sqlite,
    Postgres(String),
}

impl Target {
    pub fn name(&self) -> &'static str {
        match self {
            Target::Sqlite => "sqlite",
            Target::Postgres(_) => "postgres",
        }
    }
}

pub const PASSWORD: &str = "bench-secretary-password";
const IMPORT_SECRETARY: &str = "bench-import-secretary";
const CANDIDATES: [&str; 12] = [
    "王*明", "李*华", "张*伟", "刘*芳", "陈*静", "杨*军", "赵*丽", "黄*强", "周*敏", "吴*涛",
    "徐*燕", "孙*斌",
];

/// The roster CSV from the shared generator, `gen_roster.py mega --units N` and `extra` flags
/// (deterministic for a given size and flags).
pub fn generate_roster(tool: &Path, units: u32, extra: &[&str]) -> Result<Vec<u8>, String> {
    let output = std::process::Command::new("python3")
        .arg(tool)
        .arg("mega")
        .args(["--units", &units.to_string()])
        .args(extra)
        .output()
        .map_err(|e| format!("running {}: {e}", tool.display()))?;
    if !output.status.success() {
        return Err(format!(
            "{} failed: {}",
            tool.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(output.stdout)
}

/// A scratch directory for the database file, the secret and the server's log.
pub fn scratch(label: &str) -> Result<PathBuf, String> {
    let dir = std::env::temp_dir().join(format!("gongjue-bench-{}-{label}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("creating {}: {e}", dir.display()))?;
    Ok(dir)
}

/// `postgres://…/base?x` → `postgres://…/name?x`.
pub fn with_database(url: &str, name: &str) -> String {
    let (head, query) = url
        .split_once('?')
        .map_or((url, None), |(h, q)| (h, Some(q)));
    let prefix = head
        .rfind('/')
        .filter(|i| *i > head.find("://").map_or(0, |s| s + 2))
        .map_or(head, |i| head.get(..i).unwrap_or(head));
    match query {
        Some(q) => format!("{prefix}/{name}?{q}"),
        None => format!("{prefix}/{name}"),
    }
}

fn elapsed_since(started: Instant) -> Duration {
    started.elapsed()
}

pub async fn run_backend(
    options: &Options,
    roster: &[u8],
    imports: &Arc<Vec<ImportRoster>>,
    target: Target,
) -> Result<BackendRun, String> {
    let label = target.name();
    let admin_url = match &target {
        Target::Sqlite => None,
        Target::Postgres(base) => {
            let name = format!("gongjue_bench_{}", std::process::id());
            let mut admin =
                PgConnection::establish(base).map_err(|e| format!("PostgreSQL at {base}: {e}"))?;
            // Two statements: PostgreSQL runs a multi-statement string as one transaction, and
            // neither may run inside one.
            admin
                .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
                .map_err(|e| e.to_string())?;
            admin
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .map_err(|e| e.to_string())?;
            Some((base.clone(), name))
        }
    };
    let dir = scratch(label)?;
    let database_url = match &admin_url {
        None => format!("sqlite://{}", dir.join("bench.db").display()),
        Some((base, name)) => with_database(base, name),
    };
    eprintln!("intake [{label}]: database {database_url}");
    let outcome = run_on(options, roster, imports, label, &dir, &database_url).await;
    if !options.keep {
        if let Some((base, name)) = admin_url
            && let Ok(mut admin) = PgConnection::establish(&base)
        {
            let _ = admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
        let _ = std::fs::remove_dir_all(&dir);
    } else {
        eprintln!("intake [{label}]: kept {}", dir.display());
    }
    outcome
}

async fn run_on(
    options: &Options,
    roster: &[u8],
    imports: &Arc<Vec<ImportRoster>>,
    label: &str,
    dir: &Path,
    database_url: &str,
) -> Result<BackendRun, String> {
    // The estate and its secretary, as `gongjue admin` creates them; then the raw limit on the
    // very database the server will use, before the server starts.
    let (estate, import_estate, raw) = {
        let store =
            Store::open(database_url).map_err(|e| format!("opening {database_url}: {e}"))?;
        let estate = store
            // A trial estate: voting opens a moment after announcing.
            .create_estate_with(
                &gongjue_store::estates::NewEstate::trial("超大型小区(基准测试)"),
                "bench",
            )
            .map_err(|e| e.to_string())?
            .id;
        let hash = gongjue_api::auth::password::hash(PASSWORD).map_err(|e| e.to_string())?;
        let user = store
            .create_user("bench-secretary", "基准测试秘书", &hash)
            .map_err(|e| e.to_string())?;
        store
            .grant_role(&user.id, &estate, Role::Secretary, "bench")
            .map_err(|e| e.to_string())?;
        // The second person who reviews the candidates the secretary registers.
        let reviewer = store
            .create_user("bench-reviewer", "基准测试审核人", &hash)
            .map_err(|e| e.to_string())?;
        store
            .grant_role(&reviewer.id, &estate, Role::Secretary, "bench")
            .map_err(|e| e.to_string())?;
        // `--import-during-intake`: another estate, with its own secretary, whose rosters are
        // imported while the first estate's ballots come in.
        let import_estate = if imports.is_empty() {
            None
        } else {
            let other = store
                .create_estate_with(
                    &gongjue_store::estates::NewEstate::trial("导入名册的小区(基准测试)"),
                    "bench",
                )
                .map_err(|e| e.to_string())?
                .id;
            let secretary = store
                .create_user(IMPORT_SECRETARY, "基准测试导入秘书", &hash)
                .map_err(|e| e.to_string())?;
            store
                .grant_role(&secretary.id, &other, Role::Secretary, "bench")
                .map_err(|e| e.to_string())?;
            Some(other)
        };
        let duration = Duration::from_secs(options.raw_seconds);
        let raw = match store.backend() {
            gongjue_store::Backend::Sqlite => raw::sqlite(&store, duration)?,
            gongjue_store::Backend::Postgres => {
                raw::postgres(database_url, options.connections, duration)?
            }
        };
        eprintln!(
            "intake [{label}]: raw limit {} commits/s ({})",
            raw.per_second, raw.how
        );
        (estate, import_estate, raw)
    };

    let server = Server::start(database_url, dir, "server", &options.server_flags()).await?;
    let imports = import_estate.map(|estate| (estate, imports.clone()));
    let outcome = drive_server(
        options,
        roster,
        label,
        &server,
        &estate,
        imports,
        database_url,
        dir,
    )
    .await;
    let peak_kib = server.peak_kib();
    server.stop();
    let mut run = outcome?;
    run.raw = raw;
    run.peak_kib = peak_kib;
    Ok(run)
}

pub struct Staff {
    pub base: String,
    pub http: reqwest::Client,
    pub token: String,
}

impl Staff {
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
        status: u16,
    ) -> Result<Value, String> {
        let mut request = self
            .http
            .request(method, format!("{}/api/v1{path}", self.base))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        expect_json(request.send().await, status)
            .await
            .map_err(|e| format!("{path}: {e}"))
    }

    pub async fn post(&self, path: &str, body: Value, status: u16) -> Result<Value, String> {
        self.call(reqwest::Method::POST, path, Some(body), status)
            .await
    }

    pub async fn sign_in(base: &str, http: &reqwest::Client, login: &str) -> Result<Staff, String> {
        let session = expect_json(
            http.post(format!("{base}/api/v1/sessions"))
                .json(&json!({ "login": login, "password": PASSWORD }))
                .send()
                .await,
            200,
        )
        .await?;
        let token = session
            .get("token")
            .and_then(Value::as_str)
            .ok_or("no staff token")?
            .to_owned();
        Ok(Staff {
            base: base.to_owned(),
            http: http.clone(),
            token,
        })
    }
}

/// Registers each candidate of the election (on the roster's first unit) and has the second
/// secretary find each eligible, as announcing requires.
async fn approve_candidates(staff: &Staff, estate: &str, election: &str) -> Result<(), String> {
    let reviewer = Staff::sign_in(&staff.base, &staff.http, "bench-reviewer").await?;
    let units = staff
        .call(
            reqwest::Method::GET,
            &format!("/estates/{estate}/units?limit=1"),
            None,
            200,
        )
        .await?;
    let unit = units
        .pointer("/0/unit")
        .and_then(Value::as_str)
        .ok_or("no unit")?
        .to_owned();
    let register = staff
        .call(
            reqwest::Method::GET,
            &format!("/items/{election}/candidates"),
            None,
            200,
        )
        .await?;
    let declarations: serde_json::Map<String, Value> = register
        .get("declarations")
        .and_then(Value::as_array)
        .ok_or("no declarations")?
        .iter()
        .filter_map(|d| Some((d.as_str()?.to_owned(), Value::Bool(true))))
        .collect();
    for name in CANDIDATES {
        let entry = staff
            .post(
                &format!("/items/{election}/candidates"),
                json!({ "name": name, "units": [unit], "statement": "愿为业主服务。",
                    "nominated_by": "业主联名推荐", "declarations": declarations }),
                201,
            )
            .await?;
        reviewer
            .post(
                &format!("/candidates/{}/review", id_of(&entry)?),
                json!({ "eligible": true }),
                200,
            )
            .await?;
    }
    Ok(())
}

/// The voting link's code in a delivered `.eml` file's `text/plain` part (base64 or
/// quoted-printable).
fn code_in_eml(eml: &str) -> Option<String> {
    use base64::Engine;
    let eml = eml.replace("\r\n", "\n");
    let (_, part) = eml.split_once("Content-Type: text/plain")?;
    let (headers, body) = part.split_once("\n\n")?;
    let body = body.split("\n--").next().unwrap_or(body);
    let text = if headers.contains("Content-Transfer-Encoding: base64") {
        let joined: String = body.split_whitespace().collect();
        String::from_utf8(
            base64::engine::general_purpose::STANDARD
                .decode(joined)
                .ok()?,
        )
        .ok()?
    } else {
        body.replace("=\n", "")
    };
    let (_, rest) = text.split_once("/v/")?;
    let code: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    (!code.is_empty()).then_some(code)
}

/// The codes of the `wanted` owners who got theirs by e-mail, from the invitations the server's
/// mail worker delivered to its `./data/outbox` (the outbox row of each `Message-ID` names
/// the owner). Waits for the worker, at most ten minutes.
async fn mailed_codes(
    database_url: &str,
    dir: &Path,
    assembly: &str,
    wanted: usize,
) -> Result<Vec<(String, String)>, String> {
    let store = Store::open(database_url).map_err(|e| format!("opening {database_url}: {e}"))?;
    let filter = gongjue_store::outbox::OutboxFilter {
        assembly_id: Some(assembly.to_owned()),
        ..Default::default()
    };
    let to: std::collections::HashMap<String, String> = store
        .outbox(&filter)
        .map_err(|e| e.to_string())?
        .into_iter()
        .filter(|m| m.kind == "invitation")
        .filter_map(|m| Some((m.id, m.voter?)))
        .collect();
    let mail_dir = dir.join("data/outbox");
    let mut found: std::collections::HashMap<String, String> = Default::default();
    let mut read: std::collections::HashSet<PathBuf> = Default::default();
    let deadline = Instant::now() + Duration::from_secs(600);
    while found.len() < wanted {
        for entry in std::fs::read_dir(&mail_dir)
            .map(|d| d.flatten().collect::<Vec<_>>())
            .unwrap_or_default()
        {
            let path = entry.path();
            if path.extension().is_none_or(|e| e != "eml") || read.contains(&path) {
                continue;
            }
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            read.insert(path);
            let text = String::from_utf8_lossy(&bytes);
            let voter = text
                .lines()
                .find_map(|l| {
                    l.strip_prefix("Message-ID: <")
                        .or_else(|| l.strip_prefix("Message-Id: <"))
                })
                .and_then(|rest| rest.split('@').next())
                .and_then(|id| to.get(id));
            if let (Some(voter), Some(code)) = (voter, code_in_eml(&text)) {
                found.insert(voter.clone(), code);
            }
        }
        if found.len() >= wanted {
            break;
        }
        if Instant::now() > deadline {
            return Err(format!(
                "only {} of {wanted} invitations delivered to {}",
                found.len(),
                mail_dir.display()
            ));
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    Ok(found.into_iter().collect())
}

/// About how many units a roster file holds (its lines), to size the waits of the setup.
fn units_hint(roster: &[u8]) -> usize {
    roster.iter().filter(|&&b| b == b'\n').count()
}

pub fn id_of(value: &Value) -> Result<String, String> {
    value["id"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("no id in {value}"))
}

/// A step of the run: its time, and the server's resident memory before it and at its peak.
struct Timing {
    started: Instant,
    pid: u32,
    before: u64,
    sampler: MemorySampler,
}

impl Timing {
    fn start(server: &Server) -> Timing {
        let pid = server.pid();
        Timing {
            started: Instant::now(),
            pid,
            before: crate::server::status_kib(pid, "VmRSS:").unwrap_or(0),
            sampler: MemorySampler::start(pid),
        }
    }

    fn step(self, what: &str) -> Step {
        let took = elapsed_since(self.started);
        let now = crate::server::status_kib(self.pid, "VmRSS:").unwrap_or(0);
        let peak = self.sampler.finish().max(now);
        Step {
            memory: Some((self.before, peak)),
            ..Step::new(what, took)
        }
    }
}

#[allow(clippy::too_many_arguments)] // one run's settings and handles, each used once
async fn drive_server(
    options: &Options,
    roster: &[u8],
    label: &str,
    server: &Server,
    estate: &str,
    imports: Option<(String, Arc<Vec<ImportRoster>>)>,
    database_url: &str,
    dir: &Path,
) -> Result<BackendRun, String> {
    let http = reqwest::Client::new();
    let staff = Staff::sign_in(&server.base, &http, "bench-secretary").await?;
    let mut steps = Vec::new();
    let setup_memory = MemorySampler::start(server.pid());

    let timing = Timing::start(server);
    let reply = http
        .put(format!(
            "{}/api/v1/estates/{estate}/roster?name=mega.csv",
            server.base
        ))
        .bearer_auth(&staff.token)
        .header("content-type", "text/csv")
        .body(roster.to_vec())
        .send()
        .await;
    expect_json(reply, 200)
        .await
        .map_err(|e| format!("roster import: {e}"))?;
    steps.push(timing.step("import the roster (PUT /estates/{id}/roster)"));

    // Items, the candidates' review and the announcement must all come before the opening:
    // at 100,000 units on a busy machine they take a few seconds (at 40,000 on PostgreSQL, beside
    // another estate's import, more than the 2 s once given to anything under 50,000).
    let opens = chrono::Utc::now()
        + chrono::Duration::seconds(2 + i64::try_from(units_hint(roster) / 5_000).unwrap_or(60));
    let closes = chrono::Utc::now() + chrono::Duration::hours(12);
    let rfc =
        |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let assembly = staff
        .post(
            &format!("/estates/{estate}/assemblies"),
            json!({ "title": "2026年第一次业主大会会议", "opens_at": rfc(opens), "closes_at": rfc(closes), "notice_days": 0, "objection_days": 0 }),
            201,
        )
        .await?;
    let assembly = id_of(&assembly)?;
    let motion = id_of(
        &staff
            .post(
                &format!("/assemblies/{assembly}/items"),
                json!({ "kind": "motion", "title": "续聘物业服务企业", "matter": 4 }),
                201,
            )
            .await?,
    )?;
    let election = id_of(
        &staff
            .post(&format!("/assemblies/{assembly}/items"), json!({ "kind": "election", "title": "选举第二届业主委员会", "seats": 5, "candidates": CANDIDATES }), 201)
            .await?,
    )?;
    approve_candidates(&staff, estate, &election).await?;
    let timing = Timing::start(server);
    staff
        .post(&format!("/assemblies/{assembly}/announce"), json!({}), 200)
        .await?;
    steps.push(
        timing.step("announce: the notices to every owner queued (POST /assemblies/{id}/announce)"),
    );
    let wait = (opens - chrono::Utc::now()).to_std().unwrap_or_default();
    tokio::time::sleep(wait + Duration::from_millis(50)).await;
    let timing = Timing::start(server);
    staff
        .post(&format!("/assemblies/{assembly}/open"), json!({}), 200)
        .await?;
    steps.push(timing.step("open: freeze 2 electorates (POST /assemblies/{id}/open)"));

    let timing = Timing::start(server);
    let issued = staff
        .post(&format!("/assemblies/{assembly}/codes"), json!({}), 201)
        .await?;
    let issued = issued.as_array().ok_or("codes: not a list")?;
    let mut codes: Vec<(String, String)> = issued
        .iter()
        .filter_map(|c| {
            Some((
                c["voter"].as_str()?.to_owned(),
                c["code"].as_str()?.to_owned(),
            ))
        })
        .collect();
    steps.push(timing.step(&format!(
        "issue {} codes (POST /assemblies/{{id}}/codes)",
        issued.len()
    )));
    // The other codes went to the owners' addresses only (never shown to staff): each owner
    // reads theirs in the invitation the mail worker delivered. Not timed.
    codes.extend(mailed_codes(database_url, dir, &assembly, issued.len() - codes.len()).await?);
    codes.sort();
    let setup_peak_kib = setup_memory.finish();
    eprintln!("intake [{label}]: setup done, {} members", codes.len());

    // Every owner signs in with their code (an owner session per member).
    let members = codes.len();
    let signin = {
        let (base, assembly, codes) = (
            server.base.clone(),
            assembly.clone(),
            std::sync::Arc::new(codes),
        );
        let codes_for_jobs = codes.clone();
        let (tokens, stats) = load::drive(options.connections, members, move |client, _, i| {
            let (base, assembly, codes) = (base.clone(), assembly.clone(), codes_for_jobs.clone());
            async move {
                let (_, code) = codes.get(i).ok_or("no such member")?;
                let body = json!({ "code": code, "assembly_id": assembly });
                let reply = expect_json(
                    client
                        .post(format!("{base}/api/v1/owner-sessions"))
                        .json(&body)
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
        .await;
        (tokens, stats)
    };
    let (tokens, signin_stats) = signin;
    eprintln!(
        "intake [{label}]: {} sign-ins at {}/s, {} errors {:?}",
        signin_stats.done, signin_stats.per_second, signin_stats.errors, signin_stats.first_error
    );

    // The ballots: every member on the motion, then members again on the election until the
    // wanted number is in, interleaved so both items take ballots at the same time. One vote per
    // request: each ballot is its own durable commit.
    let wanted = options.ballots.unwrap_or(options.units) as usize;
    let jobs = ballot_jobs(members, wanted, &motion, &election);
    // `--import-during-intake`: the other estate's secretary imports its rosters one after
    // another, starting shortly after the first ballots (generated before the server started).
    let importer = match imports {
        None => None,
        Some((other, rosters)) => {
            let secretary = Staff::sign_in(&server.base, &http, IMPORT_SECRETARY).await?;
            let delay = options.import_delay();
            Some(tokio::spawn(imports::run(
                server.base.clone(),
                secretary.token,
                other,
                rosters,
                server.pid(),
                delay,
            )))
        }
    };
    let intake_memory = MemorySampler::start(server.pid());
    let (_, intake) = {
        let (base, assembly, tokens, jobs) = (
            server.base.clone(),
            assembly.clone(),
            std::sync::Arc::new(tokens),
            std::sync::Arc::new(jobs),
        );
        let count = jobs.len();
        load::drive(options.connections, count, move |client, _, i| {
            let (base, assembly, tokens, jobs) =
                (base.clone(), assembly.clone(), tokens.clone(), jobs.clone());
            async move {
                let (member, item, choice) = jobs.get(i).cloned().ok_or("no such job")?;
                let token = tokens
                    .get(member)
                    .cloned()
                    .flatten()
                    .ok_or("member not signed in")?;
                let body = json!({ "votes": [{ "item": item, "choice": choice }] });
                let reply = client
                    .put(format!("{base}/api/v1/assemblies/{assembly}/ballot"))
                    .bearer_auth(token)
                    .header("idempotency-key", uuid::Uuid::now_v7().to_string())
                    .json(&body)
                    .send()
                    .await;
                expect_json(reply, 200).await.map(|_| ())
            }
        })
        .await
    };
    let intake_peak_kib = intake_memory.finish();
    eprintln!(
        "intake [{label}]: {} ballots at {}/s, p99 {:?}, {} errors {:?}",
        intake.done, intake.per_second, intake.p99, intake.errors, intake.first_error
    );
    // The imports still under way when the intake ended finish before the assembly closes.
    let mut import_runs = match importer {
        None => Vec::new(),
        Some(task) => task.await.map_err(|e| format!("the roster imports: {e}"))?,
    };
    imports::attribute(
        &mut import_runs,
        &intake.samples,
        intake.started + intake.elapsed,
    );

    let timing = Timing::start(server);
    staff
        .post(
            &format!("/assemblies/{assembly}/close"),
            json!({ "reason": "基准测试:全部选票已收到" }),
            200,
        )
        .await?;
    steps.push(timing.step("close the assembly"));

    let motion_ballots = members.min(wanted);
    let election_ballots = (wanted - motion_ballots).min(members);
    let mut tally_errors = 0;
    let tail_memory = MemorySampler::start(server.pid());
    for (kind, item, expected) in [
        ("motion", &motion, motion_ballots),
        ("5-seat election", &election, election_ballots),
    ] {
        let timing = Timing::start(server);
        let result = staff
            .call(
                reqwest::Method::GET,
                &format!("/items/{item}/result"),
                None,
                200,
            )
            .await?;
        let counted = counted_heads(&result);
        if counted != Some(expected as u64) {
            tally_errors += 1;
            eprintln!(
                "intake [{label}]: the {kind} counted {counted:?} voters, expected {expected}: {result}"
            );
        }
        steps.push(timing.step(&format!(
            "tally the {kind}, {expected} ballots (GET /items/{{id}}/result)"
        )));
    }
    // Exports are built and signed by the final publication (no objection period here).
    let timing = Timing::start(server);
    let published = staff
        .post(
            &format!("/assemblies/{assembly}/publication/final"),
            json!({}),
            200,
        )
        .await?;
    steps.push(timing.step("final publication: build, sign and store both exports"));
    let signed_digest = |item: &str| {
        published
            .get("exports")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .find(|e| e.get("item").and_then(Value::as_str) == Some(item))
            .and_then(|e| e.get("bundle_sha256")?.as_str())
            .map(str::to_owned)
    };
    for (kind, item) in [("motion", &motion), ("5-seat election", &election)] {
        let timing = Timing::start(server);
        let reply = staff
            .http
            .get(format!("{}/api/v1/items/{item}/export", server.base))
            .bearer_auth(&staff.token)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if reply.status().as_u16() != 200 {
            return Err(format!("export of the {kind}: HTTP {}", reply.status()));
        }
        let bytes = reply.bytes().await.map_err(|e| e.to_string())?;
        steps.push(timing.step(&format!(
            "download the {kind}'s stored export ({:.1} MB)",
            bytes.len() as f64 / 1e6
        )));
        // Sent a stored part at a time: byte for byte what was signed.
        let digest = format!("{:x}", <sha2::Sha256 as sha2::Digest>::digest(&bytes));
        if signed_digest(item).as_deref() != Some(digest.as_str()) {
            return Err(format!(
                "the {kind}'s download has SHA-256 {digest}, signed {:?}",
                signed_digest(item)
            ));
        }
    }
    let tail_peak_kib = tail_memory.finish();

    Ok(BackendRun {
        backend: label.to_owned(),
        units: options.units,
        members,
        connections: options.connections,
        raw: raw::RawLimit {
            per_second: 0,
            how: String::new(),
        },
        steps,
        signin: signin_stats,
        intake,
        intake_peak_kib,
        setup_peak_kib,
        tail_peak_kib,
        peak_kib: 0,
        tally_errors,
        imports: import_runs,
    })
}

/// `(member index, item, choice)` for each ballot, motion and election interleaved.
fn ballot_jobs(
    members: usize,
    wanted: usize,
    motion: &str,
    election: &str,
) -> Vec<(usize, String, Value)> {
    let on_motion = members.min(wanted);
    let on_election = (wanted - on_motion).min(members);
    let mut jobs = Vec::with_capacity(wanted);
    let mut e = 0;
    for m in 0..on_motion {
        let choice = ["yes", "yes", "yes", "no", "abstain"]
            .get(m % 5)
            .copied()
            .unwrap_or("yes");
        jobs.push((m, motion.to_owned(), json!(choice)));
        // Spread the election ballots evenly among the motion's.
        while e < on_election && e * on_motion <= m * on_election {
            let pick: Vec<&str> = (0..5)
                .map(|k| {
                    CANDIDATES
                        .get((e + k * 2) % CANDIDATES.len())
                        .copied()
                        .unwrap_or_default()
                })
                .collect();
            jobs.push((e, election.to_owned(), json!(pick)));
            e += 1;
        }
    }
    jobs
}

/// The number of voters the result says took part (`participation.heads`), wherever the result
/// puts it.
pub fn counted_heads(result: &Value) -> Option<u64> {
    fn find(v: &Value) -> Option<u64> {
        match v {
            Value::Object(map) => {
                if let Some(p) = map.get("participation")
                    && let Some(h) = p.get("heads").and_then(|h| {
                        h.as_u64()
                            .or_else(|| h.as_str().and_then(|s| s.parse().ok()))
                    })
                {
                    return Some(h);
                }
                map.values().find_map(find)
            }
            Value::Array(items) => items.iter().find_map(find),
            _ => None,
        }
    }
    find(result)
}

pub fn stats_row(stats: &Stats) -> String {
    format!(
        "{}/s, p50 {}, p95 {}, p99 {}",
        stats.per_second,
        crate::ms(stats.p50),
        crate::ms(stats.p95),
        crate::ms(stats.p99)
    )
}
