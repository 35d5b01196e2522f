//! The sign-in attempt limits as a guesser meets them: one limit for every server on the
//! database, keyed on the real client (a forged `X-Forwarded-For` from an untrusted peer changes
//! nothing; behind a trusted proxy each client has its own), and a scripted guessing run of
//! voting codes stopped at exactly the allowed number of checked guesses.

use gongjue_api::auth::client_addr::TrustedProxies;
use serde_json::json;

use crate::e2e;
use crate::helpers::{
    CODE_FAILURES_PER_ASSEMBLY, CODE_FAILURES_PER_IP, Small, TestDb, serve_store,
    small_open_assembly,
};

/// One code attempt; the status, and the error code when refused.
async fn try_code(
    http: &reqwest::Client,
    base: &str,
    code: &str,
    assembly: Option<&str>,
    forwarded_for: Option<&str>,
) -> (u16, String) {
    let mut body = json!({ "code": code });
    if let Some(assembly) = assembly {
        body["assembly_id"] = json!(assembly);
    }
    let mut request = http
        .post(format!("{base}/api/v1/owner-sessions"))
        .json(&body);
    if let Some(hops) = forwarded_for {
        request = request.header("x-forwarded-for", hops);
    }
    let response = request.send().await.expect("sending a code attempt");
    let status = response.status().as_u16();
    let body: serde_json::Value = response.json().await.unwrap_or_default();
    (
        status,
        body["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

/// A wrong code of the right shape, different for each `n`.
fn wrong_code(n: u32) -> String {
    format!("2222-3333-{:04}", 4000 + n)
}

fn trusting_localhost() -> TrustedProxies {
    TrustedProxies::parse(&["127.0.0.1", "::1"]).expect("addresses")
}

/// Failures on one server count on the other: two servers allow the limit once, not twice,
/// and a server started later (a restart) remembers them.
async fn the_limit_holds_across_two_servers(db: TestDb) {
    let s = small_open_assembly(db, true).await;
    let second = serve_store(s.app.store.clone(), TrustedProxies::default());
    let http = reqwest::Client::new();
    let assembly = Some(s.assembly.id.as_str());
    for n in 0..CODE_FAILURES_PER_IP {
        let base = if n % 2 == 0 { &s.app.base } else { &second };
        assert_eq!(
            try_code(&http, base, &wrong_code(n), assembly, None).await,
            (401, "bad_code".into()),
            "attempt {n}"
        );
    }
    for base in [
        &s.app.base,
        &second,
        &serve_store(s.app.store.clone(), TrustedProxies::default()),
    ] {
        assert_eq!(
            try_code(&http, base, &s.codes["P1"], assembly, None).await,
            (429, "too_many_attempts".into()),
            "{base}"
        );
    }
    assert_eq!(
        s.app
            .store
            .attempts_counted("code-ip:127.0.0.1")
            .expect("count"),
        i64::from(CODE_FAILURES_PER_IP)
    );
}

/// Right codes are not counted: owners who sign in again and again are never blocked, nor are
/// many owners behind one address (an estate's Wi-Fi, a carrier's NAT) signing in at once.
async fn right_codes_cost_no_attempt(db: TestDb) {
    let s = small_open_assembly(db, true).await;
    let http = reqwest::Client::new();
    for _ in 0..(2 * CODE_FAILURES_PER_IP) {
        assert_eq!(
            try_code(
                &http,
                &s.app.base,
                &s.codes["P2"],
                Some(&s.assembly.id),
                None
            )
            .await
            .0,
            200
        );
    }
    let together: Vec<_> = (0..4 * CODE_FAILURES_PER_IP)
        .map(|n| {
            let (http, base, code, assembly) = (
                http.clone(),
                s.app.base.clone(),
                s.codes[if n % 2 == 0 { "P1" } else { "P2" }].clone(),
                s.assembly.id.clone(),
            );
            tokio::spawn(
                async move { try_code(&http, &base, &code, Some(&assembly), None).await.0 },
            )
        })
        .collect();
    let mut statuses = Vec::new();
    for task in together {
        statuses.push(task.await.expect("a sign-in task"));
    }
    assert!(statuses.iter().all(|s| *s == 200), "{statuses:?}");
    assert_eq!(
        s.app
            .store
            .attempts_counted("code-ip:127.0.0.1")
            .expect("count"),
        0
    );
}

/// Without trusted proxies, `X-Forwarded-For` is the client's own text: a new forged address
/// per attempt does not buy new attempts.
async fn a_forged_forwarded_for_does_not_bypass_the_limit(db: TestDb) {
    let s = small_open_assembly(db, true).await;
    // This server trusts only a proxy network the test client is not in.
    let elsewhere = serve_store(
        s.app.store.clone(),
        TrustedProxies::parse(&["10.0.0.0/8"]).expect("range"),
    );
    let http = reqwest::Client::new();
    for n in 0..CODE_FAILURES_PER_IP {
        let forged = format!("198.51.100.{n}");
        let base = if n % 2 == 0 { &s.app.base } else { &elsewhere };
        assert_eq!(
            try_code(
                &http,
                base,
                &wrong_code(n),
                Some(&s.assembly.id),
                Some(&forged)
            )
            .await
            .0,
            401
        );
    }
    assert_eq!(
        try_code(
            &http,
            &elsewhere,
            &s.codes["P1"],
            None,
            Some("198.51.100.200")
        )
        .await,
        (429, "too_many_attempts".into())
    );
    assert_eq!(
        try_code(
            &http,
            &s.app.base,
            &s.codes["P1"],
            None,
            Some("203.0.113.9, 10.0.0.1")
        )
        .await,
        (429, "too_many_attempts".into())
    );
    // The audit log names the peer, not the forged address.
    let audit = s
        .secretary
        .get(&format!("/api/v1/estates/{}/audit", s.estate))
        .await
        .expect(200);
    let failures: Vec<&serde_json::Value> = audit
        .as_array()
        .expect("entries")
        .iter()
        .filter(|e| e["action"] == "code.failed")
        .collect();
    assert_eq!(failures.len(), CODE_FAILURES_PER_IP as usize);
    assert!(
        failures.iter().all(|e| e["detail"]["ip"] == "127.0.0.1"),
        "{failures:?}"
    );
}

/// Behind a trusted proxy, two clients have separate limits; a blocked client cannot unblock
/// itself by writing another address left of the one the proxy appended.
async fn behind_a_trusted_proxy_each_client_has_its_own_limit(db: TestDb) {
    let s = small_open_assembly(db, true).await;
    let proxied = serve_store(s.app.store.clone(), trusting_localhost());
    let http = reqwest::Client::new();
    let (mallory, alice) = ("198.51.100.66", "198.51.100.7");
    for n in 0..CODE_FAILURES_PER_IP {
        assert_eq!(
            try_code(&http, &proxied, &wrong_code(n), None, Some(mallory))
                .await
                .0,
            401
        );
    }
    assert_eq!(
        try_code(&http, &proxied, &s.codes["P1"], None, Some(mallory))
            .await
            .0,
        429
    );
    // What the proxy sends when Mallory forges Alice's address: Mallory's real one comes last.
    assert_eq!(
        try_code(
            &http,
            &proxied,
            &s.codes["P1"],
            None,
            Some(&format!("{alice}, {mallory}"))
        )
        .await
        .0,
        429
    );
    // Alice, through the same proxy, is not blocked; nor is the proxy itself.
    assert_eq!(
        try_code(&http, &proxied, &wrong_code(99), None, Some(alice))
            .await
            .0,
        401
    );
    assert_eq!(
        try_code(&http, &proxied, &s.codes["P1"], None, Some(alice))
            .await
            .0,
        200
    );
    assert_eq!(
        try_code(&http, &proxied, &s.codes["P2"], None, None)
            .await
            .0,
        200
    );
    assert_eq!(
        s.app
            .store
            .attempts_counted(&format!("code-ip:{mallory}"))
            .expect("count"),
        i64::from(CODE_FAILURES_PER_IP)
    );
    assert_eq!(
        s.app
            .store
            .attempts_counted(&format!("code-ip:{alice}"))
            .expect("count"),
        1
    );
}

/// An IPv6 client is limited by its /64 network: a host rotating through the addresses of its
/// prefix stays blocked, while a client of the neighbouring /64 is not.
async fn an_ipv6_prefix_shares_one_limit(db: TestDb) {
    let s = small_open_assembly(db, true).await;
    let proxied = serve_store(s.app.store.clone(), trusting_localhost());
    let http = reqwest::Client::new();
    for n in 0..CODE_FAILURES_PER_IP {
        let rotating = format!("2001:db8:77:1::{:x}", n + 1);
        assert_eq!(
            try_code(&http, &proxied, &wrong_code(n), None, Some(&rotating))
                .await
                .0,
            401
        );
    }
    assert_eq!(
        try_code(
            &http,
            &proxied,
            &s.codes["P1"],
            None,
            Some("2001:db8:77:1:ffff::9")
        )
        .await
        .0,
        429
    );
    assert_eq!(
        try_code(
            &http,
            &proxied,
            &s.codes["P1"],
            None,
            Some("2001:db8:77:2::1")
        )
        .await
        .0,
        200
    );
    assert_eq!(
        s.app
            .store
            .attempts_counted("code-ip:2001:db8:77:1::/64")
            .expect("count"),
        i64::from(CODE_FAILURES_PER_IP)
    );
}

/// A guessing run: 24 concurrent scripts through two servers, each behind the trusted proxy
/// with its own address (a botnet), 300 guesses in all at one assembly. The per-assembly limit
/// lets exactly its number of guesses be checked, however the requests interleave; every other
/// guess is refused unchecked, and no guess opens a session.
async fn a_scripted_guessing_run_is_stopped(db: TestDb) {
    let Small {
        app,
        assembly,
        codes,
        ..
    } = small_open_assembly(db, true).await;
    let servers = [
        serve_store(app.store.clone(), trusting_localhost()),
        serve_store(app.store.clone(), trusting_localhost()),
    ];
    let mut scripts = Vec::new();
    for script in 0..24_u32 {
        let base = servers[(script % 2) as usize].clone();
        let assembly = assembly.id.clone();
        scripts.push(tokio::spawn(async move {
            let http = reqwest::Client::new();
            let address = format!("203.0.113.{script}");
            let mut statuses = Vec::new();
            for n in 0..(300 / 24 + 1) {
                statuses.push(
                    try_code(
                        &http,
                        &base,
                        &wrong_code(script * 100 + n),
                        Some(&assembly),
                        Some(&address),
                    )
                    .await
                    .0,
                );
            }
            statuses
        }));
    }
    let mut checked = 0;
    let mut refused = 0;
    for script in scripts {
        for status in script.await.expect("a guessing script") {
            match status {
                401 => checked += 1,
                429 => refused += 1,
                other => panic!("a guess was answered {other}"),
            }
        }
    }
    assert_eq!(
        checked, CODE_FAILURES_PER_ASSEMBLY,
        "guesses checked before the assembly's limit stopped the run"
    );
    assert_eq!(checked + refused, 24 * (300 / 24 + 1));
    // The run is stopped for everyone at this assembly until the window passes: even a right
    // code is refused, so the guesser cannot tell a hit from a miss.
    let http = reqwest::Client::new();
    assert_eq!(
        try_code(
            &http,
            &servers[0],
            &codes["P1"],
            Some(&assembly.id),
            Some("192.0.2.50")
        )
        .await
        .0,
        429
    );
}

e2e!(
    the_limit_holds_across_two_servers,
    right_codes_cost_no_attempt,
    a_forged_forwarded_for_does_not_bypass_the_limit,
    behind_a_trusted_proxy_each_client_has_its_own_limit,
    an_ipv6_prefix_shares_one_limit,
    a_scripted_guessing_run_is_stopped,
);
