//! Issue 20: an owner signs in on a phone with a code sent by SMS (through the fake Tencent
//! Cloud provider), votes, and reads the record of the notices sent to them with their
//! delivery; the secretary turns SMS on and reads the deliveries in the outbox.

use std::time::Duration;

use gongjue_api::mail::settings::Timing;
use gongjue_api::sms::fake::FakeProvider;
use gongjue_api::sms::settings::{SmsSettings, SmsTransportSettings};
use gongjue_api::sms::tencent::{Secret, TencentSettings};
use gongjue_api::sms::worker::SmsWorker;
use gongjue_store::users::Role;
use serde_json::json;

use crate::driver;
use crate::helpers::{self, spawn_app_with};

const TOKEN: &str = "browser-receipts-token-01";

const ROSTER: &str = "zone,building,stairwell,unit,floor,area_m2,owner_id,owner_name,phone,email
,1,1,101,1,100.00,P1,甲,13911110001,
,1,1,102,1,100.00,P2,乙,13911110002,
,2,1,101,1,80.00,P4,丁,,
";

fn settings(endpoint: String) -> SmsSettings {
    SmsSettings {
        transport: SmsTransportSettings::Tencent(TencentSettings {
            endpoint,
            region: "ap-guangzhou".into(),
            secret_id: "AKIDbrowser".into(),
            secret_key: Secret("browser-secret".into()),
            sdk_app_id: "1400000000".into(),
            sign_name: "湖畔花园业委会".into(),
            templates: gongjue_api::sms::text::KINDS
                .iter()
                .map(|k| ((*k).to_owned(), format!("T-{k}")))
                .collect(),
            timeout: Duration::from_secs(5),
        }),
        receipt_token: Some(Secret(TOKEN.into())),
        ..SmsSettings::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owner_signs_in_with_an_sms_code_on_a_phone_and_votes() {
    let Some(browser) = driver::start().await else {
        return;
    };
    let app = spawn_app_with(helpers::sqlite(), |state| {
        state.with_sms(settings(String::new()))
    });
    let fake = FakeProvider::start(
        "AKIDbrowser",
        "browser-secret",
        Some(format!("{}/api/v1/sms/receipts/{TOKEN}", app.base)),
    )
    .await
    .expect("the fake provider");
    let worker = SmsWorker::new(
        app.store.clone(),
        &settings(fake.url()),
        Timing {
            poll: Duration::from_millis(50),
            ..Timing::default()
        },
    )
    .expect("the sms worker");
    let estate = app.estate("湖畔花园");
    let secretary = app.staff("sec-sms-web", Role::Secretary, &estate).await;
    secretary
        .import_roster(&estate, ROSTER.as_bytes())
        .await
        .expect(200);

    // The secretary turns SMS on from the staff home page.
    browser.sign_in(&app.base, "sec-sms-web").await;
    browser.click_text("短信通知").await;
    browser.fill("#per_owner", "5").await;
    browser.follow("保存短信设置").await;
    assert!(browser.text().await.contains("已开通"), "SMS on");
    browser.shot("sms-1-staff-setting").await;

    let assembly = secretary.create_assembly(&estate, true).await;
    let motion = secretary
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "更换电梯", "matter": 4 }),
        )
        .await;
    secretary.announce(&assembly).await;
    secretary.open(&assembly).await;
    secretary.issue_codes(&assembly, None).await;
    worker.round().await.expect("sending the notices");

    // The owner opens the link of their SMS invitation on a phone.
    let invitation = fake
        .messages()
        .into_iter()
        .find(|m| m.template_id == "T-invitation" && m.phone == "+8613911110001")
        .expect("P1's invitation by SMS");
    let link = invitation.params.last().cloned().expect("the link");
    assert!(link.ends_with(&format!("/s/{}", assembly.id)), "{link}");
    browser
        .goto(&format!("{}/s/{}", app.base, assembly.id))
        .await;
    browser.assert_accessible().await;
    browser.assert_fits("the number form").await;
    browser.shot("sms-2-number").await;
    browser.fill("#phone", "139 1111 0001").await;
    browser.follow("发送验证码").await;
    browser.shot("sms-3-code").await;
    worker.round().await.expect("sending the code");
    let code = fake
        .messages()
        .into_iter()
        .find(|m| m.template_id == "T-sign_in_code")
        .expect("the sign-in code")
        .params[0]
        .clone();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    browser.fill("#code", wrong).await;
    browser.follow("进入").await;
    assert!(
        browser.text().await.contains("验证码不对"),
        "a wrong code is refused"
    );
    browser.fill("#code", &code).await;
    browser.follow("进入").await;
    assert!(browser.text().await.contains("更换电梯"), "the sheet");
    browser.follow("开始投票").await;
    browser.click_text("同意").await;
    browser.follow("核对全部选择").await;
    browser.follow("确认提交").await;
    assert!(browser.text().await.contains("投票成功"));
    let choice = app
        .store
        .current_ballot(&motion, "P1")
        .unwrap()
        .map(|b| serde_json::from_str::<serde_json::Value>(&b.choice).unwrap());
    assert_eq!(choice, Some(json!("yes")), "the ballot counts for P1");

    // The ballot alert goes out and its receipt comes back; the owner reads both.
    worker.round().await.expect("sending the alert");
    for _ in 0..100 {
        if fake.receipts_sent() >= fake.messages().len() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    browser.goto(&format!("{}/ballot/notices", app.base)).await;
    let record = browser.text().await;
    assert!(
        record.contains("短信") && record.contains("已送达"),
        "{record}"
    );
    browser.assert_accessible().await;
    browser.assert_fits("the record of notices").await;
    browser.shot("sms-4-record").await;
    browser.click_text("只用短信").await;
    browser.follow("保存").await;
    assert!(browser.text().await.contains("已保存"));
    assert_eq!(
        app.store
            .notice_channels(&estate, "P1")
            .ok()
            .flatten()
            .as_deref(),
        Some("sms")
    );

    // The secretary's outbox shows the channel and the delivery.
    browser.sign_in(&app.base, "sec-sms-web").await;
    browser.goto(&format!("{}/staff/outbox", app.base)).await;
    let outbox = browser.text().await;
    assert!(
        outbox.contains("短信") && outbox.contains("已送达"),
        "{outbox}"
    );
    browser.shot("sms-5-outbox").await;
    // Before a reminder round, the notices page says what it would send.
    browser
        .goto(&format!(
            "{}/staff/assemblies/{}/notices",
            app.base, assembly.id
        ))
        .await;
    let notices = browser.text().await;
    assert!(
        notices.contains("下一轮将发送：电子邮件 0 封，短信 1 条"),
        "P2 has not voted and has only a number: {notices}"
    );
    browser.shot("sms-6-notices").await;
    browser.close().await;
}
