//! Issue 17, attack 6 (login CSRF): `GET /v/{code}` signed the browser in and replaced an
//! existing owner session, and the ballot page did not say whose ballot it was; an attacker's
//! link made a victim vote on the attacker's ballot. A hostile page could also use up the
//! victim's address's attempt limit with wrong links.
//!
//! Now the link only shows which units its code votes for (masked as on the public roll) and
//! signs in on a POST with the page's CSRF token; a browser signed in for other units is told so
//! and keeps its session unless the owner presses the button; every ballot page names the units
//! it votes for; a wrong link is counted apart from the sign-in limit.

use std::collections::BTreeMap;

use gongjue_store::users::Role;
use serde_json::json;

use crate::e2e;
use crate::helpers::{CODE_FAILURES_PER_IP, TestApp, TestDb, spawn_app};

/// P1 holds two units and P2's proxy; names long enough to be masked visibly.
const ROSTER: &str = "zone,building,stairwell,unit,floor,area_m2,owner_id,owner_name,phone,email
,1,1,101,1,100.00,P1,欧阳明华,,
,1,1,102,1,100.00,P2,司马青云,,
,1,1,201,2,120.00,P1,欧阳明华,,
,2,1,101,1,80.00,P4,诸葛长风,,
,2,1,102,1,80.00,P5,上官晓月,,
";

/// A browser without JavaScript: keeps cookies, follows no redirect.
struct Browser {
    base: String,
    http: reqwest::Client,
    cookies: BTreeMap<String, String>,
}

struct Page {
    status: u16,
    location: Option<String>,
    set_cookies: Vec<String>,
    html: String,
}

impl Page {
    fn csrf(&self) -> Option<String> {
        self.html
            .split("name=\"csrf\" value=\"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .map(str::to_owned)
    }

    fn sets(&self, cookie: &str) -> bool {
        self.set_cookies
            .iter()
            .any(|c| c.starts_with(&format!("{cookie}=")))
    }
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

    async fn send(&mut self, request: reqwest::RequestBuilder) -> Page {
        let cookies = self
            .cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ");
        let response = request.header("cookie", cookies).send().await.unwrap();
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned());
        let set_cookies: Vec<String> = response
            .headers()
            .get_all("set-cookie")
            .iter()
            .map(|v| v.to_str().unwrap().to_owned())
            .collect();
        for cookie in &set_cookies {
            let pair = cookie.split(';').next().unwrap_or_default();
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
        }
    }

    async fn get(&mut self, path: &str) -> Page {
        let request = self.http.get(format!("{}{path}", self.base));
        self.send(request).await
    }

    async fn post(&mut self, path: &str, form: &[(&str, &str)]) -> Page {
        let request = self.http.post(format!("{}{path}", self.base)).form(form);
        self.send(request).await
    }

    /// Opens the link and presses its button.
    async fn sign_in_by_link(&mut self, code: &str) -> Page {
        let page = self.get(&format!("/v/{code}")).await;
        assert_eq!(page.status, 200, "{}", page.html);
        let csrf = page.csrf().expect("the link's page has a form");
        self.post(&format!("/v/{code}"), &[("csrf", &csrf), ("confirm", "1")])
            .await
    }
}

struct Setup {
    app: TestApp,
    codes: BTreeMap<String, String>,
}

async fn setup(db: TestDb) -> Setup {
    let app = spawn_app(db).await;
    let estate = app.estate("湖畔花园");
    let secretary = app.staff("sec-link", Role::Secretary, &estate).await;
    secretary
        .import_roster(&estate, ROSTER.as_bytes())
        .await
        .expect(200);
    let assembly = secretary.create_assembly(&estate, true).await;
    secretary
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "续聘物业服务企业", "matter": 4 }),
        )
        .await;
    secretary
        .post(
            &format!("/api/v1/assemblies/{}/proxies", assembly.id),
            json!({ "member": "P2", "holder": "P1", "document_ref": "委托书 2026-007" }),
        )
        .await
        .expect(201);
    secretary.announce(&assembly).await;
    secretary.open(&assembly).await;
    let codes = secretary.issue_codes(&assembly, None).await;
    Setup { app, codes }
}

const P1_UNITS: &str = "1-1-101、1-1-201（欧**华）";
const P4_UNITS: &str = "2-1-101（诸**风）";

async fn the_voting_link_signs_in_only_by_its_form(db: TestDb) {
    let s = setup(db).await;
    let code = s.codes["P1"].clone();
    let link = format!("/v/{code}");
    let mut browser = Browser::new(&s.app);

    // Opening the link names the code's units, masked as on the roll, and signs nobody in.
    let page = browser.get(&link).await;
    assert_eq!(page.status, 200, "{}", page.html);
    assert!(!page.sets("gj_owner"), "{:?}", page.set_cookies);
    assert!(
        page.html
            .contains(&format!("此投票码用于以下房屋的表决：{P1_UNITS}")),
        "{}",
        page.html
    );
    assert!(!page.html.contains("欧阳明华"), "the name is masked");
    assert_eq!(
        browser.get("/ballot").await.location.as_deref(),
        Some("/vote"),
        "not signed in"
    );

    // The form without its token, with a forged one, or with another browser's: refused.
    let csrf = page.csrf().expect("a form with a token");
    for token in ["", "0000", &"0".repeat(64)] {
        let refused = browser
            .post(&link, &[("csrf", token), ("confirm", "1")])
            .await;
        assert_eq!(refused.status, 403, "token {token:?}");
        assert!(!refused.sets("gj_owner"));
    }
    let mut other = Browser::new(&s.app);
    let foreign = other
        .post(&link, &[("csrf", &csrf), ("confirm", "1")])
        .await;
    assert_eq!(foreign.status, 403, "a token of another browser's session");
    assert!(!foreign.sets("gj_owner"));

    // The button signs in.
    let signed_in = browser
        .post(&link, &[("csrf", &csrf), ("confirm", "1")])
        .await;
    assert_eq!(
        (signed_in.status, signed_in.location.as_deref()),
        (303, Some("/ballot"))
    );
    assert!(signed_in.sets("gj_owner"));

    // Every ballot page names the units it votes for, the proxy's member's too.
    let sheet = browser.get("/ballot").await;
    let header = format!("本票表决的房屋：{P1_UNITS}");
    assert!(sheet.html.contains(&header), "{}", sheet.html);
    assert!(
        sheet.html.contains("受委托代为表决：1-1-102（司**云）"),
        "{}",
        sheet.html
    );
    let step = browser.get("/ballot/step").await;
    assert_eq!(step.status, 200);
    assert!(step.html.contains(&header), "{}", step.html);
    let done = browser.get("/ballot/done").await;
    assert!(done.html.contains(&header), "{}", done.html);
    // In English too.
    let english = browser.get("/ballot?lang=en").await;
    assert!(
        english
            .html
            .contains("This ballot votes for: 1-1-101, 1-1-201 (欧**华)"),
        "{}",
        english.html
    );
}

/// The attack: a victim signed in for their own units opens the attacker's link. Their session
/// stays theirs; the page says whose units the link is for; only pressing the button switches.
async fn a_link_does_not_replace_a_session_without_asking(db: TestDb) {
    let s = setup(db).await;
    let mut victim = Browser::new(&s.app);
    victim.sign_in_by_link(&s.codes["P4"]).await;
    let session = victim.cookies["gj_owner"].clone();
    let attacker_link = format!("/v/{}", s.codes["P1"]);

    let page = victim.get(&attacker_link).await;
    assert_eq!(page.status, 200);
    assert!(!page.sets("gj_owner"), "the session is not replaced");
    assert_eq!(victim.cookies["gj_owner"], session);
    assert!(
        page.html.contains(&format!(
            "您已登录，正在为 {P4_UNITS} 表决。继续将改为 {P1_UNITS} 的表决。"
        )),
        "{}",
        page.html
    );
    assert!(page.html.contains("不切换，继续为"), "{}", page.html);
    // Still the victim's own ballot.
    let sheet = victim.get("/ballot").await;
    assert!(
        sheet.html.contains(&format!("本票表决的房屋：{P4_UNITS}")),
        "{}",
        sheet.html
    );

    // A page of another site cannot press the button for them (it has no token of theirs).
    let mut hostile = Browser::new(&s.app);
    let hostile_token = hostile.get(&attacker_link).await.csrf().unwrap();
    let forged = victim
        .post(
            &attacker_link,
            &[("csrf", &hostile_token), ("confirm", "1")],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert_eq!(victim.cookies["gj_owner"], session);

    // Asked, and the owner says yes: then, and only then, the session changes, and the ballot
    // says whose it is now.
    let csrf = page.csrf().unwrap();
    let switched = victim
        .post(&attacker_link, &[("csrf", &csrf), ("confirm", "1")])
        .await;
    assert_eq!(switched.location.as_deref(), Some("/ballot"));
    assert_ne!(victim.cookies["gj_owner"], session);
    let sheet = victim.get("/ballot").await;
    assert!(
        sheet.html.contains(&format!("本票表决的房屋：{P1_UNITS}")),
        "{}",
        sheet.html
    );
}

/// A hostile page makes the victim's browser open many links with wrong codes: that is counted
/// apart from sign-ins, so the owner behind that address still signs in (by the code form, and
/// by the link's button, which then checks the code itself).
async fn wrong_links_do_not_use_up_the_sign_in_limit(db: TestDb) {
    let s = setup(db).await;
    let mut browser = Browser::new(&s.app);
    let tries = CODE_FAILURES_PER_IP + 4;
    let mut checked = 0;
    for n in 0..tries {
        let page = browser.get(&format!("/v/WRONG-CODE-{n:04}")).await;
        match page.status {
            401 => checked += 1,
            200 => assert!(
                !page.html.contains("此投票码用于"),
                "not checked once the look-up limit is used up"
            ),
            other => panic!("GET /v/… answered {other}: {}", page.html),
        }
        assert!(!page.sets("gj_owner"));
    }
    assert_eq!(
        checked, CODE_FAILURES_PER_IP,
        "the look-ups are limited too"
    );

    // The owner of that address still signs in with the code form …
    let form = browser.get("/vote").await;
    let csrf = form.csrf().unwrap();
    let signed_in = browser
        .post("/vote", &[("csrf", &csrf), ("code", &s.codes["P4"])])
        .await;
    assert_eq!(
        (signed_in.status, signed_in.location.as_deref()),
        (303, Some("/ballot")),
        "{}",
        signed_in.html
    );

    // … and with the link: its page now asks to check the code, and the check (a POST with the
    // token, under the sign-in limit) names the units before the owner confirms.
    let mut owner = Browser::new(&s.app);
    let link = format!("/v/{}", s.codes["P1"]);
    let page = owner.get(&link).await;
    assert_eq!(page.status, 200);
    assert!(!page.html.contains("此投票码用于"), "{}", page.html);
    assert!(page.html.contains("查看对应的房屋"), "{}", page.html);
    let csrf = page.csrf().unwrap();
    let shown = owner.post(&link, &[("csrf", &csrf)]).await;
    assert_eq!(shown.status, 200, "{}", shown.html);
    assert!(!shown.sets("gj_owner"));
    assert!(
        shown
            .html
            .contains(&format!("此投票码用于以下房屋的表决：{P1_UNITS}")),
        "{}",
        shown.html
    );
    let signed_in = owner
        .post(&link, &[("csrf", &csrf), ("confirm", "1")])
        .await;
    assert_eq!(signed_in.location.as_deref(), Some("/ballot"));

    // The link's form checks codes under the sign-in limit: wrong ones there are counted.
    let mut guesser = Browser::new(&s.app);
    let csrf = guesser.get("/vote").await.csrf().unwrap();
    let mut statuses = Vec::new();
    for n in 0..=CODE_FAILURES_PER_IP {
        statuses.push(
            guesser
                .post(&format!("/v/WRONG-FORM-{n:04}"), &[("csrf", &csrf)])
                .await
                .status,
        );
    }
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
}

e2e!(
    the_voting_link_signs_in_only_by_its_form,
    a_link_does_not_replace_a_session_without_asking,
    wrong_links_do_not_use_up_the_sign_in_limit,
);
