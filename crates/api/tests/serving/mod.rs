//! The real `gongjue serve` as a child process (`live::Server`), an estate set up over HTTP, and
//! owners casting ballots with `Idempotency-Key`s that retry through connection errors: shared
//! by the crash and scale-out tests.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::harness::TestDb;

pub use crate::live::Server;

/// Starts `gongjue serve` on `db` with the secret in `dir/secret.key`, on `port` (0: any free
/// one), with `extra` flags; returns once it listens.
pub fn start_server(db: &TestDb, dir: &Path, port: u16, extra: &[&str]) -> Server {
    let secret = dir.join("secret.key");
    let mut args = vec![
        "--database-url",
        db.url.as_str(),
        "--secret-file",
        secret.to_str().expect("utf-8 path"),
        "--log",
        "info",
    ];
    args.extend_from_slice(extra);
    Server::start_on(dir, port, &args, &[])
}

/// A reply: status and JSON body (`Null` if not JSON).
pub type Reply = (u16, Value);

/// One HTTP call; `Err` when no HTTP answer came (refused, reset, timed out).
pub async fn call(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: &str,
    token: Option<&str>,
    key: Option<&str>,
    body: Option<&Value>,
) -> Result<Reply, reqwest::Error> {
    let mut request = http.request(method, url).timeout(Duration::from_secs(20));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    if let Some(key) = key {
        request = request.header("idempotency-key", key);
    }
    if let Some(body) = body {
        request = request.json(body);
    }
    let response = request.send().await?;
    let status = response.status().as_u16();
    let text = response.text().await?;
    Ok((status, serde_json::from_str(&text).unwrap_or(Value::Null)))
}

/// A call that must be answered with `status`.
#[track_caller]
pub fn expect(reply: Result<Reply, reqwest::Error>, status: u16, what: &str) -> Value {
    match reply {
        Ok((got, body)) if got == status => body,
        Ok((got, body)) => panic!("{what}: {got} {body}"),
        Err(e) => panic!("{what}: {e}"),
    }
}

pub const MOTIONS: usize = 2;

/// An estate of `owners` single-unit owners with an open, changeable assembly of two ordinary
/// motions, voting codes issued and every owner signed in.
pub struct Voting {
    pub estate: String,
    pub assembly: String,
    pub motions: Vec<String>,
    pub secretary: String,
    /// Owner id → owner token.
    pub owners: BTreeMap<String, String>,
}

/// `owners` single-unit owners, each with an e-mail address if `emails` (else their codes are
/// printed: the API answers them to the secretary).
pub fn roster(owners: usize, emails: bool) -> String {
    let mut csv = String::from(
        "zone,building,stairwell,unit,floor,area_m2,owner_id,owner_name,phone,email\n",
    );
    for n in 0..owners {
        let email = if emails {
            format!("owner{n}@example.org")
        } else {
            String::new()
        };
        csv.push_str(&format!(
            ",1,1,{},{},{}.00,P{n:03},业主{n},,{email}\n",
            101 + n,
            1 + n / 4,
            80 + n % 7
        ));
    }
    csv
}

/// Where the owners' e-mail lands: the servers' file-transport directories, and the database
/// whose outbox says which message (by its `Message-ID`) went to whom.
pub struct Mailbox<'a> {
    pub db: &'a TestDb,
    pub dirs: Vec<std::path::PathBuf>,
}

impl Mailbox<'_> {
    /// Each of `voters`' code for `assembly`, from the invitation delivered to them (waits for
    /// the mail workers, at most a minute). A code sent by e-mail is shown to nobody else.
    pub async fn codes(&self, assembly: &str, voters: &[String]) -> BTreeMap<String, String> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let filter = gongjue_store::outbox::OutboxFilter {
                assembly_id: Some(assembly.to_owned()),
                ..Default::default()
            };
            let to: BTreeMap<String, String> = self
                .db
                .store
                .outbox(&filter)
                .expect("the outbox")
                .into_iter()
                .filter(|m| m.kind == "invitation")
                .filter_map(|m| Some((m.id, m.voter?)))
                .collect();
            let mut found = BTreeMap::new();
            for dir in &self.dirs {
                for entry in std::fs::read_dir(dir)
                    .map(|d| d.flatten().collect::<Vec<_>>())
                    .unwrap_or_default()
                {
                    let Ok(bytes) = std::fs::read(entry.path()) else {
                        continue;
                    };
                    let text = String::from_utf8_lossy(&bytes);
                    let id = text
                        .lines()
                        .find_map(|l| {
                            l.strip_prefix("Message-ID: <")
                                .or_else(|| l.strip_prefix("Message-Id: <"))
                        })
                        .and_then(|rest| rest.split('@').next())
                        .map(str::to_owned);
                    if let (Some(voter), Some(code)) = (
                        id.and_then(|id| to.get(&id)),
                        crate::live::code_in_eml(&text),
                    ) {
                        found.insert(voter.clone(), code);
                    }
                }
            }
            if voters.iter().all(|v| found.contains_key(v)) {
                return found;
            }
            assert!(
                Instant::now() < deadline,
                "invitations not delivered: {} of {}",
                found.len(),
                voters.len()
            );
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }
}

/// The staff user `wang` (secretary) in a new estate, created as `gongjue admin` does.
pub fn secretary(db: &TestDb, estate_name: &str) -> (String, String, String) {
    let estate = db
        .store
        // A trial estate: the tests open voting a moment after announcing.
        .create_estate_with(
            &gongjue_store::estates::NewEstate::trial(estate_name),
            "test",
        )
        .expect("estate")
        .id;
    let password = "wang-password-long-enough".to_owned();
    let hash = gongjue_api::auth::password::hash(&password).expect("hash");
    let user = db.store.create_user("wang", "王秘书", &hash).expect("user");
    db.store
        .grant_role(
            &user.id,
            &estate,
            gongjue_store::users::Role::Secretary,
            "test",
        )
        .expect("role");
    (estate, "wang".into(), password)
}

/// Sets up the assembly over HTTP against `base`.
pub async fn open_voting(
    http: &reqwest::Client,
    base: &str,
    estate: &str,
    login: &str,
    password: &str,
    owners: usize,
    mailbox: Option<Mailbox<'_>>,
) -> Voting {
    use reqwest::Method;
    let api = format!("{base}/api/v1");
    let session = expect(
        call(
            http,
            Method::POST,
            &format!("{api}/sessions"),
            None,
            None,
            Some(&json!({ "login": login, "password": password })),
        )
        .await,
        200,
        "sign-in",
    );
    let secretary = session["token"].as_str().expect("token").to_owned();
    let token = Some(secretary.as_str());
    let response = http
        .put(format!("{api}/estates/{estate}/roster?name=roster.csv"))
        .bearer_auth(&secretary)
        .header("content-type", "text/csv")
        .body(roster(owners, mailbox.is_some()))
        .send()
        .await
        .expect("roster upload");
    assert_eq!(
        response.status().as_u16(),
        200,
        "{}",
        response.text().await.unwrap_or_default()
    );
    let opens = chrono::Utc::now() + chrono::Duration::milliseconds(1200);
    let closes = chrono::Utc::now() + chrono::Duration::hours(2);
    let request = json!({
        "title": "2026年第一次业主大会会议",
        "opens_at": opens.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "closes_at": closes.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "ballots_changeable": true,
        "notice_days": 0,
        "objection_days": 0,
    });
    let assembly = expect(
        call(
            http,
            Method::POST,
            &format!("{api}/estates/{estate}/assemblies"),
            token,
            None,
            Some(&request),
        )
        .await,
        201,
        "assembly",
    );
    let assembly = assembly["id"].as_str().expect("id").to_owned();
    let mut motions = Vec::new();
    for title in ["续聘物业服务企业", "使用维修资金更换电梯"]
        .iter()
        .take(MOTIONS)
    {
        let item = json!({ "kind": "motion", "title": title, "matter": 4 });
        let item = expect(
            call(
                http,
                Method::POST,
                &format!("{api}/assemblies/{assembly}/items"),
                token,
                None,
                Some(&item),
            )
            .await,
            201,
            "item",
        );
        motions.push(item["id"].as_str().expect("id").to_owned());
    }
    expect(
        call(
            http,
            Method::POST,
            &format!("{api}/assemblies/{assembly}/announce"),
            token,
            None,
            Some(&json!({})),
        )
        .await,
        200,
        "announce",
    );
    tokio::time::sleep(
        (opens - chrono::Utc::now()).to_std().unwrap_or_default() + Duration::from_millis(50),
    )
    .await;
    expect(
        call(
            http,
            Method::POST,
            &format!("{api}/assemblies/{assembly}/open"),
            token,
            None,
            Some(&json!({})),
        )
        .await,
        200,
        "open",
    );
    let codes = expect(
        call(
            http,
            Method::POST,
            &format!("{api}/assemblies/{assembly}/codes"),
            token,
            None,
            Some(&json!({})),
        )
        .await,
        201,
        "codes",
    );
    // Codes of owners without an address are answered (to be printed); e-mailed ones only
    // reach their owners' mailboxes.
    let voters: Vec<String> = codes
        .as_array()
        .expect("codes")
        .iter()
        .map(|c| c["voter"].as_str().expect("voter").to_owned())
        .collect();
    let codes: BTreeMap<String, String> = match &mailbox {
        Some(mailbox) => mailbox.codes(&assembly, &voters).await,
        None => codes
            .as_array()
            .expect("codes")
            .iter()
            .map(|c| {
                (
                    c["voter"].as_str().expect("voter").to_owned(),
                    c["code"].as_str().expect("a printed code").to_owned(),
                )
            })
            .collect(),
    };
    let mut signed_in = BTreeMap::new();
    for (voter, code) in &codes {
        let body = json!({ "code": code, "assembly_id": assembly });
        let session = expect(
            call(
                http,
                Method::POST,
                &format!("{api}/owner-sessions"),
                None,
                None,
                Some(&body),
            )
            .await,
            200,
            "owner sign-in",
        );
        signed_in.insert(
            voter.clone(),
            session["token"].as_str().expect("token").to_owned(),
        );
    }
    assert_eq!(signed_in.len(), owners);
    Voting {
        estate: estate.to_owned(),
        assembly,
        motions,
        secretary,
        owners: signed_in,
    }
}

/// A sheet sent but never acknowledged: (owner, request key, votes).
pub type Lost = (String, String, Vec<(String, String)>);

/// Where and until when a client casts.
pub struct Target<'a> {
    pub http: &'a reqwest::Client,
    /// Tried in turn (a client that fails over to another server).
    pub bases: &'a [String],
    pub assembly: &'a str,
    /// Give up at this moment.
    pub deadline: Instant,
}

/// One ballot sheet as acknowledged (2xx) by a server.
#[derive(Debug, Clone)]
pub struct Ack {
    pub owner: String,
    /// The request's `Idempotency-Key`.
    pub key: String,
    /// What was sent: (item, choice).
    pub votes: Vec<(String, String)>,
    /// What came back: (item, seq, receipt).
    pub receipts: Vec<(String, i64, String)>,
}

/// Small deterministic generator (xorshift), seeded per client and printed on failure.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    pub fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap_or(0)
    }
}

/// What a casting client saw besides acknowledgements.
#[derive(Debug, Default)]
pub struct Trouble {
    /// Requests that got no HTTP answer and were sent again with the same key.
    pub retried_after_connection_error: usize,
    /// 503 answers (database busy or unreachable), retried too.
    pub unavailable: usize,
    /// Acknowledgements of a retry whose first send had been stored (`"replayed": true`).
    pub replayed: usize,
    /// Any other non-2xx answer: a bug.
    pub unexpected: Vec<String>,
}

/// Sends one ballot sheet until a server acknowledges it, with the same key every time,
/// through the target's servers in turn. Gives up only at its deadline, returning `None`.
pub async fn cast_until_acknowledged(
    target: &Target<'_>,
    token: &str,
    key: &str,
    votes: &[(String, String)],
    trouble: &mut Trouble,
) -> Option<Vec<(String, i64, String)>> {
    let Target {
        http,
        bases,
        assembly,
        deadline,
    } = *target;
    let body = json!({ "votes": votes.iter().map(|(item, choice)| json!({ "item": item, "choice": choice })).collect::<Vec<_>>() });
    let mut turn = 0;
    while Instant::now() < deadline {
        let base = &bases[turn % bases.len()];
        turn += 1;
        match call(
            http,
            reqwest::Method::PUT,
            &format!("{base}/api/v1/assemblies/{assembly}/ballot"),
            Some(token),
            Some(key),
            Some(&body),
        )
        .await
        {
            Ok((200, receipts)) => {
                if receipts
                    .as_array()
                    .is_some_and(|r| r.iter().any(|r| r["replayed"] == true))
                {
                    trouble.replayed += 1;
                }
                return Some(
                    receipts
                        .as_array()
                        .expect("receipts")
                        .iter()
                        .map(|r| {
                            (
                                r["item"].as_str().unwrap_or_default().to_owned(),
                                r["seq"].as_i64().unwrap_or_default(),
                                r["receipt"].as_str().unwrap_or_default().to_owned(),
                            )
                        })
                        .collect(),
                );
            }
            Ok((503, _)) => trouble.unavailable += 1,
            Ok((status, body)) => {
                trouble.unexpected.push(format!("{key}: {status} {body}"));
                return None;
            }
            Err(_) => trouble.retried_after_connection_error += 1,
        }
        tokio::time::sleep(Duration::from_millis(40)).await;
    }
    None
}

/// Checks the stored ballots against what the clients were told, exactly: every acknowledged
/// sheet is stored once per vote with the receipt it was given; every stored version belongs
/// to a sheet that was sent (`sent`: request keys, acknowledged or not); for each owner and item
/// the current ballot is the last acknowledged version, or a later one from a sheet sent after
/// it whose acknowledgement was lost (`unacknowledged`). Returns the number of versions.
pub fn check_stored(db: &TestDb, voting: &Voting, acks: &[Ack], unacknowledged: &[Lost]) -> usize {
    let mut versions = 0;
    for item in &voting.motions {
        let stored = db.store.ballot_versions(item).expect("versions");
        versions += stored.len();
        // By idempotency key: "<request key>:<item>:<voter>".
        let mut by_key: BTreeMap<String, &gongjue_store::ballots::BallotVersion> = BTreeMap::new();
        for version in &stored {
            assert!(
                by_key
                    .insert(version.idempotency_key.clone(), version)
                    .is_none(),
                "a key stored twice: {}",
                version.idempotency_key
            );
        }
        for ack in acks {
            for (ack_item, seq, receipt) in ack.receipts.iter().filter(|(i, _, _)| i == item) {
                let key = format!("{}:{ack_item}:{}", ack.key, ack.owner);
                let version = by_key.get(&key).unwrap_or_else(|| {
                    panic!("acknowledged ballot {key} (seq {seq}) is not stored")
                });
                assert_eq!(
                    (version.seq, version.receipt()),
                    (*seq, receipt.clone()),
                    "{key}: stored differently from its receipt"
                );
                let choice = &ack
                    .votes
                    .iter()
                    .find(|(i, _)| i == item)
                    .expect("the vote sent")
                    .1;
                assert_eq!(version.choice, json!(choice).to_string(), "{key}");
            }
        }
        let acknowledged: std::collections::BTreeSet<String> = acks
            .iter()
            .flat_map(|a| {
                a.receipts
                    .iter()
                    .filter(|(i, _, _)| i == item)
                    .map(move |(i, _, _)| format!("{}:{i}:{}", a.key, a.owner))
            })
            .collect();
        let lost: BTreeMap<String, &Lost> = unacknowledged
            .iter()
            .flat_map(|u| {
                u.2.iter()
                    .filter(|(i, _)| i == item)
                    .map(move |(i, _)| (format!("{}:{i}:{}", u.1, u.0), u))
            })
            .collect();
        for version in &stored {
            assert!(
                acknowledged.contains(&version.idempotency_key)
                    || lost.contains_key(&version.idempotency_key),
                "stored ballot {} was never sent",
                version.idempotency_key
            );
        }
        // Per owner: seq 1..n without gaps, in the order the owner's sheets were acknowledged.
        for owner in voting.owners.keys() {
            let mut mine: Vec<&gongjue_store::ballots::BallotVersion> =
                stored.iter().filter(|v| &v.voter == owner).collect();
            mine.sort_by_key(|v| v.seq);
            for (n, version) in mine.iter().enumerate() {
                assert_eq!(
                    version.seq,
                    i64::try_from(n).unwrap_or(0) + 1,
                    "{owner}: versions {:?}",
                    mine.iter().map(|v| v.seq).collect::<Vec<_>>()
                );
            }
            // The last acknowledged version: the highest seq acknowledged (sheets of one owner may
            // race through two servers, so the clients' clocks do not order them).
            let last_acked = acks
                .iter()
                .filter(|a| &a.owner == owner)
                .filter(|a| a.receipts.iter().any(|(i, _, _)| i == item))
                .max_by_key(|a| a.receipts.iter().find(|(i, _, _)| i == item).map(|r| r.1));
            let current = db.store.current_ballot(item, owner).expect("current");
            match (last_acked, &current) {
                (None, None) => {}
                (Some(ack), Some(current)) => {
                    let acked_seq = ack
                        .receipts
                        .iter()
                        .find(|(i, _, _)| i == item)
                        .map(|r| r.1)
                        .unwrap_or_default();
                    let newest = mine.last().expect("a version");
                    assert_eq!(
                        current.version_id, newest.id,
                        "{owner}: the current ballot is the newest version"
                    );
                    if current.seq != acked_seq {
                        // Only a later sheet whose answer was lost may stand above the last acknowledged one.
                        assert!(
                            current.seq > acked_seq && lost.contains_key(&newest.idempotency_key),
                            "{owner} {item}: current seq {} but last acknowledged {acked_seq}",
                            current.seq
                        );
                    }
                }
                (None, Some(current)) => {
                    let newest = mine.last().expect("a version");
                    assert!(
                        lost.contains_key(&newest.idempotency_key),
                        "{owner}: current ballot seq {} from no sheet sent",
                        current.seq
                    );
                }
                (Some(ack), None) => {
                    panic!("{owner}: acknowledged {} but no current ballot", ack.key)
                }
            }
        }
    }
    // A sheet is all or nothing: either every vote of a lost sheet is stored or none.
    for (owner, key, votes) in unacknowledged {
        let stored: Vec<bool> = votes
            .iter()
            .map(|(item, _)| {
                db.store
                    .ballot_versions(item)
                    .expect("versions")
                    .iter()
                    .any(|v| v.idempotency_key == format!("{key}:{item}:{owner}"))
            })
            .collect();
        assert!(
            stored.iter().all(|s| *s) || stored.iter().all(|s| !*s),
            "sheet {key} half stored: {stored:?}"
        );
    }
    versions
}

/// `gongjue audit verify` on the database: the hash chain and every ballot against it.
pub fn audit_verifies(db: &TestDb) {
    let out = Command::new(env!("CARGO_BIN_EXE_gongjue"))
        .args(["audit", "verify", "--database-url", &db.url, "--lang", "en"])
        .output()
        .expect("gongjue audit verify");
    assert!(
        out.status.success(),
        "audit verify: {} {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Closes the assembly, publishes the final result, and checks each item's result against a
/// recount: the signed export recounted by `gongjue tally`, and the stored current ballots
/// counted here by hand (heads of yes / no / abstain).
pub async fn result_equals_recount(
    http: &reqwest::Client,
    bases: &[String],
    db: &TestDb,
    voting: &Voting,
    dir: &Path,
) {
    use reqwest::Method;
    let api = format!("{}/api/v1", bases[0]);
    let token = Some(voting.secretary.as_str());
    expect(
        call(
            http,
            Method::POST,
            &format!("{api}/assemblies/{}/close", voting.assembly),
            token,
            None,
            Some(&json!({ "reason": "test: every ballot is in" })),
        )
        .await,
        200,
        "close",
    );
    expect(
        call(
            http,
            Method::POST,
            &format!("{api}/assemblies/{}/publication/final", voting.assembly),
            token,
            None,
            Some(&json!({})),
        )
        .await,
        200,
        "final",
    );
    for item in &voting.motions {
        let mut results = Vec::new();
        for base in bases {
            results.push(expect(
                call(
                    http,
                    Method::GET,
                    &format!("{base}/api/v1/items/{item}/result"),
                    token,
                    None,
                    None,
                )
                .await,
                200,
                "result",
            ));
        }
        assert!(
            results.windows(2).all(|w| w[0] == w[1]),
            "servers disagree: {results:?}"
        );
        let result = &results[0];
        let export = http
            .get(format!("{api}/items/{item}/export"))
            .bearer_auth(&voting.secretary)
            .send()
            .await
            .expect("export");
        assert_eq!(export.status().as_u16(), 200);
        let bundle = dir.join(format!("{item}.json"));
        std::fs::write(&bundle, export.bytes().await.expect("export body")).expect("write bundle");
        let out = Command::new(env!("CARGO_BIN_EXE_gongjue"))
            .args(["tally", bundle.to_str().expect("utf-8")])
            .output()
            .expect("gongjue tally");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let recount: Value = serde_json::from_slice(&out.stdout).expect("tally output");
        assert_eq!(
            &recount, result,
            "{item}: the served result differs from the recount of its export"
        );
        let counted = db.store.counted_ballots(item).expect("counted");
        let exported: Value =
            serde_json::from_slice(&std::fs::read(&bundle).expect("bundle")).expect("bundle json");
        assert_eq!(
            exported["ballots"].as_array().map(Vec::len),
            Some(counted.len()),
            "{item}: the export holds every stored ballot"
        );
        for choice in ["yes", "no", "abstain"] {
            let heads = counted.iter().filter(|b| b.choice == json!(choice)).count();
            assert_eq!(
                result["choices"][choice]["heads"].as_u64(),
                Some(heads as u64),
                "{item} {choice}: {result}"
            );
        }
    }
}
