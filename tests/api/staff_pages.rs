//! Issue 21, points 12-15: the secretary's pages. The dashboard counts each owner once (an owner
//! of units in two buildings is one head overall), compares with exactly 2/3 and says what is
//! missing, refreshes by a link, and offers the not-voted list as a page and a CSV; the setup
//! forms keep what was typed and speak the reader's language; closing asks first; error pages
//! lead back; the roster report counts.

use gongjue_store::users::Role;
use serde_json::json;

use crate::e2e;
use crate::helpers::{Assembly, TWO_BUILDINGS_ROSTER as TWO_BUILDINGS, TestApp, TestDb, spawn_app};
use crate::web_pages::{Browser, staff_browser};

struct Estate {
    app: TestApp,
    assembly: Assembly,
    /// Two estate-wide motions.
    motions: [String; 2],
    codes: std::collections::BTreeMap<String, String>,
    browser: Browser,
}

async fn open_assembly(db: TestDb, roster: &str) -> Estate {
    let app = spawn_app(db).await;
    let estate = app.estate("小区丙");
    let secretary = app.staff("sec-dash", Role::Secretary, &estate).await;
    secretary
        .import_roster(&estate, roster.as_bytes())
        .await
        .expect(200);
    let assembly = secretary.create_assembly(&estate, true).await;
    let first = secretary
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "续聘物业服务企业", "matter": 4 }),
        )
        .await;
    let second = secretary
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "修订管理规约", "matter": 2 }),
        )
        .await;
    secretary.announce(&assembly).await;
    secretary.open(&assembly).await;
    let codes = secretary.issue_codes(&assembly, None).await;
    let browser = staff_browser(&app, "sec-dash").await;
    Estate {
        app,
        assembly,
        motions: [first, second],
        codes,
        browser,
    }
}

impl Estate {
    async fn vote(&self, owner: &str, motion: usize) {
        self.app
            .owner(&self.assembly, &self.codes[owner])
            .await
            .vote(&self.assembly, &[(&self.motions[motion], json!("yes"))])
            .await
            .expect(200);
    }

    async fn dashboard(&mut self) -> String {
        let page = self
            .browser
            .get(&format!("/staff/assemblies/{}", self.assembly.id))
            .await;
        assert_eq!(page.status, 200, "{}", page.html);
        page.html
    }
}

/// The row of the items' table whose title is `title`.
fn row<'a>(html: &'a str, title: &str) -> &'a str {
    let start = html
        .find(&format!("<th scope=\"row\">{title}</th>"))
        .unwrap_or_else(|| panic!("no row {title}: {html}"));
    let rest = &html[start..];
    &rest[..rest.find("</tr>").unwrap()]
}

fn beijing_now() -> chrono::DateTime<chrono::FixedOffset> {
    chrono::Utc::now().with_timezone(&chrono::FixedOffset::east_opt(8 * 3600).unwrap())
}

async fn the_dashboard_counts_each_owner_once_and_says_what_is_missing(db: TestDb) {
    let mut s = open_assembly(db, TWO_BUILDINGS).await;
    let before = beijing_now();
    let html = s.dashboard().await;
    let after = beijing_now();
    // Nobody yet: 3 heads and 200.00 m² (exactly 2/3 of 300.00 m²) are missing.
    assert!(
        row(&html, "续聘物业服务企业").contains("还差 3 户 / 200.00 m²"),
        "{html}"
    );
    // Four owners, not five: A is one head although a member of both buildings' rows.
    assert!(row(&html, "续聘物业服务企业").contains("0 / 4"), "{html}");
    assert!(
        html.contains("各楼栋人数相加（5）多于全体业主人数（4）"),
        "the footnote explains the sum: {html}"
    );
    let building = |html: &str, b: &str| {
        let start = html.find(&format!("<th scope=\"row\">{b}</th>")).unwrap();
        html[start..start + html[start..].find("</tr>").unwrap()].to_owned()
    };
    assert!(building(&html, "1").contains("<td>2<span"), "{html}");
    assert!(building(&html, "2").contains("<td>3<span"), "{html}");
    assert!(
        html.contains("全体（每位业主计一人）</th><td><strong>4</strong>"),
        "{html}"
    );
    // Refreshed by a link, not by <meta refresh>; the figures' time in Beijing time.
    assert!(!html.contains("http-equiv"), "{html}");
    assert!(
        html.contains(&format!(
            "<a class=\"button secondary\" href=\"/staff/assemblies/{}\">刷新</a>",
            s.assembly.id
        )),
        "{html}"
    );
    let shown = [before, after].map(|t| t.format("%Y-%m-%d %H:%M").to_string());
    assert!(
        shown
            .iter()
            .any(|t| html.contains(&format!("<span class=\"nowrap\">{t}</span>"))),
        "the time of the figures in Beijing time ({shown:?}): {html}"
    );

    // A (150.00 m²) and C (49.99 m²) vote on the first motion: 199.99 m² reads 66.7% but is
    // less than 2/3 of 300.00 m², and 2 heads of 4 are not 2/3.
    s.vote("A", 0).await;
    s.vote("C", 0).await;
    // A and B (50.00 m²) vote on the second: exactly 200.00 m², which is 2/3 (included).
    s.vote("A", 1).await;
    s.vote("B", 1).await;
    let html = s.dashboard().await;
    let first = row(&html, "续聘物业服务企业");
    assert!(
        first.contains("66.7%") && first.contains("199.99 / 300.00 m²"),
        "{first}"
    );
    assert!(first.contains("还差 1 户 / 0.01 m²"), "{first}");
    let second = row(&html, "修订管理规约");
    assert!(
        second.contains("200.00 / 300.00 m²") && second.contains("还差 1 户</td>"),
        "the area is met at exactly 2/3, only a head is missing: {second}"
    );
    // B, C and D still have an item to vote on; A has voted on both.
    assert!(html.contains("尚未投票的业主 (3)"), "{html}");
    // D votes on the first motion: 3 heads and 250.00 m², the quorum is met.
    s.vote("D", 0).await;
    let html = s.dashboard().await;
    let first = row(&html, "续聘物业服务企业");
    assert!(
        first.contains("✓ 已达到") && first.contains("3 / 4"),
        "{first}"
    );
    assert!(!first.contains("还差"), "{first}");

    // The not-voted list: a page to print and a CSV, naming nobody's choice.
    let list = s
        .browser
        .get(&format!("/staff/assemblies/{}/not-voted", s.assembly.id))
        .await;
    assert_eq!(list.status, 200, "{}", list.html);
    assert!(
        list.html.contains("1-1-102") && list.html.contains("乙"),
        "B has not voted on the first motion: {}",
        list.html
    );
    assert!(
        list.html.contains("2-1-102") && list.html.contains("2-1-201"),
        "C and D have not voted on the second: {}",
        list.html
    );
    assert!(
        !list.html.contains("1-1-101") && !list.html.contains("甲"),
        "A voted on everything: {}",
        list.html
    );
    for choice in ["同意", "反对", "弃权", "yes"] {
        assert!(!list.html.contains(choice), "{choice}: {}", list.html);
    }
    assert!(!list.html.contains("http-equiv"));
    let response = s
        .app
        .http
        .get(format!(
            "{}/staff/assemblies/{}/not-voted.csv",
            s.app.base, s.assembly.id
        ))
        .header("cookie", s.browser.cookie_header())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv"),
    );
    let csv = response.text().await.unwrap();
    let csv = csv.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "楼栋,房屋,业主,业主编号", "{csv}");
    assert_eq!(
        &lines[1..],
        ["1,1-1-102,乙,B", "2,2-1-102,丙,C", "2,2-1-201,'=SUM(A1),D"],
        "by building and unit, every cell inert: {csv}"
    );
    for choice in ["yes", "同意"] {
        assert!(!csv.contains(choice));
    }
    // Not for another estate's secretary.
    let other = s.app.estate("小区丁");
    s.app.staff("sec-other", Role::Secretary, &other).await;
    let mut stranger = staff_browser(&s.app, "sec-other").await;
    for path in ["not-voted", "not-voted.csv"] {
        let page = stranger
            .get(&format!("/staff/assemblies/{}/{path}", s.assembly.id))
            .await;
        assert_eq!(page.status, 403, "{path}");
        assert!(!page.html.contains("丙"));
    }
}

async fn the_setup_forms_keep_what_was_typed_and_speak_the_readers_language(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("小区丙");
    let api = app.staff("sec-form", Role::Secretary, &estate).await;
    api.import_roster(&estate, TWO_BUILDINGS.as_bytes())
        .await
        .expect(200);
    let mut browser = staff_browser(&app, "sec-form").await;
    let csrf = browser
        .get("/staff/assemblies/new")
        .await
        .hidden("csrf")
        .unwrap();
    let form = |notice: &str, opens: &str, closes: &str| {
        [
            ("csrf", csrf.as_str()),
            ("title", "2026年第三次业主大会会议"),
            ("opens_at", opens),
            ("closes_at", closes),
            ("notice_days", notice),
            ("objection_days", "9"),
            ("public_roll", "1"),
        ]
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect::<Vec<_>>()
    };
    // Closing before opening: the form again with everything typed, the error at its field.
    let refused = browser
        .post(
            "/staff/assemblies",
            &form("3", "2030-05-01T09:00", "2030-04-01T09:00"),
        )
        .await;
    assert_eq!(refused.status, 422);
    let html = &refused.html;
    assert!(
        html.contains(
            "<p class=\"field-error\" id=\"closes_at-error\">投票截止时间（北京时间）：必须晚于投票开始时间。</p>"
        ),
        "{html}"
    );
    assert!(
        html.contains("aria-describedby=\"closes_at-error\""),
        "{html}"
    );
    for kept in [
        "value=\"2026年第三次业主大会会议\"",
        "value=\"2030-05-01T09:00\"",
        "value=\"2030-04-01T09:00\"",
        "id=\"notice_days\" name=\"notice_days\" type=\"number\" min=\"0\" value=\"3\"",
        "max=\"60\" value=\"9\"",
        "name=\"public_roll\" value=\"1\" checked",
    ] {
        assert!(html.contains(kept), "{kept}: {html}");
    }
    assert!(
        !html.contains("name=\"changeable\" value=\"1\" checked"),
        "an unticked box stays unticked: {html}"
    );
    assert!(!html.contains("voting must close"), "{html}");
    // A number that is not one: named and explained in Chinese, no English fragment.
    let refused = browser
        .post(
            "/staff/assemblies",
            &form("三天", "2030-05-01T09:00", "2030-06-01T09:00"),
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .html
            .contains("公告至投票开始的天数（议事规则规定）：请填写整数。"),
        "{}",
        refused.html
    );
    assert!(!refused.html.contains("whole number"), "{}", refused.html);
    // Out of range, with the bounds.
    let refused = browser
        .post(
            "/staff/assemblies",
            &[
                form("3", "2030-05-01T09:00", "2030-06-01T09:00"),
                vec![("objection_days".to_owned(), "61".to_owned())],
            ]
            .concat()
            .into_iter()
            .filter(|(k, v)| k != "objection_days" || v == "61")
            .collect::<Vec<_>>(),
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .html
            .contains("结果公示（询异）天数：必须在 0 到 60 之间。"),
        "{}",
        refused.html
    );
    // In English, the same field in English.
    let english = browser
        .post(
            "/staff/assemblies?lang=en",
            &form("3", "2030-05-01T09:00", "2030-04-01T09:00"),
        )
        .await;
    assert_eq!(english.status, 422);
    assert!(
        english.html.contains("Must be after voting opens.") && !english.html.contains("必须"),
        "{}",
        english.html
    );
    let _ = browser.get("/lang/zh-CN?back=/staff").await;

    let created = browser
        .post(
            "/staff/assemblies",
            &form("0", "2030-05-01T09:00", "2030-06-01T09:00"),
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.html);
    let setup = created.location.unwrap();
    let items = setup.replace("/setup", "/items");
    let item = |fields: &[(&str, &str)]| {
        let mut all = vec![("csrf".to_owned(), csrf.clone())];
        all.extend(
            fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        all
    };
    // "seats: a whole number" was the old message: now the field's label and a Chinese reason.
    let bad = browser
        .post(
            &items,
            &item(&[
                ("kind", "election"),
                ("title", "选举业主委员会委员"),
                ("body", "三年一届"),
                ("seats", "两"),
                ("candidates", "王一\r\n李二"),
                ("scope", "buildings"),
                ("building", "2"),
            ]),
        )
        .await;
    assert_eq!(bad.status, 422);
    let html = &bad.html;
    assert!(
        html.contains("<p class=\"field-error\" id=\"seats-error\">应选人数：请填写整数。</p>"),
        "{html}"
    );
    assert!(
        !html.contains("a whole number") && !html.contains("seats:"),
        "{html}"
    );
    for kept in [
        "name=\"kind\" value=\"election\" checked",
        "value=\"选举业主委员会委员\"",
        ">三年一届</textarea>",
        "value=\"两\"",
        "王一\r\n李二</textarea>",
        "name=\"scope\" value=\"buildings\" checked",
        "name=\"building\" value=\"2\" checked",
    ] {
        assert!(html.contains(kept), "{kept}: {html}");
    }
    assert!(
        !html.contains("name=\"kind\" value=\"motion\" checked"),
        "{html}"
    );
    assert!(
        !html.contains("name=\"building\" value=\"1\" checked"),
        "{html}"
    );
    // More seats than candidates; a candidate twice; no building ticked.
    for (fields, message) in [
        (
            vec![("seats", "3"), ("candidates", "王一\n李二")],
            "应选人数：应选人数不能多于候选人人数。",
        ),
        (
            vec![("seats", "1"), ("candidates", "王一\n王一")],
            "候选人（每行一位，仅选举）：第 2 行的候选人与前面重复。",
        ),
    ] {
        let mut all = vec![("kind", "election"), ("title", "选举")];
        all.extend(fields);
        let page = browser.post(&items, &item(&all)).await;
        assert_eq!(page.status, 422);
        assert!(page.html.contains(message), "{message}: {}", page.html);
    }
    let page = browser
        .post(
            &items,
            &item(&[
                ("kind", "motion"),
                ("title", "外墙"),
                ("matter", "7"),
                ("scope", "buildings"),
            ]),
        )
        .await;
    assert_eq!(page.status, 422);
    assert!(
        page.html.contains("表决范围：请勾选至少一项范围。")
            && page.html.contains("name=\"matter\" value=\"7\" checked"),
        "{}",
        page.html
    );
}

async fn closing_asks_first_and_error_pages_lead_back(db: TestDb) {
    let mut s = open_assembly(db, TWO_BUILDINGS).await;
    let id = s.assembly.id.clone();
    let setup = s
        .browser
        .get(&format!("/staff/assemblies/{id}/setup"))
        .await;
    let csrf = setup.hidden("csrf").unwrap();
    let state = format!("/staff/assemblies/{id}/state");
    let fields = |extra: &[(&str, &str)]| {
        let mut all = vec![("csrf".to_owned(), csrf.clone())];
        all.extend(
            extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        all
    };
    // Early without a reason: the setup page, the reason field marked; nothing asked yet.
    let no_reason = s
        .browser
        .post(&state, &fields(&[("action", "close")]))
        .await;
    assert_eq!(no_reason.status, 422);
    assert!(
        no_reason
            .html
            .contains("id=\"reason-error\">提前结束的理由（截止前结束时必填）：尚未到截止时间；如需提前结束，须注明理由。"),
        "{}",
        no_reason.html
    );
    // With a reason: a confirmation page, and still open.
    let asked = s
        .browser
        .post(
            &state,
            &fields(&[("action", "close"), ("reason", "业主已全部表决")]),
        )
        .await;
    assert_eq!(asked.status, 200, "{}", asked.html);
    let html = &asked.html;
    assert!(html.contains("<h1>确认结束投票</h1>"), "{html}");
    assert!(html.contains("现在提前结束"), "{html}");
    assert!(html.contains("目前还有 4 位业主有事项未投票。"), "{html}");
    assert!(html.contains("理由：业主已全部表决"), "{html}");
    assert_eq!(asked.hidden("confirmed").as_deref(), Some("1"));
    assert_eq!(asked.hidden("reason").as_deref(), Some("业主已全部表决"));
    assert_eq!(asked.hidden("action").as_deref(), Some("close"));
    assert_eq!(asked.hidden("csrf").as_deref(), Some(csrf.as_str()));
    assert!(
        html.contains(&format!("href=\"/staff/assemblies/{id}/setup\"")),
        "{html}"
    );
    assert_eq!(s.app.store.assembly(&id).unwrap().state, "open");
    // The confirmation without the page's token is refused.
    let forged = s
        .browser
        .post(
            &state,
            &[
                ("csrf".to_owned(), "0".repeat(64)),
                ("action".to_owned(), "close".to_owned()),
                ("reason".to_owned(), "x".to_owned()),
                ("confirmed".to_owned(), "1".to_owned()),
            ],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert_eq!(s.app.store.assembly(&id).unwrap().state, "open");

    // An error page reached from a staff page leads back to it.
    let early = s
        .browser
        .get(&format!("/staff/assemblies/{id}/results"))
        .await;
    assert_eq!(early.status, 409);
    assert!(
        early.html.contains("无法完成")
            && early.html.contains(&format!(
                "<a class=\"button\" href=\"/staff/assemblies/{id}\">返回上一页</a>"
            )),
        "{}",
        early.html
    );
    let missing = s
        .browser
        .post(
            &format!("/staff/assemblies/{id}/confirm/no-such-version"),
            &fields(&[]),
        )
        .await;
    assert!(missing.status >= 400, "{}", missing.html);
    assert!(
        missing.html.contains(&format!(
            "href=\"/staff/assemblies/{id}/confirm\">返回上一页</a>"
        )),
        "{}",
        missing.html
    );

    let closed = s
        .browser
        .post(
            &state,
            &fields(&[
                ("action", "close"),
                ("reason", "业主已全部表决"),
                ("confirmed", "1"),
            ]),
        )
        .await;
    assert_eq!(
        closed.location.as_deref(),
        Some(format!("/staff/assemblies/{id}/results").as_str())
    );
    assert_eq!(s.app.store.assembly(&id).unwrap().state, "closed");
}

async fn the_roster_report_counts_instead_of_listing(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("小区丙");
    app.staff("sec-count", Role::Secretary, &estate).await;
    let mut browser = staff_browser(&app, "sec-count").await;
    let csrf = browser.get("/staff/roster").await.hidden("csrf").unwrap();
    // 40 units: owner O1 holds two; the developer's three unsold units are one member;
    // every third owner has an e-mail address, every other a phone; 12 blank lines.
    let mut roster = String::from(
        "zone,building,stairwell,unit,floor,area_m2,owner_id,owner_name,phone,email\n",
    );
    for i in 1..=37 {
        let owner = if i == 2 { 1 } else { i };
        let phone = if owner % 2 == 0 {
            format!("139{owner:08}")
        } else {
            String::new()
        };
        let email = if owner % 3 == 0 {
            format!("o{owner}@example.com")
        } else {
            String::new()
        };
        roster.push_str(&format!(
            ",{},1,{},1,90.00,O{owner},业主{owner},{phone},{email}\n",
            1 + i % 3,
            100 + i
        ));
        if i % 3 == 0 {
            roster.push('\n');
        }
    }
    for i in 1..=3 {
        roster.push_str(&format!(
            ",9,1,{},1,100.00,DEVELOPER,开发商(未售),,\n",
            900 + i
        ));
    }
    let page = browser
        .upload("/staff/roster", &csrf, "roster.csv", roster.as_bytes())
        .await;
    assert_eq!(page.status, 200, "{}", page.html);
    let html = &page.html;
    let count = |label: &str, n: &str| {
        assert!(
            html.contains(&format!("<th scope=\"row\">{label}</th><td>{n}</td>")),
            "{label} {n}: {html}"
        );
    };
    count("房屋（户）", "40");
    // 36 owners (O1 twice) and the developer.
    count("业主（每人计一次）", "37");
    count("开发商未售房屋", "3");
    // Owners divisible by 3 among 1, 3..37: 12; even ones (4..36): 17.
    count("有电子邮箱的业主", "12");
    count("有电话的业主", "17");
    count("专有部分总面积", "3,630.00 m²");
    // The 12 blank lines: one row with their count, the lines limited.
    assert!(
        html.contains("<td>空行</td><td>12</td>") && html.contains("……另有 2 个"),
        "{html}"
    );
    // The first import adds 40 units: a count, the numbers behind a <details>.
    assert!(
        html.contains("<details><summary>新增 40</summary>"),
        "{html}"
    );
    assert!(html.contains("……另有 10 个"), "{html}");
    // The page without an upload shows the same figures.
    let again = browser.get("/staff/roster").await;
    assert!(
        again
            .html
            .contains("<th scope=\"row\">业主（每人计一次）</th><td>37</td>"),
        "{}",
        again.html
    );
    // A refused file: errors grouped by kind with their counts.
    let bad = "zone,building,stairwell,unit,floor,area_m2,owner_id\n,1,1,101,1,-5,P1\n,1,1,102,1,-6,P2\n,1,1,103,1,abc,P3\n";
    let refused = browser
        .upload("/staff/roster", &csrf, "bad.csv", bad.as_bytes())
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused
            .html
            .contains("<td>面积必须大于零</td><td>2</td><td>2、3</td>")
            && refused
                .html
                .contains("<td>面积不是数字</td><td>1</td><td>4</td>"),
        "{}",
        refused.html
    );
}

/// Point 8's help line needs a number: the secretary sets the estate's contact phone on the
/// staff home page. A number that cannot be dialled is refused there, keeping what was typed;
/// an auditor sees the number and no form.
async fn the_secretary_sets_the_contact_phone_on_a_page(db: TestDb) {
    let mut s = open_assembly(db, TWO_BUILDINGS).await;
    let estate = s.app.store.assembly(&s.assembly.id).unwrap().estate_id;
    let home = s.browser.get("/staff").await;
    assert_eq!(home.status, 200);
    assert!(home.html.contains("id=\"contact_phone\""), "{}", home.html);
    let csrf = home.hidden("csrf").unwrap();
    let send = |phone: &str| {
        vec![
            ("csrf".to_owned(), csrf.clone()),
            ("contact_phone".to_owned(), phone.to_owned()),
        ]
    };
    let refused = s
        .browser
        .post("/staff/estate/contact-phone", &send("call Mr Wang"))
        .await;
    assert_eq!(refused.status, 422, "{}", refused.html);
    assert!(
        refused.html.contains("请填写可以拨打的电话号码")
            && refused.html.contains("value=\"call Mr Wang\""),
        "{}",
        refused.html
    );
    assert_eq!(s.app.store.estate(&estate).unwrap().contact_phone, None);
    let saved = s
        .browser
        .post("/staff/estate/contact-phone", &send(" 021-5555 0101 转 8 "))
        .await;
    assert_eq!(saved.status, 303, "{}", saved.html);
    assert_eq!(
        s.app
            .store
            .estate(&estate)
            .unwrap()
            .contact_phone
            .as_deref(),
        Some("021-5555 0101 转 8")
    );
    assert!(
        s.browser
            .get("/staff")
            .await
            .html
            .contains("value=\"021-5555 0101 转 8\"")
    );
    // Owners read it on their pages (B: no e-mail, a printed code).
    let mut owner = crate::web_pages::owner_browser(&s.app, &s.codes["B"]).await;
    let sheet = owner.get("/ballot").await;
    assert!(sheet.html.contains("021-5555 0101 转 8"), "{}", sheet.html);

    s.app.staff("aud-dash", Role::Auditor, &estate).await;
    let mut auditor = staff_browser(&s.app, "aud-dash").await;
    let page = auditor.get("/staff").await;
    assert!(
        page.html.contains("021-5555 0101 转 8") && !page.html.contains("id=\"contact_phone\""),
        "{}",
        page.html
    );
    let csrf = page.hidden("csrf").unwrap();
    let forbidden = auditor
        .post(
            "/staff/estate/contact-phone",
            &[
                ("csrf".to_owned(), csrf),
                ("contact_phone".to_owned(), "110".to_owned()),
            ],
        )
        .await;
    assert_eq!(forbidden.status, 403);
}

e2e!(
    the_dashboard_counts_each_owner_once_and_says_what_is_missing,
    the_secretary_sets_the_contact_phone_on_a_page,
    the_setup_forms_keep_what_was_typed_and_speak_the_readers_language,
    closing_asks_first_and_error_pages_lead_back,
    the_roster_report_counts_instead_of_listing,
);
