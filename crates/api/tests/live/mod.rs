//! A real `gongjue serve` child process in a directory of its own, its logs captured (in
//! memory: a full disk under test must not cost the log), and the few HTTP calls that set up an
//! open assembly. Shared by `full_disk.rs` and `secrets_unlogged.rs`, and under `serving/` by
//! the crash and scale-out tests.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

pub const PASSWORD: &str = "Secretary-Passw0rd-2026";

pub fn gongjue(dir: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gongjue"));
    command
        .current_dir(dir)
        .env_remove("DATABASE_URL")
        .env_remove("RUST_LOG")
        .env("NO_COLOR", "1");
    command
}

pub fn temp_dir(tag: &str) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!("gongjue-{tag}-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `gongjue admin create-estate` and a secretary with `PASSWORD`, on the database of `dir`.
pub fn bootstrap(dir: &Path, db_args: &[&str]) -> String {
    let out = gongjue(dir)
        .args(["admin", "create-estate", "--name", "湖畔花园", "--trial"])
        .args(db_args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let estate = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let mut create = gongjue(dir)
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
        .args(db_args)
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    create
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .unwrap();
    assert!(create.wait().unwrap().success());
    estate
}

pub struct Server {
    child: Child,
    pub port: u16,
    log: Arc<Mutex<String>>,
    http: reqwest::Client,
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn capture(
    stream: impl Read + Send + 'static,
    log: Arc<Mutex<String>>,
    port: Option<std::sync::mpsc::Sender<u16>>,
) {
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines().map_while(Result::ok) {
            let line = strip_ansi(&line);
            if let (Some(tx), Some(rest), true) = (
                &port,
                line.split("address=").nth(1),
                line.contains("listening"),
            ) && let Some(p) = rest
                .split_whitespace()
                .next()
                .and_then(|a| a.rsplit(':').next())
                .and_then(|p| p.parse().ok())
            {
                let _ = tx.send(p);
            }
            let mut log = log.lock().unwrap();
            log.push_str(&line);
            log.push('\n');
        }
    });
}

impl Server {
    /// Starts `gongjue serve` on port 0 in `dir` with `args`; every line it prints is kept.
    pub fn start(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> Server {
        Server::start_on(dir, 0, args, env)
    }

    /// [`Server::start`] on `port` (0: any free one), e.g. the port of a server killed before.
    pub fn start_on(dir: &Path, port: u16, args: &[&str], env: &[(&str, &str)]) -> Server {
        let mut command = gongjue(dir);
        let bind = format!("127.0.0.1:{port}");
        command
            .args(["serve", "--bind", &bind, "--workers", "2"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        for (k, v) in env {
            command.env(k, v);
        }
        let mut child = command.spawn().unwrap();
        let log = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        capture(child.stdout.take().unwrap(), log.clone(), Some(tx.clone()));
        capture(child.stderr.take().unwrap(), log.clone(), Some(tx));
        let port = rx
            .recv_timeout(Duration::from_secs(60))
            .unwrap_or_else(|_| panic!("the server did not start: {}", log.lock().unwrap()));
        Server {
            child,
            port,
            log,
            http: reqwest::Client::new(),
        }
    }

    pub fn log(&self) -> String {
        self.log.lock().unwrap().clone()
    }

    /// The server's process id (e.g. to read `/proc/PID/status`).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    pub fn alive(&mut self) -> bool {
        self.child.try_wait().unwrap().is_none()
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn base(&self) -> String {
        self.url("")
    }

    /// `kill -9`: no shutdown, no flushing, whatever was in flight is cut off.
    pub fn kill_hard(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// A JSON call under `/api/v1`: status, body (Null when not JSON) and headers.
    pub async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value, reqwest::header::HeaderMap) {
        let mut request = self
            .http
            .request(method, self.url(&format!("/api/v1{path}")))
            .header("accept-language", "en");
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request
            .send()
            .await
            .unwrap_or_else(|e| panic!("the server answers: {e}\n{}", self.log()));
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap_or_default();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::Null),
            headers,
        )
    }

    pub async fn text(&self, path: &str, token: &str) -> (u16, String) {
        let response = self
            .http
            .get(self.url(&format!("/api/v1{path}")))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }

    pub async fn sign_in(&self) -> String {
        let (status, body, _) = self
            .call(
                reqwest::Method::POST,
                "/sessions",
                None,
                Some(json!({ "login": "wang", "password": PASSWORD })),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body["token"].as_str().unwrap().to_owned()
    }

    /// Roster, an assembly (public roll as asked) with one motion, announced, opened, codes
    /// issued: (assembly id, motion id, owner id → code).
    pub async fn open_assembly(
        &self,
        token: &str,
        estate: &str,
        roster: &str,
        public_roll: bool,
    ) -> (String, String, Vec<(String, String)>) {
        let response = self
            .http
            .put(self.url(&format!("/api/v1/estates/{estate}/roster?name=roster.csv")))
            .bearer_auth(token)
            .header("content-type", "text/csv")
            .body(roster.to_owned())
            .send()
            .await
            .unwrap();
        assert_eq!(
            response.status().as_u16(),
            200,
            "{}",
            response.text().await.unwrap()
        );
        let opens = chrono::Utc::now() + chrono::Duration::milliseconds(1500);
        let closes = chrono::Utc::now() + chrono::Duration::hours(2);
        let post = reqwest::Method::POST;
        let (status, assembly, _) = self
            .call(
                post.clone(),
                &format!("/estates/{estate}/assemblies"),
                Some(token),
                Some(json!({ "title": "2026年第一次业主大会会议", "opens_at": opens.to_rfc3339(), "closes_at": closes.to_rfc3339(),
                    "notice_days": 0, "objection_days": 0, "ballots_changeable": true, "public_roll": public_roll })),
            )
            .await;
        assert_eq!(status, 201, "{assembly}");
        let assembly = assembly["id"].as_str().unwrap().to_owned();
        let (status, motion, _) = self
            .call(
                post.clone(),
                &format!("/assemblies/{assembly}/items"),
                Some(token),
                Some(json!({ "kind": "motion", "title": "续聘物业服务企业", "matter": 4 })),
            )
            .await;
        assert_eq!(status, 201, "{motion}");
        let motion = motion["id"].as_str().unwrap().to_owned();
        let (status, body, _) = self
            .call(
                post.clone(),
                &format!("/assemblies/{assembly}/announce"),
                Some(token),
                Some(json!({})),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        tokio::time::sleep(
            (opens - chrono::Utc::now()).to_std().unwrap_or_default() + Duration::from_millis(100),
        )
        .await;
        let (status, body, _) = self
            .call(
                post.clone(),
                &format!("/assemblies/{assembly}/open"),
                Some(token),
                Some(json!({})),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (status, codes, _) = self
            .call(
                post,
                &format!("/assemblies/{assembly}/codes"),
                Some(token),
                Some(json!({})),
            )
            .await;
        assert_eq!(status, 201, "{codes}");
        // Only the codes of owners without an e-mail address are answered (to be printed); a
        // code e-mailed to its owner is never shown to staff.
        let codes = codes
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|c| {
                Some((
                    c["voter"].as_str().unwrap().to_owned(),
                    c["code"].as_str()?.to_owned(),
                ))
            })
            .collect();
        (assembly, motion, codes)
    }

    pub async fn owner(&self, assembly: &str, code: &str) -> String {
        let (status, body, _) = self
            .call(
                reqwest::Method::POST,
                "/owner-sessions",
                None,
                Some(json!({ "code": code, "assembly_id": assembly })),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body["token"].as_str().unwrap().to_owned()
    }

    pub fn stop(mut self) -> String {
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let _ = self.child.wait();
        std::thread::sleep(Duration::from_millis(100));
        self.log()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill_hard();
    }
}

/// The code of the voting link `/v/{code}` in a delivered message (an `.eml` file, or what a
/// relay was sent): its `text/plain` part, base64 or quoted-printable, as the owner reads it.
#[allow(dead_code)] // not every test that starts a server reads its mail
pub fn code_in_eml(eml: &str) -> Option<String> {
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
        // Quoted-printable or plain: soft line breaks joined (the code is plain ASCII).
        body.replace("=\n", "")
    };
    let (_, rest) = text.split_once("/v/")?;
    let code: String = rest
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect();
    (!code.is_empty()).then_some(code)
}
