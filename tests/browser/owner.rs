//! An owner votes through the form with their code, as on a phone, and changes the vote; a
//! form whose CSRF token was tampered with is refused.

use serde_json::json;

use crate::driver;
use crate::helpers::{self, web_assembly};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_votes_by_code_and_changes_the_vote() {
    let Some(browser) = driver::start().await else {
        return;
    };
    let s = web_assembly(helpers::sqlite()).await;
    let (motion, election, consultation) = (&s.items[0], &s.items[1], &s.items[2]);

    browser.goto(&format!("{}/vote", s.app.base)).await;
    browser.assert_fits("the code form").await;
    browser.shot("owner-1-code").await;
    browser.fill("#code", &s.codes["P1"].to_lowercase()).await;
    browser.follow("进入").await;
    let sheet = browser.text().await;
    assert!(
        sheet.contains("续聘物业服务企业") && sheet.contains("过半数同意"),
        "{sheet}"
    );
    assert!(sheet.contains("代业主 *（编号 P2）表决"));
    browser.assert_fits("the ballot sheet").await;
    browser.shot("owner-2-sheet").await;

    browser.follow("开始投票").await;
    browser.assert_fits("a step").await;
    browser.shot("owner-3-step-motion").await;
    for (choices, step) in [
        (vec!["同意"], 1),
        (vec!["反对"], 2),
        (vec!["王一", "李二"], 3),
        (vec!["弃权"], 4),
        (vec!["乙方案"], 5),
        (vec![], 6),
    ] {
        assert!(
            browser.text().await.contains(&format!("{step} / 6")),
            "step {step}"
        );
        for choice in choices {
            browser.click_text(choice).await;
        }
        if step == 3 {
            browser.shot("owner-4-step-election").await;
        }
        browser
            .follow(if step == 6 {
                "核对全部选择"
            } else {
                "下一项"
            })
            .await;
    }
    let review = browser.text().await;
    assert!(
        review.contains("请核对您的全部选择")
            && review.contains("王一、李二")
            && review.contains("未选择"),
        "{review}"
    );
    browser.assert_fits("the review").await;
    browser.shot("owner-5-review").await;
    browser.follow("确认提交").await;
    let done = browser.text().await;
    assert!(
        done.contains("投票成功") && done.contains("回执号"),
        "{done}"
    );
    browser.assert_fits("the receipt").await;
    browser.shot("owner-6-receipt").await;
    let store = &s.app.store;
    let choice = |item: &str, voter: &str| {
        store
            .current_ballot(item, voter)
            .unwrap()
            .map(|b| serde_json::from_str::<serde_json::Value>(&b.choice).unwrap())
    };
    assert_eq!(choice(motion, "P1"), Some(json!("yes")));
    assert_eq!(choice(motion, "P2"), Some(json!("no")));
    assert_eq!(choice(election, "P1"), Some(json!(["王一", "李二"])));
    assert_eq!(choice(election, "P2"), Some(json!("abstain")));
    assert_eq!(
        choice(consultation, "P1"),
        Some(json!({ "方案": ["乙方案"] }))
    );
    assert_eq!(choice(consultation, "P2"), None);

    // Coming back: the sheet shows what is recorded; change the motion only.
    browser.follow("返回表决票").await;
    browser.follow("查看或修改我的选择").await;
    browser.click_text("反对").await;
    for _ in 0..5 {
        browser.follow("下一项").await;
    }
    browser.follow("核对全部选择").await;
    browser.follow("确认提交").await;
    assert!(browser.text().await.contains("投票成功"));
    assert_eq!(choice(motion, "P1"), Some(json!("no")));
    assert_eq!(
        choice(election, "P1"),
        Some(json!(["王一", "李二"])),
        "the other choices stay"
    );
    assert_eq!(store.ballot_history(motion, "P1").unwrap().len(), 2);

    // English, then a forged form: refused with a clear page, nothing stored.
    browser.follow("English").await;
    assert!(browser.text().await.contains("Your vote is recorded"));
    browser.follow("Back to the ballot").await;
    browser.follow("See or change my choices").await;
    browser
        .client
        .execute(
            "document.querySelector('input[name=csrf]').value = 'forged';",
            vec![],
        )
        .await
        .unwrap();
    browser.click_text("Yes").await;
    browser.follow("Next").await;
    let refused = browser.text().await;
    assert!(
        refused.contains("This page has expired or did not come from this site"),
        "{refused}"
    );
    browser.shot("owner-7-csrf-refused").await;
    assert_eq!(choice(motion, "P1"), Some(json!("no")));
    browser.close().await;
}

/// The narrowest phones still in use: the ballot sheet and a step fit 320 px.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ballot_fits_a_320_px_phone() {
    let Some(browser) = driver::start_sized(320).await else {
        return;
    };
    let s = web_assembly(helpers::sqlite()).await;
    browser
        .goto(&format!("{}/v/{}", s.app.base, s.codes["P1"]))
        .await;
    // The link names the units; the owner confirms they are theirs.
    assert!(browser.text().await.contains("1-1-101"));
    browser.follow("是我的房屋，进入投票").await;
    assert!(browser.text().await.contains("续聘物业服务企业"));
    browser.assert_fits("the ballot sheet at 320 px").await;
    browser.shot("owner-320-sheet").await;
    browser.follow("开始投票").await;
    browser.assert_fits("a step at 320 px").await;
    browser.shot("owner-320-step").await;
    browser.close().await;
}

/// Issue 21 at 360 and 320 px, in larger text: the step has one heading; a candidate ticked
/// with 弃权 is refused with both ticks kept; the language switch keeps the step and the ticks;
/// the review marks skipped items; the sheet's one receipt stays on one line and fits.
async fn owner_flow_of_issue_21(width: u32) {
    let Some(browser) = driver::start_sized(width).await else {
        return;
    };
    let s = web_assembly(helpers::sqlite()).await;
    let shot = |name: &str| format!("owner-i21-{width}-{name}");
    let js = |script: &'static str| {
        let client = browser.client.clone();
        async move { client.execute(script, vec![]).await.unwrap() }
    };

    browser.goto(&format!("{}/vote", s.app.base)).await;
    assert!(browser.text().await.contains("需要帮助"), "the help line");
    browser.shot(&shot("1-code")).await;
    browser.follow("长辈模式").await;
    assert_eq!(
        js("return document.documentElement.className;").await,
        json!("big")
    );
    browser.fill("#code", &s.codes["P1"]).await;
    browser.follow("进入").await;
    browser.assert_fits("the sheet, larger text").await;
    browser.shot(&shot("2-sheet-big")).await;
    browser.follow("开始投票").await;
    assert_eq!(
        js("return document.querySelectorAll('h1').length;").await,
        json!(1)
    );
    browser.assert_fits("a step, larger text").await;
    browser.shot(&shot("3-step-big")).await;
    browser.click_text("同意").await;
    browser.follow("下一项").await;
    browser.click_text("反对").await;
    browser.follow("下一项").await;
    assert!(browser.text().await.contains("得票最多的 2 名候选人当选"));
    browser.click_text("王一").await;
    browser.click_text("弃权").await;
    browser.follow("下一项").await;
    let refused = browser.text().await;
    assert!(
        refused.contains("两者不能同时选择") && refused.contains("3 / 6"),
        "{refused}"
    );
    assert_eq!(
        js("return [document.querySelector('input[name=c2][value=\"王一\"]').checked, document.querySelector('input[name=a2]').checked];").await,
        json!([true, true])
    );
    browser.assert_fits("the refusal").await;
    js("document.querySelector('.error').scrollIntoView();").await;
    browser.shot(&shot("4-abstain-refused")).await;

    // Untick 弃权, switch to English: same step, same tick, the earlier steps kept.
    browser.click_text("弃权").await;
    browser.follow("English").await;
    let english = browser.text().await;
    assert!(
        english.contains("3 / 6") && english.contains("Your choice"),
        "{english}"
    );
    assert_eq!(
        js("return document.querySelector('input[name=c2][value=\"王一\"]').checked;").await,
        json!(true)
    );
    browser.shot(&shot("5-step-english")).await;
    browser.follow("中文").await;
    for _ in 0..3 {
        browser.follow("下一项").await;
    }
    browser.follow("核对全部选择").await;
    let review = browser.text().await;
    assert!(review.contains("您有 3 项未作选择"), "{review}");
    assert_eq!(
        js("return document.querySelectorAll('.card.skipped').length;").await,
        json!(3)
    );
    browser.assert_fits("the review, larger text").await;
    js("document.querySelector('.card.skipped').scrollIntoView();").await;
    browser.shot(&shot("6-review-big")).await;
    browser.follow("确认提交").await;
    let done = browser.text().await;
    assert!(
        done.contains("本次表决回执号") && done.contains("北京时间"),
        "{done}"
    );
    // The receipt is one unbroken line that fits the phone.
    let line = js("const e = document.getElementById('receipt-code'); const r = e.getBoundingClientRect(); return [getComputedStyle(e).whiteSpace, r.height < 2 * parseFloat(getComputedStyle(e).lineHeight), r.right <= window.innerWidth, e.textContent.trim().length];").await;
    assert_eq!(line, json!(["nowrap", true, true, 14]), "{line}");
    browser.assert_fits("the receipt, larger text").await;
    js("document.getElementById('receipt').scrollIntoView();").await;
    browser.shot(&shot("7-done-big")).await;
    browser.follow("标准字号").await;
    browser.assert_fits("the receipt").await;
    js("document.getElementById('receipt').scrollIntoView();").await;
    browser.shot(&shot("8-done")).await;
    browser.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_21_owner_flow_at_360_px() {
    owner_flow_of_issue_21(360).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn issue_21_owner_flow_at_320_px() {
    owner_flow_of_issue_21(320).await;
}
