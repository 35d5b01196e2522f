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
