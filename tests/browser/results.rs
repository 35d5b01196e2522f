//! Issue 21 in the browser, at 360 px and at 320 px: after closing, an owner reads the result
//! figures against the thresholds on their ballot page and the publication page, finds their
//! units first on the published roll and searches it by unit; the secretary's notice lists who
//! votes on each item and the consultation's questions, and the announcement reads on a phone.

use gongjue_store::users::Role;
use serde_json::json;

use crate::driver::{self, Browser};
use crate::helpers::{self, SMALL_ROSTER, spawn_app};

/// Scrolls `css` to the top of the window and saves a screenshot.
async fn shot_at(browser: &Browser, css: &str, name: &str) {
    browser
        .client
        .execute(
            "const e = document.querySelector(arguments[0]); if (e) { e.scrollIntoView(); }",
            vec![json!(css)],
        )
        .await
        .expect("scrolling");
    browser.shot(name).await;
}

async fn page_height(browser: &Browser) -> u64 {
    browser
        .client
        .execute("return document.documentElement.scrollHeight;", vec![])
        .await
        .expect("script")
        .as_u64()
        .unwrap_or(0)
}

async fn at_width(width: u32) {
    let Some(browser) = driver::start_sized(width).await else {
        return;
    };
    let w = width.to_string();
    let app = spawn_app(helpers::sqlite()).await;
    let base = app.base.clone();
    let estate = app.estate("小区甲");
    let sec = app.staff("sec-one", Role::Secretary, &estate).await;
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
            "questions": [{ "id": "选用哪个品牌", "options": ["甲品牌", "乙品牌", "丙品牌"], "max_choices": 2 }] }))
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
                (
                    consultation.as_str(),
                    json!({ "选用哪个品牌": ["甲品牌", "丙品牌"] }),
                ),
            ],
        ),
        ("P2", vec![(motion.as_str(), json!("no"))]),
        ("P4", vec![(motion.as_str(), json!("yes"))]),
    ] {
        app.owner(&assembly, &codes[owner])
            .await
            .vote(&assembly, &votes)
            .await
            .expect(200);
    }

    // The secretary's notice (printed before opening; read here after closing).
    browser.sign_in(&base, "sec-one").await;
    browser
        .goto(&format!("{base}/staff/assemblies/{}/notice", assembly.id))
        .await;
    let notice = browser.text().await;
    assert!(
        notice.contains("仅 1 号楼业主表决")
            && notice.contains("问题 1：选用哪个品牌")
            && notice.contains("丙品牌")
            && notice.contains("小区甲业主大会 / 业主委员会")
            && !notice.contains(&assembly.id),
        "{notice}"
    );
    browser.assert_fits("the notice").await;
    browser.shot(&format!("results-{w}-1-notice")).await;
    shot_at(&browser, ".issuer", &format!("results-{w}-2-notice-end")).await;

    sec.close_early(&assembly).await;
    browser
        .goto(&format!(
            "{base}/staff/assemblies/{}/announcement.html",
            assembly.id
        ))
        .await;
    browser.assert_fits("the announcement").await;
    browser.shot(&format!("results-{w}-3-announcement")).await;
    browser
        .goto(&format!("{base}/staff/assemblies/{}/results", assembly.id))
        .await;
    browser.assert_fits("the staff results").await;

    // The owner P1: figures on the ballot page.
    browser.goto(&format!("{base}/v/{}", codes["P1"])).await;
    browser.follow("进入").await;
    browser.goto(&format!("{base}/ballot")).await;
    let sheet = browser.text().await;
    assert!(
        sheet.contains("参与表决面积占总面积 83.3%，需达到三分之二以上：已达到")
            && sheet.contains("同意面积占参与面积 75.0%，需超过半数：已达到")
            && sheet.contains("选用哪个品牌（1 人作答）"),
        "{sheet}"
    );
    browser.assert_fits("the ballot page with figures").await;
    shot_at(
        &browser,
        ".figures",
        &format!("results-{w}-4-ballot-figures"),
    )
    .await;
    browser.goto(&format!("{base}/ballot/publication")).await;
    browser.assert_fits("the publication page").await;
    shot_at(&browser, "#results", &format!("results-{w}-5-publication")).await;

    // The roll: P1's units first, then a search by unit.
    browser.goto(&format!("{base}/ballot/roll")).await;
    let roll = browser.text().await;
    let yours = roll.find("您的房屋").expect("the owner's units");
    let other = roll.find("1-1-102").expect("another unit");
    assert!(yours < other, "{roll}");
    browser.assert_fits("the roll").await;
    browser.shot(&format!("results-{w}-6-roll")).await;
    browser.fill("#unit", "2-1").await;
    browser.follow("查找").await;
    let found = browser.text().await;
    assert!(found.contains("房号含“2-1”的记录"), "{found}");
    browser.assert_fits("the roll searched").await;
    shot_at(&browser, "#found", &format!("results-{w}-7-roll-found")).await;
    assert!(page_height(&browser).await < 12_000);
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_notice_and_roll_at_360() {
    at_width(360).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn results_notice_and_roll_at_320() {
    at_width(320).await;
}
