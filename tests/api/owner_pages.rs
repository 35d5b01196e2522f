//! The owner's voting pages of issue 21, over HTTP like a browser without JavaScript: one
//! receipt per sheet in Beijing time, no choice dropped silently (candidates with 弃权, the
//! language switch, an expired session, refused cookies, the attempt limit, a closed vote),
//! the opening and the real closing time, one `<h1>` per step, skipped items on the review,
//! answers and rules in plain words, larger text and the estate's help line.

use chrono::{SecondsFormat, Utc};
use gongjue_store::users::Role;
use serde_json::{Value, json};
use sha2::Digest;

use crate::e2e;
use crate::helpers::{CODE_FAILURES_PER_IP, SMALL_ROSTER, TestDb, spawn_app, web_assembly};
use crate::web_pages::{Browser, Page};

/// The sheet receipt the owner's pages must show for these (item, voter) ballots, computed from
/// the stored versions by the documented formula (docs/guide-auditor.md), in its short form.
pub(crate) fn sheet_receipt_of(
    store: &gongjue_store::Store,
    ballots: &[(&String, &str)],
) -> String {
    let mut receipts: Vec<String> = ballots
        .iter()
        .map(|(item, voter)| {
            let version = store
                .current_ballot(item, voter)
                .unwrap()
                .unwrap()
                .version_id;
            store.ballot_version(&version).unwrap().0.receipt()
        })
        .collect();
    receipts.sort();
    receipts.dedup();
    let canonical = json!(["gongjue-sheet/1", receipts]).to_string();
    let full: String = sha2::Sha256::digest(canonical.as_bytes())
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect();
    format!("{}-{}-{}", &full[0..4], &full[4..8], &full[8..12])
}

pub(crate) fn with(
    mut fields: Vec<(String, String)>,
    extra: &[(&str, &str)],
) -> Vec<(String, String)> {
    fields.extend(
        extra
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
    );
    fields
}

/// Signs in on the code form, as an owner who types their code.
async fn sign_in(browser: &mut Browser, code: &str) -> Page {
    let form = browser.get("/vote").await;
    let csrf = form.hidden("csrf").unwrap();
    browser
        .post(
            "/vote",
            &[("csrf".into(), csrf), ("code".into(), code.into())],
        )
        .await
}

/// Receipts as the pages show them: `9F3A-21C0-7B44`.
fn receipts_in(html: &str) -> Vec<String> {
    let chars: Vec<char> = html.chars().collect();
    let hex = |c: char| c.is_ascii_digit() || ('A'..='F').contains(&c);
    let mut found = Vec::new();
    for start in 0..chars.len().saturating_sub(13) {
        let candidate: String = chars[start..start + 14].iter().collect();
        let shape = candidate
            .chars()
            .enumerate()
            .all(|(i, c)| if i == 4 || i == 9 { c == '-' } else { hex(c) });
        let bounded = start == 0 || !hex(chars[start - 1]) && chars[start - 1] != '-';
        if shape && bounded {
            found.push(candidate);
        }
    }
    found
}

/// The text of a page's element with this id (up to the end of its tag's block).
fn section<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id} in {html}"));
    let rest = &html[start..];
    &rest[..rest
        .find("</section>")
        .or_else(|| rest.find("</p>"))
        .unwrap_or(rest.len())]
}

/// One receipt for the whole submitted sheet, derived from the ballots' receipts, unbroken,
/// with a hint to keep it and the time in Beijing time; no UTC timestamp on the page.
async fn one_receipt_per_sheet_in_beijing_time(db: TestDb) {
    let s = web_assembly(db).await;
    let mut browser = Browser::new(&s.app);
    assert_eq!(sign_in(&mut browser, &s.codes["P1"]).await.status, 303);
    let mut page = browser.get("/ballot/step").await;
    for answer in [
        &[("c0", "yes")][..],
        &[("c1", "no")],
        &[("c2", "王一")],
        &[("a3", "1")],
        &[("c4q0", "甲方案")],
        &[],
    ] {
        page = browser
            .post(
                "/ballot/step",
                &with(with(page.hidden_fields(), answer), &[("go", "next")]),
            )
            .await;
        assert_eq!(page.status, 200, "{}", page.html);
    }
    let before = Utc::now();
    let done = browser.post("/ballot/submit", &page.hidden_fields()).await;
    assert_eq!(done.location.as_deref(), Some("/ballot/done"));
    let done = browser.get("/ballot/done").await;
    let (motion, election, consultation) = (&s.items[0], &s.items[1], &s.items[2]);
    let expected = sheet_receipt_of(
        &s.app.store,
        &[
            (motion, "P1"),
            (motion, "P2"),
            (election, "P1"),
            (election, "P2"),
            (consultation, "P1"),
        ],
    );
    assert_eq!(
        receipts_in(&done.html),
        vec![expected.clone()],
        "{}",
        done.html
    );
    let receipt = section(&done.html, "receipt");
    assert!(
        receipt.contains("本次表决回执号") && receipt.contains("截屏"),
        "{receipt}"
    );
    // Beijing time to the minute, never ISO UTC.
    let beijing = (before + chrono::Duration::hours(8))
        .format("%Y-%m-%d %H")
        .to_string();
    assert!(
        receipt.contains(&format!("提交时间：<span class=\"nowrap\">{beijing}"))
            && receipt.contains("（北京时间）"),
        "{receipt}"
    );
    assert!(
        !done.html.contains("+00:00") && !done.html.contains(":00Z"),
        "{}",
        done.html
    );
    // The sheet page shows the same single receipt.
    let sheet = browser.get("/ballot").await;
    assert_eq!(receipts_in(&sheet.html), vec![expected], "{}", sheet.html);
}

/// A candidate ticked with 弃权 is refused with the reason, both ticks kept; nothing is
/// dropped. The language switch on a step posts the sheet's state and stays on the step.
async fn no_choice_is_dropped_on_a_step(db: TestDb) {
    let s = web_assembly(db).await;
    let mut browser = Browser::new(&s.app);
    sign_in(&mut browser, &s.codes["P1"]).await;
    let mut page = browser.get("/ballot/step").await;
    // Exactly one <h1> per step: the item's title, not repeated as the legend.
    assert_eq!(page.html.matches("<h1").count(), 1, "{}", page.html);
    assert!(
        page.html.contains("<h1>续聘物业服务企业</h1>"),
        "{}",
        page.html
    );
    assert_eq!(
        page.html.matches("续聘物业服务企业").count(),
        1,
        "the title once"
    );
    for answer in [&[("c0", "yes")][..], &[("c1", "no")]] {
        page = browser
            .post(
                "/ballot/step",
                &with(with(page.hidden_fields(), answer), &[("go", "next")]),
            )
            .await;
    }
    // The election's rule is worded for candidates.
    assert!(
        page.html.contains("得票最多的 2 名候选人当选"),
        "{}",
        page.html
    );
    let rule = &page.html[page.html.find("class=\"rule\"").unwrap()..];
    let rule = &rule[..rule.find("</p>").unwrap()];
    assert!(!rule.contains("同意"), "{rule}");

    let conflict = browser
        .post(
            "/ballot/step",
            &with(
                page.hidden_fields(),
                &[("c2", "王一"), ("a2", "1"), ("go", "next")],
            ),
        )
        .await;
    assert_eq!(conflict.status, 422, "{}", conflict.html);
    assert!(
        conflict.html.contains("两者不能同时选择"),
        "{}",
        conflict.html
    );
    assert!(conflict.html.contains("3 / 6"));
    assert!(
        conflict.html.contains(r#"name="c2" value="王一" checked"#)
            && conflict.html.contains(r#"name="a2" value="1" checked"#),
        "{}",
        conflict.html
    );
    assert!(
        s.app
            .store
            .current_ballot(&s.items[1], "P1")
            .unwrap()
            .is_none()
    );

    // The language switch of a step is a button of the step's form: same step, same ticks.
    assert!(
        conflict
            .html
            .contains(r#"form="sheet" type="submit" formaction="/ballot/step?lang=en""#)
    );
    let english = browser
        .post(
            "/ballot/step?lang=en",
            &with(
                conflict.hidden_fields(),
                &[("c2", "王一"), ("c2", "李二"), ("go", "stay")],
            ),
        )
        .await;
    assert_eq!(english.status, 200, "{}", english.html);
    assert!(
        english.html.contains("<html lang=\"en\""),
        "{}",
        english.html
    );
    assert!(english.html.contains("3 / 6"));
    assert!(
        english.html.contains(r#"name="c2" value="王一" checked"#)
            && english.html.contains(r#"name="c2" value="李二" checked"#)
    );
    assert!(
        english
            .cookie("gj_lang")
            .is_some_and(|c| c.starts_with("gj_lang=en"))
    );
    let carried = english.hidden_fields();
    assert!(
        carried.contains(&("c0".into(), "yes".into()))
            && carried.contains(&("c1".into(), "no".into()))
    );

    // The review marks what was skipped; the consultation's answer reads in Chinese.
    let mut page = browser
        .post(
            "/ballot/step?lang=zh-CN",
            &with(english.hidden_fields(), &[("c2", "王一"), ("go", "next")]),
        )
        .await;
    for answer in [&[][..], &[("c4q0", "乙方案")], &[]] {
        page = browser
            .post(
                "/ballot/step",
                &with(with(page.hidden_fields(), answer), &[("go", "next")]),
            )
            .await;
    }
    assert!(page.html.contains("请核对您的全部选择"), "{}", page.html);
    assert!(page.html.contains("方案：乙方案"), "{}", page.html);
    assert_eq!(
        page.html.matches("card review skipped").count(),
        2,
        "{}",
        page.html
    );
    assert!(page.html.contains("您有 2 项未作选择"), "{}", page.html);
}

/// An expired session says so and keeps the sheet: signing in again continues at the step.
async fn an_expired_session_keeps_the_sheet(db: TestDb) {
    let s = web_assembly(db).await;
    let mut browser = Browser::new(&s.app);
    sign_in(&mut browser, &s.codes["P1"]).await;
    let mut page = browser.get("/ballot/step").await;
    page = browser
        .post(
            "/ballot/step",
            &with(page.hidden_fields(), &[("c0", "no"), ("go", "next")]),
        )
        .await;
    assert!(page.html.contains("2 / 6"));
    // The session cookie expires in the browser.
    browser.forget("gj_owner");
    let expired = browser
        .post(
            "/ballot/step",
            &with(page.hidden_fields(), &[("c1", "yes"), ("go", "next")]),
        )
        .await;
    assert_eq!(expired.status, 401, "{}", expired.html);
    assert!(expired.html.contains("您的登录已过期") && expired.html.contains("已保留"));
    let carried = expired.hidden_fields();
    assert!(
        carried.contains(&("c0".into(), "no".into()))
            && carried.contains(&("c1".into(), "yes".into()))
    );
    let mut fields = carried.clone();
    fields.push(("code".into(), s.codes["P1"].clone()));
    let again = browser.post("/vote", &fields).await;
    assert_eq!(again.status, 303, "{}", again.html);
    let to = again.location.unwrap();
    assert!(to.starts_with("/ballot/step?"), "{to}");
    let resumed = browser.get(&to).await;
    assert_eq!(resumed.status, 200, "{}", resumed.html);
    assert!(resumed.html.contains("2 / 6"), "{}", resumed.html);
    assert!(
        resumed.html.contains(r#"name="c1" value="yes" checked"#),
        "{}",
        resumed.html
    );
    assert!(
        resumed
            .hidden_fields()
            .contains(&("c0".into(), "no".into()))
    );

    // A session ended on the server: the sheet page says it expired.
    let mut other = Browser::new(&s.app);
    sign_in(&mut other, &s.codes["P4"]).await;
    let sheet = other.get("/ballot").await;
    let csrf = sheet.hidden("csrf").unwrap();
    let token = other.cookie_value("gj_owner").unwrap();
    other.post("/sign-out", &[("csrf".into(), csrf)]).await;
    other.set_cookie("gj_owner", &token);
    let back = other.get("/ballot").await;
    assert_eq!(back.location.as_deref(), Some("/vote?expired=1"));
    assert!(
        other
            .get("/vote?expired=1")
            .await
            .html
            .contains("您的登录已过期")
    );
}

/// A browser that keeps no cookie is told so; too many attempts say how long to wait; a closed
/// vote leads to the owner's record and the sheet says when and why it closed.
async fn refusals_say_what_to_do(db: TestDb) {
    let s = web_assembly(db).await;
    // No cookie at all: the explanation, not "page expired" again and again.
    let no_cookies = reqwest::Client::new()
        .post(format!("{}/vote", s.app.base))
        .form(&[("csrf", "0".repeat(64)), ("code", s.codes["P1"].clone())])
        .send()
        .await
        .unwrap();
    assert_eq!(no_cookies.status(), 403);
    let text = no_cookies.text().await.unwrap();
    assert!(text.contains("没有保存本网站的 Cookie"), "{text}");

    let mut browser = Browser::new(&s.app);
    sign_in(&mut browser, &s.codes["P1"]).await;
    let page = browser.get("/ballot/step").await;
    s.secretary.close_early(&s.assembly).await;
    let closed = browser
        .post(
            "/ballot/step",
            &with(page.hidden_fields(), &[("c0", "yes"), ("go", "next")]),
        )
        .await;
    assert_eq!(closed.status, 409, "{}", closed.html);
    assert!(
        closed.html.contains("投票已经结束")
            && closed.html.contains(r#"href="/ballot/publication""#),
        "{}",
        closed.html
    );
    let sheet = browser.get("/ballot").await;
    let ending = section(&sheet.html, "ending");
    let now = (Utc::now() + chrono::Duration::hours(8))
        .format("%Y-%m-%d")
        .to_string();
    assert!(
        ending.contains("提前结束")
            && ending.contains("e2e: every ballot is in")
            && ending.contains(&now),
        "{ending}"
    );

    // Last: the limit holds for this address.
    let mut guesser = Browser::new(&s.app);
    let mut last = sign_in(&mut guesser, "AAAA-BBBB-CCCC").await;
    for _ in 0..CODE_FAILURES_PER_IP {
        last = sign_in(&mut guesser, "AAAA-BBBB-CCCC").await;
    }
    assert_eq!(last.status, 429, "{}", last.html);
    assert!(last.html.contains("请 15 分钟后再试"), "{}", last.html);
    assert_eq!(last.retry_after.as_deref(), Some("900"));
}

/// Before opening the sheet says when voting opens (Beijing time) instead of "no item".
async fn before_opening_the_sheet_says_when(db: TestDb) {
    let app = spawn_app(db).await;
    let estate = app.estate("小区乙");
    let secretary = app.staff("sec-open", Role::Secretary, &estate).await;
    secretary
        .import_roster(&estate, SMALL_ROSTER.as_bytes())
        .await
        .expect(200);
    let opens = Utc::now() + chrono::Duration::days(2);
    let closes = opens + chrono::Duration::days(7);
    let assembly = secretary
        .create_assembly_with(
            &estate,
            true,
            json!({
                "opens_at": opens.to_rfc3339_opts(SecondsFormat::Millis, true),
                "closes_at": closes.to_rfc3339_opts(SecondsFormat::Millis, true),
                "objection_days": 0,
            }),
        )
        .await;
    secretary
        .add_item(
            &assembly,
            json!({ "kind": "motion", "title": "续聘物业服务企业", "matter": 4 }),
        )
        .await;
    secretary.announce(&assembly).await;
    let codes = secretary.issue_codes(&assembly, None).await;
    let mut browser = Browser::new(&app);
    assert_eq!(sign_in(&mut browser, &codes["P1"]).await.status, 303);
    let sheet = browser.get("/ballot").await;
    let beijing = |t: chrono::DateTime<Utc>| {
        (t + chrono::Duration::hours(8))
            .format("%Y-%m-%d %H:%M")
            .to_string()
    };
    let opening = section(&sheet.html, "opens");
    assert!(
        opening.contains("投票尚未开始")
            && opening.contains(&beijing(opens))
            && opening.contains(&beijing(closes)),
        "{opening}"
    );
    assert!(
        !sheet.html.contains("没有您可以表决的事项"),
        "{}",
        sheet.html
    );

    // The help line: generic until the secretary sets the estate's phone, then that number.
    assert!(
        sheet.html.contains("需要帮助？请联系业主委员会"),
        "{}",
        sheet.html
    );
    let refused = secretary
        .put(
            &format!("/api/v1/estates/{estate}/contact-phone"),
            json!({ "contact_phone": "call Mr Wang" }),
        )
        .await
        .refused(422, "invalid_value");
    assert_eq!(refused["error"]["field"], "contact_phone", "{refused}");
    let set = secretary
        .put(
            &format!("/api/v1/estates/{estate}/contact-phone"),
            json!({ "contact_phone": "0571-8888 6666" }),
        )
        .await
        .expect(200);
    assert_eq!(set["contact_phone"], "0571-8888 6666");
    let sheet = browser.get("/ballot").await;
    assert!(
        sheet.html.contains("请致电 0571-8888 6666"),
        "{}",
        sheet.html
    );
    let entries: Value = app
        .store
        .audit_entries(&estate, 0, 1000)
        .unwrap()
        .iter()
        .filter(|e| e.action == "estate.contact_phone")
        .map(|e| Value::from(e.detail.clone()))
        .collect();
    assert_eq!(
        entries.as_array().unwrap().len(),
        1,
        "audited once: {entries}"
    );

    // Larger text: remembered in a cookie, on every owner page, without JavaScript.
    let big = browser.get("/ballot?size=big").await;
    assert!(
        big.html.contains(r#"<html lang="zh-CN" class="big">"#),
        "{}",
        big.html
    );
    assert!(
        big.cookie("gj_size")
            .is_some_and(|c| c.starts_with("gj_size=big"))
    );
    let code_page = browser.get("/vote").await;
    assert!(code_page.html.contains(r#"class="big""#) && code_page.html.contains("标准字号"));
    let normal = browser.get("/?size=normal").await;
    assert!(!normal.html.contains(r#"class="big""#) && normal.html.contains("长辈模式"));
}

e2e!(
    one_receipt_per_sheet_in_beijing_time,
    no_choice_is_dropped_on_a_step,
    an_expired_session_keeps_the_sheet,
    refusals_say_what_to_do,
    before_opening_the_sheet_says_when,
);
