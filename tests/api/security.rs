//! Defences every client meets: the security headers on every response, forged or stale
//! tokens refused, and oversized bodies refused before they are read.

use std::io::{Read, Write};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use gongjue_api::i18n::{Lang, Msg};
use gongjue_store::users::Role;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};

use crate::e2e;
use crate::helpers::{BODY_LIMITS, LOGIN_FAILURES_PER_IP, SECRET, TestDb, spawn_app};

#[track_caller]
fn assert_hardened(what: &str, response: &reqwest::Response) {
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned()
    };
    let csp = header("content-security-policy");
    for directive in [
        "default-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'none'",
    ] {
        assert!(
            csp.contains(directive),
            "{what}: CSP {csp:?} lacks {directive}"
        );
    }
    assert!(
        !csp.contains("script-src 'self' 'unsafe-inline'") && !csp.contains("'unsafe-eval'"),
        "{what}: no inline scripts: {csp}"
    );
    assert_eq!(header("x-frame-options"), "DENY", "{what}");
    assert_eq!(header("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(
        header("referrer-policy"),
        "no-referrer",
        "{what}: the voting link carries a code"
    );
    assert_eq!(header("cache-control"), "no-store", "{what}");
}

async fn every_response_carries_the_security_headers(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("小区甲");
    let secretary = app.staff("sec", Role::Secretary, &estate).await;
    let get = |path: String, token: Option<&str>| {
        let mut request = app.http.get(format!("{}{path}", app.base));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    let cases: Vec<(&str, String, Option<&str>, u16)> = vec![
        ("health", "/healthz".into(), None, 200),
        (
            "JSON",
            format!("/api/v1/estates/{estate}/units"),
            Some(secretary.token.as_str()),
            200,
        ),
        ("jwks", "/.well-known/jwks.json".into(), None, 200),
        ("openapi", "/api/openapi.json".into(), None, 200),
        ("401", format!("/api/v1/estates/{estate}/units"), None, 401),
        (
            "404 record",
            "/api/v1/assemblies/no-such-assembly".into(),
            Some(secretary.token.as_str()),
            404,
        ),
        ("404 route", "/no/such/route".into(), None, 404),
    ];
    for (what, path, token, status) in cases {
        let response = get(path, token).await.expect("send");
        assert_eq!(response.status().as_u16(), status, "{what}");
        assert_hardened(what, &response);
    }
    // A body that is not JSON, and one that is too large: errors raised before any handler.
    let url = format!("{}/api/v1/estates/{estate}/assemblies", app.base);
    let response = app
        .http
        .post(&url)
        .bearer_auth(&secretary.token)
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .expect("send");
    assert_eq!(response.status().as_u16(), 400);
    assert_hardened("400", &response);
    let response = app
        .http
        .post(&url)
        .bearer_auth(&secretary.token)
        .header("content-type", "application/json")
        .body("x".repeat(100_000))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status().as_u16(), 413);
    assert_hardened("413", &response);
    // A method the route does not have (answered by actix itself, not by our errors).
    let response = app
        .http
        .delete(format!("{}/healthz", app.base))
        .send()
        .await
        .expect("send");
    assert!(response.status().is_client_error());
    assert_hardened("405", &response);
}

/// The key the server signs sessions with, derived from its secret as `AppState::new` does.
pub(crate) fn token_key() -> Vec<u8> {
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(SECRET).expect("any key length");
    mac.update(b"gongjue/jwt");
    mac.finalize().into_bytes().to_vec()
}

fn sign(alg: &str, key: &[u8], input: &str) -> String {
    let tag = match alg {
        "HS256" => Hmac::<sha2::Sha256>::new_from_slice(key)
            .map(|m| m.chain_update(input).finalize().into_bytes().to_vec()),
        "HS384" => Hmac::<sha2::Sha384>::new_from_slice(key)
            .map(|m| m.chain_update(input).finalize().into_bytes().to_vec()),
        "HS512" => Hmac::<sha2::Sha512>::new_from_slice(key)
            .map(|m| m.chain_update(input).finalize().into_bytes().to_vec()),
        _ => return String::new(),
    };
    URL_SAFE_NO_PAD.encode(tag.expect("any key length"))
}

/// A token with this header and these claims, signed (or not, for `none`) with `key`.
pub(crate) fn forge(alg: &str, claims: &Value, key: &[u8]) -> String {
    let header = URL_SAFE_NO_PAD.encode(json!({ "alg": alg, "typ": "JWT" }).to_string());
    let payload = URL_SAFE_NO_PAD.encode(claims.to_string());
    let input = format!("{header}.{payload}");
    let signature = sign(alg, key, &input);
    format!("{input}.{signature}")
}

async fn forged_and_stale_tokens_are_refused(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("小区甲");
    let secretary = app.staff("sec", Role::Secretary, &estate).await;
    let claims: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(secretary.token.split('.').nth(1).expect("payload"))
            .expect("base64"),
    )
    .expect("JSON");
    let units = format!("{}/api/v1/estates/{estate}/units", app.base);
    let call = |token: String| {
        let request = app
            .http
            .get(&units)
            .bearer_auth(token)
            .header("accept-language", "en");
        async move {
            let response = request.send().await.expect("send");
            (
                response.status().as_u16(),
                response.json::<Value>().await.unwrap_or_default(),
            )
        }
    };
    // The forging itself is right: the same claims signed the server's way are accepted.
    let key = token_key();
    assert_eq!(
        call(forge("HS256", &claims, &key)).await.0,
        200,
        "the test's forgery must match the server's tokens"
    );

    let now = chrono::Utc::now().timestamp();
    let mut expired = claims.clone();
    expired["iat"] = json!(now - 7200);
    expired["exp"] = json!(now - 600);
    let mut promoted = claims.clone();
    promoted["role"] = json!("admin");
    let (header, payload, _) = {
        let mut parts = secretary.token.split('.');
        (
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
            parts.next(),
        )
    };
    let cases = [
        (
            "a wrong signature",
            forge("HS256", &claims, b"a key that is not the server's key!!"),
        ),
        (
            "claims changed under the signature",
            format!(
                "{header}.{}.{}",
                URL_SAFE_NO_PAD.encode(promoted.to_string()),
                secretary.token.rsplit('.').next().unwrap_or_default()
            ),
        ),
        ("no signature", format!("{header}.{payload}.")),
        ("an expired token", forge("HS256", &expired, &key)),
        ("alg none", forge("none", &claims, &key)),
        ("alg None", forge("None", &claims, &key)),
        (
            "HS512 with the server's own key",
            forge("HS512", &claims, &key),
        ),
        (
            "HS384 with the server's own key",
            forge("HS384", &claims, &key),
        ),
        (
            "RS256 claimed, HMAC signature",
            forge("HS256", &claims, &key).replacen(
                &URL_SAFE_NO_PAD.encode(json!({ "alg": "HS256", "typ": "JWT" }).to_string()),
                &URL_SAFE_NO_PAD.encode(json!({ "alg": "RS256", "typ": "JWT" }).to_string()),
                1,
            ),
        ),
        ("not a token", "not.a.token".to_owned()),
    ];
    for (what, token) in cases {
        let (status, body) = call(token).await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (401, Some("bad_token")),
            "{what}: {body}"
        );
        assert_eq!(
            body["error"]["message"],
            Msg::BadToken.text(Lang::En),
            "{what}"
        );
    }
}

/// Sends a request head and the first `sent` bytes of its body over a raw connection, then
/// waits (at most 10 s) for the answer without sending the rest: an answer proves the server
/// did not wait for the whole body. Returns the status and the JSON body of the answer.
fn answer_before_the_body_ends(base: &str, head: &str, sent: &[u8]) -> (u16, Value) {
    let address = base.trim_start_matches("http://");
    let mut stream = std::net::TcpStream::connect(address).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    stream.write_all(head.as_bytes()).expect("head");
    // The server may answer and close while the body is still being written.
    let _ = stream.write_all(sent);
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => {
                received.extend_from_slice(buffer.get(..n).unwrap_or_default());
                let text = String::from_utf8_lossy(&received).into_owned();
                if let Some((head, body)) = text.split_once("\r\n\r\n") {
                    let length = head.lines().find_map(|l| {
                        l.to_ascii_lowercase()
                            .strip_prefix("content-length:")
                            .map(|v| v.trim().parse::<usize>().unwrap_or(0))
                    });
                    if length.is_some_and(|l| body.len() >= l) {
                        break;
                    }
                }
            }
            Err(e) => panic!(
                "no answer before the body ended ({e}); received so far: {:?}",
                String::from_utf8_lossy(&received)
            ),
        }
    }
    let text = String::from_utf8_lossy(&received).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, serde_json::from_str(body).unwrap_or(Value::Null))
}

async fn oversized_bodies_are_refused_before_being_read(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("小区甲");
    let secretary = app.staff("sec", Role::Secretary, &estate).await;
    let base = app.base.clone();
    let token = secretary.token.clone();
    let estate_id = estate.clone();
    let host = base.trim_start_matches("http://").to_owned();
    let (json_limit, upload_limit) = (BODY_LIMITS.json_bytes, BODY_LIMITS.upload_bytes);
    let results = tokio::task::spawn_blocking(move || {
        // A JSON body declared at 50 MB, of which 1 KB is sent.
        let json_head = format!(
            "POST /api/v1/estates/{estate}/assemblies HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\nAccept-Language: en\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n"
        );
        let declared_json = answer_before_the_body_ends(&base, &json_head, &[b' '; 1024]);
        // A roster declared at 200 MB, of which 64 KB is sent.
        let upload_head = format!(
            "PUT /api/v1/estates/{estate}/roster?name=big.csv HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\nAccept-Language: en\r\nContent-Type: text/csv\r\nContent-Length: 200000000\r\n\r\n"
        );
        let declared_upload = answer_before_the_body_ends(&base, &upload_head, &vec![b'1'; 64 * 1024]);
        // A chunked JSON body with no declared length: refused once it passes the limit, the
        // final chunk never sent.
        let chunked_head = format!(
            "POST /api/v1/estates/{estate}/assemblies HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\nAccept-Language: en\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
        );
        let mut chunks = Vec::new();
        for _ in 0..(json_limit / 8192 + 2) {
            chunks.extend_from_slice(format!("{:x}\r\n", 8192).as_bytes());
            chunks.extend_from_slice(&[b' '; 8192]);
            chunks.extend_from_slice(b"\r\n");
        }
        let chunked = answer_before_the_body_ends(&base, &chunked_head, &chunks);
        (declared_json, declared_upload, chunked)
    })
    .await
    .expect("raw requests");
    let (declared_json, declared_upload, chunked) = results;
    for ((status, body), limit, what) in [
        (declared_json, json_limit, "declared JSON"),
        (declared_upload, upload_limit, "declared upload"),
        (chunked, json_limit, "chunked JSON"),
    ] {
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (413, Some("body_too_large")),
            "{what}: {body}"
        );
        assert_eq!(
            body["error"]["message"],
            Msg::BodyTooLarge.text(Lang::En),
            "{what}"
        );
        let detail = body["error"]["detail"].as_str().unwrap_or_default();
        assert!(
            detail.contains(&format!("{limit} bytes")),
            "{what}: the error names the limit: {detail}"
        );
    }
    // A route that reads its (optional) body raw has the same limit and the same error.
    let response = app
        .http
        .post(format!(
            "{}/api/v1/assemblies/no-such-assembly/close",
            app.base
        ))
        .bearer_auth(&secretary.token)
        .header("accept-language", "en")
        .header("content-type", "application/json")
        .body(format!("{{\"reason\": \"{}\"}}", "x".repeat(json_limit)))
        .send()
        .await
        .expect("send");
    assert_eq!(response.status().as_u16(), 413);
    let body: Value = response.json().await.unwrap_or_default();
    assert_eq!(body["error"]["code"], "body_too_large", "{body}");
    assert!(
        body["error"]["detail"]
            .as_str()
            .unwrap_or_default()
            .contains(&format!("{json_limit} bytes")),
        "{body}"
    );

    // The refused upload stored nothing; the server still answers on a new connection.
    let units = secretary
        .get(&format!("/api/v1/estates/{estate_id}/units"))
        .await
        .expect(200);
    assert_eq!(units, json!([]));
}

/// Wrong passwords are 401; after the per-client limit even the right one is refused (429).
async fn failed_logins_are_limited(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("小区甲");
    app.staff("wang", Role::Secretary, &estate).await;
    let anonymous = app.anonymous();
    for _ in 0..LOGIN_FAILURES_PER_IP {
        anonymous
            .post(
                "/api/v1/sessions",
                json!({ "login": "wang", "password": "not the password at all" }),
            )
            .await
            .refused(401, "bad_credentials");
    }
    anonymous
        .post(
            "/api/v1/sessions",
            json!({ "login": "wang", "password": "wang-password-long-enough" }),
        )
        .await
        .refused(429, "too_many_attempts");
}

e2e!(
    every_response_carries_the_security_headers,
    forged_and_stale_tokens_are_refused,
    oversized_bodies_are_refused_before_being_read,
    failed_logins_are_limited
);
