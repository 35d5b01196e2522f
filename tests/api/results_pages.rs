//! Issue 21, results in figures and the published pages an owner can use on a phone: the
//! figures of each result against the item's own thresholds in plain words (the owner's ballot
//! page and the publication page), the published roll with the owner's units first, a search
//! by unit and pages, the announcement's viewport, landmarks and Beijing times, and the notice
//! with who votes on each item, the consultation's questions and options, and its issuer.

use gongjue_store::users::Role;
use serde_json::json;

use crate::e2e;
use crate::helpers::{Assembly, SMALL_ROSTER, Session, TestApp, TestDb, spawn_app};
use crate::web_pages::{owner_browser, staff_browser};

struct Closed {
    app: TestApp,
    sec: Session,
    assembly: Assembly,
    codes: std::collections::BTreeMap<String, String>,
}

/// The small estate (480 m², 4 owners): a motion, an election of one of 王一 and 李二, and a
/// consultation for building 1 only. P1 (220 m²) and P4 (80 m²) vote yes, P2 (100 m²) no; P5
/// does not vote. Participation: 400/480 m² (83.3%), 3/4 owners (75.0%); yes: 300/400 m²
/// (75.0%) and 2/3 owners (66.7%).
async fn closed(db: TestDb) -> Closed {
    let app = spawn_app(db).await;
    let estate = app.estate("小区甲");
    let sec = app.staff("sec-fig", Role::Secretary, &estate).await;
    sec.import_roster(&estate, SMALL_ROSTER.as_bytes())
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
    let election = sec
        .add_item(&assembly, json!({ "kind": "election", "title": "增补业主委员会委员", "seats": 1, "candidates": ["王一", "李二"] }))
        .await;
    let consultation = sec
        .add_item(&assembly, json!({ "kind": "consultation", "title": "1号楼电梯更换征询", "scope": { "kind": "buildings", "buildings": ["1"] },
            "questions": [{ "id": "选用哪个品牌", "options": ["甲品牌", "乙品牌"] }] }))
        .await;
    sec.approve_candidates(&election).await;
    sec.announce(&assembly).await;
    sec.open(&assembly).await;
    let codes = sec.issue_codes(&assembly, None).await;
    for (owner, votes) in [
        (
            "P1",
            vec![
                (motion.as_str(), json!("yes")),
                (election.as_str(), json!(["王一"])),
                (consultation.as_str(), json!({ "选用哪个品牌": ["甲品牌"] })),
            ],
        ),
        (
            "P2",
            vec![
                (motion.as_str(), json!("no")),
                (election.as_str(), json!([])),
            ],
        ),
        (
            "P4",
            vec![
                (motion.as_str(), json!("yes")),
                (election.as_str(), json!(["李二"])),
            ],
        ),
    ] {
        app.owner(&assembly, &codes[owner])
            .await
            .vote(&assembly, &votes)
            .await
            .expect(200);
    }
    sec.close_early(&assembly).await;
    Closed {
        app,
        sec,
        assembly,
        codes,
    }
}

/// The text of a page without its tags, as a reader sees it.
fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

async fn owners_read_the_figures_against_the_thresholds(db: TestDb) {
    let c = closed(db).await;
    let mut p4 = owner_browser(&c.app, &c.codes["P4"]).await;
    let sheet = p4.get("/ballot").await;
    assert_eq!(sheet.status, 200);
    let text = visible(&sheet.html);
    for line in [
        "参与表决面积占总面积 83.3%，需达到三分之二以上：已达到",
        "参与表决人数占总人数 75.0%，需达到三分之二以上：已达到",
        "同意面积占参与面积 75.0%，需超过半数：已达到",
        "同意人数占参与人数 66.7%，需超过半数：已达到",
        // The election: 王一 has 220 of 400 m² but 1 of 3 owners.
        "支持王一的面积占参与面积 55.0%，需超过半数：已达到",
        "支持王一的人数占参与人数 33.3%，需超过半数：未达到",
    ] {
        assert!(text.contains(line), "missing «{line}»: {text}");
    }
    // Choices' figures, each header named (axe: empty-table-header).
    assert!(
        sheet.html.contains("300.00 m²") && !sheet.html.contains("<th></th>"),
        "{}",
        sheet.html
    );
    // P4 (building 2) does not see building 1's consultation.
    assert!(!text.contains("1号楼电梯更换征询"), "{text}");

    // P1 sees it, with the figures of its question.
    let mut p1 = owner_browser(&c.app, &c.codes["P1"]).await;
    let text = visible(&p1.get("/ballot").await.html);
    assert!(
        text.contains("选用哪个品牌（1 人作答）")
            && text.contains("甲品牌")
            && text.contains("220.00 m²"),
        "{text}"
    );

    // The publication page carries the same figures.
    let publication = p4.get("/ballot/publication").await;
    assert_eq!(publication.status, 200);
    let text = visible(&publication.html);
    assert!(
        text.contains("同意面积占参与面积 75.0%，需超过半数：已达到")
            && text.contains("表决结果：通过"),
        "{text}"
    );
    assert_eq!(publication.html.matches("<h1").count(), 1);
}

async fn the_roll_puts_the_owners_units_first_searches_and_pages(db: TestDb) {
    let c = closed(db).await;
    let mut p1 = owner_browser(&c.app, &c.codes["P1"]).await;
    let roll = p1.get("/ballot/roll").await;
    assert_eq!(roll.status, 200);
    let html = &roll.html;
    // The owner's own units come before any other unit.
    let yours = html.find("id=\"yours\"").expect("the owner's section");
    let first_other = html.find("1-1-102").expect("another unit");
    assert!(yours < first_other, "{html}");
    let own = &html[yours..html.find("id=\"found\"").unwrap()];
    assert!(
        own.contains("1-1-101") && own.contains("1-1-201") && !own.contains("2-1-101"),
        "{own}"
    );
    // A search by unit (a GET form, no script).
    assert!(html.contains("<form method=\"get\" action=\"/ballot/roll#found\""));
    let found = p1.get("/ballot/roll?unit=2-1").await;
    let found_section = &found.html
        [found.html.find("id=\"found\"").unwrap()..found.html.find("id=\"all\"").unwrap()];
    assert!(
        found_section.contains("2-1-101")
            && found_section.contains("2-1-102")
            && !found_section.contains("1-1-102"),
        "{found_section}"
    );
    let none = p1.get("/ballot/roll?unit=9-9").await;
    assert!(none.html.contains("没有房号含“9-9”的记录"), "{}", none.html);
    // Nonsense in the paging fields is the first page, not an error.
    assert_eq!(p1.get("/ballot/roll?item=x&page=-3").await.status, 200);
    // The whole list, one item at a time.
    let second = p1.get("/ballot/roll?item=2").await;
    assert!(
        second
            .html
            .contains("aria-current=\"page\">2. 增补业主委员会委员"),
        "{}",
        second.html
    );
    let _ = &c.sec;
}

async fn a_long_roll_is_paged(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("湖畔");
    let sec = app.staff("sec-long", Role::Secretary, &estate).await;
    sec.import_roster(&estate, crate::helpers::LAKESIDE)
        .await
        .expect(200);
    let assembly = sec
        .create_assembly_with(&estate, false, json!({ "objection_days": 7 }))
        .await;
    sec.add_item(
        &assembly,
        json!({ "kind": "motion", "title": "续聘物业服务企业", "matter": 4 }),
    )
    .await;
    sec.announce(&assembly).await;
    sec.open(&assembly).await;
    let codes = sec.issue_codes(&assembly, Some(vec!["P000001"])).await;
    sec.close_early(&assembly).await;
    let mut owner = owner_browser(&app, &codes["P000001"]).await;
    let first = owner.get("/ballot/roll").await;
    assert_eq!(first.status, 200);
    // 784 units: 20 on a page.
    assert!(
        first.html.contains("第 1 页，共 40 页（784 户）")
            && first.html.contains("/ballot/roll?item=1&amp;page=2#all"),
        "{}",
        first.html
    );
    assert!(first.html.matches("<li").count() < 40, "{}", first.html);
    let last = owner.get("/ballot/roll?item=1&page=40").await;
    assert!(last.html.contains("第 40 页，共 40 页"), "{}", last.html);
    assert!(!last.html.contains("rel=\"next\""));
}

async fn the_announcement_is_readable_on_a_phone(db: TestDb) {
    let c = closed(db).await;
    let mut staff = staff_browser(&c.app, "sec-fig").await;
    let page = staff
        .get(&format!(
            "/staff/assemblies/{}/announcement.html",
            c.assembly.id
        ))
        .await;
    assert_eq!(page.status, 200);
    let html = &page.html;
    assert!(html.contains("<meta name=\"viewport\""), "{html}");
    assert!(
        html.contains("<header>") && html.contains("<main>") && html.contains("<footer>"),
        "{html}"
    );
    assert_eq!(html.matches("<h1").count(), 1);
    // Beijing time, never ISO UTC: `2026-12-09 01:10`.
    let text = visible(html);
    assert!(!iso_like(&text), "{text}");
    assert!(beijing_like(&text), "no Beijing time in {text}");
    // The staff results page: no empty table header.
    let results = staff
        .get(&format!("/staff/assemblies/{}/results", c.assembly.id))
        .await;
    assert!(!results.html.contains("<th></th>"), "{}", results.html);
}

/// Whether the text has an ISO time (`…T17:10…`).
fn iso_like(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(6).any(|w| {
        w[0].is_ascii_digit()
            && w[1] == 'T'
            && w[2].is_ascii_digit()
            && w[3].is_ascii_digit()
            && w[4] == ':'
            && w[5].is_ascii_digit()
    })
}

/// Whether the text has a time written `YYYY-MM-DD HH:MM`.
fn beijing_like(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(16).any(|w| {
        let digit = |i: usize| w[i].is_ascii_digit();
        (0..4).all(digit)
            && w[4] == '-'
            && digit(5)
            && digit(6)
            && w[7] == '-'
            && digit(8)
            && digit(9)
            && w[10] == ' '
            && digit(11)
            && digit(12)
            && w[13] == ':'
            && digit(14)
            && digit(15)
    })
}

async fn the_notice_lists_scopes_questions_and_its_issuer(db: TestDb) {
    let c = closed(db).await;
    let mut staff = staff_browser(&c.app, "sec-fig").await;
    let page = staff
        .get(&format!("/staff/assemblies/{}/notice", c.assembly.id))
        .await;
    assert_eq!(page.status, 200);
    let text = visible(&page.html);
    for line in [
        "仅 1 号楼业主表决",
        "全体业主表决",
        "问题 1：选用哪个品牌",
        "甲品牌",
        "乙品牌",
        "候选人（应选 1 人）：",
        "王一",
        "小区甲业主大会 / 业主委员会",
        "（北京时间）",
    ] {
        assert!(text.contains(line), "missing «{line}»: {text}");
    }
    // No raw ids: neither the assembly's nor an item's.
    let items = c.app.store.items(&c.assembly.id).unwrap();
    assert!(!text.contains(&c.assembly.id), "{text}");
    for item in items {
        assert!(!text.contains(&item.id), "{text}");
    }
    assert_eq!(page.html.matches("<h1").count(), 1);
    assert!(!text.contains("咨询电话"), "no phone set yet: {text}");

    // The estate's contact phone, once the secretary sets it, is on the notice.
    let estate = c.app.store.assembly(&c.assembly.id).unwrap().estate_id;
    c.sec
        .put(
            &format!("/api/v1/estates/{estate}/contact-phone"),
            json!({ "contact_phone": "021-5555 1234" }),
        )
        .await
        .expect(200);
    let page = staff
        .get(&format!("/staff/assemblies/{}/notice", c.assembly.id))
        .await;
    assert!(
        visible(&page.html).contains("021-5555 1234"),
        "{}",
        page.html
    );
}

e2e!(
    owners_read_the_figures_against_the_thresholds,
    the_roll_puts_the_owners_units_first_searches_and_pages,
    a_long_roll_is_paged,
    the_announcement_is_readable_on_a_phone,
    the_notice_lists_scopes_questions_and_its_issuer,
);
