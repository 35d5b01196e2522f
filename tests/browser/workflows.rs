//! Issue 19 on a phone: an owner reads an item's document (a plan) before choosing, chooses 从众
//! with its explanation in front of them, and sees that voting was extended; the secretary's
//! pages for the 从众 setting, documents and the extension; candidates' statements, registered and
//! reviewed on the setup page by two secretaries, read by an owner.

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
    sign_in(&browser, &base, "sec-wf").await;
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

/// Candidates on the pages: the secretary registers a candidate on the setup page (units,
/// statement, photo, nomination, declarations), a second secretary finds them eligible there,
/// and an owner reads the statements with the photo on the phone before choosing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_reads_the_candidates_statements() {
    let Some(browser) = driver::start().await else {
        return;
    };
    let app = spawn_app(helpers::sqlite()).await;
    let base = app.base.clone();
    let estate = app.estate("小区甲");
    let sec = app.staff("sec-cand", Role::Secretary, &estate).await;
    let second = app.staff("sec-cand-2", Role::Secretary, &estate).await;
    sec.import_roster(&estate, SMALL_ROSTER.as_bytes())
        .await
        .expect(200);
    // An election with its photo uploaded and 李二 registered and reviewed through the API.
    let election_of = |assembly: helpers::Assembly| {
        let (sec, second, base) = (sec.clone(), second.clone(), base.clone());
        async move {
            let election = sec
                .add_item(&assembly, json!({ "kind": "election", "title": "增补业主委员会委员", "seats": 1, "candidates": ["王一", "李二"] }))
                .await;
            let photo = sec
                .http
                .post(format!("{base}/api/v1/items/{election}/documents"))
                .query(&[("name", "王一照片")])
                .bearer_auth(&sec.token)
                .body(PLAN_PNG.to_vec())
                .send()
                .await
                .unwrap()
                .json::<serde_json::Value>()
                .await
                .unwrap()["id"]
                .as_str()
                .unwrap()
                .to_owned();
            let li = sec
                .post(
                    &format!("/api/v1/items/{election}/candidates"),
                    json!({ "name": "李二", "units": ["2-1-101"], "statement": "中学教师，熟悉小区情况。", "nominated_by": "自荐",
                            "declarations": { "本小区业主本人（非仅为物业使用人）": true, "无拖欠物业服务费": true, "无违法搭建": true } }),
                )
                .await
                .expect(201);
            second
                .post(
                    &format!("/api/v1/candidates/{}/review", li["id"].as_str().unwrap()),
                    json!({ "eligible": true }),
                )
                .await
                .expect(200);
            (election, photo)
        }
    };

    // The secretary registers 王一 on the setup page of a draft; a second secretary reviews.
    let draft = sec.create_assembly(&estate, true).await;
    let (election, photo) = election_of(draft.clone()).await;
    sign_in(&browser, &base, "sec-cand").await;
    let setup = format!("{base}/staff/assemblies/{}/setup", draft.id);
    browser.goto(&setup).await;
    browser
        .fill(&format!("#cand-units-{election}"), "1-1-101")
        .await;
    browser
        .fill(
            &format!("#cand-statement-{election}"),
            "退休会计，愿为业主管好维修资金。每月公开账目。",
        )
        .await;
    browser
        .fill(&format!("#cand-nominated-{election}"), "10 名业主联名推荐")
        .await;
    browser
        .client
        .execute(
            "document.getElementById(arguments[0]).value = arguments[1];",
            vec![json!(format!("cand-photo-{election}")), json!(photo)],
        )
        .await
        .expect("choosing the photo");
    for declaration in ["本小区业主本人", "无拖欠物业服务费", "无违法搭建"] {
        browser.click_text(declaration).await;
    }
    browser.follow("登记").await;
    let registered = browser.text().await;
    assert!(
        registered.contains("待审核（须由另一位工作人员审核）")
            && registered.contains("本小区业主本人（非仅为物业使用人）：是"),
        "{registered}"
    );
    // The registrant cannot review: the page says why.
    browser.follow("审核通过").await;
    assert!(
        browser
            .text()
            .await
            .contains("登记候选人的工作人员不能审核同一候选人"),
        "the registrant's review is refused"
    );
    browser.close().await;
    let reviewer = driver::start().await.expect("a second browser");
    sign_in(&reviewer, &base, "sec-cand-2").await;
    reviewer.goto(&setup).await;
    reviewer.follow("审核通过").await;
    let reviewed = reviewer.text().await;
    assert_eq!(
        reviewed.matches("资格审核通过").count(),
        2,
        "both found eligible: {reviewed}"
    );
    reviewer
        .assert_fits("the setup page with the candidate register")
        .await;
    scroll_to(&reviewer, ".candidate-entry").await;
    reviewer.shot("wf-9-setup-candidates").await;
    reviewer.close().await;

    // An assembly announced at once, 王一 registered with the photo: an owner reads both.
    let assembly = sec.create_assembly(&estate, true).await;
    let (election, photo) = election_of(assembly.clone()).await;
    let wang = sec
        .post(
            &format!("/api/v1/items/{election}/candidates"),
            json!({ "name": "王一", "units": ["1-1-101"], "statement": "退休会计，愿为业主管好维修资金。每月公开账目。",
                    "nominated_by": "10 名业主联名推荐", "photo_document": photo,
                    "declarations": { "本小区业主本人（非仅为物业使用人）": true, "无拖欠物业服务费": true, "无违法搭建": true } }),
        )
        .await
        .expect(201);
    second
        .post(
            &format!("/api/v1/candidates/{}/review", wang["id"].as_str().unwrap()),
            json!({ "eligible": true }),
        )
        .await
        .expect(200);
    sec.announce(&assembly).await;
    sec.open(&assembly).await;
    let codes = sec.issue_codes(&assembly, None).await;
    let owner = driver::start().await.expect("an owner's browser");
    owner.goto(&format!("{base}/vote")).await;
    owner.fill("#code", &codes["P4"]).await;
    owner.follow("进入").await;
    owner.follow("开始投票").await;
    let step = owner.text().await;
    assert!(
        step.contains("退休会计，愿为业主管好维修资金")
            && step.contains("房屋：1-1-101")
            && step.contains("中学教师"),
        "{step}"
    );
    let photo_width = owner
        .client
        .execute(
            "const i = document.querySelector('.candidate img'); return i && i.complete ? i.naturalWidth : 0;",
            vec![],
        )
        .await
        .expect("reading the photo");
    assert_eq!(photo_width, json!(240), "the photo is shown");
    owner.assert_fits("the election step with statements").await;
    owner.shot("wf-10-owner-candidates").await;
    owner.close().await;
}

async fn sign_in(browser: &driver::Browser, base: &str, login: &str) {
    browser.sign_in(base, login).await;
}

/// A building volunteer on a 360 px phone: the secretary adds them on the staff page; they see
/// their building's turnout and who has not voted (no choices, no other building), record a
/// door visit in one tap, enter the paper form they collected (waiting for a secretary's
/// confirmation), and print the door list.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_volunteer_goes_door_to_door_on_a_phone() {
    let Some(office) = driver::start().await else {
        return;
    };
    let app = spawn_app(helpers::sqlite()).await;
    let base = app.base.clone();
    let estate = app.estate("小区甲");
    let sec = app.staff("sec-door", Role::Secretary, &estate).await;
    sec.import_roster(&estate, SMALL_ROSTER.as_bytes())
        .await
        .expect(200);

    // The secretary adds 陈阿姨 for building 1; the password is shown once.
    sign_in(&office, &base, "sec-door").await;
    office.goto(&format!("{base}/staff/volunteers")).await;
    office.fill("#v-login", "chen1").await;
    office.fill("#v-name", "1号楼 陈阿姨").await;
    office.fill("#v-buildings", "1").await;
    office.follow("添加楼组长").await;
    let added = office.text().await;
    let password = added
        .split("初始密码：")
        .nth(1)
        .and_then(|rest| rest.split('（').next())
        .expect("the password on the page")
        .trim()
        .to_owned();
    assert!(added.contains("1号楼 陈阿姨（chen1）：1号楼"), "{added}");
    office.assert_fits("the volunteers page").await;
    office.shot("wf-11-staff-volunteers").await;
    office.close().await;

    let assembly = sec.create_assembly(&estate, true).await;
    let motion = sec
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "续聘物业服务企业", "matter": 4 }),
        )
        .await;
    sec.announce(&assembly).await;
    sec.open(&assembly).await;
    let codes = sec.issue_codes(&assembly, None).await;
    app.owner(&assembly, &codes["P1"])
        .await
        .vote(&assembly, &[(motion.as_str(), json!("no"))])
        .await
        .expect(200);

    let phone = driver::start().await.expect("the volunteer's phone");
    phone.sign_in_with(&base, "chen1", &password).await;
    let round = phone.text().await;
    assert!(
        round.contains("负责：1号楼")
            && round.contains("已参加 1/2 户")
            && round.contains("尚未投票的业主（1 户）")
            && round.contains("1-1-102")
            && !round.contains("2-1-101")
            && !round.contains("反对"),
        "{round}"
    );
    phone.assert_fits("the volunteer's round").await;
    phone.shot("wf-12-volunteer-round").await;
    phone.click_text("不在家").await;
    phone.follow("记录走访").await;
    assert!(
        phone.text().await.contains("上次走访"),
        "the visit is shown"
    );
    scroll_to(&phone, ".door").await;
    phone.shot("wf-13-volunteer-visit").await;

    // The paper form collected at the door.
    phone.follow("录入收回的纸质表决票").await;
    phone.click_text("同意").await;
    phone.follow("录入").await;
    let pending: Vec<_> = app
        .store
        .ballot_versions(&motion)
        .unwrap()
        .into_iter()
        .filter(|v| v.voter == "P2")
        .collect();
    assert_eq!(pending.len(), 1, "the paper ballot is entered");
    assert!(
        pending[0].confirmed_by.is_none(),
        "it waits for a secretary"
    );
    phone.shot("wf-14-volunteer-paper").await;

    phone
        .goto(&format!(
            "{base}/volunteer/assemblies/{}/doors",
            assembly.id
        ))
        .await;
    assert!(phone.text().await.contains("上门走访名单"));
    phone.shot("wf-15-volunteer-door-list").await;
    phone.close().await;
}
