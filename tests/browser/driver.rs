//! A headless Chromium driven over WebDriver: chromedriver started on a port of its choosing with a fresh
//! profile, the window 360 px wide (a small phone), screenshots saved for people to look at.
//!
//! Without chromedriver the tests are skipped loudly, unless `GONGJUE_REQUIRE_BROWSER=1`
//! (as in CI), where a missing browser fails them.
//!
//! Every page a test opens (`goto`, `follow`) is checked with axe-core, injected through the
//! WebDriver session from `tests/browser/node_modules` (`npm ci --prefix tests/browser`): any
//! violation of its rules, best practices included, fails the test. Without axe-core the tests
//! are skipped loudly too, and fail where the browser is required.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{Map, Value, json};

pub const WIDTH: u32 = 360;
pub const HEIGHT: u32 = 1000;

fn find(env: &str, names: &[&str]) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(env) {
        return Some(PathBuf::from(path)).filter(|p| p.is_file());
    }
    let dirs = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&dirs)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|p| p.is_file())
}

/// axe-core's script: `$GONGJUE_AXE`, else the copy npm installed beside these tests.
fn axe_source() -> Option<String> {
    let path = std::env::var_os("GONGJUE_AXE").map_or_else(
        || {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/browser/node_modules/axe-core/axe.min.js")
        },
        PathBuf::from,
    );
    std::fs::read_to_string(path).ok()
}

pub struct Browser {
    pub client: Client,
    axe: String,
    /// The emulated phone's width in CSS pixels.
    width: u32,
    driver: Child,
    profile: PathBuf,
    shots: PathBuf,
}

/// Starts chromedriver and a browser session, or says loudly why not (`None`: skip).
pub async fn start() -> Option<Browser> {
    start_sized(WIDTH).await
}

/// The same, on a phone `width` px wide (320: the narrowest phones still in use).
pub async fn start_sized(width: u32) -> Option<Browser> {
    let required = std::env::var("GONGJUE_REQUIRE_BROWSER").is_ok_and(|v| v == "1");
    let (Some(driver), Some(chromium)) = (
        find("GONGJUE_CHROMEDRIVER", &["chromedriver"]),
        find(
            "GONGJUE_CHROMIUM",
            &["chromium", "chromium-browser", "google-chrome"],
        ),
    ) else {
        assert!(
            !required,
            "GONGJUE_REQUIRE_BROWSER=1 but chromedriver or chromium is not installed (apt-get install chromium chromium-driver)"
        );
        eprintln!(
            "\n\n!!!! SKIPPED: browser tests need chromium and chromedriver (apt-get install chromium chromium-driver) !!!!\n\n"
        );
        return None;
    };
    let Some(axe) = axe_source() else {
        assert!(
            !required,
            "GONGJUE_REQUIRE_BROWSER=1 but axe-core is not installed (npm ci --prefix tests/browser)"
        );
        eprintln!(
            "\n\n!!!! SKIPPED: browser tests need axe-core (npm ci --prefix tests/browser) !!!!\n\n"
        );
        return None;
    };
    // Its own process group, so that the browsers it starts can be stopped with it. It picks its
    // own port (`--port=0`) and says which: a port chosen here and released before chromedriver
    // binds it can be taken meanwhile by a test's server, whose later exit refused our session.
    let mut child = Command::new(&driver)
        .arg("--port=0")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .process_group(0)
        .spawn()
        .expect("starting chromedriver");
    let stdout = child.stdout.take().expect("chromedriver's output");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // Reads on to the end, so that chromedriver never blocks on a full pipe.
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(port) = line
                .split_once("started successfully on port ")
                .and_then(|(_, rest)| rest.trim_end_matches('.').trim().parse::<u16>().ok())
            {
                let _ = tx.send(port);
            }
        }
    });
    let port = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("chromedriver said on which port it listens");
    let profile = std::env::temp_dir().join(format!("gongjue-chromium-{}", uuid::Uuid::now_v7()));
    let args = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
    ]
    .iter()
    .map(|a| (*a).to_owned())
    .chain([
        format!("--user-data-dir={}", profile.display()),
        format!("--window-size={width},{HEIGHT}"),
    ])
    .collect::<Vec<_>>();
    let mut caps = Map::new();
    caps.insert("goog:chromeOptions".into(), json!({
            "binary": chromium.display().to_string(),
            "args": args,
            // Headless windows are at least 500 px wide; the phone's viewport is emulated.
            "mobileEmulation": { "deviceMetrics": { "width": width, "height": HEIGHT, "pixelRatio": 1.0, "touch": false } },
        }));
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(caps)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a browser session");
    let shots = std::env::var_os("GONGJUE_SCREENSHOTS").map_or_else(
        || {
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("target")
                .join("screenshots")
        },
        PathBuf::from,
    );
    std::fs::create_dir_all(&shots).expect("the screenshot directory");
    Some(Browser {
        client,
        axe,
        width,
        driver: child,
        profile,
        shots,
    })
}

impl Browser {
    /// Opens `url` and checks the page with axe-core.
    pub async fn goto(&self, url: &str) {
        self.client.goto(url).await.expect("navigating");
        self.assert_accessible().await;
    }

    /// axe-core's rules (WCAG 2.x A and AA, and its best practices: one `<h1>`, landmarks,
    /// heading order) on the page shown now; any violation fails, listed with the elements it
    /// was found on. A document that is not HTML (a CSV or PDF shown by the browser) is not a
    /// page of ours and is not checked.
    pub async fn assert_accessible(&self) {
        let html = self
            .client
            .execute("return document.contentType === 'text/html';", vec![])
            .await
            .expect("script");
        if html.as_bool() != Some(true) {
            return;
        }
        let loaded = self
            .client
            .execute("return typeof window.axe === 'object';", vec![])
            .await
            .expect("script");
        if loaded.as_bool() != Some(true) {
            self.client
                .execute(&self.axe, vec![])
                .await
                .expect("injecting axe-core");
        }
        let result = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { resultTypes: ['violations'] })
                    .then(r => done(r.violations.map(v => ({
                        id: v.id, impact: v.impact, help: v.help,
                        nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\\s+/g, ' ')),
                    }))))
                    .catch(e => done([{ id: 'axe-error', impact: 'critical', help: String(e), nodes: [] }]));",
                vec![],
            )
            .await
            .expect("running axe-core");
        let violations = result.as_array().cloned().unwrap_or_default();
        if violations.is_empty() {
            return;
        }
        let url = self
            .client
            .current_url()
            .await
            .map(|u| u.to_string())
            .unwrap_or_default();
        let list = violations
            .iter()
            .map(|v| {
                format!(
                    "- {} ({}): {}\n    {}",
                    value_str(&v["id"]),
                    value_str(&v["impact"]),
                    value_str(&v["help"]),
                    v["nodes"]
                        .as_array()
                        .map(|n| n.iter().map(value_str).collect::<Vec<_>>().join("\n    "))
                        .unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        panic!(
            "axe-core: {} violation(s) on {url}:\n{list}",
            violations.len()
        );
    }

    pub async fn text(&self) -> String {
        self.client
            .find(Locator::Css("body"))
            .await
            .expect("body")
            .text()
            .await
            .expect("text")
    }

    /// Clicks the element whose visible text contains `text` (a label, a button or a link).
    pub async fn click_text(&self, text: &str) {
        let xpath = format!(
            "//*[self::label or self::button or self::a][contains(normalize-space(.), '{text}')]"
        );
        self.client
            .find(Locator::XPath(&xpath))
            .await
            .unwrap_or_else(|e| panic!("no element with {text:?}: {e}"))
            .click()
            .await
            .expect("click");
    }

    /// Clicks a button or link by its text and waits until the next page has loaded.
    pub async fn follow(&self, text: &str) {
        self.client
            .execute("window.__gongjue_old_page = true;", vec![])
            .await
            .expect("marking the page");
        self.click_text(text).await;
        let started = Instant::now();
        loop {
            let loaded = self
                .client
                .execute(
                    "return !window.__gongjue_old_page && document.readyState === 'complete';",
                    vec![],
                )
                .await;
            if loaded.is_ok_and(|v| v.as_bool() == Some(true)) {
                self.assert_accessible().await;
                return;
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "no new page after clicking {text:?}"
            );
            tokio::time::sleep(Duration::from_millis(30)).await;
        }
    }

    /// Signs in on the staff login page as a test user (`{login}-password-long-enough`).
    pub async fn sign_in(&self, base: &str, login: &str) {
        self.sign_in_with(base, login, &format!("{login}-password-long-enough"))
            .await;
    }

    /// Signs in on the staff login page with `password`.
    pub async fn sign_in_with(&self, base: &str, login: &str, password: &str) {
        self.goto(&format!("{base}/staff/login")).await;
        self.fill("#login", login).await;
        self.fill("#password", password).await;
        self.follow("进入").await;
    }

    pub async fn fill(&self, css: &str, value: &str) {
        let field = self
            .client
            .find(Locator::Css(css))
            .await
            .unwrap_or_else(|e| panic!("no field {css}: {e}"));
        field.clear().await.expect("clear");
        field.send_keys(value).await.expect("typing");
    }

    /// The page fits the phone's window: nothing sticks out sideways.
    pub async fn assert_fits(&self, what: &str) {
        let widths = self
            .client
            .execute(
                "return [document.documentElement.scrollWidth, window.innerWidth];",
                vec![],
            )
            .await
            .expect("script");
        let (scroll, inner) = (
            widths[0].as_u64().unwrap_or(0),
            widths[1].as_u64().unwrap_or(0),
        );
        assert!(
            inner <= u64::from(self.width) && scroll <= inner,
            "{what}: page {scroll} px wide in a {inner} px window"
        );
    }

    /// Saves a screenshot of the window, as `NAME.png`.
    pub async fn shot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("a screenshot");
        std::fs::write(self.shots.join(format!("{name}.png")), png).expect("saving the screenshot");
    }

    /// Ends the browser session; chromedriver and the profile go with the drop.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

/// Also when a test fails half-way: no chromedriver is left running, no profile left behind.
impl Drop for Browser {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .arg("--")
            .arg(format!("-{}", self.driver.id()))
            .stderr(Stdio::null())
            .status();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

pub fn value_str(v: &Value) -> &str {
    v.as_str().unwrap_or_default()
}
