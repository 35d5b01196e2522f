//! Issue 19 on a phone: an owner reads an item's document (a plan) before choosing, chooses 从众
//! with its explanation in front of them, and sees that voting was extended; the secretary's
//! pages for the 从众 setting, documents and the extension.

use chrono::{Duration, Utc};
use gongjue_store::users::Role;
use serde_json::json;

use crate::driver;
use crate::helpers::{self, SMALL_ROSTER, spawn_app};

const PLAN_PNG: &[u8] = include_bytes!("../fixtures/lift-plan.png");

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_reads_the_plan_and_follows_the_majority() {
    let Some(browser) = driver::start().await else {
        return;
    };
    let app = spawn_app(helpers::sqlite()).await;
    let base = app.base.clone();
    let estate = app.estate("小区甲");
    let sec = app.staff("sec-wf", Role::Secretary, &estate).await;
    sec.import_roster(&estate, SMALL_ROSTER.as_bytes())
        .await
        .expect(200);
    sec.put(
        &format!("/api/v1/estates/{estate}/follow-majority"),
        json!({ "follow_majority": true, "basis": "《业主大会议事规则》第十二条" }),
    )
    .await
    .expect(200);
    let assembly = sec.create_assembly(&estate, true).await;
    let motion = sec
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "更新3号楼电梯", "matter": 6, "follow_majority": true,
                    "body": "拟使用专项维修资金更换3号楼两部电梯。" }),
        )
        .await;
    let upload = |item: String| {
        let sec = sec.clone();
        let base = base.clone();
        async move {
            let uploaded = sec
                .http
                .post(format!("{base}/api/v1/items/{item}/documents"))
                .query(&[("name", "井道平面图")])
                .bearer_auth(&sec.token)
                .body(PLAN_PNG.to_vec())
                .send()
                .await
                .unwrap();
            assert_eq!(uploaded.status().as_u16(), 201);
        }
    };
    upload(motion.clone()).await;
    // Announced at once: voting opens a moment after the assembly was made.
    sec.announce(&assembly).await;
    // A draft of the next assembly, to see the setup page with its upload form.
    let draft = sec.create_assembly(&estate, true).await;
    let draft_motion = sec
        .add_item(
            &draft,
            json!({ "kind": "motion", "title": "更新3号楼电梯", "matter": 6, "follow_majority": true }),
        )
        .await;
    upload(draft_motion).await;

    // The secretary's pages: the 从众 setting, the setup page with the document.
    browser.goto(&format!("{base}/staff/login")).await;
    browser.fill("#login", "sec-wf").await;
    browser
        .fill("#password", "sec-wf-password-long-enough")
        .await;
    browser.follow("进入").await;
    let home = browser.text().await;
    assert!(
        home.contains("议事规则规定“从众”：《业主大会议事规则》第十二条"),
        "{home}"
    );
    browser
        .assert_fits("the estate page with the 从众 setting")
        .await;
    browser.shot("wf-1-estate-follow-setting").await;
    browser
        .goto(&format!("{base}/staff/assemblies/{}/setup", draft.id))
        .await;
    let setup = browser.text().await;
    assert!(
        setup.contains("井道平面图（PNG") && setup.contains("从众"),
        "{setup}"
    );
    browser.assert_fits("the setup page with a document").await;
    scroll_to(&browser, "ul.documents").await;
    browser.shot("wf-2-setup-documents").await;

    sec.open(&assembly).await;
    let codes = sec.issue_codes(&assembly, None).await;
    browser
        .goto(&format!("{base}/staff/assemblies/{}/notice", assembly.id))
        .await;
    assert!(browser.text().await.contains("扫码查看文件"));
    scroll_to(&browser, ".document").await;
    browser.shot("wf-3-notice-documents").await;
    // The secretary extends voting on the dashboard.
    browser
        .goto(&format!("{base}/staff/assemblies/{}", assembly.id))
        .await;
    scroll_to(&browser, "#extend").await;
    browser.shot("wf-4-dashboard-extend-form").await;
    let later = (Utc::now() + Duration::days(3) + Duration::hours(8))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    browser
        .client
        .execute(
            "document.getElementById('extend-closes_at').value = arguments[0];",
            vec![json!(later)],
        )
        .await
        .expect("setting the new closing time");
    browser
        .fill("#extend-reason", "参与表决的业主未达到三分之二")
        .await;
    browser.follow("延长投票时间并通知全体业主").await;
    let board = browser.text().await;
    assert!(
        board.contains("原定截止时间") && board.contains("投票时间已延长"),
        "{board}"
    );
    browser
        .assert_fits("the dashboard after an extension")
        .await;
    browser.shot("wf-4-dashboard-extended").await;

    // 丁 (P4) signs in: the sheet says voting was extended and lists the plan.
    let owner = driver::start().await.expect("a second browser");
    owner.goto(&format!("{base}/vote")).await;
    owner.fill("#code", &codes["P4"]).await;
    owner.follow("进入").await;
    let sheet = owner.text().await;
    assert!(
        sheet.contains("投票时间已延长") && sheet.contains("井道平面图"),
        "{sheet}"
    );
    owner
        .assert_fits("the sheet with a document and an extension")
        .await;
    owner.shot("wf-5-owner-sheet").await;
    owner.follow("开始投票").await;
    let step = owner.text().await;
    assert!(
        step.contains("从众") && step.contains("不会改变哪一方胜出"),
        "{step}"
    );
    owner.assert_fits("the step with 从众").await;
    owner.shot("wf-6-owner-step-follow").await;
    // The plan opens as an image (never a page that could run anything).
    let href = owner
        .client
        .find(fantoccini::Locator::XPath(
            "//a[contains(normalize-space(.), '井道平面图')]",
        ))
        .await
        .expect("the document's link")
        .attr("href")
        .await
        .expect("href")
        .expect("an address");
    let step_url = owner.client.current_url().await.expect("url");
    owner
        .client
        .goto(&format!("{base}{href}"))
        .await
        .expect("opening the plan");
    let shown = owner
        .client
        .execute(
            "const i = document.querySelector('img'); return [document.contentType, i ? i.naturalWidth : 0];",
            vec![],
        )
        .await
        .expect("reading the document");
    assert_eq!(shown, json!(["image/png", 240]));
    owner.shot("wf-7-owner-reads-the-plan").await;
    owner.client.goto(step_url.as_str()).await.expect("back");
    owner.click_text("从众").await;
    owner.follow("核对全部选择").await;
    assert!(owner.text().await.contains("从众"));
    owner.shot("wf-8-owner-review-follow").await;
    owner.follow("确认提交").await;
    let recorded = app
        .store
        .ballot_versions(&motion)
        .unwrap()
        .iter()
        .any(|v| v.choice == "\"follow\"");
    assert!(recorded, "the 从众 ballot is recorded");
    owner.close().await;
    browser.close().await;
}

/// Scrolls the first element matching `css` to the top of the window (for its screenshot).
async fn scroll_to(browser: &driver::Browser, css: &str) {
    browser
        .client
        .execute(
            "document.querySelector(arguments[0]).scrollIntoView();",
            vec![json!(css)],
        )
        .await
        .expect("scrolling");
}
