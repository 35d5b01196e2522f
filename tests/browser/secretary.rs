//! Secretaries in the browser: import the roster, set up an assembly with a motion and an
//! election, open it, enter a paper ballot which a second person confirms, close, read the result.

use std::time::Duration;

use chrono::{FixedOffset, Utc};
use fantoccini::Locator;
use gongjue_store::users::Role;

use crate::driver::{self, Browser};
use crate::helpers::{self, SMALL_ROSTER, TWO_BUILDINGS_ROSTER as TWO_BUILDINGS, spawn_app};

async fn sign_in(browser: &Browser, base: &str, login: &str) {
    browser.sign_in(base, login).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secretary_runs_an_assembly_from_the_roster_to_the_result() {
    let Some(browser) = driver::start().await else {
        return;
    };
    let app = spawn_app(helpers::sqlite()).await;
    let estate = app.estate("小区甲");
    app.staff("sec-one", Role::Secretary, &estate).await;
    app.staff("sec-two", Role::Secretary, &estate).await;
    let base = app.base.clone();

    browser.goto(&format!("{base}/staff/login")).await;
    browser.assert_fits("staff sign-in").await;
    browser.shot("staff-1-login").await;
    sign_in(&browser, &base, "sec-one").await;

    // The roster.
    browser.follow("业主名册").await;
    let file = std::env::temp_dir().join(format!("gongjue-roster-{}.csv", uuid::Uuid::now_v7()));
    std::fs::write(&file, SMALL_ROSTER).unwrap();
    browser
        .client
        .find(Locator::Css("#file"))
        .await
        .unwrap()
        .send_keys(&file.display().to_string())
        .await
        .unwrap();
    browser.follow("导入").await;
    let report = browser.text().await;
    assert!(
        report.contains("名册已导入") && report.contains("5 户"),
        "{report}"
    );
    browser.assert_fits("the roster report").await;
    browser.shot("staff-2-roster-report").await;
    let _ = std::fs::remove_file(&file);

    // The assembly: opening in a minute, no notice period (the estate's rules say 0 days). The
    // minute covers the pages between here and the announcement, each checked by axe-core on a
    // loaded machine: an announcement after the opening time is refused.
    browser.goto(&format!("{base}/staff")).await;
    browser.follow("新建业主大会会议").await;
    browser.fill("#title", "2026年第一次业主大会会议").await;
    let beijing = FixedOffset::east_opt(8 * 3600).unwrap();
    let opens = Utc::now() + chrono::Duration::seconds(60);
    let script = format!(
        "document.getElementById('opens_at').value = '{}'; document.getElementById('closes_at').value = '{}';",
        opens.with_timezone(&beijing).format("%Y-%m-%dT%H:%M:%S"),
        (opens + chrono::Duration::hours(2))
            .with_timezone(&beijing)
            .format("%Y-%m-%dT%H:%M:%S")
    );
    browser.client.execute(&script, vec![]).await.unwrap();
    browser.fill("#notice_days", "0").await;
    browser.follow("创建").await;
    browser.fill("#item-title", "续聘物业服务企业").await;
    browser.follow("增加事项").await;
    browser.click_text("选举").await;
    browser.fill("#item-title", "选举业主委员会委员").await;
    browser.fill("#seats", "2").await;
    browser.fill("#candidates", "王一\n李二\n赵三").await;
    browser.follow("增加事项").await;
    let setup = browser.text().await;
    assert!(
        setup.contains("续聘物业服务企业") && setup.contains("应选人数 2 · 王一、李二、赵三"),
        "{setup}"
    );
    assert!(
        setup.contains("参与表决者中专有部分面积和人数均过半数同意"),
        "the matter's rule in words"
    );
    browser.assert_fits("the setup page").await;
    browser.shot("staff-3-setup").await;
    browser.follow("打印公告和表决票").await;
    browser.follow("会议公告").await;
    assert!(browser.text().await.contains("续聘物业服务企业"));
    browser.assert_fits("the notice").await;
    browser.shot("staff-3b-notice").await;
    browser
        .goto(&format!(
            "{base}/staff/assemblies/{}/setup",
            app.store.estate_assemblies(&estate).unwrap()[0].id
        ))
        .await;
    // The election's candidates registered and found eligible, as announcing requires (the
    // register's own pages: `workflows.rs`).
    let draft = app.store.estate_assemblies(&estate).unwrap()[0].id.clone();
    let election = app.store.items(&draft).unwrap()[1].id.clone();
    app.staff("sec-cands", Role::Secretary, &estate)
        .await
        .approve_candidates(&election)
        .await;
    browser.follow("发布公告").await;
    let wait = (opens - Utc::now()).to_std().unwrap_or_default();
    tokio::time::sleep(wait + Duration::from_millis(300)).await;
    browser.follow("开始投票").await;

    // The ballot sheets, with codes and QR codes.
    browser.follow("打印公告和表决票").await;
    browser.follow("生成并打印表决票").await;
    let sheets = browser
        .client
        .find_all(Locator::Css("article.sheet svg"))
        .await
        .unwrap();
    assert_eq!(sheets.len(), 4, "one sheet with a QR code per member");
    browser.assert_fits("the ballot sheets").await;
    browser.shot("staff-3c-ballot-sheet").await;
    browser
        .goto(&format!(
            "{base}/staff/assemblies/{}/setup",
            app.store.estate_assemblies(&estate).unwrap()[0].id
        ))
        .await;

    // A paper ballot for 2-1-101 (丁, P4), entered by one secretary.
    browser.follow("参与情况").await;
    browser.assert_fits("the dashboard").await;
    browser.shot("staff-4-dashboard").await;
    browser.follow("录入纸质选票").await;
    browser.fill("#unit", "2-1-101").await;
    browser.follow("查找").await;
    browser.click_text("同意").await;
    browser.click_text("王一").await;
    browser.fill("#scan_ref", "箱2-017").await;
    browser.assert_fits("paper entry").await;
    browser.shot("staff-5-paper-entry").await;
    browser.follow("录入").await;
    assert!(browser.text().await.contains("2-1-101 的纸质选票已录入"));
    let assembly = app.store.estate_assemblies(&estate).unwrap().remove(0);
    let items = app.store.items(&assembly.id).unwrap();
    let motion = app
        .store
        .current_ballot(&items[0].id, "P4")
        .unwrap()
        .unwrap();
    assert!(motion.confirmed_at.is_none());

    // The second person confirms it.
    browser.follow("退出").await;
    sign_in(&browser, &base, "sec-two").await;
    browser
        .goto(&format!("{base}/staff/assemblies/{}/confirm", assembly.id))
        .await;
    let queue = browser.text().await;
    assert!(
        queue.contains("箱2-017") && queue.contains("同意") && queue.contains("王一"),
        "{queue}"
    );
    browser.assert_fits("the confirmation queue").await;
    browser.shot("staff-6-confirm-queue").await;
    // One action for the whole sheet (issue 21, point 10): the motion's and the election's.
    browser.follow("确认整张表决票").await;
    let confirmed = browser.text().await;
    assert!(
        confirmed.contains("已确认") && confirmed.contains("没有待确认的纸质选票"),
        "{confirmed}"
    );
    for item in &items[..2] {
        assert!(
            app.store
                .current_ballot(&item.id, "P4")
                .unwrap()
                .unwrap()
                .confirmed_at
                .is_some()
        );
    }

    // Close early (with a reason) and read the result.
    browser
        .goto(&format!("{base}/staff/assemblies/{}/setup", assembly.id))
        .await;
    browser.fill("#reason", "测试：提前结束").await;
    browser.follow("结束投票").await;
    // Closing asks first (issue 21, point 14).
    let confirm = browser.text().await;
    assert!(
        confirm.contains("确认结束投票") && confirm.contains("测试：提前结束"),
        "{confirm}"
    );
    browser.assert_fits("the closing confirmation").await;
    browser.shot("staff-6b-close-confirm").await;
    browser.follow("是，结束投票").await;
    let result = browser.text().await;
    assert!(
        result.contains("表决结果") && result.contains("参与表决的面积或人数未达到法定比例"),
        "{result}"
    );
    assert!(
        result.contains("80.00 m² (16.7%)") && result.contains("1 (25.0%)"),
        "{result}"
    );
    assert!(result.contains("2-1-101 *"), "names masked: {result}");
    browser.assert_fits("the results").await;
    browser.shot("staff-7-results").await;
    browser.close().await;
}

/// Issue 21, points 12-15 on the narrowest phones: the dashboard, the not-voted list, the setup
/// forms after an error, the closing confirmation, an error page and the roster report, at
/// 360 and 320 px, every one fitting the window.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_secretarys_pages_fit_360_and_320_px() {
    for width in [360, 320] {
        let Some(browser) = driver::start_sized(width).await else {
            return;
        };
        let app = spawn_app(helpers::sqlite()).await;
        let estate = app.estate("小区丙");
        let api = app.staff("sec-narrow", Role::Secretary, &estate).await;
        api.import_roster(&estate, TWO_BUILDINGS.as_bytes())
            .await
            .expect(200);
        let assembly = api.create_assembly(&estate, true).await;
        let motion = api
            .add_item(
                &assembly,
                serde_json::json!({ "kind": "motion", "title": "续聘物业服务企业（2027年至2029年）", "matter": 4 }),
            )
            .await;
        let election = api.add_item(
            &assembly,
            serde_json::json!({ "kind": "election", "title": "选举业主委员会委员", "seats": 2, "candidates": ["王一", "李二", "赵三"] }),
        )
        .await;
        api.approve_candidates(&election).await;
        api.announce(&assembly).await;
        api.open(&assembly).await;
        let codes = api.issue_codes(&assembly, None).await;
        for owner in ["A", "C"] {
            app.owner(&assembly, &codes[owner])
                .await
                .vote(&assembly, &[(&motion, serde_json::json!("yes"))])
                .await
                .expect(200);
        }
        let base = app.base.clone();
        let id = assembly.id.clone();
        sign_in(&browser, &base, "sec-narrow").await;

        browser.goto(&format!("{base}/staff/assemblies/{id}")).await;
        let text = browser.text().await;
        assert!(
            text.contains("还差 1 户 / 0.01 m²") && text.contains("刷新"),
            "{text}"
        );
        browser.assert_fits("the dashboard").await;
        browser.shot(&format!("i21-dashboard-{width}")).await;
        for part in ["turnout", "buildings", "not-voted"] {
            browser
                .client
                .execute(
                    &format!("document.getElementById('{part}').scrollIntoView();"),
                    vec![],
                )
                .await
                .unwrap();
            browser.shot(&format!("i21-dashboard-{part}-{width}")).await;
        }
        browser.follow("刷新").await;
        browser.follow("打印未投票名单").await;
        assert!(browser.text().await.contains("2-1-201"));
        browser.assert_fits("the not-voted list").await;
        browser.shot(&format!("i21-not-voted-{width}")).await;

        // Closing asks first; the confirmation fits.
        browser
            .goto(&format!("{base}/staff/assemblies/{id}/setup"))
            .await;
        browser.follow("结束投票").await;
        assert!(browser.text().await.contains("须注明理由"));
        browser.assert_fits("the setup page with an error").await;
        browser.shot(&format!("i21-close-no-reason-{width}")).await;
        browser.fill("#reason", "演练").await;
        browser.follow("结束投票").await;
        assert!(browser.text().await.contains("确认结束投票"));
        browser.assert_fits("the closing confirmation").await;
        browser.shot(&format!("i21-close-confirm-{width}")).await;
        browser.follow("不结束，返回").await;

        // An error page leads back.
        browser
            .goto(&format!("{base}/staff/assemblies/{id}/results"))
            .await;
        assert!(browser.text().await.contains("返回上一页"));
        browser.assert_fits("an error page").await;
        browser.shot(&format!("i21-error-{width}")).await;
        browser.follow("返回上一页").await;
        assert!(browser.text().await.contains("参与门槛"));

        // The new-assembly form after an error keeps what was typed.
        browser.goto(&format!("{base}/staff/assemblies/new")).await;
        browser.fill("#title", "2027年第一次业主大会会议").await;
        browser
            .client
            .execute(
                "document.getElementById('opens_at').value = '2030-05-01T09:00:00'; document.getElementById('closes_at').value = '2030-04-01T09:00:00';",
                vec![],
            )
            .await
            .unwrap();
        browser.follow("创建").await;
        let text = browser.text().await;
        assert!(text.contains("必须晚于投票开始时间"), "{text}");
        let title = browser
            .client
            .find(Locator::Css("#title"))
            .await
            .unwrap()
            .prop("value")
            .await
            .unwrap();
        assert_eq!(title.as_deref(), Some("2027年第一次业主大会会议"));
        browser
            .assert_fits("the new-assembly form with an error")
            .await;
        browser
            .shot(&format!("i21-new-assembly-error-{width}"))
            .await;

        // The roster report: counts first.
        browser.goto(&format!("{base}/staff/roster")).await;
        let file =
            std::env::temp_dir().join(format!("gongjue-roster-{}.csv", uuid::Uuid::now_v7()));
        std::fs::write(
            &file,
            TWO_BUILDINGS.replacen("\n,1,1,102", "\n\n,1,1,102", 1),
        )
        .unwrap();
        browser
            .client
            .find(Locator::Css("#file"))
            .await
            .unwrap()
            .send_keys(&file.display().to_string())
            .await
            .unwrap();
        browser.follow("导入").await;
        let _ = std::fs::remove_file(&file);
        let text = browser.text().await;
        assert!(text.contains("名册概况") && text.contains("空行"), "{text}");
        browser.assert_fits("the roster report").await;
        browser.shot(&format!("i21-roster-{width}")).await;
        browser
            .client
            .execute(
                "document.getElementById('roster-counts').scrollIntoView();",
                vec![],
            )
            .await
            .unwrap();
        browser.shot(&format!("i21-roster-counts-{width}")).await;
        browser.close().await;
    }
}
