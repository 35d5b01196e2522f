//! Issue 9: every web page × every role, as browsers with cookie sessions and valid CSRF tokens.
//!
//! The pages come from `gongjue_api::web::ROUTES` (the list the app mounts), and the table
//! below must list exactly those: a new page without a row fails this test until someone
//! decides who may open it. "Allowed" means the page did not turn the browser away for who it
//! is: 200, a redirect other than to a sign-in page, or a refusal by a rule (400, 409, 422,
//! 429). "Refused" means a redirect to a sign-in page (`/vote`, `/staff/login`), 403 or 404.
//!
//! Whatever the cell, a browser of the other estate (its owner, its secretary) or without a
//! session must never be shown estate A's data: no response to them contains the name of an
//! owner of estate A (in full or masked), a phone number or address of the roster, or one of
//! its unit numbers.

use std::collections::{BTreeMap, BTreeSet};

use gongjue_api::publication::mask::mask_name;
use gongjue_store::users::Role;
use serde_json::json;

use crate::e2e;
use crate::helpers::{Assembly, SMALL_ROSTER, TestApp, TestDb, spawn_app};

/// Estate A: names, phones, addresses and unit numbers that appear nowhere else.
const ROSTER_A: &str = "zone,building,stairwell,unit,floor,area_m2,owner_id,owner_name,phone,email
,甲1,1,101,1,100.00,P1,欧阳明华,13911110001,ouyang.minghua@example.com
,甲1,1,102,1,100.00,P2,司马青云,13911110002,
,甲1,1,201,2,120.00,P1,欧阳明华,13911110001,
,甲2,1,101,1,80.00,P4,诸葛长风,13911110004,zhuge.changfeng@example.com
,甲2,1,102,1,80.00,P5,上官晓月,13911110005,
";

/// The unit and owner of the code the matrix's voting-link rows use (P2's).
const LINK_UNIT: &str = "甲1-1-102";
const LINK_OWNER: &str = "司马青云";

/// What the roster upload row sends (to whichever estate the secretary belongs to).
const ROSTER_UPLOAD: &str =
    "zone,building,stairwell,unit,floor,area_m2,owner_id,owner_name,phone,email
,丙1,1,101,1,90.00,Q1,业主一,,
";

const ROLES: [&str; 10] = [
    "anonymous",
    "owner",
    "other-estate owner",
    "proxy holder",
    "secretary",
    "second secretary",
    "auditor",
    "other-estate secretary",
    "admin",
    "volunteer",
];

/// Who may open what; columns as in `access_matrix.rs`:
///
/// | col | role                                                              |
/// |-----|-------------------------------------------------------------------|
/// | ano | a browser without a session                                        |
/// | own | owner of estate A, signed in by the link of their code (P4)        |
/// | oth | owner of estate B, signed in for B's assembly                      |
/// | prx | owner of estate A holding another member's proxy (P1 for P2)       |
/// | sec | secretary of estate A (entered the paper ballot)                   |
/// | se2 | a second secretary of estate A                                     |
/// | aud | auditor of estate A                                                |
/// | osc | secretary of estate B                                              |
/// | adm | admin of estate A (passes wherever a secretary does)               |
///
/// `Y` allowed, `-` refused. Owner pages act on the session's own assembly and staff lists
/// on the signed-in estate, so the other estate's owner and secretary pass those doors (and
/// see their own estate). Rows run top to bottom: the ones that change things come last.
#[rustfmt::skip]
const MATRIX: &[(&str, &str, &str)] = &[
    //                                                          ano own oth prx sec se2 aud osc adm
    ("GET",  "/",                                               "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("GET",  "/lang/{lang}",                                    "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("GET",  "/static/site.css",                                "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("GET",  "/favicon.svg",                                    "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("GET",  "/favicon.ico",                                    "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("GET",  "/vote",                                           "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("GET",  "/log/{estate}",                                   "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("POST", "/vote",                                           "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("GET",  "/v/{code}",                                       "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("POST", "/v/{code}",                                       "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("GET",  "/s/{assembly}",                                   "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("POST", "/s/{assembly}",                                   "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("POST", "/s/{assembly}/code",                              "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("GET",  "/staff/login",                                    "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("POST", "/staff/login",                                    "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("GET",  "/ballot",                                         "-   Y   Y   Y   -   -   -   -   -   -"),
    ("GET",  "/ballot/step",                                    "-   Y   Y   Y   -   -   -   -   -   -"),
    ("POST", "/ballot/step",                                    "-   Y   Y   Y   -   -   -   -   -   -"),
    ("GET",  "/ballot/done",                                    "-   Y   Y   Y   -   -   -   -   -   -"),
    ("GET",  "/ballot/publication",                             "-   Y   Y   Y   -   -   -   -   -   -"),
    ("POST", "/ballot/objections",                              "-   Y   Y   Y   -   -   -   -   -   -"),
    ("GET",  "/ballot/roll",                                    "-   Y   Y   Y   -   -   -   -   -   -"),
    ("GET",  "/ballot/notices",                                 "-   Y   Y   Y   -   -   -   -   -   -"),
    ("POST", "/ballot/notices/channels",                        "-   Y   Y   Y   -   -   -   -   -   -"),
    ("POST", "/ballot/submit",                                  "-   Y   Y   Y   -   -   -   -   -   -"),
    ("GET",  "/staff",                                          "-   -   -   -   Y   Y   Y   Y   Y   Y"),
    ("GET",  "/staff/outbox",                                   "-   -   -   -   Y   Y   Y   Y   Y   -"),
    ("GET",  "/staff/roster",                                   "-   -   -   -   Y   Y   Y   Y   Y   -"),
    ("GET",  "/staff/assemblies/new",                           "-   -   -   -   Y   Y   -   Y   Y   -"),
    ("GET",  "/staff/assemblies/{id}",                          "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("GET",  "/staff/assemblies/{id}/not-voted",                "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("GET",  "/staff/assemblies/{id}/not-voted.csv",            "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("GET",  "/staff/assemblies/{id}/setup",                    "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("GET",  "/staff/assemblies/{id}/results",                  "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("GET",  "/staff/assemblies/{id}/announcement.html",        "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("GET",  "/staff/assemblies/{id}/announcement.csv",         "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("GET",  "/staff/items/{id}/export.json",                   "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("GET",  "/staff/items/{id}/export.json.jws",               "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("GET",  "/staff/assemblies/{id}/print",                    "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("GET",  "/staff/assemblies/{id}/notice",                   "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("GET",  "/staff/assemblies/{id}/proxies",                  "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("GET",  "/staff/assemblies/{id}/paper",                    "-   -   -   -   Y   Y   -   -   Y   Y"),
    ("GET",  "/staff/assemblies/{id}/confirm",                  "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("GET",  "/staff/assemblies/{id}/notices",                  "-   -   -   -   Y   Y   Y   -   Y   -"),
    ("POST", "/staff/estate/contact-phone",                     "-   -   -   -   Y   Y   -   Y   Y   -"),
    ("POST", "/staff/estate/candidate-declarations",            "-   -   -   -   Y   Y   -   Y   Y   -"),
    ("POST", "/staff/estate/sms",                               "-   -   -   -   Y   Y   -   Y   Y   -"),
    ("POST", "/staff/estate/follow-majority",                   "-   -   -   -   Y   Y   -   Y   Y   -"),
    ("POST", "/staff/assemblies/{id}/extend",                   "-   -   -   -   Y   Y   -   -   Y   -"),
    ("POST", "/staff/items/{id}/documents",                     "-   -   -   -   Y   Y   -   -   Y   -"),
    ("GET",  "/volunteer",                                      "-   -   -   -   -   -   -   -   -   Y"),
    ("POST", "/volunteer/assemblies/{id}/visits",               "-   -   -   -   -   -   -   -   -   Y"),
    ("GET",  "/volunteer/assemblies/{id}/doors",                "-   -   -   -   -   -   -   -   -   Y"),
    ("GET",  "/staff/volunteers",                               "-   -   -   -   Y   Y   Y   Y   Y   -"),
    ("POST", "/staff/volunteers",                               "-   -   -   -   Y   Y   -   Y   Y   -"),
    ("POST", "/staff/items/{id}/candidates",                    "-   -   -   -   Y   Y   -   -   Y   -"),
    ("POST", "/staff/candidates/{id}/review",                   "-   -   -   -   Y   Y   -   -   Y   -"),
    ("POST", "/staff/items/{id}/next-round",                    "-   -   -   -   Y   Y   -   -   Y   -"),
    ("POST", "/staff/documents/{id}/remove",                    "-   -   -   -   Y   Y   -   -   Y   -"),
    ("GET",  "/documents/{id}",                                 "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("POST", "/staff/assemblies/{id}/items",                    "-   -   -   -   Y   Y   -   -   Y   -"),
    ("POST", "/staff/assemblies/{id}/proxies",                  "-   -   -   -   Y   Y   -   -   Y   -"),
    ("POST", "/staff/assemblies/{id}/paper",                    "-   -   -   -   Y   Y   -   -   Y   Y"),
    ("POST", "/staff/assemblies/{id}/confirm/{version}",        "-   -   -   -   Y   Y   -   -   Y   -"),
    ("POST", "/staff/assemblies/{id}/confirm",                  "-   -   -   -   Y   Y   -   -   Y   -"),
    ("POST", "/staff/assemblies/{id}/notices/remind",           "-   -   -   -   Y   Y   -   -   Y   -"),
    ("POST", "/staff/assemblies/{id}/notices/results",          "-   -   -   -   Y   Y   -   -   Y   -"),
    ("POST", "/staff/objections/{id}/resolve",                  "-   -   -   -   Y   Y   -   -   Y   -"),
    ("POST", "/staff/assemblies/{id}/publish",                  "-   -   -   -   Y   Y   -   -   Y   -"),
    ("POST", "/staff/assemblies/{id}/sheets",                   "-   -   -   -   Y   Y   -   -   Y   -"),
    ("GET",  "/staff/assemblies/{id}/codes",                    "-   -   -   -   Y   Y   Y   -   Y   -"),
    // The secretary asked for it (409), the second secretary confirms it (the printable sheet),
    // the admin finds it confirmed (409).
    ("POST", "/staff/assemblies/{id}/code-reissues/{reissue}/confirm", "-   -   -   -   Y   Y   -   -   Y   -"),
    ("POST", "/staff/assemblies/{id}/code-reissues",            "-   -   -   -   Y   Y   -   -   Y   -"),
    ("POST", "/staff/assemblies",                               "-   -   -   -   Y   Y   -   Y   Y   -"),
    ("POST", "/staff/assemblies/{id}/state",                    "-   -   -   -   Y   Y   -   -   Y   -"),
    ("POST", "/staff/roster",                                   "-   -   -   -   Y   Y   -   Y   Y   -"),
    ("POST", "/sign-out",                                       "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
    ("POST", "/staff/sign-out",                                 "Y   Y   Y   Y   Y   Y   Y   Y   Y   Y"),
];

/// A browser without JavaScript: sends its cookies, does not follow redirects, and (in the
/// matrix) keeps no cookie a page sets, so every cell starts from the same session.
#[derive(Clone)]
struct Browser {
    base: String,
    http: reqwest::Client,
    cookies: BTreeMap<String, String>,
    /// The CSRF token of this browser's session id.
    csrf: String,
}

struct Answer {
    status: u16,
    location: String,
    body: String,
}

impl Browser {
    fn new(app: &TestApp) -> Browser {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Browser {
            base: app.base.clone(),
            http,
            cookies: BTreeMap::new(),
            csrf: String::new(),
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> (Answer, Vec<(String, String)>) {
        let response = request
            .header("cookie", self.cookie_header())
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let set: Vec<(String, String)> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| {
                let pair = v.to_str().ok()?.split(';').next()?;
                let (k, v) = pair.split_once('=')?;
                Some((k.to_owned(), v.to_owned()))
            })
            .collect();
        (
            Answer {
                status,
                location,
                body: response.text().await.unwrap_or_default(),
            },
            set,
        )
    }

    /// A request whose cookies are kept (to sign in).
    async fn keep(&mut self, request: reqwest::RequestBuilder) -> Answer {
        let (answer, set) = self.send(request).await;
        for (k, v) in set {
            if v.is_empty() {
                self.cookies.remove(&k);
            } else {
                self.cookies.insert(k, v);
            }
        }
        answer
    }

    /// Takes a session id and the CSRF token of its forms from the sign-in page.
    async fn start(&mut self) {
        let page = self
            .keep(self.http.get(format!("{}/vote", self.base)))
            .await;
        let (_, rest) = page
            .body
            .split_once("name=\"csrf\" value=\"")
            .expect("the page has a form with a token");
        self.csrf = rest.split_once('"').unwrap().0.to_owned();
    }

    async fn owner(app: &TestApp, code: &str) -> Browser {
        let mut browser = Browser::new(app);
        browser.start().await;
        // The link names the units; its button (a POST with the page's token) signs in.
        let link = format!("{}/v/{code}", browser.base);
        let page = browser.keep(browser.http.get(&link)).await;
        assert_eq!(page.status, 200, "{}", page.body);
        let form = [("csrf", browser.csrf.clone()), ("confirm", "1".into())];
        let signed_in = browser.keep(browser.http.post(&link).form(&form)).await;
        assert_eq!(
            (signed_in.status, signed_in.location.as_str()),
            (303, "/ballot"),
            "{}",
            signed_in.body
        );
        browser
    }

    async fn staff(app: &TestApp, login: &str) -> Browser {
        let mut browser = Browser::new(app);
        browser.start().await;
        let form = [
            ("login", login.to_owned()),
            ("password", format!("{login}-password-long-enough")),
            ("csrf", browser.csrf.clone()),
        ];
        let signed_in = browser
            .keep(
                browser
                    .http
                    .post(format!("{}/staff/login", browser.base))
                    .form(&form),
            )
            .await;
        assert_eq!(signed_in.status, 303, "{}", signed_in.body);
        assert!(browser.cookies.contains_key("gj_staff"));
        browser
    }
}

/// Estate A with an open assembly (P2 gave P1 a proxy; a paper ballot waits for
/// confirmation), a draft one, and a closed one in its objection period with an objection;
/// estate B with an open assembly; a browser per role.
struct Fixture {
    app: TestApp,
    /// Estate A's id (its log's public page).
    estate: String,
    open: Assembly,
    draft: Assembly,
    closed: Assembly,
    motion: String,
    closed_motion: String,
    /// A PDF of the open assembly's motion.
    document: String,
    /// A reviewed candidate of an election of the closed assembly.
    candidate: String,
    paper_ballot: String,
    objection: String,
    /// A re-issue of P5's code asked for by the secretary, waiting for a second person.
    reissue: String,
    code: String,
    browsers: Vec<Browser>,
    /// What no page may show a browser outside estate A.
    secrets: Vec<String>,
}

async fn fixture(db: TestDb) -> Fixture {
    let app = spawn_app(db).await;
    let estate = app.estate("小区甲");
    let sec = app.staff("wm-sec", Role::Secretary, &estate).await;
    sec.import_roster(&estate, ROSTER_A.as_bytes())
        .await
        .expect(200);
    // Each assembly is announced right after it is made: voting opens a moment later.
    let open = sec.create_assembly(&estate, true).await;
    let motion = sec
        .add_item(
            &open,
            json!({ "kind": "motion", "title": "续聘物业服务企业", "matter": 4 }),
        )
        .await;
    sec.post(
        &format!("/api/v1/assemblies/{}/proxies", open.id),
        json!({ "member": "P2", "holder": "P1", "document_ref": "委托书 W-1" }),
    )
    .await
    .expect(201);
    // A document of the motion, public once announced.
    let document = crate::documents::upload(&sec, &motion, "报价单", crate::documents::QUOTE_PDF)
        .await
        .expect(201)["id"]
        .as_str()
        .expect("document id")
        .to_owned();
    sec.announce(&open).await;
    let closed = sec
        .create_assembly_with(
            &estate,
            true,
            json!({ "objection_days": 3, "public_roll": true }),
        )
        .await;
    let closed_motion = sec
        .add_item(
            &closed,
            json!({ "kind": "motion", "title": "增设充电桩", "matter": 4 }),
        )
        .await;
    // An election of that assembly, its candidate reviewed (the review row acts on it, fixed).
    let election = sec
        .add_item(
            &closed,
            json!({ "kind": "election", "title": "增补委员", "seats": 1, "candidates": ["王一"] }),
        )
        .await;
    sec.approve_candidates(&election).await;
    let candidate = app.store.candidates(&election).expect("the register")[0]
        .id
        .clone();
    sec.announce(&closed).await;
    let draft = sec.create_assembly(&estate, true).await;

    let estate_b = app.estate("小区乙");
    let sec_b = app.staff("wm-sec-b", Role::Secretary, &estate_b).await;
    sec_b
        .import_roster(&estate_b, SMALL_ROSTER.as_bytes())
        .await
        .expect(200);
    let open_b = sec_b.create_assembly(&estate_b, true).await;
    sec_b
        .add_item(
            &open_b,
            json!({ "kind": "motion", "title": "续聘物业服务企业", "matter": 4 }),
        )
        .await;
    sec_b.announce(&open_b).await;

    for (s, a) in [(&sec, &open), (&sec, &closed), (&sec_b, &open_b)] {
        s.open(a).await;
    }
    let codes_closed = sec.issue_codes(&closed, Some(vec!["P4"])).await;
    let voter = app.owner(&closed, &codes_closed["P4"]).await;
    voter
        .vote(&closed, &[(closed_motion.as_str(), json!("yes"))])
        .await
        .expect(200);
    sec.close_early(&closed).await;
    let objection = app
        .store
        .file_objection(
            &closed.id,
            &closed_motion,
            "P4",
            "我的选票记录有误",
            "voter:P4",
        )
        .expect("filing an objection")
        .id;
    let codes = sec.issue_codes(&open, None).await;
    let codes_b = sec_b.issue_codes(&open_b, None).await;
    let paper = sec
        .enter_paper(&open, &motion, "P5", json!("yes"))
        .await
        .expect(201);
    let reissue = sec.request_reissue(&open, "P5", "表决票遗失").await;
    app.staff("wm-sec2", Role::Secretary, &estate).await;
    app.staff("wm-auditor", Role::Auditor, &estate).await;
    app.staff("wm-admin", Role::Admin, &estate).await;
    // A building volunteer for building 甲2, as a secretary creates one.
    app.store
        .create_volunteer(
            &estate,
            "wm-vol",
            "甲2楼组长",
            &gongjue_api::auth::password::hash("wm-vol-password-long-enough").expect("hashing"),
            &[gongjue_store::volunteers::Area {
                building: "甲2".into(),
                stairwell: String::new(),
            }],
            "e2e",
        )
        .expect("a volunteer");
    // The account of the sign-in row; nobody else uses it.
    app.staff("wm-login", Role::Auditor, &estate_b).await;

    let anonymous = {
        let mut b = Browser::new(&app);
        b.start().await;
        b
    };
    let browsers = vec![
        anonymous,
        Browser::owner(&app, &codes["P4"]).await,
        Browser::owner(&app, &codes_b["P4"]).await,
        Browser::owner(&app, &codes["P1"]).await,
        Browser::staff(&app, "wm-sec").await,
        Browser::staff(&app, "wm-sec2").await,
        Browser::staff(&app, "wm-auditor").await,
        Browser::staff(&app, "wm-sec-b").await,
        Browser::staff(&app, "wm-admin").await,
        Browser::staff(&app, "wm-vol").await,
    ];
    let mut secrets = Vec::new();
    for line in ROSTER_A.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        secrets.push(format!("{}-{}-{}", cells[1], cells[2], cells[3]));
        secrets.push(cells[7].to_owned());
        secrets.push(mask_name(cells[7]));
        secrets.extend(
            cells[8..]
                .iter()
                .filter(|c| !c.is_empty())
                .map(|c| (*c).to_owned()),
        );
    }
    secrets.sort();
    secrets.dedup();
    Fixture {
        estate,
        paper_ballot: paper["id"].as_str().expect("paper ballot id").to_owned(),
        code: codes["P2"].clone(),
        reissue,
        app,
        open,
        draft,
        closed,
        motion,
        closed_motion,
        document,
        candidate,
        objection,
        browsers,
        secrets,
    }
}

impl Fixture {
    /// The concrete path of a page pattern, and its query.
    fn path(&self, method: &str, pattern: &str) -> String {
        let assembly = match (method, pattern) {
            (
                _,
                "/staff/assemblies/{id}/results"
                | "/staff/assemblies/{id}/announcement.html"
                | "/staff/assemblies/{id}/announcement.csv",
            )
            | ("POST", "/staff/assemblies/{id}/publish") => &self.closed.id,
            ("POST", "/staff/assemblies/{id}/items" | "/staff/assemblies/{id}/state") => {
                &self.draft.id
            }
            _ => &self.open.id,
        };
        let id = if pattern.starts_with("/staff/items/") {
            &self.closed_motion
        } else if pattern.starts_with("/staff/documents/") || pattern.starts_with("/documents/") {
            &self.document
        } else if pattern.starts_with("/staff/candidates/") {
            &self.candidate
        } else if pattern.starts_with("/staff/objections/") {
            &self.objection
        } else {
            assembly
        };
        let query = match pattern {
            "/lang/{lang}" => "?back=/vote",
            "/staff/assemblies/{id}/paper" if method == "GET" => "?unit=甲2-1-102",
            _ => "",
        };
        let path = pattern
            .replace("{id}", id)
            .replace("{lang}", "en")
            .replace("{code}", &self.code)
            .replace("{version}", &self.paper_ballot)
            .replace("{reissue}", &self.reissue)
            .replace("{estate}", &self.estate)
            .replace("{assembly}", &self.open.id);
        format!("{path}{query}")
    }

    /// The form a right caller would send (the CSRF token is added).
    fn form(&self, pattern: &str) -> Vec<(&'static str, String)> {
        let local = |hours: i64| {
            (chrono::Utc::now() + chrono::Duration::hours(hours + 8))
                .format("%Y-%m-%dT%H:%M")
                .to_string()
        };
        match pattern {
            "/vote" => vec![("code", self.code.clone())],
            // The estate sends no SMS: the form is refused as such (409), not the caller.
            "/s/{assembly}" => vec![("phone", "13800000000".into())],
            "/s/{assembly}/code" => {
                vec![("phone", "not a number".into()), ("code", "123456".into())]
            }
            "/ballot/notices/channels" => vec![("channels", "email".into())],
            "/staff/estate/sms" => vec![("per_owner", "6".into()), ("per_day", "3000".into())],
            "/v/{code}" => vec![("confirm", "1".into())],
            "/staff/login" => vec![
                ("login", "wm-login".into()),
                ("password", "wm-login-password-long-enough".into()),
            ],
            "/ballot/step" => vec![("go", "next".into())],
            "/volunteer/assemblies/{id}/visits" => {
                vec![("voter", "P5".into()), ("outcome", "not_home".into())]
            }
            "/staff/estate/candidate-declarations" => {
                vec![("declarations", "无违法搭建\n无拖欠物业服务费".into())]
            }
            "/staff/volunteers" => vec![
                ("login", "wm-vol-new".into()),
                ("display_name", "楼组长".into()),
                ("buildings", "甲1".into()),
            ],
            "/ballot/objections" => vec![
                ("item", self.motion.clone()),
                ("text", "我的选票记录有误".into()),
            ],
            "/staff/assemblies" => vec![
                ("title", "临时会议".into()),
                ("opens_at", local(24)),
                ("closes_at", local(48)),
                ("notice_days", "0".into()),
                ("changeable", "on".into()),
            ],
            "/staff/assemblies/{id}/items" => vec![
                ("kind", "motion".into()),
                ("title", "维修资金使用".into()),
                ("matter", "5".into()),
                ("scope", "estate".into()),
            ],
            "/staff/assemblies/{id}/state" => vec![("action", "announce".into())],
            "/staff/estate/contact-phone" => vec![("contact_phone", "021-5555 0101".into())],
            "/staff/assemblies/{id}/extend" => vec![
                ("closes_at", "2030-01-01T09:00".into()),
                ("reason", "参与不足".into()),
            ],
            "/staff/estate/follow-majority" => vec![
                ("follow_majority", "1".into()),
                ("basis", "议事规则第十二条".into()),
            ],
            "/staff/assemblies/{id}/proxies" => vec![
                ("member", "P5".into()),
                ("holder", "P4".into()),
                ("document_ref", "委托书 W-2".into()),
            ],
            "/staff/assemblies/{id}/paper" => vec![
                ("unit", "甲2-1-102".into()),
                (
                    "received_at",
                    (chrono::Utc::now() + chrono::Duration::hours(8))
                        .format("%Y-%m-%dT%H:%M:%S")
                        .to_string(),
                ),
                ("item-0", "no".into()),
            ],
            "/staff/assemblies/{id}/confirm" => vec![("ballot", self.paper_ballot.clone())],
            "/staff/assemblies/{id}/code-reissues" => vec![
                ("member", "P5".into()),
                ("reason", "矩阵：表决票遗失".into()),
            ],
            "/staff/objections/{id}/resolve" => vec![
                ("resolution", "rejected".into()),
                ("reason", "经核对，记录无误".into()),
            ],
            _ => Vec::new(),
        }
    }

    async fn send(&self, who: &Browser, method: &str, pattern: &str) -> Answer {
        let url = format!("{}{}", self.app.base, self.path(method, pattern));
        let request = if method == "GET" {
            who.http.get(url)
        } else if pattern == "/staff/roster" || pattern == "/staff/items/{id}/documents" {
            // The pages that take a file: the roster, a document (with its name).
            let boundary = "----gongjue-matrix-boundary";
            let mut body = format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{}\r\n",
                who.csrf
            );
            if pattern != "/staff/roster" {
                body.push_str(&format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nquote\r\n"
                ));
            }
            body.push_str(&format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"roster.csv\"\r\nContent-Type: text/csv\r\n\r\n"));
            body.push_str(ROSTER_UPLOAD);
            body.push_str(&format!("\r\n--{boundary}--\r\n"));
            who.http
                .post(url)
                .header(
                    "content-type",
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(body)
        } else {
            let mut form = self.form(pattern);
            form.push(("csrf", who.csrf.clone()));
            who.http.post(url).form(&form)
        };
        who.send(request).await.0
    }
}

fn is_sign_in(location: &str) -> bool {
    location == "/vote" || location == "/staff/login"
}

/// The table lists every page the app mounts once, and nothing else.
async fn the_matrix_covers_every_page(_db: TestDb) {
    let mounted: BTreeSet<(&str, &str)> = gongjue_api::web::ROUTES.iter().copied().collect();
    assert_eq!(
        mounted.len(),
        gongjue_api::web::ROUTES.len(),
        "a page is mounted twice"
    );
    let listed: Vec<(&str, &str)> = MATRIX.iter().map(|(m, p, _)| (*m, *p)).collect();
    let table: BTreeSet<(&str, &str)> = listed.iter().copied().collect();
    assert_eq!(
        table.len(),
        listed.len(),
        "a page is listed twice in the matrix"
    );
    let missing: Vec<_> = mounted.difference(&table).collect();
    let extra: Vec<_> = table.difference(&mounted).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "pages without a row in the matrix: {missing:?}; rows for pages not mounted: {extra:?}"
    );
    for (method, path, cells) in MATRIX {
        assert_eq!(
            cells.split_whitespace().count(),
            ROLES.len(),
            "{method} {path}: one cell per role"
        );
    }
}

/// Every page, every role: the allowed set is exactly the table's, and nothing of estate A
/// reaches a browser outside it.
async fn every_page_admits_exactly_the_roles_of_the_table(db: TestDb) {
    let f = fixture(db).await;
    let outsiders = ["anonymous", "other-estate owner", "other-estate secretary"];
    let mut wrong = Vec::new();
    // What estate A's secretary was shown: proves the pages do carry what outsiders must not see.
    let mut shown_to_secretary = BTreeSet::new();
    for (method, path, cells) in MATRIX {
        for ((role, who), cell) in ROLES.iter().zip(&f.browsers).zip(cells.split_whitespace()) {
            let answer = f.send(who, method, path).await;
            // Shown with `--nocapture`: what each door answered.
            println!(
                "{} {} {method} {path} as {role}",
                answer.status, answer.location
            );
            let refused = matches!(answer.status, 401 | 403 | 404)
                || (answer.status == 303 && is_sign_in(&answer.location));
            let allowed = !refused && answer.status < 500;
            // Signing out (and the language switch back to /vote) ends on a sign-in page by design.
            let ends_at_sign_in = matches!(*path, "/sign-out" | "/staff/sign-out" | "/lang/{lang}");
            let ok = match cell {
                "Y" => allowed || (ends_at_sign_in && answer.status == 303),
                _ => refused,
            };
            if !ok {
                let expected = if cell == "Y" { "allowed" } else { "refused" };
                let excerpt: String = answer.body.chars().take(200).collect();
                wrong.push(format!(
                    "{method} {path} as {role}: expected {expected}, got {} {} {excerpt}",
                    answer.status, answer.location
                ));
            }
            if *role == "secretary" {
                shown_to_secretary.extend(
                    f.secrets
                        .iter()
                        .filter(|s| answer.body.contains(s.as_str()))
                        .cloned(),
                );
            }
            if outsiders.contains(role) {
                // The voting link's page names the units of its code (P2's), masked as on the
                // public roll, to whoever holds the code: that is the owner's check that the
                // code is theirs. Nothing else of estate A.
                let code_holder = [LINK_UNIT.to_owned(), mask_name(LINK_OWNER)];
                for secret in f.secrets.iter().filter(|s| {
                    answer.body.contains(s.as_str())
                        && !(path.starts_with("/v/") && code_holder.contains(s))
                }) {
                    wrong.push(format!(
                        "{method} {path} as {role}: the page shows estate A's {secret:?}"
                    ));
                }
            }
        }
    }
    for needle in ["上官晓月", "甲2-1-102"] {
        assert!(
            shown_to_secretary.contains(needle),
            "the secretary's pages show {needle} (else the leak check proves nothing): {shown_to_secretary:?}"
        );
    }
    assert!(
        wrong.is_empty(),
        "{} cells of the web access matrix differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

e2e!(
    the_matrix_covers_every_page,
    every_page_admits_exactly_the_roles_of_the_table
);
