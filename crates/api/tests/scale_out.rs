//! Scale-out: two `gongjue serve` processes with one configuration and secret on one PostgreSQL
//! database, as behind a reverse proxy. Ballots of the same and of different owners go through
//! both at once; afterwards there is no duplicate current ballot, turnout and results are the
//! same from either server, each outbox message was sent exactly once although both servers'
//! mail workers ran, and an owner who signed in on one server continues on the other (the
//! session cookie and the form's CSRF token are not held in one server's memory).
//!
//! PostgreSQL only (`GONGJUE_TEST_DATABASE_URL`); `GONGJUE_REQUIRE_POSTGRES=1` makes a missing
//! server a failure.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

#[allow(dead_code, unused_imports, unused_macros)]
#[path = "../../store/tests/store/harness.rs"]
mod harness;
#[allow(dead_code)]
mod live;
mod serving;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use serde_json::json;

use harness::TestDb;
use serving::{
    Ack, Rng, Trouble, Voting, audit_verifies, call, cast_until_acknowledged, check_stored, expect,
    open_voting, result_equals_recount, secretary, start_server,
};

const OWNERS: usize = 24;
const CLIENTS: usize = 6;
const SHEETS_PER_CLIENT: usize = 25;

#[derive(QueryableByName)]
struct OutboxRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    id: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    status: String,
}

fn outbox(db: &TestDb) -> Vec<OutboxRow> {
    diesel::sql_query("SELECT id, status FROM outbox")
        .load(&mut db.raw())
        .expect("outbox rows")
}

/// Outbox id → how many `.eml` files carry it, over the servers' mail directories.
fn delivered(dirs: &[&Path]) -> (BTreeMap<String, usize>, Vec<usize>) {
    let mut seen = BTreeMap::new();
    let mut per_server = Vec::new();
    for dir in dirs {
        let mut files = 0;
        for entry in std::fs::read_dir(dir)
            .map(|d| d.flatten().collect::<Vec<_>>())
            .unwrap_or_default()
        {
            let text = String::from_utf8_lossy(&std::fs::read(entry.path()).expect("a mail file"))
                .into_owned();
            let id = text
                .lines()
                .find_map(|l| {
                    l.strip_prefix("Message-ID: <")
                        .or_else(|| l.strip_prefix("Message-Id: <"))
                })
                .and_then(|rest| rest.split('@').next())
                .unwrap_or_else(|| panic!("no Message-ID in {}", entry.path().display()))
                .to_owned();
            *seen.entry(id).or_insert(0) += 1;
            files += 1;
        }
        per_server.push(files);
    }
    (seen, per_server)
}

/// An owner signs in with the web form on server A and goes on on server B: B shows the
/// ballot sheet for A's session cookie and accepts the CSRF token of A's page.
async fn a_browser_moves_between_servers(a: &str, b: &str, code: &str) {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let cookies = |response: &reqwest::Response| -> Vec<String> {
        response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(|c| c.split(';').next().unwrap_or_default().to_owned())
            .collect()
    };
    let form_page = http.get(format!("{a}/vote")).send().await.unwrap();
    let mut jar = cookies(&form_page);
    let html = form_page.text().await.unwrap();
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .expect("a CSRF field")
        .to_owned();
    let signed_in = http
        .post(format!("{a}/vote"))
        .header("cookie", jar.join("; "))
        .form(&[("csrf", csrf.as_str()), ("code", code)])
        .send()
        .await
        .unwrap();
    assert_eq!(
        signed_in.status().as_u16(),
        303,
        "{}",
        signed_in.text().await.unwrap_or_default()
    );
    jar.extend(cookies(&signed_in));
    assert!(jar.iter().any(|c| c.starts_with("gj_owner=")), "{jar:?}");
    let sheet = http
        .get(format!("{b}/ballot"))
        .header("cookie", jar.join("; "))
        .send()
        .await
        .unwrap();
    assert_eq!(
        sheet.status().as_u16(),
        200,
        "server B does not know A's owner session"
    );
    // A's token on B's form: signing out works (403 would mean the token lives in A's memory).
    let out = http
        .post(format!("{b}/sign-out"))
        .header("cookie", jar.join("; "))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(
        out.status().as_u16(),
        303,
        "B refused the CSRF token of A's page"
    );
}

async fn turnout(http: &reqwest::Client, base: &str, voting: &Voting) -> serde_json::Value {
    expect(
        call(
            http,
            reqwest::Method::GET,
            &format!("{base}/api/v1/assemblies/{}/turnout", voting.assembly),
            Some(&voting.secretary),
            None,
            None,
        )
        .await,
        200,
        "turnout",
    )
}

#[test]
fn two_servers_on_one_postgres_database() {
    let Some(db) = harness::postgres() else {
        return;
    };
    let dir = harness::temp_dir();
    let (mail_a, mail_b) = (dir.join("mail-a"), dir.join("mail-b"));
    let mail = |d: &Path| {
        vec![
            "--mail-transport".to_owned(),
            "file".into(),
            "--mail-dir".into(),
            d.to_str().unwrap().into(),
            "--mail-poll-seconds".into(),
            "1".into(),
        ]
    };
    let args_a = mail(&mail_a);
    let args_b = mail(&mail_b);
    // One after the other: the first creates the shared secret file, the second reads it.
    let server_a = start_server(
        &db,
        &dir,
        0,
        &args_a.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let server_b = start_server(
        &db,
        &dir,
        0,
        &args_b.iter().map(String::as_str).collect::<Vec<_>>(),
    );
    let bases = vec![server_a.base(), server_b.base()];
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let http = reqwest::Client::new();
    let (estate, login, password) = secretary(&db, "湖畔花园");
    // Set up through A; codes (and their invitations) issued there.
    let voting = Arc::new(runtime.block_on(open_voting(
        &http,
        &bases[0],
        &estate,
        &login,
        &password,
        OWNERS,
        Some(serving::Mailbox {
            db: &db,
            dirs: vec![mail_a.clone(), mail_b.clone()],
        }),
    )));
    // A reminder round through B, so both servers' workers have mail to race for.
    let round = runtime.block_on(call(
        &http,
        reqwest::Method::POST,
        &format!(
            "{}/api/v1/assemblies/{}/reminders",
            bases[1], voting.assembly
        ),
        Some(&voting.secretary),
        None,
        Some(&json!({})),
    ));
    let round = expect(round, 200, "reminder round");
    assert_eq!(round["emailed"], OWNERS, "{round}");

    // Every client may act for any owner and sends each sheet to either server: the same owner
    // votes through A and B at the same moment.
    let mut clients = Vec::new();
    for client in 0..CLIENTS {
        let (voting, http) = (voting.clone(), http.clone());
        let mut rng = Rng(0x5eed_u64.wrapping_mul(client as u64 + 3) | 1);
        let bases = bases.clone();
        clients.push(runtime.spawn(async move {
            let owners: Vec<(&String, &String)> = voting.owners.iter().collect();
            let (mut acks, mut lost, mut trouble) = (Vec::new(), Vec::new(), Trouble::default());
            let deadline = Instant::now() + Duration::from_secs(90);
            for sheet in 0..SHEETS_PER_CLIENT {
                // Half the sheets go to a few "busy" owners, so the same owner often races.
                let (owner, token) = owners[if rng.below(2) == 0 {
                    rng.below(3)
                } else {
                    rng.below(owners.len())
                }];
                let mut votes = Vec::new();
                for motion in &voting.motions {
                    if rng.below(3) > 0 {
                        votes.push((
                            motion.clone(),
                            ["yes", "no", "abstain"][rng.below(3)].to_owned(),
                        ));
                    }
                }
                let votes = if votes.is_empty() {
                    vec![(voting.motions[0].clone(), "yes".to_owned())]
                } else {
                    votes
                };
                let key = format!("c{client}-s{sheet}");
                let server = [bases[rng.below(2)].clone()];
                let target = serving::Target {
                    http: &http,
                    bases: &server,
                    assembly: &voting.assembly,
                    deadline,
                };
                match cast_until_acknowledged(&target, token, &key, &votes, &mut trouble).await {
                    Some(receipts) => acks.push(Ack {
                        owner: owner.clone(),
                        key,
                        votes,
                        receipts,
                    }),
                    None => lost.push((owner.clone(), key, votes)),
                }
            }
            (acks, lost, trouble)
        }));
    }
    let (mut acks, mut lost, mut trouble) = (Vec::new(), Vec::new(), Trouble::default());
    for client in clients {
        let (a, l, t) = runtime.block_on(client).expect("a client");
        acks.extend(a);
        lost.extend(l);
        trouble.unexpected.extend(t.unexpected);
        trouble.unavailable += t.unavailable;
    }
    assert!(
        trouble.unexpected.is_empty() && lost.is_empty(),
        "{:?} {lost:?}",
        trouble.unexpected
    );
    assert_eq!(acks.len(), CLIENTS * SHEETS_PER_CLIENT);
    check_stored(&db, &voting, &acks, &lost);

    // No duplicate current ballot, the same turnout from either server.
    #[derive(QueryableByName)]
    struct Duplicates {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let duplicates: Duplicates =
        diesel::sql_query("SELECT COUNT(*) AS n FROM (SELECT item_id, voter FROM ballots GROUP BY item_id, voter HAVING COUNT(*) > 1) d").get_result(&mut db.raw()).unwrap();
    assert_eq!(duplicates.n, 0);
    let (turnout_a, turnout_b) = runtime.block_on(async {
        (
            turnout(&http, &bases[0], &voting).await,
            turnout(&http, &bases[1], &voting).await,
        )
    });
    assert_eq!(turnout_a, turnout_b);

    // An owner signed in on A goes on on B.
    // (P023's code, from the invitation in their mailbox: a code e-mailed is shown to no staff.)
    let mailbox = serving::Mailbox {
        db: &db,
        dirs: vec![mail_a.clone(), mail_b.clone()],
    };
    let code =
        runtime.block_on(mailbox.codes(&voting.assembly, &["P023".to_owned()]))["P023"].clone();
    runtime.block_on(a_browser_moves_between_servers(&bases[0], &bases[1], &code));

    // Every queued message leaves once, whichever worker took it.
    let deadline = Instant::now() + Duration::from_secs(60);
    while outbox(&db).iter().any(|m| m.status != "sent") {
        assert!(
            Instant::now() < deadline,
            "the outbox did not drain: {}",
            server_a.log()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    std::thread::sleep(Duration::from_millis(1500));
    let rows = outbox(&db);
    let (seen, per_server) = delivered(&[&mail_a, &mail_b]);
    eprintln!("{} messages; files per server {per_server:?}", rows.len());
    assert!(
        rows.len() > 2 * OWNERS,
        "invitations, reminders and the re-issued code's invitation: {}",
        rows.len()
    );
    for row in &rows {
        assert_eq!(
            seen.get(&row.id),
            Some(&1),
            "message {} delivered {:?} times",
            row.id,
            seen.get(&row.id)
        );
    }
    assert_eq!(
        seen.len(),
        rows.len(),
        "a file for a message not in the outbox"
    );

    audit_verifies(&db);
    runtime.block_on(result_equals_recount(&http, &bases, &db, &voting, &dir));
    drop((server_a, server_b));
    let _ = std::fs::remove_dir_all(dir);
}
