//! Hostile input found by the review (issue 15, item 7), each over HTTP against the real server:
//! an open redirect of the language switch, live formulas in the announcement's CSV,
//! bidirectional controls that show a unit or name other than it is, a flood of objections,
//! staff tokens that outlived a password reset, a paper sheet stored in part, and an auditor
//! told an assembly's state instead of being refused.

use std::collections::BTreeMap;

use clap::Parser;
use gongjue_store::users::Role;
use serde_json::{Value, json};

use crate::e2e;
use crate::helpers::{Assembly, SMALL_ROSTER, Session, TestApp, TestDb, spawn_app, web_assembly};

/// A browser without JavaScript: keeps cookies, does not follow redirects.
struct Browser {
    base: String,
    http: reqwest::Client,
    cookies: BTreeMap<String, String>,
}

struct Page {
    status: u16,
    location: Option<String>,
    html: String,
}

impl Page {
    fn hidden_fields(&self) -> Vec<(String, String)> {
        let mut fields = Vec::new();
        for chunk in self.html.split("<input type=\"hidden\" name=\"").skip(1) {
            let (name, rest) = chunk.split_once('"').unwrap();
            let value = rest
                .split_once("value=\"")
                .map(|(_, v)| v.split_once('"').unwrap().0)
                .unwrap_or_default();
            fields.push((
                name.to_owned(),
                value.replace("&#34;", "\"").replace("&amp;", "&"),
            ));
        }
        fields
    }

    fn hidden(&self, name: &str) -> Option<String> {
        self.hidden_fields()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }
}

fn encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

impl Browser {
    fn new(app: &TestApp) -> Browser {
        Browser {
            base: app.base.clone(),
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: BTreeMap::new(),
        }
    }

    /// Signs a staff member in through the login page (password as `TestApp::staff` sets it).
    async fn staff(app: &TestApp, login: &str) -> Browser {
        let mut browser = Browser::new(app);
        let csrf = browser.get("/staff/login").await.hidden("csrf").unwrap();
        let fields = [
            ("login".into(), login.into()),
            ("password".into(), format!("{login}-password-long-enough")),
            ("csrf".into(), csrf),
        ];
        assert_eq!(browser.post("/staff/login", &fields).await.status, 303);
        browser
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn read(&mut self, response: reqwest::Response) -> Page {
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned());
        for cookie in response.headers().get_all("set-cookie") {
            let cookie = cookie.to_str().unwrap();
            let (pair, _) = cookie.split_once(';').unwrap_or((cookie, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
        Page {
            status,
            location,
            html: response.text().await.unwrap(),
        }
    }

    async fn get(&mut self, path: &str) -> Page {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .unwrap();
        self.read(response).await
    }

    async fn post(&mut self, path: &str, fields: &[(String, String)]) -> Page {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        self.read(response).await
    }

    /// This browser's CSRF token (any page carries it).
    async fn csrf(&mut self) -> String {
        self.get("/staff/login").await.hidden("csrf").unwrap()
    }
}

fn with(mut fields: Vec<(String, String)>, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    fields.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    fields
}

// --- the language switch ---------------------------------------------------------------

async fn the_language_switch_goes_back_only_within_the_site(db: TestDb) {
    let app = spawn_app(db).await;
    let mut browser = Browser::new(&app);
    let back = |page: &Page| (page.status, page.location.clone().unwrap_or_default());
    // A tab (which browsers drop, making `//evil.example/`), CR/LF (which answered 500),
    // a backslash, a scheme, a protocol-relative address, a bidirectional control: all go home.
    for hostile in [
        "/%09/evil.example/",
        "/%0d%0aSet-Cookie:%20gj_sid=x",
        "/%0a/evil.example",
        "/%5Cevil.example",
        "%2F%2Fevil.example",
        "https://evil.example/",
        "javascript:alert(1)",
        "evil.example",
    ] {
        let page = browser.get(&format!("/lang/en?back={hostile}")).await;
        assert_eq!(back(&page), (303, "/".to_owned()), "back={hostile}");
    }
    // A bidirectional control in the address is refused before any page sees it.
    let page = browser.get("/lang/en?back=/%E2%80%AEelpmaxe.live").await;
    assert_eq!((page.status, page.location), (422, None));
    // A page of the site is still returned to, with its query.
    let page = browser.get("/lang/zh-CN?back=/ballot/step%3Fn%3D2").await;
    assert_eq!(back(&page), (303, "/ballot/step?n=2".to_owned()));
}

// --- CSV -------------------------------------------------------------------------------

/// The cells of a CSV text (quotes and doubled quotes understood).
fn csv_cells(text: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',' | '\n', false) => cells.push(std::mem::take(&mut cell)),
            (c, _) => cell.push(c),
        }
    }
    cells.push(cell);
    cells
}

/// An estate of `roster`, a secretary, an assembly with one motion, opened, codes for all,
/// then closed with an objection period of `objection_days`.
async fn closed_assembly(
    app: &TestApp,
    roster: &str,
    extra: Value,
) -> (String, Session, Assembly, String, BTreeMap<String, String>) {
    let estate = app.estate("小区乙");
    let secretary = app.staff("sec-hostile", Role::Secretary, &estate).await;
    secretary
        .import_roster(&estate, roster.as_bytes())
        .await
        .expect(200);
    let assembly = secretary.create_assembly_with(&estate, false, extra).await;
    let motion = secretary
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "续聘物业服务企业", "matter": 4 }),
        )
        .await;
    secretary.announce(&assembly).await;
    secretary.open(&assembly).await;
    let codes = secretary.issue_codes(&assembly, None).await;
    secretary.close_early(&assembly).await;
    (estate, secretary, assembly, motion, codes)
}

async fn every_cell_of_the_announcement_csv_is_inert(db: TestDb) {
    let app = spawn_app(db).await;
    // Buildings a spreadsheet would run: they become the unit numbers of the roll.
    let roster = "zone,building,stairwell,unit,floor,area_m2,owner_id,owner_name,phone,email
,\"=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\",1,101,1,100.00,P1,甲,,
,+cmd|' /C calc'!A0,1,101,1,100.00,P2,=乙,,
,@SUM(1),1,101,1,80.00,P3,丙,,
,-2,1,101,1,80.00,P4,丁,,
";
    let (_, secretary, assembly, _, _) = closed_assembly(
        &app,
        roster,
        json!({ "objection_days": 0, "public_roll": true }),
    )
    .await;
    for path in [
        format!("/api/v1/assemblies/{}/announcement.csv", assembly.id),
        format!(
            "/api/v1/assemblies/{}/announcement.csv?lang=en",
            assembly.id
        ),
    ] {
        let response = app
            .http
            .get(format!("{}{path}", app.base))
            .bearer_auth(&secretary.token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200);
        let text = response.text().await.unwrap();
        assert!(
            text.contains("'=HYPERLINK("),
            "the unit is there, made inert: {text}"
        );
        assert!(text.contains("'+cmd"), "{text}");
        for cell in csv_cells(&text) {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a live cell {cell:?} in {text}"
            );
        }
    }
    // The staff page's download is the same document.
    let mut browser = Browser::staff(&app, "sec-hostile").await;
    let page = browser
        .get(&format!(
            "/staff/assemblies/{}/announcement.csv",
            assembly.id
        ))
        .await;
    assert_eq!(page.status, 200);
    assert!(
        csv_cells(&page.html)
            .iter()
            .all(|c| !c.starts_with(['=', '+', '-', '@']))
    );
}

// --- bidirectional controls --------------------------------------------------------------

async fn bidirectional_controls_are_refused_naming_where(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("小区丙");
    let secretary = app.staff("sec-bidi", Role::Secretary, &estate).await;
    let field = |reply: crate::helpers::Reply| {
        let body = reply.refused(422, "invalid_value");
        assert!(
            body["error"]["detail"]
                .as_str()
                .unwrap_or_default()
                .contains("U+"),
            "{body}"
        );
        body["error"]["field"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    };
    // A roster cell: the report names its line and column.
    let roster =
        "building,room,area,owner_id,owner_name\n1,101,100.00,P1,甲\n1,1\u{202E}20,100.00,P2,乙\n";
    let report = secretary.import_roster(&estate, roster.as_bytes()).await;
    let issues = report.refused(422, "roster_invalid")["error"]["issues"].clone();
    assert_eq!(
        (issues[0]["line"].as_u64(), issues[0]["column"].as_str()),
        (Some(3), Some("room")),
        "{issues}"
    );
    assert!(
        issues[0]["message"].as_str().unwrap().contains("U+202E"),
        "{issues}"
    );
    secretary
        .import_roster(&estate, SMALL_ROSTER.as_bytes())
        .await
        .expect(200);
    let assembly = secretary.create_assembly(&estate, false).await;
    let items = format!("/api/v1/assemblies/{}/items", assembly.id);
    // A title, as is and escaped in the JSON; a candidate's name.
    assert_eq!(
        field(
            secretary
                .post(
                    &items,
                    json!({ "kind": "motion", "title": "续聘\u{202E}业企务服", "matter": 4 })
                )
                .await
        ),
        "title"
    );
    let escaped = app
        .http
        .post(format!("{}{items}", app.base))
        .bearer_auth(&secretary.token)
        .header("content-type", "application/json")
        .body(r#"{"kind": "motion", "title": "续聘\u2067物业", "matter": 4}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(escaped.status().as_u16(), 422);
    assert_eq!(
        field(
            secretary
                .post(&items, json!({ "kind": "election", "title": "选举", "seats": 1, "candidates": ["王一", "李\u{200F}二"] }))
                .await
        ),
        "candidates[1]"
    );
    // Other control characters too (ESC would clear a terminal showing the log or a CSV).
    assert_eq!(
        field(
            secretary
                .post(
                    &items,
                    json!({ "kind": "motion", "title": "续聘\u{1b}[2J物业", "matter": 4 })
                )
                .await
        ),
        "title"
    );
    assert!(
        app.store.items(&assembly.id).unwrap().is_empty(),
        "nothing stored"
    );
    // The address.
    assert_eq!(
        field(secretary.get("/api/v1/assemblies/%E2%80%AE").await),
        "(address)"
    );
    // A page's form.
    let mut browser = Browser::staff(&app, "sec-bidi").await;
    let csrf = browser.csrf().await;
    let page = browser
        .post(
            &format!("/staff/assemblies/{}/items", assembly.id),
            &[
                ("csrf".into(), csrf),
                ("kind".into(), "motion".into()),
                ("title".into(), "续聘\u{2066}物业".into()),
                ("matter".into(), "4".into()),
            ],
        )
        .await;
    assert_eq!(page.status, 422, "{}", page.html);
    assert!(page.html.contains("U+2066"), "{}", page.html);
    assert!(
        app.store.items(&assembly.id).unwrap().is_empty(),
        "nothing stored"
    );
}

// --- objections ----------------------------------------------------------------------------

async fn objections_are_limited_per_member_and_item(db: TestDb) {
    let app = spawn_app(db).await;
    let (_, secretary, assembly, motion, codes) =
        closed_assembly(&app, SMALL_ROSTER, json!({ "objection_days": 7 })).await;
    let objections = format!("/api/v1/assemblies/{}/objections", assembly.id);
    let p1 = app.owner(&assembly, &codes["P1"]).await;
    let p2 = app.owner(&assembly, &codes["P2"]).await;
    // Longer than the cap: refused, whatever else.
    p1.post(
        &objections,
        json!({ "item": motion, "text": "错".repeat(2001) }),
    )
    .await
    .refused(422, "invalid_value");
    p1.post(
        &objections,
        json!({ "item": motion, "text": "我的票没有记录" }),
    )
    .await
    .expect(201);
    // One open objection per member and item.
    p1.post(&objections, json!({ "item": motion, "text": "再说一遍" }))
        .await
        .refused(409, "objection_still_open");
    // A burst: the member's filings in the window are counted, then 429 with Retry-After.
    let mut statuses = Vec::new();
    let mut retry_after = None;
    for _ in 0..12 {
        let response = app
            .http
            .post(format!("{}{objections}", app.base))
            .bearer_auth(&p1.token)
            .json(&json!({ "item": motion, "text": "再说一遍" }))
            .send()
            .await
            .unwrap();
        statuses.push(response.status().as_u16());
        if response.status().as_u16() == 429 {
            retry_after = response
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<u64>().ok());
            let body: Value = response.json().await.unwrap();
            assert_eq!(body["error"]["code"], "too_frequent", "{body}");
        }
    }
    // Two filings were counted before the burst; ten in all are allowed.
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        8,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 429).count(),
        4,
        "{statuses:?}"
    );
    assert!(
        retry_after.is_some_and(|s| s > 0),
        "Retry-After: {retry_after:?}"
    );
    // Another member is not held back by it; an answered objection may be disputed again, up
    // to five times per item.
    for round in 0..5 {
        let filed = p2
            .post(
                &objections,
                json!({ "item": motion, "text": format!("第{round}次") }),
            )
            .await
            .expect(201);
        secretary
            .post(
                &format!(
                    "/api/v1/objections/{}/resolve",
                    filed["id"].as_str().unwrap()
                ),
                json!({ "resolution": "rejected", "reason": "记录无误" }),
            )
            .await
            .expect(200);
    }
    p2.post(&objections, json!({ "item": motion, "text": "第六次" }))
        .await
        .refused(409, "objections_per_item_used_up");
    assert_eq!(
        app.store.objections(&assembly.id, None).unwrap().len(),
        6,
        "one of P1, five of P2"
    );
}

// --- revoking staff sessions ------------------------------------------------------------------

fn admin(db_url: &str, args: &[&str]) {
    let mut argv = vec!["gongjue", "admin"];
    argv.extend_from_slice(args);
    argv.extend_from_slice(&["--database-url", db_url]);
    let cli = gongjue_api::cli::Cli::try_parse_from(argv).unwrap();
    assert_eq!(cli.run(), std::process::ExitCode::SUCCESS, "{args:?}");
}

async fn run_admin(db_url: &str, args: &[&str]) {
    let (url, args): (String, Vec<String>) = (
        db_url.to_owned(),
        args.iter().map(|a| (*a).to_owned()).collect(),
    );
    tokio::task::spawn_blocking(move || {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        admin(&url, &args)
    })
    .await
    .unwrap();
}

async fn staff_sessions_end_when_the_account_changes(db: TestDb) {
    let url = db.url.clone();
    let app = spawn_app(db).await;
    let estate = app.estate("小区丁");
    let units = format!("/api/v1/estates/{estate}/units");
    let wang = app.staff("wang", Role::Secretary, &estate).await;
    let mut wang_web = Browser::staff(&app, "wang").await;
    wang.get(&units).await.expect(200);
    assert_eq!(wang_web.get("/staff").await.status, 200);
    // A password reset ends the bearer token and the page session at once.
    run_admin(&url, &["reset-password", "--login", "wang"]).await;
    wang.get(&units).await.refused(401, "bad_token");
    let page = wang_web.get("/staff").await;
    assert_eq!(
        (page.status, page.location.as_deref()),
        (303, Some("/staff/login"))
    );
    // A new sign-in works (the new password set as the reset would).
    let hash = gongjue_api::auth::password::hash("a-new-password-long-enough").unwrap();
    let user = app.store.user_by_login("wang").unwrap();
    app.store.set_password_hash(&user.id, &hash, "e2e").unwrap();
    let again = app
        .anonymous()
        .post(
            "/api/v1/sessions",
            json!({ "login": "wang", "password": "a-new-password-long-enough" }),
        )
        .await
        .expect(200);
    let wang = Session {
        token: again["token"].as_str().unwrap().to_owned(),
        ..app.anonymous()
    };
    wang.get(&units).await.expect(200);

    // Revoking the role the token carries ends it too.
    let li = app.staff("li", Role::Secretary, &estate).await;
    li.get(&units).await.expect(200);
    run_admin(
        &url,
        &[
            "revoke-role",
            "--login",
            "li",
            "--role",
            "secretary",
            "--estate",
            &estate,
        ],
    )
    .await;
    li.get(&units).await.refused(401, "bad_token");
    app.anonymous()
        .post(
            "/api/v1/sessions",
            json!({ "login": "li", "password": "li-password-long-enough" }),
        )
        .await
        .refused(403, "forbidden");

    // Disabling the user: the token stops, and so does signing in.
    let zhao = app.staff("zhao", Role::Auditor, &estate).await;
    zhao.get(&units).await.expect(200);
    run_admin(&url, &["disable-user", "--login", "zhao"]).await;
    zhao.get(&units).await.refused(401, "bad_token");
    app.anonymous()
        .post(
            "/api/v1/sessions",
            json!({ "login": "zhao", "password": "zhao-password-long-enough" }),
        )
        .await
        .refused(401, "bad_credentials");
    // Others' sessions are untouched.
    wang.get(&units).await.expect(200);
    let actions: Vec<String> = app
        .store
        .audit_entries(gongjue_store::audit::SYSTEM_CHAIN, 0, 10_000)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert!(actions.iter().any(|a| a == "user.disabled"), "{actions:?}");
}

// --- a paper sheet is stored whole -------------------------------------------------------------

async fn a_paper_sheet_is_stored_whole_or_not_at_all(db: TestDb) {
    let s = web_assembly(db).await;
    let mut browser = Browser::staff(&s.app, "sec-web").await;
    let paper = format!("/staff/assemblies/{}/paper", s.assembly.id);
    let sheet = browser.get(&format!("{paper}?unit=2-1-101")).await;
    assert_eq!(sheet.status, 200);
    let received = sheet
        .html
        .split("name=\"received_at\" type=\"datetime-local\" step=\"any\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    // The election alone, under the page's idempotency key.
    let first = with(
        sheet.hidden_fields(),
        &[("c1", "王一"), ("received_at", &received)],
    );
    assert_eq!(browser.post(&paper, &first).await.status, 303);
    // The same key again with the motion ticked and another candidate: the election's ballot
    // conflicts with the stored one in the store, after the motion's would have been written.
    let second = with(
        sheet.hidden_fields(),
        &[("c0", "no"), ("c1", "李二"), ("received_at", &received)],
    );
    let refused = browser.post(&paper, &second).await;
    assert_eq!(refused.status, 409, "{}", refused.html);
    assert!(
        s.app
            .store
            .current_ballot(&s.items[0], "P4")
            .unwrap()
            .is_none(),
        "the motion of the refused sheet is not stored"
    );
    let election = s
        .app
        .store
        .current_ballot(&s.items[1], "P4")
        .unwrap()
        .unwrap();
    assert!(election.choice.contains("王一"), "{}", election.choice);
    // The scan reference goes with the ballot, in the same transaction.
    let sheet = browser.get(&format!("{paper}?unit=1-1-102")).await;
    let fields = with(
        sheet.hidden_fields(),
        &[
            ("c0", "yes"),
            ("c1", "赵三"),
            ("received_at", &received),
            ("scan_ref", "箱3-001"),
        ],
    );
    assert_eq!(browser.post(&paper, &fields).await.status, 303);
    let estate = s.app.store.assembly(&s.assembly.id).unwrap().estate_id;
    let filed = s
        .app
        .store
        .audit_entries(&estate, 0, 10_000)
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "ballot.paper_filed")
        .count();
    assert_eq!(filed, 2, "one note per ballot of the sheet");
}

// --- authorisation before state --------------------------------------------------------------

/// Every page and JSON route that changes an assembly refuses an auditor (and another estate's
/// secretary) before it says anything about the assembly's state, in every state.
async fn who_may_write_is_checked_before_the_state(db: TestDb) {
    let app = spawn_app(db).await;
    let (estate, secretary, closed, motion, codes) =
        closed_assembly(&app, SMALL_ROSTER, json!({ "objection_days": 7 })).await;
    let owner = app.owner(&closed, &codes["P1"]).await;
    let objection = owner
        .post(
            &format!("/api/v1/assemblies/{}/objections", closed.id),
            json!({ "item": motion, "text": "我的票没有记录" }),
        )
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let draft = secretary.create_assembly(&estate, false).await;
    let announced = secretary.create_assembly(&estate, false).await;
    secretary
        .add_item(
            &announced,
            json!({ "kind": "motion", "title": "甲", "matter": 4 }),
        )
        .await;
    secretary.announce(&announced).await;
    let open = secretary.create_assembly(&estate, false).await;
    secretary
        .add_item(
            &open,
            json!({ "kind": "motion", "title": "乙", "matter": 4 }),
        )
        .await;
    secretary.announce(&open).await;
    secretary.open(&open).await;
    let auditor = app.staff("aud-order", Role::Auditor, &estate).await;
    let other_estate = app.estate("小区戊");
    app.staff("osc-order", Role::Secretary, &other_estate).await;
    let mut browsers = [
        ("auditor", Browser::staff(&app, "aud-order").await),
        ("other estate", Browser::staff(&app, "osc-order").await),
    ];
    let form = |csrf: &str| -> Vec<(String, String)> {
        [
            ("csrf", csrf),
            ("action", "close"),
            ("reason", ""),
            ("resolution", "rejected"),
            ("kind", "motion"),
            ("title", "丙"),
            ("matter", "4"),
            ("unit", "1-1-101"),
            ("member", "P2"),
            ("holder", "P1"),
            ("document_ref", "委托书"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
    };
    let mut checked = 0;
    for assembly in [&draft, &announced, &open, &closed] {
        for (method, pattern) in gongjue_api::web::ROUTES {
            let writes = (*method == "POST"
                && (pattern.starts_with("/staff/assemblies/{id}/")
                    || pattern.starts_with("/staff/objections/")))
                || *pattern == "/staff/assemblies/{id}/paper";
            if !writes {
                continue;
            }
            let path = pattern
                .replace(
                    "/staff/objections/{id}",
                    &format!("/staff/objections/{objection}"),
                )
                .replace("{id}", &assembly.id)
                .replace("{version}", "no-such-version")
                .replace("{reissue}", "no-such-reissue");
            for (who, browser) in &mut browsers {
                let csrf = browser.csrf().await;
                let page = if *method == "POST" {
                    browser.post(&path, &form(&csrf)).await
                } else {
                    browser.get(&format!("{path}?unit=1-1-101")).await
                };
                assert_eq!(page.status, 403, "{who}: {method} {path}: {}", page.html);
                checked += 1;
            }
        }
        // The JSON routes that change an assembly: never a 409 (a state) for an auditor.
        for route in [
            "announce",
            "open",
            "close",
            "codes",
            "code-reissues",
            "items",
            "proxies",
            "transfers",
            "paper-ballots",
            "reminders",
            "results/publish",
            "publication/final",
        ] {
            let reply = auditor
                .post(
                    &format!("/api/v1/assemblies/{}/{route}", assembly.id),
                    json!({}),
                )
                .await;
            assert!(
                reply.status == 403 || reply.status == 422,
                "auditor: POST {route} of a {} assembly: {} {}",
                app.store.assembly(&assembly.id).unwrap().state,
                reply.status,
                reply.body
            );
            assert_ne!(reply.status, 409, "{route}: {}", reply.body);
        }
    }
    assert!(checked >= 4 * 2 * 11, "{checked} pages checked");
    // The auditor was told nothing, and nothing changed.
    assert_eq!(app.store.assembly(&draft.id).unwrap().state, "draft");
    assert_eq!(app.store.objection(&objection).unwrap().status, "open");
}

e2e!(
    the_language_switch_goes_back_only_within_the_site,
    every_cell_of_the_announcement_csv_is_inert,
    bidirectional_controls_are_refused_naming_where,
    objections_are_limited_per_member_and_item,
    staff_sessions_end_when_the_account_changes,
    a_paper_sheet_is_stored_whole_or_not_at_all,
    who_may_write_is_checked_before_the_state,
);
