//! Secrets and personal data never reach the logs, even at `--log trace` (issue 9, access and
//! data protection), and exports and announcements carry no phone numbers or e-mail addresses,
//! names only masked and only where the estate's roll is public.
//!
//! One real `gongjue serve` with every log line captured, an SMTP relay (a scripted one in
//! this test) that asks for a password, and everything that handles a secret: staff sign-in
//! (right and wrong passwords), the roster with names, phones and e-mails, issuing codes and
//! mailing them, owner sign-in with a code (API, the voting link `/v/{code}`, the code form),
//! wrong codes, bearer tokens, a ballot, the publication, the announcement and the export.

#![allow(clippy::indexing_slicing, clippy::unwrap_used, clippy::expect_used)]

#[allow(dead_code)]
mod live;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use reqwest::Method;
use serde_json::json;

const SMTP_PASSWORD: &str = "Relay-S3cret-Pw-7741";
const WRONG_PASSWORD: &str = "Wrong-Passw0rd-9182";
const WRONG_CODE: &str = "ZZZZ-ZZZZ-ZZZ9";

/// Owners whose names, phones and e-mails must never be logged (each one distinctive).
const ROSTER: &str = "zone,building,stairwell,unit,floor,area_m2,owner_id,owner_name,phone,email
,1,1,101,1,100.00,P1,欧阳明华,13812345671,ouyang.minghua@example.org
,1,1,102,1,100.00,P2,司马光耀,13912345672,sima.guangyao@example.org
,1,1,201,2,120.00,P3,Johnathan Appleseed,+86 139 8765 4321,j.appleseed@example.net
,2,1,101,1,80.00,P4,诸葛亮亮,,
,2,1,102,1,80.00,P5,上官晓月,,
,2,1,201,2,80.00,P6,慕容云海,,
";
const NAMES: [&str; 6] = [
    "欧阳明华",
    "司马光耀",
    "Johnathan Appleseed",
    "诸葛亮亮",
    "上官晓月",
    "慕容云海",
];
const PHONES: [&str; 4] = [
    "13812345671",
    "13912345672",
    "+86 139 8765 4321",
    "13987654321",
];
const EMAILS: [&str; 3] = [
    "ouyang.minghua@example.org",
    "sima.guangyao@example.org",
    "j.appleseed@example.net",
];

/// A relay that asks for AUTH and accepts every message; it records what it was told.
fn scripted_relay() -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let record = record.clone();
            std::thread::spawn(move || {
                let mut out = stream.try_clone().unwrap();
                let mut lines = BufReader::new(stream);
                let _ = out.write_all(b"220 relay.test ESMTP\r\n");
                let mut in_data = false;
                let mut line = String::new();
                while lines.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
                    let command = line.trim_end().to_owned();
                    record.lock().unwrap().push(command.clone());
                    line.clear();
                    let reply: &[u8] = if in_data {
                        if command == "." {
                            in_data = false;
                            b"250 queued\r\n"
                        } else {
                            continue;
                        }
                    } else {
                        match command.get(..4).map(str::to_ascii_uppercase).as_deref() {
                            Some("EHLO") => {
                                b"250-relay.test\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n"
                            }
                            Some("AUTH") => b"235 authenticated\r\n",
                            Some("DATA") => {
                                in_data = true;
                                b"354 go on\r\n"
                            }
                            Some("QUIT") => {
                                let _ = out.write_all(b"221 bye\r\n");
                                break;
                            }
                            _ => b"250 ok\r\n",
                        }
                    };
                    if out.write_all(reply).is_err() {
                        break;
                    }
                }
            });
        }
    });
    (port, seen)
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Every form in which a secret could appear in a log line.
fn forms(secret: &str) -> Vec<String> {
    let mut forms = vec![secret.to_owned(), base64(secret.as_bytes())];
    let compact: String = secret
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    if compact.len() >= 8 && compact != secret {
        forms.push(compact);
    }
    forms
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn secrets_and_personal_data_never_reach_the_logs() {
    let dir = live::temp_dir("secrets");
    let estate = live::bootstrap(&dir, &[]);
    let (relay_port, relay) = scripted_relay();
    let relay_port = relay_port.to_string();
    let server = live::Server::start(
        &dir,
        &[
            "--log",
            "trace",
            "--mail-transport",
            "smtp",
            "--smtp-host",
            "127.0.0.1",
            "--smtp-port",
            &relay_port,
            "--smtp-tls",
            "none",
            "--smtp-user",
            "gongjue-relay-user",
            "--mail-poll-seconds",
            "1",
            "--mail-retry-seconds",
            "1",
            "--public-url",
            "http://vote.example.test",
        ],
        &[("GONGJUE_SMTP_PASSWORD", SMTP_PASSWORD)],
    );
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    // Staff: a wrong password, then the right one; the token used as a bearer from then on.
    let (status, _, _) = server
        .call(
            Method::POST,
            "/sessions",
            None,
            Some(json!({ "login": "wang", "password": WRONG_PASSWORD })),
        )
        .await;
    assert_eq!(status, 401);
    let token = server.sign_in().await;
    let (assembly, motion, codes) = server.open_assembly(&token, &estate, ROSTER, true).await;
    // P4, P5, P6 have no e-mail address: their codes are answered to be printed; the other
    // three codes went to their owners' addresses only (collected below from the relay).
    assert_eq!(codes.len(), 3);

    // Owners: through the API, the voting link and the code form; a wrong code in each way.
    let (status, _, _) = server
        .call(
            Method::POST,
            "/owner-sessions",
            None,
            Some(json!({ "code": WRONG_CODE, "assembly_id": assembly })),
        )
        .await;
    assert_eq!(status, 401);
    let owner = server.owner(&assembly, &codes[0].1).await;
    let cast = json!({ "votes": [{ "item": motion, "choice": "yes" }] });
    let (status, body, _) = server
        .call(
            Method::PUT,
            &format!("/assemblies/{assembly}/ballot"),
            Some(&owner),
            Some(cast),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let link = http
        .get(server.url(&format!("/v/{}", codes[1].1)))
        .send()
        .await
        .unwrap();
    assert!(
        link.status().is_redirection() || link.status().is_success(),
        "{}",
        link.status()
    );
    let wrong_link = http
        .get(server.url(&format!("/v/{WRONG_CODE}")))
        .send()
        .await
        .unwrap();
    assert!(wrong_link.status().as_u16() < 500);
    let form = http.get(server.url("/vote")).send().await.unwrap();
    let cookie = form
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .map(|v| v.split(';').next().unwrap_or("").to_owned())
        .collect::<Vec<_>>()
        .join("; ");
    let page = form.text().await.unwrap();
    let csrf = page
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_default()
        .to_owned();
    let posted = http
        .post(server.url("/vote"))
        .header("cookie", cookie)
        .form(&[("csrf", csrf.as_str()), ("code", codes[2].1.as_str())])
        .send()
        .await
        .unwrap();
    assert!(
        posted.status().is_redirection(),
        "the code form signs in: {}",
        posted.status()
    );

    // Every invitation reached the relay, which was asked for the password.
    let expected_auth = base64(format!("\0gongjue-relay-user\0{SMTP_PASSWORD}").as_bytes());
    for _ in 0..100 {
        let seen = relay.lock().unwrap().clone();
        if seen.iter().any(|l| l.contains(&expected_auth))
            && seen.iter().filter(|l| *l == ".").count() >= 6
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let seen = relay.lock().unwrap().clone();
    assert!(
        seen.iter().any(|l| l.contains(&expected_auth)),
        "the relay was given the password: {seen:?}"
    );
    assert!(
        seen.iter().filter(|l| *l == ".").count() >= 6,
        "announcements and invitations went out: {seen:?}"
    );

    // Closing publishes the preliminary result; the announcement and the export then exist.
    let (status, body, _) = server
        .call(
            Method::POST,
            &format!("/assemblies/{assembly}/close"),
            Some(&token),
            Some(json!({ "reason": "test: all in" })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, csv) = server
        .text(&format!("/assemblies/{assembly}/announcement.csv"), &token)
        .await;
    assert_eq!(status, 200, "{csv}");
    let (status, html) = server
        .text(&format!("/assemblies/{assembly}/announcement.html"), &token)
        .await;
    assert_eq!(status, 200, "{html}");
    let (status, publication) = server
        .text(&format!("/assemblies/{assembly}/publication"), &token)
        .await;
    assert_eq!(status, 200, "{publication}");
    let (status, body, _) = server
        .call(
            Method::POST,
            &format!("/assemblies/{assembly}/publication/final"),
            Some(&token),
            Some(json!({})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, export) = server
        .text(&format!("/items/{motion}/export"), &token)
        .await;
    assert_eq!(status, 200, "{export}");
    assert!(
        csv.contains("欧**华"),
        "the public roll shows masked names: {csv}"
    );
    for (what, text) in [
        ("announcement.csv", &csv),
        ("announcement.html", &html),
        ("publication", &publication),
        ("export", &export),
    ] {
        for secret in NAMES.iter().chain(PHONES.iter()).chain(EMAILS.iter()) {
            assert!(!text.contains(secret), "{what} holds {secret}");
        }
    }
    assert!(
        !export.contains("欧**华"),
        "the export names nobody, not even masked"
    );

    // Where the roll is not public, the announcement names nobody, not even masked.
    let (private, _, private_codes) = server.open_assembly(&token, &estate, ROSTER, false).await;
    let (status, body, _) = server
        .call(
            Method::POST,
            &format!("/assemblies/{private}/close"),
            Some(&token),
            Some(json!({ "reason": "test: all in" })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, private_csv) = server
        .text(&format!("/assemblies/{private}/announcement.csv"), &token)
        .await;
    assert_eq!(status, 200, "{private_csv}");
    let (status, private_html) = server
        .text(&format!("/assemblies/{private}/announcement.html"), &token)
        .await;
    assert_eq!(status, 200, "{private_html}");
    for text in [&private_csv, &private_html] {
        for name in [
            "欧**华",
            "司**耀",
            "J******** A********",
            "诸**亮",
            "上**月",
            "慕**海",
        ]
        .iter()
        .chain(NAMES.iter())
        .chain(PHONES.iter())
        .chain(EMAILS.iter())
        {
            assert!(
                !text.contains(name),
                "a pseudonymous roll shows {name}: {text}"
            );
        }
    }

    let secret_key = std::fs::read_to_string(dir.join("data/secret.key"))
        .unwrap()
        .trim()
        .to_owned();
    let log = server.stop();
    assert!(
        log.lines().count() > 100 && log.contains("TRACE"),
        "the log is at its most verbose:\n{log}"
    );
    let mut secrets: Vec<(&str, String)> = vec![
        ("staff password", live::PASSWORD.to_owned()),
        ("wrong password", WRONG_PASSWORD.to_owned()),
        ("SMTP password", SMTP_PASSWORD.to_owned()),
        ("server secret", secret_key),
        ("wrong code", WRONG_CODE.to_owned()),
        ("staff token", token.clone()),
        (
            "staff token's signature",
            token.rsplit('.').next().unwrap().to_owned(),
        ),
        ("owner token", owner.clone()),
        (
            "owner token's signature",
            owner.rsplit('.').next().unwrap().to_owned(),
        ),
    ];
    secrets.extend(
        codes
            .iter()
            .chain(private_codes.iter())
            .map(|(_, code)| ("voting code", code.clone())),
    );
    // The e-mailed codes, as the relay received them in the invitations.
    let sent = relay.lock().unwrap().join("\n");
    let mailed: Vec<String> = sent
        .split("\nDATA\n")
        .skip(1)
        .filter_map(live::code_in_eml)
        .collect();
    assert!(mailed.len() >= 3, "the invitations' codes: {mailed:?}");
    secrets.extend(
        mailed
            .into_iter()
            .map(|code| ("e-mailed voting code", code)),
    );
    secrets.extend(
        NAMES
            .iter()
            .chain(PHONES.iter())
            .chain(EMAILS.iter())
            .map(|s| ("personal data", (*s).to_owned())),
    );
    let mut leaks = Vec::new();
    for (what, secret) in &secrets {
        for form in forms(secret) {
            if let Some(line) = log.lines().find(|l| l.contains(&form)) {
                leaks.push(format!("{what} ({form}) in: {line}"));
            }
        }
    }
    assert!(
        leaks.is_empty(),
        "leaks in the log at --log trace:\n{}",
        leaks.join("\n")
    );
    let _ = std::fs::remove_dir_all(&dir);
}
