//! The web pages, over HTTP like a browser without JavaScript: owners vote with a code through
//! the step-by-step form and change their vote; every POST needs the page's CSRF token; the
//! session cookies carry the right attributes; the language switch; staff sign in and read the
//! dashboard. (`tests/browser/` drives the same pages in a real Chromium.)

use std::collections::BTreeMap;

use diesel::RunQueryDsl;
use gongjue_store::outbox::OutboxFilter;
use gongjue_store::users::Role;
use serde_json::{Value, json};

use crate::e2e;
use crate::helpers::{Assembly, Session, TestApp, TestDb, spawn_app, web_assembly as setup};

/// A browser without JavaScript: keeps cookies, does not follow redirects.
pub(crate) struct Browser {
    base: String,
    http: reqwest::Client,
    cookies: BTreeMap<String, String>,
}

pub(crate) struct Page {
    pub(crate) status: u16,
    pub(crate) location: Option<String>,
    set_cookies: Vec<String>,
    pub(crate) html: String,
    /// The `Retry-After` header, if any.
    pub(crate) retry_after: Option<String>,
}

impl Page {
    /// The value of the first `<input type="hidden" name="NAME" value="...">`.
    pub(crate) fn hidden(&self, name: &str) -> Option<String> {
        self.hidden_fields()
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// Every hidden input of the page, in order.
    pub(crate) fn hidden_fields(&self) -> Vec<(String, String)> {
        let mut fields = Vec::new();
        for chunk in self.html.split("<input type=\"hidden\" name=\"").skip(1) {
            let (name, rest) = chunk.split_once('"').unwrap();
            let value = rest
                .split_once("value=\"")
                .map(|(_, v)| v.split_once('"').unwrap().0)
                .unwrap_or_default();
            fields.push((unescape(name), unescape(value)));
        }
        fields
    }

    pub(crate) fn cookie(&self, name: &str) -> Option<&String> {
        self.set_cookies
            .iter()
            .find(|c| c.starts_with(&format!("{name}=")))
    }
}

fn unescape(text: &str) -> String {
    text.replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

impl Browser {
    /// Uploads a file as a browser does (`multipart/form-data`), with the page's CSRF token.
    pub(crate) async fn upload(
        &mut self,
        path: &str,
        csrf: &str,
        filename: &str,
        bytes: &[u8],
    ) -> Page {
        let boundary = "----gongjue-test-boundary";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n"
        )
        .into_bytes();
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: text/csv\r\n\r\n").bytes());
        body.extend_from_slice(bytes);
        body.extend(format!("\r\n--{boundary}--\r\n").bytes());
        let response = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .body(body)
            .send()
            .await
            .unwrap();
        self.read(response).await
    }

    pub(crate) fn new(app: &TestApp) -> Browser {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Browser {
            base: app.base.clone(),
            http,
            cookies: BTreeMap::new(),
        }
    }

    async fn read(&mut self, response: reqwest::Response) -> Page {
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned());
        let retry_after = response
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_owned());
        let set_cookies: Vec<String> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        for cookie in &set_cookies {
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
            set_cookies,
            html: response.text().await.unwrap(),
            retry_after,
        }
    }

    pub(crate) fn cookie_value(&self, name: &str) -> Option<String> {
        self.cookies.get(name).cloned()
    }

    pub(crate) fn set_cookie(&mut self, name: &str, value: &str) {
        self.cookies.insert(name.to_owned(), value.to_owned());
    }

    /// Drops a cookie, as a browser does when it expires.
    pub(crate) fn forget(&mut self, name: &str) {
        self.cookies.remove(name);
    }

    pub(crate) fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub(crate) async fn get(&mut self, path: &str) -> Page {
        let response = self
            .http
            .get(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .send()
            .await
            .unwrap();
        self.read(response).await
    }

    pub(crate) async fn post(&mut self, path: &str, fields: &[(String, String)]) -> Page {
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
}

impl Browser {
    /// Opens the voting link of `code` and presses its button, as an owner does: the link's
    /// page names the units, and only the form (with the page's CSRF token) signs in.
    async fn follow_link(&mut self, code: &str) -> Page {
        let page = self.get(&format!("/v/{code}")).await;
        let Some(csrf) = page.hidden("csrf") else {
            return page;
        };
        let mut fields = vec![("csrf".to_owned(), csrf)];
        if page.hidden("confirm").is_some() {
            fields.push(("confirm".into(), "1".into()));
        }
        self.post(&format!("/v/{code}"), &fields).await
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

fn with(mut fields: Vec<(String, String)>, extra: &[(&str, &str)]) -> Vec<(String, String)> {
    fields.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    fields
}

/// The owner's current choices as the JSON API reports them: (item, voter) → (choice, seq-less channel).
async fn recorded(
    app: &TestApp,
    browser: &Browser,
    assembly: &Assembly,
) -> BTreeMap<(String, String), Value> {
    let token = browser.cookies.get("gj_owner").unwrap().clone();
    let owner = Session {
        token,
        ..app.anonymous()
    };
    let sheet = owner
        .get(&format!("/api/v1/assemblies/{}/ballot", assembly.id))
        .await
        .expect(200);
    sheet["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| !e["current"].is_null())
        .map(|e| {
            (
                (
                    e["item"]["id"].as_str().unwrap().to_owned(),
                    e["voter"].as_str().unwrap().to_owned(),
                ),
                e["current"]["choice"].clone(),
            )
        })
        .collect()
}

async fn an_owner_votes_by_code_through_the_form_and_changes_the_vote(db: TestDb) {
    let s = setup(db).await;
    let mut browser = Browser::new(&s.app);

    // The QR link names the units, and its button signs in and sets an HttpOnly, SameSite
    // session cookie.
    let code = s.codes["P1"].clone();
    let signed_in = browser.follow_link(&code).await;
    assert_eq!(
        (signed_in.status, signed_in.location.as_deref()),
        (303, Some("/ballot"))
    );
    let cookie = signed_in
        .cookie("gj_owner")
        .expect("a session cookie")
        .to_ascii_lowercase();
    assert!(
        cookie.contains("httponly") && cookie.contains("samesite=lax") && cookie.contains("path=/"),
        "{cookie}"
    );
    assert!(
        !cookie.contains("secure"),
        "plain HTTP: no Secure flag ({cookie})"
    );

    // The sheet: every item, its rule in words from its actual rule, the proxy labelled.
    let sheet = browser.get("/ballot").await;
    assert_eq!(sheet.status, 200);
    assert!(sheet.html.contains("续聘物业服务企业") && sheet.html.contains("续聘三年。"));
    assert!(sheet.html.contains("需参与表决的专有部分面积和人数均达到全体的三分之二以上，且参与表决者中专有部分面积和人数均过半数同意"), "{}", sheet.html);
    assert!(
        sheet.html.contains("代业主 *（编号 P2）表决"),
        "the proxy's member is labelled"
    );
    assert!(sheet.html.contains("投票截止"));

    // One decision per screen: motion (own), motion (for P2), election ×2, consultation ×2.
    let mut page = browser.get("/ballot/step").await;
    assert_eq!(page.status, 200);
    assert!(page.html.contains("1 / 6"), "{}", page.html);
    let answers: [&[(&str, &str)]; 6] = [
        &[("c0", "yes")],
        &[("c1", "no")],
        &[("c2", "王一"), ("c2", "李二")],
        &[("a3", "1")],
        &[("c4q0", "乙方案")],
        &[],
    ];
    for (step, answer) in answers.iter().enumerate() {
        let fields = with(page.hidden_fields(), answer);
        let fields = with(fields, &[("go", "next")]);
        page = browser.post("/ballot/step", &fields).await;
        assert_eq!(page.status, 200, "step {step}: {}", page.html);
    }
    // The review shows the whole sheet, including what was left out.
    assert!(page.html.contains("请核对您的全部选择"), "{}", page.html);
    for words in [
        "同意",
        "反对",
        "王一、李二",
        "弃权",
        "方案：乙方案",
        "未选择（本项不投票）",
    ] {
        assert!(page.html.contains(words), "review shows {words}");
    }
    let done = browser.post("/ballot/submit", &page.hidden_fields()).await;
    assert_eq!(
        (done.status, done.location.as_deref()),
        (303, Some("/ballot/done"))
    );
    let receipt = browser.get("/ballot/done").await;
    assert!(receipt.html.contains("回执号"));
    let stored = recorded(&s.app, &browser, &s.assembly).await;
    let (motion, election, consultation) = (&s.items[0], &s.items[1], &s.items[2]);
    assert_eq!(stored[&(motion.clone(), "P1".into())], json!("yes"));
    assert_eq!(stored[&(motion.clone(), "P2".into())], json!("no"));
    assert_eq!(
        stored[&(election.clone(), "P1".into())],
        json!(["王一", "李二"])
    );
    assert_eq!(stored[&(election.clone(), "P2".into())], json!("abstain"));
    assert_eq!(
        stored[&(consultation.clone(), "P1".into())],
        json!({ "方案": ["乙方案"] })
    );
    assert!(
        !stored.contains_key(&(consultation.clone(), "P2".into())),
        "left out: no ballot"
    );
    // The one receipt on the page is derived from the recorded ballots' receipts (issue 21).
    let short = crate::owner_pages::sheet_receipt_of(
        &s.app.store,
        &[
            (motion, "P1"),
            (motion, "P2"),
            (election, "P1"),
            (election, "P2"),
            (consultation, "P1"),
        ],
    );
    assert!(receipt.html.contains(&short), "{short} in {}", receipt.html);

    // Too many marks are refused on the step itself, with the reason.
    let mut page = browser.get("/ballot/step").await;
    for _ in 0..2 {
        page = browser
            .post(
                "/ballot/step",
                &with(page.hidden_fields(), &[("go", "next")]),
            )
            .await;
    }
    let fields: Vec<(String, String)> = page
        .hidden_fields()
        .into_iter()
        .filter(|(k, _)| k != "c2" && k != "a2")
        .collect();
    let refused = browser
        .post(
            "/ballot/step",
            &with(
                fields,
                &[
                    ("c2", "王一"),
                    ("c2", "李二"),
                    ("c2", "赵三"),
                    ("go", "next"),
                ],
            ),
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(refused.html.contains("最多只能选 2 人"), "{}", refused.html);

    // Changing the vote: the form starts from what is recorded; only the motion changes.
    let mut page = browser.get("/ballot/step").await;
    let fields: Vec<(String, String)> = page
        .hidden_fields()
        .into_iter()
        .filter(|(k, _)| k != "c0")
        .collect();
    assert!(
        page.html.contains("value=\"yes\" checked"),
        "the recorded choice is ticked"
    );
    page = browser
        .post(
            "/ballot/step",
            &with(fields, &[("c0", "abstain"), ("go", "review")]),
        )
        .await;
    assert!(page.html.contains("请核对您的全部选择"));
    let done = browser.post("/ballot/submit", &page.hidden_fields()).await;
    assert_eq!(done.status, 303);
    let stored = recorded(&s.app, &browser, &s.assembly).await;
    assert_eq!(stored[&(motion.clone(), "P1".into())], json!("abstain"));
    assert_eq!(
        stored[&(election.clone(), "P1".into())],
        json!(["王一", "李二"]),
        "unchanged choices stay"
    );
    let history = s.app.store.ballot_history(motion, "P1").unwrap();
    assert_eq!(history.len(), 2, "the change is a new version");

    // After closing: the owner's record, read-only, with paper and web alike.
    s.secretary.close_early(&s.assembly).await;
    let record = browser.get("/ballot").await;
    assert!(record.html.contains("投票已结束"), "{}", record.html);
    assert!(record.html.contains("弃权 · 网上投票"));
    assert!(
        record
            .html
            .contains("表决结果：</strong>参与表决的面积或人数未达到法定比例"),
        "the outcome after closing: {}",
        record.html
    );
    assert!(
        !record.html.contains("href=\"/ballot/step\""),
        "no more voting"
    );
    let late = browser.post("/ballot/submit", &page.hidden_fields()).await;
    assert_eq!(late.status, 409);
    assert!(
        late.html.contains("投票已经结束"),
        "a clear page: {}",
        late.html
    );
}

async fn every_post_needs_the_pages_csrf_token(db: TestDb) {
    let s = setup(db).await;
    let mut browser = Browser::new(&s.app);
    let form = browser.get("/vote").await;
    let csrf = form.hidden("csrf").expect("the form carries a token");
    let sid = form
        .cookie("gj_sid")
        .expect("a session id cookie")
        .to_ascii_lowercase();
    assert!(
        sid.contains("httponly") && sid.contains("samesite=lax"),
        "{sid}"
    );

    let code = s.codes["P1"].clone();
    let missing = browser
        .post("/vote", &[("code".into(), code.clone())])
        .await;
    assert_eq!(missing.status, 403);
    assert!(
        missing.html.contains("页面已过期或来源不明"),
        "{}",
        missing.html
    );
    let forged = browser
        .post(
            "/vote",
            &[
                ("code".into(), code.clone()),
                ("csrf".into(), "0".repeat(64)),
            ],
        )
        .await;
    assert_eq!(forged.status, 403);
    // Another browser's token does not work here.
    let mut other = Browser::new(&s.app);
    let other_csrf = other.get("/vote").await.hidden("csrf").unwrap();
    assert_ne!(other_csrf, csrf);
    assert_eq!(
        browser
            .post(
                "/vote",
                &[("code".into(), code.clone()), ("csrf".into(), other_csrf)]
            )
            .await
            .status,
        403
    );
    // A wrong code: the form again, with the reason.
    let wrong = browser
        .post(
            "/vote",
            &[
                ("code".into(), "AAAA-BBBB-CCCC".into()),
                ("csrf".into(), csrf.clone()),
            ],
        )
        .await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.html.contains("投票码不正确或已作废"));
    let ok = browser
        .post(
            "/vote",
            &[("code".into(), code), ("csrf".into(), csrf.clone())],
        )
        .await;
    assert_eq!((ok.status, ok.location.as_deref()), (303, Some("/ballot")));

    // Casting without the token stores nothing.
    let mut page = browser.get("/ballot/step").await;
    page = browser
        .post(
            "/ballot/step",
            &with(page.hidden_fields(), &[("c0", "yes"), ("go", "review")]),
        )
        .await;
    let without: Vec<(String, String)> = page
        .hidden_fields()
        .into_iter()
        .filter(|(k, _)| k != "csrf")
        .collect();
    assert_eq!(browser.post("/ballot/submit", &without).await.status, 403);
    assert!(
        s.app
            .store
            .current_ballot(&s.items[0], "P1")
            .unwrap()
            .is_none()
    );
    assert_eq!(
        browser
            .post("/ballot/submit", &page.hidden_fields())
            .await
            .status,
        303
    );
    assert!(
        s.app
            .store
            .current_ballot(&s.items[0], "P1")
            .unwrap()
            .is_some()
    );

    // Behind a TLS proxy that says so, the cookies are Secure.
    let https = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let link = format!("{}/v/{}", s.app.base, s.codes["P2"]);
    let page = https
        .get(&link)
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    let sid = page
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_owned())
        .find(|c| c.starts_with("gj_sid="))
        .expect("a session id");
    let html = page.text().await.unwrap();
    let csrf = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let response = https
        .post(&link)
        .header("x-forwarded-proto", "https")
        .header("cookie", sid)
        .form(&[("csrf", csrf.as_str()), ("confirm", "1")])
        .send()
        .await
        .unwrap();
    let cookies: Vec<String> = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_ascii_lowercase())
        .collect();
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("gj_owner=") && c.contains("secure")),
        "{cookies:?}"
    );

    // Without a session the pages send the owner to the code form.
    let mut stranger = Browser::new(&s.app);
    let away = stranger.get("/ballot").await;
    assert_eq!(
        (away.status, away.location.as_deref()),
        (303, Some("/vote"))
    );
    let away = stranger.get("/staff").await;
    assert_eq!(
        (away.status, away.location.as_deref()),
        (303, Some("/staff/login"))
    );
}

async fn pages_speak_chinese_by_default_and_english_on_request(db: TestDb) {
    let app = spawn_app(db).await;
    let mut browser = Browser::new(&app);
    let zh = browser.get("/vote").await;
    assert!(zh.html.contains("<html lang=\"zh-CN\">") && zh.html.contains("输入投票码"));
    assert!(
        zh.html.contains("href=\"/lang/en?back=/vote\""),
        "a switch link"
    );
    let switched = browser.get("/lang/en?back=/vote").await;
    assert_eq!(
        (switched.status, switched.location.as_deref()),
        (303, Some("/vote"))
    );
    assert!(
        switched
            .cookie("gj_lang")
            .unwrap()
            .starts_with("gj_lang=en")
    );
    let en = browser.get("/vote").await;
    assert!(
        en.html.contains("<html lang=\"en\">") && en.html.contains("Enter your voting code"),
        "{}",
        en.html
    );
    let evil = browser.get("/lang/zh-CN?back=//evil.example/").await;
    assert_eq!(
        evil.location.as_deref(),
        Some("/"),
        "never away from the site"
    );
    let mut fresh = Browser::new(&app);
    let by_query = fresh.get("/vote?lang=en").await;
    assert!(by_query.html.contains("Enter your voting code"));
    assert!(by_query.cookie("gj_lang").is_some(), "?lang= is remembered");
    let missing = fresh.get("/no/such/page").await;
    assert_eq!(missing.status, 404);
    assert!(
        missing.html.contains("There is no such address."),
        "an HTML page, not JSON"
    );
}

async fn staff_sign_in_and_read_the_dashboard(db: TestDb) {
    let s = setup(db).await;
    // P1 votes on the motion through the API; P2, P4, P5 have not voted.
    let p1 = s.app.owner(&s.assembly, &s.codes["P1"]).await;
    p1.vote(&s.assembly, &[(&s.items[0], json!("yes"))])
        .await
        .expect(200);

    let mut browser = Browser::new(&s.app);
    let form = browser.get("/staff/login").await;
    let csrf = form.hidden("csrf").unwrap();
    let wrong = browser
        .post(
            "/staff/login",
            &[
                ("login".into(), "sec-web".into()),
                ("password".into(), "nope".into()),
                ("csrf".into(), csrf.clone()),
            ],
        )
        .await;
    assert_eq!(wrong.status, 401);
    assert!(wrong.html.contains("账号或密码不正确"));
    let fields = [
        ("login".into(), "sec-web".into()),
        ("password".into(), "sec-web-password-long-enough".into()),
        ("csrf".into(), csrf),
    ];
    let signed_in = browser.post("/staff/login", &fields).await;
    assert_eq!(
        (signed_in.status, signed_in.location.as_deref()),
        (303, Some("/staff"))
    );
    let cookie = signed_in.cookie("gj_staff").unwrap().to_ascii_lowercase();
    assert!(
        cookie.contains("httponly") && cookie.contains("samesite=strict"),
        "{cookie}"
    );

    let list = browser.get("/staff").await;
    assert!(
        list.html.contains("小区甲")
            && list
                .html
                .contains(&format!("/staff/assemblies/{}", s.assembly.id))
    );
    let dashboard = browser
        .get(&format!("/staff/assemblies/{}", s.assembly.id))
        .await;
    assert_eq!(dashboard.status, 200);
    // Motion: P1 holds 220 of 480 m² and 1 of 4 heads: one row of the items' table.
    assert!(
        dashboard.html.contains("220.00 / 480.00 m²") && dashboard.html.contains("45.8%"),
        "{}",
        dashboard.html
    );
    assert!(dashboard.html.contains("1 / 4") && dashboard.html.contains("25.0%"));
    // 2/3 of 480 m² is 320 m²; 2/3 of 4 heads is 2.67, so 3 heads.
    assert!(
        dashboard.html.contains("还差 2 户 / 100.00 m²"),
        "{}",
        dashboard.html
    );
    assert!(
        !dashboard.html.contains("http-equiv=\"refresh\""),
        "no <meta refresh>: a link refreshes"
    );
    // Everyone still has an item to vote on; names in full for the round, by building.
    assert!(
        dashboard.html.contains("尚未投票的业主 (4)"),
        "{}",
        dashboard.html
    );
    assert!(dashboard.html.contains("2-1-101 丁 (P4)"));
    // An owner's session is not a staff session.
    let mut owner = Browser::new(&s.app);
    owner.follow_link(&s.codes["P2"]).await;
    assert_eq!(
        owner.get("/staff").await.location.as_deref(),
        Some("/staff/login")
    );
}

/// Signs a staff member in through the login page.
pub(crate) async fn staff_browser(app: &TestApp, login: &str) -> Browser {
    staff_browser_with(app, login, &format!("{login}-password-long-enough")).await
}

/// A browser signed in on the staff login page with `login` and `password`.
pub(crate) async fn staff_browser_with(app: &TestApp, login: &str, password: &str) -> Browser {
    let mut browser = Browser::new(app);
    let csrf = browser.get("/staff/login").await.hidden("csrf").unwrap();
    let fields = [
        ("login".into(), login.into()),
        ("password".into(), password.into()),
        ("csrf".into(), csrf),
    ];
    assert_eq!(browser.post("/staff/login", &fields).await.status, 303);
    browser
}

async fn a_paper_ballot_is_entered_by_one_and_confirmed_by_another(db: TestDb) {
    let s = setup(db).await;
    let estate = s.app.store.assembly(&s.assembly.id).unwrap().estate_id;
    // A second secretary, for the four-eyes confirmation.
    let second_api = s.app.staff("sec-two", Role::Secretary, &estate).await;
    let mut first = staff_browser(&s.app, "sec-web").await;
    let paper = format!("/staff/assemblies/{}/paper", s.assembly.id);
    let search = first.get(&format!("{paper}?unit=9-9-999")).await;
    assert_eq!(search.status, 422);
    assert!(search.html.contains("该房号不在本次会议的表决范围内"));
    // P4 voted online on the motion: the entry page says, before anything is entered, that the
    // paper ballot will replace the web ballot, and when it may (issue 21).
    let quiet = first.get(&format!("{paper}?unit=1-1-102")).await;
    assert!(!quiet.html.contains("id=\"web-warning\""), "{}", quiet.html);
    s.app
        .owner(&s.assembly, &s.codes["P4"])
        .await
        .vote(&s.assembly, &[(&s.items[0], json!("yes"))])
        .await
        .expect(200);
    let sheet = first.get(&format!("{paper}?unit=2-1-101")).await;
    assert_eq!(sheet.status, 200);
    let warning = sheet
        .html
        .split("id=\"web-warning\">")
        .nth(1)
        .unwrap_or_else(|| panic!("no warning: {}", sheet.html))
        .split("</p>")
        .next()
        .unwrap()
        .to_owned();
    assert!(
        warning.contains("该业主已在网上投票（续聘物业服务企业；最后一次在 ")
            && warning.contains("录入这张纸质表决票将替换网上投票")
            && warning.contains("收到时间更早的纸质票会被拒绝"),
        "{warning}"
    );
    // Never the choice made online (a running result).
    assert!(!warning.contains("同意"), "{warning}");
    assert!(
        sheet.html.contains("丁 (P4)") && sheet.html.contains("废票"),
        "{}",
        sheet.html
    );
    let received = sheet
        .html
        .split("name=\"received_at\" type=\"datetime-local\" step=\"any\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let fields = with(
        sheet.hidden_fields(),
        &[
            ("c0", "no"),
            ("c1", "王一"),
            ("received_at", &received),
            ("scan_ref", "箱2-017"),
        ],
    );
    let entered = first.post(&paper, &fields).await;
    assert_eq!(entered.status, 303, "{}", entered.html);
    assert!(
        first
            .get(entered.location.as_deref().unwrap())
            .await
            .html
            .contains("2-1-101 的纸质选票已录入")
    );
    let motion = s
        .app
        .store
        .current_ballot(&s.items[0], "P4")
        .unwrap()
        .unwrap();
    assert_eq!(
        (motion.channel.as_str(), motion.choice.as_str()),
        ("paper", "\"no\"")
    );
    assert!(
        motion.confirmed_at.is_none(),
        "not counted before a second person confirms"
    );
    // Too many marks on paper: refused with the reason, nothing more stored.
    let sheet = first.get(&format!("{paper}?unit=1-1-102")).await;
    let fields = with(
        sheet.hidden_fields(),
        &[
            ("c1", "王一"),
            ("c1", "李二"),
            ("c1", "赵三"),
            ("received_at", &received),
        ],
    );
    assert_eq!(first.post(&paper, &fields).await.status, 422);
    assert!(
        s.app
            .store
            .current_ballot(&s.items[1], "P2")
            .unwrap()
            .is_none()
    );

    // The queue: the one who entered it cannot confirm; the second person can.
    let queue = format!("/staff/assemblies/{}/confirm", s.assembly.id);
    let mine = first.get(&queue).await;
    assert!(
        mine.html.contains("箱2-017") && mine.html.contains("纸质选票须由录入人以外的另一人确认"),
        "{}",
        mine.html
    );
    assert!(
        !mine.html.contains("/confirm/"),
        "no confirm button for one's own entry"
    );
    let mut other = staff_browser(&s.app, "sec-two").await;
    let theirs = other.get(&queue).await;
    // One sheet, one action (issue 21): P4's motion and election, entered together, are
    // confirmed with the one button of their sheet.
    let form = theirs
        .html
        .split(&format!(
            "action=\"/staff/assemblies/{}/confirm\"",
            s.assembly.id
        ))
        .nth(1)
        .unwrap()
        .split("</form>")
        .next()
        .unwrap()
        .to_owned();
    let ballots: Vec<String> = form
        .split("name=\"ballot\" value=\"")
        .skip(1)
        .map(|v| v.split('"').next().unwrap().to_owned())
        .collect();
    assert_eq!(ballots.len(), 2, "{form}");
    assert_eq!(
        theirs.html.matches("确认整张表决票").count(),
        1,
        "{}",
        theirs.html
    );
    let csrf = theirs.hidden("csrf").unwrap();
    let sheet_fields: Vec<(String, String)> = std::iter::once(("csrf".to_owned(), csrf))
        .chain(ballots.iter().map(|b| ("ballot".to_owned(), b.clone())))
        .collect();
    let confirmed = other.post(&queue, &sheet_fields).await;
    assert_eq!(confirmed.status, 303, "{}", confirmed.html);
    for item in &s.items[..2] {
        assert!(
            s.app
                .store
                .current_ballot(item, "P4")
                .unwrap()
                .unwrap()
                .confirmed_at
                .is_some(),
            "the whole sheet is confirmed"
        );
    }
    let after = other.get(confirmed.location.as_deref().unwrap()).await;
    assert!(after.html.contains("已确认，该票已计入"));
    // A sheet is checked whole: P2's consultation is on confirmed paper, so the sheet that
    // would also record P2's motion is refused, and the motion is not stored either.
    let entered = s
        .secretary
        .enter_paper(
            &s.assembly,
            &s.items[2],
            "P2",
            json!({ "方案": ["甲方案"] }),
        )
        .await
        .expect(201);
    second_api
        .post(
            &format!(
                "/api/v1/paper-ballots/{}/confirm",
                entered["id"].as_str().unwrap()
            ),
            json!({}),
        )
        .await
        .expect(200);
    let sheet = first.get(&format!("{paper}?unit=1-1-102")).await;
    let fields = with(
        sheet.hidden_fields(),
        &[
            ("c0", "yes"),
            ("c2q0", "乙方案"),
            ("received_at", &received),
        ],
    );
    let refused = first.post(&paper, &fields).await;
    assert_eq!(refused.status, 409, "{}", refused.html);
    assert!(
        refused
            .html
            .contains("已确认的纸质选票只能通过注明理由的更正来修改"),
        "{}",
        refused.html
    );
    assert!(
        s.app
            .store
            .current_ballot(&s.items[0], "P2")
            .unwrap()
            .is_none(),
        "nothing of the sheet is stored"
    );

    // The one who entered it, trying anyway with a forged request, is refused by the rule,
    // for the sheet and for one of its ballots alike.
    let csrf = first.get(&queue).await.hidden("csrf").unwrap_or_default();
    let mut forged = vec![("csrf".to_owned(), csrf.clone())];
    forged.extend(ballots.iter().map(|b| ("ballot".to_owned(), b.clone())));
    assert_eq!(first.post(&queue, &forged).await.status, 409);
    let again = first
        .post(&format!("{queue}/{}", ballots[0]), &[("csrf".into(), csrf)])
        .await;
    assert_eq!(again.status, 409);
}

async fn a_secretary_uploads_the_roster_and_reads_the_report(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("小区乙");
    app.staff("sec-roster", Role::Secretary, &estate).await;
    let mut browser = staff_browser(&app, "sec-roster").await;
    let form = browser.get("/staff/roster").await;
    assert_eq!(form.status, 200);
    let csrf = form.hidden("csrf").unwrap();
    // Errors: every one with its line, and nothing imported.
    let bad =
        "zone,building,stairwell,unit,floor,area_m2,owner_id\n,1,1,101,1,-5,P1\n,1,1,101,1,80,P2\n";
    let refused = browser
        .upload("/staff/roster", &csrf, "bad.csv", bad.as_bytes())
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.html.contains("业主名册有错误，未导入任何数据"),
        "{}",
        refused.html
    );
    assert!(
        refused.html.contains("<td>2</td>")
            && refused.html.contains("<td>3</td>")
            && refused.html.contains("面积必须大于零"),
        "{}",
        refused.html
    );
    assert!(app.store.current_units(&estate).unwrap().is_empty());
    // Without the token: refused before anything is read into the store.
    assert_eq!(
        browser
            .upload(
                "/staff/roster",
                "forged",
                "r.csv",
                crate::helpers::SMALL_ROSTER.as_bytes()
            )
            .await
            .status,
        403
    );
    let imported = browser
        .upload(
            "/staff/roster",
            &csrf,
            "roster.csv",
            crate::helpers::SMALL_ROSTER.as_bytes(),
        )
        .await;
    assert_eq!(imported.status, 200, "{}", imported.html);
    assert!(
        imported.html.contains("名册已导入") && imported.html.contains("5 户 · 480.00 m²"),
        "{}",
        imported.html
    );
    assert_eq!(app.store.current_units(&estate).unwrap().len(), 5);
}

fn beijing(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap())
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

async fn a_secretary_sets_up_an_assembly_closes_it_and_reads_the_result(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("小区甲");
    let api = app.staff("sec-setup", Role::Secretary, &estate).await;
    api.import_roster(&estate, crate::helpers::SMALL_ROSTER.as_bytes())
        .await
        .expect(200);
    let mut browser = staff_browser(&app, "sec-setup").await;
    let form = browser.get("/staff/assemblies/new").await;
    let csrf = form.hidden("csrf").unwrap();
    let opens = chrono::Utc::now() + chrono::Duration::seconds(2);
    let fields = |title: &str, closes: chrono::DateTime<chrono::Utc>| {
        vec![
            ("csrf".to_owned(), csrf.clone()),
            ("title".to_owned(), title.to_owned()),
            ("opens_at".to_owned(), beijing(opens)),
            ("closes_at".to_owned(), beijing(closes)),
            ("notice_days".to_owned(), "0".to_owned()),
            ("objection_days".to_owned(), "7".to_owned()),
            ("objection_minutes".to_owned(), "2".to_owned()),
            ("changeable".to_owned(), "1".to_owned()),
        ]
    };
    assert!(
        form.html.contains("name=\"objection_minutes\""),
        "a trial estate's form offers an objection period in minutes"
    );
    // Closing before opening: the form again, the field named.
    let refused = browser
        .post(
            "/staff/assemblies",
            &fields("会议", opens - chrono::Duration::hours(1)),
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.html.contains("closes_at") && refused.html.contains("value=\"会议\""),
        "{}",
        refused.html
    );
    let created = browser
        .post(
            "/staff/assemblies",
            &fields(
                "2026年第二次业主大会会议",
                opens + chrono::Duration::hours(2),
            ),
        )
        .await;
    assert_eq!(created.status, 303);
    let setup = created.location.unwrap();
    let id = setup
        .trim_start_matches("/staff/assemblies/")
        .trim_end_matches("/setup")
        .to_owned();
    let options = app.store.assembly(&id).unwrap().options;
    assert!(
        options.contains("\"objection_minutes\":2"),
        "the minutes replace the days: {options}"
    );
    let page = browser.get(&setup).await;
    assert!(
        page.html.contains("改建、重建建筑物及其附属设施"),
        "the nine matters are offered"
    );
    let items = format!("/staff/assemblies/{id}/items");
    let item = |extra: &[(&str, &str)]| with(vec![("csrf".into(), csrf.clone())], extra);
    let added = browser
        .post(
            &items,
            &item(&[
                ("kind", "motion"),
                ("title", "外墙翻新"),
                ("matter", "7"),
                ("scope", "buildings"),
                ("building", "2"),
            ]),
        )
        .await;
    assert_eq!(added.status, 303);
    let bad = browser
        .post(
            &items,
            &item(&[("kind", "election"), ("title", "选举"), ("seats", "x")]),
        )
        .await;
    assert_eq!(bad.status, 422);
    assert!(bad.html.contains("seats"));
    let page = browser.get(&setup).await;
    assert!(
        page.html.contains("外墙翻新") && page.html.contains("楼栋 2"),
        "{}",
        page.html
    );
    assert!(
        page.html
            .contains("参与表决者中专有部分面积和人数均四分之三以上同意"),
        "matter 7 is counted with the special rule"
    );
    let state = format!("/staff/assemblies/{id}/state");
    assert_eq!(
        browser
            .post(&state, &item(&[("action", "announce")]))
            .await
            .status,
        303
    );
    tokio::time::sleep(
        (opens - chrono::Utc::now()).to_std().unwrap_or_default()
            + std::time::Duration::from_millis(200),
    )
    .await;
    assert_eq!(
        browser
            .post(&state, &item(&[("action", "open")]))
            .await
            .status,
        303
    );
    let early = browser
        .get(&format!("/staff/assemblies/{id}/results"))
        .await;
    assert_eq!(early.status, 409);
    assert!(early.html.contains("投票结束后才能查看结果"));
    let codes = api
        .issue_codes(
            &crate::helpers::Assembly {
                id: id.clone(),
                opens,
            },
            None,
        )
        .await;
    let p4 = app
        .owner(
            &crate::helpers::Assembly {
                id: id.clone(),
                opens,
            },
            &codes["P4"],
        )
        .await;
    let motion = app.store.items(&id).unwrap()[0].id.clone();
    p4.vote(
        &crate::helpers::Assembly {
            id: id.clone(),
            opens,
        },
        &[(&motion, json!("yes"))],
    )
    .await
    .expect(200);
    let no_reason = browser.post(&state, &item(&[("action", "close")])).await;
    assert_eq!(no_reason.status, 422);
    assert!(no_reason.html.contains("须注明理由"), "{}", no_reason.html);
    // Closing asks first: nothing is closed until the confirmation's button sends it again.
    let asked = browser
        .post(&state, &item(&[("action", "close"), ("reason", "测试")]))
        .await;
    assert_eq!(asked.status, 200, "{}", asked.html);
    assert!(
        asked.html.contains("确认结束投票")
            && asked.html.contains("name=\"confirmed\" value=\"1\"")
    );
    assert_eq!(app.store.assembly(&id).unwrap().state, "open");
    let closed = browser
        .post(
            &state,
            &item(&[("action", "close"), ("reason", "测试"), ("confirmed", "1")]),
        )
        .await;
    assert_eq!(
        closed.location.as_deref(),
        Some(format!("/staff/assemblies/{id}/results").as_str())
    );
    let results = browser
        .get(&format!("/staff/assemblies/{id}/results"))
        .await;
    assert_eq!(results.status, 200);
    // Building 2 only: P4 (80 of 160 m², 1 of 2 heads) took part and agreed: no quorum.
    assert!(
        results.html.contains("参与表决的面积或人数未达到法定比例"),
        "{}",
        results.html
    );
    assert!(
        results.html.contains("80.00 m² (50.0%)") && results.html.contains("80.00 m² (100.0%)"),
        "{}",
        results.html
    );
    assert!(results.html.contains("2-1-101 *"));
    assert!(
        results
            .html
            .contains(&format!("/staff/assemblies/{id}/announcement.html"))
    );
}

async fn the_notice_and_the_ballot_sheets_print_with_working_codes(db: TestDb) {
    let s = setup(db).await;
    let mut browser = staff_browser(&s.app, "sec-web").await;
    let notice = browser
        .get(&format!("/staff/assemblies/{}/notice", s.assembly.id))
        .await;
    assert_eq!(notice.status, 200);
    for words in [
        "会议公告",
        "续聘物业服务企业",
        "续聘三年。",
        "王一、李二、赵三",
        "投票截止时间",
        "过半数同意",
        // The election's rule worded for candidates, not as agreeing (issue 21, point 7).
        "得票最多的 2 名候选人当选",
        "/vote",
    ] {
        assert!(notice.html.contains(words), "the notice shows {words}");
    }
    let menu = browser
        .get(&format!("/staff/assemblies/{}/print", s.assembly.id))
        .await;
    assert!(menu.html.contains("只为还没有投票码的业主生成表决票"));
    let sheets_url = format!("/staff/assemblies/{}/sheets", s.assembly.id);
    assert_eq!(browser.post(&sheets_url, &[]).await.status, 403);
    // Every member has a code already: printing issues none again (a new code for a member
    // who had one is a re-issue, confirmed by a second person), and the codes keep working.
    // (Before issue 17 this page re-issued every member's code and revoked the old ones.)
    let sheets = browser
        .post(
            &sheets_url,
            &[("csrf".into(), menu.hidden("csrf").unwrap())],
        )
        .await;
    assert_eq!(sheets.status, 200);
    assert_eq!(sheets.html.matches("<svg").count(), 0, "{}", sheets.html);
    assert!(sheets.html.contains("所有业主都已领取过投票码"));
    let mut owner = Browser::new(&s.app);
    assert_eq!(
        owner.follow_link(&s.codes["P1"]).await.location.as_deref(),
        Some("/ballot")
    );
}

async fn a_secretary_records_a_proxy_with_its_reference(db: TestDb) {
    let s = setup(db).await;
    let mut browser = staff_browser(&s.app, "sec-web").await;
    let url = format!("/staff/assemblies/{}/proxies", s.assembly.id);
    let page = browser.get(&url).await;
    assert!(
        page.html.contains("委托书 2026-007") && page.html.contains("乙 (P2)"),
        "the setup's proxy is listed: {}",
        page.html
    );
    let csrf = page.hidden("csrf").unwrap();
    let missing = browser
        .post(
            &url,
            &[
                ("csrf".into(), csrf.clone()),
                ("member".into(), "P5".into()),
                ("holder".into(), "P4".into()),
                ("document_ref".into(), " ".into()),
            ],
        )
        .await;
    assert_eq!(missing.status, 422);
    assert!(missing.html.contains("document_ref"));
    let fields = [
        ("csrf".into(), csrf),
        ("member".into(), "P5".into()),
        ("holder".into(), "P4".into()),
        ("document_ref".into(), "委托书 2026-011".into()),
        ("item".into(), s.items[0].clone()),
    ];
    assert_eq!(browser.post(&url, &fields).await.status, 303);
    let page = browser.get(&url).await;
    assert!(
        page.html.contains("委托书 2026-011") && page.html.contains("部分事项"),
        "{}",
        page.html
    );
    // P4 now sees P5's motion on their sheet, labelled, and nothing else of P5's.
    let mut p4 = Browser::new(&s.app);
    p4.follow_link(&s.codes["P4"]).await;
    let sheet = p4.get("/ballot").await;
    assert_eq!(
        sheet.html.matches("代业主 *（编号 P5）表决").count(),
        1,
        "{}",
        sheet.html
    );
}

async fn auditors_read_but_do_not_write_and_staff_of_two_estates_choose_one(db: TestDb) {
    let s = setup(db).await;
    let estate = s.app.store.assembly(&s.assembly.id).unwrap().estate_id;
    s.app.staff("audit-web", Role::Auditor, &estate).await;
    let mut auditor = staff_browser(&s.app, "audit-web").await;
    let dashboard = auditor
        .get(&format!("/staff/assemblies/{}", s.assembly.id))
        .await;
    assert_eq!(dashboard.status, 200);
    let paper = format!("/staff/assemblies/{}/paper", s.assembly.id);
    let refused = auditor.get(&format!("{paper}?unit=2-1-101")).await;
    assert_eq!(refused.status, 403);
    assert!(
        refused.html.contains("您的角色只能查看，不能修改"),
        "{}",
        refused.html
    );

    // A secretary of two estates names the estate on the sign-in page.
    let other = s.app.estate("小区乙");
    let user = s.app.store.user_by_login("sec-web").unwrap();
    s.app
        .store
        .grant_role(&user.id, &other, Role::Secretary, "e2e")
        .unwrap();
    let mut browser = Browser::new(&s.app);
    let csrf = browser.get("/staff/login").await.hidden("csrf").unwrap();
    let mut fields = vec![
        ("login".to_owned(), "sec-web".to_owned()),
        (
            "password".to_owned(),
            "sec-web-password-long-enough".to_owned(),
        ),
        ("csrf".to_owned(), csrf),
    ];
    let ask = browser.post("/staff/login", &fields).await;
    assert_eq!(ask.status, 422);
    assert!(ask.html.contains("name=\"estate_id\""), "{}", ask.html);
    fields.push(("estate_id".into(), other.clone()));
    assert_eq!(browser.post("/staff/login", &fields).await.status, 303);
    assert!(browser.get("/staff").await.html.contains("小区乙"));
    // The home page links both ways in.
    let home = browser.get("/").await;
    assert!(home.html.contains("href=\"/vote\"") && home.html.contains("href=\"/staff/login\""));
}

/// An owner's browser signed in with their code (the QR link).
pub(crate) async fn owner_browser(app: &TestApp, code: &str) -> Browser {
    let mut browser = Browser::new(app);
    let signed = browser.follow_link(code).await;
    assert_eq!(
        signed.location.as_deref(),
        Some("/ballot"),
        "{}",
        signed.html
    );
    browser
}

/// The `href` of the first link whose address starts with `prefix`.
fn link(page: &Page, prefix: &str) -> String {
    let at = page
        .html
        .split(&format!("href=\"{prefix}"))
        .nth(1)
        .unwrap_or_else(|| panic!("no link {prefix}: {}", page.html));
    unescape(&format!("{prefix}{}", at.split('"').next().unwrap()))
}

async fn owners_object_online_and_the_secretary_resolves_then_publishes(db: TestDb) {
    let mut raw = db.raw();
    let app = spawn_app(db).await;
    let estate = app.estate("小区甲");
    let sec = app.staff("sec-pub", Role::Secretary, &estate).await;
    let sec2 = app.staff("sec-pub-2", Role::Secretary, &estate).await;
    app.staff("aud-pub", Role::Auditor, &estate).await;
    sec.import_roster(&estate, crate::helpers::SMALL_ROSTER.as_bytes())
        .await
        .expect(200);
    let assembly = sec
        .create_assembly_with(
            &estate,
            false,
            json!({ "objection_days": 7, "public_roll": true }),
        )
        .await;
    let motion = sec
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "续聘物业服务企业", "matter": 4 }),
        )
        .await;
    sec.announce(&assembly).await;
    sec.open(&assembly).await;
    let codes = sec.issue_codes(&assembly, None).await;
    let p1_receipt = app
        .owner(&assembly, &codes["P1"])
        .await
        .vote(&assembly, &[(motion.as_str(), json!("yes"))])
        .await
        .expect(200)[0]["receipt"]
        .as_str()
        .unwrap()
        .to_owned();
    app.owner(&assembly, &codes["P4"])
        .await
        .vote(&assembly, &[(motion.as_str(), json!("no"))])
        .await
        .expect(200);
    let mut p1 = owner_browser(&app, &codes["P1"]).await;
    let mut p4 = owner_browser(&app, &codes["P4"]).await;
    let mut p5 = owner_browser(&app, &codes["P5"]).await;
    assert_eq!(
        p5.get("/ballot/publication").await.status,
        409,
        "nothing published before closing"
    );
    sec.close_early(&assembly).await;

    // The owner's record: the stage, what was recorded with its receipt, the objection form.
    assert!(
        p1.get("/ballot")
            .await
            .html
            .contains("href=\"/ballot/publication\"")
    );
    let record = p1.get("/ballot/publication").await;
    assert_eq!(record.status, 200);
    assert!(
        record.html.contains("初步结果公示中") && record.html.contains("同意 · 网上投票"),
        "{}",
        record.html
    );
    assert!(
        record.html.contains(&p1_receipt) && record.html.contains("1-1-101、1-1-201"),
        "{}",
        record.html
    );
    assert!(record.html.contains("action=\"/ballot/objections\""));
    let english = p1.get("/ballot/publication?lang=en").await;
    assert!(
        english
            .html
            .contains("Preliminary result, open to objections until")
            && english.html.contains("File an objection"),
        "{}",
        english.html
    );
    assert!(
        p1.get("/ballot/roll")
            .await
            .html
            .contains("Find your unit and your receipt number"),
        "the language is remembered"
    );
    // The published list: P1 finds their receipt on their units, marked; the roll is public here.
    let roll = p1.get("/ballot/roll?lang=zh-CN").await;
    assert_eq!(roll.status, 200);
    let row = roll
        .html
        .split("<li class=\"mine\">")
        .nth(1)
        .unwrap()
        .split("</li>")
        .next()
        .unwrap();
    assert!(
        row.contains("1-1-101") && row.contains(&p1_receipt) && row.contains("同意"),
        "{row}"
    );
    assert_eq!(
        roll.html.matches("<li class=\"mine\">").count(),
        2,
        "P1's two units"
    );
    let p5_row = roll
        .html
        .split("<li>")
        .find(|r| r.contains(">2-1-102</strong>"))
        .unwrap()
        .split("</li>")
        .next()
        .unwrap();
    assert!(
        p5_row.contains("未投票") && !p5_row.contains("class=\"code\""),
        "{p5_row}"
    );

    // Filing: CSRF refused, an empty text refused with the form kept, then filed.
    let page = p5.get("/ballot/publication").await;
    assert!(page.html.contains("尚未投票"));
    let csrf = page.hidden("csrf").unwrap();
    let forged = p5
        .post(
            "/ballot/objections",
            &[("item".into(), motion.clone()), ("text".into(), "x".into())],
        )
        .await;
    assert_eq!(forged.status, 403);
    let empty = p5
        .post(
            "/ballot/objections",
            &[
                ("csrf".into(), csrf.clone()),
                ("item".into(), motion.clone()),
                ("text".into(), "  ".into()),
            ],
        )
        .await;
    assert_eq!(empty.status, 422);
    assert!(
        empty.html.contains("text") && empty.html.contains("class=\"error\""),
        "{}",
        empty.html
    );
    assert!(
        app.store.objections(&assembly.id, None).unwrap().is_empty(),
        "nothing stored"
    );
    let text = "我在投票箱投了同意票，但没有记录。";
    let filed = p5
        .post(
            "/ballot/objections",
            &[
                ("csrf".into(), csrf.clone()),
                ("item".into(), motion.clone()),
                ("text".into(), text.into()),
            ],
        )
        .await;
    assert_eq!(
        filed.location.as_deref(),
        Some("/ballot/publication?filed=1"),
        "{}",
        filed.html
    );
    let after = p5.get("/ballot/publication?filed=1").await;
    assert!(
        after.html.contains("异议已提交")
            && after.html.contains(text)
            && after.html.contains("待处理"),
        "{}",
        after.html
    );
    let csrf4 = p4.get("/ballot/publication").await.hidden("csrf").unwrap();
    let filed = p4
        .post(
            "/ballot/objections",
            &[
                ("csrf".into(), csrf4),
                ("item".into(), motion.clone()),
                ("text".into(), "我投的是同意。".into()),
            ],
        )
        .await;
    assert_eq!(filed.status, 303);
    let objections = app.store.objections(&assembly.id, None).unwrap();
    let of = |voter: &str| {
        objections
            .iter()
            .find(|o| o.voter == voter)
            .unwrap()
            .id
            .clone()
    };
    let (missing, wrong) = (of("P5"), of("P4"));

    // Staff only, and only those who write: an owner and an auditor are refused.
    let resolve = |id: &str| format!("/staff/objections/{id}/resolve");
    let as_owner = p5
        .post(
            &resolve(&missing),
            &[
                ("csrf".into(), csrf.clone()),
                ("resolution".into(), "rejected".into()),
                ("reason".into(), "x".into()),
            ],
        )
        .await;
    assert_eq!(as_owner.location.as_deref(), Some("/staff/login"));
    let mut auditor = staff_browser(&app, "aud-pub").await;
    let results_path = format!("/staff/assemblies/{}/results", assembly.id);
    let seen = auditor.get(&results_path).await;
    assert_eq!(seen.status, 200);
    let csrf_a = seen.hidden("csrf").unwrap();
    let refused = auditor
        .post(
            &resolve(&missing),
            &[
                ("csrf".into(), csrf_a.clone()),
                ("resolution".into(), "rejected".into()),
                ("reason".into(), "x".into()),
            ],
        )
        .await;
    assert_eq!(refused.status, 403);
    assert_eq!(
        auditor
            .post(
                &format!("/staff/assemblies/{}/publish", assembly.id),
                &[("csrf".into(), csrf_a)]
            )
            .await
            .status,
        403
    );
    assert!(
        app.store
            .objections(&assembly.id, None)
            .unwrap()
            .iter()
            .all(|o| o.status == "open")
    );

    // The secretary's results page: stage, queue, no downloads yet and why, publishing refused.
    let mut secretary = staff_browser(&app, "sec-pub").await;
    let results = secretary.get(&results_path).await;
    assert!(
        results.html.contains("初步结果公示中")
            && results.html.contains(text)
            && results.html.contains("2-1-102 戊 (P5)"),
        "{}",
        results.html
    );
    assert!(results.html.contains("最终结果发布后才能下载签名导出"));
    assert!(
        results
            .html
            .contains("现在还不能发布最终结果：异议期尚未结束"),
        "{}",
        results.html
    );
    assert!(!results.html.contains("/export.json"));
    let csrf_s = results.hidden("csrf").unwrap();
    let publish = format!("/staff/assemblies/{}/publish", assembly.id);
    let early = secretary
        .post(&publish, &[("csrf".into(), csrf_s.clone())])
        .await;
    assert_eq!(early.status, 409);
    assert!(
        early.html.contains("异议期尚未结束，不能发布最终结果"),
        "{}",
        early.html
    );
    assert_eq!(
        secretary
            .get(&format!("/staff/items/{motion}/export.json"))
            .await
            .status,
        409
    );
    let announcement = secretary
        .get(&format!(
            "/staff/assemblies/{}/announcement.html",
            assembly.id
        ))
        .await;
    assert!(
        announcement.status == 200
            && announcement.html.contains("表决结果公告")
            && announcement.html.contains(&p1_receipt)
    );
    let csv = secretary
        .get(&format!(
            "/staff/assemblies/{}/announcement.csv",
            assembly.id
        ))
        .await;
    assert!(csv.status == 200 && csv.html.contains(&p1_receipt));
    assert_eq!(
        secretary
            .post(
                &resolve(&wrong),
                &[
                    ("resolution".into(), "rejected".into()),
                    ("reason".into(), "x".into())
                ]
            )
            .await
            .status,
        403,
        "CSRF"
    );

    // The correction: the entry page pre-set from the objection, a second person confirms.
    let entry = link(
        &results,
        &format!("/staff/assemblies/{}/paper?unit=", assembly.id),
    );
    let sheet = secretary.get(&entry).await;
    assert!(
        sheet.html.contains("2-1-102")
            && sheet
                .html
                .contains("value=\"根据业主异议更正：我在投票箱投了同意票"),
        "{}",
        sheet.html
    );
    let received = (assembly.opens + chrono::Duration::milliseconds(1))
        .with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap())
        .format("%Y-%m-%dT%H:%M:%S%.3f")
        .to_string();
    let reason = sheet
        .html
        .split("id=\"reason\" name=\"reason\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let fields = with(
        sheet.hidden_fields(),
        &[
            ("c0", "yes"),
            ("received_at", &received),
            ("scan_ref", "箱3-003"),
            ("reason", &unescape(&reason)),
        ],
    );
    let entered = secretary
        .post(&format!("/staff/assemblies/{}/paper", assembly.id), &fields)
        .await;
    assert_eq!(entered.status, 303, "{}", entered.html);
    let version = app
        .store
        .current_ballot(&motion, "P5")
        .unwrap()
        .unwrap()
        .version_id;
    let page = secretary.get(&results_path).await;
    assert!(
        !page.html.contains(&format!("value=\"{version}\"")),
        "not offered before it is confirmed"
    );
    sec2.post(
        &format!("/api/v1/paper-ballots/{version}/confirm"),
        json!({}),
    )
    .await
    .expect(200);
    let page = secretary.get(&results_path).await;
    assert!(
        page.html.contains(&format!("<option value=\"{version}\">")),
        "{}",
        page.html
    );
    let other_member = secretary
        .post(
            &resolve(&wrong),
            &[
                ("csrf".into(), csrf_s.clone()),
                ("resolution".into(), "corrected".into()),
                ("ballot".into(), version.clone()),
                ("reason".into(), "x".into()),
            ],
        )
        .await;
    assert_eq!(
        other_member.status, 422,
        "P5's ballot does not correct P4's record"
    );
    assert!(other_member.html.contains("ballot"));
    let no_reason = secretary
        .post(
            &resolve(&missing),
            &[
                ("csrf".into(), csrf_s.clone()),
                ("resolution".into(), "corrected".into()),
                ("ballot".into(), version.clone()),
                ("reason".into(), " ".into()),
            ],
        )
        .await;
    assert_eq!(no_reason.status, 422);
    assert!(no_reason.html.contains("reason"));
    let corrected = secretary
        .post(
            &resolve(&missing),
            &[
                ("csrf".into(), csrf_s.clone()),
                ("resolution".into(), "corrected".into()),
                ("ballot".into(), version.clone()),
                ("reason".into(), "已补录选票".into()),
            ],
        )
        .await;
    assert_eq!(
        corrected.location.as_deref(),
        Some(format!("{results_path}?resolved=1#objections").as_str())
    );
    let page = secretary.get(&format!("{results_path}?resolved=1")).await;
    assert!(
        page.html.contains("异议已处理") && page.html.contains("已更正"),
        "{}",
        page.html
    );
    // The owner reads the answer and the corrected record.
    let answer = p5.get("/ballot/publication").await;
    assert!(
        answer.html.contains("已更正")
            && answer.html.contains("已补录选票")
            && answer.html.contains("同意 · 纸质票"),
        "{}",
        answer.html
    );

    // The period over: no more objections; one still open blocks the final result.
    diesel::sql_query(format!("UPDATE publications SET objections_until = '2000-01-01T00:00:00.000000Z' WHERE assembly_id = '{}'", assembly.id))
        .execute(&mut raw)
        .unwrap();
    let late_page = p5.get("/ballot/publication").await;
    assert!(
        late_page.html.contains("异议期已结束")
            && !late_page.html.contains("action=\"/ballot/objections\"")
    );
    let late = p5
        .post(
            "/ballot/objections",
            &[
                ("csrf".into(), csrf),
                ("item".into(), motion.clone()),
                ("text".into(), "晚了".into()),
            ],
        )
        .await;
    assert_eq!(late.status, 409);
    assert!(
        secretary
            .get(&results_path)
            .await
            .html
            .contains("仍有未处理的异议")
    );
    let blocked = secretary
        .post(&publish, &[("csrf".into(), csrf_s.clone())])
        .await;
    assert_eq!(blocked.status, 409);
    assert!(blocked.html.contains("仍有未处理的异议，不能发布最终结果"));
    let rejected = secretary
        .post(
            &resolve(&wrong),
            &[
                ("csrf".into(), csrf_s.clone()),
                ("resolution".into(), "rejected".into()),
                ("reason".into(), "网络投票记录与回执一致".into()),
            ],
        )
        .await;
    assert_eq!(rejected.status, 303);

    // Final: published, signed, downloadable; the queue and the button are gone.
    let published = secretary
        .post(&publish, &[("csrf".into(), csrf_s.clone())])
        .await;
    assert_eq!(
        published.location.as_deref(),
        Some(format!("{results_path}?published=1#publication").as_str()),
        "{}",
        published.html
    );
    let page = secretary.get(&format!("{results_path}?published=1")).await;
    assert!(
        page.html.contains("最终结果已发布，各事项的导出已签名")
            && page.html.contains("最终结果已发布："),
        "{}",
        page.html
    );
    assert!(!page.html.contains("/publish\"") && !page.html.contains("/resolve\""));
    let bundle = secretary
        .get(&link(&page, &format!("/staff/items/{motion}/export.json")))
        .await;
    assert_eq!(bundle.status, 200);
    let doc: Value = serde_json::from_str(&bundle.html).unwrap();
    assert_eq!(
        doc["result"]["choices"]["yes"]["heads"], 2,
        "P1 and the corrected P5"
    );
    let jws = secretary
        .get(&format!("/staff/items/{motion}/export.json.jws"))
        .await;
    assert_eq!(jws.status, 200);
    assert_eq!(jws.html.split('.').count(), 3, "a compact JWS");
    let again = secretary.post(&publish, &[("csrf".into(), csrf_s)]).await;
    assert_eq!(again.status, 409);
    assert!(
        p4.get("/ballot/publication")
            .await
            .html
            .contains("最终结果已发布：")
    );
}

/// P1 (Chinese) and P4 (English) have an address; P2 and P5 are served on paper.
const MAIL_ROSTER: &str =
    "zone,building,stairwell,unit,floor,area_m2,owner_id,owner_name,phone,email
,1,1,101,1,100.00,P1,甲,,p1@lakeside.example.org
,1,1,102,1,100.00,P2,乙,,
,2,1,101,1,80.00,P4,Dana,,p4@lakeside.example.org
,2,1,102,1,80.00,P5,戊,,
";

/// The part of a page from the element with `id` to the end of its section.
fn section<'a>(page: &'a Page, id: &str) -> &'a str {
    let from = page
        .html
        .split(&format!("id=\"{id}\""))
        .nth(1)
        .unwrap_or_else(|| panic!("no #{id}: {}", page.html));
    from.split("</section>").next().unwrap()
}

/// The preview's `srcdoc` attribute as the page carries it (still escaped).
fn srcdoc(page: &Page) -> &str {
    page.html
        .split("srcdoc=\"")
        .nth(1)
        .unwrap_or_else(|| panic!("no srcdoc: {}", page.html))
        .split('"')
        .next()
        .unwrap()
}

async fn a_secretary_sends_reminders_reads_the_outbox_and_previews_notices(db: TestDb) {
    // No outbox worker runs here: every queued message stays pending.
    let app = spawn_app(db).await;
    let estate = app.estate("湖畔花园");
    let secretary = app.staff("sec-mailweb", Role::Secretary, &estate).await;
    secretary
        .import_roster(&estate, MAIL_ROSTER.as_bytes())
        .await
        .expect(200);
    app.store
        .set_notice_language(&estate, Some("P4"), "en")
        .unwrap();
    let assembly = secretary.create_assembly(&estate, true).await;
    secretary
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "续聘物业服务企业", "matter": 4 }),
        )
        .await;
    secretary.announce(&assembly).await;
    secretary.open(&assembly).await;
    let url = format!("/staff/assemblies/{}/notices", assembly.id);
    let mut browser = staff_browser(&app, "sec-mailweb").await;

    // Reached from the assembly's dashboard and from the staff navigation.
    let dashboard = browser
        .get(&format!("/staff/assemblies/{}", assembly.id))
        .await;
    assert!(
        dashboard.html.contains(&format!("href=\"{url}\""))
            && dashboard.html.contains("href=\"/staff/outbox\""),
        "{}",
        dashboard.html
    );

    // The paper round names the members without an address, with their units.
    let page = browser.get(&url).await;
    assert_eq!(page.status, 200, "{}", page.html);
    let paper = section(&page, "paper-round");
    assert!(
        paper.contains("乙 (P2)")
            && paper.contains("1-1-102")
            && paper.contains("戊 (P5)")
            && paper.contains("2-1-102"),
        "{paper}"
    );
    assert!(
        !paper.contains("P1") && !paper.contains("P4"),
        "members with an address are not on the paper round: {paper}"
    );
    assert!(
        page.html.contains(&format!("action=\"{url}/remind\""))
            && !page.html.contains(&format!("action=\"{url}/results\"")),
        "open: reminders, not results"
    );

    // A POST without the page's token, or with another's, is refused and queues nothing.
    let remind = format!("{url}/remind");
    assert_eq!(browser.post(&remind, &[]).await.status, 403);
    assert_eq!(
        browser
            .post(&remind, &[("csrf".into(), "0".repeat(64))])
            .await
            .status,
        403
    );
    let reminders = |app: &TestApp| {
        let filter = OutboxFilter {
            assembly_id: Some(assembly.id.clone()),
            ..OutboxFilter::default()
        };
        app.store
            .outbox(&filter)
            .unwrap()
            .into_iter()
            .filter(|e| e.kind == "reminder")
            .count()
    };
    assert_eq!(reminders(&app), 0);

    // The round queues one reminder per member with an address who has not voted; the same
    // day again queues nothing.
    let csrf = page.hidden("csrf").unwrap();
    let first = browser
        .post(&remind, &[("csrf".into(), csrf.clone())])
        .await;
    assert_eq!(first.status, 200, "{}", first.html);
    assert!(
        first.html.contains("<strong id=\"queued\">2</strong>"),
        "{}",
        section(&first, "round")
    );
    assert_eq!(reminders(&app), 2);
    let again = browser
        .post(&remind, &[("csrf".into(), csrf.clone())])
        .await;
    assert!(
        again.html.contains("<strong id=\"queued\">0</strong>")
            && again.html.contains("没有新邮件"),
        "{}",
        section(&again, "round")
    );
    assert_eq!(reminders(&app), 2);

    // The outbox shows each message with its recipient, subject, status and attempts.
    let outbox = browser.get("/staff/outbox").await;
    assert_eq!(outbox.status, 200, "{}", outbox.html);
    assert!(
        outbox.html.contains("p1@lakeside.example.org")
            && outbox.html.contains("p4@lakeside.example.org")
    );
    assert!(
        outbox
            .html
            .contains("【湖畔花园】2026年第一次业主大会会议：投票提醒：您尚未完成投票"),
        "{}",
        outbox.html
    );
    assert!(
        outbox
            .html
            .contains("Reminder: you have not voted yet: 2026年第一次业主大会会议 (湖畔花园)"),
        "{}",
        outbox.html
    );
    assert_eq!(
        outbox
            .html
            .matches("<td class=\"status\">待发送</td>")
            .count(),
        4,
        "two announcements and two reminders, pending: {}",
        outbox.html
    );
    assert!(!outbox.html.contains("class=\"failed\""));
    // A message the relay gave up on stands out, with its error; the filter shows only those.
    let p4_reminder = app
        .store
        .outbox(&OutboxFilter::default())
        .unwrap()
        .into_iter()
        .find(|e| e.kind == "reminder" && e.recipient.starts_with("p4"))
        .unwrap();
    app.store
        .mark_email_failed(&p4_reminder.id, "550 mailbox unavailable", None)
        .unwrap();
    let failed = browser.get("/staff/outbox?status=failed").await;
    assert_eq!(
        failed.html.matches("<tr class=\"failed\">").count(),
        1,
        "{}",
        failed.html
    );
    assert!(
        failed.html.contains("550 mailbox unavailable")
            && failed.html.contains("1 封邮件发送失败")
            && !failed.html.contains("p1@lakeside.example.org"),
        "{}",
        failed.html
    );
    assert_eq!(browser.get("/staff/outbox?status=lost").await.status, 422);

    // The preview: the chosen kind, member and language; the HTML body only inside a
    // sandboxed frame, escaped.
    let preview = browser
        .get(&format!("{url}?kind=invitation&member=P4&mail_lang=en"))
        .await;
    assert_eq!(preview.status, 200, "{}", preview.html);
    assert!(preview.html.contains("<span id=\"subject\">[TRIAL/试用] Your invitation and voting code: 2026年第一次业主大会会议 (湖畔花园)</span>"), "{}", preview.html);
    assert!(
        preview.html.contains("<html lang=\"zh-CN\">"),
        "the page keeps its own language"
    );
    assert!(preview.html.contains("<iframe class=\"mail\" sandbox=\"\""));
    let framed = srcdoc(&preview);
    assert!(
        !framed.contains('<') && framed.contains("ABCD-EFGH-JKMN") && framed.contains("Dana"),
        "{framed}"
    );
    let zh = browser
        .get(&format!("{url}?kind=announcement&member=P1"))
        .await;
    assert!(
        zh.html.contains(
            "<span id=\"subject\">[试用/TRIAL] 【湖畔花园】2026年第一次业主大会会议：业主大会会议公告</span>"
        ),
        "{}",
        zh.html
    );
    let not_member = browser
        .get(&format!("{url}?kind=announcement&member=P9"))
        .await;
    assert_eq!(not_member.status, 422);
    assert!(not_member.html.contains("member"), "{}", not_member.html);
    assert_eq!(
        browser
            .get(&format!("{url}?kind=result&member=P1"))
            .await
            .status,
        409,
        "no result before closing"
    );
    assert_eq!(reminders(&app), 2, "previews queue nothing");

    // An auditor reads the pages but may not send.
    app.staff("audit-mailweb", Role::Auditor, &estate).await;
    let mut auditor = staff_browser(&app, "audit-mailweb").await;
    let seen = auditor.get(&url).await;
    assert_eq!(seen.status, 200);
    assert!(
        seen.html.contains("戊 (P5)") && !seen.html.contains(&format!("action=\"{remind}\"")),
        "{}",
        seen.html
    );
    assert_eq!(auditor.get("/staff/outbox").await.status, 200);
    let refused = auditor
        .post(&remind, &[("csrf".into(), seen.hidden("csrf").unwrap())])
        .await;
    assert_eq!(refused.status, 403, "{}", refused.html);
    assert_eq!(reminders(&app), 2);

    // After closing: no more reminders; the results go out once.
    secretary.close_early(&assembly).await;
    let closed = browser.get(&url).await;
    assert!(
        closed.html.contains(&format!("action=\"{url}/results\""))
            && !closed.html.contains(&format!("action=\"{remind}\""))
    );
    let late = browser
        .post(&remind, &[("csrf".into(), csrf.clone())])
        .await;
    assert_eq!(late.status, 409);
    assert!(
        late.html.contains("只有在投票期间才能发送投票提醒"),
        "{}",
        late.html
    );
    let results = browser
        .post(&format!("{url}/results"), &[("csrf".into(), csrf.clone())])
        .await;
    assert!(
        results.html.contains("<strong id=\"queued\">2</strong>"),
        "{}",
        results.html
    );
    let twice = browser
        .post(&format!("{url}/results"), &[("csrf".into(), csrf)])
        .await;
    assert!(
        twice.html.contains("<strong id=\"queued\">0</strong>"),
        "{}",
        twice.html
    );
    let mine = browser
        .get(&format!(
            "/staff/outbox?assembly={}&status=pending",
            assembly.id
        ))
        .await;
    assert!(
        mine.html.contains("表决结果公告")
            && mine.html.contains("Results of the owners&#39; assembly"),
        "{}",
        mine.html
    );
    let result_preview = browser.get(&format!("{url}?kind=result&member=P1")).await;
    assert!(
        result_preview.html.contains("：表决结果公告</span>"),
        "{}",
        result_preview.html
    );
}

e2e!(
    a_secretary_sends_reminders_reads_the_outbox_and_previews_notices,
    owners_object_online_and_the_secretary_resolves_then_publishes,
    auditors_read_but_do_not_write_and_staff_of_two_estates_choose_one,
    a_secretary_records_a_proxy_with_its_reference,
    the_notice_and_the_ballot_sheets_print_with_working_codes,
    a_secretary_sets_up_an_assembly_closes_it_and_reads_the_result,
    a_secretary_uploads_the_roster_and_reads_the_report,
    a_paper_ballot_is_entered_by_one_and_confirmed_by_another,
    an_owner_votes_by_code_through_the_form_and_changes_the_vote,
    every_post_needs_the_pages_csrf_token,
    pages_speak_chinese_by_default_and_english_on_request,
    staff_sign_in_and_read_the_dashboard,
);
