//! The transparency log as owners and the secretary see it (issue 18): after voting, the done
//! page shows the log's checkpoint and a proof to download for each ballot; the public log page
//! lists every checkpoint; the printed notice carries the checkpoint with its QR code.

use gongjue_store::users::Role;
use serde_json::json;

use crate::driver;
use crate::helpers::{self, SMALL_ROSTER, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn owners_keep_a_checkpoint_and_a_proof_and_read_the_log() {
    let Some(browser) = driver::start().await else {
        return;
    };
    let app = spawn_app(helpers::sqlite()).await;
    let base = app.base.clone();
    let estate = app.estate("小区甲");
    let sec = app.staff("sec-log", Role::Secretary, &estate).await;
    sec.import_roster(&estate, SMALL_ROSTER.as_bytes())
        .await
        .expect(200);
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

    // 丁 (P4) signs in and votes; the done page shows the checkpoint and the proof link.
    browser.goto(&format!("{base}/vote")).await;
    browser.fill("#code", &codes["P4"]).await;
    browser.follow("进入").await;
    app.owner(&assembly, &codes["P4"])
        .await
        .vote(&assembly, &[(motion.as_str(), json!("yes"))])
        .await
        .expect(200);
    browser.goto(&format!("{base}/ballot/done")).await;
    let done = browser.text().await;
    assert!(
        done.contains("日志检查点") && done.contains("下载本票已记入日志的证明文件"),
        "{done}"
    );
    browser
        .assert_fits("the done page with the log's checkpoint")
        .await;
    browser.shot("log-1-done").await;

    // The public log page: every checkpoint, newest first, with the occasion in words.
    browser.goto(&format!("{base}/log/{estate}")).await;
    let log = browser.text().await;
    assert!(
        log.contains("公开记录日志") && log.contains("投票开始") && log.contains("公告前"),
        "{log}"
    );
    browser.assert_fits("the public log page").await;
    browser.shot("log-2-public-log").await;

    // The notice the secretary prints carries the checkpoint and its QR code.
    browser.sign_in(&base, "sec-log").await;
    browser
        .goto(&format!("{base}/staff/assemblies/{}/notice", assembly.id))
        .await;
    let notice = browser.text().await;
    assert!(notice.contains("日志检查点"), "{notice}");
    browser.shot("log-3-notice").await;
    browser.close().await;
}
