//! Publication in the browser: after closing, an owner reads their record and files an
//! objection; a secretary sees publishing refused while the period runs, rejects the objection
//! with a reason, and publishes the final result once the period is over; the owner reads the
//! answer and finds their receipt in the published list.

use diesel::RunQueryDsl;
use gongjue_store::users::Role;
use serde_json::json;

use crate::driver;
use crate::helpers::{self, SMALL_ROSTER, spawn_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_objects_and_the_secretary_resolves_and_publishes() {
    let Some(browser) = driver::start().await else {
        return;
    };
    let db = helpers::sqlite();
    let mut raw = db.raw();
    let app = spawn_app(db).await;
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
    sec.announce(&assembly).await;
    sec.open(&assembly).await;
    let codes = sec.issue_codes(&assembly, None).await;
    let receipt = app
        .owner(&assembly, &codes["P4"])
        .await
        .vote(&assembly, &[(motion.as_str(), json!("no"))])
        .await
        .expect(200)[0]["receipt"]
        .as_str()
        .unwrap()
        .to_owned();

    // 丁 (P4) signs in while voting is open; then voting closes.
    browser.goto(&format!("{base}/vote")).await;
    browser.fill("#code", &codes["P4"]).await;
    browser.follow("进入").await;
    sec.close_early(&assembly).await;
    browser.goto(&format!("{base}/ballot")).await;
    browser.follow("查看结果公示").await;
    let record = browser.text().await;
    assert!(
        record.contains("初步结果公示中")
            && record.contains("反对 · 网上投票")
            && record.contains(&receipt),
        "{record}"
    );
    browser.assert_fits("the owner's record").await;
    browser.shot("publication-1-owner-record").await;
    browser.fill("#text", "我投的是同意，不是反对。").await;
    browser.follow("提出异议").await;
    let filed = browser.text().await;
    assert!(
        filed.contains("异议已提交")
            && filed.contains("我投的是同意，不是反对。")
            && filed.contains("待处理"),
        "{filed}"
    );
    browser.assert_fits("the filed objection").await;
    browser.shot("publication-2-objection-filed").await;
    browser.follow("公示名单").await;
    let roll = browser.text().await;
    assert!(
        roll.contains("2-1-101 （您的房屋）")
            && roll.contains("* · 反对 · 网上投票")
            && roll.contains(&receipt),
        "{roll}"
    );
    browser.assert_fits("the published list").await;
    browser.shot("publication-3-published-list").await;

    // The secretary: publishing is refused while the period runs.
    browser.sign_in(&base, "sec-one").await;
    let results = format!("{base}/staff/assemblies/{}/results", assembly.id);
    browser.goto(&results).await;
    let page = browser.text().await;
    assert!(
        page.contains("我投的是同意，不是反对。")
            && page.contains("2-1-101 丁 (P4)")
            && page.contains("现在还不能发布最终结果：异议期尚未结束"),
        "{page}"
    );
    assert!(page.contains("最终结果发布后才能下载签名导出"));
    browser
        .assert_fits("the results with the objections queue")
        .await;
    browser.shot("publication-4-staff-queue").await;
    browser.follow("发布最终结果并签名导出").await;
    assert!(
        browser
            .text()
            .await
            .contains("异议期尚未结束，不能发布最终结果")
    );
    browser.shot("publication-5-publish-refused").await;

    // Rejected with a reason: the record stands.
    browser.goto(&results).await;
    let objection = app.store.objections(&assembly.id, None).unwrap().remove(0);
    browser
        .fill(
            &format!("#reason-{}", objection.id),
            "网络投票记录与回执一致，记录无误。",
        )
        .await;
    browser.follow("处理异议").await;
    let page = browser.text().await;
    assert!(
        page.contains("异议已处理") && page.contains("已驳回"),
        "{page}"
    );
    assert_eq!(
        app.store.objection(&objection.id).unwrap().status,
        "rejected"
    );

    // The period over (moved into the past in the database): the final result.
    diesel::sql_query(format!("UPDATE publications SET objections_until = '2000-01-01T00:00:00.000000Z' WHERE assembly_id = '{}'", assembly.id))
        .execute(&mut raw)
        .unwrap();
    browser.goto(&results).await;
    browser.follow("发布最终结果并签名导出").await;
    let page = browser.text().await;
    assert!(
        page.contains("最终结果已发布，各事项的导出已签名") && page.contains(".json.jws"),
        "{page}"
    );
    assert!(
        app.store
            .publication(&assembly.id)
            .unwrap()
            .unwrap()
            .is_final()
    );
    browser.assert_fits("the final publication").await;
    browser.shot("publication-6-final").await;

    // The owner reads the answer.
    browser.goto(&format!("{base}/ballot/publication")).await;
    let answer = browser.text().await;
    assert!(
        answer.contains("最终结果已发布")
            && answer.contains("已驳回")
            && answer.contains("网络投票记录与回执一致"),
        "{answer}"
    );
    browser.shot("publication-7-owner-answer").await;
    browser.close().await;
}
