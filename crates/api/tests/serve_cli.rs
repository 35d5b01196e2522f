//! `gongjue admin` and `gongjue serve` as an operator runs them: a fresh directory, the
//! defaults (SQLite and the secret under ./data/), a sign-in over HTTP, and SIGTERM.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

fn gongjue(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gongjue"));
    command
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1");
    command
}

fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "gongjue-serve-{}-{}",
        std::process::id(),
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// A log line read from the server's pipe: plain text, since colour is for terminals only.
fn plain(line: &str) -> String {
    assert!(
        !line.contains('\u{1b}'),
        "a piped log carries no ANSI colour codes: {line:?}"
    );
    line.to_owned()
}

fn post(port: u16, path: &str, body: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(stream, "POST {path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}", body.len()).unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    let status = response
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, response)
}

#[test]
fn an_operator_bootstraps_serves_and_stops() {
    let dir = temp_dir();
    let out = gongjue(&dir)
        .args(["admin", "create-estate", "--name", "湖畔花园"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let estate = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert!(
        dir.join("data/gongjue.db").exists(),
        "the default database is ./data/gongjue.db"
    );

    let bad = gongjue(&dir)
        .args([
            "admin",
            "create-user",
            "--login",
            "x",
            "--role",
            "boss",
            "--estate",
            &estate,
        ])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown role"));

    let mut create = gongjue(&dir)
        .args([
            "admin",
            "create-user",
            "--login",
            "wang",
            "--role",
            "secretary",
            "--estate",
            &estate,
            "--password-stdin",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    create
        .stdin
        .take()
        .unwrap()
        .write_all(b"first-password-2026\n")
        .unwrap();
    assert!(create.wait().unwrap().success());
    let reset = gongjue(&dir)
        .args(["admin", "reset-password", "--login", "wang"])
        .output()
        .unwrap();
    assert!(reset.status.success());
    let reset = String::from_utf8(reset.stdout).unwrap();
    let password = reset
        .trim()
        .strip_prefix("password: ")
        .expect("a generated password is printed")
        .to_owned();

    let mut server = gongjue(&dir)
        .args(["serve", "--bind", "127.0.0.1:0", "--workers", "1"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(server.stdout.take().unwrap()).lines();
    let port: u16 = loop {
        let line = plain(&lines.next().expect("the server logs its address").unwrap());
        if let Some(rest) = line.split("address=").nth(1) {
            break rest
                .split_whitespace()
                .next()
                .unwrap()
                .rsplit(':')
                .next()
                .unwrap()
                .parse()
                .unwrap();
        }
    };
    assert!(
        dir.join("data/secret.key").exists(),
        "the secret is created on first start"
    );

    let (status, _) = post(
        port,
        "/api/v1/sessions",
        &format!("{{\"login\":\"wang\",\"password\":\"{password}\"}}"),
    );
    assert_eq!(status, 200);
    let (status, body) = post(
        port,
        "/api/v1/sessions",
        "{\"login\":\"wang\",\"password\":\"first-password-2026\"}",
    );
    assert_eq!(status, 401, "the reset replaced the old password: {body}");

    let killed = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = server.wait().unwrap();
    assert!(status.success(), "a graceful stop exits 0: {status:?}");
    let rest: Vec<String> = lines.map_while(Result::ok).map(|l| plain(&l)).collect();
    assert!(rest.iter().any(|l| l.contains("stopped")), "{rest:?}");
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn serve_help_documents_every_setting() {
    let out = gongjue(&std::env::temp_dir())
        .args(["serve", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    for flag in [
        "--config",
        "GONGJUE_CONFIG",
        "--bind",
        "127.0.0.1:8080",
        "--database-url",
        "DATABASE_URL",
        "sqlite://./data/gongjue.db",
        "--secret-file",
        "--token-ttl-minutes",
        "--workers",
        "--json-limit-kib",
        "--upload-limit-mib",
        "--code-failures-per-ip",
        "--code-failures-per-assembly",
        "--login-failures-per-ip",
        "--attempt-window-minutes",
        "--trusted-proxies",
        "GONGJUE_TRUSTED_PROXIES",
        "--shutdown-timeout-seconds",
        "--log",
    ] {
        assert!(
            help.contains(flag),
            "{flag} missing from `gongjue serve --help`"
        );
    }
}
