//! The database busy or gone: requests are answered 503 with `Retry-After` and the catalogue's
//! message, nothing is half-written, and the service recovers by itself once the database is
//! back. SQLite: another process holds the write lock longer than the busy timeout. PostgreSQL:
//! the database refuses connections and every backend of the server is terminated.

use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use gongjue_api::i18n::{Lang, Msg};
use gongjue_store::{Backend, Store, Waits};
use serde_json::{Value, json};

use crate::e2e;
use crate::helpers::{Session, Small, TestDb, small_open_assembly_on, spawn_app_on};

/// What keeps the database away, and gives it back.
enum Outage {
    SqliteLock(gongjue_store::AnyConnection),
    PgClosed { admin: PgConnection, name: String },
}

impl Outage {
    fn prepare(db: &TestDb) -> Outage {
        match db.backend() {
            Backend::Sqlite => Outage::SqliteLock(db.raw()),
            Backend::Postgres => {
                let admin_url = std::env::var("GONGJUE_TEST_DATABASE_URL")
                    .expect("a PostgreSQL test has its URL");
                let admin = PgConnection::establish(&admin_url).expect("admin connection");
                let name = db
                    .url
                    .rsplit('/')
                    .next()
                    .unwrap_or_default()
                    .split('?')
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                Outage::PgClosed { admin, name }
            }
        }
    }

    fn begin(&mut self) {
        match self {
            Outage::SqliteLock(conn) => conn
                .batch_execute("BEGIN EXCLUSIVE")
                .expect("taking the write lock"),
            Outage::PgClosed { admin, name } => {
                diesel::sql_query(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS false"))
                    .execute(admin)
                    .expect("closing the database");
                diesel::sql_query(format!("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
                    .execute(admin)
                    .expect("terminating its backends");
            }
        }
    }

    fn end(&mut self) {
        match self {
            Outage::SqliteLock(conn) => conn
                .batch_execute("ROLLBACK")
                .expect("releasing the write lock"),
            Outage::PgClosed { admin, name } => {
                diesel::sql_query(format!("ALTER DATABASE {name} ALLOW_CONNECTIONS true"))
                    .execute(admin)
                    .expect("opening the database");
            }
        }
    }
}

async fn vote(
    owner: &Session,
    assembly: &str,
    item: &str,
    choice: &str,
) -> (u16, Option<String>, Value) {
    let response = owner
        .http
        .put(format!(
            "{}/api/v1/assemblies/{assembly}/ballot",
            owner.base
        ))
        .bearer_auth(&owner.token)
        .header("accept-language", "en")
        .json(&json!({ "votes": [{ "item": item, "choice": choice }] }))
        .send()
        .await
        .expect("send");
    let retry_after = response
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (
        response.status().as_u16(),
        retry_after,
        response.json().await.unwrap_or_default(),
    )
}

#[track_caller]
fn assert_unavailable(what: &str, (status, retry_after, body): &(u16, Option<String>, Value)) {
    assert_eq!(
        (*status, body["error"]["code"].as_str()),
        (503, Some("unavailable")),
        "{what}: {body}"
    );
    assert_eq!(
        body["error"]["message"],
        Msg::Unavailable.text(Lang::En),
        "{what}"
    );
    assert!(
        retry_after
            .as_deref()
            .and_then(|s| s.parse::<u32>().ok())
            .is_some_and(|s| s > 0),
        "{what}: Retry-After {retry_after:?}"
    );
}

async fn an_unavailable_database_is_503_and_the_service_recovers(db: TestDb) {
    // Short waits, so that the test does not sit through the production defaults (10 s).
    let waits = Waits {
        busy: Duration::from_millis(300),
        connect: Duration::from_secs(1),
    };
    let store = Store::open_waiting(&db.url, waits).expect("opening the store with short waits");
    let backend = db.backend();
    let mut outage = Outage::prepare(&db);
    let Small {
        app,
        estate,
        assembly,
        motion,
        codes,
        ..
    } = small_open_assembly_on(spawn_app_on(db, store), false).await;
    let before = app.owner(&assembly, &codes["P1"]).await;
    let during = app.owner(&assembly, &codes["P2"]).await;
    let acknowledged = vote(&before, &assembly.id, &motion, "no").await;
    assert_eq!(acknowledged.0, 200, "{}", acknowledged.2);

    outage.begin();
    assert_unavailable(
        "a ballot",
        &vote(&during, &assembly.id, &motion, "yes").await,
    );
    // The owners' web form says the same as a page, with the same hint when to retry (a wrong
    // code from the QR link: its failure is counted, a write).
    let page = app
        .http
        .get(format!("{}/v/2222-3333-4444?lang=en", app.base))
        .send()
        .await
        .expect("send");
    let retry_after = page
        .headers()
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|s| s.parse::<u32>().ok());
    let (status, html) = (
        page.status().as_u16(),
        page.text().await.unwrap_or_default(),
    );
    assert_eq!(status, 503, "{html}");
    assert!(
        retry_after.is_some_and(|s| s > 0),
        "the page's Retry-After: {retry_after:?}"
    );
    assert!(
        html.contains(&askama_escape(Msg::Unavailable.text(Lang::En))),
        "{html}"
    );
    if backend == Backend::Postgres {
        let health = app
            .http
            .get(format!("{}/healthz", app.base))
            .header("accept-language", "en")
            .send()
            .await
            .expect("send");
        let retry_after = health
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        assert_unavailable(
            "the health check",
            &(
                health.status().as_u16(),
                retry_after,
                health.json().await.unwrap_or_default(),
            ),
        );
    }
    outage.end();

    // The client retries as told; the service reconnects by itself, with no restart.
    let mut cast = vote(&during, &assembly.id, &motion, "yes").await;
    for _ in 0..20 {
        if cast.0 != 503 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
        cast = vote(&during, &assembly.id, &motion, "yes").await;
    }
    assert_eq!(cast.0, 200, "after the outage: {}", cast.2);

    // Both ballots are there, each once; the refused attempt left no trace.
    for (owner, choice, receipt) in [
        (&before, "no", &acknowledged.2[0]["receipt"]),
        (&during, "yes", &cast.2[0]["receipt"]),
    ] {
        let sheet = owner
            .get(&format!("/api/v1/assemblies/{}/ballot", assembly.id))
            .await
            .expect(200);
        assert_eq!(sheet["entries"][0]["current"]["choice"], choice, "{sheet}");
        assert_eq!(
            &sheet["entries"][0]["current"]["receipt"], receipt,
            "{sheet}"
        );
    }
    let chain = app
        .store
        .verify_audit_chain(&estate)
        .expect("verifying the chain");
    assert_eq!(chain.first_broken, None);
    assert_eq!(
        app.store
            .verify_ballots(&estate)
            .expect("verifying the ballots"),
        vec![]
    );
    let casts = count_casts(&app.store, &estate);
    assert_eq!(casts, 2, "one audit entry per acknowledged ballot");
}

/// A text as the page template writes it (HTML-escaped).
fn askama_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('\'', "&#39;")
        .replace('"', "&#34;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `ballot.cast` entries of the estate's audit chain.
fn count_casts(store: &Store, estate: &str) -> i64 {
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let mut conn = store.connection().expect("connection");
    // The estate id is a UUID made by the store, safe to inline.
    let rows: Vec<Count> = diesel::sql_query(format!(
        "SELECT COUNT(*) AS n FROM audit_log WHERE chain = '{estate}' AND action = 'ballot.cast'"
    ))
    .load(&mut *conn)
    .expect("counting");
    rows.first().map_or(0, |c| c.n)
}

e2e!(an_unavailable_database_is_503_and_the_service_recovers);
